/**
 * Cost of signing and of verifying records: `openRecord` one by one (size, format, Ed25519, decode,
 * canonical check, validator), then `openRecords` in catch-up pages with the signatures checked on this
 * thread and on the worker pool. Wall time per record; the three ways alternate ROUNDS times so a
 * shared machine's load hits them alike, and the best round of each is reported.
 * Run: node packages/share/bench/open-record.ts   (Node 24, from the repo root)
 * Env: N (20000 records), PAGE (1000), WORKERS (2), ROUNDS (3).
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { openRecord, type SignedRecord, signRecord } from '../src/index.ts'
import { openRecords } from '../src/open-records.ts'
import { VerifyPool } from '../src/verify-pool.ts'
import { type Observation, observationRules } from '../test/fixtures/observation.ts'

const N = Number(process.env.N ?? 20_000)
const PAGE = Number(process.env.PAGE ?? 1000)
const WORKERS = Number(process.env.WORKERS ?? 2)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const rules = observationRules('sentrypeer')
const keys = await Promise.all(Array.from({ length: 50 }, () => generateKeyPair('Ed25519')))
const records: SignedRecord<Observation>[] = []
let t = performance.now()
for (let i = 0; i < N; i++) {
  const key = keys[i % keys.length] as (typeof keys)[number]
  records.push(await signRecord({ station: `s-${i}`, reading: i % 100, at: Date.now() }, key, rules))
}
const signUs = ((performance.now() - t) / N) * 1000
const bytes = records.map((r) => r.bytes)
const pool = new VerifyPool({ size: WORKERS, minBatch: 64, maxAttempts: 2 })

async function oneByOne(): Promise<number> {
  let ok = 0
  for (const b of bytes) if ((await openRecord(b, rules)).ok) ok++
  return ok
}

/** Pages as in a catch-up: up to 4 in flight, delivered in order. */
async function paged(p: VerifyPool | undefined): Promise<number> {
  let ok = 0
  const inFlight: Promise<Awaited<ReturnType<typeof openRecords<Observation>>>>[] = []
  for (let i = 0; i < bytes.length; i += PAGE) {
    inFlight.push(openRecords(bytes.slice(i, i + PAGE), rules, p))
    if (inFlight.length >= 4)
      for (const r of await (inFlight.shift() as (typeof inFlight)[number])) if (r.ok) ok++
  }
  for (const f of inFlight) for (const r of await f) if (r.ok) ok++
  return ok
}

const best = { openRecordUs: Infinity, pagesMainThreadUs: Infinity, pagesWorkersUs: Infinity }
const cpu = { pagesMainThreadUs: Infinity, pagesWorkersUs: Infinity }
await paged(pool) // start the workers
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of [
    ['openRecordUs', oneByOne],
    ['pagesMainThreadUs', () => paged(undefined)],
    ['pagesWorkersUs', () => paged(pool)],
  ] as const) {
    const c0 = process.cpuUsage()
    t = performance.now()
    const ok = await run()
    const us = ((performance.now() - t) / N) * 1000
    const c = process.cpuUsage(c0)
    if (ok !== N) throw new Error(`${name}: ${ok} of ${N} verified`)
    best[name] = Math.min(best[name], us)
    if (name !== 'openRecordUs') cpu[name] = Math.min(cpu[name], (c.user + c.system) / N)
  }
}
await pool.stop()
console.log(
  JSON.stringify({
    records: N,
    page: PAGE,
    workers: WORKERS,
    signUsPerRecord: Math.round(signUs),
    wallUsPerRecord: Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Math.round(v)])),
    cpuUsPerRecord: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v)])),
  }),
)
