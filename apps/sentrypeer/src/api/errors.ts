/** Stable codes of the API module's errors (configuration) and of its HTTP error bodies. */
export type ApiErrorCode =
  | 'TOKEN_REQUIRED'
  | 'INVALID_OPTION'
  | 'INVALID_CIDR'
  | 'BAD_REQUEST'
  | 'INVALID_QUERY'
  | 'INVALID_PARAM'
  | 'FILTER_NOT_SUPPORTED'
  | 'BODY_NOT_ALLOWED'
  | 'URL_TOO_LONG'
  | 'HEADERS_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'TOO_MANY_STREAMS'
  | 'STREAM_UNAVAILABLE'
  | 'P2P_DISABLED'
  | 'INTERNAL'

/** Base class of the API module's errors. */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  constructor(code: ApiErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ApiError'
    this.code = code
  }
}

/** A non-loopback bind without an API token. */
export class TokenRequiredError extends ApiError {
  constructor(host: string) {
    super('TOKEN_REQUIRED', `binding the API to ${host} (not loopback) requires an API token`)
    this.name = 'TokenRequiredError'
  }
}

/** An option of `createApiServer` is invalid. */
export class InvalidApiOptionError extends ApiError {
  constructor(message: string) {
    super('INVALID_OPTION', message)
    this.name = 'InvalidApiOptionError'
  }
}

/** An allowlist entry is not an address or CIDR. */
export class InvalidCidrError extends ApiError {
  constructor(text: string, reason: string) {
    super('INVALID_CIDR', `invalid CIDR ${JSON.stringify(text)}: ${reason}`)
    this.name = 'InvalidCidrError'
  }
}

/** An HTTP error answered to a client (never thrown out of the server). */
export class HttpApiError extends ApiError {
  readonly status: number
  readonly issues?: Array<{ path: string; message: string }>
  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    issues?: Array<{ path: string; message: string }>,
  ) {
    super(code, message)
    this.name = 'HttpApiError'
    this.status = status
    if (issues !== undefined) this.issues = issues
  }
}
