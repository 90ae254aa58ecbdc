import { z } from 'zod'
import { FamilySchema, OriginFilterSchema, SinceSchema, TimestampSchema } from './common.js'

/** Query of `GET /stats`: bucket size and the list filters. */
export const StatsQuerySchema = z.strictObject({
  bucket: z.enum(['hour', 'day']).optional().meta({ description: 'bucket size, default hour' }),
  since: SinceSchema.optional(),
  family: FamilySchema.optional(),
  origin: OriginFilterSchema.optional(),
})
export type StatsQuery = z.input<typeof StatsQuerySchema>

/** One bucket of `GET /stats`. */
export const StatsBucketSchema = z
  .object({ start: TimestampSchema, events: z.number().int().min(0) })
  .meta({ id: 'StatsBucket' })
export type StatsBucket = z.infer<typeof StatsBucketSchema>

/** `GET /stats`: event counts per hour or day, oldest first, for charts. */
export const StatsResponseSchema = z
  .object({
    bucket: z.enum(['hour', 'day']),
    events_total: z.number().int().min(0),
    buckets: z.array(StatsBucketSchema),
  })
  .meta({ id: 'Stats' })
export type StatsResponse = z.infer<typeof StatsResponseSchema>
