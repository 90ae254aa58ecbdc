/** Errors of the daemon's P2P layer, each with a stable `code`. */
export class P2pError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** The P2P node could not start (bad listen address, port in use, unreadable key). */
export class P2pStartError extends P2pError {
  constructor(message: string, options?: ErrorOptions) {
    super('P2P_START_FAILED', message, options)
  }
}

/** The store refused a record received from a peer (queue full or invalid): it is fetched again later. */
export class RecordNotStoredError extends P2pError {
  constructor(id: string) {
    super('RECORD_NOT_STORED', `record ${id} was not stored`)
  }
}

/** A signed record read back from the store cannot be parsed (the database was altered). */
export class CorruptRecordError extends P2pError {
  constructor(id: string) {
    super('CORRUPT_RECORD', `stored signed record ${id} cannot be parsed`)
  }
}
