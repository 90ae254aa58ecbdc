/**
 * The P2P routes of the API server in one process: without -p they answer 503; with a real P2P node
 * (alone on 127.0.0.1) they render its view. Peers, standing and look-up answers from other nodes are
 * tested end to end in network.test.ts.
 */

import { join } from 'node:path'
import { createClient } from '@sentrypeer/client'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiServer, createAllowlist, createApiServer, createMetrics } from '../../src/api/index.js'
import { createP2pNode, type P2pNode } from '../../src/p2p/index.js'
import { createClock, tempStore } from '../api/helpers.js'

const clock = createClock()
const { store, dir, cleanup } = tempStore(clock)
let plain: ApiServer
let withP2p: ApiServer
let p2p: P2pNode

beforeAll(async () => {
  p2p = await createP2pNode(
    { keyFile: join(dir, 'p2p.key'), listen: ['/ip4/127.0.0.1/tcp/0'] },
    { store, logger: pino({ level: 'silent' }) },
  )
  await p2p.start()
  const network = p2p
  const components = { store, metrics: createMetrics(), allowlist: createAllowlist(), now: clock.now }
  plain = await createApiServer({ port: 0 }, components)
  withP2p = await createApiServer({ port: 0 }, { ...components, metrics: createMetrics(), network })
})
afterAll(async () => {
  await plain.close()
  await withP2p.close()
  await p2p.stop()
  await cleanup()
}, 30_000)

describe('P2P routes', () => {
  it('answer 503 P2P_DISABLED on a node without -p', async () => {
    const api = createClient({ baseUrl: plain.url })
    for (const call of [
      () => api.getPeers(),
      () => api.getNetworkStats(),
      () => api.getNetworkIpAddress('45.77.0.2'),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 503, code: 'P2P_DISABLED' })
    }
  })

  it("render this node's identity and counters", async () => {
    const peers = await createClient({ baseUrl: withP2p.url }).getPeers()
    expect(peers).toMatchObject({
      peer_id: p2p.peerId,
      sharing: true,
      analytics: false,
      confirmations: 2,
      peers_connected: 0,
      records_received: 0,
      records_rejected: 0,
      peers: [],
    })
    expect(peers.listen[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/)
    expect(await createClient({ baseUrl: withP2p.url }).getNetworkStats()).toEqual({
      analytics: false,
      nodes: 0,
      totals: {},
      per_node: [],
    })
  })

  it('answer a network look-up with 404 when nobody reported the IP, 400 for a bad IP', async () => {
    // alone, the node waits for its DHT query's timeout (10 s) before answering
    const api = createClient({ baseUrl: withP2p.url, timeoutMs: 60_000 })
    await expect(api.getNetworkIpAddress('45.77.0.3')).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    })
    const res = await fetch(`${withP2p.url}/network/ip-addresses/not-an-ip`)
    expect(res.status).toBe(400)
  }, 60_000)

  it('are in the OpenAPI document', async () => {
    const doc = (await createClient({ baseUrl: withP2p.url }).getOpenApi()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/peers', '/network/ip-addresses/{ip}', '/network/stats']),
    )
  })
})
