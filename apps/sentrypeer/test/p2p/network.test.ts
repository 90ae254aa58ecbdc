/**
 * Multi-process P2P tests: every node is a real `sentrypeer` process (P2P on 127.0.0.x, API on a random
 * port). Attackers are addresses in a network namespace this test creates (veth pair, public-looking
 * 45.77.x.0/24 addresses that never leave the machine), since records about loopback or private
 * addresses are never shared. Needs root (`ip netns`), as CI runs.
 */
import { execFileSync, spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createClient, HttpError, type SentryPeerClient } from '@sentrypeer/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireTool } from '../api/helpers.js'
import { type DaemonProcess, readyLine, spawnDaemon } from '../helpers/daemon-process.js'
import { binPath, tempDir } from '../helpers/paths.js'
import { runTool, type ToolResult } from '../helpers/run-tool.js'

const here = dirname(fileURLToPath(import.meta.url))
const tag = `${process.pid % 100_000}`
const NS = `spp2p${tag}`
const VETH_ROOT = `vsp${tag}r`
const VETH_NS = `vsp${tag}n`
const octet = 1 + (process.pid % 250)
const HONEYPOT_IP = `45.77.${octet}.1`
const attacker = (host: number): string => `45.77.${octet}.${host}`
/** A private (RFC 1918) attacker address on the same link: seen locally, never shared. */
const PRIVATE_ATTACKER = `10.99.${octet}.2`
/** Attacker addresses; the first is the namespace's primary address (sipsak sends from it). */
const ATTACKER_HOSTS = [2, 3, 4, 5, 10]
/** Grace period of a new peer: short, so the --no-share node loses it within the test. */
const GRACE_MS = 4_000

const root = tempDir('sentrypeer-p2p-')
const configFile = join(root, 'config.json')

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })
}

interface Node {
  name: string
  dir: string
  proc: DaemonProcess
  peerId: string
  addr: string
  api: SentryPeerClient
  apiUrl: string
  sipPort?: number
}

const nodes = new Map<string, Node>()
let nextHost = 10

async function startNode(
  name: string,
  opts: { sip?: boolean; share?: boolean; bootstrap?: string[]; extra?: string[] } = {},
): Promise<Node> {
  const dir = join(root, name)
  const host = nextHost++
  const args = [
    '-p',
    '-a',
    '--api-listen',
    '127.0.0.1:0',
    '--p2p-listen',
    `/ip4/127.0.0.${host}/tcp/0`,
    '-f',
    join(dir, 'sentrypeer.db'),
    '-g',
    configFile,
  ]
  if (opts.sip === false) args.push('-R')
  else args.push('-r', '--sip-listen', `${HONEYPOT_IP}:0`, '--tls-listen', `${HONEYPOT_IP}:0`)
  if (opts.share === false) args.push('--no-share')
  for (const b of opts.bootstrap ?? []) args.push('-b', b)
  args.push(...(opts.extra ?? []))
  const proc = await spawnDaemon(args)
  const ready = readyLine<{ peerId: string; p2p: string[]; api: string; udp: string[] }>(proc)
  const udp = ready.udp[0]
  const node: Node = {
    name,
    dir,
    proc,
    peerId: ready.peerId,
    addr: ready.p2p[0] ?? '',
    api: createClient({ baseUrl: ready.api }),
    apiUrl: ready.api,
    ...(udp !== undefined ? { sipPort: Number(udp.slice(udp.lastIndexOf(':') + 1)) } : {}),
  }
  nodes.set(name, node)
  return node
}

function node(name: string): Node {
  const n = nodes.get(name)
  if (n === undefined) throw new Error(`no node ${name}`)
  return n
}

