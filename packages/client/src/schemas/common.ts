import { z } from 'zod'
import { MAX_CURSOR_LENGTH, MAX_PAGE_LIMIT } from '../constants.js'

/** An IPv4 or IPv6 address in text form. */
export const IpAddressSchema = z.union([z.ipv4(), z.ipv6()]).meta({ description: 'IPv4 or IPv6 address' })

/** An ISO 8601 UTC timestamp such as `2026-11-21T10:00:00.000Z`. */
export const TimestampSchema = z.iso.datetime().meta({ description: 'ISO 8601 UTC timestamp' })

/** `since` accepts milliseconds since the epoch or an ISO 8601 date/time. */
export const SinceSchema = z
  .string()
  .regex(/^(\d{1,15}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)$/, {
    message: 'since must be milliseconds since the epoch or an ISO 8601 date/time',
  })
  .meta({ description: 'only data seen at or after this time (ms since epoch or ISO 8601)' })

/** Address family filter. */
export const FamilySchema = z.enum(['4', '6']).meta({ description: 'address family: 4 or 6' })

/** Origin filter: `local` (seen by this node) or `remote` (reported by peers). */
export const OriginFilterSchema = z
  .enum(['local', 'remote'])
  .meta({ description: 'local: seen by this node; remote: reported by peers' })

/** Query parameters common to every list route: paging and filters. */
export const ListQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .optional()
    .meta({ description: `page size (1..${MAX_PAGE_LIMIT}); without it the whole list is streamed` }),
  cursor: z
    .string()
    .min(1)
    .max(MAX_CURSOR_LENGTH)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the opaque value of next_cursor' })
    .optional()
    .meta({ description: 'the next_cursor of the previous page' }),
  since: SinceSchema.optional(),
  family: FamilySchema.optional(),
  origin: OriginFilterSchema.optional(),
})
export type ListQuery = z.input<typeof ListQuerySchema>

/** The body of every 4xx/5xx JSON response. `message` is the field SentryPeer (C) uses. */
export const ErrorBodySchema = z
  .object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' })
export type ErrorBody = z.infer<typeof ErrorBodySchema>

/** Cursor of the next page, `null` on the last page. Present on paged responses only. */
export const NextCursorSchema = z
  .string()
  .nullable()
  .meta({ description: 'cursor of the next page, null at the end' })
