import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  InvalidOptionError,
  ITERATE_CHUNK,
  openStore,
  type Store,
  StoreClosedError,
  type StoreInit,
} from '../src/index.js'
import { makeEvent, tempDir, until } from './helpers.js'

let dir: string
let cleanup: () => void
const open: Store[] = []
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
})
afterEach(async () => {
  for (const store of open.splice(0)) await store.close()
  cleanup()
})

function storeAt(init: Partial<StoreInit> = {}): { store: Store; file: string } {
  const file = path.join(dir, 'store.db')
  const store = openStore({ path: file, ...init })
  open.push(store)
  return { store, file }
}

function readOnly(file: string): Database.Database {
  return new Database(file, { readonly: true })
}

describe('openStore: writes', () => {
  it('stores every column of an event as given (IPs normalised)', async () => {
    const { store, file } = storeAt()
    const event = makeEvent({
      sourceIp: '::ffff:203.0.113.9',
      destinationIp: '2001:DB8::5',
      transport: 'tls',
      collectionMode: 'responsive',
      origin: '12D3KooWPeer',
      collectorNodeId: 'node-remote',
    })
    expect(store.record(event)).toBe(true)
    await store.flush()
    const db = readOnly(file)
    const row = db.prepare('SELECT * FROM events').get()
    db.close()
    expect(row).toEqual({
      id: 1,
      event_time: event.eventTime,
      event_uuid: event.eventUuid,
      source_ip: '203.0.113.9',
      source_port: 5071,
      source_family: 4,
      destination_ip: '2001:db8::5',
      destination_port: 5060,
      transport: 'tls',
      method: 'INVITE',
      called_number_raw: event.calledNumberRaw,
      called_number: '+442079460000',
      user_agent: 'friendly-scanner',
      call_id: event.callId,
      raw_message: event.rawMessage,
      collection_mode: 'responsive',
      collector_node_id: 'node-remote',
      origin: '12D3KooWPeer',
      expires_at: event.eventTime + 7 * 24 * 3600 * 1000,
    })
  })

  it('stores absent optional fields as NULL and bounds the raw message', async () => {
    const { store, file } = storeAt({ rawMessageMaxBytes: 16 })
    store.record(
      makeEvent({ userAgent: undefined, callId: undefined, rawMessage: 'OPTIONS sip:100@192.0.2.1 SIP/2.0' }),
    )
    store.record(makeEvent({ userAgent: undefined, callId: undefined, rawMessage: undefined }))
    await store.flush()
    const db = readOnly(file)
    const rows = db.prepare('SELECT user_agent, call_id, raw_message FROM events ORDER BY id').all()
    db.close()
    expect(rows).toEqual([
      { user_agent: null, call_id: null, raw_message: 'OPTIONS sip:100@' },
      { user_agent: null, call_id: null, raw_message: null },
    ])
    expect(store.stats().truncated).toBe(1)
  })

  it('never stores the same event UUID twice', async () => {
    const { store, file } = storeAt()
    const event = makeEvent()
    store.record(event)
    store.record(event)
    await store.flush()
    store.record({ ...event, sourceIp: '198.51.100.1' })
    await store.flush()
    const db = readOnly(file)
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1)
    expect(db.prepare('SELECT seen_count FROM ips WHERE ip = ?').pluck().get('203.0.113.7')).toBe(1)
    expect(db.prepare('SELECT count(*) FROM ips').pluck().get()).toBe(1)
    db.close()
    expect(store.stats()).toMatchObject({ accepted: 3, inserted: 1, duplicates: 2 })
  })

  it('rejects and counts invalid events without throwing', async () => {
    const { store } = storeAt()
    expect(store.record(makeEvent({ sourceIp: 'bogus' }))).toBe(false)
    expect(store.record(null as never)).toBe(false)
    expect(store.record(makeEvent({ transport: 'ws' as never }))).toBe(false)
    expect(store.stats()).toMatchObject({ rejected: 3, accepted: 0, queueDepth: 0 })
  })

  it('flushes by size: a full batch is written on the next turn of the event loop', async () => {
    const { store } = storeAt({ batchSize: 10, flushIntervalMs: 3_600_000 })
    for (let i = 0; i < 9; i++) store.record(makeEvent())
    await new Promise((resolve) => setImmediate(resolve))
    // Below the batch size and the (one hour) interval: nothing written yet.
    expect(store.stats()).toMatchObject({ queueDepth: 9, flushes: 0 })
    store.record(makeEvent())
    expect(store.stats().queueDepth).toBe(10) // record() itself never writes
    await new Promise((resolve) => setImmediate(resolve))
    expect(store.stats()).toMatchObject({ queueDepth: 0, flushes: 1, inserted: 10, lastFlushSize: 10 })
  })

  it('flushes by time: a single event is written by the interval timer', async () => {
    const { store, file } = storeAt({ batchSize: 512, flushIntervalMs: 5 })
    store.record(makeEvent())
    expect(store.stats().queueDepth).toBe(1)
    await until(() => store.stats().flushes === 1)
    expect(store.stats()).toMatchObject({ queueDepth: 0, inserted: 1 })
    // Visible to another connection: committed, not just buffered.
    const db = readOnly(file)
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1)
    db.close()
  })

  it('writes a large queue in transactions of batchSize', async () => {
    const { store } = storeAt({ batchSize: 100, flushIntervalMs: 3_600_000 })
    for (let i = 0; i < 1050; i++) store.record(makeEvent({ sourceIp: `10.0.${i >> 8}.${i & 255}` }))
    await store.flush()
    expect(store.stats()).toMatchObject({ queueDepth: 0, inserted: 1050, flushes: 11, lastFlushSize: 50 })
  })

  it('drains a deep queue in slices, yielding to the event loop between them', async () => {
    const { store } = storeAt({ batchSize: 10, flushSliceMs: 1, flushIntervalMs: 3_600_000 })
    for (let i = 0; i < 5000; i++) store.record(makeEvent({ sourceIp: `10.2.${i >> 8}.${i & 255}` }))
    await new Promise((resolve) => setImmediate(resolve))
    // 500 transactions cannot all commit within one 1 ms slice: the store gave the loop back mid-queue.
    const depth = store.stats().queueDepth
    expect(depth).toBeGreaterThan(0)
    expect(depth).toBeLessThan(5000)
    await until(() => store.stats().queueDepth === 0)
    expect(store.stats()).toMatchObject({ inserted: 5000, flushes: 500 })
  })

  it('bounds the queue: record() returns false and counts drops when full', async () => {
    const { store } = storeAt({ maxQueue: 5, batchSize: 100, flushIntervalMs: 3_600_000 })
    const results = Array.from({ length: 8 }, () => store.record(makeEvent()))
    expect(results).toEqual([true, true, true, true, true, false, false, false])
    expect(store.stats()).toMatchObject({ queueDepth: 5, dropped: 3, accepted: 5 })
    await store.flush()
    expect(store.record(makeEvent())).toBe(true)
  })

  it('close() flushes the queue; the data is there on reopen', async () => {
    const file = path.join(dir, 'store.db')
    const store = openStore({ path: file, flushIntervalMs: 3_600_000 })
    for (let i = 0; i < 20; i++) store.record(makeEvent())
    expect(store.stats().queueDepth).toBe(20)
    await store.close()
    await store.close() // idempotent
    expect(store.record(makeEvent())).toBe(false)
    expect(() => store.listIps()).toThrow(StoreClosedError)
    const again = openStore({ path: file })
    open.push(again)
    expect(again.lookupIp('203.0.113.7')?.seenCount).toBe(20)
  })

  it('a failed write is reported, retried and not lost (a real lock held by another connection)', async () => {
    const errors: Error[] = []
    const { store, file } = storeAt({
      busyTimeoutMs: 0,
      flushIntervalMs: 3_600_000,
      onError: (error) => errors.push(error),
    })
    const other = new Database(file)
    other.exec('BEGIN IMMEDIATE')
    for (let i = 0; i < 3; i++) store.record(makeEvent())
    await store.flush()
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0]?.message).toMatch(/locked|busy/i)
    expect(store.stats()).toMatchObject({ queueDepth: 3, inserted: 0, lost: 0 })
    expect(store.stats().flushErrors).toBeGreaterThan(0)
    other.exec('ROLLBACK')
    other.close()
    await store.flush()
    expect(store.stats()).toMatchObject({ queueDepth: 0, inserted: 3, lost: 0 })
  })

  it('a batch that keeps failing is given up after maxFlushRetries and counted as lost', async () => {
    const { store, file } = storeAt({ busyTimeoutMs: 0, maxFlushRetries: 1, flushIntervalMs: 3_600_000 })
    const other = new Database(file)
    other.exec('BEGIN IMMEDIATE')
    store.record(makeEvent())
    store.record(makeEvent())
    await store.flush()
    expect(store.stats()).toMatchObject({ queueDepth: 2, lost: 0 })
    await store.flush()
    expect(store.stats()).toMatchObject({ queueDepth: 0, lost: 2, inserted: 0 })
    other.exec('ROLLBACK')
    other.close()
  })

  it('one row the database refuses does not block the rest of its batch', async () => {
    const errors: Error[] = []
    const { store, file } = storeAt({ flushIntervalMs: 3_600_000, onError: (error) => errors.push(error) })
    const other = new Database(file)
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.method = 'BOOM'
      BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`)
    other.close()
    store.record(makeEvent({ sourceIp: '198.51.100.1' }))
    store.record(makeEvent({ method: 'BOOM', sourceIp: '198.51.100.2' }))
    store.record(makeEvent({ sourceIp: '198.51.100.3' }))
    await store.flush()
    expect(errors.map((e) => e.message)).toContain('refused by trigger')
    expect(store.stats()).toMatchObject({ inserted: 2, lost: 1, queueDepth: 0 })
    expect(store.isBadIp('198.51.100.1')).toBe(true)
    expect(store.isBadIp('198.51.100.2')).toBe(false)
    expect(store.isBadIp('198.51.100.3')).toBe(true)
  })

  it('creates a new database with the given page size and keeps an existing one as it is', async () => {
    const file = path.join(dir, 'small-pages.db')
    await openStore({ path: file, pageSize: 1024 }).close()
    await openStore({ path: file, pageSize: 8192 }).close()
    const db = readOnly(file)
    expect(db.pragma('page_size', { simple: true })).toBe(1024)
    db.close()
  })

  it('refuses out-of-range options with a named error', () => {
    for (const init of [
      { batchSize: 0 },
      { maxQueue: -1 },
      { maxAgeMs: 1.5 },
      { path: '' },
      { pageSize: 1000 },
    ]) {
      let error: unknown
      try {
        openStore({ path: path.join(dir, 'x.db'), ...init })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(InvalidOptionError)
      expect((error as InvalidOptionError).code).toBe('INVALID_OPTION')
    }
  })
})

describe('openStore: retention', () => {
  it('renews an IP expiry when it is seen again; prune removes old events, then the IP', async () => {
    let clock = Date.UTC(2026, 0, 1)
    const t0 = clock
    const { store, file } = storeAt({ maxAgeMs: 1000, now: () => clock, pruneIntervalMs: 0 })
    store.record(makeEvent({ eventTime: t0, calledNumberNormalized: '100' }))
    await store.flush()
    expect(store.lookupIp('203.0.113.7')?.expiresAt).toBe(t0 + 1000)
    clock = t0 + 600
    store.record(makeEvent({ eventTime: t0 + 600, calledNumberNormalized: '200' }))
    await store.flush()
    expect(store.lookupIp('203.0.113.7')).toMatchObject({
      firstSeen: t0,
      lastSeen: t0 + 600,
      expiresAt: t0 + 1600,
    })

    clock = t0 + 1200
    expect(store.prune()).toBe(1) // the first event only
    expect(store.isBadIp('203.0.113.7')).toBe(true)
    expect(store.isBadNumber('100')).toBe(false)
    expect(store.isBadNumber('200')).toBe(true)
    const db = readOnly(file)
    expect(db.prepare('SELECT event_time FROM events').pluck().all()).toEqual([t0 + 600])
    expect(db.prepare('SELECT number FROM numbers').pluck().all()).toEqual(['200'])

    // Expired but not yet pruned: the look-ups already say no.
    clock = t0 + 1600
    expect(store.isBadIp('203.0.113.7')).toBe(false)
    expect(store.lookupIp('203.0.113.7')).toBeUndefined()
    const listed = store.listIps()
    expect(listed.ok && listed.value.items).toEqual([])
    expect(store.prune()).toBe(1)
    for (const table of ['events', 'ips', 'ip_collectors', 'numbers', 'user_agents', 'methods']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0)
    }
    db.close()
    expect(store.stats().pruned).toBe(2)
  })

  it('an IP seen again after it expired starts a new life (counts restart)', async () => {
    let clock = Date.UTC(2026, 0, 1)
    const t0 = clock
    const { store } = storeAt({ maxAgeMs: 1000, now: () => clock, pruneIntervalMs: 0 })
    store.record(makeEvent({ eventTime: t0 }))
    store.record(makeEvent({ eventTime: t0 }))
    await store.flush()
    clock = t0 + 5000
    store.record(makeEvent({ eventTime: clock }))
    await store.flush()
    expect(store.lookupIp('203.0.113.7')).toMatchObject({ firstSeen: clock, seenCount: 1, collectors: 1 })
  })

  it('prunes on open and in chunks', async () => {
    const file = path.join(dir, 'store.db')
    const t0 = Date.UTC(2026, 0, 1)
    const first = openStore({ path: file, maxAgeMs: 1000, now: () => t0, pruneChunk: 7 })
    for (let i = 0; i < 50; i++) first.record(makeEvent({ eventTime: t0, sourceIp: `10.1.0.${i}` }))
    await first.close()
    const second = openStore({ path: file, maxAgeMs: 1000, now: () => t0 + 2000, pruneChunk: 7 })
    open.push(second)
    // Expired rows are invisible at once; the prune itself runs in the background.
    expect(second.lookupIp('10.1.0.1')).toBeUndefined()
    await until(() => second.stats().lastPruneAt === t0 + 2000)
    expect(second.stats().pruned).toBe(50)
    const db = readOnly(file)
    expect(db.prepare('SELECT count(*) FROM ips').pluck().get()).toBe(0)
    db.close()
  })

  it('a large prune runs in slices and yields to the event loop; writes go on meanwhile', async () => {
    const file = path.join(dir, 'store.db')
    const t0 = Date.UTC(2026, 0, 1)
    const first = openStore({ path: file, maxAgeMs: 1000, now: () => t0 })
    for (let i = 0; i < 3000; i++)
      first.record(makeEvent({ eventTime: t0, sourceIp: `10.3.${i >> 8}.${i & 255}` }))
    await first.close()
    const later = t0 + 2000
    const second = openStore({
      path: file,
      maxAgeMs: 1000,
      now: () => later,
      pruneChunk: 100,
      pruneSliceMs: 1,
    })
    open.push(second)
    // 30 delete transactions do not fit in one 1 ms slice: the constructor returned mid-prune.
    expect(second.stats().pruned).toBeLessThan(3000)
    expect(second.stats().lastPruneAt).toBe(0)
    expect(second.record(makeEvent({ eventTime: later, sourceIp: '198.51.100.99' }))).toBe(true)
    await second.flush()
    expect(second.isBadIp('198.51.100.99')).toBe(true)
    await until(() => second.stats().lastPruneAt === later)
    expect(second.stats()).toMatchObject({ pruned: 3000, inserted: 1 })
    const db = readOnly(file)
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1)
    expect(db.prepare('SELECT count(*) FROM ips').pluck().get()).toBe(1)
    db.close()
  })

  it('the background prune timer runs', async () => {
    let clock = Date.UTC(2026, 0, 1)
    const t0 = clock
    const { store } = storeAt({ maxAgeMs: 1000, now: () => clock, pruneIntervalMs: 5 })
    store.record(makeEvent({ eventTime: t0 }))
    await store.flush()
    clock = t0 + 5000
    await until(() => store.stats().pruned === 1)
    expect(store.stats().lastPruneAt).toBe(t0 + 5000)
  })

  it('rejects events from the far future (they would never expire)', () => {
    const { store } = storeAt()
    expect(store.record(makeEvent({ eventTime: Date.now() + 24 * 3600 * 1000 }))).toBe(false)
    expect(store.record(makeEvent({ eventTime: Date.now() + 60 * 1000 }))).toBe(true)
  })
})

describe('openStore: embedding API', () => {
  it('answers for IPv4, IPv6 and IPv4-mapped forms', async () => {
    const { store } = storeAt()
    store.record(makeEvent({ sourceIp: '203.0.113.7' }))
    store.record(makeEvent({ sourceIp: '2001:db8:0:0:0:0:0:42' }))
    store.record(makeEvent({ sourceIp: '::ffff:198.51.100.77' }))
    await store.flush()
    for (const ip of [
      '203.0.113.7',
      '::ffff:203.0.113.7',
      '::FFFF:cb00:7107',
      '198.51.100.77',
      '::ffff:198.51.100.77',
    ]) {
      expect(store.isBadIp(ip), ip).toBe(true)
    }
    for (const ip of ['2001:db8::42', '2001:DB8::0:42', '2001:0db8:0000:0000:0000:0000:0000:0042']) {
      expect(store.isBadIp(ip), ip).toBe(true)
      expect(store.lookupIp(ip)?.ip).toBe('2001:db8::42')
    }
    for (const ip of ['203.0.113.8', '2001:db8::43', '', 'not an ip', '203.0.113.7 ']) {
      expect(store.isBadIp(ip), ip).toBe(false)
      expect(store.lookupIp(ip)).toBeUndefined()
    }
    expect(store.lookupIp('::ffff:203.0.113.7')).toMatchObject({
      ip: '203.0.113.7',
      family: 4,
      seenCount: 1,
      collectors: 1,
      localCount: 1,
      remoteCount: 0,
    })
  })

  it('answers for numbers in raw or normalised form', async () => {
    const { store } = storeAt()
    store.record(
      makeEvent({ calledNumberRaw: '+44 (20) 7946-0000', calledNumberNormalized: '+442079460000' }),
    )
    store.record(makeEvent({ calledNumberRaw: '', calledNumberNormalized: '' }))
    await store.flush()
    expect(store.isBadNumber('+442079460000')).toBe(true)
    expect(store.isBadNumber('+44 (20) 7946-0000')).toBe(true)
    expect(store.isBadNumber('+442079460001')).toBe(false)
    expect(store.isBadNumber('')).toBe(false)
  })

  it('uses a custom number normaliser', async () => {
    const { store } = storeAt({ normalizeNumber: (n) => n.replace(/^00/, '+') })
    store.record(makeEvent({ calledNumberNormalized: '+442079460000' }))
    await store.flush()
    expect(store.isBadNumber('00442079460000')).toBe(true)
  })

  it('counts peer-only IPs as bad once minCollectors distinct collectors reported them', async () => {
    const { store } = storeAt({ minCollectors: 2 })
    store.record(makeEvent({ sourceIp: '198.51.100.1', origin: 'peerA', collectorNodeId: 'nodeA' }))
    store.record(makeEvent({ sourceIp: '198.51.100.1', origin: 'peerA', collectorNodeId: 'nodeA' }))
    store.record(makeEvent({ sourceIp: '198.51.100.2', origin: 'local', collectorNodeId: 'me' }))
    await store.flush()
    expect(store.distinctCollectors('198.51.100.1')).toBe(1)
    expect(store.isBadIp('198.51.100.1')).toBe(false)
    expect(store.isBadIp('198.51.100.2')).toBe(true) // local always counts
    store.record(makeEvent({ sourceIp: '198.51.100.1', origin: 'peerA', collectorNodeId: 'nodeB' }))
    await store.flush()
    expect(store.distinctCollectors('::ffff:198.51.100.1')).toBe(2)
    expect(store.isBadIp('198.51.100.1')).toBe(true)
    expect(store.lookupIp('198.51.100.1')).toMatchObject({ collectors: 2, localCount: 0, remoteCount: 3 })
  })

  it('is readable from a second process-style connection while the store writes (WAL)', async () => {
    const { store, file } = storeAt()
    store.record(makeEvent())
    await store.flush()
    const reader = readOnly(file)
    const read = reader.prepare('SELECT count(*) FROM events').pluck()
    expect(read.get()).toBe(1)
    reader.exec('BEGIN')
    expect(read.get()).toBe(1)
    store.record(makeEvent())
    await store.flush()
    expect(store.stats().inserted).toBe(2)
    reader.exec('COMMIT')
    expect(read.get()).toBe(2)
    reader.close()
  })

  it('iterateIps can be consumed slowly while the store keeps writing (no statement left open)', async () => {
    const { store } = storeAt()
    const count = ITERATE_CHUNK * 2 + 123
    for (let i = 0; i < count; i++) {
      store.record(
        makeEvent({ eventTime: Date.now() - 60_000, sourceIp: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }),
      )
    }
    await store.flush()
    const result = store.iterateIps({ family: 4 })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const seen = new Set<string>()
    let written = 0
    for (const summary of result.value) {
      seen.add(summary.ip)
      if (seen.size % 1000 === 0) {
        // A write between two chunks (newer than anything iterated: it sorts before the position).
        store.record(makeEvent({ sourceIp: `172.16.0.${written++ % 250}` }))
        await store.flush()
      }
    }
    expect(seen.size).toBe(count)
    expect(store.stats()).toMatchObject({ inserted: count + written, flushErrors: 0 })
  })
})
