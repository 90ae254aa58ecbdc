/**
 * Multi-process tests: every node is its own Node.js process (test/fixtures/node.ts) on 127.0.0.1 with
 * a random port, driven over stdin/stdout JSON lines.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type CatchUpResult,
  type Confirmation,
  createShareNode,
  type LookupResult,
  type PeerStanding,
  type ShareStats,
} from '../src/index.ts'
import { type Observation, ObservationStore } from './fixtures/observation.ts'
import { type NodeProcess, spawnNode, waitFor } from './fixtures/spawn-node.ts'

type Rec = { id: string; key: string; collector: string }

const dir = mkdtempSync(join(tmpdir(), 'share-test-'))
const running: NodeProcess[] = []

async function start(
  name: string,
  options: Record<string, unknown> = {},
  script?: string,
): Promise<NodeProcess> {
  const n = await spawnNode(
    { keyFile: join(dir, `${name}.key`), storeFile: join(dir, `${name}.jsonl`), ...options },
    script,
  )
  running.push(n)
  return n
}

async function ids(n: NodeProcess): Promise<Set<string>> {
  return new Set((await n.call<Rec[]>('records')).map((r) => r.id))
}

async function waitHasAll(what: string, nodes: NodeProcess[], wanted: string[]): Promise<void> {
  await waitFor(what, async () => {
    for (const n of nodes) {
      const have = await ids(n)
      if (!wanted.every((id) => have.has(id))) return false
    }
    return true
  })
}

async function waitTopicPeers(n: NodeProcess, min: number): Promise<void> {
  await waitFor(`${min} topic peers`, async () => (await n.call<ShareStats>('stats')).topicPeers >= min)
}

afterAll(async () => {
  await Promise.allSettled(running.map((n) => n.stop()))
  rmSync(dir, { recursive: true, force: true })
})

// one scenario in steps: each test builds on the records and nodes of the previous ones
describe('a network of sharing nodes', () => {
  let a: NodeProcess
  let b: NodeProcess
  let c: NodeProcess
  let d: NodeProcess
  const published: string[] = []

  beforeAll(async () => {
    a = await start('a', { pageSize: 2 }) // small pages: catch-up answers span several frames
    ;[b, c, d] = await Promise.all([
      start('b', { bootstrap: [a.addr] }),
      start('c', { bootstrap: [a.addr] }),
      start('d', { bootstrap: [a.addr] }),
    ])
    await waitTopicPeers(a, 3)
    await Promise.all([b, c, d].map((n) => waitTopicPeers(n, 1)))
  })

  it('propagates a published record to every node', async () => {
    for (const [i, n] of [a, b, c, d].entries()) {
      const res = await n.call<{ id: string; recipients: number }>('publish', {
        station: `station-${i}`,
        reading: i,
      })
      expect(res.recipients).toBeGreaterThan(0)
      published.push(res.id)
    }
    await waitHasAll('all records on all nodes', [a, b, c, d], published)
    const viaGossip = (await b.call<ShareStats>('stats')).receivedGossip
    expect(viaGossip).toBeGreaterThanOrEqual(3)
  })

  it('grants standing to peers that published their own records, and says why', async () => {
    const s = await a.call<PeerStanding>('standingOf', { peer: b.peerId })
    expect(s.status).toBe('earned')
    expect(s.hasStanding).toBe(true)
    expect(s.ownRecordsInWindow).toBe(1)
    expect(s.reason).toMatch(/published 1 valid records/)
    const all = await a.call<PeerStanding[]>('standing')
    expect(all.map((p) => p.peerId).sort()).toEqual([b.peerId, c.peerId, d.peerId].sort())
  })

  it('confirms a key only when K=2 distinct collectors report it; local records always count', async () => {
    const first = await b.call<{ id: string }>('publish', { station: 'shared-key', reading: 1 })
    await waitHasAll('first report', [c], [first.id])
    expect((await c.call<Confirmation>('confirmation', { key: 'shared-key' })).confirmed).toBe(false)
    expect((await b.call<Confirmation>('confirmation', { key: 'shared-key' })).confirmed).toBe(true)
    const second = await d.call<{ id: string }>('publish', { station: 'shared-key', reading: 2 })
    await waitHasAll('second report', [c], [second.id])
    const conf = await c.call<Confirmation>('confirmation', { key: 'shared-key' })
    expect(conf.confirmed).toBe(true)
    expect(conf.collectors.sort()).toEqual([b.peerId, d.peerId].sort())
    published.push(first.id, second.id)
  })

  it('looks a key up across the network and returns the signed reports', async () => {
    const res = await a.call<Omit<LookupResult<unknown>, 'reports'> & { reports: Rec[] }>('lookup', {
      key: 'station-2',
    })
    expect(res.answered).toBeGreaterThan(0)
    expect(res.reports.length).toBeGreaterThan(0)
    expect(new Set(res.reports.map((r) => r.collector))).toEqual(new Set([c.peerId]))
    const none = await a.call<LookupResult<unknown>>('lookup', { key: 'never-seen' })
    expect(none.reports).toEqual([])
  })

  it('lets a late node catch up with every record of the window', async () => {
    const late = await start('late', { bootstrap: [a.addr] })
    await waitHasAll('late node caught up', [late], published)
    expect((await late.call<ShareStats>('stats')).receivedCatchUp).toBeGreaterThanOrEqual(published.length)
    await late.stop()
  })

  it('lets a restarted node catch up with what it missed, fetching only differing buckets', async () => {
    await c.stop()
    const missed: string[] = []
    await waitFor('a notices c left', async () => (await a.call<ShareStats>('stats')).topicPeers === 2)
    for (const n of [a, b, d]) {
      missed.push((await n.call<{ id: string }>('publish', { station: 'while-c-was-away', reading: 5 })).id)
    }
    c = await start('c', { bootstrap: [a.addr] })
    await waitHasAll('restarted node caught up', [c], [...published, ...missed])
    const again = await c.call<CatchUpResult[]>('catchUp', { peer: a.peerId })
    expect(again[0]?.ok).toBe(true)
    expect(again[0]?.accepted).toBe(0)
    expect(again[0]?.bucketsFetched).toBe(0)
    published.push(...missed)
  })

  it('rejects junk and forged signatures in the topic validator and scores the sender down', async () => {
    const evil = await start('evil', { bootstrap: [a.addr] }, 'attacker.ts')
    await waitFor('attacker in topic', async () => (await evil.call<number>('topicPeers')) >= 1)
    const before = (await a.call<ShareStats>('stats')).invalid
    await evil.call('junk')
    await evil.call('forged', { station: 'forged-key' })
    await evil.call('notCollector', { station: 'relayed-key' })
    const after = await waitFor('invalid counted', async () => {
      const s = await a.call<ShareStats>('stats')
      return s.invalid >= before + 3 ? s : undefined
    })
    expect(after.invalidByCode.NOT_COLLECTOR).toBe(1)
    expect(after.invalidByCode.BAD_SIGNATURE).toBeGreaterThanOrEqual(1)
    expect(after.invalidByCode.UNDECODABLE ?? after.invalidByCode.BAD_VERSION).toBeGreaterThanOrEqual(1)
    // gossipsub caches scores for a heartbeat; wait for the penalty to show
    const st = await waitFor('attacker scored down', async () => {
      const x = await a.call<PeerStanding>('standingOf', { peer: evil.peerId })
      return (x.gossipScore ?? 0) < 0 ? x : undefined
    })
    expect(st.invalidRecords).toBeGreaterThanOrEqual(2)
    expect(st.hasStanding).toBe(true) // still in its grace period: the score, not standing, punished it
    // a hostile catch-up requester: junk request, then one bucket asked twice
    expect(await evil.call<string[]>('abuseCatchUp', { peer: a.peerId })).toEqual([
      'refused:BAD_REQUEST',
      'digest',
      'end:',
      'refused:BAD_REQUEST',
    ])
    for (const n of [a, b, d]) {
      const keys = (await n.call<Rec[]>('records')).map((r) => r.key)
      expect(keys).not.toContain('forged-key')
      expect(keys).not.toContain('relayed-key')
    }
  })
})

describe('tit-for-tat', () => {
  it('gives nothing to a peer that does not share once its grace period is over', async () => {
    const grace = { gracePeriodMs: 3_000 }
    const hub = await start('hub', { ...grace, requestsPerPeerPerMinute: 4 })
    const peer = await start('peer', { ...grace, bootstrap: [hub.addr] })
    const leech = await start('leech', { ...grace, bootstrap: [hub.addr] })
    const optOut = await start('opt-out', { ...grace, share: false, bootstrap: [hub.addr] })
    await waitTopicPeers(hub, 2)
    // the sharing peer earns standing by publishing what it collected
    const own = await peer.call<{ id: string }>('publish', { station: 'peer-own', reading: 1 })
    await waitHasAll('peer record on hub', [hub], [own.id])
    await waitFor('leech grace over', async () => {
      const s = await hub.call<PeerStanding>('standingOf', { peer: leech.peerId })
      return s.status === 'none'
    })
    const s = await hub.call<PeerStanding>('standingOf', { peer: leech.peerId })
    expect(s.hasStanding).toBe(false)
    expect(s.reason).toMatch(/grace period ended/)
    expect((await hub.call<PeerStanding>('standingOf', { peer: peer.peerId })).status).toBe('earned')
    // every honest node prunes the leech from its mesh once its score turns negative
    for (const n of [hub, peer]) {
      await waitFor('leech out of mesh', async () => {
        const st = await n.call<PeerStanding>('standingOf', { peer: leech.peerId })
        return !st.hasStanding && st.inMesh === false && (st.gossipScore ?? 0) < -50
      })
    }
    const fresh = await hub.call<{ id: string }>('publish', { station: 'after-grace', reading: 2 })
    await waitHasAll('sharing peer gets it', [peer], [fresh.id])
    // give gossip the same time again: neither the leech nor the opted-out node may get it
    await new Promise((r) => setTimeout(r, 3_000))
    expect((await ids(leech)).has(fresh.id)).toBe(false)
    expect((await ids(optOut)).has(fresh.id)).toBe(false)
    expect((await ids(optOut)).size).toBe(0)
    const refused = await leech.call<CatchUpResult[]>('catchUp', { peer: hub.peerId })
    expect(refused[0]?.refused?.code).toBe('NO_STANDING')
    const lookup = await leech.call<LookupResult<unknown>>('lookup', { key: 'after-grace' })
    expect(lookup.reports).toEqual([])
    expect(lookup.refused).toBeGreaterThan(0)
    await expect(optOut.call('catchUp', { peer: hub.peerId })).rejects.toMatchObject({
      code: 'SHARING_DISABLED',
    })
  })
})

describe('opt-in analytics', () => {
  it('publishes aggregate counters only from nodes that opted in, and only to them', async () => {
    const fast = { analyticsIntervalMs: 500 }
    const x = await start('an-x', { ...fast, analytics: true })
    const y = await start('an-y', { ...fast, analytics: true, bootstrap: [x.addr] })
    const z = await start('an-z', { ...fast, bootstrap: [x.addr] })
    await z.call('publish', { station: 'z-own', reading: 1 })
    const report = await waitFor('analytics from y on x', () =>
      x.events.find((e) => e.event === 'analytics' && e.from === y.peerId),
    )
    const counters = report.counters as Record<string, number>
    expect(Object.keys(counters).sort()).toEqual(
      ['invalid', 'peers', 'published', 'receivedCatchUp', 'receivedGossip', 'records'].sort(),
    )
    expect(Object.values(counters).every((v) => typeof v === 'number')).toBe(true)
    await waitFor('analytics from x on y', () =>
      y.events.find((e) => e.event === 'analytics' && e.from === x.peerId),
    )
    // z did not opt in: it neither publishes nor receives analytics
    expect(z.events.filter((e) => e.event === 'analytics')).toEqual([])
    expect([...x.events, ...y.events].some((e) => e.event === 'analytics' && e.from === z.peerId)).toBe(false)
  })
})

describe('catch-up verification on worker threads', () => {
  it('refuses a forged record in the middle of a page, counts it against the sender, keeps the rest in order', async () => {
    const victim = await start('victim', { verifyWorkers: 2, minVerifyBatch: 16 })
    const evil = await start(
      'evil-responder',
      { bootstrap: [victim.addr], serve: 300, forgedAt: [150] },
      'attacker.ts',
    )
    const stats = await waitFor('catch-up from the hostile responder', async () => {
      const s = await victim.call<ShareStats>('stats')
      return s.receivedCatchUp + s.invalid >= 300 ? s : undefined
    })
    expect(stats.receivedCatchUp).toBe(299)
    expect(stats.invalidByCode).toEqual({ BAD_SIGNATURE: 1 })
    expect(stats.verifyWorkers).toBe(2)
    expect(stats.verifyWorkerCrashes).toBe(0)
    expect((await victim.call<PeerStanding>('standingOf', { peer: evil.peerId })).invalidRecords).toBe(1)
    const keys = (await victim.call<Rec[]>('records')).map((r) => r.key)
    expect(keys).not.toContain('served-150')
    expect(keys).toContain('served-149')
    expect(keys).toContain('served-151')
    // delivered in page order: the sink saw served-0 ... served-299 without 150
    const events = victim.events.filter((e) => e.event === 'record').map((e) => e.key)
    expect(events).toEqual(
      Array.from({ length: 300 }, (_, i) => `served-${i}`).filter((k) => k !== 'served-150'),
    )
    await evil.stop()
    await victim.stop()
  })

  it('starts the workers on the first catch-up and terminates them on stop', async () => {
    const store = new ObservationStore()
    const node = createShareNode<Observation>(
      {
        privateKey: await generateKeyPair('Ed25519'),
        listen: ['/ip4/127.0.0.1/tcp/0'],
        allowPrivateAddresses: true,
        verifyWorkers: 2,
        minVerifyBatch: 16,
      },
      store.components(),
    )
    await node.start()
    try {
      expect(node.stats().verifyWorkers).toBe(0) // nothing started before there is something to verify
      const server = await start('server', { bootstrap: node.multiaddrs, serve: 200 }, 'attacker.ts')
      await waitFor('records caught up', () => store.records.size >= 200)
      expect(node.stats().verifyWorkers).toBe(2)
      await server.stop()
    } finally {
      await node.stop()
    }
    expect(node.stats().verifyWorkers).toBe(0)
    expect(node.stats().receivedCatchUp).toBe(200)
  })
})
