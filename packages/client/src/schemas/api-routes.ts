import { z } from 'zod'
import { BlocklistQuerySchema } from './blocklist.js'
import { ListQuerySchema } from './common.js'
import { DecisionsStreamQuerySchema, DecisionsStreamResponseSchema } from './decisions.js'
import { ApiEventSchema } from './events.js'
import { HealthCheckSchema } from './health-check.js'
import {
  DetailQuerySchema,
  IpAddressDetailSchema,
  IpAddressesResponseSchema,
  IpAddressParamsSchema,
} from './ip-addresses.js'
import { NumberDetailSchema, NumberParamsSchema, NumbersResponseSchema } from './numbers.js'
import { NetworkIpAddressSchema, NetworkStatsSchema, PeersResponseSchema } from './p2p.js'
import { SipMethodsResponseSchema } from './sip-methods.js'
import { StatsQuerySchema, StatsResponseSchema } from './stats.js'
import { UserAgentsResponseSchema } from './user-agents.js'

/** How a route is authenticated when the server has an API token. */
export type RouteAuth = 'none' | 'bearer' | 'crowdsec'

/** One route of the HTTP API: the single description the server validates with and documents. */
export interface ApiRoute {
  readonly operationId: string
  readonly method: 'GET'
  /** OpenAPI path template, e.g. `/ip-addresses/{ip}`. */
  readonly path: string
  readonly summary: string
  readonly auth: RouteAuth
  readonly params?: z.ZodObject
  readonly query?: z.ZodObject
  /** The success response: JSON validated by `schema`, or text of `contentType`. */
  readonly response: {
    readonly contentType: string
    readonly schema?: z.ZodType
    readonly description: string
  }
  /** Error statuses this route can answer besides 401/429/5xx. */
  readonly errors: readonly number[]
}

const EmptyQuerySchema = z.strictObject({})

