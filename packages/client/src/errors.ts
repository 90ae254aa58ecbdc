/**
 * Named errors thrown by the client. Every one carries a stable `code` so callers can branch on it.
 */

/** Base class of every error the client throws. */
export class ClientError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ClientError'
    this.code = code
  }
}

/**
 * The server answered with a non-2xx status. `code` is the server's error code when the body had one
 * (`{ code, message }`), else `HTTP_<status>`; `body` is the parsed JSON body or the raw text.
 */
export class HttpError extends ClientError {
  readonly status: number
  readonly body: unknown
  constructor(status: number, code: string, message: string, body: unknown) {
    super(code, message)
    this.name = 'HttpError'
    this.status = status
    this.body = body
  }
}

/** The response did not match the shared schema of its route. `issues` lists what did not match. */
export class ResponseValidationError extends ClientError {
  readonly issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>
  constructor(message: string, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
    super('INVALID_RESPONSE', message)
    this.name = 'ResponseValidationError'
    this.issues = issues
  }
}

/** The request took longer than its timeout. */
export class RequestTimeoutError extends ClientError {
  readonly timeoutMs: number
  constructor(timeoutMs: number) {
    super('TIMEOUT', `request timed out after ${timeoutMs} ms`)
    this.name = 'RequestTimeoutError'
    this.timeoutMs = timeoutMs
  }
}

/** The request was aborted by the caller's signal. */
export class RequestAbortedError extends ClientError {
  constructor(cause?: unknown) {
    super('ABORTED', 'request aborted', { cause })
    this.name = 'RequestAbortedError'
  }
}

/** The request never got a response (connection refused, reset, DNS failure...). */
export class NetworkError extends ClientError {
  constructor(message: string, cause?: unknown) {
    super('NETWORK', message, { cause })
    this.name = 'NetworkError'
  }
}

/** A query or path argument given to the client is invalid; nothing was sent. */
export class InvalidArgumentError extends ClientError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message)
    this.name = 'InvalidArgumentError'
  }
}
