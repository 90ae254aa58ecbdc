import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_PAGE_LIMIT,
  type IpQuery,
  type IpSummary,
  normalizeIp,
  openStore,
  type Page,
  type SipEventInput,
  type Store,
} from '../src/index.js'
import { makeEvent, tempDir } from './helpers.js'

// A fixed data set written once: 60 IPv4 and 40 IPv6 sources over 100 minutes, some from peers.
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0)
const MINUTE = 60_000
let store: Store
let cleanup: () => void

function ipOf(i: number): string {
  return i < 60 ? `198.51.100.${i}` : normalizeIp(`2001:db8::${(i - 60).toString(16)}`)!.ip
}
const events: SipEventInput[] = []

beforeAll(async () => {
  const temp = tempDir()
  cleanup = temp.cleanup
  store = openStore({ path: path.join(temp.dir, 'store.db'), now: () => T0 + 100 * MINUTE })
  for (let i = 0; i < 100; i++) {
    // IP i is seen (i % 3) + 1 times, last at minute i.
    for (let n = 0; n <= i % 3; n++) {
      const remote = i % 10 === 0
      events.push(
        makeEvent({
          eventTime: T0 + i * MINUTE - n * 1000,
          sourceIp: ipOf(i),
          calledNumberRaw: `+1 555 01${String(i % 20).padStart(2, '0')}`,
          calledNumberNormalized: `+155501${String(i % 20).padStart(2, '0')}`,
          userAgent: i % 2 === 0 ? 'friendly-scanner' : `sipvicious-${i % 5}`,
          method: ['INVITE', 'REGISTER', 'OPTIONS'][n] ?? 'INVITE',
          origin: remote ? 'peerX' : 'local',
          collectorNodeId: remote ? `collector-${n}` : 'me',
        }),
      )
    }
  }
  for (const event of events) store.record(event)
  await store.flush()
})
afterAll(async () => {
  await store.close()
  cleanup()
})

function walk<T>(list: (cursor?: string) => { ok: boolean; value?: Page<T> }): T[] {
  const all: T[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const result = list(cursor)
    if (!result.ok || result.value === undefined) throw new Error('query failed')
    all.push(...result.value.items)
    cursor = result.value.nextCursor
    if (cursor === undefined) return all
  }
  throw new Error('paging does not end')
}

function ips(query: IpQuery): IpSummary[] {
  return walk((cursor) => store.listIps({ ...query, cursor }))
}

