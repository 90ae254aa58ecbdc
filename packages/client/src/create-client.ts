import type { z } from 'zod'
import { DEFAULT_ITERATE_PAGE_LIMIT, DEFAULT_TIMEOUT_MS } from './constants.js'
import {
  ClientError,
  HttpError,
  InvalidArgumentError,
  NetworkError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
} from './errors.js'
import { type BlocklistQuery, BlocklistQuerySchema } from './schemas/blocklist.js'
import { ErrorBodySchema, type ListQuery, ListQuerySchema } from './schemas/common.js'
import {
  type DecisionsStreamQuery,
  DecisionsStreamQuerySchema,
  type DecisionsStreamResponse,
  DecisionsStreamResponseSchema,
} from './schemas/decisions.js'
import { type ApiEvent, ApiEventSchema } from './schemas/events.js'
import { type HealthCheck, HealthCheckSchema } from './schemas/health-check.js'
import {
  type DetailQuery,
  DetailQuerySchema,
  type IpAddressDetail,
  IpAddressDetailSchema,
  type IpAddressesResponse,
  IpAddressesResponseSchema,
  IpAddressParamsSchema,
  type IpAddressSummary,
} from './schemas/ip-addresses.js'
import {
  type NumberDetail,
  NumberDetailSchema,
  NumberParamsSchema,
  type NumbersResponse,
  NumbersResponseSchema,
} from './schemas/numbers.js'
import {
  type NetworkIpAddress,
  NetworkIpAddressSchema,
  type NetworkStats,
  NetworkStatsSchema,
  type PeersResponse,
  PeersResponseSchema,
} from './schemas/p2p.js'
import { type SipMethodsResponse, SipMethodsResponseSchema } from './schemas/sip-methods.js'
import {
  type StatsQuery,
  StatsQuerySchema,
  type StatsResponse,
  StatsResponseSchema,
} from './schemas/stats.js'
import { type UserAgentsResponse, UserAgentsResponseSchema } from './schemas/user-agents.js'

/** Options of {@link createClient}. */
export interface ClientInit {
  /** Base URL of the API, e.g. `http://127.0.0.1:8082`. */
  baseUrl: string | URL
  /** API token, sent as `Authorization: Bearer <token>` (and as `X-Api-Key` on the CrowdSec route). */
  token?: string
  /** Per-request timeout in ms (default {@link DEFAULT_TIMEOUT_MS}); 0 disables it. */
  timeoutMs?: number
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch
  /** Validate responses with the shared schemas (default true). */
  validate?: boolean
}

/** Per-call options. */
export interface RequestOptions {
  /** Abort the request with this signal (combined with the timeout). */
  signal?: AbortSignal
  /** Override the client's timeout for this call; 0 disables it. */
  timeoutMs?: number
}

/** A typed client for every route of the SentryPeer HTTP API. Errors are {@link ClientError}s. */
export interface SentryPeerClient {
  healthCheck(options?: RequestOptions): Promise<HealthCheck>
  listIpAddresses(query?: ListQuery, options?: RequestOptions): Promise<IpAddressesResponse>
  /** Every IP address, following `next_cursor` page by page (`limit` is the page size). */
  iterateIpAddresses(query?: ListQuery, options?: RequestOptions): AsyncIterable<IpAddressSummary>
  getIpAddress(ip: string, query?: DetailQuery, options?: RequestOptions): Promise<IpAddressDetail>
  listNumbers(query?: ListQuery, options?: RequestOptions): Promise<NumbersResponse>
  getNumber(number: string, query?: DetailQuery, options?: RequestOptions): Promise<NumberDetail>
  listUserAgents(query?: ListQuery, options?: RequestOptions): Promise<UserAgentsResponse>
  listSipMethods(query?: ListQuery, options?: RequestOptions): Promise<SipMethodsResponse>
  getStats(query?: StatsQuery, options?: RequestOptions): Promise<StatsResponse>
  /**
   * The firewall feed as text: `plain` (one address per line), `ipset` (`ipset restore` input),
   * `nftables` (an `nft -f` script) or `bird` (a BIRD 2 include file: `protocol static` blocks
   * `sentrypeer_v4`/`sentrypeer_v6` of blackhole host routes tagged with BLACKHOLE, 65535:666).
   */
  getBlocklist(query?: BlocklistQuery, options?: RequestOptions): Promise<string>
  /** The CrowdSec decisions stream; the token (if any) goes in `X-Api-Key` as bouncers send it. */
  getDecisionsStream(query?: DecisionsStreamQuery, options?: RequestOptions): Promise<DecisionsStreamResponse>
  /** Prometheus metrics text. */
  getMetrics(options?: RequestOptions): Promise<string>
  /** P2P: this node's identity and every peer's standing (503 when P2P is off). */
  getPeers(options?: RequestOptions): Promise<PeersResponse>
  /** P2P: signed reports of one IP from the network (404 when nobody reported it). */
  getNetworkIpAddress(ip: string, options?: RequestOptions): Promise<NetworkIpAddress>
  /** P2P: the network's aggregate counters (opt-in analytics). */
  getNetworkStats(options?: RequestOptions): Promise<NetworkStats>
  /** The OpenAPI 3.1 document. */
  getOpenApi(options?: RequestOptions): Promise<Record<string, unknown>>
  /**
   * New events as they are recorded (Server-Sent Events). The iteration ends when the signal aborts
   * or the server closes the stream. No timeout applies once the stream is open.
   */
  streamEvents(options?: { signal?: AbortSignal }): AsyncIterable<ApiEvent>
}

