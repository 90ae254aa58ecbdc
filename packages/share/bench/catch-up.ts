/**
 * Time for a new node to catch up RECORDS records (spread over the last six days, from 50 collectors)
 * from one peer, each node its own process on 127.0.0.1; then the time for a second catch-up round when
 * both sides already share everything (digests only).
 * Run: node packages/share/bench/catch-up.ts   (Node 24, from the repo root)
 * Env: RECORDS (100000), VERIFY_WORKERS (default: the node's default; 0 verifies on the main thread), PAGE_SIZE.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { signRecord } from '../src/index.ts'
import { observationRules } from '../test/fixtures/observation.ts'
import { type NodeProcess, spawnNode, waitFor } from '../test/fixtures/spawn-node.ts'

const RECORDS = Number(process.env.RECORDS ?? 100_000)
/** VERIFY_WORKERS=0: verify on the main thread (the previous behaviour), for comparison */
const VERIFY_WORKERS =
  process.env.VERIFY_WORKERS === undefined ? {} : { verifyWorkers: Number(process.env.VERIFY_WORKERS) }
const PAGE_SIZE = process.env.PAGE_SIZE === undefined ? {} : { pageSize: Number(process.env.PAGE_SIZE) }
const COLLECTORS = 50
const rules = observationRules('sentrypeer')
const dir = mkdtempSync(join(tmpdir(), 'share-bench-'))
const nodes: NodeProcess[] = []
try {
  const keys = await Promise.all(Array.from({ length: COLLECTORS }, () => generateKeyPair('Ed25519')))
  const now = Date.now()
  const lines: string[] = []
  for (let i = 0; i < RECORDS; i++) {
    const at = now - Math.floor((i / RECORDS) * 6 * 24 * 3_600_000)
    const s = await signRecord(
      { station: `s-${i % 20_000}`, reading: i % 100, at },
      keys[i % COLLECTORS] as never,
      rules,
    )
    lines.push(Buffer.from(s.bytes).toString('base64'))
  }
  writeFileSync(join(dir, 'full.jsonl'), `${lines.join('\n')}\n`)
  const tLoad = Date.now()
  const full = await spawnNode({
    keyFile: join(dir, 'full.key'),
    storeFile: join(dir, 'full.jsonl'),
    ...PAGE_SIZE,
  })
  nodes.push(full)
  const loadMs = Date.now() - tLoad
  const t0 = Date.now()
  const fresh = await spawnNode({
    keyFile: join(dir, 'fresh.key'),
    bootstrap: [full.addr],
    recordEvents: false,
    ...VERIFY_WORKERS,
  })
  const cpu0 = await fresh.call<{ user: number; system: number }>('cpu')
  nodes.push(fresh)
  await waitFor(
    'catch-up complete',
    async () => (await fresh.call<{ records: number }>('stats')).records >= RECORDS,
    600_000,
  )
  const catchUpMs = Date.now() - t0
  const cpu1 = await fresh.call<{ user: number; system: number }>('cpu')
  const freshCpuMs = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000
  const t1 = Date.now()
  const again = await fresh.call<
    Array<{ bucketsCompared: number; bucketsFetched: number; accepted: number }>
  >('catchUp', { peer: full.peerId })
  const inSyncMs = Date.now() - t1
  console.log(
    JSON.stringify({
      records: RECORDS,
      loadAndVerifyMs: loadMs,
      catchUpMs,
      recordsPerSecond: Math.round(RECORDS / (catchUpMs / 1000)),
      // CPU time of the new node's process (all threads) during the catch-up: less load-dependent
      freshCpuMs: Math.round(freshCpuMs),
      freshCpuUsPerRecord: Math.round((freshCpuMs * 1000) / RECORDS),
      ...VERIFY_WORKERS,
      ...PAGE_SIZE,
      inSyncRoundMs: inSyncMs,
      inSyncRound: again[0],
    }),
  )
} finally {
  await Promise.allSettled(nodes.map((n) => n.stop()))
  rmSync(dir, { recursive: true, force: true })
}