describe('listIps', () => {
  it('lists IPs newest first with first/last seen and counts', () => {
    const result = store.listIps()
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.items).toHaveLength(DEFAULT_PAGE_LIMIT)
    expect(result.value.nextCursor).toBeUndefined()
    expect(result.value.items[0]).toEqual({
      ip: '2001:db8::27',
      family: 6,
      firstSeen: T0 + 99 * MINUTE,
      lastSeen: T0 + 99 * MINUTE,
      seenCount: 1,
      expiresAt: T0 + 99 * MINUTE + 7 * 24 * 60 * MINUTE,
      collectors: 1,
      localCount: 1,
      remoteCount: 0,
    })
    const ip5 = result.value.items.find((item) => item.ip === '198.51.100.5')
    expect(ip5).toMatchObject({ seenCount: 3, firstSeen: T0 + 5 * MINUTE - 2000, lastSeen: T0 + 5 * MINUTE })
  })

  it('pages with an opaque cursor: every IP exactly once, in order', () => {
    for (const limit of [1, 7, 33, 100, 500]) {
      const all = ips({ limit })
      expect(all).toHaveLength(100)
      expect(new Set(all.map((item) => item.ip)).size).toBe(100)
      for (let i = 1; i < all.length; i++)
        expect(all[i - 1]!.lastSeen).toBeGreaterThanOrEqual(all[i]!.lastSeen)
    }
    const first = store.listIps({ limit: 10 })
    expect(first.ok && first.value.items).toHaveLength(10)
    expect(first.ok && typeof first.value.nextCursor).toBe('string')
  })

  it('filters by since, family, origin, collector and confirmations', () => {
    expect(ips({ since: T0 + 90 * MINUTE, limit: 3 }).map((item) => item.lastSeen)).toEqual(
      Array.from({ length: 10 }, (_, k) => T0 + (99 - k) * MINUTE),
    )
    const v4 = ips({ family: 4, limit: 13 })
    expect(v4).toHaveLength(60)
    expect(v4.every((item) => item.family === 4 && !item.ip.includes(':'))).toBe(true)
    const v6 = ips({ family: 6 })
    expect(v6).toHaveLength(40)
    expect(v6.every((item) => item.family === 6)).toBe(true)
    const remote = ips({ origin: 'remote' })
    expect(remote.map((item) => item.ip).sort()).toEqual(
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90].map(ipOf).sort(),
    )
    expect(ips({ origin: 'local' })).toHaveLength(90)
    // IPs 10k are reported by (10k % 3) + 1 distinct collectors.
    expect(
      ips({ collector: 'collector-2' })
        .map((item) => item.ip)
        .sort(),
    ).toEqual([20, 50, 80].map(ipOf).sort())
    expect(ips({ collector: 'me', family: 6 })).toHaveLength(36)
    const confirmed = ips({ minCollectors: 2 })
    expect(confirmed).toHaveLength(90 + 6) // local ones, plus 10, 20, 40, 50, 70, 80
    expect(
      ips({ origin: 'remote', minCollectors: 3 })
        .map((item) => item.ip)
        .sort(),
    ).toEqual([20, 50, 80].map(ipOf).sort())
    expect(store.distinctCollectors(ipOf(20))).toBe(3)
    expect(store.distinctCollectors(ipOf(1))).toBe(1)
    expect(store.distinctCollectors('203.0.113.250')).toBe(0)
  })

  it('refuses bad parameters with result objects', () => {
    for (const [query, code, field] of [
      [{ limit: 0 }, 'INVALID_LIMIT', 'limit'],
      [{ limit: 10_001 }, 'INVALID_LIMIT', 'limit'],
      [{ limit: 2.5 }, 'INVALID_LIMIT', 'limit'],
      [{ cursor: 'garbage!' }, 'INVALID_CURSOR', 'cursor'],
      [{ cursor: Buffer.from('[1,2]').toString('base64url') }, 'INVALID_CURSOR', 'cursor'],
      [{ family: 5 }, 'INVALID_FILTER', 'family'],
      [{ origin: 'elsewhere' }, 'INVALID_FILTER', 'origin'],
      [{ since: Number.NaN }, 'INVALID_FILTER', 'since'],
      [{ minCollectors: 0 }, 'INVALID_FILTER', 'minCollectors'],
    ] as const) {
      const result = store.listIps(query as unknown as IpQuery)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error).toMatchObject({ code, field })
    }
    const bad = store.iterateIps({ family: 7 as never })
    expect(bad.ok).toBe(false)
  })

  it('iterateIps streams every matching IP in the list order', () => {
    const listed = ips({ family: 4 })
    const iterated = store.iterateIps({ family: 4 })
    expect(iterated.ok).toBe(true)
    if (!iterated.ok) return
    expect([...iterated.value]).toEqual(listed)
  })
})

