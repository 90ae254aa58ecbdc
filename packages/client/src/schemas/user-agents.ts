import { z } from 'zod'
import { NextCursorSchema, TimestampSchema } from './common.js'

/** One SIP User-Agent in `GET /user-agents`. */
export const UserAgentSummarySchema = z
  .object({ user_agent: z.string(), seen_last: TimestampSchema, seen_count: z.number().int().min(0) })
  .meta({ id: 'UserAgentSummary' })
export type UserAgentSummary = z.infer<typeof UserAgentSummarySchema>

/** `GET /user-agents`. */
export const UserAgentsResponseSchema = z
  .object({
    user_agents_total: z.number().int().min(0),
    user_agents: z.array(UserAgentSummarySchema),
    next_cursor: NextCursorSchema.optional(),
  })
  .meta({ id: 'UserAgents' })
export type UserAgentsResponse = z.infer<typeof UserAgentsResponseSchema>
