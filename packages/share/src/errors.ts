/**
 * Named errors of @sentrypeer/share. Untrusted input never throws: it yields a `RecordError` result
 * (see `RecordErrorCode`). These classes are thrown only for misuse by the embedding application.
 */

/** Base class of every error the package throws. */
export class ShareError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ShareError'
    this.code = code
  }
}

/** The key file exists but does not hold an Ed25519 private key in libp2p protobuf encoding. */
export class InvalidKeyFileError extends ShareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_KEY_FILE', message, options)
    this.name = 'InvalidKeyFileError'
  }
}

/** The node was configured with `share: false` and was asked to publish, catch up or look up. */
export class SharingDisabledError extends ShareError {
  constructor(message = 'sharing is disabled (share: false)') {
    super('SHARING_DISABLED', message)
    this.name = 'SharingDisabledError'
  }
}

/** The node is not started. */
export class NotStartedError extends ShareError {
  constructor(message = 'the share node is not started') {
    super('NOT_STARTED', message)
    this.name = 'NotStartedError'
  }
}

/** The application asked to publish a record its own validator rejects, or one too big to share. */
export class InvalidRecordError extends ShareError {
  readonly reason: string
  constructor(reason: string, message: string) {
    super('INVALID_RECORD', message)
    this.name = 'InvalidRecordError'
    this.reason = reason
  }
}

/** An option is out of range. */
export class InvalidOptionError extends ShareError {
  constructor(message: string) {
    super('INVALID_OPTION', message)
    this.name = 'InvalidOptionError'
  }
}

/**
 * A batch of signatures could not be checked: its verification worker died more than the allowed number
 * of times, or the node stopped. Nothing from the batch is accepted and nothing is counted against the
 * sending peer; the catch-up exchange ends with this message and a later one fetches the records again.
 */
export class VerifyWorkerError extends ShareError {
  constructor(message: string) {
    super('VERIFY_WORKER_FAILED', message)
    this.name = 'VerifyWorkerError'
  }
}

/** Codes of `RecordError`: why a record from the network was refused. Stable strings. */
export type RecordErrorCode =
  | 'TOO_LARGE'
  | 'TRUNCATED'
  | 'BAD_VERSION'
  | 'BAD_KEY'
  | 'BAD_SIGNATURE'
  | 'UNDECODABLE'
  | 'NON_CANONICAL'
  | 'FUTURE'
  | 'EXPIRED'
  | 'INVALID'
  | 'NOT_COLLECTOR'

/** Why a record was refused: `offset` is the byte offset in the envelope where the problem was found. */
export interface RecordError {
  code: RecordErrorCode
  offset: number
  message: string
}
