import { createHash, timingSafeEqual } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { isIP } from 'node:net'
import { Readable } from 'node:stream'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import {
  API_ROUTES,
  type ApiRoute,
  DEFAULT_RECENT_EVENTS,
  type DecisionsStreamResponse,
  type ErrorBody,
  MAX_PAGE_LIMIT,
  type OperationId,
} from '@sentrypeer/client'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify'
import { DEFAULT_MAX_AGE_MS } from '../config/constants.js'
import { type GuiAssets, loadGuiAssets, registerGuiRoutes } from '../gui/index.js'
import { APP_VERSION } from '../version.js'
import type { Allowlist } from './allowlist.js'
import type { ApiNetwork } from './api-network.js'
import type {
  ApiIpSummary,
  ApiNumberSummary,
  ApiPage,
  ApiStore,
  ApiStoredEvent,
  ApiValueSummary,
  InputResult,
  OriginFilter,
} from './api-store.js'
import {
  DEFAULT_API_HOST,
  DEFAULT_API_PORT,
  DEFAULT_CONFIRMATIONS,
  DEFAULT_MAX_BOUNCERS,
  DEFAULT_MAX_PARAM_LENGTH,
  DEFAULT_MAX_SSE_CLIENTS,
  DEFAULT_MAX_URL_LENGTH,
  DEFAULT_METHOD_CACHE_SIZE,
  DEFAULT_SSE_HEARTBEAT_MS,
  DEFAULT_SSE_MAX_BUFFERED_BYTES,
  STREAM_CHUNK_ITEMS,
  YIELD_EVERY,
} from './constants.js'
import { createOpenApiDocument } from './create-openapi-document.js'
import { createDecisionStream } from './decision-stream.js'
import { type ApiErrorCode, HttpApiError, InvalidApiOptionError, TokenRequiredError } from './errors.js'
import { type BlocklistFormat, type BlocklistSource, formatBlocklist } from './format-blocklist.js'
import { formatTimestamp } from './format-timestamp.js'
import { formatMetric, type Metrics } from './metrics.js'
import { toApiEvent } from './to-api-event.js'

const DAY_MS = 86_400_000
/** The API shows no raw SIP message and no collector ids: the store reads one covering index. */
const DETAIL_OPTIONS = { rawMessage: false, collectorIds: false } as const

/** Options of {@link createApiServer}. */
export interface ApiServerInit {
  /** Bind address (default `127.0.0.1`). A non-loopback address requires `token`. */
  host?: string
  /** Port (default 8082; 0 picks a free one, see {@link ApiServer.port}). */
  port?: number
  /** API token (`--api-token` / `SENTRYPEER_API_TOKEN`): required on every route but `/health-check`. */
  token?: string
  /** Origins allowed by CORS (`*` for any). Default: none, no `Access-Control-Allow-Origin` header. */
  corsOrigins?: readonly string[]
  /** Version reported by `/health-check` and `/openapi.json` (default: the app's). */
  version?: string
  /** The store's retention (ms), the default timeout of the firewall sets (default 7 days). */
  maxAgeMs?: number
  /**
   * K: an IP learnt from peers is exported (blocklist, CrowdSec stream) only once this many distinct
   * collectors reported it; local sightings always count (default `DEFAULT_CONFIRMATIONS`, 2).
   */
  confirmations?: number
  maxUrlLength?: number
  maxParamLength?: number
  maxSseClients?: number
  sseHeartbeatMs?: number
  sseMaxBufferedBytes?: number
  maxBouncers?: number
  recentEvents?: number
  methodCacheSize?: number
  /** A pino-compatible logger for request errors (default: none). */
  logger?: FastifyBaseLogger
}

/** Emits `event` with each newly recorded SIP event (a Node `EventEmitter` fits). */
export interface ApiEventEmitter {
  on(event: 'event', listener: (event: ApiStoredEvent) => void): unknown
  off(event: 'event', listener: (event: ApiStoredEvent) => void): unknown
}

/** P2P figures for `/metrics`. */
export interface P2pStatus {
  peers: number
  recordsSent: number
  recordsReceived: number
  recordsRejected: number
}

