/**
 * Main-thread CPU of one SIP transaction in responsive mode, without the sockets: the daemon's handler
 * (parse, transaction cache, event, UAS reply) with the daemon's metrics and store (the writer thread
 * runs beside it, as in the daemon; its CPU is not counted). Each message is a new OPTIONS transaction
 * (sipp's shape: new Call-ID and branch), so every one is recorded and answered. The reply is dropped.
 * `process.threadCpuUsage()` of this thread per message, median of ROUNDS rounds of N messages.
 * Run (from apps/sentrypeer, Node 24): ../../node_modules/.bin/node --import ../../scripts/ts-resolve.mjs bench/sip/handler.bench.ts
 * Env: N (50000), ROUNDS (7).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMetrics } from '../../src/api/metrics.js'
import { openDaemonStore } from '../../src/daemon-store.js'
import { createSipCounters } from '../../src/sip/sip-counters.js'
import { createSipHandler, type MessageContext } from '../../src/sip/sip-handler.js'
import { TransactionCache } from '../../src/sip/transaction-cache.js'
import { createUas } from '../../src/sip/uas.js'

const N = Number(process.env.N ?? 50_000)
const ROUNDS = Number(process.env.ROUNDS ?? 7)

function options(i: number): Buffer {
  return Buffer.from(
    [
      'OPTIONS sip:127.0.0.1:5060 SIP/2.0',
      `Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-${i}-1-0`,
      'From: sipp <sip:sipp@127.0.0.1:5061>;tag=1',
      'To: sut <sip:service@127.0.0.1:5060>',
      `Call-ID: ${i}-1@127.0.0.1`,
      'CSeq: 1 OPTIONS',
      'Contact: sip:sipp@127.0.0.1:5061',
      'Max-Forwards: 70',
      'Subject: Performance Test',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    'latin1',
  )
}

const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-handler-bench-'))
const store = await openDaemonStore({ path: join(dir, 'sentrypeer.db') })
try {
  const counters = createSipCounters()
  const metrics = createMetrics()
  const handler = createSipHandler({
    counters,
    uas: createUas({ agent: 'FPBX-16.0.33(18.20.0)', realm: 'asterisk' }),
    nodeId: 'bench',
    agent: 'FPBX-16.0.33(18.20.0)',
    cache: new TransactionCache({ maxEntries: 20_000, ttlMs: 32_000 }),
    observer: metrics,
    onEvent(event) {
      store.record(event)
    },
  })
  let replies = 0
  const ctx: MessageContext = {
    transport: 'udp',
    source: { address: '127.0.0.1', port: 5061 },
    local: { address: '127.0.0.1', port: 5060 },
    reply() {
      replies++
    },
  }
  const perRound: number[] = []
  let next = 0
  for (let round = 0; round < ROUNDS; round++) {
    const messages = Array.from({ length: N }, () => options(next++))
    const cpu = process.threadCpuUsage()
    for (let i = 0; i < N; i++) {
      handler.handle(messages[i]!, ctx)
      // Let the store post its batches and the writer acknowledge them, as datagrams would arrive.
      if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve))
    }
    const used = process.threadCpuUsage(cpu)
    perRound.push((used.user + used.system) / N)
    await store.flush()
  }
  if (replies !== N * ROUNDS) throw new Error(`expected ${N * ROUNDS} replies, got ${replies}`)
  const sorted = [...perRound].sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      messages: N * ROUNDS,
      mainThreadUsPerTransaction: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(2)),
      rounds: perRound.map((r) => Number(r.toFixed(2))),
      stored: store.stats().inserted,
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    }),
  )
} finally {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}
