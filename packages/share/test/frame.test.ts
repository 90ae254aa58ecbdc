import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { controlFrame, decodeFrame, recordsFrame } from '../src/frame.ts'

describe('frames', () => {
  it('round-trips control and records frames', () => {
    expect(decodeFrame(controlFrame({ type: 'done' }))).toEqual({
      ok: true,
      frame: { type: 'control', message: { type: 'done' } },
    })
    const recs = [new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(7), new Uint8Array(0)]
    const res = decodeFrame(recordsFrame(recs))
    expect(res.ok && res.frame.type === 'records' && res.frame.records.map((r) => r.length)).toEqual([
      3, 300, 0,
    ])
  })

  it('returns an error result for junk and never throws', () => {
    expect(decodeFrame(new Uint8Array([9]))).toMatchObject({ ok: false, offset: 0 })
    expect(decodeFrame(new Uint8Array([1, 0x7b]))).toMatchObject({ ok: false })
    expect(decodeFrame(new TextEncoder().encode('\u0001[1,2]'))).toMatchObject({ ok: false })
    expect(decodeFrame(new Uint8Array([2, 5, 1]))).toMatchObject({ ok: false, offset: 1 })
    for (let i = 0; i < 1000; i++) expect(() => decodeFrame(randomBytes(1 + (i % 64)))).not.toThrow()
  })
})
