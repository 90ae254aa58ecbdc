import { DEFAULT_CONFIRMATIONS } from './constants.ts'
import type { Confirmation } from './index.ts'

/**
 * Poisoning resistance: a key learnt from peers is confirmed only when `k` distinct collectors reported
 * it. A key this node collected itself (`self` among the collectors) is always confirmed.
 *
 * @example
 * ```ts
 * confirmation('203.0.113.7', ['12D3KooA...', '12D3KooB...'], { k: 2 }).confirmed // true
 * ```
 */
export function confirmation(
  key: string,
  collectors: Iterable<string>,
  options: { k?: number; self?: string } = {},
): Confirmation {
  const distinct = [...new Set(collectors)]
  const required = options.k ?? DEFAULT_CONFIRMATIONS
  const local = options.self !== undefined && distinct.includes(options.self)
  return { key, confirmed: local || distinct.length >= required, local, collectors: distinct, required }
}
