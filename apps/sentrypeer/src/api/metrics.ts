import { SIP_METHODS } from '@sentrypeer/sip'
import { MAX_SERIES_PER_METRIC } from './constants.js'

/** Label values of one series. */
export type Labels = Readonly<Record<string, string>>

/** A monotonically increasing counter. */
export interface Counter {
  inc(labels?: Labels, value?: number): void
}

/** A value that goes up and down. */
export interface Gauge {
  set(value: number, labels?: Labels): void
}

/**
 * The metrics the daemon core, the outputs and the API increment. Rendered by `GET /metrics` in the
 * Prometheus text exposition format 0.0.4.
 *
 * @example
 * ```ts
 * const metrics = createMetrics()
 * metrics.sipEvent('udp', 'INVITE')
 * metrics.parseError('BAD_START_LINE')
 * metrics.packetDropped('rate_limited')
 * const errors = metrics.counter('sentrypeer_webhook_errors_total', 'Webhook deliveries that failed')
 * errors.inc()
 * ```
 */
export interface Metrics {
  /** A SIP event recorded (`sentrypeer_sip_events_total{transport,method}`; unknown methods count as OTHER). */
  sipEvent(transport: string, method: string): void
  /** A SIP message that failed to parse (`sentrypeer_sip_parse_errors_total{code}`). */
  parseError(code: string): void
  /** A packet or connection dropped before parsing (`sentrypeer_packets_dropped_total{reason}`). */
  packetDropped(reason: string): void
  /** Registers (or returns the existing) counter `name`. */
  counter(name: string, help: string): Counter
  /** Registers (or returns the existing) gauge `name`. */
  gauge(name: string, help: string): Gauge
  /** The exposition text of every metric. */
  render(): string
}

/** RFC 3261 §27.4 methods and the registered extensions; anything else is labelled OTHER. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(SIP_METHODS)

/** Normalizes an untrusted SIP method into a bounded label value. */
export function methodLabel(method: string): string {
  const upper = method.toUpperCase()
  return KNOWN_METHODS.has(upper) ? upper : 'OTHER'
}

/** (transport, method) spellings whose `sentrypeer_sip_events_total` series key is kept. */
const MAX_CACHED_SIP_EVENT_KEYS = 256

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return '+Inf'
  if (value === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(value)
}

class Family implements Counter, Gauge {
  readonly name: string
  readonly help: string
  readonly type: 'counter' | 'gauge'
  readonly series = new Map<string, number>()

  constructor(name: string, help: string, type: 'counter' | 'gauge') {
    if (!NAME_RE.test(name)) throw new RangeError(`invalid metric name ${name}`)
    this.name = name
    this.help = help
    this.type = type
  }

  #key(labels: Labels | undefined): string {
    if (labels === undefined) return ''
    const keys = Object.keys(labels).sort()
    if (keys.length === 0) return ''
    const parts = keys.map((k) => {
      if (!LABEL_RE.test(k)) throw new RangeError(`invalid label name ${k}`)
      return `${k}="${escapeLabel(labels[k] ?? '')}"`
    })
    const key = `{${parts.join(',')}}`
    if (!this.series.has(key) && this.series.size >= MAX_SERIES_PER_METRIC) {
      return `{${keys.map((k) => `${k}="other"`).join(',')}}`
    }
    return key
  }

  inc(labels?: Labels, value = 1): void {
    if (!(value >= 0)) return
    this.incSeries(this.#key(labels), value)
  }

  /** The series key of `labels` (as `inc` uses it), for callers that keep it. */
  seriesKey(labels: Labels): string {
    return this.#key(labels)
  }

  /** Adds to the series `key` returned by `seriesKey`. */
  incSeries(key: string, value = 1): void {
    this.series.set(key, (this.series.get(key) ?? 0) + value)
  }

  set(value: number, labels?: Labels): void {
    this.series.set(this.#key(labels), value)
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`)
    out.push(`# TYPE ${this.name} ${this.type}`)
    if (this.series.size === 0 && this.type === 'counter') out.push(`${this.name} 0`)
    for (const [key, value] of this.series) out.push(`${this.name}${key} ${formatValue(value)}`)
  }
}

class MetricsRegistry implements Metrics {
  readonly #families = new Map<string, Family>()
  readonly #sipEvents: Family
  readonly #parseErrors: Family
  readonly #dropped: Family
  readonly #sipEventKeys = new Map<string, string>()

  constructor() {
    this.#sipEvents = this.#family('sentrypeer_sip_events_total', 'SIP events recorded', 'counter')
    this.#parseErrors = this.#family(
      'sentrypeer_sip_parse_errors_total',
      'SIP messages that failed to parse',
      'counter',
    )
    this.#dropped = this.#family(
      'sentrypeer_packets_dropped_total',
      'Packets or connections dropped before parsing',
      'counter',
    )
  }

  #family(name: string, help: string, type: 'counter' | 'gauge'): Family {
    const existing = this.#families.get(name)
    if (existing !== undefined) {
      if (existing.type !== type) throw new RangeError(`metric ${name} is a ${existing.type}`)
      return existing
    }
    const family = new Family(name, help, type)
    this.#families.set(name, family)
    return family
  }

  sipEvent(transport: string, method: string): void {
    // Once per SIP event: the series key of a (transport, method) pair is built once and kept (sorting
    // and escaping the labels was 3.6 % of the main thread's busy time in a 15,000/s OPTIONS flood).
    const pair = `${transport} ${method}`
    let key = this.#sipEventKeys.get(pair)
    if (key === undefined) {
      const t = transport === 'udp' || transport === 'tcp' || transport === 'tls' ? transport : 'other'
      key = this.#sipEvents.seriesKey({ transport: t, method: methodLabel(method) })
      // Methods are the attacker's text: keep the keys of a bounded number of spellings.
      if (this.#sipEventKeys.size < MAX_CACHED_SIP_EVENT_KEYS) this.#sipEventKeys.set(pair, key)
    }
    this.#sipEvents.incSeries(key)
  }

  parseError(code: string): void {
    this.#parseErrors.inc({ code })
  }

  packetDropped(reason: string): void {
    this.#dropped.inc({ reason })
  }

  counter(name: string, help: string): Counter {
    return this.#family(name, help, 'counter')
  }

  gauge(name: string, help: string): Gauge {
    return this.#family(name, help, 'gauge')
  }

  render(): string {
    const out: string[] = []
    for (const family of this.#families.values()) family.render(out)
    return `${out.join('\n')}\n`
  }
}

/** Creates an empty metrics registry with SentryPeer's SIP metrics registered. */
export function createMetrics(): Metrics {
  return new MetricsRegistry()
}

/** Renders one metric with a single value (for figures read at scrape time, such as the store's). */
export function formatMetric(name: string, help: string, type: 'counter' | 'gauge', value: number): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n${name} ${formatValue(value)}\n`
}
