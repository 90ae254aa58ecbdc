import { createHash, generateKeyPair, randomBytes, sign } from 'node:crypto'
import { isIP } from 'node:net'
import { promisify } from 'node:util'

const generateKeyPairAsync = promisify(generateKeyPair)

// DER identifier octets (ITU-T X.690 §8, universal tags of X.680 §8.6).
const TAG_BOOLEAN = 0x01
const TAG_INTEGER = 0x02
const TAG_BIT_STRING = 0x03
const TAG_OCTET_STRING = 0x04
const TAG_NULL = 0x05
const TAG_OID = 0x06
const TAG_UTF8_STRING = 0x0c
const TAG_UTC_TIME = 0x17
const TAG_GENERALIZED_TIME = 0x18
const TAG_SEQUENCE = 0x30
const TAG_SET = 0x31
/** Context-specific, constructed [0]: TBSCertificate.version (RFC 5280 §4.1). */
const TAG_CONTEXT_0 = 0xa0
/** Context-specific, constructed [3]: TBSCertificate.extensions (RFC 5280 §4.1). */
const TAG_CONTEXT_3 = 0xa3
/** GeneralName dNSName [2] IA5String, implicit and so primitive (RFC 5280 §4.2.1.6). */
const TAG_GENERAL_NAME_DNS = 0x82
/** GeneralName iPAddress [7] OCTET STRING, implicit and so primitive (RFC 5280 §4.2.1.6). */
const TAG_GENERAL_NAME_IP = 0x87

/** Largest length in the short form: one octet, bit 8 clear (X.690 §8.1.3.4). */
const DER_SHORT_LENGTH_MAX = 0x7f
/** Bit 8 of the first length octet marks the long form; bits 7-1 count the octets that follow (§8.1.3.5). */
const DER_LONG_LENGTH_FLAG = 0x80
/** Bit 8 of the first contents octet of an INTEGER is its sign (X.690 §8.3.3). */
const INTEGER_SIGN_BIT = 0x80
/** Values per octet, for base-256 lengths. */
const OCTET_VALUES = 256
/** DER BOOLEAN TRUE is all ones (X.690 §11.1). */
const DER_TRUE = 0xff
/** Sub-identifiers of an OID are base 128, bit 8 set on every octet but the last (X.690 §8.19.2). */
const OID_BASE = 0x80
/** The first two arcs share one sub-identifier: 40 * first + second (X.690 §8.19.4). */
const OID_FIRST_ARC_FACTOR = 40

/** X.509 v3 is encoded as the INTEGER 2 (RFC 5280 §4.1.2.1). */
const X509_VERSION_3 = 2
/** Octets of the random serial number; RFC 5280 §4.1.2.2 allows at most 20 and a positive value. */
const SERIAL_BYTES = 16
/** Upper bound of a commonName, ub-common-name (RFC 5280 appendix A.1). */
const MAX_COMMON_NAME_LENGTH = 64
/** Last year encoded as UTCTime; from 2050 on GeneralizedTime (RFC 5280 §4.1.2.5). */
const UTC_TIME_LAST_YEAR = 2049
/** First year UTCTime can express (two-digit years 50-99 are 1950-1999, RFC 5280 §4.1.2.5.1). */
const UTC_TIME_FIRST_YEAR = 1950
/** GeneralizedTime has a four-digit year (RFC 5280 §4.1.2.5.2). */
const GENERALIZED_TIME_LAST_YEAR = 9999
/** Octets of an iPAddress GeneralName: 4 for IPv4, 16 for IPv6 (RFC 5280 §4.2.1.6). */
const IPV4_BYTES = 4
const IPV6_BYTES = 16
/** 16-bit groups of an IPv6 address (RFC 4291 §2.2). */
const IPV6_GROUPS = 8
/** Base64 characters per PEM line (RFC 7468 §2). */
const PEM_LINE_LENGTH = 64
/** Highest character of IA5String, which a dNSName is (RFC 5280 §4.2.1.6): ASCII. */
const IA5_MAX_CHAR_CODE = 0x7f

