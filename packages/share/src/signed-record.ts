import { createHash } from 'node:crypto'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import {
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  DEFAULT_MAX_RECORD_BYTES,
  MAX_CACHED_SIGNING_DOMAINS,
} from './constants.ts'
import { InvalidRecordError, type RecordError, type RecordErrorCode } from './errors.ts'
import { evictOldest } from './evict-oldest.ts'
import type { RecordCodec, SignedRecord, ValidationResult } from './index.ts'
import { readVarint, varintLength, writeVarint } from './varint.ts'
import { verifyEd25519 } from './verify-ed25519.ts'

/** Envelope format version (first byte of every envelope). */
export const ENVELOPE_VERSION = 1

/** What `signRecord` and `openRecord` need to know about the application's records. */
export interface RecordRules<R> {
  namespace: string
  codec: RecordCodec<R>
  key(record: R): string
  collectedAt(record: R): number
  validate(record: R): ValidationResult
  maxRecordBytes?: number
  maxAgeMs?: number
  maxFutureSkewMs?: number
}

/** Result of `openRecord`: the verified record, or why it was refused. */
export type OpenResult<R> = { ok: true; signed: SignedRecord<R> } | { ok: false; error: RecordError }

const encoder = new TextEncoder()

/** Signature domain separators by namespace (a node uses one; the map stays tiny). */
const domains = new Map<string, Uint8Array>()

function domainOf(namespace: string): Uint8Array {
  let d = domains.get(namespace)
  if (d === undefined) {
    const text = encoder.encode(`/${namespace}/share/record/1.0.0`)
    d = new Uint8Array(text.length + 1)
    d.set(text, 0) // then a 0 byte
    if (domains.size >= MAX_CACHED_SIGNING_DOMAINS) domains.clear()
    domains.set(namespace, d)
  }
  return d
}

/** The bytes a collector signs: a domain separator bound to the namespace, then the unsigned envelope. */
function signingInput(namespace: string, unsigned: Uint8Array): Uint8Array {
  const domain = domainOf(namespace)
  const out = new Uint8Array(domain.length + unsigned.length)
  out.set(domain, 0)
  out.set(unsigned, domain.length)
  return out
}

/** Record id: the first 16 bytes of the SHA-256 of the signing input, in hex. */
export function recordId(input: Uint8Array): string {
  return createHash('sha256').update(input).digest().toString('hex', 0, 16)
}

function fail(code: RecordErrorCode, offset: number, message: string): { ok: false; error: RecordError } {
  return { ok: false, error: { code, offset, message } }
}

/**
 * Signs `record` as collected by the owner of `privateKey` and returns the envelope and its metadata.
 * Throws `InvalidRecordError` when the application's validator rejects the record or it is too large:
 * the caller owns the record, so that is a programming error, not hostile input.
 *
 * @example
 * ```ts
 * const signed = await signRecord(record, privateKey, rules)
 * socket.send(signed.bytes)
 * ```
 */
export async function signRecord<R>(
  record: R,
  privateKey: PrivateKey,
  rules: RecordRules<R>,
): Promise<SignedRecord<R>> {
  const check = rules.validate(record)
  if (!check.ok)
    throw new InvalidRecordError(check.reason, `record rejected by the validator: ${check.reason}`)
  const payload = rules.codec.encode(record)
  const key = publicKeyToProtobuf(privateKey.publicKey)
  const unsignedLength =
    1 + varintLength(key.length) + key.length + varintLength(payload.length) + payload.length
  const unsigned = new Uint8Array(unsignedLength)
  let o = 0
  unsigned[o++] = ENVELOPE_VERSION
  o = writeVarint(key.length, unsigned, o)
  unsigned.set(key, o)
  o += key.length
  o = writeVarint(payload.length, unsigned, o)
  unsigned.set(payload, o)
  const input = signingInput(rules.namespace, unsigned)
  const signature = await privateKey.sign(input)
  const bytes = new Uint8Array(unsignedLength + varintLength(signature.length) + signature.length)
  bytes.set(unsigned, 0)
  o = writeVarint(signature.length, bytes, unsignedLength)
  bytes.set(signature, o)
  const max = rules.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES
  if (bytes.length > max) {
    throw new InvalidRecordError('TOO_LARGE', `signed record is ${bytes.length} bytes, the limit is ${max}`)
  }
  return {
    id: recordId(input),
    record,
    key: rules.key(record),
    collectedAt: rules.collectedAt(record),
    collector: peerIdFromPublicKey(privateKey.publicKey).toString(),
    bytes,
  }
}

