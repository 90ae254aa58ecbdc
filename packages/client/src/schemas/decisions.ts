import { z } from 'zod'

/**
 * Query of `GET /v1/decisions/stream`, CrowdSec LAPI compatible (crowdsec `localapi_swagger.yaml`,
 * operation getDecisionsStream). Unknown CrowdSec parameters are accepted and ignored so any bouncer
 * version works; `scopes` other than `ip` yield no decisions.
 */
export const DecisionsStreamQuerySchema = z.looseObject({
  startup: z.enum(['true', 'false']).optional().meta({ description: 'true: send the full list' }),
  scopes: z.string().max(256).optional(),
  origins: z.string().max(256).optional(),
  scenarios_containing: z.string().max(256).optional(),
  scenarios_not_containing: z.string().max(256).optional(),
})
export type DecisionsStreamQuery = z.input<typeof DecisionsStreamQuerySchema>

/** A CrowdSec decision (crowdsec `models.Decision`): always scope `Ip`, type `ban`, origin `sentrypeer`. */
export const DecisionSchema = z
  .object({
    id: z.number().int(),
    origin: z.string(),
    type: z.string(),
    scope: z.string(),
    value: z.string(),
    duration: z.string().meta({ description: 'Go duration string, remaining time, e.g. 167h59m59s' }),
    until: z.string().optional(),
    scenario: z.string(),
    simulated: z.boolean(),
  })
  .meta({ id: 'Decision' })
export type Decision = z.infer<typeof DecisionSchema>

/** `GET /v1/decisions/stream` (crowdsec `models.DecisionsStreamResponse`). */
export const DecisionsStreamResponseSchema = z
  .object({ new: z.array(DecisionSchema).nullable(), deleted: z.array(DecisionSchema).nullable() })
  .meta({ id: 'DecisionsStream' })
export type DecisionsStreamResponse = z.infer<typeof DecisionsStreamResponseSchema>
