import type { Decision, DecisionsStreamResponse } from '@sentrypeer/client'
import { remainingSeconds } from './format-blocklist.js'
import { formatTimestamp } from './format-timestamp.js'

/** An address the stream may announce: what the blocklist has, plus the method for the scenario. */
export interface DecisionSource {
  ip: string
  expiresAt: number
}

/** Options of {@link createDecisionStream}. */
export interface DecisionStreamInit {
  /** Bouncers remembered for deltas; the least recently seen is forgotten first. */
  maxBouncers: number
  /** The SIP method of an IP's latest event, for the scenario name (`sentrypeer/sip-invite`...). */
  methodOf: (ip: string) => string | undefined
}

/** CrowdSec LAPI decision stream state: what each bouncer was last told. */
export interface DecisionStream {
  /**
   * The decisions for one pull. `startup` (or an unknown bouncer) gets the full list; later pulls get
   * what is new or renewed since its last pull and what expired (`deleted`).
   */
  pull(
    bouncer: string,
    startup: boolean,
    current: Iterable<DecisionSource>,
    now: number,
  ): DecisionsStreamResponse
  /** Bouncers currently remembered. */
  readonly bouncers: number
}

/** A Go `time.Duration` string (what CrowdSec bouncers parse with time.ParseDuration). */
export function goDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  return `${h}h${m}m${rest}s`
}

/**
 * A stable positive decision id per address: two 32-bit FNV-1a hashes with different offsets folded
 * into 52 bits (a safe integer), so 100k addresses collide with odds of about 1 in a billion.
 */
export function decisionId(ip: string): number {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193) >>> 0
    b = Math.imul(b ^ c, 0x01000193) >>> 0
  }
  return (a & 0xfffff) * 0x100000000 + b
}

/** Scenario name of a SIP method: `sentrypeer/sip-<method>` in lower case, `sentrypeer/sip-scan` if unknown. */
function scenarioOf(method: string | undefined): string {
  const m = (method ?? '').toLowerCase()
  return /^[a-z]{1,32}$/.test(m) ? `sentrypeer/sip-${m}` : 'sentrypeer/sip-scan'
}

interface BouncerState {
  sent: Map<string, { expiresAt: number; scenario: string }>
}

class DecisionStreamState implements DecisionStream {
  readonly #init: DecisionStreamInit
  readonly #states = new Map<string, BouncerState>()

  constructor(init: DecisionStreamInit) {
    this.#init = init
  }

  get bouncers(): number {
    return this.#states.size
  }

  #decision(ip: string, expiresAt: number, scenario: string, now: number): Decision {
    return {
      id: decisionId(ip),
      origin: 'sentrypeer',
      type: 'ban',
      scope: 'Ip',
      value: ip,
      duration: goDuration(remainingSeconds(expiresAt, now)),
      until: formatTimestamp(expiresAt),
      scenario,
      simulated: false,
    }
  }

  pull(
    bouncer: string,
    startup: boolean,
    current: Iterable<DecisionSource>,
    now: number,
  ): DecisionsStreamResponse {
    const previous = startup ? undefined : this.#states.get(bouncer)
    const sent = new Map<string, { expiresAt: number; scenario: string }>()
    const fresh: Decision[] = []
    for (const { ip, expiresAt } of current) {
      if (expiresAt <= now) continue
      const before = previous?.sent.get(ip)
      const scenario = before?.scenario ?? scenarioOf(this.#init.methodOf(ip))
      sent.set(ip, { expiresAt, scenario })
      if (before === undefined || before.expiresAt !== expiresAt) {
        fresh.push(this.#decision(ip, expiresAt, scenario, now))
      }
    }
    const deleted: Decision[] = []
    if (previous !== undefined) {
      for (const [ip, { expiresAt, scenario }] of previous.sent) {
        if (!sent.has(ip)) deleted.push({ ...this.#decision(ip, expiresAt, scenario, now), duration: '0s' })
      }
    }
    this.#states.delete(bouncer)
    this.#states.set(bouncer, { sent })
    while (this.#states.size > this.#init.maxBouncers) {
      const oldest = this.#states.keys().next().value
      if (oldest === undefined) break
      this.#states.delete(oldest)
    }
    return { new: fresh, deleted }
  }
}

/** Creates the per-bouncer decision stream state of `GET /v1/decisions/stream`. */
export function createDecisionStream(init: DecisionStreamInit): DecisionStream {
  return new DecisionStreamState(init)
}
