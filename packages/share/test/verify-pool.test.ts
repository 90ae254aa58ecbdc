import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterEach, describe, expect, it } from 'vitest'
import { VerifyWorkerError } from '../src/errors.ts'
import { parseEnvelope, recordId, signRecord } from '../src/signed-record.ts'
import { verifyEd25519 } from '../src/verify-ed25519.ts'
import { type VerifyItem, VerifyPool, type VerifyPoolInit } from '../src/verify-pool.ts'
import { VERIFY_WORKER_SOURCE } from '../src/verify-worker-source.ts'
import { observationRules } from './fixtures/observation.ts'

const rules = observationRules('test')

/** A worker that exits (a crash) on each of the first `budget` batches any worker of the pool receives. */
const CRASHING_SOURCE = `
const { parentPort: crashPort, workerData: crashData } = require('node:worker_threads')
const budget = new Int32Array(crashData.crashBudget)
crashPort.on('message', () => {
  if (Atomics.sub(budget, 0, 1) > 0) process.exit(3)
})
${VERIFY_WORKER_SOURCE}`

function crashingInit(crashes: number, init: Partial<VerifyPoolInit> = {}): VerifyPoolInit {
  const crashBudget = new SharedArrayBuffer(4)
  new Int32Array(crashBudget)[0] = crashes
  return {
    size: 2,
    minBatch: 8,
    maxAttempts: 2,
    source: CRASHING_SOURCE,
    workerData: { crashBudget },
    ...init,
  }
}

// 240 envelopes from 6 collectors; every 7th has a broken signature, every 11th was signed for another namespace
const keys = await Promise.all(Array.from({ length: 6 }, () => generateKeyPair('Ed25519')))
const items: VerifyItem[] = []
for (let i = 0; i < 240; i++) {
  const key = keys[i % keys.length] as (typeof keys)[number]
  const signed = await signRecord(
    { station: `s-${i}`, reading: i % 50, at: Date.now() },
    key,
    i % 11 === 0 ? { ...rules, namespace: 'other' } : rules,
  )
  const bytes = new Uint8Array(signed.bytes)
  if (i % 7 === 0) bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x10
  const parsed = parseEnvelope(bytes, rules)
  if (!parsed.ok) throw new Error(parsed.error.message)
  items.push(parsed.envelope)
}
const expected = items.map((it) => verifyEd25519(it.publicKey, it.input, it.signature))
const expectedIds = items.map((it) => recordId(it.input))

const pools: VerifyPool[] = []
function pool(init: VerifyPoolInit): VerifyPool {
  const p = new VerifyPool(init)
  pools.push(p)
  return p
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()))
})

describe('VerifyPool', () => {
  it('gives each item the main-thread verdict and id, in order, across workers', async () => {
    expect(expected.filter((ok) => !ok).length).toBeGreaterThan(40) // the fixture mixes good and bad
    const p = pool({ size: 2, minBatch: 16, maxAttempts: 2 })
    expect(p.workers).toBe(0) // started lazily
    const res = await p.verify(items)
    expect([...res.ok].map((b) => b === 1)).toEqual(expected)
    expect(res.ids).toEqual(expectedIds)
    expect(p.workers).toBe(2)
    // many batches at once, each answered in its own order
    const batches = [items.slice(0, 50), items.slice(50, 51), items.slice(51).reverse(), []]
    const answers = await Promise.all(batches.map((b) => p.verify(b)))
    answers.forEach((a, i) => {
      const b = batches[i] as VerifyItem[]
      expect([...a.ok].map((x) => x === 1)).toEqual(b.map((it) => expected[items.indexOf(it)]))
    })
    expect(p.crashes).toBe(0)
  })

  it('replaces a worker that dies and checks its batch again on the new one', async () => {
    const p = pool(crashingInit(1))
    const res = await p.verify(items)
    expect([...res.ok].map((b) => b === 1)).toEqual(expected)
    expect(res.ids).toEqual(expectedIds)
    expect(p.crashes).toBe(1)
    expect(p.retries).toBe(1)
    expect(p.workers).toBeGreaterThanOrEqual(1)
    // the pool keeps working afterwards
    expect([...(await p.verify(items.slice(0, 30))).ok].map((b) => b === 1)).toEqual(expected.slice(0, 30))
  })

  it('fails a batch cleanly with VerifyWorkerError when its worker dies on every try', async () => {
    const p = pool(crashingInit(1000, { size: 1, maxAttempts: 2 }))
    const err = await p.verify(items.slice(0, 20)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VerifyWorkerError)
    expect((err as VerifyWorkerError).code).toBe('VERIFY_WORKER_FAILED')
    expect(p.crashes).toBe(2)
  })

  it('terminates its workers on stop and fails the batches still pending', async () => {
    const p = pool({ size: 2, minBatch: 8, maxAttempts: 2 })
    await p.verify(items.slice(0, 40))
    const threads = p.threadIds
    expect(threads.length).toBe(2)
    const pending = p.verify(items).catch((e: unknown) => e)
    await p.stop()
    expect(p.workers).toBe(0)
    expect(await pending).toBeInstanceOf(VerifyWorkerError)
    expect(await p.verify(items.slice(0, 1)).catch((e: unknown) => e)).toBeInstanceOf(VerifyWorkerError)
  })
})
