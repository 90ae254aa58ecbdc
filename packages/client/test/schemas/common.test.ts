import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  API_ROUTES,
  type ApiRoute,
  apiRoute,
  DecisionsStreamResponseSchema,
  IpAddressParamsSchema,
  ListQuerySchema,
  MAX_PAGE_LIMIT,
  NumberParamsSchema,
} from '../../src/index.js'

describe('shared schemas', () => {
  it('accept good list queries and coerce limit', () => {
    expect(
      ListQuerySchema.parse({ limit: '10', family: '6', since: '2026-01-01T00:00:00Z', origin: 'remote' }),
    ).toEqual({
      limit: 10,
      family: '6',
      since: '2026-01-01T00:00:00Z',
      origin: 'remote',
    })
    expect(ListQuerySchema.parse({ since: '1700000000000' }).since).toBe('1700000000000')
  })

  it('reject bad list queries', () => {
    for (const bad of [
      { limit: '0' },
      { limit: String(MAX_PAGE_LIMIT + 1) },
      { limit: '1.5' },
      { family: '5' },
      { origin: 'peer; DROP' },
      { since: 'yesterday' },
      { cursor: 'a b' },
      { unknown: '1' },
    ]) {
      expect(ListQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it('validate path parameters', () => {
    expect(IpAddressParamsSchema.safeParse({ ip: '2001:db8::1' }).success).toBe(true)
    expect(IpAddressParamsSchema.safeParse({ ip: '203.0.113.256' }).success).toBe(false)
    expect(NumberParamsSchema.safeParse({ number: '+441234567890' }).success).toBe(true)
    expect(NumberParamsSchema.safeParse({ number: '12/34' }).success).toBe(false)
    expect(NumberParamsSchema.safeParse({ number: '1'.repeat(65) }).success).toBe(false)
  })

  it('match CrowdSec stream responses, including null lists', () => {
    expect(DecisionsStreamResponseSchema.safeParse({ new: null, deleted: null }).success).toBe(true)
    expect(
      DecisionsStreamResponseSchema.safeParse({ new: [{ value: '1.2.3.4' }], deleted: [] }).success,
    ).toBe(false)
  })

  it('describe every route once and convert to JSON Schema', () => {
    const ids = API_ROUTES.map((r) => r.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(new Set(API_ROUTES.map((r) => r.path)).size).toBe(ids.length)
    for (const route of API_ROUTES as readonly ApiRoute[]) {
      if (route.query !== undefined) expect(z.toJSONSchema(route.query, { io: 'input' })).toBeTypeOf('object')
      if (route.response.schema !== undefined)
        expect(z.toJSONSchema(route.response.schema)).toBeTypeOf('object')
    }
    expect(apiRoute('getBlocklist').path).toBe('/blocklist')
  })
})