describe('details', () => {
  it('getIp returns the summary, recent events newest first and the collectors', () => {
    const detail = store.getIp('::ffff:198.51.100.20', 2)
    expect(detail).toMatchObject({ ip: '198.51.100.20', seenCount: 3, collectors: 3, remoteCount: 3 })
    expect(detail?.recentEvents.map((event) => event.eventTime)).toEqual([
      T0 + 20 * MINUTE,
      T0 + 20 * MINUTE - 1000,
    ])
    expect(detail?.recentEvents[0]).toMatchObject({
      sourceIp: '198.51.100.20',
      origin: 'peerX',
      collectorNodeId: 'collector-0',
      method: 'INVITE',
      calledNumberNormalized: '+15550100',
      userAgent: 'friendly-scanner',
    })
    expect(detail?.collectorIds).toEqual(['collector-0', 'collector-1', 'collector-2'])
    expect(store.getIp('203.0.113.250')).toBeUndefined()
    expect(store.getIp('junk')).toBeUndefined()
  })

  it('getIp and getNumber leave out the raw message only when asked, and clamp the count', () => {
    const full = store.getIp('198.51.100.20', 3)
    const lite = store.getIp('198.51.100.20', 3, { rawMessage: false })
    expect(full?.recentEvents).toHaveLength(3)
    expect(full?.recentEvents.every((e) => typeof e.rawMessage === 'string' && e.rawMessage.length > 0)).toBe(
      true,
    )
    expect(lite?.recentEvents.some((e) => 'rawMessage' in e)).toBe(false)
    // Same events, same order, every other field equal.
    expect(lite?.recentEvents).toEqual(full?.recentEvents.map(({ rawMessage: _raw, ...rest }) => rest))
    expect(lite).toMatchObject({ ip: '198.51.100.20', seenCount: 3, collectorIds: full?.collectorIds })
    expect(full?.collectorIds).toHaveLength(3)
    const bare = store.getIp('198.51.100.20', 3, { rawMessage: false, collectorIds: false })
    expect(bare?.collectorIds).toEqual([])
    expect(bare?.recentEvents).toEqual(lite?.recentEvents)
    expect(bare?.recentEvents.every((e) => e.sourceIp === '198.51.100.20')).toBe(true)
    expect(store.getIp('198.51.100.20', 0)?.recentEvents).toEqual([])
    expect(store.getIp('198.51.100.20', -5)?.recentEvents).toEqual([])
    expect(store.getIp('198.51.100.20', Number.NaN)?.recentEvents).toEqual([])
    expect(store.getIp('198.51.100.20', 2.9)?.recentEvents).toHaveLength(2)

    const number = store.getNumber('+15550107', 100, { rawMessage: false })
    const numberFull = store.getNumber('+15550107', 100)
    expect(numberFull?.recentEvents.every((e) => e.calledNumberNormalized === '+15550107')).toBe(true)
    expect(numberFull?.recentEvents.every((e) => e.calledNumberRaw === '+1 555 0107')).toBe(true)
    expect(number?.recentEvents.length).toBeGreaterThan(0)
    expect(number?.recentEvents.some((e) => 'rawMessage' in e)).toBe(false)
    expect(numberFull?.recentEvents.every((e) => typeof e.rawMessage === 'string')).toBe(true)
    expect(number?.recentEvents.map((e) => e.eventUuid)).toEqual(
      numberFull?.recentEvents.map((e) => e.eventUuid),
    )
  })

  it('lists and details called numbers', () => {
    const numbers = walk((cursor) => store.listNumbers({ cursor, limit: 6 }))
    expect(numbers).toHaveLength(20)
    expect(numbers[0]).toMatchObject({ number: '+15550119', lastSeen: T0 + 99 * MINUTE })
    // Number k is called by IPs k, k+20, ..., k+80: with (i % 3) + 1 events each.
    const n7 = numbers.find((n) => n.number === '+15550107')
    const expected = [7, 27, 47, 67, 87].reduce((sum, i) => sum + (i % 3) + 1, 0)
    expect(n7?.seenCount).toBe(expected)
    expect(walk((cursor) => store.listNumbers({ cursor, since: T0 + 95 * MINUTE }))).toHaveLength(5)
    expect(walk((cursor) => store.listNumbers({ cursor, origin: 'remote' }))).toHaveLength(2) // 00 and 10
    const detail = store.getNumber('+1 555 0107', 100)
    expect(detail?.number).toBe('+15550107')
    expect(detail?.recentEvents).toHaveLength(expected)
    expect(new Set(detail?.recentEvents.map((e) => e.sourceIp))).toEqual(
      new Set([7, 27, 47, 67, 87].map(ipOf)),
    )
    expect(store.getNumber('+19999')).toBeUndefined()
  })

  it('lists user agents and methods with counts', () => {
    const agents = walk((cursor) => store.listUserAgents({ cursor, limit: 2 }))
    expect(agents.map((a) => a.value).sort()).toEqual(
      [
        'friendly-scanner',
        'sipvicious-1',
        'sipvicious-3',
        'sipvicious-0',
        'sipvicious-2',
        'sipvicious-4',
      ].sort(),
    )
    const total = agents.reduce((sum, a) => sum + a.seenCount, 0)
    expect(total).toBe(store.stats().inserted)
    const methods = walk((cursor) => store.listMethods({ cursor }))
    const invites = Array.from({ length: 100 }, () => 1).length
    const registers = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 3 >= 1).length
    const options = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 3 === 2).length
    expect(Object.fromEntries(methods.map((m) => [m.value, m.seenCount]))).toEqual({
      INVITE: invites,
      REGISTER: registers,
      OPTIONS: options,
    })
    expect(walk((cursor) => store.listMethods({ cursor, since: T0 + 99 * MINUTE }))).toEqual([
      expect.objectContaining({ value: 'INVITE' }),
    ])
  })
})