type Query = Record<string, string | number | boolean | undefined>

class HttpClient implements SentryPeerClient {
  readonly #base: URL
  readonly #token: string | undefined
  readonly #timeoutMs: number
  readonly #fetch: typeof fetch
  readonly #validate: boolean

  constructor(init: ClientInit) {
    const base = new URL(init.baseUrl)
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new InvalidArgumentError(`baseUrl must be http(s), got ${base.protocol}`)
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/'
    this.#base = base
    this.#token = init.token
    this.#timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#fetch = init.fetch ?? globalThis.fetch.bind(globalThis)
    this.#validate = init.validate ?? true
  }

  async healthCheck(options?: RequestOptions): Promise<HealthCheck> {
    return this.#json('health-check', undefined, HealthCheckSchema, options)
  }

  async listIpAddresses(query?: ListQuery, options?: RequestOptions): Promise<IpAddressesResponse> {
    return this.#json('ip-addresses', checkQuery(ListQuerySchema, query), IpAddressesResponseSchema, options)
  }

  async *iterateIpAddresses(query?: ListQuery, options?: RequestOptions): AsyncIterable<IpAddressSummary> {
    let cursor: string | undefined = query?.cursor
    const limit = query?.limit ?? DEFAULT_ITERATE_PAGE_LIMIT
    for (;;) {
      const page = await this.listIpAddresses({ ...query, limit, cursor }, options)
      yield* page.ip_addresses
      if (page.next_cursor === null || page.next_cursor === undefined) return
      cursor = page.next_cursor
    }
  }

