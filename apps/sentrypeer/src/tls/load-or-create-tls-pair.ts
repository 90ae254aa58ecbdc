import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  DEFAULT_CERT_VALIDITY_DAYS,
  DEFAULT_COMMON_NAME,
  DEFAULT_RENEW_BEFORE_MS,
  DEFAULT_RSA_KEY_BITS,
  GENERATED_CERT_FILE,
  GENERATED_KEY_FILE,
  MAX_PEM_FILE_BYTES,
} from './constants.js'
import { TlsError } from './errors.js'

export interface TlsPairInit {
  /** `--tls-cert`: PEM certificate (chain) file. Needs `keyFile`. */
  certFile?: string
  /** `--tls-key`: PEM private key file. Needs `certFile`. */
  keyFile?: string
  /** Directory of the generated pair when no files are given (the database's directory). */
  dir: string
  validityDays?: number
  renewBeforeMs?: number
  rsaKeyBits?: number
  commonName?: string
  /** Largest certificate or key file read. */
  maxPemFileBytes?: number
  /** Clock, for the expiry check. */
  now?: () => number
}

export interface TlsPair {
  /** PEM certificate (chain). */
  cert: string
  /** PEM private key. */
  key: string
  certFile: string
  keyFile: string
  /** True when this call generated the pair. */
  generated: boolean
  /** SHA-256 fingerprint of the (leaf) certificate. */
  fingerprint256: string
  validTo: Date
}