describe('countsPerBucket', () => {
  it('counts events per time bucket with filters', () => {
    const result = store.countsPerBucket({
      bucketMs: 10 * MINUTE,
      since: T0 - 10 * MINUTE,
      until: T0 + 100 * MINUTE,
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const total = result.value.reduce((sum, bucket) => sum + bucket.count, 0)
    expect(total).toBe(store.stats().inserted)
    expect(result.value.every((bucket) => bucket.start % (10 * MINUTE) === 0)).toBe(true)
    const inFirst = events.filter((e) => e.eventTime >= T0 && e.eventTime < T0 + 10 * MINUTE).length
    const beforeT0 = events.filter((e) => e.eventTime < T0).length
    expect(beforeT0).toBe(0)
    expect(result.value[0]).toEqual({ start: T0, count: inFirst })
    expect(result.value).toHaveLength(10)
    const v6 = store.countsPerBucket({
      bucketMs: 100 * MINUTE,
      since: T0 - 100 * MINUTE,
      until: T0 + 200 * MINUTE,
      family: 6,
    })
    expect(v6.ok && v6.value.reduce((s, b) => s + b.count, 0)).toBe(
      Array.from({ length: 40 }, (_, k) => ((k + 60) % 3) + 1).reduce((s, n) => s + n, 0),
    )
    const remote = store.countsPerBucket({
      bucketMs: MINUTE,
      since: T0 - MINUTE,
      until: T0 + 100 * MINUTE,
      origin: 'remote',
    })
    expect(remote.ok && remote.value.reduce((s, b) => s + b.count, 0)).toBe(
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90].reduce((s, i) => s + (i % 3) + 1, 0),
    )
    expect(store.countsPerBucket({ bucketMs: 0 }).ok).toBe(false)
    expect(store.countsPerBucket({ bucketMs: 1000, since: 10, until: 5 }).ok).toBe(false)
  })

  it('is exact at unaligned edges and at the expiry edge (per-minute summary plus the events)', async () => {
    const temp = tempDir()
    try {
      const t0 = Date.UTC(2026, 10, 1, 12, 0, 0)
      let clock = t0
      const edge = openStore({
        path: path.join(temp.dir, 'edge.db'),
        maxAgeMs: 30 * MINUTE,
        now: () => clock,
      })
      const written: SipEventInput[] = []
      for (let i = 0; i < 600; i++) {
        // Every 7.3 s over 73 minutes, two families, some from peers.
        const event = makeEvent({
          eventTime: t0 + Math.round(i * 7_300),
          sourceIp: i % 4 === 0 ? `2001:db8::${i.toString(16)}` : `198.51.100.${i % 250}`,
          origin: i % 5 === 0 ? 'peerY' : 'local',
        })
        clock = event.eventTime
        written.push(event)
        edge.record(event)
        if (i % 50 === 49) await edge.flush()
      }
      await edge.flush()
      clock = t0 + 80 * MINUTE + 12_345 // events before t0 + 50:12.345 have expired
      const live = (e: SipEventInput) => e.eventTime + 30 * MINUTE > clock
      for (const [since, until, bucketMs, family, origin] of [
        [t0 - 1, t0 + 90 * MINUTE, 5 * MINUTE, undefined, undefined],
        [t0 + 51 * MINUTE + 7_777, t0 + 70 * MINUTE + 1_234, 2 * MINUTE, undefined, undefined],
        [t0 + 40 * MINUTE + 1, t0 + 73 * MINUTE - 1, 60 * MINUTE, 6, undefined],
        [t0, t0 + 73 * MINUTE, MINUTE, 4, 'remote'],
        [t0 + 55 * MINUTE, t0 + 72 * MINUTE, 3 * MINUTE, undefined, 'local'],
        [t0 + 55 * MINUTE + 1, t0 + 56 * MINUTE - 1, MINUTE, undefined, undefined],
        [t0, t0 + 73 * MINUTE, 7_000, undefined, undefined],
      ] as const) {
        const result = edge.countsPerBucket({ since, until, bucketMs, family, origin })
        expect(result.ok).toBe(true)
        if (!result.ok) return
        const expected = new Map<number, number>()
        for (const e of written) {
          if (e.eventTime < since || e.eventTime >= until || !live(e)) continue
          if (family !== undefined && (e.sourceIp.includes(':') ? 6 : 4) !== family) continue
          if (origin === 'local' && e.origin !== 'local') continue
          if (origin === 'remote' && e.origin === 'local') continue
          const start = e.eventTime - (e.eventTime % bucketMs)
          expected.set(start, (expected.get(start) ?? 0) + 1)
        }
        const want = [...expected]
          .map(([start, count]) => ({ start, count }))
          .sort((a, b) => a.start - b.start)
        expect(result.value, `${since} ${until} ${bucketMs} ${family} ${origin}`).toEqual(want)
        expect(want.length).toBeGreaterThan(0)
      }
      await edge.close()
    } finally {
      temp.cleanup()
    }
  })

  it('cuts a range that would need too many buckets', () => {
    const result = store.countsPerBucket({ bucketMs: 1, since: 0, until: T0 + 100 * MINUTE })
    expect(result.ok && result.value.length).toBe(0) // only the last 10 000 ms, where nothing happened
  })
})

describe('eventsSince', () => {
  it('returns one collector events since a time, oldest first, paged', () => {
    const mine = walk((cursor) =>
      store.eventsSince({ since: T0 + 50 * MINUTE, collector: 'me', cursor, limit: 4 }),
    )
    const expected = Array.from({ length: 50 }, (_, k) => k + 50)
      .filter((i) => i % 10 !== 0)
      .reduce((sum, i) => sum + (i % 3) + 1, 0)
    // Events of IP 50 at minute 50 minus 1-2 s are before `since` and excluded.
    expect(mine).toHaveLength(expected)
    expect(mine.every((event) => event.collectorNodeId === 'me' && event.eventTime >= T0 + 50 * MINUTE)).toBe(
      true,
    )
    for (let i = 1; i < mine.length; i++)
      expect(mine[i - 1]!.eventTime).toBeLessThanOrEqual(mine[i]!.eventTime)
    expect(new Set(mine.map((event) => event.eventUuid)).size).toBe(mine.length)
    const all = walk((cursor) => store.eventsSince({ since: 0, cursor, limit: 1000 }))
    expect(all).toHaveLength(store.stats().inserted)
    expect(store.eventsSince({ since: Number.NaN }).ok).toBe(false)
    expect(store.eventsSince({ since: 0, cursor: 'x' }).ok).toBe(false)
  })
})
