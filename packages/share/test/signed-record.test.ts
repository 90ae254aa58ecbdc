import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { InvalidRecordError, openRecord, signRecord } from '../src/index.ts'
import { type Observation, observationCodec, observationRules } from './fixtures/observation.ts'

const rules = observationRules('test')

const key = await generateKeyPair('Ed25519')
const now = Date.now()
const obs: Observation = { station: 'north-1', reading: 12.5, at: now }

describe('signRecord / openRecord', () => {
  it('round-trips a record and names its collector', async () => {
    const signed = await signRecord(obs, key, rules)
    expect(signed.collector).toBe(peerIdFromPrivateKey(key).toString())
    expect(signed.id).toMatch(/^[0-9a-f]{32}$/)
    const res = await openRecord(signed.bytes, rules, now)
    expect(res.ok).toBe(true)
    if (!res.ok) return
    expect(res.signed.record).toEqual(obs)
    expect(res.signed.id).toBe(signed.id)
    expect(res.signed.key).toBe('north-1')
  })

  it('gives the same id and bytes when the same record is signed twice (deterministic Ed25519)', async () => {
    const a = await signRecord(obs, key, rules)
    const b = await signRecord(obs, key, rules)
    expect(b.id).toBe(a.id)
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true)
  })

  it('refuses every single-bit change of the envelope', async () => {
    const signed = await signRecord(obs, key, rules)
    for (let i = 0; i < signed.bytes.length; i++) {
      const bytes = new Uint8Array(signed.bytes)
      bytes[i] = (bytes[i] ?? 0) ^ 0x01
      const res = await openRecord(bytes, rules, now)
      expect(res.ok, `bit flip at ${i}`).toBe(false)
    }
  })

  it('refuses a signature made for another namespace', async () => {
    const signed = await signRecord(obs, key, { ...rules, namespace: 'other' })
    const res = await openRecord(signed.bytes, rules, now)
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_SIGNATURE' } })
  })

  it('refuses records from the future and records older than the maximum age', async () => {
    const future = await signRecord({ ...obs, at: now + 60 * 60_000 }, key, rules)
    expect(await openRecord(future.bytes, rules, now)).toMatchObject({ ok: false, error: { code: 'FUTURE' } })
    const old = await signRecord({ ...obs, at: now - 8 * 24 * 3_600_000 }, key, rules)
    expect(await openRecord(old.bytes, rules, now)).toMatchObject({ ok: false, error: { code: 'EXPIRED' } })
    expect((await openRecord(old.bytes, { ...rules, maxAgeMs: 9 * 24 * 3_600_000 }, now)).ok).toBe(true)
  })

  it('runs the application validator on received records', async () => {
    const signed = await signRecord(obs, key, rules)
    const strict = { ...rules, validate: () => ({ ok: false as const, reason: 'not today' }) }
    expect(await openRecord(signed.bytes, strict, now)).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'not today' },
    })
  })

  it('refuses a payload that is not in canonical encoding', async () => {
    // a codec that accepts whitespace on decode but never produces it
    const loose = {
      ...rules,
      codec: {
        ...observationCodec,
        encode: (r: Observation) => new TextEncoder().encode(` ${JSON.stringify(r)}`),
      },
    }
    const signed = await signRecord(obs, key, loose)
    expect(await openRecord(signed.bytes, rules, now)).toMatchObject({
      ok: false,
      error: { code: 'NON_CANONICAL' },
    })
  })

  it('refuses oversized records before looking at them, and refuses to sign them', async () => {
    const signed = await signRecord(obs, key, rules)
    expect(await openRecord(signed.bytes, { ...rules, maxRecordBytes: 50 }, now)).toMatchObject({
      ok: false,
      error: { code: 'TOO_LARGE' },
    })
    await expect(signRecord(obs, key, { ...rules, maxRecordBytes: 50 })).rejects.toBeInstanceOf(
      InvalidRecordError,
    )
    await expect(signRecord({ ...obs, station: 'Bad Name' }, key, rules)).rejects.toMatchObject({
      code: 'INVALID_RECORD',
    })
  })

  it('never throws on junk: random bytes, truncations and empty input give a result', async () => {
    const signed = await signRecord(obs, key, rules)
    const inputs: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array([1]),
      new Uint8Array([1, 0xff, 0xff, 0xff]),
    ]
    for (let i = 0; i < signed.bytes.length; i++) inputs.push(signed.bytes.subarray(0, i))
    for (let i = 0; i < 500; i++) inputs.push(randomBytes(Math.floor(Math.random() * 200)))
    for (let i = 0; i < 200; i++) {
      const b = new Uint8Array(signed.bytes)
      b[1 + Math.floor(Math.random() * (b.length - 1))] = Math.floor(Math.random() * 256)
      inputs.push(b)
    }
    for (const bytes of inputs) {
      const res = await openRecord(bytes, rules, now)
      if (Buffer.from(bytes).equals(Buffer.from(signed.bytes))) continue
      expect(res.ok).toBe(false)
      if (!res.ok) {
        expect(typeof res.error.code).toBe('string')
        expect(res.error.offset).toBeGreaterThanOrEqual(0)
      }
    }
  })
})