  async getIpAddress(ip: string, query?: DetailQuery, options?: RequestOptions): Promise<IpAddressDetail> {
    checkQuery(IpAddressParamsSchema, { ip })
    return this.#json(
      `ip-addresses/${encodeURIComponent(ip)}`,
      checkQuery(DetailQuerySchema, query),
      IpAddressDetailSchema,
      options,
    )
  }

  async listNumbers(query?: ListQuery, options?: RequestOptions): Promise<NumbersResponse> {
    return this.#json('numbers', checkQuery(ListQuerySchema, query), NumbersResponseSchema, options)
  }

  async getNumber(number: string, query?: DetailQuery, options?: RequestOptions): Promise<NumberDetail> {
    checkQuery(NumberParamsSchema, { number })
    return this.#json(
      `numbers/${encodeURIComponent(number)}`,
      checkQuery(DetailQuerySchema, query),
      NumberDetailSchema,
      options,
    )
  }

  async listUserAgents(query?: ListQuery, options?: RequestOptions): Promise<UserAgentsResponse> {
    return this.#json('user-agents', checkQuery(ListQuerySchema, query), UserAgentsResponseSchema, options)
  }

  async listSipMethods(query?: ListQuery, options?: RequestOptions): Promise<SipMethodsResponse> {
    return this.#json('sip-methods', checkQuery(ListQuerySchema, query), SipMethodsResponseSchema, options)
  }

  async getStats(query?: StatsQuery, options?: RequestOptions): Promise<StatsResponse> {
    return this.#json('stats', checkQuery(StatsQuerySchema, query), StatsResponseSchema, options)
  }

  async getBlocklist(query?: BlocklistQuery, options?: RequestOptions): Promise<string> {
    return this.#request('blocklist', checkQuery(BlocklistQuerySchema, query), options, {})
  }

  async getDecisionsStream(
    query?: DecisionsStreamQuery,
    options?: RequestOptions,
  ): Promise<DecisionsStreamResponse> {
    const headers: Record<string, string> = {}
    if (this.#token !== undefined) headers['x-api-key'] = this.#token
    return this.#json(
      'v1/decisions/stream',
      checkQuery(DecisionsStreamQuerySchema, query),
      DecisionsStreamResponseSchema,
      options,
      headers,
    )
  }

  async getPeers(options?: RequestOptions): Promise<PeersResponse> {
    return this.#json('peers', undefined, PeersResponseSchema, options)
  }

  async getNetworkIpAddress(ip: string, options?: RequestOptions): Promise<NetworkIpAddress> {
    checkQuery(IpAddressParamsSchema, { ip })
    return this.#json(
      `network/ip-addresses/${encodeURIComponent(ip)}`,
      undefined,
      NetworkIpAddressSchema,
      options,
    )
  }

  async getNetworkStats(options?: RequestOptions): Promise<NetworkStats> {
    return this.#json('network/stats', undefined, NetworkStatsSchema, options)
  }

  async getMetrics(options?: RequestOptions): Promise<string> {
    return this.#request('metrics', undefined, options, {})
  }

  async getOpenApi(options?: RequestOptions): Promise<Record<string, unknown>> {
    const text = await this.#request('openapi.json', undefined, options, { accept: 'application/json' })
    return parseJson(text) as Record<string, unknown>
  }

  async *streamEvents(options?: { signal?: AbortSignal }): AsyncIterable<ApiEvent> {
    const url = this.#url('events/stream', undefined)
    let res: Response
    try {
      res = await this.#fetch(url, {
        headers: this.#headers({ accept: 'text/event-stream' }),
        signal: options?.signal,
      })
    } catch (err) {
      throw toClientError(err, options?.signal, undefined, 0)
    }
    if (!res.ok) throw await httpError(res)
    if (res.body === null) return
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = parseSseBlock(block)
          if (event !== undefined && event.type === 'event') {
            yield this.#check(ApiEventSchema, parseJson(event.data))
          }
          end = buffer.indexOf('\n\n')
        }
      }
    } catch (err) {
      if (options?.signal?.aborted) return
      throw toClientError(err, options?.signal, undefined, 0)
    }
  }

  async #json<S extends z.ZodType>(
    path: string,
    query: Query | undefined,
    schema: S,
    options: RequestOptions | undefined,
    headers: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const text = await this.#request(path, query, options, { accept: 'application/json', ...headers })
    return this.#check(schema, parseJson(text))
  }

  #check<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
    if (!this.#validate) return value as z.infer<S>
    const result = schema.safeParse(value)
    if (!result.success) {
      throw new ResponseValidationError(
        'response does not match its schema',
        result.error.issues.map((i) => ({ path: i.path, message: i.message })),
      )
    }
    return result.data
  }

  #url(path: string, query: Query | undefined): URL {
    const url = new URL(path, this.#base)
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    return url
  }

  #headers(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...extra }
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`
    return headers
  }

  async #request(
    path: string,
    query: Query | undefined,
    options: RequestOptions | undefined,
    headers: Record<string, string>,
  ): Promise<string> {
    const timeoutMs = options?.timeoutMs ?? this.#timeoutMs
    const signals: AbortSignal[] = []
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined
    if (timeout !== undefined) signals.push(timeout)
    if (options?.signal !== undefined) signals.push(options.signal)
    const signal = signals.length === 0 ? undefined : AbortSignal.any(signals)
    try {
      const res = await this.#fetch(this.#url(path, query), { headers: this.#headers(headers), signal })
      if (!res.ok) throw await httpError(res)
      return await res.text()
    } catch (err) {
      throw toClientError(err, options?.signal, timeout, timeoutMs)
    }
  }
}

function checkQuery<S extends z.ZodType>(schema: S, value: unknown): Query {
  const result = schema.safeParse(value ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new InvalidArgumentError(`${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`)
  }
  // Send what the caller gave (strings stay strings); the schema only checked it.
  return (value ?? {}) as Query
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new ResponseValidationError('response is not JSON', [{ path: [], message: text.slice(0, 200) }])
  }
}

async function httpError(res: Response): Promise<HttpError> {
  const text = await res.text().catch(() => '')
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  const parsed = ErrorBodySchema.safeParse(body)
  const code = parsed.success ? parsed.data.code : `HTTP_${res.status}`
  const message = parsed.success ? parsed.data.message : `HTTP ${res.status} ${res.statusText}`.trim()
  return new HttpError(res.status, code, message, body)
}

function toClientError(
  err: unknown,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal | undefined,
  timeoutMs: number,
): ClientError {
  if (err instanceof ClientError) return err
  if (timeout?.aborted === true && callerSignal?.aborted !== true) return new RequestTimeoutError(timeoutMs)
  if (callerSignal?.aborted === true) return new RequestAbortedError(callerSignal.reason)
  const message = err instanceof Error ? err.message : String(err)
  return new NetworkError(message, err)
}

function parseSseBlock(block: string): { type: string; data: string } | undefined {
  let type = 'message'
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') type = value
    else if (field === 'data') data.push(value)
  }
  return data.length === 0 ? undefined : { type, data: data.join('\n') }
}

/**
 * Creates a typed, fetch-based client for the SentryPeer HTTP API. Works in browsers and Node >= 22.
 * Responses are validated with the same zod schemas the server uses; failures throw named errors
 * ({@link HttpError} with `status`, `code` and `body`; {@link RequestTimeoutError}; ...).
 *
 * @example
 * ```ts
 * import { createClient, HttpError } from '@sentrypeer/client'
 *
 * const api = createClient({ baseUrl: 'http://127.0.0.1:8082', token: process.env.SENTRYPEER_API_TOKEN })
 * const { ip_addresses } = await api.listIpAddresses({ limit: 50, family: '4' })
 * try {
 *   await api.getIpAddress('192.0.2.1')
 * } catch (err) {
 *   if (err instanceof HttpError && err.status === 404) console.log('not a bad actor')
 * }
 * ```
 */
export function createClient(init: ClientInit): SentryPeerClient {
  return new HttpClient(init)
}