/** Collector keys seen recently: parsing a key and deriving its peer id costs more than a signature check. */
const MAX_CACHED_COLLECTORS = 4096
const collectors = new Map<string, { raw: Uint8Array; peerId: string }>()

/** Parses a collector key (libp2p protobuf, Ed25519 only, canonical); a string says why it is refused. */
function collectorKey(keyBytes: Uint8Array): { raw: Uint8Array; peerId: string } | string {
  const id = Buffer.from(keyBytes.buffer, keyBytes.byteOffset, keyBytes.length).toString('hex')
  const hit = collectors.get(id)
  if (hit !== undefined) return hit
  let publicKey: ReturnType<typeof publicKeyFromProtobuf>
  try {
    publicKey = publicKeyFromProtobuf(keyBytes)
  } catch {
    return 'collector key is not a libp2p public key'
  }
  if (publicKey.type !== 'Ed25519') return `collector key type ${publicKey.type}`
  if (!sameBytes(publicKeyToProtobuf(publicKey), keyBytes)) return 'collector key is not canonically encoded'
  const entry = { raw: publicKey.raw, peerId: peerIdFromPublicKey(publicKey).toString() }
  evictOldest(collectors, MAX_CACHED_COLLECTORS)
  collectors.set(id, entry)
  return entry
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** An envelope whose format and collector key are valid; its signature is not checked yet. */
export interface ParsedEnvelope {
  bytes: Uint8Array
  /** Raw 32-byte Ed25519 public key of the collector. */
  publicKey: Uint8Array
  collector: string
  payload: Uint8Array
  payloadAt: number
  signatureAt: number
  signature: Uint8Array
  /** The signed bytes (domain separator + unsigned envelope). */
  input: Uint8Array
}

/** Result of `parseEnvelope`. */
export type ParseResult = { ok: true; envelope: ParsedEnvelope } | { ok: false; error: RecordError }

/** Step 1 of `openRecord`: size, format and collector key. Never throws. */
export function parseEnvelope<R>(bytes: Uint8Array, rules: RecordRules<R>): ParseResult {
  const max = rules.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES
  if (bytes.length > max)
    return fail('TOO_LARGE', max, `record is ${bytes.length} bytes, the limit is ${max}`)
  if (bytes.length === 0) return fail('TRUNCATED', 0, 'empty record')
  if (bytes[0] !== ENVELOPE_VERSION) return fail('BAD_VERSION', 0, `unknown envelope version ${bytes[0]}`)
  const keyLen = readVarint(bytes, 1)
  if (keyLen === undefined || keyLen.next + keyLen.value > bytes.length) {
    return fail('TRUNCATED', 1, 'collector key length runs past the end')
  }
  const keyBytes = bytes.subarray(keyLen.next, keyLen.next + keyLen.value)
  const collector = collectorKey(keyBytes)
  if (typeof collector === 'string') return fail('BAD_KEY', keyLen.next, collector)
  const payloadAt = keyLen.next + keyLen.value
  const payloadLen = readVarint(bytes, payloadAt)
  if (payloadLen === undefined || payloadLen.next + payloadLen.value > bytes.length) {
    return fail('TRUNCATED', payloadAt, 'payload length runs past the end')
  }
  const sigAt = payloadLen.next + payloadLen.value
  const sigLen = readVarint(bytes, sigAt)
  if (sigLen === undefined || sigLen.next + sigLen.value !== bytes.length) {
    return fail('TRUNCATED', sigAt, 'signature length does not end the record')
  }
  return {
    ok: true,
    envelope: {
      bytes,
      publicKey: collector.raw,
      collector: collector.peerId,
      payload: bytes.subarray(payloadLen.next, sigAt),
      payloadAt: payloadLen.next,
      signatureAt: sigLen.next,
      signature: bytes.subarray(sigLen.next),
      input: signingInput(rules.namespace, bytes.subarray(0, sigAt)),
    },
  }
}

/** A record whose payload passed the codec, canonical and validator checks (step 3 of `openRecord`). */
export type CheckResult<R> =
  | { ok: true; record: R; key: string; collectedAt: number }
  | { ok: false; error: RecordError }

/**
 * Step 3 of `openRecord`: decode, canonical re-encoding, the application's validator and the time window.
 * Independent of the signature, so it can run while the signature is checked elsewhere; its result
 * counts only once the signature verified. Never throws.
 */
export function checkPayload<R>(
  envelope: ParsedEnvelope,
  rules: RecordRules<R>,
  now: number,
): CheckResult<R> {
  const { payload, payloadAt } = envelope
  let record: R
  try {
    record = rules.codec.decode(payload)
  } catch (err) {
    return fail('UNDECODABLE', payloadAt, `payload does not decode: ${(err as Error).message}`)
  }
  let canonical: Uint8Array
  try {
    canonical = rules.codec.encode(record)
  } catch (err) {
    return fail('UNDECODABLE', payloadAt, `payload does not re-encode: ${(err as Error).message}`)
  }
  if (!sameBytes(canonical, payload)) return fail('NON_CANONICAL', payloadAt, 'payload is not canonical')
  let check: ValidationResult
  let key: string
  let collectedAt: number
  try {
    check = rules.validate(record)
    key = rules.key(record)
    collectedAt = rules.collectedAt(record)
  } catch (err) {
    return fail('INVALID', payloadAt, `validator threw: ${(err as Error).message}`)
  }
  if (!check.ok) return fail('INVALID', payloadAt, check.reason)
  if (!Number.isFinite(collectedAt)) return fail('INVALID', payloadAt, 'collection time is not a number')
  const skew = rules.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS
  if (collectedAt > now + skew) return fail('FUTURE', payloadAt, 'collection time is in the future')
  const maxAge = rules.maxAgeMs ?? DEFAULT_MAX_AGE_MS
  if (collectedAt < now - maxAge) return fail('EXPIRED', payloadAt, 'record is older than the maximum age')
  return { ok: true, record, key, collectedAt }
}

/** Combines the three steps' results in `openRecord`'s order of checks. */
export function openedRecord<R>(
  envelope: ParsedEnvelope,
  signatureOk: boolean,
  checked: CheckResult<R>,
  id: string,
): OpenResult<R> {
  if (!signatureOk) return fail('BAD_SIGNATURE', envelope.signatureAt, 'signature does not verify')
  if (!checked.ok) return checked
  return {
    ok: true,
    signed: {
      id,
      record: checked.record,
      key: checked.key,
      collectedAt: checked.collectedAt,
      collector: envelope.collector,
      bytes: envelope.bytes,
    },
  }
}

/**
 * Parses and verifies an envelope received from anyone: size, format, the collector's Ed25519 signature,
 * the payload's canonical encoding, the collection time window and the application's validator.
 * Never throws; the result says why a record was refused.
 *
 * @example
 * ```ts
 * const result = await openRecord(bytes, rules)
 * if (result.ok) store(result.signed)
 * else console.log(result.error.code)
 * ```
 */
export async function openRecord<R>(
  bytes: Uint8Array,
  rules: RecordRules<R>,
  now = Date.now(),
): Promise<OpenResult<R>> {
  const parsed = parseEnvelope(bytes, rules)
  if (!parsed.ok) return parsed
  const e = parsed.envelope
  if (!verifyEd25519(e.publicKey, e.input, e.signature))
    return fail('BAD_SIGNATURE', e.signatureAt, 'signature does not verify')
  return openedRecord(e, true, checkPayload(e, rules, now), recordId(e.input))
}
