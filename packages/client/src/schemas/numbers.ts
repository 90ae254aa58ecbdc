import { z } from 'zod'
import { MAX_NUMBER_LENGTH } from '../constants.js'
import { NextCursorSchema, TimestampSchema } from './common.js'
import { ApiEventSchema } from './events.js'

/** A called number as stored (normalized): digits, `+`, `*`, `#` and the few characters dial strings use. */
export const CalledNumberSchema = z
  .string()
  .min(1)
  .max(MAX_NUMBER_LENGTH)
  .regex(/^[A-Za-z0-9+*#._~-]+$/, { message: 'number may only hold letters, digits and + * # . _ ~ -' })
  .meta({ description: 'called number (normalized)' })

/** One called number in `GET /numbers`. */
export const CalledNumberSummarySchema = z
  .object({
    called_number: z.string(),
    seen_last: TimestampSchema,
    seen_count: z.number().int().min(0),
  })
  .meta({ id: 'CalledNumberSummary' })
export type CalledNumberSummary = z.infer<typeof CalledNumberSummarySchema>

/** `GET /numbers`. */
export const NumbersResponseSchema = z
  .object({
    called_numbers_total: z.number().int().min(0),
    called_numbers: z.array(CalledNumberSummarySchema),
    next_cursor: NextCursorSchema.optional(),
  })
  .meta({ id: 'CalledNumbers' })
export type NumbersResponse = z.infer<typeof NumbersResponseSchema>

/** Path parameters of `GET /numbers/{number}`. */
export const NumberParamsSchema = z.strictObject({ number: CalledNumberSchema })

/** `GET /numbers/{number}`: `phone_number_found` as in SentryPeer (C), then details and recent events. */
export const NumberDetailSchema = z
  .object({
    phone_number_found: z.string(),
    called_number: z.string(),
    seen_first: TimestampSchema,
    seen_last: TimestampSchema,
    seen_count: z.number().int().min(0),
    recent_events: z.array(ApiEventSchema),
  })
  .meta({ id: 'CalledNumberDetail' })
export type NumberDetail = z.infer<typeof NumberDetailSchema>
