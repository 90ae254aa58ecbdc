/** Stable codes of the errors the store throws (programming and environment errors only). */
export type StoreErrorCode =
  | 'STORE_CLOSED'
  | 'INVALID_OPTION'
  | 'MIGRATION_FAILED'
  | 'SCHEMA_TOO_NEW'
  | 'IMPORT_SOURCE_INVALID'

/** Stable codes of rejected events (see `validateEvent`). */
export type EventErrorCode =
  | 'NOT_AN_OBJECT'
  | 'INVALID_TIME'
  | 'TIME_IN_FUTURE'
  | 'INVALID_UUID'
  | 'INVALID_IP'
  | 'INVALID_PORT'
  | 'INVALID_TRANSPORT'
  | 'INVALID_METHOD'
  | 'INVALID_NUMBER'
  | 'INVALID_STRING'
  | 'INVALID_COLLECTION_MODE'
  | 'INVALID_NODE_ID'
  | 'INVALID_ORIGIN'
  | 'INVALID_SIGNED_RECORD'

/** Stable codes of rejected query parameters (they come from HTTP clients and are untrusted). */
export type QueryErrorCode = 'INVALID_CURSOR' | 'INVALID_LIMIT' | 'INVALID_FILTER'

/**
 * A rejected input. `offset` is the character offset inside `field` where the problem was found (0 when
 * the whole value is wrong).
 */
export interface InputError<C extends string> {
  code: C
  field: string
  offset: number
  message: string
}

/** Base class of everything the store throws; `code` is stable. */
export class StoreError extends Error {
  readonly code: StoreErrorCode
  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StoreError'
    this.code = code
  }
}

/** A method was called after `close()`. */
export class StoreClosedError extends StoreError {
  constructor() {
    super('STORE_CLOSED', 'the store is closed')
    this.name = 'StoreClosedError'
  }
}

/** An option passed to `openStore` is out of range. */
export class InvalidOptionError extends StoreError {
  constructor(message: string) {
    super('INVALID_OPTION', message)
    this.name = 'InvalidOptionError'
  }
}

/** A migration failed; the database is left at the last applied version. */
export class MigrationError extends StoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('MIGRATION_FAILED', message, options)
    this.name = 'MigrationError'
  }
}

/** The database was written by a newer version of this package (migrations are forward-only). */
export class SchemaTooNewError extends StoreError {
  readonly version: number
  constructor(version: number, known: number) {
    super('SCHEMA_TOO_NEW', `database schema version ${version} is newer than this software (${known})`)
    this.name = 'SchemaTooNewError'
    this.version = version
  }
}

/** The file given to `importSentryPeerDb` is not a readable SentryPeer database. */
export class ImportSourceError extends StoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('IMPORT_SOURCE_INVALID', message, options)
    this.name = 'ImportSourceError'
  }
}
