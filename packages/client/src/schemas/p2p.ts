import { z } from 'zod'
import { IpAddressSchema, TimestampSchema } from './common.js'

/** Standing of one peer: why it receives (or not) this node's records. */
export const PeerStandingSchema = z
  .object({
    peer_id: z.string(),
    status: z.enum(['earned', 'grace', 'none', 'self']),
    has_standing: z.boolean(),
    reason: z.string(),
    connected: z.boolean(),
    own_records_in_window: z.number().int().min(0),
    first_seen: TimestampSchema.nullable(),
    last_seen: TimestampSchema.nullable(),
    grace_ends_at: TimestampSchema.nullable(),
    invalid_records: z.number().int().min(0),
    rate_limited: z.number().int().min(0),
    requests_served: z.number().int().min(0),
    requests_refused: z.number().int().min(0),
    gossip_score: z.number().nullable(),
    in_mesh: z.boolean().nullable(),
  })
  .meta({ id: 'PeerStanding' })
export type PeerStanding = z.infer<typeof PeerStandingSchema>

/** `GET /peers`: this node's P2P identity, its counters and every peer's standing. */
export const PeersResponseSchema = z
  .object({
    peer_id: z.string(),
    sharing: z.boolean(),
    analytics: z.boolean(),
    confirmations: z.number().int().min(1),
    listen: z.array(z.string()),
    peers_connected: z.number().int().min(0),
    records: z.number().int().min(0),
    records_published: z.number().int().min(0),
    records_received: z.number().int().min(0),
    records_rejected: z.number().int().min(0),
    rejected_by_code: z.record(z.string(), z.number().int().min(0)),
    peers: z.array(PeerStandingSchema),
  })
  .meta({ id: 'Peers' })
export type PeersResponse = z.infer<typeof PeersResponseSchema>

/** One signed report of an IP from the network, verified by this node. */
export const NetworkReportSchema = z
  .object({
    record_id: z.string(),
    collector: z.string(),
    from_peer: z.string(),
    event_time: TimestampSchema,
    event_uuid: z.string(),
    called_number: z.string(),
    method: z.string(),
    user_agent: z.string(),
    transport: z.enum(['udp', 'tcp', 'tls']),
  })
  .meta({ id: 'NetworkReport' })
export type NetworkReport = z.infer<typeof NetworkReportSchema>

/** `GET /network/ip-addresses/{ip}`: is this IP a known bad actor across the network? */
export const NetworkIpAddressSchema = z
  .object({
    ip_address: IpAddressSchema,
    confirmed: z.boolean(),
    collectors: z.array(z.string()),
    confirmations_required: z.number().int().min(1),
    peers_asked: z.number().int().min(0),
    peers_answered: z.number().int().min(0),
    peers_refused: z.number().int().min(0),
    reports: z.array(NetworkReportSchema),
  })
  .meta({ id: 'NetworkIpAddress' })
export type NetworkIpAddress = z.infer<typeof NetworkIpAddressSchema>

/** One node's latest aggregate counters (opt-in analytics). */
export const NetworkNodeStatsSchema = z
  .object({
    peer_id: z.string(),
    at: TimestampSchema,
    counters: z.record(z.string(), z.number()),
  })
  .meta({ id: 'NetworkNodeStats' })

/** `GET /network/stats`: the network's totals from opt-in analytics (aggregate counters only). */
export const NetworkStatsSchema = z
  .object({
    analytics: z.boolean(),
    nodes: z.number().int().min(0),
    totals: z.record(z.string(), z.number()),
    per_node: z.array(NetworkNodeStatsSchema),
  })
  .meta({ id: 'NetworkStats' })
export type NetworkStats = z.infer<typeof NetworkStatsSchema>
