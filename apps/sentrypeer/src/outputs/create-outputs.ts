import type { Logger } from 'pino'
import { z } from 'zod'
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_JSON_LOG_FILE } from './constants.js'
import { OutputsConfigError } from './errors.js'
import type { EventSink, SinkStats } from './event-sink.js'
import type { HoneypotEvent } from './honeypot-event.js'
import { createJsonLogSink, type JsonLogSink, type JsonLogStats } from './json-log-sink.js'
import type { OAuth2Init } from './oauth2-token-source.js'
import { createSyslogSink, type SyslogSink, type SyslogSinkInit, type SyslogStats } from './syslog-sink.js'
import { createVerboseSink, type VerboseSink, type VerboseSinkInit } from './verbose-sink.js'
import {
  createWebhookSink,
  type WebhookSink,
  type WebhookSinkInit,
  type WebhookStats,
} from './webhook-sink.js'

/** Options of the event outputs (the daemon maps `-j`, `-l`, `-s`, `-v`, `-w`, `-i`, `-c` onto them). */
export interface OutputsInit {
  /** `-j`: JSON log, to `jsonLogFile` or `sentrypeer_json.log` in the working directory. */
  jsonLog?: boolean
  /** `-l FILE`: JSON log file (implies `jsonLog`). */
  jsonLogFile?: string
  /** In-memory bytes the JSON log may buffer while the disk is slow. */
  jsonLogMaxBufferBytes?: number
  /** `-s`: syslog lines for Fail2Ban; `true` for `/dev/log`, or the sink options (target, limits). */
  syslog?: boolean | Omit<SyslogSinkInit, 'logger'>
  /** `-v`: one line per event on stderr; or the sink options. */
  verbose?: boolean | VerboseSinkInit
  /** `-w URL` with optional OAuth2 client credentials (`-i`, `-c`). */
  webhook?: { url: string; oauth2?: OAuth2Init } & Omit<
    WebhookSinkInit,
    'url' | 'oauth2' | 'appVersion' | 'logger'
  >
  appVersion: string
  /** This node's id: `created_by_node_id` of events that come without one. */
  nodeId: string
  /** Diagnostics of the outputs themselves (write errors, webhook failures). */
  logger?: Logger
  /** Longest time `close()` waits for the sinks to drain. */
  closeTimeoutMs?: number
}

export interface OutputsStats {
  /** Events passed to `write`. */
  written: number
  /** Events lost over all sinks (one event lost by two sinks counts twice). */
  dropped: number
  /** Failed webhook attempts. */
  webhookFailures: number
  jsonLog?: JsonLogStats
  syslog?: SyslogStats
  webhook?: WebhookStats
  verbose?: SinkStats
}

/** The daemon's event outputs. */
export interface Outputs extends EventSink {
  /** Hands the event to every enabled output. Never throws, never waits on I/O. */
  write(event: HoneypotEvent): void
  /** Drains every output, resolving by `closeTimeoutMs`. */
  close(): Promise<void>
  /** Reopens the JSON log file (on SIGHUP after logrotate). */
  reopen(): void
  stats(): OutputsStats
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })
const initSchema = z.object({
  jsonLogFile: z.string().min(1).optional(),
  webhook: z
    .object({
      url: httpUrl,
      oauth2: z
        .object({
          clientId: z.string().min(1, 'OAuth2 client id must not be empty'),
          clientSecret: z.string().min(1, 'OAuth2 client secret must not be empty'),
          tokenUrl: httpUrl.optional(),
        })
        .optional(),
      maxQueue: z.number().int().positive().optional(),
      concurrency: z.number().int().positive().optional(),
      maxAttempts: z.number().int().positive().optional(),
      retryMinMs: z.number().nonnegative().optional(),
      retryMaxMs: z.number().nonnegative().optional(),
      requestTimeoutMs: z.number().positive().optional(),
    })
    .optional(),
  appVersion: z.string(),
  nodeId: z.string(),
  closeTimeoutMs: z.number().nonnegative().optional(),
})

