import type { HoneypotEvent } from './honeypot-event.js'

/**
 * One destination for honeypot events (JSON log, syslog, webhook, verbose stderr).
 *
 * `write` never throws and never waits on I/O: a sink queues (bounded) and counts what it had to drop.
 * `close` drains what is queued and resolves by its deadline.
 */
export interface EventSink {
  write(event: HoneypotEvent): void
  close(): Promise<void>
}

/** Counters every sink keeps. */
export interface SinkStats {
  /** Events handed to the sink. */
  accepted: number
  /** Events the sink delivered (written to the file, the syslog socket, the webhook, stderr). */
  delivered: number
  /** Events lost: queue full, destination broken, retries exhausted or the close deadline hit. */
  dropped: number
}
