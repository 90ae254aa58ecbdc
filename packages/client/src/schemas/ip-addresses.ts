import { z } from 'zod'
import { MAX_RECENT_EVENTS } from '../constants.js'
import { IpAddressSchema, NextCursorSchema, TimestampSchema } from './common.js'
import { ApiEventSchema } from './events.js'

/** One bad actor IP in `GET /ip-addresses`. `seen_count` is a number (SentryPeer in C sends a string). */
export const IpAddressSummarySchema = z
  .object({
    ip_address: IpAddressSchema,
    seen_last: TimestampSchema,
    seen_count: z.number().int().min(0),
  })
  .meta({ id: 'IpAddressSummary' })
export type IpAddressSummary = z.infer<typeof IpAddressSummarySchema>

/** `GET /ip-addresses`. `next_cursor` is present only when the request was paged (`limit`). */
export const IpAddressesResponseSchema = z
  .object({
    ip_addresses_total: z.number().int().min(0),
    ip_addresses: z.array(IpAddressSummarySchema),
    next_cursor: NextCursorSchema.optional(),
  })
  .meta({ id: 'IpAddresses' })
export type IpAddressesResponse = z.infer<typeof IpAddressesResponseSchema>

/** Path parameters of `GET /ip-addresses/{ip}`. */
export const IpAddressParamsSchema = z.strictObject({ ip: IpAddressSchema })

/** Query of the detail routes: how many recent events to include. */
export const DetailQuerySchema = z.strictObject({
  recent: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_RECENT_EVENTS)
    .optional()
    .meta({ description: 'number of recent events to include' }),
})
export type DetailQuery = z.input<typeof DetailQuerySchema>

/** `GET /ip-addresses/{ip}`: `ip_address_found` as in SentryPeer (C), then details and recent events. */
export const IpAddressDetailSchema = z
  .object({
    ip_address_found: IpAddressSchema,
    ip_address: IpAddressSchema,
    seen_first: TimestampSchema,
    seen_last: TimestampSchema,
    seen_count: z.number().int().min(0),
    recent_events: z.array(ApiEventSchema),
  })
  .meta({ id: 'IpAddressDetail' })
export type IpAddressDetail = z.infer<typeof IpAddressDetailSchema>
