import { z } from 'zod'
import { IpAddressSchema, TimestampSchema } from './common.js'

/** One recorded SIP event as the API shows it (recent events on detail routes, SSE `event` messages). */
export const ApiEventSchema = z
  .object({
    event_uuid: z.string(),
    event_timestamp: TimestampSchema,
    source_ip: IpAddressSchema,
    source_port: z.number().int().min(0).max(65535),
    destination_ip: z.string(),
    destination_port: z.number().int().min(0).max(65535),
    transport: z.enum(['udp', 'tcp', 'tls']),
    method: z.string(),
    called_number: z.string(),
    called_number_raw: z.string(),
    user_agent: z.string().optional(),
    call_id: z.string().optional(),
    collection_mode: z.enum(['passive', 'responsive']),
    collector_node_id: z.string(),
    origin: z.string(),
  })
  .meta({ id: 'Event' })
export type ApiEvent = z.infer<typeof ApiEventSchema>