/** What the API server reads. */
export interface ApiComponents {
  store: ApiStore
  metrics: Metrics
  allowlist: Allowlist
  /** New events for `GET /events/stream`; without it the route answers 503. */
  events?: ApiEventEmitter
  /** P2P status for `/metrics` when P2P is enabled. */
  p2p?: { status(): P2pStatus }
  /** The P2P node for `/peers` and `/network/...`; without it those routes answer 503. */
  network?: ApiNetwork
  /** The web GUI served on `/` and `/gui/*` (default: `loadGuiAssets()`, the built `dist/gui`). */
  gui?: GuiAssets
  /** Clock (default `Date.now`). */
  now?: () => number
}

/** A listening API server. */
export interface ApiServer {
  readonly host: string
  readonly port: number
  /** `http://host:port` (IPv6 hosts in brackets). */
  readonly url: string
  /** Stops listening, ends event streams and waits for in-flight requests. */
  close(): Promise<void>
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true
  return isIP(host) === 4 && host.startsWith('127.')
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function errorBody(code: ApiErrorCode | string, message: string, issues?: ErrorBody['issues']): string {
  return JSON.stringify(issues === undefined ? { code, message } : { code, message, issues })
}

function sendError(reply: FastifyReply, err: HttpApiError): FastifyReply {
  return reply
    .code(err.status)
    .type('application/json; charset=utf-8')
    .send(errorBody(err.code, err.message, err.issues))
}

function parseSince(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(ms)) throw new HttpApiError(400, 'INVALID_QUERY', `since: invalid time ${text}`)
  return ms
}

const iso = formatTimestamp

const ROUTES = new Map<string, ApiRoute>((API_ROUTES as readonly ApiRoute[]).map((r) => [r.operationId, r]))

function validate(
  route: ApiRoute,
  request: FastifyRequest,
): { query: Record<string, string | number | undefined>; params: Record<string, string> } {
  const out = {
    query: {} as Record<string, string | number | undefined>,
    params: {} as Record<string, string>,
  }
  for (const [part, schema, code] of [
    ['params', route.params, 'INVALID_PARAM'],
    ['query', route.query, 'INVALID_QUERY'],
  ] as const) {
    if (schema === undefined) continue
    const result = schema.safeParse({ ...(request[part] as object) })
    if (!result.success) {
      // A malformed IP or number is a bad request (400), as SentryPeer in C answers it.
      const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
      const first = issues[0]
      const what = part === 'params' ? 'bad path parameter' : 'bad query'
      throw new HttpApiError(
        400,
        code,
        `${what}: ${first?.path || part} ${first?.message ?? ''}`.trim(),
        issues,
      )
    }
    out[part] = result.data as never
  }
  return out
}

function origin(value: string | number | undefined): OriginFilter | undefined {
  return value === 'local' || value === 'remote' ? value : undefined
}

function family(value: string | number | undefined): 4 | 6 | undefined {
  return value === '4' ? 4 : value === '6' ? 6 : undefined
}

function rejectFilters(query: Record<string, unknown>, names: string[], route: string): void {
  for (const name of names) {
    if (query[name] !== undefined) {
      throw new HttpApiError(400, 'FILTER_NOT_SUPPORTED', `${route} does not support the ${name} filter`)
    }
  }
}

function storeResult<T>(result: InputResult<T>): T {
  if (!result.ok) {
    throw new HttpApiError(400, 'INVALID_QUERY', `${result.error.field}: ${result.error.message}`, [
      { path: result.error.field, message: result.error.message },
    ])
  }
  return result.value
}

/**
 * Creates and starts the HTTP API server (fastify) and resolves once it listens.
 *
 * Routes: SentryPeer's (`/health-check`, `/ip-addresses[/{ip}]`, `/numbers[/{number}]`) plus paging and
 * filters, `/user-agents`, `/sip-methods`, `/stats`, `/events/stream` (SSE), `/blocklist`
 * (plain/ipset/nftables/bird), `/v1/decisions/stream` (CrowdSec LAPI), `/metrics` (Prometheus) and
 * `/openapi.json`. Requests are validated with the zod schemas of `@sentrypeer/client`; bad input gets
 * a 4xx JSON `{ code, message }`. Throws {@link TokenRequiredError} for a non-loopback bind without a
 * token and `InvalidApiOptionError` for a bad option; rejects if the port cannot be bound.
 *
 * @example
 * ```ts
 * const api = await createApiServer(
 *   { host: '127.0.0.1', port: 8082, token: process.env.SENTRYPEER_API_TOKEN },
 *   { store, metrics: createMetrics(), allowlist: createAllowlist({ cidrs: ['203.0.113.0/24'] }), events },
 * )
 * console.log(`API on ${api.url}`)
 * await api.close()
 * ```
 */
