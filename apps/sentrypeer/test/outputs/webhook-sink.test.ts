import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createWebhookSink, DEFAULT_OAUTH2_AUDIENCE } from '../../src/outputs/index.js'
import { makeEvent, waitFor } from './helpers.js'

interface Received {
  at: number
  path: string
  headers: IncomingMessage['headers']
  body: string
}

type Handler = (req: Received, res: ServerResponse) => void

/** A real HTTP server on 127.0.0.1 that records every request and answers through `handler`. */
async function startServer(handler: Handler): Promise<{ url: string; requests: Received[]; server: Server }> {
  const requests: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r = {
        at: performance.now(),
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(r)
      handler(r, res)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, requests, server }
}

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

async function server(handler: Handler) {
  const s = await startServer(handler)
  servers.push(s.server)
  return s
}

describe('createWebhookSink', () => {
  it('POSTs the event as SentryPeer JSON', async () => {
    const s = await server((_req, res) => res.writeHead(204).end())
    const sink = createWebhookSink({ url: `${s.url}/events`, appVersion: '9.9.9' })
    const event = makeEvent({ userAgent: 'sipvicious' })
    sink.write(event)
    await waitFor(() => (sink.stats().delivered === 1 ? true : undefined))
    await sink.close()
    expect(s.requests).toHaveLength(1)
    const r = s.requests[0] as Received
    expect(r.path).toBe('/events')
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.headers.authorization).toBeUndefined()
    expect(JSON.parse(r.body)).toMatchObject({
      app_name: 'sentrypeer',
      app_version: '9.9.9',
      event_uuid: event.eventUuid,
      source_ip: '192.0.2.7',
      sip_user_agent: 'sipvicious',
      transport_type: 'UDP',
      event_timestamp: '2022-03-10 12:34:56.123000000',
    })
    expect(sink.stats()).toMatchObject({ accepted: 1, delivered: 1, dropped: 0, failures: 0, retries: 0 })
  })

  it('retries failed attempts with exponential backoff, then delivers', async () => {
    let n = 0
    const s = await server((_req, res) => {
      n += 1
      res.writeHead(n <= 2 ? 503 : 200).end('busy')
    })
    const retryMinMs = 100
    const sink = createWebhookSink({
      url: s.url,
      appVersion: '1',
      retryMinMs,
      retryMaxMs: 1000,
      concurrency: 1,
    })
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().delivered === 1 ? true : undefined))
    await sink.close()
    expect(s.requests).toHaveLength(3)
    // the same event each time
    expect(new Set(s.requests.map((r) => r.body)).size).toBe(1)
    expect(sink.stats()).toMatchObject({ delivered: 1, failures: 2, retries: 2, dropped: 0 })
    // Backoff: the k-th retry waits at least half of retryMinMs * 2^(k-1) ("equal jitter"). These are lower
    // bounds of deliberate sleeps, not speed measurements.
    const [a, b, c] = s.requests.map((r) => r.at) as [number, number, number]
    expect(b - a).toBeGreaterThanOrEqual(retryMinMs / 2 - 5)
    expect(c - b).toBeGreaterThanOrEqual(retryMinMs - 5)
  })

  it('gives up after maxAttempts and on a permanent 4xx, counting the events', async () => {
    const s = await server((req, res) =>
      res.writeHead(req.body.includes('"sip_method":"BYE"') ? 400 : 500).end(),
    )
    const sink = createWebhookSink({
      url: s.url,
      appVersion: '1',
      maxAttempts: 3,
      retryMinMs: 10,
      retryMaxMs: 20,
    })
    sink.write(makeEvent({ method: 'BYE' }))
    sink.write(makeEvent({ method: 'INVITE' }))
    await waitFor(() => (sink.stats().gaveUp === 2 ? true : undefined))
    await sink.close()
    const bye = s.requests.filter((r) => r.body.includes('"sip_method":"BYE"'))
    const invite = s.requests.filter((r) => r.body.includes('"sip_method":"INVITE"'))
    expect(bye).toHaveLength(1)
    expect(invite).toHaveLength(3)
    expect(sink.stats()).toMatchObject({ accepted: 2, delivered: 0, dropped: 2, gaveUp: 2, failures: 4 })
  })

  it('gets an OAuth2 token (client credentials), sends it as Bearer, and refreshes it on a 401', async () => {
    let tokenNo = 0
    const tokenBodies: unknown[] = []
    let rejectedOnce = false
    const s = await server((req, res) => {
      if (req.path === '/oauth/token') {
        tokenBodies.push(JSON.parse(req.body))
        tokenNo += 1
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ access_token: `tok-${tokenNo}`, expires_in: 86400, token_type: 'Bearer' }))
        return
      }
      // The API revokes the first token after one event.
      if (
        req.headers.authorization === 'Bearer tok-1' &&
        s.requests.some((r) => r.path === '/events' && r !== req)
      ) {
        rejectedOnce = true
        res.writeHead(401).end()
        return
      }
      res.writeHead(req.headers.authorization?.startsWith('Bearer tok-') ? 201 : 403).end()
    })
    const sink = createWebhookSink({
      url: `${s.url}/events`,
      appVersion: '1',
      concurrency: 1,
      retryMinMs: 10,
      oauth2: { clientId: 'my-id', clientSecret: 'my-secret', tokenUrl: `${s.url}/oauth/token` },
    })
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().delivered === 1 ? true : undefined))
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().delivered === 2 ? true : undefined))
    await sink.close()
    expect(tokenBodies[0]).toEqual({
      client_id: 'my-id',
      client_secret: 'my-secret',
      audience: DEFAULT_OAUTH2_AUDIENCE,
      grant_type: 'client_credentials',
    })
    expect(rejectedOnce).toBe(true)
    const events = s.requests.filter((r) => r.path === '/events')
    expect(events.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
    ])
    expect(sink.stats()).toMatchObject({ delivered: 2, tokenRequests: 2, failures: 1, dropped: 0 })
  })

  it('refreshes an expired token before sending', async () => {
    let tokenNo = 0
    const s = await server((req, res) => {
      if (req.path === '/token') {
        tokenNo += 1
        // expires_in 1 s with a 1 s refresh skew: stale as soon as it is issued
        res.writeHead(200).end(JSON.stringify({ access_token: `t${tokenNo}`, expires_in: 1 }))
        return
      }
      res.writeHead(200).end()
    })
    const sink = createWebhookSink({
      url: `${s.url}/e`,
      appVersion: '1',
      concurrency: 1,
      oauth2: { clientId: 'a', clientSecret: 'b', tokenUrl: `${s.url}/token`, expirySkewMs: 1000 },
    })
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().delivered === 1 ? true : undefined))
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().delivered === 2 ? true : undefined))
    await sink.close()
    const auth = s.requests.filter((r) => r.path === '/e').map((r) => r.headers.authorization)
    expect(auth).toEqual(['Bearer t1', 'Bearer t2'])
  })

  it('counts an unusable token response as a failure and retries it', async () => {
    let tokenNo = 0
    const s = await server((req, res) => {
      if (req.path === '/token') {
        tokenNo += 1
        if (tokenNo === 1) res.writeHead(200).end('not json')
        else if (tokenNo === 2) res.writeHead(200).end(JSON.stringify({ token: 'missing access_token' }))
        else res.writeHead(200).end(JSON.stringify({ access_token: 'ok' }))
        return
      }
      res.writeHead(req.headers.authorization === 'Bearer ok' ? 200 : 401).end()
    })
    const sink = createWebhookSink({
      url: `${s.url}/e`,
      appVersion: '1',
      retryMinMs: 10,
      oauth2: { clientId: 'a', clientSecret: 'b', tokenUrl: `${s.url}/token` },
    })
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().delivered === 1 ? true : undefined))
    await sink.close()
    expect(sink.stats()).toMatchObject({ delivered: 1, failures: 2, retries: 2, tokenRequests: 3 })
  })

  it('does not retry an event when the token endpoint refuses the client credentials', async () => {
    const s = await server((req, res) => {
      if (req.path === '/token') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"access_denied"}')
        return
      }
      res.writeHead(200).end()
    })
    const sink = createWebhookSink({
      url: `${s.url}/e`,
      appVersion: '1',
      retryMinMs: 10,
      oauth2: { clientId: 'a', clientSecret: 'wrong', tokenUrl: `${s.url}/token` },
    })
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().gaveUp === 1 ? true : undefined))
    await sink.close()
    expect(s.requests.map((r) => r.path)).toEqual(['/token'])
    expect(sink.stats()).toMatchObject({
      delivered: 0,
      dropped: 1,
      failures: 1,
      retries: 0,
      tokenRequests: 1,
    })
  })

  it('with a dead server: bounded queue, drops counted, write never throws, close returns by its deadline', async () => {
    // A port that was listening and is now closed: connection refused.
    const s = await startServer(() => {})
    s.server.close()
    await once(s.server, 'close')
    const sink = createWebhookSink({
      url: s.url,
      appVersion: '1',
      maxQueue: 5,
      concurrency: 1,
      maxAttempts: 1000,
      retryMinMs: 50,
      retryMaxMs: 50,
    })
    for (let i = 0; i < 20; i++) expect(() => sink.write(makeEvent())).not.toThrow()
    // one in flight, five queued, the rest refused
    expect(sink.stats()).toMatchObject({ accepted: 20, queueFull: 14, dropped: 14, queued: 5 })
    await waitFor(() => (sink.stats().failures >= 3 ? true : undefined), 10_000, 'failed attempts')
    // close() must return although the event in flight would retry for ever; the deadline drops the rest.
    await sink.close(200)
    expect(sink.stats()).toMatchObject({ accepted: 20, delivered: 0, dropped: 20, queued: 0 })
    sink.write(makeEvent())
    expect(sink.stats()).toMatchObject({ accepted: 21, dropped: 21 })
  })

  it('aborts a hanging request at the close deadline', async () => {
    const s = await server(() => {
      // never answers
    })
    const sink = createWebhookSink({ url: s.url, appVersion: '1', requestTimeoutMs: 60_000 })
    sink.write(makeEvent())
    await waitFor(() => (s.requests.length === 1 ? true : undefined))
    await sink.close(100)
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 1 })
  })
})