/**
 * Creates the daemon's event outputs: JSON log, syslog (for Fail2Ban), webhook (with OAuth2) and
 * verbose stderr, each enabled by its option. Throws `OutputsConfigError` for invalid options and
 * `JsonLogOpenError` when the JSON log file cannot be opened; after that nothing throws.
 *
 * @example
 * ```ts
 * const outputs = createOutputs({
 *   jsonLog: true,
 *   jsonLogFile: '/var/log/sentrypeer/events.json',
 *   syslog: true,
 *   webhook: { url: 'https://example.org/hook', oauth2: { clientId: 'id', clientSecret: 'secret' } },
 *   appVersion: '0.1.0',
 *   nodeId: 'node-1',
 *   logger,
 * })
 * outputs.write(event)
 * await outputs.close()
 * ```
 */
export function createOutputs(init: OutputsInit): Outputs {
  const checked = initSchema.safeParse(init)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    const where = issue?.path.join('.') ?? ''
    throw new OutputsConfigError(`invalid outputs option ${where}: ${issue?.message ?? 'invalid'}`)
  }
  const logger = init.logger
  let jsonLog: JsonLogSink | undefined
  let syslog: SyslogSink | undefined
  let webhook: WebhookSink | undefined
  let verbose: VerboseSink | undefined
  if (init.jsonLog || init.jsonLogFile) {
    jsonLog = createJsonLogSink({
      file: init.jsonLogFile ?? DEFAULT_JSON_LOG_FILE,
      appVersion: init.appVersion,
      maxBufferBytes: init.jsonLogMaxBufferBytes,
      logger,
    })
  }
  if (init.syslog) {
    syslog = createSyslogSink({ ...(init.syslog === true ? {} : init.syslog), logger })
  }
  if (init.webhook) {
    webhook = createWebhookSink({ ...init.webhook, appVersion: init.appVersion, logger })
  }
  if (init.verbose) {
    verbose = createVerboseSink(init.verbose === true ? {} : init.verbose)
  }
  const sinks = [jsonLog, syslog, webhook, verbose].filter((s): s is NonNullable<typeof s> => s !== undefined)
  const closeTimeoutMs = init.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS
  let written = 0
  let sinkErrors = 0
  let closing: Promise<void> | undefined

  return {
    write(event) {
      written += 1
      const e = event.collectorNodeId ? event : { ...event, collectorNodeId: init.nodeId }
      for (const sink of sinks) {
        try {
          sink.write(e)
        } catch (err) {
          sinkErrors += 1
          if (sinkErrors === 1 || sinkErrors % 1000 === 0) {
            logger?.error({ err, sinkErrors }, 'event output failed')
          }
        }
      }
    },
    reopen() {
      jsonLog?.reopen()
    },
    stats() {
      const s: OutputsStats = { written, dropped: 0, webhookFailures: 0 }
      if (jsonLog) s.jsonLog = jsonLog.stats()
      if (syslog) s.syslog = syslog.stats()
      if (webhook) s.webhook = webhook.stats()
      if (verbose) s.verbose = verbose.stats()
      s.dropped =
        (s.jsonLog?.dropped ?? 0) +
        (s.syslog?.dropped ?? 0) +
        (s.webhook?.dropped ?? 0) +
        (s.verbose?.dropped ?? 0)
      s.webhookFailures = s.webhook?.failures ?? 0
      return s
    },
    close() {
      // Each sink enforces the deadline itself and counts what it had to give up.
      closing ??= Promise.allSettled([
        jsonLog?.close(closeTimeoutMs),
        syslog?.close(closeTimeoutMs),
        webhook?.close(closeTimeoutMs),
        verbose?.close(),
      ]).then(() => undefined)
      return closing
    },
  }
}