/** One INVITE from `source` (an attacker address in the namespace) to a node's SIP port. */
function sendSip(source: string, to: Node, number: string): void {
  execFileSync(
    'ip',
    [
      'netns',
      'exec',
      NS,
      process.execPath,
      join(here, 'fixtures', 'send-sip.mjs'),
      source,
      HONEYPOT_IP,
      String(to.sipPort),
      number,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
}

/** How often a node's API has seen an IP (0 when unknown). */
async function seen(n: Node, address: string): Promise<number> {
  try {
    return (await n.api.getIpAddress(address, { recent: 0 })).seen_count
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return 0
    throw err
  }
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function allSee(names: string[], address: string, count: number): Promise<boolean> {
  const counts = await Promise.all(names.map((n) => seen(node(n), address)))
  return counts.every((c) => c >= count)
}

/** Runs the `sentrypeer` command to completion; the test's own timeout bounds it. */
function runCli(args: string[]): Promise<ToolResult> {
  return runTool(process.execPath, [binPath, ...args], { timeoutMs: 60_000 })
}

const SHARING = ['a', 'b', 'c', 'd', 'e']

beforeAll(async () => {
  requireTool('sipsak', 'sipsak')
  try {
    ip(['netns', 'add', NS])
  } catch (err) {
    throw new Error(
      `this test needs network namespaces (run as root: ip netns add): ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`,
    )
  }
  ip(['link', 'add', VETH_ROOT, 'type', 'veth', 'peer', 'name', VETH_NS])
  ip(['link', 'set', VETH_NS, 'netns', NS])
  ip(['addr', 'add', `${HONEYPOT_IP}/24`, 'dev', VETH_ROOT])
  ip(['addr', 'add', `10.99.${octet}.1/24`, 'dev', VETH_ROOT])
  ip(['link', 'set', VETH_ROOT, 'up'])
  for (const h of ATTACKER_HOSTS)
    ip(['netns', 'exec', NS, 'ip', 'addr', 'add', `${attacker(h)}/24`, 'dev', VETH_NS])
  ip(['netns', 'exec', NS, 'ip', 'addr', 'add', `${PRIVATE_ATTACKER}/24`, 'dev', VETH_NS])
  ip(['netns', 'exec', NS, 'ip', 'link', 'set', VETH_NS, 'up'])
  ip(['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up'])
  writeFileSync(
    configFile,
    JSON.stringify({
      p2p: {
        gracePeriodMs: GRACE_MS,
        reconnectIntervalMs: 1_000,
        catchUpIntervalMs: 5_000,
        analyticsIntervalMs: 1_000,
      },
    }),
  )
  // A and B opt in to analytics; C, D and E do not
  const a = await startNode('a', { extra: ['--analytics'] })
  await Promise.all(
    ['b', 'c', 'd', 'e'].map((n) =>
      startNode(n, { bootstrap: [a.addr], ...(n === 'b' ? { extra: ['--analytics'] } : {}) }),
    ),
  )
}, 120_000)

afterAll(async () => {
  await Promise.all([...nodes.values()].map((n) => n.proc.stop('SIGTERM')))
  hostile?.kill('SIGKILL')
  try {
    ip(['netns', 'del', NS])
  } catch {
    // not created
  }
  try {
    ip(['link', 'del', VETH_ROOT])
  } catch {
    // removed with the namespace
  }
  rmSync(root, { recursive: true, force: true })
}, 60_000)

let hostile: ReturnType<typeof spawn> | undefined

describe('five sharing sentrypeer processes', () => {
  it('a sighting at any node reaches every other node, and every node earns standing', async () => {
    const source = attacker(10)
    for (const [i, n] of SHARING.entries()) sendSip(source, node(n), `10${i}`)
    await waitFor('every node to see all five sightings', () => allSee(SHARING, source, 5))
    const peers = await node('a').api.getPeers()
    expect(peers.peer_id).toBe(node('a').peerId)
    expect(peers.sharing).toBe(true)
    const standing = new Map(peers.peers.map((p) => [p.peer_id, p]))
    for (const n of ['b', 'c', 'd', 'e']) {
      expect(standing.get(node(n).peerId)).toMatchObject({
        status: 'earned',
        has_standing: true,
        connected: true,
      })
    }
    // a received event carries the collector, never the other honeypot's address
    const detail = await node('b').api.getIpAddress(source, { recent: 10 })
    const fromA = detail.recent_events.find((e) => e.called_number === '100')
    expect(fromA).toBeDefined()
  }, 60_000)

  it('opt-in analytics: aggregate counters from the nodes that opted in, nothing from the others', async () => {
    const a = node('a')
    const b = node('b')
    const stats = await waitFor("A to get B's counters", async () => {
      const s = await a.api.getNetworkStats()
      return s.per_node.some((n) => n.peer_id === b.peerId && (n.counters.local_events ?? 0) >= 1) && s
    })
    expect(stats.analytics).toBe(true)
    const reporters = stats.per_node.map((n) => n.peer_id)
    for (const n of ['c', 'd', 'e']) expect(reporters).not.toContain(node(n).peerId)
    expect(stats.totals.local_events).toBeGreaterThanOrEqual(1)
    expect(Object.keys(stats.totals).some((k) => k.startsWith('method_'))).toBe(true)
    // counters only: nothing per event (no addresses, no numbers)
    expect(JSON.stringify(stats)).not.toContain(attacker(10))
    expect(await node('c').api.getNetworkStats()).toMatchObject({ analytics: false, nodes: 0 })
  }, 60_000)

  it('SIP sent to node A (sipsak) shows up in every other node, but blocks only once a second collector reports it', async () => {
    const target = attacker(2) // the namespace's primary address: sipsak sends from it
    const a = node('a')
    execFileSync('ip', ['netns', 'exec', NS, 'sipsak', '-s', `sip:2000@${HONEYPOT_IP}:${a.sipPort}`], {
      stdio: 'ignore',
    })
    await waitFor('B..E to see the sipsak sighting', () => allSee(['b', 'c', 'd', 'e'], target, 1))
    // one collector (A): stored everywhere, blocked at A (a local sighting always counts), not at B
    expect(await a.api.getBlocklist()).toContain(`${target}\n`)
    const b = node('b')
    expect(await b.api.getBlocklist()).not.toContain(`${target}\n`)
    expect(await b.api.getBlocklist()).toContain(`${attacker(10)}\n`)
    const decisions = await b.api.getDecisionsStream({ startup: 'true' })
    expect(decisions.new?.map((d) => d.value)).not.toContain(target)
    // a second collector (C) reports it: now confirmed at B
    sendSip(target, node('c'), '2001')
    await waitFor('B to see the second collector', async () => (await seen(b, target)) >= 2)
    await waitFor('B to block it', async () => (await b.api.getBlocklist()).includes(`${target}\n`))
  }, 60_000)

  it('a sighting from a private address is recorded locally but never shared', async () => {
    const a = node('a')
    sendSip(PRIVATE_ATTACKER, a, '5000')
    await waitFor('A to record the private sighting', async () => (await seen(a, PRIVATE_ATTACKER)) >= 1)
    // a public sighting sent after it reaches B: had the private one been shared, it would be there too
    sendSip(attacker(5), a, '5001')
    await waitFor('B to see the public sighting', async () => (await seen(node('b'), attacker(5))) >= 1)
    expect(await seen(node('b'), PRIVATE_ATTACKER)).toBe(0)
    // and the private address is never exported, even at A (allowlisted by default)
    expect(await a.api.getBlocklist()).not.toContain(`${PRIVATE_ATTACKER}\n`)
  }, 60_000)

  it('`sentrypeer lookup IP` asks the network for signed reports', async () => {
    const b = node('b')
    const port = new URL(b.apiUrl).port
    const found = await runCli(['lookup', attacker(2), '--api-listen', `127.0.0.1:${port}`])
    expect(found.code, found.stderr).toBe(0)
    const answer = JSON.parse(found.stdout) as {
      confirmed: boolean
      collectors: string[]
      reports: unknown[]
    }
    expect(answer.confirmed).toBe(true)
    expect(answer.collectors).toEqual(expect.arrayContaining([node('a').peerId, node('c').peerId]))
    expect(answer.reports.length).toBeGreaterThan(0)
    const missing = await runCli(['lookup', attacker(99), '--api-listen', `127.0.0.1:${port}`])
    expect(missing.code).toBe(1)
    const bad = await runCli(['lookup', 'not-an-ip', '--api-listen', `127.0.0.1:${port}`])
    expect(bad.code).toBe(2)
    // `sentrypeer id` prints the identity the daemon uses (the key file next to the database)
    const id = await runCli(['id', '-f', join(node('a').dir, 'sentrypeer.db')])
    expect(id.code, id.stderr).toBe(0)
    expect(id.stdout.trim()).toBe(node('a').peerId)
  }, 60_000)

  it('a node started later catches up the history', async () => {
    await startNode('f', { sip: false, bootstrap: [node('a').addr] })
    await waitFor(
      'F to catch up',
      async () => (await seen(node('f'), attacker(10))) >= 5 && (await seen(node('f'), attacker(2))) >= 2,
    )
  }, 60_000)

  it('a node killed and restarted catches up what it missed', async () => {
    const e = node('e')
    await e.proc.stop('SIGKILL')
    nodes.delete('e')
    sendSip(attacker(3), node('a'), '3000')
    await waitFor('B to see the sighting E missed', async () => (await seen(node('b'), attacker(3))) >= 1)
    nextHost-- // not reused: a new 127.0.0.x is fine, the identity is what matters
    const restarted = await startNode('e', { bootstrap: [node('a').addr] })
    expect(restarted.peerId).toBe(e.peerId)
    await waitFor('E to catch up', async () => (await seen(restarted, attacker(3))) >= 1)
  }, 60_000)

  it('a --no-share node receives nothing once its grace period is over', async () => {
    const g = await startNode('g', { sip: false, share: false, bootstrap: [node('a').addr] })
    const a = node('a')
    await waitFor('A to see G without standing', async () => {
      const p = (await a.api.getPeers()).peers.find((x) => x.peer_id === g.peerId)
      return p !== undefined && p.status === 'none' && !p.has_standing
    })
    sendSip(attacker(4), a, '4000')
    // (F collected nothing itself: past its grace period it gets nothing either, like G)
    await waitFor('the sharing nodes to get it', () => allSee(['b', 'c', 'e'], attacker(4), 1))
    const peers = await g.api.getPeers()
    expect(peers.sharing).toBe(false)
    expect(peers.records_received).toBe(0)
    expect((await g.api.listIpAddresses()).ip_addresses_total).toBe(0)
    await expect(g.api.getNetworkIpAddress(attacker(4))).rejects.toMatchObject({ status: 503 })
  }, 60_000)

  it('a peer sending junk and forged signatures is rejected and scored down', async () => {
    const a = node('a')
    const forgedIps = ['45.77.200.50', '45.77.200.51']
    hostile = spawn(
      process.execPath,
      [
        join(here, 'fixtures', 'hostile-peer.ts'),
        JSON.stringify({
          keyFile: join(root, 'hostile.key'),
          listen: ['/ip4/127.0.0.99/tcp/0'],
          bootstrap: [a.addr],
          forgedIps,
        }),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    )
    const proc = hostile
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream })
    const ready = await new Promise<{ peerId: string }>((resolve, reject) => {
      lines.on('line', (l) => {
        const msg = JSON.parse(l) as { event: string; peerId: string }
        if (msg.event === 'ready') resolve(msg)
      })
      proc.once('exit', (code) => reject(new Error(`hostile peer exited with ${code}`)))
    })
    const standing = async () => (await a.api.getPeers()).peers.find((p) => p.peer_id === ready.peerId)
    await waitFor('A to reject the forged catch-up records', async () => {
      const peers = await a.api.getPeers()
      return (peers.rejected_by_code.BAD_SIGNATURE ?? 0) >= forgedIps.length
    })
    await waitFor('A to reject the junk and score the peer down', async () => {
      // junk until the hostile peer's gossip reaches A (its mesh needs a heartbeat or two)
      proc.stdin?.write('junk\n')
      const peers = await a.api.getPeers()
      const s = await standing()
      return (peers.rejected_by_code.UNDECODABLE ?? 0) >= 1 && s !== undefined && (s.gossip_score ?? 0) < 0
    })
    const s = await standing()
    expect(s?.invalid_records).toBeGreaterThanOrEqual(forgedIps.length + 1)
    for (const forged of forgedIps) expect(await seen(a, forged)).toBe(0)
  }, 60_000)
})