// Object identifiers.
/** sha256WithRSAEncryption (RFC 4055 §5, RFC 8017 appendix A.2.4). */
const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11'
/** id-at-commonName (RFC 5280 appendix A.1). */
const OID_COMMON_NAME = '2.5.4.3'
/** id-ce-subjectKeyIdentifier (RFC 5280 §4.2.1.2). */
const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14'
/** id-ce-keyUsage (RFC 5280 §4.2.1.3). */
const OID_KEY_USAGE = '2.5.29.15'
/** id-ce-subjectAltName (RFC 5280 §4.2.1.6). */
const OID_SUBJECT_ALT_NAME = '2.5.29.17'
/** id-ce-basicConstraints (RFC 5280 §4.2.1.9). */
const OID_BASIC_CONSTRAINTS = '2.5.29.19'
/** id-ce-extKeyUsage (RFC 5280 §4.2.1.12). */
const OID_EXT_KEY_USAGE = '2.5.29.37'
/** id-kp-serverAuth (RFC 5280 §4.2.1.12). */
const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1'

/**
 * KeyUsage digitalSignature (bit 0) and keyEncipherment (bit 2) as a DER named-bit BIT STRING: trailing
 * zero bits dropped (X.690 §11.2.2), so one octet 1010 0000 with 5 unused bits (RFC 5280 §4.2.1.3).
 */
const KEY_USAGE_BITS = Buffer.from([0b1010_0000])
const KEY_USAGE_UNUSED_BITS = 5

/** One subjectAltName entry: a DNS name or an IPv4/IPv6 address. */
export type SubjectAltName = { dns: string } | { ip: string }

export interface SelfSignedCertificateInit {
  /** Subject and issuer common name (at most 64 characters). */
  commonName: string
  /** Start of validity; encoded to the second (fractions are dropped). */
  notBefore: Date
  /** End of validity; encoded to the second (fractions are dropped). */
  notAfter: Date
  /** RSA modulus length in bits. */
  rsaKeyBits: number
  /** subjectAltName entries, in order; the extension is left out when empty. */
  altNames: readonly SubjectAltName[]
}

export interface SelfSignedCertificate {
  /** PEM certificate ("CERTIFICATE"). */
  cert: string
  /** PEM private key, PKCS#8 ("PRIVATE KEY"), unencrypted. */
  key: string
}

/** A DER TLV: tag, definite length (short or long form), contents. */
function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents)
  let length: Buffer
  if (body.length <= DER_SHORT_LENGTH_MAX) {
    length = Buffer.from([body.length])
  } else {
    const octets: number[] = []
    for (let n = body.length; n > 0; n = Math.floor(n / OCTET_VALUES)) octets.unshift(n % OCTET_VALUES)
    length = Buffer.from([DER_LONG_LENGTH_FLAG | octets.length, ...octets])
  }
  return Buffer.concat([Buffer.from([tag]), length, body])
}

const sequence = (...items: Buffer[]): Buffer => der(TAG_SEQUENCE, ...items)

/** A non-negative INTEGER from big-endian octets, in the fewest octets (X.690 §8.3.2). */
function integer(value: Buffer | number): Buffer {
  let bytes = typeof value === 'number' ? Buffer.from([value]) : value
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  bytes = bytes.subarray(start)
  // A set top bit would read as negative: prefix a zero octet.
  if ((bytes[0] ?? 0) & INTEGER_SIGN_BIT) bytes = Buffer.concat([Buffer.from([0]), bytes])
  return der(TAG_INTEGER, bytes)
}

function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return der(TAG_BIT_STRING, Buffer.from([unusedBits]), bytes)
}

const octetString = (bytes: Buffer): Buffer => der(TAG_OCTET_STRING, bytes)

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const [first, second, ...rest] = arcs
  if (first === undefined || second === undefined || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) {
    throw new RangeError(`not an object identifier: ${dotted}`)
  }
  const out: number[] = []
  for (const arc of [first * OID_FIRST_ARC_FACTOR + second, ...rest]) {
    const septets = [arc % OID_BASE]
    for (let n = Math.floor(arc / OID_BASE); n > 0; n = Math.floor(n / OID_BASE)) {
      septets.unshift((n % OID_BASE) | OID_BASE)
    }
    out.push(...septets)
  }
  return der(TAG_OID, Buffer.from(out))
}

