/**
 * The daemon's event outputs: JSON log, syslog (with the Fail2Ban filter in `docs/fail2ban/`), webhook
 * with OAuth2 client credentials, and verbose stderr.
 *
 * @example
 * ```ts
 * import { createOutputs } from './outputs/index.js'
 * const outputs = createOutputs({ jsonLog: true, syslog: true, appVersion, nodeId, logger })
 * outputs.write(event)
 * await outputs.close()
 * ```
 */
export * from './constants.js'
export { createOutputs, type Outputs, type OutputsInit, type OutputsStats } from './create-outputs.js'
export {
  JsonLogOpenError,
  OAuth2TokenError,
  OutputsConfigError,
  OutputsError,
  type OutputsErrorCode,
  WebhookRequestError,
  WebhookStatusError,
} from './errors.js'
export { escapeControlChars } from './escape-control-chars.js'
export type { EventSink, SinkStats } from './event-sink.js'
export type { HoneypotEvent } from './honeypot-event.js'
export {
  createJsonLogSink,
  type JsonLogSink,
  type JsonLogSinkInit,
  type JsonLogStats,
} from './json-log-sink.js'
export { createOAuth2TokenSource, type OAuth2Init, type OAuth2TokenSource } from './oauth2-token-source.js'
export { type SyslogLineLimits, syslogLine } from './syslog-line.js'
export {
  createSyslogSink,
  loggerArgs,
  type SyslogSink,
  type SyslogSinkInit,
  type SyslogStats,
  type SyslogTarget,
} from './syslog-sink.js'
export { formatEventTimestamp, type SentryPeerJson, toSentryPeerJson } from './to-sentry-peer-json.js'
export { createVerboseSink, type VerboseSink, type VerboseSinkInit, verboseLine } from './verbose-sink.js'
export {
  createWebhookSink,
  type WebhookSink,
  type WebhookSinkInit,
  type WebhookStats,
} from './webhook-sink.js'
