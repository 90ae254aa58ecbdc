/**
 * Propagation time in a 10-node SentryPeer network: every node is a real `sentrypeer -p` process on
 * 127.0.0.x. An attacker in a network namespace sends SIP INVITEs to node 0; for each event, the time
 * from the SIP packet's arrival at node 0 (the event time) to the record's arrival at every other node
 * (their `p2p record received` debug lines). Reports the median and p99 of the time to reach all nodes.
 * Run (root, Node 24, after `pnpm --filter sentrypeer build`): node bench/p2p/propagation.ts [nodes] [events]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNetns, type Daemon, percentile, repoRoot, sleep, startDaemon } from './daemons.ts'

const [NODES = 10, EVENTS = 200, INTERVAL_MS = 50] = process.argv.slice(2).map(Number)
const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-p2p-bench-'))
const netns = createNetns()
const daemons: Daemon[] = []
try {
  for (let i = 0; i < NODES; i++) {
    const args = ['-p', '-a', '--api-listen', '127.0.0.1:0', '--p2p-listen', `/ip4/127.0.1.${i + 1}/tcp/0`]
    args.push('-f', join(dir, `n${i}`, 'sentrypeer.db'), '-d')
    if (i === 0)
      args.push('-r', '--sip-listen', `${netns.honeypotIp}:0`, '--tls-listen', `${netns.honeypotIp}:0`)
    else args.push('-R', '-b', (daemons[0] as Daemon).addr)
    if (i > 1) args.push('-b', (daemons[i - 1] as Daemon).addr)
    daemons.push(await startDaemon(args))
  }
  // let the gossip mesh form (a few heartbeats)
  await sleep(5_000)
  const first = daemons[0] as Daemon
  const sender = join(repoRoot, 'apps', 'sentrypeer', 'test', 'p2p', 'fixtures', 'send-sip.mjs')
  for (let i = 0; i < EVENTS; i++) {
    netns.exec([
      process.execPath,
      sender,
      netns.attackerIp,
      netns.honeypotIp,
      String(first.sipPort),
      `${1000 + i}`,
    ])
    await sleep(INTERVAL_MS)
  }
  await sleep(5_000)
  // record id -> arrival times at the other nodes
  const arrivals = new Map<string, { eventTime: number; times: number[] }>()
  for (const d of daemons.slice(1)) {
    for (const line of d.lines) {
      if (line.msg !== 'p2p record received') continue
      const id = String(line.record)
      const entry = arrivals.get(id) ?? { eventTime: Number(line.eventTime), times: [] }
      entry.times.push(Number(line.time))
      arrivals.set(id, entry)
    }
  }
  const toAll: number[] = []
  const each: number[] = []
  let incomplete = 0
  for (const { eventTime, times } of arrivals.values()) {
    for (const t of times) each.push(t - eventTime)
    if (times.length < NODES - 1) incomplete++
    else toAll.push(Math.max(...times) - eventTime)
  }
  toAll.sort((a, b) => a - b)
  each.sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      nodes: NODES,
      events: EVENTS,
      recordsSeen: arrivals.size,
      incomplete,
      toAllMs: { median: percentile(toAll, 50), p99: percentile(toAll, 99), max: toAll.at(-1) },
      perNodeMs: { median: percentile(each, 50), p99: percentile(each, 99) },
    }),
  )
} finally {
  await Promise.all(daemons.map((d) => d.stop()))
  netns.remove()
  rmSync(dir, { recursive: true, force: true })
}
