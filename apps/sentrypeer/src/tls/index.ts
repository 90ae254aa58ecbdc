/**
 * TLS certificate and key for the SIP TLS listener: given files, checked, or a persisted self-signed pair.
 *
 * @example
 * ```ts
 * import { loadOrCreateTlsPair } from './tls/index.js'
 * const { cert, key } = await loadOrCreateTlsPair({ certFile, keyFile, dir: dataDir })
 * ```
 */
export * from './constants.js'
export { TlsError, type TlsErrorCode } from './errors.js'
export { loadOrCreateTlsPair, type TlsPair, type TlsPairInit } from './load-or-create-tls-pair.js'