const two = (n: number): string => String(n).padStart(2, '0')

/** UTCTime through 2049, GeneralizedTime from 2050, both in UTC with seconds and no fraction. */
function time(date: Date): Buffer {
  const year = date.getUTCFullYear()
  if (!Number.isFinite(date.getTime()) || year < 0 || year > GENERALIZED_TIME_LAST_YEAR) {
    throw new RangeError(`certificate date out of range: ${String(date)}`)
  }
  const rest =
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z'
  if (year >= UTC_TIME_FIRST_YEAR && year <= UTC_TIME_LAST_YEAR) {
    return der(TAG_UTC_TIME, Buffer.from(two(year % 100) + rest, 'ascii'))
  }
  return der(TAG_GENERALIZED_TIME, Buffer.from(String(year).padStart(4, '0') + rest, 'ascii'))
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName, here the single RDN CN=<commonName>. */
function commonNameName(commonName: string): Buffer {
  return sequence(
    der(TAG_SET, sequence(oid(OID_COMMON_NAME), der(TAG_UTF8_STRING, Buffer.from(commonName, 'utf8')))),
  )
}

/** The 4 or 16 octets of an IPv4 or IPv6 address in text form. */
function ipBytes(ip: string): Buffer {
  const family = ip.includes('%') ? 0 : isIP(ip)
  if (family === 4) return Buffer.from(ip.split('.').map(Number))
  if (family !== 6) throw new RangeError(`not an IP address: ${ip}`)
  const groups = (part: string): number[] => {
    if (part === '') return []
    const out: number[] = []
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        // An IPv4 tail (RFC 4291 §2.2, form 3) is the last two groups.
        const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number)
        out.push((a << 8) | b, (c << 8) | d)
      } else {
        out.push(Number.parseInt(group, 16))
      }
    }
    return out
  }
  const [head = '', tail] = ip.split('::')
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  const all = [...left, ...new Array<number>(IPV6_GROUPS - left.length - right.length).fill(0), ...right]
  const bytes = Buffer.alloc(IPV6_BYTES)
  all.forEach((group, i) => {
    bytes.writeUInt16BE(group, i * 2)
  })
  return bytes
}

function generalName(name: SubjectAltName): Buffer {
  if ('dns' in name) {
    for (const ch of name.dns) {
      if (ch.charCodeAt(0) > IA5_MAX_CHAR_CODE) {
        throw new RangeError(`a DNS subjectAltName must be ASCII (IA5String): ${name.dns}`)
      }
    }
    return der(TAG_GENERAL_NAME_DNS, Buffer.from(name.dns, 'ascii'))
  }
  const bytes = ipBytes(name.ip)
  if (bytes.length !== IPV4_BYTES && bytes.length !== IPV6_BYTES) throw new RangeError(`bad IP ${name.ip}`)
  return der(TAG_GENERAL_NAME_IP, bytes)
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE (left out when false), extnValue }. */
function extension(id: string, value: Buffer, critical = false): Buffer {
  return sequence(
    oid(id),
    ...(critical ? [der(TAG_BOOLEAN, Buffer.from([DER_TRUE]))] : []),
    octetString(value),
  )
}

/** Start and end offsets of the contents of the DER element at `offset` (definite lengths only). */
function contentsOf(buf: Buffer, offset: number): { start: number; end: number } {
  const first = buf[offset + 1]
  if (first === undefined) throw new RangeError('truncated DER')
  if (first <= DER_SHORT_LENGTH_MAX) return { start: offset + 2, end: offset + 2 + first }
  const count = first & DER_SHORT_LENGTH_MAX
  let length = 0
  for (let i = 0; i < count; i++) length = length * OCTET_VALUES + (buf[offset + 2 + i] ?? 0)
  return { start: offset + 2 + count, end: offset + 2 + count + length }
}

