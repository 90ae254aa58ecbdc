/** Stable codes of TLS configuration errors. */
export type TlsErrorCode =
  | 'TLS_HALF_CONFIGURED'
  | 'TLS_FILE_UNREADABLE'
  | 'TLS_CERT_INVALID'
  | 'TLS_KEY_INVALID'
  | 'TLS_KEY_MISMATCH'
  | 'TLS_GENERATE_FAILED'

/** A TLS certificate or key problem found at start-up; the message names the file and the fix. */
export class TlsError extends Error {
  readonly code: TlsErrorCode
  /** The file concerned, when there is one. */
  readonly file: string | undefined
  constructor(code: TlsErrorCode, message: string, options?: { cause?: unknown; file?: string }) {
    super(message, options)
    this.name = 'TlsError'
    this.code = code
    this.file = options?.file
  }
}