/** Every route of the API, in documentation order. */
export const API_ROUTES = [
  {
    operationId: 'healthCheck',
    method: 'GET',
    path: '/health-check',
    summary: 'Liveness and version (JSON when asked with Accept: application/json, else HTML)',
    auth: 'none',
    query: EmptyQuerySchema,
    response: { contentType: 'application/json', schema: HealthCheckSchema, description: 'OK' },
    errors: [400],
  },
  {
    operationId: 'listIpAddresses',
    method: 'GET',
    path: '/ip-addresses',
    summary: 'Bad actor IP addresses, most recently seen first (streamed whole unless `limit` is given)',
    auth: 'bearer',
    query: ListQuerySchema,
    response: { contentType: 'application/json', schema: IpAddressesResponseSchema, description: 'OK' },
    errors: [400],
  },
  {
    operationId: 'getIpAddress',
    method: 'GET',
    path: '/ip-addresses/{ip}',
    summary: 'One bad actor IP address with its recent events',
    auth: 'bearer',
    params: IpAddressParamsSchema,
    query: DetailQuerySchema,
    response: { contentType: 'application/json', schema: IpAddressDetailSchema, description: 'OK' },
    errors: [400, 404],
  },
  {
    operationId: 'listNumbers',
    method: 'GET',
    path: '/numbers',
    summary: 'Called numbers, most recently seen first (streamed whole unless `limit` is given)',
    auth: 'bearer',
    query: ListQuerySchema,
    response: { contentType: 'application/json', schema: NumbersResponseSchema, description: 'OK' },
    errors: [400],
  },
  {
    operationId: 'getNumber',
    method: 'GET',
    path: '/numbers/{number}',
    summary: 'One called number with its recent events',
    auth: 'bearer',
    params: NumberParamsSchema,
    query: DetailQuerySchema,
    response: { contentType: 'application/json', schema: NumberDetailSchema, description: 'OK' },
    errors: [400, 404],
  },
  {
    operationId: 'listUserAgents',
    method: 'GET',
    path: '/user-agents',
    summary: 'SIP User-Agent values seen, most frequent first',
    auth: 'bearer',
    query: ListQuerySchema,
    response: { contentType: 'application/json', schema: UserAgentsResponseSchema, description: 'OK' },
    errors: [400],
  },
  {
    operationId: 'listSipMethods',
    method: 'GET',
    path: '/sip-methods',
    summary: 'SIP methods seen, most frequent first',
    auth: 'bearer',
    query: ListQuerySchema,
    response: { contentType: 'application/json', schema: SipMethodsResponseSchema, description: 'OK' },
    errors: [400],
  },
  {
    operationId: 'getStats',
    method: 'GET',
    path: '/stats',
    summary: 'Event counts per hour or day, for charts',
    auth: 'bearer',
    query: StatsQuerySchema,
    response: { contentType: 'application/json', schema: StatsResponseSchema, description: 'OK' },
    errors: [400],
  },
  {
    operationId: 'streamEvents',
    method: 'GET',
    path: '/events/stream',
    summary: 'Server-Sent Events: one `event` message (data: an Event as JSON) per new SIP event',
    auth: 'bearer',
    query: EmptyQuerySchema,
    response: { contentType: 'text/event-stream', schema: ApiEventSchema, description: 'event stream' },
    errors: [400, 503],
  },
  {
    operationId: 'getBlocklist',
    method: 'GET',
    path: '/blocklist',
    summary: 'Firewall feed of bad actor IPs (allowlisted addresses are never exported)',
    auth: 'bearer',
    query: BlocklistQuerySchema,
    response: {
      contentType: 'text/plain',
      description: 'plain list, ipset restore input, nft script or BIRD 2 include file',
    },
    errors: [400],
  },
  {
    operationId: 'getDecisionsStream',
    method: 'GET',
    path: '/v1/decisions/stream',
    summary: 'CrowdSec LAPI decisions stream, for crowdsec-firewall-bouncer and crowdsec-custom-bouncer',
    auth: 'crowdsec',
    query: DecisionsStreamQuerySchema,
    response: { contentType: 'application/json', schema: DecisionsStreamResponseSchema, description: 'OK' },
    errors: [400, 403],
  },
  {
    operationId: 'getMetrics',
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    auth: 'bearer',
    query: EmptyQuerySchema,
    response: { contentType: 'text/plain; version=0.0.4', description: 'metrics' },
    errors: [400],
  },
  {
    operationId: 'getPeers',
    method: 'GET',
    path: '/peers',
    summary: 'P2P: this node and the standing of every peer (why each receives records or not)',
    auth: 'bearer',
    query: EmptyQuerySchema,
    response: { contentType: 'application/json', schema: PeersResponseSchema, description: 'OK' },
    errors: [400, 503],
  },
  {
    operationId: 'getNetworkIpAddress',
    method: 'GET',
    path: '/network/ip-addresses/{ip}',
    summary: 'P2P: ask the network (DHT) for signed reports of one IP; 404 when nobody reported it',
    auth: 'bearer',
    params: IpAddressParamsSchema,
    query: EmptyQuerySchema,
    response: { contentType: 'application/json', schema: NetworkIpAddressSchema, description: 'OK' },
    errors: [400, 404, 503],
  },
  {
    operationId: 'getNetworkStats',
    method: 'GET',
    path: '/network/stats',
    summary: "P2P: the network's aggregate counters from nodes that opted in to analytics",
    auth: 'bearer',
    query: EmptyQuerySchema,
    response: { contentType: 'application/json', schema: NetworkStatsSchema, description: 'OK' },
    errors: [400, 503],
  },
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API described as OpenAPI 3.1',
    auth: 'bearer',
    query: EmptyQuerySchema,
    response: { contentType: 'application/json', description: 'OpenAPI 3.1 document' },
    errors: [400],
  },
] as const satisfies readonly ApiRoute[]

/** Operation ids of the API. */
export type OperationId = (typeof API_ROUTES)[number]['operationId']

/** The route of an operation id. */
export function apiRoute(operationId: OperationId): ApiRoute {
  const route = API_ROUTES.find((r) => r.operationId === operationId)
  if (route === undefined) throw new RangeError(`unknown operation ${operationId}`)
  return route
}
