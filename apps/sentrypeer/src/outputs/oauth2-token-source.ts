import { z } from 'zod'
import {
  DEFAULT_OAUTH2_AUDIENCE,
  DEFAULT_OAUTH2_EXPIRY_SKEW_MS,
  DEFAULT_OAUTH2_MAX_RESPONSE_BYTES,
  DEFAULT_OAUTH2_TOKEN_TTL_MS,
  DEFAULT_OAUTH2_TOKEN_URL,
  DEFAULT_WEBHOOK_REQUEST_TIMEOUT_MS,
} from './constants.js'
import { OAuth2TokenError } from './errors.js'
import { readLimitedText } from './read-limited-text.js'

/** OAuth2 client credentials (SentryPeer's `-i` client id and `-c` client secret). */
export interface OAuth2Init {
  clientId: string
  clientSecret: string
  /** Token endpoint; default SentryPeer's `https://authz.sentrypeer.com/oauth/token`. */
  tokenUrl?: string
  /** `audience` of the grant; default `https://sentrypeer.com/api`. */
  audience?: string
  /** Token lifetime when the response has no `expires_in`. */
  defaultTtlMs?: number
  /** Refresh this long before expiry. */
  expirySkewMs?: number
  maxResponseBytes?: number
  requestTimeoutMs?: number
}

/** Hands out a bearer token, fetching a new one when it expires or after `invalidate`. */
export interface OAuth2TokenSource {
  /** A valid access token; concurrent callers share one token request. Rejects with `OAuth2TokenError`. */
  token(signal?: AbortSignal): Promise<string>
  /** The server refused `token` (HTTP 401): forget it so the next `token()` fetches a new one. */
  invalidate(token: string): void
  /** Token requests made so far (successful or not). */
  readonly requests: number
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(16_384),
  expires_in: z.coerce.number().positive().finite().optional(),
  token_type: z.string().optional(),
})

/**
 * OAuth2 client-credentials grant (RFC 6749 section 4.4) as SentryPeer (C) does it: POST JSON
 * `{client_id, client_secret, audience, grant_type: 'client_credentials'}` to the token URL and use the
 * `access_token` until `expires_in` (minus a skew) runs out.
 *
 * @example
 * ```ts
 * const tokens = createOAuth2TokenSource({ clientId: 'id', clientSecret: 'secret' })
 * const bearer = await tokens.token()
 * ```
 */
export function createOAuth2TokenSource(init: OAuth2Init): OAuth2TokenSource {
  const tokenUrl = init.tokenUrl ?? DEFAULT_OAUTH2_TOKEN_URL
  const ttlDefault = init.defaultTtlMs ?? DEFAULT_OAUTH2_TOKEN_TTL_MS
  const skew = init.expirySkewMs ?? DEFAULT_OAUTH2_EXPIRY_SKEW_MS
  const maxBytes = init.maxResponseBytes ?? DEFAULT_OAUTH2_MAX_RESPONSE_BYTES
  const timeoutMs = init.requestTimeoutMs ?? DEFAULT_WEBHOOK_REQUEST_TIMEOUT_MS
  let current: { value: string; refreshAt: number } | undefined
  let inflight: Promise<string> | undefined
  let requests = 0

  const fetchToken = async (signal?: AbortSignal): Promise<string> => {
    requests += 1
    const timeout = AbortSignal.timeout(timeoutMs)
    let res: Response
    try {
      res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          client_id: init.clientId,
          client_secret: init.clientSecret,
          audience: init.audience ?? DEFAULT_OAUTH2_AUDIENCE,
          grant_type: 'client_credentials',
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
    } catch (cause) {
      throw new OAuth2TokenError(`token request to ${tokenUrl} failed: ${(cause as Error).message}`, {
        cause,
      })
    }
    let text: string
    try {
      text = await readLimitedText(res, maxBytes)
    } catch (cause) {
      throw new OAuth2TokenError(`token response from ${tokenUrl} could not be read`, { cause })
    }
    if (!res.ok) {
      throw new OAuth2TokenError(`token endpoint ${tokenUrl} answered HTTP ${res.status}`, {
        status: res.status,
      })
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      throw new OAuth2TokenError(`token endpoint ${tokenUrl} answered invalid JSON`, { cause })
    }
    const parsed = tokenResponseSchema.safeParse(json)
    if (!parsed.success) {
      throw new OAuth2TokenError(`token endpoint ${tokenUrl} answered without a usable access_token`)
    }
    const ttl = parsed.data.expires_in !== undefined ? parsed.data.expires_in * 1000 : ttlDefault
    current = { value: parsed.data.access_token, refreshAt: Date.now() + Math.max(0, ttl - skew) }
    return parsed.data.access_token
  }

  return {
    token(signal) {
      if (current && Date.now() < current.refreshAt) return Promise.resolve(current.value)
      inflight ??= fetchToken(signal).finally(() => {
        inflight = undefined
      })
      return inflight
    },
    invalidate(token) {
      if (current?.value === token) current = undefined
    },
    get requests() {
      return requests
    },
  }
}
