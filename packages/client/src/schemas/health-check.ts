import { z } from 'zod'

/** `GET /health-check` with `Accept: application/json` (same shape as SentryPeer in C). */
export const HealthCheckSchema = z
  .object({ status: z.literal('OK'), message: z.string(), version: z.string() })
  .meta({ id: 'HealthCheck' })
export type HealthCheck = z.infer<typeof HealthCheckSchema>
