import { describe, expect, it } from 'vitest'
import { RecordIndex } from '../src/record-index.ts'

const HOUR = 3_600_000
const id = (n: number): string => n.toString(16).padStart(32, '0')

describe('RecordIndex', () => {
  it('digests are order independent and change when a bucket differs', () => {
    const a = new RecordIndex(HOUR)
    const b = new RecordIndex(HOUR)
    for (let i = 1; i <= 100; i++) a.add(id(i), `k${i % 7}`, `c${i % 3}`, i * 60_000)
    for (let i = 100; i >= 1; i--) b.add(id(i), `k${i % 7}`, `c${i % 3}`, i * 60_000)
    expect(b.digests(0)).toEqual(a.digests(0))
    b.add(id(1000), 'k', 'c', 30 * 60_000)
    const da = a.digests(0)
    const db = b.digests(0)
    expect(db[0]).not.toEqual(da[0])
    expect(db.slice(1)).toEqual(da.slice(1))
  })

  it('refuses duplicates and tracks collectors per key', () => {
    const x = new RecordIndex(HOUR)
    expect(x.add(id(1), 'k', 'alice', 1000)).toBe(true)
    expect(x.add(id(1), 'k', 'alice', 1000)).toBe(false)
    x.add(id(2), 'k', 'bob', 2000)
    x.add(id(3), 'k', 'bob', 3000)
    expect(x.collectorsOf('k').sort()).toEqual(['alice', 'bob'])
    expect(x.countByCollector('bob', 2500)).toBe(1)
  })

  it('prunes expired records and keeps digests consistent', () => {
    const x = new RecordIndex(HOUR)
    const y = new RecordIndex(HOUR)
    for (let i = 0; i < 50; i++) x.add(id(i + 1), 'k', 'c', i * 10 * 60_000)
    for (let i = 30; i < 50; i++) y.add(id(i + 1), 'k', 'c', i * 10 * 60_000)
    expect(x.prune(30 * 10 * 60_000)).toBe(30)
    expect(x.size).toBe(20)
    expect(x.digests(0)).toEqual(y.digests(0))
  })

  it("counts a collector's records since any time, across buckets, removals and pruning", () => {
    const x = new RecordIndex(HOUR)
    const all: Array<{ id: string; collector: string; at: number }> = []
    for (let i = 1; i <= 600; i++) {
      const r = { id: id(i), collector: `c${i % 4}`, at: (i * 7_919_000) % (30 * HOUR) }
      all.push(r)
      x.add(r.id, 'k', r.collector, r.at)
    }
    for (let i = 1; i <= 600; i += 5) x.remove(id(i))
    x.prune(3 * HOUR + 1234)
    const live = all.filter((r, i) => i % 5 !== 0 && r.at >= 3 * HOUR + 1234)
    expect(x.size).toBe(live.length)
    for (const since of [
      0,
      3 * HOUR + 1234,
      5 * HOUR,
      5 * HOUR + 1,
      17 * HOUR + 59_999,
      29 * HOUR,
      31 * HOUR,
    ]) {
      for (const c of ['c0', 'c1', 'c2', 'c3', 'nobody']) {
        const brute = live.filter((r) => r.collector === c && r.at >= since).length
        expect(x.countByCollector(c, since), `${c} since ${since}`).toBe(brute)
      }
    }
  })
})
