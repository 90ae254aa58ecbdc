import {
  DEFAULT_VERBOSE_MAX_BUFFER_BYTES,
  VERBOSE_MAX_AGENT_CHARS,
  VERBOSE_MAX_METHOD_CHARS,
  VERBOSE_MAX_NUMBER_CHARS,
} from './constants.js'
import { escapeControlChars } from './escape-control-chars.js'
import type { EventSink, SinkStats } from './event-sink.js'
import type { HoneypotEvent } from './honeypot-event.js'
import { formatEventTimestamp } from './to-sentry-peer-json.js'

export interface VerboseSinkInit {
  /** Where the lines go; default `process.stderr`. */
  stream?: NodeJS.WritableStream & { writableLength?: number }
  /** Unflushed bytes allowed in the stream before lines are dropped. */
  maxBufferBytes?: number
}

export interface VerboseSink extends EventSink {
  stats(): SinkStats
}

/** `[host]:port` for IPv6, `host:port` otherwise. */
function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}

/**
 * The `-v` line of an event, attacker-controlled fields escaped (no ANSI escape reaches a terminal):
 * `2022-03-10 12:34:56.123000000 UDP 192.0.2.7:5060 -> 203.0.113.1:5060 INVITE to 100441234 agent "x" (responsive)`
 */
export function verboseLine(event: HoneypotEvent): string {
  const transport = event.transport.toUpperCase()
  const agent = escapeControlChars(event.userAgent ?? '', VERBOSE_MAX_AGENT_CHARS)
  return (
    `${formatEventTimestamp(event.eventTime)} ${transport} ${endpoint(event.sourceIp, event.sourcePort)} -> ` +
    `${endpoint(event.destinationIp, event.destinationPort)} ${escapeControlChars(event.method, VERBOSE_MAX_METHOD_CHARS)} ` +
    `to ${escapeControlChars(event.calledNumberRaw, VERBOSE_MAX_NUMBER_CHARS)} agent "${agent}" (${event.collectionMode})`
  )
}

/**
 * Verbose sink (`-v`): one line per event to stderr. When stderr is a slow pipe and its buffer is full,
 * lines are dropped and counted instead of growing memory.
 *
 * @example
 * ```ts
 * const sink = createVerboseSink()
 * sink.write(event) // 2022-03-10 12:34:56.123000000 UDP 192.0.2.7:5060 -> ...
 * ```
 */
export function createVerboseSink(init: VerboseSinkInit = {}): VerboseSink {
  const stream = init.stream ?? process.stderr
  const maxBuffer = init.maxBufferBytes ?? DEFAULT_VERBOSE_MAX_BUFFER_BYTES
  const stats: SinkStats = { accepted: 0, delivered: 0, dropped: 0 }
  let closed = false
  stream.on('error', () => {
    // A closed stderr must not crash the daemon; later lines are dropped by the writable check.
  })
  return {
    write(event) {
      stats.accepted += 1
      const line = `${verboseLine(event)}\n`
      const w = stream as NodeJS.WritableStream & { writableLength?: number; writable?: boolean }
      if (closed || w.writable === false || (w.writableLength ?? 0) + line.length > maxBuffer) {
        stats.dropped += 1
        return
      }
      try {
        stream.write(line)
        stats.delivered += 1
      } catch {
        stats.dropped += 1
      }
    },
    stats() {
      return { ...stats }
    },
    async close() {
      closed = true
    },
  }
}
