import { EventEmitter } from 'node:events'
import {
  API_ROUTES,
  type ApiEvent,
  createClient,
  HttpError,
  IpAddressesResponseSchema,
  type SentryPeerClient,
} from '@sentrypeer/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ApiServer,
  type ApiStore,
  createAllowlist,
  createApiServer,
  createMetrics,
  TokenRequiredError,
} from '../../src/api/index.js'
import { APP_VERSION } from '../../src/version.js'
import { createClock, sendRaw, sipEvent, tempStore } from './helpers.js'

const clock = createClock()
const HOUR = 3_600_000

/** 30 IPv4 and 5 IPv6 bad actors; 203.0.113.1 seen 3 times; one address only from a peer. */
async function seed(
  store: ApiStore & { record: (e: ReturnType<typeof sipEvent>) => boolean; flush(): Promise<void> },
) {
  for (let i = 1; i <= 30; i++) {
    store.record(
      sipEvent(
        { sourceIp: `203.0.113.${i}`, eventTime: clock.t - i * 60_000, calledNumberNormalized: `10${i}` },
        clock,
      ),
    )
  }
  for (let i = 0; i < 2; i++) {
    store.record(sipEvent({ sourceIp: '203.0.113.1', method: 'REGISTER', userAgent: 'sipvicious' }, clock))
  }
  for (let i = 1; i <= 5; i++)
    store.record(sipEvent({ sourceIp: `2001:db8::${i}`, eventTime: clock.t - 2 * HOUR }, clock))
  store.record(
    sipEvent(
      { sourceIp: '198.18.0.7', origin: 'peer-1', collectorNodeId: 'node-b', eventTime: clock.t - 3 * HOUR },
      clock,
    ),
  )
  await store.flush()
}

