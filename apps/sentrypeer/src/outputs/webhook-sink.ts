import type { Logger } from 'pino'
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_WEBHOOK_CONCURRENCY,
  DEFAULT_WEBHOOK_MAX_ATTEMPTS,
  DEFAULT_WEBHOOK_MAX_QUEUE,
  DEFAULT_WEBHOOK_REQUEST_TIMEOUT_MS,
  DEFAULT_WEBHOOK_RETRY_MAX_MS,
  DEFAULT_WEBHOOK_RETRY_MIN_MS,
} from './constants.js'
import { type OAuth2TokenError, WebhookRequestError, WebhookStatusError } from './errors.js'
import type { EventSink, SinkStats } from './event-sink.js'
import type { HoneypotEvent } from './honeypot-event.js'
import { createOAuth2TokenSource, type OAuth2Init } from './oauth2-token-source.js'
import { discardBody } from './read-limited-text.js'
import { toSentryPeerJson } from './to-sentry-peer-json.js'

export interface WebhookSinkInit {
  /** http(s) URL each event is POSTed to as JSON. */
  url: string
  /** OAuth2 client credentials: events then carry `Authorization: Bearer <token>`. */
  oauth2?: OAuth2Init
  appVersion: string
  maxQueue?: number
  concurrency?: number
  maxAttempts?: number
  retryMinMs?: number
  retryMaxMs?: number
  requestTimeoutMs?: number
  /** Diagnostics: failed attempts are logged here (never thrown). */
  logger?: Logger
}

export interface WebhookSink extends EventSink {
  /** Stops taking events, drains the queue and resolves by `timeoutMs`; what is left is counted dropped. */
  close(timeoutMs?: number): Promise<void>
  stats(): WebhookStats
}

export interface WebhookStats extends SinkStats {
  /** Failed attempts (HTTP error, connection error, timeout, token failure). */
  failures: number
  /** Attempts that were retried after a failure. */
  retries: number
  /** Events dropped because the queue was full. */
  queueFull: number
  /** Events given up after `maxAttempts` or refused with a permanent 4xx. */
  gaveUp: number
  /** Token requests made (OAuth2 only). */
  tokenRequests: number
  /** Events waiting now. */
  queued: number
}

/** Retry a status: 408, 425, 429 and 5xx are worth another try; other 4xx never succeed. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500
}

/**
 * Webhook sink: POSTs each event as SentryPeer JSON off the packet path. A bounded queue feeds a few
 * workers; a failed POST is retried with exponential backoff and logged, never thrown; an expired or
 * refused (401) OAuth2 token is fetched again.
 *
 * @example
 * ```ts
 * const sink = createWebhookSink({ url: 'https://example.org/hook', appVersion: '0.1.0' })
 * sink.write(event) // returns at once
 * await sink.close(5_000)
 * ```
 */
