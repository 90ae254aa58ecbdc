import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { type Logger, pino } from 'pino'
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_JSON_LOG_MAX_BUFFER_BYTES,
  DEFAULT_JSON_LOG_MAX_WRITE_BYTES,
} from './constants.js'
import { JsonLogOpenError } from './errors.js'
import type { EventSink, SinkStats } from './event-sink.js'
import { toSentryPeerJson } from './to-sentry-peer-json.js'

export interface JsonLogSinkInit {
  /** File the JSON lines are appended to (created with its directory if missing). */
  file: string
  appVersion: string
  /** Bytes buffered in memory while the disk is slow; more is dropped and counted. */
  maxBufferBytes?: number
  /** Largest single write(2) to the file. */
  maxWriteBytes?: number
  /** Diagnostics (write errors). */
  logger?: Logger
}

export interface JsonLogSink extends EventSink {
  /** Flushes and closes the file, resolving by `timeoutMs` even if the disk is stuck. */
  close(timeoutMs?: number): Promise<void>
  /** Reopens the file (after logrotate moved it). */
  reopen(): void
  stats(): JsonLogStats
}

export interface JsonLogStats extends SinkStats {
  /** Write errors reported by the file (disk full, I/O error). */
  errors: number
}

/** The parts of pino's SonicBoom destination used here (in `contentMode: 'buffer'`). */
type SonicBoomLike = {
  write(data: Uint8Array): boolean
  on(event: string, listener: (...args: unknown[]) => void): unknown
  once(event: string, listener: (...args: unknown[]) => void): unknown
  end(): void
  reopen(file?: string): void
  destroyed?: boolean
}

/**
 * JSON log sink: one JSON line per event with SentryPeer's field names, written through pino's
 * asynchronous SonicBoom destination, so `write` never waits on the disk.
 *
 * Throws {@link JsonLogOpenError} when the file cannot be opened for appending.
 *
 * @example
 * ```ts
 * const sink = createJsonLogSink({ file: 'sentrypeer_json.log', appVersion: '0.1.0' })
 * sink.write(event)
 * await sink.close()
 * ```
 */
export function createJsonLogSink(init: JsonLogSinkInit): JsonLogSink {
  // Resolved now: the file is opened asynchronously and reopened later, whatever the cwd is then.
  const file = resolve(init.file)
  try {
    mkdirSync(dirname(file), { recursive: true })
    closeSync(openSync(file, 'a'))
  } catch (cause) {
    throw new JsonLogOpenError(file, { cause })
  }
  const stats: JsonLogStats = { accepted: 0, delivered: 0, dropped: 0, errors: 0 }
  const dest = pino.destination({
    dest: file,
    sync: false,
    append: true,
    minLength: 0,
    maxLength: init.maxBufferBytes ?? DEFAULT_JSON_LOG_MAX_BUFFER_BYTES,
    maxWrite: init.maxWriteBytes ?? DEFAULT_JSON_LOG_MAX_WRITE_BYTES,
    // Buffer mode keeps per-chunk lengths: appending is O(1) whatever maxWrite (utf8 mode re-measures
    // the whole pending chunk on every write).
    contentMode: 'buffer',
  }) as unknown as SonicBoomLike
  let drops = 0
  dest.on('drop', () => {
    drops += 1
  })
  dest.on('error', (err) => {
    stats.errors += 1
    if (stats.errors === 1 || stats.errors % 1000 === 0) {
      init.logger?.error({ err, file, errors: stats.errors }, 'JSON log write failed')
    }
  })
  let closed = false
  let closing: Promise<void> | undefined

  return {
    write(event) {
      stats.accepted += 1
      if (closed) {
        stats.dropped += 1
        return
      }
      const before = drops
      try {
        // No level, time, pid or hostname: the line is exactly the event's fields, as SentryPeer (C).
        dest.write(Buffer.from(`${JSON.stringify(toSentryPeerJson(event, init.appVersion))}\n`))
      } catch (err) {
        stats.errors += 1
        init.logger?.error({ err }, 'JSON log write threw')
      }
      if (drops !== before) stats.dropped += 1
      else stats.delivered += 1
    },
    reopen() {
      if (closed) return
      try {
        dest.reopen()
      } catch (err) {
        stats.errors += 1
        init.logger?.error({ err, file }, 'JSON log reopen failed')
      }
    },
    stats() {
      return { ...stats }
    },
    close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      closed = true
      closing ??= new Promise<void>((resolve) => {
        // A stuck disk must not hold the shutdown: give up at the deadline.
        const timer = setTimeout(resolve, timeoutMs)
        timer.unref()
        const done = () => {
          clearTimeout(timer)
          resolve()
        }
        dest.once('close', done)
        dest.once('error', done)
        try {
          dest.end()
        } catch {
          done()
        }
      })
      return closing
    },
  }
}