describe('createApiServer without a token (loopback)', () => {
  const ctx = tempStore(clock)
  const events = new EventEmitter()
  let server: ApiServer
  let api: SentryPeerClient

  beforeAll(async () => {
    await seed(ctx.store)
    server = await createApiServer(
      { host: '127.0.0.1', port: 0, corsOrigins: ['http://gui.example'] },
      {
        store: ctx.store,
        metrics: createMetrics(),
        allowlist: createAllowlist({ cidrs: ['203.0.113.30/32'] }),
        events,
        now: clock.now,
      },
    )
    api = createClient({ baseUrl: server.url })
  })
  afterAll(async () => {
    await server.close()
    await ctx.cleanup()
  })

  it('answers /health-check as JSON with the version when asked, else HTML', async () => {
    expect(await api.healthCheck()).toEqual({
      status: 'OK',
      message: 'Hello from SentryPeer!',
      version: APP_VERSION,
    })
    const html = await fetch(`${server.url}/health-check`)
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await html.text()).toContain('Hello from SentryPeer!')
  })

  it('streams the whole /ip-addresses list with SentryPeer field names and numeric seen_count', async () => {
    const res = await fetch(`${server.url}/ip-addresses`)
    expect(res.status).toBe(200)
    const body = IpAddressesResponseSchema.parse(await res.json())
    expect(body.ip_addresses_total).toBe(36)
    expect(body.ip_addresses).toHaveLength(36)
    expect(body.next_cursor).toBeUndefined()
    const one = body.ip_addresses.find((a) => a.ip_address === '203.0.113.1')
    expect(one).toMatchObject({ seen_count: 3, seen_last: new Date(clock.t).toISOString() })
    expect(Object.keys(one ?? {}).sort()).toEqual(['ip_address', 'seen_count', 'seen_last'])
  })

  it('pages /ip-addresses with limit and cursor and the pages add up to the whole list', async () => {
    const first = await api.listIpAddresses({ limit: 10 })
    expect(first.ip_addresses).toHaveLength(10)
    expect(first.ip_addresses_total).toBe(10)
    expect(typeof first.next_cursor).toBe('string')
    const all: string[] = []
    for await (const a of api.iterateIpAddresses({ limit: 7 })) all.push(a.ip_address)
    expect(all).toHaveLength(36)
    expect(new Set(all).size).toBe(36)
    const whole = await api.listIpAddresses()
    expect(all.sort()).toEqual(whole.ip_addresses.map((a) => a.ip_address).sort())
  })

  it('filters /ip-addresses by family, since and origin', async () => {
    const v6 = await api.listIpAddresses({ family: '6' })
    expect(v6.ip_addresses.map((a) => a.ip_address).sort()).toEqual(
      [1, 2, 3, 4, 5].map((i) => `2001:db8::${i}`),
    )
    const recent = await api.listIpAddresses({ since: String(clock.t - 5 * 60_000 - 1) })
    expect(recent.ip_addresses_total).toBe(5)
    const iso = await api.listIpAddresses({ since: new Date(clock.t - 5 * 60_000 - 1).toISOString() })
    expect(iso.ip_addresses_total).toBe(5)
    const remote = await api.listIpAddresses({ origin: 'remote' })
    expect(remote.ip_addresses.map((a) => a.ip_address)).toEqual(['198.18.0.7'])
  })

  it('returns one IP with its recent events, 404 for an unknown IP and 400 for a bad one', async () => {
    const detail = await api.getIpAddress('203.0.113.1', { recent: 2 })
    expect(detail.ip_address_found).toBe('203.0.113.1')
    expect(detail.seen_count).toBe(3)
    expect(detail.recent_events).toHaveLength(2)
    expect(detail.recent_events[0]).toMatchObject({
      method: 'REGISTER',
      user_agent: 'sipvicious',
      transport: 'udp',
    })
    const v6 = await api.getIpAddress('2001:db8::3', { recent: 20 })
    expect(v6.recent_events).toHaveLength(1)
    const summaryOnly = await api.getIpAddress('203.0.113.1', { recent: 0 })
    expect(summaryOnly).toEqual({ ...detail, recent_events: [] })
    // By default the route answers what SentryPeer in C answers: the summary, no events.
    expect(await api.getIpAddress('203.0.113.1')).toEqual(summaryOnly)
    await expect(api.getIpAddress('192.0.2.99', { recent: 0 })).rejects.toMatchObject({ status: 404 })

    const unknown = await api.getIpAddress('192.0.2.99').catch((e: unknown) => e)
    expect(unknown).toBeInstanceOf(HttpError)
    expect(unknown).toMatchObject({ status: 404, code: 'NOT_FOUND', body: { message: 'No bad actor found' } })

    const bad = await fetch(`${server.url}/ip-addresses/not-an-ip`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ code: 'INVALID_PARAM' })
  })

  it('lists /numbers and returns one number, 404 unknown, 400 malformed', async () => {
    const all = await api.listNumbers()
    expect(all.called_numbers_total).toBe(31)
    expect(all.called_numbers.find((n) => n.called_number === '0044123456789')?.seen_count).toBe(8)
    const page = await api.listNumbers({ limit: 5 })
    expect(page.called_numbers).toHaveLength(5)
    expect(page.next_cursor).not.toBeNull()
    const one = await api.getNumber('101', { recent: 20 })
    expect(one).toMatchObject({ phone_number_found: '101', called_number: '101', seen_count: 1 })
    expect(one.recent_events[0]?.source_ip).toBe('203.0.113.1')
    await expect(api.getNumber('999999')).rejects.toMatchObject({
      status: 404,
      body: { message: 'No phone number found' },
    })
    const bad = await fetch(`${server.url}/numbers/${'9'.repeat(65)}`)
    expect(bad.status).toBe(400)
    const quoted = await fetch(`${server.url}/numbers/12%2034`)
    expect(quoted.status).toBe(400)
    const family = await fetch(`${server.url}/numbers?family=4`)
    expect(family.status).toBe(400)
    expect(await family.json()).toMatchObject({ code: 'FILTER_NOT_SUPPORTED' })
  })

  it('lists user agents and SIP methods with counts, and stats per hour and day', async () => {
    const uas = await api.listUserAgents()
    expect(uas.user_agents.find((u) => u.user_agent === 'sipvicious')?.seen_count).toBe(2)
    expect(uas.user_agents.find((u) => u.user_agent === 'friendly-scanner')?.seen_count).toBe(36)
    const methods = await api.listSipMethods({ limit: 1 })
    expect(methods.sip_methods).toHaveLength(1)
    const allMethods = await api.listSipMethods()
    expect(Object.fromEntries(allMethods.sip_methods.map((m) => [m.method, m.seen_count]))).toEqual({
      INVITE: 36,
      REGISTER: 2,
    })
    const hourly = await api.getStats({ bucket: 'hour', since: String(clock.t - 4 * HOUR) })
    expect(hourly.bucket).toBe('hour')
    expect(hourly.events_total).toBe(38)
    expect(hourly.buckets.reduce((s, b) => s + b.events, 0)).toBe(38)
    const daily = await api.getStats({ bucket: 'day', family: '6' })
    expect(daily.events_total).toBe(5)
  })

  it('answers bad input with a 4xx JSON error, never a dropped connection', async () => {
    const cases: Array<[string, number, string, RequestInit?]> = [
      ['/no-such-route', 404, 'NOT_FOUND'],
      ['/ip-addresses?limit=0', 400, 'INVALID_QUERY'],
      ['/ip-addresses?limit=abc', 400, 'INVALID_QUERY'],
      ['/ip-addresses?limit=10001', 400, 'INVALID_QUERY'],
      ['/ip-addresses?family=5', 400, 'INVALID_QUERY'],
      ['/ip-addresses?since=yesterday', 400, 'INVALID_QUERY'],
      ['/ip-addresses?color=red', 400, 'INVALID_QUERY'],
      ['/ip-addresses?limit=1&limit=2', 400, 'INVALID_QUERY'],
      ['/ip-addresses?limit=5&cursor=bm90LWEtY3Vyc29y', 400, 'INVALID_QUERY'],
      ['/blocklist?format=pf', 400, 'INVALID_QUERY'],
      ['/stats?bucket=week', 400, 'INVALID_QUERY'],
      [`/ip-addresses?cursor=${'a'.repeat(9000)}`, 414, 'URL_TOO_LONG'],
      [
        '/ip-addresses',
        400,
        'BODY_NOT_ALLOWED',
        { method: 'GET', body: 'x', headers: { 'content-length': '1' } },
      ],
      ['/ip-addresses', 405, 'METHOD_NOT_ALLOWED', { method: 'POST', body: '{}' }],
      ['/ip-addresses', 405, 'METHOD_NOT_ALLOWED', { method: 'DELETE' }],
    ]
    for (const [url, status, code, init] of cases) {
      const res = await fetch(`${server.url}${url}`, init as RequestInit).catch(async () =>
        rawRequest(server.port, `GET ${url} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx`),
      )
      expect({ url, status: res.status }).toEqual({ url, status })
      const body = (await res.json()) as { code: string; message: string }
      expect({ url, code: body.code }).toEqual({ url, code })
      expect(body.message.length).toBeGreaterThan(0)
    }
  })

  it('answers a request line beyond the HTTP header limit with a JSON 431', async () => {
    const res = await rawRequest(
      server.port,
      `GET /ip-addresses?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    )
    expect(res.status).toBe(431)
    expect(await res.json()).toMatchObject({ code: 'HEADERS_TOO_LARGE' })
  })

  it('serves an OpenAPI 3.1 document generated from the shared schemas', async () => {
    const doc = (await api.getOpenApi()) as {
      openapi: string
      info: { version: string }
      paths: Record<string, { get: { parameters: Array<{ name: string; schema: { type?: string } }> } }>
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.version).toBe(APP_VERSION)
    expect(Object.keys(doc.paths).sort()).toEqual(API_ROUTES.map((r) => r.path).sort())
    const limit = doc.paths['/ip-addresses']?.get.parameters.find((p) => p.name === 'limit')
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 10_000 })
    const ip = doc.paths['/ip-addresses/{ip}']?.get.parameters.find((p) => p.name === 'ip')
    expect(ip).toMatchObject({ in: 'path', required: true })
  })

  it('sends CORS headers only to configured origins', async () => {
    const allowed = await fetch(`${server.url}/health-check`, { headers: { origin: 'http://gui.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://gui.example')
    const other = await fetch(`${server.url}/health-check`, { headers: { origin: 'http://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${server.url}/ip-addresses`, {
      method: 'OPTIONS',
      headers: { origin: 'http://gui.example', 'access-control-request-method': 'GET' },
    })
    expect(preflight.status).toBe(204)
  })

  it('streams new events over Server-Sent Events', async () => {
    const base = events.listenerCount('event')
    const abort = new AbortController()
    const received: ApiEvent[] = []
    const iterator = api.streamEvents({ signal: abort.signal })[Symbol.asyncIterator]()
    const next = iterator.next()
    // The stream is open once the server has a listener; then emit.
    while (events.listenerCount('event') === base) await new Promise((r) => setTimeout(r, 5))
    const e = sipEvent({ sourceIp: '192.0.2.77', method: 'OPTIONS' }, clock)
    events.emit('event', e)
    const first = await next
    if (!first.done) received.push(first.value)
    abort.abort()
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ source_ip: '192.0.2.77', method: 'OPTIONS', event_uuid: e.eventUuid })
    while (events.listenerCount('event') !== base) await new Promise((r) => setTimeout(r, 5))
  })
})

