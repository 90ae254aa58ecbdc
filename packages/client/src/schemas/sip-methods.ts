import { z } from 'zod'
import { NextCursorSchema, TimestampSchema } from './common.js'

/** One SIP method in `GET /sip-methods`. */
export const SipMethodSummarySchema = z
  .object({ method: z.string(), seen_last: TimestampSchema, seen_count: z.number().int().min(0) })
  .meta({ id: 'SipMethodSummary' })
export type SipMethodSummary = z.infer<typeof SipMethodSummarySchema>

/** `GET /sip-methods`. */
export const SipMethodsResponseSchema = z
  .object({
    sip_methods_total: z.number().int().min(0),
    sip_methods: z.array(SipMethodSummarySchema),
    next_cursor: NextCursorSchema.optional(),
  })
  .meta({ id: 'SipMethods' })
export type SipMethodsResponse = z.infer<typeof SipMethodsResponseSchema>
