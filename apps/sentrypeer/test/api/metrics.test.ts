import { execFileSync } from 'node:child_process'
import { createClient } from '@sentrypeer/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ApiServer,
  createAllowlist,
  createApiServer,
  createMetrics,
  MAX_SERIES_PER_METRIC,
  type Metrics,
} from '../../src/api/index.js'
import { createClock, requireTool, sendRaw, sipEvent, tempStore } from './helpers.js'

const clock = createClock()

/** `promtool check metrics` reads the exposition on stdin; it exits non-zero on any problem. */
function promtool(text: string): { status: number; output: string } {
  requireTool('promtool', 'prometheus')
  try {
    const output = execFileSync('promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      stdio: 'pipe',
    })
    return { status: 0, output }
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string }
    return { status: e.status, output: `${e.stdout}${e.stderr}` }
  }
}

describe('GET /metrics', () => {
  const ctx = tempStore(clock)
  let server: ApiServer
  let metrics: Metrics

  beforeAll(async () => {
    ctx.store.record(sipEvent({ sourceIp: '203.0.113.5' }, clock))
    await ctx.store.flush()
    metrics = createMetrics()
    server = await createApiServer(
      { host: '127.0.0.1', port: 0 },
      {
        store: ctx.store,
        metrics,
        allowlist: createAllowlist(),
        now: clock.now,
        p2p: { status: () => ({ peers: 3, recordsSent: 10, recordsReceived: 7, recordsRejected: 1 }) },
      },
    )
  })
  afterAll(async () => {
    await server.close()
    await ctx.cleanup()
  })

  it('exposes SIP, parse error, drop, database, API and P2P figures that promtool accepts', async () => {
    metrics.sipEvent('udp', 'INVITE')
    metrics.sipEvent('udp', 'INVITE')
    metrics.sipEvent('tcp', 'OPTIONS')
    metrics.sipEvent('tls', 'X-EVIL"\n{method}')
    metrics.parseError('BAD_START_LINE')
    metrics.packetDropped('rate_limited')
    metrics.counter('sentrypeer_webhook_errors_total', 'Webhook deliveries that failed').inc()
    metrics.gauge('sentrypeer_tcp_connections', 'Open SIP TCP connections').set(4)
    const api = createClient({ baseUrl: server.url })
    await api.listIpAddresses()
    await api.getIpAddress('192.0.2.1').catch(() => undefined)
    await sendRaw(server.port, `GET /?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
    const text = await api.getMetrics()
    expect(text).toContain('sentrypeer_api_malformed_requests_total{code="HEADERS_TOO_LARGE"} 1')
    expect(text).toContain('sentrypeer_sip_events_total{method="INVITE",transport="udp"} 2')
    expect(text).toContain('sentrypeer_sip_events_total{method="OTHER",transport="tls"} 1')
    expect(text).toContain('sentrypeer_sip_parse_errors_total{code="BAD_START_LINE"} 1')
    expect(text).toContain('sentrypeer_packets_dropped_total{reason="rate_limited"} 1')
    expect(text).toContain('sentrypeer_api_requests_total{route="/ip-addresses",status="200"} 1')
    expect(text).toContain('sentrypeer_api_requests_total{route="/ip-addresses/:ip",status="404"} 1')
    expect(text).toMatch(/^sentrypeer_db_queue_depth \d+$/m)
    expect(text).toMatch(/^sentrypeer_db_last_flush_seconds [\d.e-]+$/m)
    expect(text).toContain('sentrypeer_db_events_inserted_total 1')
    expect(text).toContain('sentrypeer_p2p_peers 3')
    expect(text).toContain('sentrypeer_tcp_connections 4')
    const res = await fetch(`${server.url}/metrics`)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const check = promtool(text)
    expect(check).toEqual({ status: 0, output: '' })
  })

  it('promtool rejects broken exposition (the check can fail)', () => {
    const check = promtool('# TYPE x counter\nx{a="1} 1\n')
    expect(check.status).not.toBe(0)
  })
})

describe('createMetrics', () => {
  it('escapes label values and folds label sets beyond the series limit into other', () => {
    const m = createMetrics()
    const c = m.counter('sentrypeer_test_total', 'test')
    c.inc({ k: 'a\\b"c\nd' })
    for (let i = 0; i < MAX_SERIES_PER_METRIC + 10; i++) c.inc({ k: `v${i}` })
    const text = m.render()
    expect(text).toContain('sentrypeer_test_total{k="a\\\\b\\"c\\nd"} 1')
    expect(text).toContain('sentrypeer_test_total{k="other"} 11')
    expect(text.split('\n').filter((l) => l.startsWith('sentrypeer_test_total{'))).toHaveLength(
      MAX_SERIES_PER_METRIC + 1,
    )
    expect(() => m.gauge('sentrypeer_test_total', 'not a gauge')).toThrow(RangeError)
  })
})

describe('sentrypeer_sip_events_total', () => {
  it('counts every event under its (transport, method) series, whatever the spelling and however many', () => {
    const metrics = createMetrics()
    for (let i = 0; i < 1_000; i++) metrics.sipEvent('udp', `X-SCAN-${i}`) // more spellings than are kept
    for (let i = 0; i < 3; i++) metrics.sipEvent('udp', 'invite')
    metrics.sipEvent('udp', 'INVITE')
    metrics.sipEvent('tcp', 'INVITE')
    metrics.sipEvent('sctp', 'OPTIONS')
    for (let i = 0; i < 2; i++) metrics.sipEvent('udp', 'X-SCAN-7') // a kept spelling, counted again
    const lines = metrics.render().split('\n')
    expect(lines).toContain('sentrypeer_sip_events_total{method="OTHER",transport="udp"} 1002')
    expect(lines).toContain('sentrypeer_sip_events_total{method="INVITE",transport="udp"} 4')
    expect(lines).toContain('sentrypeer_sip_events_total{method="INVITE",transport="tcp"} 1')
    expect(lines).toContain('sentrypeer_sip_events_total{method="OPTIONS",transport="other"} 1')
    expect(lines.filter((l) => l.startsWith('sentrypeer_sip_events_total{'))).toHaveLength(4)
  })
})
