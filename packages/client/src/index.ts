/**
 * @sentrypeer/client: the zod schemas of the SentryPeer HTTP API and a typed, fetch-based client.
 *
 * @example
 * ```ts
 * import { createClient } from '@sentrypeer/client'
 * const api = createClient({ baseUrl: 'http://127.0.0.1:8082' })
 * console.log((await api.healthCheck()).version)
 * ```
 * @packageDocumentation
 */
export * from './constants.js'
export type { ClientInit, RequestOptions, SentryPeerClient } from './create-client.js'
export { createClient } from './create-client.js'
export * from './errors.js'
export * from './schemas/index.js'
