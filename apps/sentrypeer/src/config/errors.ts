/**
 * Named errors of the daemon. Each carries a stable `code`; the CLI maps them to exit codes.
 */

/** A configuration value is wrong. `option` names the flag, env var or config file key at fault. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
  readonly option: string
  constructor(option: string, message: string) {
    super(`${option}: ${message}`)
    this.name = 'ConfigError'
    this.option = option
  }
}

/** A listener could not be opened (address in use, permission denied, ...). */
export class ListenError extends Error {
  readonly code = 'LISTEN_FAILED'
  readonly address: string
  constructor(address: string, message: string, options?: { cause?: unknown }) {
    super(`cannot listen on ${address}: ${message}`, options)
    this.name = 'ListenError'
    this.address = address
  }
}