async function readPem(file: string, what: string, maxBytes: number): Promise<string> {
  try {
    const info = await stat(file)
    if (!info.isFile()) throw new Error('not a regular file')
    if (info.size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`)
    return await readFile(file, 'utf8')
  } catch (cause) {
    throw new TlsError(
      'TLS_FILE_UNREADABLE',
      `cannot read TLS ${what} ${file}: ${(cause as Error).message}`,
      {
        cause,
        file,
      },
    )
  }
}

interface Checked {
  cert: X509Certificate
}

/** Parses and cross-checks a PEM certificate and key; throws a `TlsError` naming the file. */
function check(certPem: string, keyPem: string, certFile: string, keyFile: string): Checked {
  if (!certPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new TlsError('TLS_CERT_INVALID', `TLS certificate ${certFile} is not a PEM certificate`, {
      file: certFile,
    })
  }
  let cert: X509Certificate
  try {
    cert = new X509Certificate(certPem)
  } catch (cause) {
    throw new TlsError(
      'TLS_CERT_INVALID',
      `TLS certificate ${certFile} cannot be parsed: ${(cause as Error).message}`,
      {
        cause,
        file: certFile,
      },
    )
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem)) {
    throw new TlsError('TLS_KEY_INVALID', `TLS key ${keyFile} is not a PEM private key`, { file: keyFile })
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: keyPem, format: 'pem' })
  } catch (cause) {
    throw new TlsError(
      'TLS_KEY_INVALID',
      `TLS key ${keyFile} cannot be loaded (encrypted keys are not supported): ${(cause as Error).message}`,
      { cause, file: keyFile },
    )
  }
  if (!cert.checkPrivateKey(key)) {
    throw new TlsError('TLS_KEY_MISMATCH', `TLS key ${keyFile} does not belong to certificate ${certFile}`, {
      file: keyFile,
    })
  }
  return { cert }
}

/** Writes a file atomically (temporary file + rename) with the given mode. */
async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  const handle = await open(tmp, 'w', mode)
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(tmp, file)
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}

/**
 * The TLS certificate and key of the SIP TLS listener. With `certFile` and `keyFile` (`--tls-cert`,
 * `--tls-key`) it reads them and checks they are readable PEM and that the key matches the certificate.
 * Without them it reuses the pair generated on an earlier run in `dir`, or generates a self-signed one
 * (RSA, SAN localhost/127.0.0.1/::1) and persists it there so restarts present the same certificate.
 * A generated certificate close to expiry, or damaged, is replaced. Throws `TlsError` with a stable code.
 *
 * @example
 * ```ts
 * const { cert, key } = await loadOrCreateTlsPair({ dir: path.dirname(dbPath) })
 * tls.createServer({ cert, key })
 * ```
 */
export async function loadOrCreateTlsPair(init: TlsPairInit): Promise<TlsPair> {
  const now = init.now ?? Date.now
  const maxBytes = init.maxPemFileBytes ?? MAX_PEM_FILE_BYTES
  if (init.certFile !== undefined || init.keyFile !== undefined) {
    if (!init.certFile || !init.keyFile) {
      throw new TlsError(
        'TLS_HALF_CONFIGURED',
        'give both --tls-cert and --tls-key, or neither to use a generated self-signed pair',
      )
    }
    const [cert, key] = await Promise.all([
      readPem(init.certFile, 'certificate', maxBytes),
      readPem(init.keyFile, 'key', maxBytes),
    ])
    const checked = check(cert, key, init.certFile, init.keyFile)
    return {
      cert,
      key,
      certFile: init.certFile,
      keyFile: init.keyFile,
      generated: false,
      fingerprint256: checked.cert.fingerprint256,
      validTo: new Date(checked.cert.validTo),
    }
  }

  const certFile = join(init.dir, GENERATED_CERT_FILE)
  const keyFile = join(init.dir, GENERATED_KEY_FILE)
  const renewBefore = init.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS
  if ((await exists(certFile)) && (await exists(keyFile))) {
    try {
      const [cert, key] = await Promise.all([
        readPem(certFile, 'certificate', maxBytes),
        readPem(keyFile, 'key', maxBytes),
      ])
      const checked = check(cert, key, certFile, keyFile)
      const validTo = new Date(checked.cert.validTo)
      if (validTo.getTime() - renewBefore > now()) {
        return {
          cert,
          key,
          certFile,
          keyFile,
          generated: false,
          fingerprint256: checked.cert.fingerprint256,
          validTo,
        }
      }
    } catch (err) {
      // Our own generated pair is damaged: generate a new one below (a given --tls-cert is never replaced).
      if (!(err instanceof TlsError) || err.code === 'TLS_FILE_UNREADABLE') throw err
    }
  }

  const notBeforeDate = new Date(now() - 60_000)
  const notAfterDate = new Date(now() + (init.validityDays ?? DEFAULT_CERT_VALIDITY_DAYS) * 86_400_000)
  const commonName = init.commonName ?? DEFAULT_COMMON_NAME
  let pems: { cert: string; private: string }
  try {
    // Loaded only to generate: the library costs about 18 MB of RSS that a daemon with a pair never needs.
    const { generate } = await import('selfsigned')
    pems = await generate([{ name: 'commonName', value: commonName }], {
      keyType: 'rsa',
      keySize: init.rsaKeyBits ?? DEFAULT_RSA_KEY_BITS,
      algorithm: 'sha256',
      notBeforeDate,
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: commonName },
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    })
  } catch (cause) {
    throw new TlsError(
      'TLS_GENERATE_FAILED',
      `cannot generate a TLS certificate: ${(cause as Error).message}`,
      {
        cause,
      },
    )
  }
  const checked = check(pems.cert, pems.private, certFile, keyFile)
  try {
    await mkdir(init.dir, { recursive: true })
    // Key first: a crash between the two writes leaves a key without a matching cert, which is regenerated.
    await writeAtomic(keyFile, pems.private, 0o600)
    await writeAtomic(certFile, pems.cert, 0o644)
  } catch (cause) {
    throw new TlsError(
      'TLS_GENERATE_FAILED',
      `cannot save the generated TLS pair in ${init.dir}: ${(cause as Error).message}`,
      { cause, file: keyFile },
    )
  }
  return {
    cert: pems.cert,
    key: pems.private,
    certFile,
    keyFile,
    generated: true,
    fingerprint256: checked.cert.fingerprint256,
    validTo: new Date(checked.cert.validTo),
  }
}
