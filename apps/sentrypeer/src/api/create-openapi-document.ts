import { API_ROUTES, type ApiRoute, ErrorBodySchema } from '@sentrypeer/client'
import { z } from 'zod'

/**
 * The OpenAPI 3.1 document of the API, generated from the shared zod schemas of `@sentrypeer/client`
 * (`API_ROUTES`), the same schemas the server validates requests with.
 */
export function createOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => {
    const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Record<
      string,
      unknown
    >
    delete out.$schema
    return out
  }
  const errorSchema = jsonSchema(ErrorBodySchema, 'output')
  for (const route of API_ROUTES as readonly ApiRoute[]) {
    const parameters: unknown[] = []
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (schema === undefined) continue
      const json = jsonSchema(schema, 'input') as {
        properties?: Record<string, unknown>
        required?: string[]
      }
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        const { description, ...rest } = prop as Record<string, unknown>
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          ...(description === undefined ? {} : { description }),
          schema: rest,
        })
      }
    }
    const responses: Record<string, unknown> = {
      '200': {
        description: route.response.description,
        content: {
          [route.response.contentType]:
            route.response.schema === undefined
              ? {}
              : { schema: jsonSchema(route.response.schema, 'output') },
        },
      },
    }
    const statuses = new Set<number>([...route.errors, 414, 431])
    if (route.auth !== 'none') statuses.add(401)
    for (const status of [...statuses].sort()) {
      responses[String(status)] = {
        description: `error (${status})`,
        content: { 'application/json': { schema: errorSchema } },
      }
    }
    paths[route.path] = {
      [route.method.toLowerCase()]: {
        operationId: route.operationId,
        summary: route.summary,
        parameters,
        responses,
        ...(route.auth === 'none'
          ? { security: [] }
          : route.auth === 'crowdsec'
            ? { security: [{ crowdsecApiKey: [] }, { bearer: [] }, {}] }
            : { security: [{ bearer: [] }, {}] }),
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SentryPeer API',
      version,
      description:
        'Bad actor IPs and called numbers collected by a SentryPeer SIP honeypot. With an API token set, every ' +
        'route but /health-check needs `Authorization: Bearer <token>` (the CrowdSec route also takes `X-Api-Key`).',
      license: { name: 'GPL-2.0-only OR GPL-3.0-only', identifier: 'GPL-2.0-only OR GPL-3.0-only' },
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        crowdsecApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
    },
  }
}