export function createWebhookSink(init: WebhookSinkInit): WebhookSink {
  const maxQueue = init.maxQueue ?? DEFAULT_WEBHOOK_MAX_QUEUE
  const concurrency = Math.max(1, init.concurrency ?? DEFAULT_WEBHOOK_CONCURRENCY)
  const maxAttempts = Math.max(1, init.maxAttempts ?? DEFAULT_WEBHOOK_MAX_ATTEMPTS)
  const retryMin = init.retryMinMs ?? DEFAULT_WEBHOOK_RETRY_MIN_MS
  const retryMax = init.retryMaxMs ?? DEFAULT_WEBHOOK_RETRY_MAX_MS
  const requestTimeout = init.requestTimeoutMs ?? DEFAULT_WEBHOOK_REQUEST_TIMEOUT_MS
  const tokens = init.oauth2
    ? createOAuth2TokenSource({ requestTimeoutMs: requestTimeout, ...init.oauth2 })
    : undefined
  const stats = { accepted: 0, delivered: 0, dropped: 0, failures: 0, retries: 0, queueFull: 0, gaveUp: 0 }
  const queue: HoneypotEvent[] = []
  // Aborted at the close deadline: cuts requests in flight and backoff sleeps.
  const stop = new AbortController()
  let workers = 0
  let inFlight = 0
  let abandoned = false
  let closed = false
  let closing: Promise<void> | undefined
  let idle: (() => void) | undefined

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stop.signal.aborted) return resolve()
      const onAbort = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        stop.signal.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      stop.signal.addEventListener('abort', onAbort, { once: true })
    })

  const backoff = (attempt: number): number => {
    const d = Math.min(retryMax, retryMin * 2 ** (attempt - 1))
    return d / 2 + Math.random() * (d / 2)
  }

  /** One POST. Resolves 'ok', 'retry' or 'permanent'. */
  const attempt = async (body: string): Promise<'ok' | 'retry' | 'permanent'> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': `sentrypeer/${init.appVersion}`,
    }
    let token: string | undefined
    if (tokens) {
      try {
        token = await tokens.token(stop.signal)
      } catch (err) {
        stats.failures += 1
        const status = (err as OAuth2TokenError).status
        init.logger?.warn({ err, url: init.oauth2?.tokenUrl }, 'webhook OAuth2 token request failed')
        // A 4xx from the token endpoint (bad client credentials) will not heal by retrying this event.
        return status !== undefined && !retryableStatus(status) ? 'permanent' : 'retry'
      }
      headers.authorization = `Bearer ${token}`
    }
    let res: Response
    try {
      res = await fetch(init.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(requestTimeout)]),
      })
    } catch (cause) {
      stats.failures += 1
      const err = new WebhookRequestError(`webhook POST failed: ${(cause as Error).message}`, { cause })
      init.logger?.warn({ err, url: init.url }, 'webhook POST failed')
      return 'retry'
    }
    await discardBody(res)
    if (res.ok) return 'ok'
    stats.failures += 1
    init.logger?.warn({ err: new WebhookStatusError(res.status), url: init.url }, 'webhook POST refused')
    if (res.status === 401 && tokens && token) {
      tokens.invalidate(token)
      return 'retry'
    }
    return retryableStatus(res.status) ? 'retry' : 'permanent'
  }

  /** Attempts one event until it is delivered, refused for good, out of attempts or aborted. */
  const attempts = async (body: string): Promise<'delivered' | 'gaveUp' | 'aborted'> => {
    for (let n = 1; ; n++) {
      if (stop.signal.aborted) return 'aborted'
      const outcome = await attempt(body)
      if (outcome === 'ok') return 'delivered'
      if (stop.signal.aborted) return 'aborted'
      if (outcome === 'permanent' || n >= maxAttempts) return 'gaveUp'
      stats.retries += 1
      await sleep(backoff(n))
    }
  }

  const deliver = async (event: HoneypotEvent): Promise<void> => {
    inFlight += 1
    let result: 'delivered' | 'gaveUp' | 'aborted'
    try {
      result = await attempts(JSON.stringify(toSentryPeerJson(event, init.appVersion)))
    } finally {
      inFlight -= 1
    }
    // Past the close deadline the event was already counted as dropped.
    if (abandoned) return
    if (result === 'delivered') {
      stats.delivered += 1
      return
    }
    if (result === 'gaveUp') stats.gaveUp += 1
    stats.dropped += 1
  }

  const work = async (): Promise<void> => {
    workers += 1
    try {
      for (let event = queue.shift(); event; event = queue.shift()) {
        await deliver(event)
      }
    } finally {
      workers -= 1
      if (workers === 0 && queue.length === 0) idle?.()
    }
  }

  return {
    write(event) {
      stats.accepted += 1
      if (closed || queue.length >= maxQueue) {
        if (!closed) stats.queueFull += 1
        stats.dropped += 1
        return
      }
      queue.push(event)
      if (workers < concurrency) {
        void work().catch((err) => init.logger?.error({ err }, 'webhook worker failed'))
      }
    },
    stats() {
      return { ...stats, tokenRequests: tokens?.requests ?? 0, queued: queue.length }
    },
    close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      if (closing) return closing
      closed = true
      closing = new Promise<void>((resolve) => {
        if (workers === 0 && queue.length === 0) return resolve()
        const timer = setTimeout(() => {
          // Deadline: queued and in-flight events are lost and counted; requests and sleeps are aborted.
          abandoned = true
          stats.dropped += queue.length + inFlight
          queue.length = 0
          stop.abort()
          resolve()
        }, timeoutMs)
        idle = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      return closing
    },
  }
}
