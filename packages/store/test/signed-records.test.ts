import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_SIGNED_RECORD_BYTES, openStore, type Store } from '../src/index.js'
import { makeEvent, tempDir } from './helpers.js'

const HOUR = 3_600_000

let dir: string
let cleanup: () => void
let store: Store
let clock: { t: number }

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  clock = { t: Date.now() }
  store = openStore({ path: path.join(dir, 'store.db'), pruneIntervalMs: 0, now: () => clock.t })
})
afterEach(async () => {
  await store.close()
  cleanup()
})

function bytes(seed: number, length = 200): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (seed * 31 + i) & 0xff
  return out
}

function hexId(n: number): string {
  return n.toString(16).padStart(32, '0')
}

describe('signed records', () => {
  it('keeps the signed bytes of an event and serves them by time and by IP', async () => {
    const signed = { id: hexId(1), collector: '12D3KooWPeerA', bytes: bytes(1) }
    expect(store.record(makeEvent({ eventTime: clock.t - HOUR, sourceIp: '45.77.0.2', signed }))).toBe(true)
    await store.flush()
    expect(store.hasSignedRecord(hexId(1))).toBe(true)
    expect(store.hasSignedRecord(hexId(2))).toBe(false)
    const since = [...store.signedRecordsSince(clock.t - 2 * HOUR)]
    expect(since).toHaveLength(1)
    expect(since[0]).toMatchObject({ id: hexId(1), ip: '45.77.0.2', collector: '12D3KooWPeerA' })
    expect(since[0]?.collectedAt).toBe(clock.t - HOUR)
    expect(Buffer.from(since[0]!.bytes).equals(Buffer.from(bytes(1)))).toBe(true)
    // [since, until): the record's own time as `until` excludes it, as `since` includes it
    expect([...store.signedRecordsSince(clock.t - 2 * HOUR, clock.t - HOUR)]).toHaveLength(0)
    expect([...store.signedRecordsSince(clock.t - HOUR)]).toHaveLength(1)
    // by IP in any form (IPv4-mapped IPv6 is the same address)
    expect(store.signedRecordsByIp('::ffff:45.77.0.2').map((r) => r.id)).toEqual([hexId(1)])
    expect(store.signedRecordsByIp('45.77.0.3')).toEqual([])
    expect(store.signedRecordsByIp('not an ip')).toEqual([])
    expect(store.signedRecordCount()).toBe(1)
  })

  it('adds the signature of an event recorded before it was signed, without counting a duplicate', async () => {
    const event = makeEvent({ sourceIp: '45.77.0.4' })
    store.record(event)
    await store.flush()
    store.record({ ...event, signed: { id: hexId(3), collector: 'self', bytes: bytes(3) } })
    await store.flush()
    expect(store.stats()).toMatchObject({ inserted: 1, duplicates: 0 })
    expect(store.signedRecordsByIp('45.77.0.4').map((r) => r.eventUuid)).toEqual([event.eventUuid])
    // the same record again is ignored
    store.record({ ...event, signed: { id: hexId(3), collector: 'self', bytes: bytes(3) } })
    await store.flush()
    expect(store.signedRecordCount()).toBe(1)
  })

  it('iterates many records in order across chunks, including equal times', async () => {
    const base = clock.t - 5 * HOUR
    for (let i = 0; i < 2_500; i++) {
      store.record(
        makeEvent({
          eventTime: base + Math.floor(i / 3),
          sourceIp: `45.77.${(i >> 8) & 0xff}.${i & 0xff}`,
          signed: { id: hexId(10_000 + i), collector: `peer-${i % 5}`, bytes: bytes(i, 64) },
        }),
      )
    }
    await store.flush()
    const all = [...store.signedRecordsSince(0)]
    expect(all).toHaveLength(2_500)
    expect(new Set(all.map((r) => r.id)).size).toBe(2_500)
    for (let i = 1; i < all.length; i++) {
      const a = all[i - 1]!
      const b = all[i]!
      expect(a.collectedAt < b.collectedAt || (a.collectedAt === b.collectedAt && a.id < b.id)).toBe(true)
    }
    expect([...store.signedRecordsSince(base + 100, base + 200)]).toHaveLength(300)
  })

  it('refuses malformed signed records and counts them as rejected', () => {
    const bad = [
      { id: 'not-hex', collector: 'p', bytes: bytes(1) },
      { id: hexId(1), collector: '', bytes: bytes(1) },
      { id: hexId(1), collector: 'p', bytes: new Uint8Array(0) },
      { id: hexId(1), collector: 'p', bytes: new Uint8Array(MAX_SIGNED_RECORD_BYTES + 1) },
      { id: hexId(1), collector: 'p', bytes: 'text' as unknown as Uint8Array },
    ]
    for (const signed of bad) expect(store.record(makeEvent({ signed }))).toBe(false)
    expect(store.stats().rejected).toBe(bad.length)
  })

  it('prunes signed records with their events', async () => {
    store.record(makeEvent({ eventTime: clock.t, signed: { id: hexId(5), collector: 'p', bytes: bytes(5) } }))
    await store.flush()
    clock.t += store.maxAgeMs + 1
    expect(store.hasSignedRecord(hexId(5))).toBe(false)
    store.prune()
    await store.close()
    const db = new Database(path.join(dir, 'store.db'), { readonly: true })
    expect(db.prepare('SELECT count(*) FROM signed_records').pluck().get()).toBe(0)
    db.close()
  })
})