describe('createApiServer with a token', () => {
  const ctx = tempStore(clock)
  let server: ApiServer
  const token = 'test-token-0123456789'

  beforeAll(async () => {
    await seed(ctx.store)
    server = await createApiServer(
      { host: '127.0.0.1', port: 0, token },
      { store: ctx.store, metrics: createMetrics(), allowlist: createAllowlist(), now: clock.now },
    )
  })
  afterAll(async () => {
    await server.close()
    await ctx.cleanup()
  })

  it('requires the bearer token on every route but /health-check', async () => {
    const anonymous = createClient({ baseUrl: server.url })
    expect((await anonymous.healthCheck()).status).toBe('OK')
    for (const route of API_ROUTES) {
      if (route.path === '/health-check') continue
      const url = `${server.url}${route.path.replace('{ip}', '203.0.113.1').replace('{number}', '101')}`
      const res = await fetch(url)
      expect({ path: route.path, status: res.status }).toEqual({
        path: route.path,
        status: route.auth === 'crowdsec' ? 403 : 401,
      })
      const body = (await res.json()) as { code: string }
      expect(body.code).toBe(route.auth === 'crowdsec' ? 'FORBIDDEN' : 'UNAUTHORIZED')
    }
    const wrong = createClient({ baseUrl: server.url, token: 'nope' })
    await expect(wrong.listIpAddresses()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    await expect(wrong.getDecisionsStream({ startup: 'true' })).rejects.toMatchObject({ status: 403 })
  })

  it('serves every route to a client with the token', async () => {
    const api = createClient({ baseUrl: server.url, token })
    expect((await api.listIpAddresses()).ip_addresses_total).toBe(36)
    expect((await api.getIpAddress('203.0.113.1')).seen_count).toBe(3)
    expect((await api.listNumbers({ limit: 2 })).called_numbers).toHaveLength(2)
    expect((await api.getNumber('101')).seen_count).toBe(1)
    expect((await api.listUserAgents()).user_agents_total).toBe(2)
    expect((await api.listSipMethods()).sip_methods_total).toBe(2)
    expect((await api.getStats()).events_total).toBe(38)
    expect(await api.getBlocklist()).toContain('203.0.113.1\n')
    // 198.18.0.7 was reported by one peer collector only: stored and listed, but not confirmed (K = 2)
    expect((await api.getDecisionsStream({ startup: 'true' })).new?.length).toBe(35)
    expect(await api.getMetrics()).toContain('sentrypeer_api_requests_total')
    expect((await api.getOpenApi()).openapi).toBe('3.1.0')
    // The CrowdSec route takes the token in X-Api-Key, as bouncers send it.
    const res = await fetch(`${server.url}/v1/decisions/stream?startup=true`, {
      headers: { 'x-api-key': token },
    })
    expect(res.status).toBe(200)
  })

  it('rejects when the port is taken and leaves no listener behind', async () => {
    const events = new EventEmitter()
    await expect(
      createApiServer(
        { host: '127.0.0.1', port: server.port, token },
        { store: ctx.store, metrics: createMetrics(), allowlist: createAllowlist(), events },
      ),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' })
    expect(events.listenerCount('event')).toBe(0)
  })

  it('refuses to bind a non-loopback address without a token', async () => {
    await expect(
      createApiServer(
        { host: '0.0.0.0', port: 0 },
        { store: ctx.store, metrics: createMetrics(), allowlist: createAllowlist() },
      ),
    ).rejects.toBeInstanceOf(TokenRequiredError)
  })
})

/** Sends raw bytes and parses the HTTP response (for requests fetch refuses to send). */
async function rawRequest(
  port: number,
  request: string,
): Promise<{ status: number; json: () => Promise<unknown> }> {
  const data = await sendRaw(port, request)
  const status = Number(data.slice(9, 12))
  const body = data.slice(data.indexOf('\r\n\r\n') + 4)
  return { status, json: async () => JSON.parse(body) }
}

describe('unpaged lists longer than one store page', () => {
  const ctx = tempStore(clock)
  let server: ApiServer

  beforeAll(async () => {
    for (let i = 0; i < 10_050; i++) {
      ctx.store.record(
        sipEvent(
          {
            sourceIp: `198.18.${i >> 8}.${i & 255}`,
            calledNumberNormalized: `7${i}`,
            eventTime: clock.t - i,
          },
          clock,
        ),
      )
      if (i % 5000 === 4999) await ctx.store.flush()
    }
    await ctx.store.flush()
    server = await createApiServer(
      { host: '127.0.0.1', port: 0 },
      { store: ctx.store, metrics: createMetrics(), allowlist: createAllowlist(), now: clock.now },
    )
  })
  afterAll(async () => {
    await server.close()
    await ctx.cleanup()
  })

  it('streams every number and every IP, each exactly once', async () => {
    const api = createClient({ baseUrl: server.url })
    const numbers = await api.listNumbers()
    expect(numbers.called_numbers_total).toBe(10_050)
    expect(new Set(numbers.called_numbers.map((n) => n.called_number)).size).toBe(10_050)
    const ips = await api.listIpAddresses()
    expect(ips.ip_addresses_total).toBe(10_050)
    expect(new Set(ips.ip_addresses.map((a) => a.ip_address)).size).toBe(10_050)
    const plain = (await api.getBlocklist()).split('\n').filter((l) => l.startsWith('198.18.'))
    expect(plain).toHaveLength(10_050)
  })
})
