import { type ApiEvent, createClient } from '@sentrypeer/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DaemonHandle } from '../../src/daemon.js'
import { sipRequest, type UdpClient, udpClient } from '../helpers/sip-client.js'
import { startTestDaemon } from '../helpers/start-test-daemon.js'

/** The API as the running daemon serves it: SIP packets in, API answers out, with a token. */
describe('the daemon API', () => {
  const token = 'daemon-api-token'
  let daemon: DaemonHandle
  let scanner: UdpClient

  beforeAll(async () => {
    ;({ daemon } = await startTestDaemon({ api: true, apiListen: '127.0.0.1:0', apiToken: token }))
    // 127.0.0.2 is loopback: recorded and listed, but allowlisted out of every firewall feed.
    scanner = await udpClient('127.0.0.2')
  })
  afterAll(async () => {
    await scanner?.close()
    await daemon?.close()
  })

  it('serves what the SIP listener recorded, live over SSE and then from the database', async () => {
    const api = daemon.api
    expect(api).toBeDefined()
    const client = createClient({ baseUrl: api?.url ?? '', token })
    expect((await client.healthCheck()).status).toBe('OK')
    await expect(createClient({ baseUrl: api?.url ?? '' }).listIpAddresses()).rejects.toMatchObject({
      status: 401,
    })

    const abort = new AbortController()
    const live: ApiEvent[] = []
    const streaming = (async () => {
      for await (const e of client.streamEvents({ signal: abort.signal })) live.push(e)
    })()
    const port = (daemon.listening.udp[0] as { port: number }).port
    // Resend until the stream has seen one (the SSE subscription may not be up for the first packet).
    while (live.length === 0) {
      await scanner.send(
        sipRequest({ method: 'INVITE', uri: 'sip:00442079460000@127.0.0.1', userAgent: 'sipcli/v1.8' }),
        port,
        '127.0.0.1',
      )
      await new Promise((r) => setTimeout(r, 50))
    }
    abort.abort()
    await streaming
    expect(live[0]).toMatchObject({
      source_ip: '127.0.0.2',
      method: 'INVITE',
      user_agent: 'sipcli/v1.8',
      transport: 'udp',
    })

    // The store writes in batches: poll until the event is on disk (the test timeout bounds the wait).
    let listed = await client.listIpAddresses()
    while (listed.ip_addresses.length === 0) {
      await new Promise((r) => setTimeout(r, 20))
      listed = await client.listIpAddresses()
    }
    expect(listed.ip_addresses.map((a) => a.ip_address)).toEqual(['127.0.0.2'])
    const detail = await client.getIpAddress('127.0.0.2', { recent: 1 })
    expect(detail.recent_events[0]?.called_number_raw).toContain('00442079460000')
    expect((await client.listSipMethods()).sip_methods.map((m) => m.method)).toContain('INVITE')
    expect((await client.listUserAgents()).user_agents.map((u) => u.user_agent)).toContain('sipcli/v1.8')

    const blocklist = await client.getBlocklist({ format: 'plain' })
    expect(blocklist).not.toContain('127.0.0.2')
    expect((await client.getDecisionsStream({ startup: 'true' })).new).toEqual([])
    expect(await client.getMetrics()).toContain('sentrypeer_api_requests_total')
  })
})