export async function createApiServer(init: ApiServerInit, components: ApiComponents): Promise<ApiServer> {
  const host = init.host ?? DEFAULT_API_HOST
  const port = init.port ?? DEFAULT_API_PORT
  const token = init.token === undefined || init.token === '' ? undefined : init.token
  if (!isLoopback(host) && token === undefined) throw new TokenRequiredError(host)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidApiOptionError(`invalid port ${port}`)
  const version = init.version ?? APP_VERSION
  const maxAgeMs = init.maxAgeMs ?? DEFAULT_MAX_AGE_MS
  const confirmations = init.confirmations ?? DEFAULT_CONFIRMATIONS
  if (!Number.isSafeInteger(confirmations) || confirmations < 1) {
    throw new InvalidApiOptionError(`invalid confirmations ${confirmations}`)
  }
  const maxUrlLength = init.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH
  const maxSseClients = init.maxSseClients ?? DEFAULT_MAX_SSE_CLIENTS
  const heartbeatMs = init.sseHeartbeatMs ?? DEFAULT_SSE_HEARTBEAT_MS
  const sseMaxBuffered = init.sseMaxBufferedBytes ?? DEFAULT_SSE_MAX_BUFFERED_BYTES
  const recentDefault = init.recentEvents ?? DEFAULT_RECENT_EVENTS
  const cors = new Set(init.corsOrigins ?? [])
  const tokenDigest = token === undefined ? undefined : digest(token)
  const { store, metrics, allowlist } = components
  const now = components.now ?? Date.now

  const apiRequests = metrics.counter('sentrypeer_api_requests_total', 'HTTP API requests answered')
  const clientErrors = metrics.counter(
    'sentrypeer_api_malformed_requests_total',
    'Malformed HTTP requests answered before routing',
  )
  const sseDropped = metrics.counter(
    'sentrypeer_api_sse_events_dropped_total',
    'Events not sent to a slow Server-Sent Events client',
  )
  // IP -> latest method, for CrowdSec scenario names without a store look-up per IP and pull.
  const methodCache = new Map<string, string>()
  const methodCacheSize = init.methodCacheSize ?? DEFAULT_METHOD_CACHE_SIZE
  const cacheMethod = (ip: string, method: string): void => {
    methodCache.delete(ip)
    methodCache.set(ip, method)
    if (methodCache.size > methodCacheSize) {
      const oldest = methodCache.keys().next().value
      if (oldest !== undefined) methodCache.delete(oldest)
    }
  }
  const onEventForCache = (event: ApiStoredEvent): void => cacheMethod(event.sourceIp, event.method)
  components.events?.on('event', onEventForCache)
  const decisions = createDecisionStream({
    maxBouncers: init.maxBouncers ?? DEFAULT_MAX_BOUNCERS,
    methodOf: (ip) => methodCache.get(ip),
  })
  const openApi = JSON.stringify(createOpenApiDocument(version))
  const sseClients = new Set<{ res: ServerResponse; end(): void }>()
  // One listener serves every event stream, so an event is serialized once however many clients read it.
  const onEventForStreams = (event: ApiStoredEvent): void => {
    const frame = `event: event\nid: ${event.eventUuid}\ndata: ${JSON.stringify(toApiEvent(event))}\n\n`
    for (const { res } of sseClients) {
      if (res.writableLength > sseMaxBuffered) sseDropped.inc()
      else res.write(frame)
    }
  }

  const app = Fastify({
    ...(init.logger === undefined ? { logger: false } : { loggerInstance: init.logger }),
    // Errors are logged; one line per request is not (the API may serve thousands per second).
    logController: new LogController({ disableRequestLogging: true }),
    exposeHeadRoutes: false,
    return503OnClosing: true,
    routerOptions: {
      maxParamLength: init.maxParamLength ?? DEFAULT_MAX_PARAM_LENGTH,
      ignoreTrailingSlash: true,
    },
    clientErrorHandler: (err: Error & { code?: string }, socket: Socket) => {
      // A peer that reset or timed out gets nothing; a malformed request gets a JSON answer.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) return socket.destroy()
      clientErrors.inc({ code: err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST' })
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
      const body =
        status === 431
          ? errorBody('HEADERS_TOO_LARGE', 'request line or headers too large')
          : errorBody('BAD_REQUEST', 'malformed HTTP request')
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      )
    },
  })

  const authorized = (request: FastifyRequest, allowApiKey: boolean): boolean => {
    if (tokenDigest === undefined) return true
    const candidates: string[] = []
    const auth = request.headers.authorization
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) candidates.push(auth.slice(7).trim())
    const key = request.headers['x-api-key']
    if (allowApiKey && typeof key === 'string') candidates.push(key.trim())
    return candidates.some((c) => timingSafeEqual(digest(c), tokenDigest))
  }

  app.addHook('onRequest', async (request, reply) => {
    const originHeader = request.headers.origin
    if (typeof originHeader === 'string' && (cors.has('*') || cors.has(originHeader))) {
      reply.header('access-control-allow-origin', cors.has('*') ? '*' : originHeader)
      reply.header('vary', 'Origin')
      if (request.method === 'OPTIONS') {
        reply.header('access-control-allow-methods', 'GET, OPTIONS')
        reply.header('access-control-allow-headers', 'authorization, x-api-key, accept')
        reply.header('access-control-max-age', '600')
        return reply.code(204).send()
      }
    }
    if (request.url.length > maxUrlLength) {
      return sendError(
        reply,
        new HttpApiError(414, 'URL_TOO_LONG', `request target longer than ${maxUrlLength} bytes`),
      )
    }
    const length = request.headers['content-length']
    const hasBody =
      (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
    if (hasBody && (request.method === 'GET' || request.method === 'HEAD')) {
      reply.header('connection', 'close')
      return sendError(
        reply,
        new HttpApiError(400, 'BODY_NOT_ALLOWED', `a ${request.method} request carries no body`),
      )
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply.header('allow', 'GET')
      if (hasBody) reply.header('connection', 'close')
      return sendError(reply, new HttpApiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed`))
    }
  })

  app.addHook('onResponse', async (request, reply) => {
    apiRequests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) })
  })

  app.setNotFoundHandler((request, reply) => {
    sendError(
      reply,
      new HttpApiError(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
    )
  })

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof HttpApiError) return sendError(reply, error)
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500
    if (status === 500) request.log.error({ err: error }, 'API request failed')
    return sendError(
      reply,
      new HttpApiError(
        status,
        status === 500 ? 'INTERNAL' : 'BAD_REQUEST',
        status === 500 ? 'internal error' : error.message,
      ),
    )
  })

  const route = (
    operationId: OperationId,
    url: string,
    handler: (
      request: FastifyRequest,
      reply: FastifyReply,
      input: ReturnType<typeof validate>,
    ) => Promise<unknown> | unknown,
  ): void => {
    const spec = ROUTES.get(operationId)
    if (spec === undefined) throw new InvalidApiOptionError(`no schema for ${operationId}`)
    const methods: Array<'GET' | 'HEAD'> = operationId === 'healthCheck' ? ['GET', 'HEAD'] : ['GET']
    app.route({
      method: methods,
      url,
      handler: async (request, reply) => {
        if (spec.auth !== 'none' && !authorized(request, spec.auth === 'crowdsec')) {
          if (spec.auth === 'crowdsec') {
            return sendError(reply, new HttpApiError(403, 'FORBIDDEN', 'access forbidden: invalid X-Api-Key'))
          }
          reply.header('www-authenticate', 'Bearer realm="sentrypeer"')
          return sendError(reply, new HttpApiError(401, 'UNAUTHORIZED', 'missing or invalid bearer token'))
        }
        return handler(request, reply, validate(spec, request))
      },
    })
  }

  const json = (reply: FastifyReply, body: unknown): FastifyReply =>
    reply.type('application/json; charset=utf-8').send(JSON.stringify(body))

  route('healthCheck', '/health-check', (request, reply) => {
    const accept = request.headers.accept ?? ''
    if (accept.includes('application/json')) {
      return json(reply, { status: 'OK', message: 'Hello from SentryPeer!', version })
    }
    return reply
      .type('text/html; charset=utf-8')
      .send('<html><body><h1>Hello from SentryPeer!</h1><h2>All is well!</h2></body></html>')
  })

  route('listIpAddresses', '/ip-addresses', (_request, reply, { query }) => {
    const filter = {
      since: parseSince(query.since as string | undefined),
      family: family(query.family),
      origin: origin(query.origin),
    }
    const summary = (s: ApiIpSummary): string =>
      `{"ip_address":"${s.ip}","seen_last":"${iso(s.lastSeen)}","seen_count":${s.seenCount}}`
    if (query.limit === undefined && query.cursor === undefined) {
      return streamJsonList(
        reply,
        'ip_addresses',
        'ip_addresses_total',
        storeResult(store.iterateIps(filter)),
        summary,
      )
    }
    const page = storeResult(
      store.listIps({
        ...filter,
        limit: query.limit as number | undefined,
        cursor: query.cursor as string | undefined,
      }),
    )
    return sendPage(reply, 'ip_addresses', page, summary)
  })

  route('getIpAddress', '/ip-addresses/:ip', (_request, reply, { params, query }) => {
    const recent = (query.recent as number | undefined) ?? recentDefault
    const ip = params.ip ?? ''
    const detail = recent === 0 ? withoutEvents(store.lookupIp(ip)) : store.getIp(ip, recent, DETAIL_OPTIONS)
    if (detail === undefined) throw new HttpApiError(404, 'NOT_FOUND', 'No bad actor found')
    // JSON.stringify of a plain object: measured faster here than a hand-built string (12 vs 18 us for
    // 10 events) and as fast as fast-json-stringify (see docs/benchmarks.md, API).
    return json(reply, {
      ip_address_found: detail.ip,
      ip_address: detail.ip,
      seen_first: iso(detail.firstSeen),
      seen_last: iso(detail.lastSeen),
      seen_count: detail.seenCount,
      recent_events: detail.recentEvents.map(toApiEvent),
    })
  })

  route('listNumbers', '/numbers', (_request, reply, { query }) => {
    rejectFilters(query, ['family'], '/numbers')
    const filter = { since: parseSince(query.since as string | undefined), origin: origin(query.origin) }
    const render = (n: ApiNumberSummary): string =>
      `{"called_number":${JSON.stringify(n.number)},"seen_last":"${iso(n.lastSeen)}","seen_count":${n.seenCount}}`
    return sendList(
      reply,
      'called_numbers',
      query,
      (limit, cursor) => storeResult(store.listNumbers({ ...filter, limit, cursor })),
      render,
    )
  })

  route('getNumber', '/numbers/:number', (_request, reply, { params, query }) => {
    const detail = store.getNumber(
      params.number ?? '',
      (query.recent as number | undefined) ?? recentDefault,
      DETAIL_OPTIONS,
    )
    if (detail === undefined) throw new HttpApiError(404, 'NOT_FOUND', 'No phone number found')
    return json(reply, {
      phone_number_found: detail.number,
      called_number: detail.number,
      seen_first: iso(detail.firstSeen),
      seen_last: iso(detail.lastSeen),
      seen_count: detail.seenCount,
      recent_events: detail.recentEvents.map(toApiEvent),
    })
  })

  for (const [operationId, url, list, key, lister] of [
    ['listUserAgents', '/user-agents', 'user_agents', 'user_agent', store.listUserAgents.bind(store)],
    ['listSipMethods', '/sip-methods', 'sip_methods', 'method', store.listMethods.bind(store)],
  ] as const) {
    route(operationId, url, (_request, reply, { query }) => {
      rejectFilters(query, ['family', 'origin'], url)
      const since = parseSince(query.since as string | undefined)
      const render = (v: ApiValueSummary): string =>
        `{"${key}":${JSON.stringify(v.value)},"seen_last":"${iso(v.lastSeen)}","seen_count":${v.seenCount}}`
      return sendList(
        reply,
        list,
        query,
        (limit, cursor) => storeResult(lister({ since, limit, cursor })),
        render,
      )
    })
  }

  route('getStats', '/stats', (_request, reply, { query }) => {
    const bucket = query.bucket === 'day' ? 'day' : 'hour'
    const bucketMs = bucket === 'day' ? DAY_MS : DAY_MS / 24
    const buckets = storeResult(
      store.countsPerBucket({
        bucketMs,
        // Up to the end of the current bucket, so events of this very millisecond count.
        until: Math.floor(now() / bucketMs) * bucketMs + bucketMs,
        since: parseSince(query.since as string | undefined),
        family: family(query.family),
        origin: origin(query.origin),
      }),
    )
    return json(reply, {
      bucket,
      events_total: buckets.reduce((sum, b) => sum + b.count, 0),
      buckets: buckets.map((b) => ({ start: iso(b.start), events: b.count })),
    })
  })

  route('streamEvents', '/events/stream', (request, reply) => {
    const events = components.events
    if (events === undefined) throw new HttpApiError(503, 'STREAM_UNAVAILABLE', 'event stream not available')
    if (sseClients.size >= maxSseClients) {
      throw new HttpApiError(503, 'TOO_MANY_STREAMS', `at most ${maxSseClients} event streams at once`)
    }
    reply.hijack()
    const res = reply.raw
    const headers: Record<string, string> = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    }
    const allowOrigin = reply.getHeader('access-control-allow-origin')
    if (typeof allowOrigin === 'string') headers['access-control-allow-origin'] = allowOrigin
    res.writeHead(200, headers)
    res.write(': sentrypeer event stream\n\n')
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs)
    heartbeat.unref()
    const client = {
      res,
      end: () => {
        clearInterval(heartbeat)
        // The last stream to end takes the shared listener off.
        if (sseClients.delete(client) && sseClients.size === 0) events.off('event', onEventForStreams)
        if (!res.writableEnded) res.end()
      },
    }
    sseClients.add(client)
    if (sseClients.size === 1) events.on('event', onEventForStreams)
    request.raw.on('close', client.end)
    res.on('error', client.end)
    apiRequests.inc({ route: '/events/stream', status: '200' })
  })

  /**
   * The bad actors that may be exported: confirmed (seen locally, or by K distinct collectors) and not
   * allowlisted. Validates eagerly, then streams.
   */
  const blockEntries = (fam: 4 | 6 | undefined): Iterable<ApiIpSummary> => {
    const all = storeResult(
      store.iterateIps(
        fam === undefined ? { minCollectors: confirmations } : { family: fam, minCollectors: confirmations },
      ),
    )
    return (function* () {
      for (const s of all) if (!allowlist.has(s.ip)) yield s
    })()
  }

  route('getBlocklist', '/blocklist', (_request, reply, { query }) => {
    const format = (query.format as BlocklistFormat | undefined) ?? 'plain'
    const fam = family(query.family)
    // bird writes a block per family: a store query per family (both validated now) lets both stream.
    let source: BlocklistSource
    if (format === 'bird' && fam === undefined) {
      const perFamily = { 4: blockEntries(4), 6: blockEntries(6) }
      source = (f: 4 | 6) => perFamily[f]
    } else source = blockEntries(fam)
    const chunks = formatBlocklist(source, {
      format,
      family: fam,
      now: now(),
      defaultTimeoutS: maxAgeMs / 1000,
      version,
    })
    return reply.type('text/plain; charset=utf-8').send(Readable.from(chunks, { objectMode: false }))
  })

  route('getDecisionsStream', '/v1/decisions/stream', async (request, reply, { query }) => {
    const startup = query.startup === 'true'
    const apiKey = request.headers['x-api-key']
    const bouncer = `${typeof apiKey === 'string' ? digest(apiKey).toString('hex') : '-'}|${request.headers['user-agent'] ?? ''}`
    // Gather the current list and any missing methods in slices, so a pull of 100k IPs never blocks
    // the event loop (the SIP listeners share it).
    const current: ApiIpSummary[] = []
    for (const entry of blockEntries(undefined)) {
      current.push(entry)
      if (current.length % YIELD_EVERY === 0) await yieldToLoop()
    }
    let lookups = 0
    for (const { ip } of current) {
      if (methodCache.has(ip)) continue
      cacheMethod(ip, store.getIp(ip, 1, DETAIL_OPTIONS)?.recentEvents[0]?.method ?? '')
      if (++lookups % YIELD_EVERY === 0) await yieldToLoop()
    }
    const result = decisions.pull(bouncer, startup, current, now())
    const scopes = (query.scopes as string | undefined)
      ?.toLowerCase()
      .split(',')
      .map((s) => s.trim())
    const origins = (query.origins as string | undefined)?.split(',').map((s) => s.trim())
    const containing = (query.scenarios_containing as string | undefined)?.split(',').filter((s) => s !== '')
    const notContaining = (query.scenarios_not_containing as string | undefined)
      ?.split(',')
      .filter((s) => s !== '')
    const keep = (d: { scenario: string }): boolean =>
      (scopes === undefined || scopes.includes('ip')) &&
      (origins === undefined || origins.includes('sentrypeer')) &&
      (containing === undefined ||
        containing.length === 0 ||
        containing.some((w) => d.scenario.includes(w))) &&
      (notContaining === undefined || !notContaining.some((w) => d.scenario.includes(w)))
    const body: DecisionsStreamResponse = {
      new: (result.new ?? []).filter(keep),
      deleted: (result.deleted ?? []).filter(keep),
    }
    return json(reply, body)
  })

  route('getMetrics', '/metrics', (_request, reply) => {
    const s = store.stats()
    // Figures read at scrape time, each rendered as a single-value metric after the registry's.
    const figures: Array<[name: string, help: string, type: 'counter' | 'gauge', value: number]> = [
      ['sentrypeer_db_queue_depth', 'Events waiting to be written to the database', 'gauge', s.queueDepth],
      [
        'sentrypeer_db_last_flush_seconds',
        'Duration of the last database write',
        'gauge',
        s.lastFlushMs / 1000,
      ],
      ['sentrypeer_db_last_flush_events', 'Events in the last database write', 'gauge', s.lastFlushSize],
      ['sentrypeer_db_events_inserted_total', 'Events written to the database', 'counter', s.inserted],
      ['sentrypeer_db_events_dropped_total', 'Events dropped: database queue full', 'counter', s.dropped],
      ['sentrypeer_db_events_rejected_total', 'Events rejected by validation', 'counter', s.rejected],
      ['sentrypeer_db_events_lost_total', 'Events lost after failed writes', 'counter', s.lost],
      [
        'sentrypeer_db_flush_errors_total',
        'Database write transactions that failed',
        'counter',
        s.flushErrors,
      ],
      ['sentrypeer_db_events_pruned_total', 'Expired events deleted', 'counter', s.pruned],
      ['sentrypeer_api_sse_clients', 'Connected Server-Sent Events clients', 'gauge', sseClients.size],
      ['sentrypeer_api_crowdsec_bouncers', 'CrowdSec bouncers remembered', 'gauge', decisions.bouncers],
    ]
    if (components.p2p !== undefined) {
      const p = components.p2p.status()
      figures.push(
        ['sentrypeer_p2p_peers', 'Connected P2P peers', 'gauge', p.peers],
        ['sentrypeer_p2p_records_sent_total', 'Records sent to peers', 'counter', p.recordsSent],
        [
          'sentrypeer_p2p_records_received_total',
          'Records received from peers',
          'counter',
          p.recordsReceived,
        ],
        [
          'sentrypeer_p2p_records_rejected_total',
          'Records from peers rejected',
          'counter',
          p.recordsRejected,
        ],
      )
    }
    let text = metrics.render()
    for (const [name, help, type, value] of figures) text += formatMetric(name, help, type, value)
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text)
  })

  const network = (): ApiNetwork => {
    if (components.network === undefined) {
      throw new HttpApiError(
        503,
        'P2P_DISABLED',
        'peer-to-peer is not enabled on this node (start it with -p)',
      )
    }
    return components.network
  }
  const isoOrNull = (ms: number | undefined): string | null => (ms === undefined ? null : iso(ms))

  route('getPeers', '/peers', (_request, reply) => {
    const v = network().peers()
    return json(reply, {
      peer_id: v.peerId,
      sharing: v.sharing,
      analytics: v.analytics,
      confirmations: v.confirmations,
      listen: v.listen,
      peers_connected: v.peersConnected,
      records: v.records,
      records_published: v.published,
      records_received: v.received,
      records_rejected: v.rejected,
      rejected_by_code: v.rejectedByCode,
      peers: v.peers.map((p) => ({
        peer_id: p.peerId,
        status: p.status,
        has_standing: p.hasStanding,
        reason: p.reason,
        connected: p.connected,
        own_records_in_window: p.ownRecordsInWindow,
        first_seen: isoOrNull(p.firstSeen),
        last_seen: isoOrNull(p.lastSeen),
        grace_ends_at: isoOrNull(p.graceEndsAt),
        invalid_records: p.invalidRecords,
        rate_limited: p.rateLimited,
        requests_served: p.requestsServed,
        requests_refused: p.requestsRefused,
        gossip_score: p.gossipScore ?? null,
        in_mesh: p.inMesh ?? null,
      })),
    })
  })

  route('getNetworkIpAddress', '/network/ip-addresses/:ip', async (_request, reply, { params }) => {
    const lookup = network()
    const result = await lookup.lookupIp(params.ip ?? '').catch((err: Error & { code?: string }) => {
      if (err.code === 'SHARING_DISABLED') throw new HttpApiError(503, 'P2P_DISABLED', err.message)
      throw err
    })
    if (result.reports.length === 0 && result.collectors.length === 0) {
      throw new HttpApiError(404, 'NOT_FOUND', `no report of ${result.ip} from the network`)
    }
    return json(reply, {
      ip_address: result.ip,
      confirmed: result.confirmed,
      collectors: result.collectors,
      confirmations_required: result.required,
      peers_asked: result.asked,
      peers_answered: result.answered,
      peers_refused: result.refused,
      reports: result.reports.map((r) => ({
        record_id: r.recordId,
        collector: r.collector,
        from_peer: r.from,
        event_time: iso(r.record.eventTime),
        event_uuid: r.record.eventUuid,
        called_number: r.record.calledNumber,
        method: r.record.method,
        user_agent: r.record.userAgent,
        transport: r.record.transport,
      })),
    })
  })

  route('getNetworkStats', '/network/stats', (_request, reply) => {
    const stats = network().networkStats()
    return json(reply, {
      analytics: stats.analytics,
      nodes: stats.nodes.length,
      totals: stats.totals,
      per_node: stats.nodes.map((n) => ({ peer_id: n.peerId, at: iso(n.at), counters: n.counters })),
    })
  })

  registerGuiRoutes(app, components.gui ?? loadGuiAssets())

  route('getOpenApi', '/openapi.json', (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(openApi),
  )

  app.addHook('preClose', async () => {
    components.events?.off('event', onEventForCache)
    for (const client of [...sseClients]) client.end()
  })

  try {
    await app.listen({ host, port })
  } catch (err) {
    await app.close()
    throw err
  }
  const address = app.server.address()
  const boundPort = typeof address === 'object' && address !== null ? address.port : port
  return {
    host,
    port: boundPort,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    close: async () => {
      await app.close()
    },
  }
}

/**
 * Answers a list route from a paged store query: one page with `next_cursor` when the request is paged
 * (`limit` or `cursor`), else every page streamed. The first page is read before anything is sent, so
 * a bad filter or cursor is still a 400.
 */
function sendList<T>(
  reply: FastifyReply,
  list: string,
  query: Record<string, string | number | undefined>,
  fetchPage: (limit: number | undefined, cursor: string | undefined) => ApiPage<T>,
  render: (item: T) => string,
): FastifyReply {
  const limit = query.limit as number | undefined
  const cursor = query.cursor as string | undefined
  if (limit !== undefined || cursor !== undefined)
    return sendPage(reply, list, fetchPage(limit, cursor), render)
  const first = fetchPage(MAX_PAGE_LIMIT, undefined)
  function* all(): Generator<T> {
    let page = first
    for (;;) {
      yield* page.items
      if (page.nextCursor === undefined) return
      page = fetchPage(MAX_PAGE_LIMIT, page.nextCursor)
    }
  }
  return streamJsonList(reply, list, `${list}_total`, all(), render)
}

/** Answers one page of a list route: `{"<list>_total":N,"<list>":[...],"next_cursor":...}`. */
function sendPage<T>(
  reply: FastifyReply,
  list: string,
  page: ApiPage<T>,
  render: (item: T) => string,
): FastifyReply {
  return reply
    .type('application/json; charset=utf-8')
    .send(
      `{"${list}_total":${page.items.length},"${list}":[${page.items.map(render).join(',')}],` +
        `"next_cursor":${JSON.stringify(page.nextCursor ?? null)}}`,
    )
}

function withoutEvents<T>(summary: T | undefined): (T & { recentEvents: ApiStoredEvent[] }) | undefined {
  return summary === undefined ? undefined : { ...summary, recentEvents: [] }
}

/** Streams `{"<list>":[...],"<total>":N}` so a list of any size never sits whole in memory. */
function streamJsonList<T>(
  reply: FastifyReply,
  listKey: string,
  totalKey: string,
  items: Iterable<T>,
  render: (item: T) => string,
): FastifyReply {
  function* chunks(): Generator<string> {
    let count = 0
    let chunk: string[] = []
    yield `{"${listKey}":[`
    for (const item of items) {
      chunk.push(render(item))
      count++
      if (chunk.length >= STREAM_CHUNK_ITEMS) {
        yield (count > chunk.length ? ',' : '') + chunk.join(',')
        chunk = []
      }
    }
    if (chunk.length > 0) yield (count > chunk.length ? ',' : '') + chunk.join(',')
    yield `],"${totalKey}":${count}}`
  }
  return reply.type('application/json; charset=utf-8').send(Readable.from(chunks(), { objectMode: false }))
}
