/** Limits and defaults of the TLS certificate handling; all overridable through `TlsPairInit`. */

/** File name of the generated certificate, written in the data directory (next to the database). */
export const GENERATED_CERT_FILE = 'sentrypeer-tls-cert.pem'

/** File name of the generated private key (mode 0600). */
export const GENERATED_KEY_FILE = 'sentrypeer-tls-key.pem'

/** Validity of a generated self-signed certificate (CA/Browser Forum caps public certificates at 398 days). */
export const DEFAULT_CERT_VALIDITY_DAYS = 365

/** A generated certificate that expires sooner than this is replaced at start-up. */
export const DEFAULT_RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000

/** RSA modulus of a generated key: 2048 bits (NIST SP 800-57 part 1: acceptable through 2030). */
export const DEFAULT_RSA_KEY_BITS = 2048

/** Common name of a generated certificate. */
export const DEFAULT_COMMON_NAME = 'sentrypeer'

/** Largest certificate or key file read, in bytes (a chain of a few certificates fits easily). */
export const MAX_PEM_FILE_BYTES = 1024 * 1024
