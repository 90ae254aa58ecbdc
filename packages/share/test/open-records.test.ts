import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterAll, describe, expect, it } from 'vitest'
import { openRecords } from '../src/open-records.ts'
import { openRecord, signRecord } from '../src/signed-record.ts'
import { VerifyPool } from '../src/verify-pool.ts'
import { observationRules } from './fixtures/observation.ts'

const rules = observationRules('test')
const now = Date.now()
const enc = new TextEncoder()
const key = await generateKeyPair('Ed25519')
const other = await generateKeyPair('Ed25519')

/** A page of 300 envelopes with every kind of refusal in the middle of valid ones. */
async function page(): Promise<{ list: Uint8Array[]; bad: Map<number, string> }> {
  const list: Uint8Array[] = []
  for (let i = 0; i < 300; i++) {
    const s = await signRecord(
      { station: `s-${i}`, reading: i % 90, at: now - i },
      i % 2 ? key : other,
      rules,
    )
    list.push(s.bytes)
  }
  const bad = new Map<number, string>()
  const forged = new Uint8Array(list[150] as Uint8Array)
  forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0x01
  list[150] = forged
  bad.set(150, 'BAD_SIGNATURE')
  // forged signature over a payload that is also invalid: the signature verdict comes first, as in openRecord
  const both = await signRecord({ station: 'x', reading: 1, at: now }, key, rules)
  const tampered = new Uint8Array(both.bytes)
  const at = Buffer.from(tampered).indexOf(enc.encode('"station":"x"')) + '"station":"'.length
  expect(at).toBeGreaterThan(40) // inside the payload, after the collector key
  tampered[at] = 0x21 // station "!" also fails the validator
  list[151] = tampered
  bad.set(151, 'BAD_SIGNATURE')
  list[10] = (await signRecord({ station: 'old', reading: 1, at: now - 8 * 86_400_000 }, key, rules)).bytes
  bad.set(10, 'EXPIRED')
  list[20] = (await signRecord({ station: 'future', reading: 1, at: now + 3_600_000 }, key, rules)).bytes
  bad.set(20, 'FUTURE')
  list[30] = new Uint8Array([9, 9, 9])
  bad.set(30, 'BAD_VERSION')
  list[299] = (list[299] as Uint8Array).subarray(0, 40)
  bad.set(299, 'TRUNCATED')
  return { list, bad }
}

const pool = new VerifyPool({ size: 2, minBatch: 32, maxAttempts: 2 })
afterAll(() => pool.stop())

describe('openRecords', () => {
  it('gives every envelope of a page exactly what openRecord gives, in order, with and without workers', async () => {
    const { list, bad } = await page()
    const single = await Promise.all(list.map((b) => openRecord(b, rules, now)))
    for (const p of [pool, undefined]) {
      const res = await openRecords(list, rules, p, now)
      expect(res).toEqual(single)
      res.forEach((r, i) => {
        const code = bad.get(i)
        if (code === undefined) expect(r.ok, `record ${i}`).toBe(true)
        else expect(r, `record ${i}`).toMatchObject({ ok: false, error: { code } })
      })
    }
  })

  it('accepts an empty page and a page with no parsable envelope', async () => {
    expect(await openRecords([], rules, pool, now)).toEqual([])
    const res = await openRecords([new Uint8Array(0), new Uint8Array([1])], rules, pool, now)
    expect(res.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['TRUNCATED', 'TRUNCATED'])
  })
})
