/** Stable codes of the output errors. */
export type OutputsErrorCode =
  | 'OUTPUTS_INVALID_CONFIG'
  | 'JSON_LOG_OPEN_FAILED'
  | 'WEBHOOK_HTTP_STATUS'
  | 'WEBHOOK_REQUEST_FAILED'
  | 'OAUTH2_TOKEN_FAILED'

/** Base of every output error. Only configuration errors are thrown to the caller (at start-up). */
export class OutputsError extends Error {
  readonly code: OutputsErrorCode
  constructor(code: OutputsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OutputsError'
    this.code = code
  }
}

/** `OutputsInit` is invalid (bad webhook URL, empty OAuth2 client id, ...). Thrown by `createOutputs`. */
export class OutputsConfigError extends OutputsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OUTPUTS_INVALID_CONFIG', message, options)
    this.name = 'OutputsConfigError'
  }
}

/** The JSON log file cannot be opened for appending. Thrown by `createOutputs`. */
export class JsonLogOpenError extends OutputsError {
  readonly path: string
  constructor(path: string, options?: { cause?: unknown }) {
    const reason = (options?.cause as Error | undefined)?.message ?? 'unknown error'
    super('JSON_LOG_OPEN_FAILED', `cannot open JSON log file ${path}: ${reason}`, options)
    this.name = 'JsonLogOpenError'
    this.path = path
  }
}

/** The webhook answered with a non-2xx status. Logged and counted, never thrown to the caller. */
export class WebhookStatusError extends OutputsError {
  readonly status: number
  constructor(status: number) {
    super('WEBHOOK_HTTP_STATUS', `webhook answered HTTP ${status}`)
    this.name = 'WebhookStatusError'
    this.status = status
  }
}

/** The webhook request failed (connection refused, timeout, reset). Logged and counted. */
export class WebhookRequestError extends OutputsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WEBHOOK_REQUEST_FAILED', message, options)
    this.name = 'WebhookRequestError'
  }
}

/** The OAuth2 token endpoint failed or answered something unusable. Logged and counted. */
export class OAuth2TokenError extends OutputsError {
  readonly status: number | undefined
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('OAUTH2_TOKEN_FAILED', message, options)
    this.name = 'OAuth2TokenError'
    this.status = options?.status
  }
}
