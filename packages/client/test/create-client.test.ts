import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  HttpError,
  InvalidArgumentError,
  NetworkError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
} from '../src/index.js'

/** A real HTTP server whose answers each test sets; it records the requests it got. */
let server: Server
let baseUrl: string
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
const seen: IncomingMessage[] = []

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req)
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const ip = (n: number) => ({
  ip_address: `192.0.2.${n}`,
  seen_last: '2026-01-01T00:00:00.000Z',
  seen_count: n,
})

describe('createClient', () => {
  it('sends the bearer token and query, and returns validated data', async () => {
    handler = (_req, res) =>
      json(res, 200, { ip_addresses_total: 1, ip_addresses: [ip(1)], next_cursor: null })
    const api = createClient({ baseUrl, token: 's3cret' })
    const page = await api.listIpAddresses({ limit: 5, family: '4', origin: 'local' })
    expect(page.ip_addresses[0]?.ip_address).toBe('192.0.2.1')
    const req = seen.at(-1)
    expect(req?.headers.authorization).toBe('Bearer s3cret')
    expect(req?.url).toBe('/ip-addresses?limit=5&family=4&origin=local')
  })

  it('follows next_cursor across pages', async () => {
    handler = (req, res) => {
      const cursor = new URL(req.url ?? '', 'http://x').searchParams.get('cursor')
      if (cursor === null)
        json(res, 200, { ip_addresses_total: 2, ip_addresses: [ip(1), ip(2)], next_cursor: 'p2' })
      else json(res, 200, { ip_addresses_total: 1, ip_addresses: [ip(3)], next_cursor: null })
    }
    const got: number[] = []
    for await (const a of createClient({ baseUrl }).iterateIpAddresses({ limit: 2 })) got.push(a.seen_count)
    expect(got).toEqual([1, 2, 3])
  })

  it('throws HttpError with status, the server code and the body', async () => {
    handler = (_req, res) => json(res, 404, { code: 'NOT_FOUND', message: 'No bad actor found' })
    const err = await createClient({ baseUrl })
      .getIpAddress('192.0.2.1')
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'No bad actor found' })
    expect((err as HttpError).body).toEqual({ code: 'NOT_FOUND', message: 'No bad actor found' })

    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' })
      res.end('bad gateway')
    }
    await expect(createClient({ baseUrl }).healthCheck()).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
      body: 'bad gateway',
    })
  })

  it('rejects a response that does not match the shared schema', async () => {
    handler = (_req, res) => json(res, 200, { ip_addresses_total: '1', ip_addresses: [] })
    const err = await createClient({ baseUrl })
      .listIpAddresses()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ResponseValidationError)
    expect((err as ResponseValidationError).issues[0]?.path).toEqual(['ip_addresses_total'])
    // validate: false passes the data through unchecked.
    const raw = await createClient({ baseUrl, validate: false }).listIpAddresses()
    expect(raw.ip_addresses_total).toBe('1')
  })

  it('times out with RequestTimeoutError and honours a caller abort', async () => {
    handler = () => undefined // never answers
    await expect(createClient({ baseUrl, timeoutMs: 100 }).healthCheck()).rejects.toBeInstanceOf(
      RequestTimeoutError,
    )
    const abort = new AbortController()
    const pending = createClient({ baseUrl, timeoutMs: 0 }).healthCheck({ signal: abort.signal })
    abort.abort()
    await expect(pending).rejects.toBeInstanceOf(RequestAbortedError)
  })

  it('reports a refused connection as NetworkError', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    await expect(createClient({ baseUrl: `http://127.0.0.1:${port}` }).healthCheck()).rejects.toBeInstanceOf(
      NetworkError,
    )
  })

  it('refuses invalid arguments before sending anything', async () => {
    const before = seen.length
    const api = createClient({ baseUrl })
    await expect(api.getIpAddress('not-an-ip')).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(api.getNumber('12 34')).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(api.listIpAddresses({ limit: 0 })).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(api.getBlocklist({ format: 'pf' as 'plain' })).rejects.toBeInstanceOf(InvalidArgumentError)
    expect(seen.length).toBe(before)
    expect(() => createClient({ baseUrl: 'ftp://127.0.0.1/' })).toThrow(InvalidArgumentError)
  })

  it('sends the token as X-Api-Key on the CrowdSec route and returns text routes as text', async () => {
    handler = (req, res) => {
      if (req.url?.startsWith('/v1/')) json(res, 200, { new: null, deleted: [] })
      else res.end('# plain\n192.0.2.1\n')
    }
    const api = createClient({ baseUrl: `${baseUrl}/`, token: 'k' })
    expect(await api.getDecisionsStream({ startup: 'true' })).toEqual({ new: null, deleted: [] })
    expect(seen.at(-1)?.headers['x-api-key']).toBe('k')
    expect(await api.getBlocklist({ format: 'plain' })).toBe('# plain\n192.0.2.1\n')
    await api.getBlocklist({ format: 'bird', family: '6' })
    expect(seen.at(-1)?.url).toBe('/blocklist?format=bird&family=6')
  })

  it('parses Server-Sent Events split across chunks and ignores comments', async () => {
    const event = {
      event_uuid: 'u1',
      event_timestamp: '2026-01-01T00:00:00.000Z',
      source_ip: '192.0.2.1',
      source_port: 5060,
      destination_ip: '127.0.0.1',
      destination_port: 5060,
      transport: 'udp',
      method: 'INVITE',
      called_number: '100',
      called_number_raw: '100',
      collection_mode: 'passive',
      collector_node_id: 'n',
      origin: 'local',
    }
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      const text = `: hello\n\nevent: event\ndata: ${JSON.stringify(event)}\n\n: keep-alive\n\nevent: event\ndata: ${JSON.stringify({ ...event, event_uuid: 'u2' })}\n\n`
      res.write(text.slice(0, 40))
      setTimeout(() => res.end(text.slice(40)), 20)
    }
    const got: string[] = []
    for await (const e of createClient({ baseUrl }).streamEvents()) got.push(e.event_uuid)
    expect(got).toEqual(['u1', 'u2'])
  })
})