/**
 * The subjectPublicKey bits of a DER SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING }, without
 * the unused-bits octet: what a key identifier hashes (RFC 5280 §4.2.1.2, method 1).
 */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  const outer = contentsOf(spki, 0)
  const algorithm = contentsOf(spki, outer.start)
  const bits = contentsOf(spki, algorithm.end)
  if (spki[algorithm.end] !== TAG_BIT_STRING) throw new RangeError('unexpected SubjectPublicKeyInfo')
  return spki.subarray(bits.start + 1, bits.end)
}

/** A positive, non-zero random serial number of `SERIAL_BYTES` octets at most. */
function randomSerial(): Buffer {
  for (;;) {
    const serial = randomBytes(SERIAL_BYTES)
    serial[0] = (serial[0] ?? 0) & ~INTEGER_SIGN_BIT
    if (serial.some((b) => b !== 0)) return serial
  }
}

function pem(label: string, bytes: Buffer): string {
  const lines = bytes.toString('base64').match(new RegExp(`.{1,${PEM_LINE_LENGTH}}`, 'g')) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/**
 * Generates an RSA key pair (off the event loop) and a self-signed X.509 v3 certificate for a TLS server,
 * signed with sha256WithRSAEncryption, with node:crypto alone: subject = issuer = CN=`commonName`, a random
 * serial, and the extensions basicConstraints cA=false, keyUsage digitalSignature + keyEncipherment
 * (critical), extKeyUsage serverAuth, subjectKeyIdentifier and subjectAltName `altNames`. Throws a
 * `RangeError` for a date past 9999, a common name over 64 characters, a non-ASCII DNS name or a bad IP.
 *
 * @example
 * ```ts
 * const { cert, key } = await createSelfSignedCertificate({
 *   commonName: 'sentrypeer',
 *   notBefore: new Date(),
 *   notAfter: new Date(Date.now() + 365 * 86_400_000),
 *   rsaKeyBits: 2048,
 *   altNames: [{ dns: 'localhost' }, { ip: '127.0.0.1' }, { ip: '::1' }],
 * })
 * tls.createServer({ cert, key })
 * ```
 */
export async function createSelfSignedCertificate(
  init: SelfSignedCertificateInit,
): Promise<SelfSignedCertificate> {
  if (init.commonName.length === 0 || init.commonName.length > MAX_COMMON_NAME_LENGTH) {
    throw new RangeError(`the common name must have 1 to ${MAX_COMMON_NAME_LENGTH} characters`)
  }
  // Everything that can be refused is encoded before the (slow) key generation.
  const name = commonNameName(init.commonName)
  const validity = sequence(time(init.notBefore), time(init.notAfter))
  const altNames = init.altNames.map(generalName)
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', { modulusLength: init.rsaKeyBits })
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const signatureAlgorithm = sequence(oid(OID_SHA256_WITH_RSA), der(TAG_NULL))
  const extensions = [
    extension(OID_BASIC_CONSTRAINTS, sequence()), // cA DEFAULT FALSE is left out in DER
    extension(OID_KEY_USAGE, bitString(KEY_USAGE_BITS, KEY_USAGE_UNUSED_BITS), true),
    extension(OID_EXT_KEY_USAGE, sequence(oid(OID_SERVER_AUTH))),
    extension(
      OID_SUBJECT_KEY_IDENTIFIER,
      octetString(createHash('sha1').update(subjectPublicKeyBits(spki)).digest()),
    ),
    ...(altNames.length > 0 ? [extension(OID_SUBJECT_ALT_NAME, sequence(...altNames))] : []),
  ]
  const tbs = sequence(
    der(TAG_CONTEXT_0, integer(X509_VERSION_3)),
    integer(randomSerial()),
    signatureAlgorithm,
    name,
    validity,
    name,
    spki,
    der(TAG_CONTEXT_3, sequence(...extensions)),
  )
  const signature = sign('sha256', tbs, privateKey)
  return {
    cert: pem('CERTIFICATE', sequence(tbs, signatureAlgorithm, bitString(signature))),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  }
}
