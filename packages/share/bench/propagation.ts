/**
 * Propagation latency in a 10-node network: each node is its own process on 127.0.0.1. Publishes
 * PUBLISHES records from random nodes and measures, per record, the time until every other node has it.
 * Run: node packages/share/bench/propagation.ts   (Node 24, from the repo root)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type NodeProcess, spawnNode, waitFor } from '../test/fixtures/spawn-node.ts'

const NODES = Number(process.env.NODES ?? 10)
const PUBLISHES = Number(process.env.PUBLISHES ?? 200)
const dir = mkdtempSync(join(tmpdir(), 'share-bench-'))
const nodes: NodeProcess[] = []
try {
  const first = await spawnNode({ keyFile: join(dir, 'n0.key') })
  nodes.push(first)
  for (let i = 1; i < NODES; i++) {
    nodes.push(await spawnNode({ keyFile: join(dir, `n${i}.key`), bootstrap: [first.addr] }))
  }
  for (const n of nodes) {
    await waitFor(
      'topic peers',
      async () => (await n.call<{ topicPeers: number }>('stats')).topicPeers >= 1,
      60_000,
    )
  }
  // let the mesh settle (a few gossipsub heartbeats)
  await new Promise((r) => setTimeout(r, 3_000))
  const latencies: number[] = []
  for (let i = 0; i < PUBLISHES; i++) {
    const src = nodes[i % NODES] as NodeProcess
    const t0 = Date.now()
    const { id } = await src.call<{ id: string }>('publish', { station: `bench-${i}`, reading: 1, at: t0 })
    const others = nodes.filter((n) => n !== src)
    const times = await waitFor(
      `record ${i} everywhere`,
      () => {
        const ts = others.map(
          (n) => n.events.find((e) => e.event === 'record' && e.id === id)?.t as number | undefined,
        )
        return ts.every((t) => t !== undefined) ? (ts as number[]) : undefined
      },
      30_000,
    )
    latencies.push(Math.max(...times) - t0)
    for (const n of others) n.events.length = 0
  }
  latencies.sort((a, b) => a - b)
  const pct = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0
  console.log(
    JSON.stringify({
      nodes: NODES,
      publishes: PUBLISHES,
      medianMs: pct(50),
      p99Ms: pct(99),
      maxMs: latencies.at(-1),
    }),
  )
} finally {
  await Promise.allSettled(nodes.map((n) => n.stop()))
  rmSync(dir, { recursive: true, force: true })
}
