import { type ApiEvent, HttpError } from '@sentrypeer/client'
import { LIVE_FEED_MAX_ROWS, LIVE_FEED_RETRY_MS } from '../constants.js'
import { h } from './dom.js'
import { LIVE_HEADERS, liveCells } from './events-table.js'
import type { GuiContext } from './gui-context.js'

/** The live feed: a bounded table of new events, newest first. */
export interface LiveFeed {
  /** Starts (or restarts with a new context) the event stream. */
  start(ctx: GuiContext): void
  stop(): void
}

/**
 * Fills `tbody` with events from `GET /events/stream` (SSE through the client), keeping at most
 * {@link LIVE_FEED_MAX_ROWS}; reconnects after {@link LIVE_FEED_RETRY_MS} when the stream ends.
 * `state` shows whether it is connected and carries `data-state` for scripts.
 */
export function createLiveFeed(
  tbody: HTMLTableSectionElement,
  state: HTMLElement,
  pause: HTMLButtonElement,
): LiveFeed {
  let abort: AbortController | undefined
  let paused = false
  const setState = (value: string, text: string): void => {
    state.dataset.state = value
    state.textContent = text
  }
  pause.addEventListener('click', () => {
    paused = !paused
    pause.setAttribute('aria-pressed', String(paused))
    pause.textContent = paused ? 'Resume' : 'Pause'
  })
  const add = (e: ApiEvent): void => {
    if (paused) return
    tbody.querySelector('tr.empty-row')?.remove()
    tbody.prepend(h('tr', { 'data-event': e.event_uuid }, ...liveCells(e).map((c) => h('td', {}, c))))
    while (tbody.rows.length > LIVE_FEED_MAX_ROWS) tbody.lastElementChild?.remove()
  }
  const run = async (ctx: GuiContext, signal: AbortSignal): Promise<void> => {
    while (!signal.aborted) {
      setState('connecting', 'waiting for events…')
      try {
        let first = true
        for await (const e of ctx.api.streamEvents({ signal })) {
          if (first) setState('open', 'live')
          first = false
          add(e)
        }
      } catch (err) {
        if (signal.aborted) return
        if (err instanceof HttpError && err.status === 401) {
          setState('closed', 'needs the API token')
          ctx.fail(err)
          return
        }
        // 503 STREAM_UNAVAILABLE: this server has no event stream; TOO_MANY_STREAMS is retried.
        if (err instanceof HttpError && err.status === 503 && err.code !== 'TOO_MANY_STREAMS') {
          setState('closed', 'not available on this server')
          return
        }
      }
      if (signal.aborted) return
      setState('closed', 'disconnected, retrying…')
      await new Promise((r) => setTimeout(r, LIVE_FEED_RETRY_MS))
    }
  }
  if (tbody.rows.length === 0) {
    tbody.append(
      h(
        'tr',
        { class: 'empty-row' },
        h('td', { colspan: LIVE_HEADERS.length, class: 'empty' }, 'Waiting for events…'),
      ),
    )
  }
  return {
    start(ctx) {
      abort?.abort()
      abort = new AbortController()
      void run(ctx, abort.signal)
    },
    stop() {
      abort?.abort()
      abort = undefined
      setState('closed', 'stopped')
    },
  }
}
