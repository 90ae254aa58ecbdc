import { execFile } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GENERATED_CERT_FILE,
  GENERATED_KEY_FILE,
  loadOrCreateTlsPair,
  TlsError,
} from '../../src/tls/index.js'
import { tlsHandshake } from '../helpers/tls-handshake.js'

const run = promisify(execFile)

async function caught(p: Promise<unknown>): Promise<TlsError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(TlsError)
    return err as TlsError
  }
  throw new Error('expected a TlsError')
}

describe('loadOrCreateTlsPair', () => {
  let dir: string
  // a pair made by the openssl tool, as an operator would
  let opensslCert: string
  let opensslKey: string
  let otherKey: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-tls-'))
    opensslCert = join(dir, 'op-cert.pem')
    opensslKey = join(dir, 'op-key.pem')
    otherKey = join(dir, 'other-key.pem')
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      opensslKey,
      '-out',
      opensslCert,
      '-days',
      '2',
      '-subj',
      '/CN=sip.example.org',
    ])
    await run('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      otherKey,
    ])
  })

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('generates a self-signed pair on first run, persists it (key 0600) and reuses it on restart', async () => {
    const data = join(dir, 'data')
    const first = await loadOrCreateTlsPair({ dir: data })
    expect(first.generated).toBe(true)
    expect(first.cert).toMatch(/^-----BEGIN CERTIFICATE-----/)
    expect(first.key).toMatch(/-----BEGIN (RSA )?PRIVATE KEY-----/)
    expect(first.certFile).toBe(join(data, GENERATED_CERT_FILE))
    expect(readFileSync(first.keyFile, 'utf8')).toBe(first.key)
    expect(statSync(first.keyFile).mode & 0o777).toBe(0o600)
    const x509 = new X509Certificate(first.cert)
    expect(x509.subject).toContain('CN=sentrypeer')
    expect(x509.subjectAltName).toContain('DNS:localhost')
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1')

    const second = await loadOrCreateTlsPair({ dir: data })
    expect(second.generated).toBe(false)
    expect(second.fingerprint256).toBe(first.fingerprint256)
    expect(second.cert).toBe(first.cert)
  })

  it('the generated pair works for a real TLS handshake (verified against 127.0.0.1 and localhost)', async () => {
    const pair = await loadOrCreateTlsPair({ dir: join(dir, 'hs') })
    expect(await tlsHandshake(pair)).toBe('hello')
    expect(await tlsHandshake(pair, { servername: 'localhost' })).toBe('hello')
  })

  it('replaces a generated certificate close to expiry', async () => {
    const data = join(dir, 'renew')
    const first = await loadOrCreateTlsPair({ dir: data, validityDays: 10 })
    const inNineDays = Date.now() + 9 * 86_400_000
    const renewed = await loadOrCreateTlsPair({ dir: data, now: () => inNineDays })
    expect(renewed.generated).toBe(true)
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256)
  })

  it('replaces a damaged generated pair', async () => {
    const data = join(dir, 'damaged')
    const first = await loadOrCreateTlsPair({ dir: data })
    writeFileSync(first.certFile, 'garbage')
    const second = await loadOrCreateTlsPair({ dir: data })
    expect(second.generated).toBe(true)
    expect(second.fingerprint256).not.toBe(first.fingerprint256)
  })

  it('loads given files (--tls-cert/--tls-key) made by openssl, without generating anything', async () => {
    const data = join(dir, 'given')
    const pair = await loadOrCreateTlsPair({ certFile: opensslCert, keyFile: opensslKey, dir: data })
    expect(pair.generated).toBe(false)
    expect(pair.cert).toBe(readFileSync(opensslCert, 'utf8'))
    expect(pair.key).toBe(readFileSync(opensslKey, 'utf8'))
    expect(() => statSync(join(data, GENERATED_KEY_FILE))).toThrow()
    expect(await tlsHandshake(pair, { servername: 'sip.example.org' })).toBe('hello')
  })

  it('refuses a key that does not match the certificate', async () => {
    const err = await caught(loadOrCreateTlsPair({ certFile: opensslCert, keyFile: otherKey, dir }))
    expect(err.code).toBe('TLS_KEY_MISMATCH')
    expect(err.message).toContain(otherKey)
    expect(err.message).toContain(opensslCert)
  })

  it('refuses files that are not PEM, naming the file', async () => {
    const junk = join(dir, 'junk.pem')
    writeFileSync(junk, 'this is not a certificate\n')
    const badCert = await caught(loadOrCreateTlsPair({ certFile: junk, keyFile: opensslKey, dir }))
    expect(badCert.code).toBe('TLS_CERT_INVALID')
    expect(badCert.file).toBe(junk)
    const badKey = await caught(loadOrCreateTlsPair({ certFile: opensslCert, keyFile: junk, dir }))
    expect(badKey.code).toBe('TLS_KEY_INVALID')
    // a certificate given as the key
    const certAsKey = await caught(loadOrCreateTlsPair({ certFile: opensslCert, keyFile: opensslCert, dir }))
    expect(certAsKey.code).toBe('TLS_KEY_INVALID')
    const corrupt = join(dir, 'corrupt.pem')
    writeFileSync(corrupt, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
    expect((await caught(loadOrCreateTlsPair({ certFile: corrupt, keyFile: opensslKey, dir }))).code).toBe(
      'TLS_CERT_INVALID',
    )
  })

  it('refuses missing or unreadable files and a half configuration', async () => {
    const missing = await caught(
      loadOrCreateTlsPair({ certFile: join(dir, 'nope.pem'), keyFile: opensslKey, dir }),
    )
    expect(missing.code).toBe('TLS_FILE_UNREADABLE')
    expect(missing.message).toContain('nope.pem')
    const isDir = await caught(loadOrCreateTlsPair({ certFile: dir, keyFile: opensslKey, dir }))
    expect(isDir.code).toBe('TLS_FILE_UNREADABLE')
    const tooBig = await caught(
      loadOrCreateTlsPair({ certFile: opensslCert, keyFile: opensslKey, dir, maxPemFileBytes: 16 }),
    )
    expect(tooBig.code).toBe('TLS_FILE_UNREADABLE')
    expect(tooBig.message).toContain('larger than 16 bytes')
    expect((await caught(loadOrCreateTlsPair({ certFile: opensslCert, dir }))).code).toBe(
      'TLS_HALF_CONFIGURED',
    )
    expect((await caught(loadOrCreateTlsPair({ keyFile: opensslKey, dir }))).code).toBe('TLS_HALF_CONFIGURED')
  })

  it('reports a data directory it cannot create', async () => {
    // a regular file where the directory should be: fails for root too
    const file = join(dir, 'plain-file')
    writeFileSync(file, '')
    const err = await caught(loadOrCreateTlsPair({ dir: join(file, 'data') }))
    expect(err.code).toBe('TLS_GENERATE_FAILED')
    expect(err.message).toContain('plain-file')
  })
})
