/**
 * The self-signed certificate generator, checked by independent parsers: Node's X509Certificate, the
 * openssl command-line tool, and real TLS handshakes with the certificate as the only trusted CA.
 */
import { execFile } from 'node:child_process'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSelfSignedCertificate,
  type SelfSignedCertificate,
} from '../../src/tls/create-self-signed-certificate.js'
import { tlsHandshake } from '../helpers/tls-handshake.js'

const run = promisify(execFile)

// Valid now (the handshakes check the dates), with milliseconds that the certificate drops.
const NOT_BEFORE = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000 + 789)
const NOT_AFTER = new Date(NOT_BEFORE.getTime() + 365 * 86_400_000)
const ALT_NAMES = [{ dns: 'sentrypeer' }, { dns: 'localhost' }, { ip: '127.0.0.1' }, { ip: '::1' }]

/** The date as the certificate holds it: to the second. */
const toSecond = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000)

describe('createSelfSignedCertificate', () => {
  let dir: string
  let pair: SelfSignedCertificate
  let certFile: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-selfsigned-'))
    pair = await createSelfSignedCertificate({
      commonName: 'sentrypeer',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      rsaKeyBits: 2048,
      altNames: ALT_NAMES,
    })
    certFile = join(dir, 'cert.pem')
    writeFileSync(certFile, pair.cert)
    writeFileSync(join(dir, 'key.pem'), pair.key)
  })

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('is a valid self-signed certificate for Node, with the key, dates, serial and extensions given', () => {
    expect(pair.cert).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/)
    for (const line of pair.cert.split('\n')) expect(line.length).toBeLessThanOrEqual(64)
    expect(pair.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)

    const x509 = new X509Certificate(pair.cert)
    expect(x509.subject).toBe('CN=sentrypeer')
    expect(x509.issuer).toBe('CN=sentrypeer')
    const key = createPrivateKey(pair.key)
    expect(key.asymmetricKeyType).toBe('rsa')
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(x509.checkPrivateKey(key)).toBe(true)
    expect(x509.verify(x509.publicKey)).toBe(true)
    expect(x509.validFromDate).toEqual(toSecond(NOT_BEFORE))
    expect(x509.validToDate).toEqual(toSecond(NOT_AFTER))
    // Positive: Node prints the serial's DER octets in hex, whose top bit is the sign.
    expect(x509.serialNumber).toMatch(/^[0-7][0-9A-F]*$/)
    expect(BigInt(`0x${x509.serialNumber}`)).toBeGreaterThan(0n)
    expect(x509.subjectAltName).toBe(
      'DNS:sentrypeer, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    )
    expect(x509.ca).toBe(false)
    // Node's keyUsage is the extended key usage: serverAuth.
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1'])
  })

  it('gives every certificate its own random serial and key', async () => {
    const other = await createSelfSignedCertificate({
      commonName: 'sentrypeer',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      rsaKeyBits: 2048,
      altNames: ALT_NAMES,
    })
    const a = new X509Certificate(pair.cert)
    const b = new X509Certificate(other.cert)
    expect(b.serialNumber).not.toBe(a.serialNumber)
    expect(b.fingerprint256).not.toBe(a.fingerprint256)
    expect(a.checkPrivateKey(createPrivateKey(other.key))).toBe(false)
  })

  it('openssl reads the extensions and verifies the certificate against itself', async () => {
    const { stdout: text } = await run('openssl', ['x509', '-noout', '-text', '-in', certFile])
    expect(text).toContain('Version: 3 (0x2)')
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption')
    expect(text).toContain('Public-Key: (2048 bit)')
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment\n/)
    expect(text).toContain('TLS Web Server Authentication')
    expect(text).toContain('CA:FALSE')
    expect(text).toContain('DNS:sentrypeer, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
    // A self-signed certificate is its own trust anchor: openssl accepts it although its keyUsage has no
    // keyCertSign, as TLS clients given it as their CA do.
    const { stdout: verified } = await run('openssl', ['verify', '-CAfile', certFile, certFile])
    expect(verified.trim()).toBe(`${certFile}: OK`)
    const { stdout: checkend } = await run('openssl', ['x509', '-noout', '-checkend', '0', '-in', certFile])
    expect(checkend).toContain('will not expire')
  })

  it('has the subjectKeyIdentifier openssl computes for the same key (RFC 5280 method 1)', async () => {
    const { stdout: ours } = await run('openssl', [
      'x509',
      '-noout',
      '-ext',
      'subjectKeyIdentifier',
      '-in',
      certFile,
    ])
    const theirsFile = join(dir, 'openssl-cert.pem')
    await run('openssl', [
      'req',
      '-new',
      '-x509',
      '-key',
      join(dir, 'key.pem'),
      '-subj',
      '/CN=sentrypeer',
      '-addext',
      'subjectKeyIdentifier=hash',
      '-out',
      theirsFile,
    ])
    const { stdout: theirs } = await run('openssl', [
      'x509',
      '-noout',
      '-ext',
      'subjectKeyIdentifier',
      '-in',
      theirsFile,
    ])
    expect(ours).toMatch(/([0-9A-F]{2}:){19}[0-9A-F]{2}/)
    expect(ours).toBe(theirs)
  })

  it('serves a real TLS handshake, verified by name (localhost) and by IP address (127.0.0.1)', async () => {
    expect(await tlsHandshake(pair, { servername: 'localhost' })).toBe('hello')
    // No servername: the default checkServerIdentity matches the host 127.0.0.1 against the IP SAN.
    expect(await tlsHandshake(pair)).toBe('hello')
    // A name the certificate does not carry is refused, so the checks above did check.
    await expect(tlsHandshake(pair, { servername: 'example.org' })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    })
  })

  it('encodes dates through 2049 as UTCTime and from 2050 as GeneralizedTime (RFC 5280 §4.1.2.5)', async () => {
    const notBefore = new Date('2049-12-31T23:59:59Z')
    const notAfter = new Date('2051-02-03T04:05:06Z')
    const late = await createSelfSignedCertificate({
      commonName: 'late',
      notBefore,
      notAfter,
      rsaKeyBits: 2048,
      altNames: [{ dns: 'localhost' }],
    })
    const x509 = new X509Certificate(late.cert)
    expect(x509.validFromDate).toEqual(notBefore)
    expect(x509.validToDate).toEqual(notAfter)
    const file = join(dir, 'late.pem')
    writeFileSync(file, late.cert)
    const { stdout } = await run('openssl', ['asn1parse', '-in', file])
    expect(stdout).toMatch(/UTCTIME +:491231235959Z/)
    expect(stdout).toMatch(/GENERALIZEDTIME +:20510203040506Z/)
  })

  it('parses IPv6 addresses in every form, and leaves the SAN out when there is none', async () => {
    const ips = await createSelfSignedCertificate({
      commonName: 'ips',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      rsaKeyBits: 2048,
      altNames: [
        { ip: '::' },
        { ip: '2001:db8::ffff:1.2.3.4' },
        { ip: 'fe80::1:0:0:2' },
        { ip: '1:2:3:4:5:6:7:8' },
      ],
    })
    expect(new X509Certificate(ips.cert).subjectAltName).toBe(
      'IP Address:0:0:0:0:0:0:0:0, IP Address:2001:DB8:0:0:0:FFFF:102:304, IP Address:FE80:0:0:0:1:0:0:2, ' +
        'IP Address:1:2:3:4:5:6:7:8',
    )
    const none = await createSelfSignedCertificate({
      commonName: 'none',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      rsaKeyBits: 2048,
      altNames: [],
    })
    expect(new X509Certificate(none.cert).subjectAltName).toBeUndefined()
  })

  it('refuses what it cannot encode', async () => {
    const init = {
      commonName: 'x',
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      rsaKeyBits: 2048,
      altNames: [],
    }
    await expect(createSelfSignedCertificate({ ...init, commonName: 'c'.repeat(65) })).rejects.toThrow(
      RangeError,
    )
    await expect(createSelfSignedCertificate({ ...init, commonName: '' })).rejects.toThrow(RangeError)
    await expect(createSelfSignedCertificate({ ...init, altNames: [{ ip: '300.1.1.1' }] })).rejects.toThrow(
      'not an IP address',
    )
    await expect(createSelfSignedCertificate({ ...init, altNames: [{ ip: 'fe80::1%lo' }] })).rejects.toThrow(
      'not an IP address',
    )
    await expect(
      createSelfSignedCertificate({ ...init, altNames: [{ dns: 'bücher.example' }] }),
    ).rejects.toThrow('ASCII')
    await expect(createSelfSignedCertificate({ ...init, notAfter: new Date('invalid') })).rejects.toThrow(
      'out of range',
    )
  })
})
