import { HttpError } from '@sentrypeer/client'
import { DETAIL_RECENT_EVENTS } from '../constants.js'
import { h, replace } from './dom.js'
import { eventsTable } from './events-table.js'
import { formatCount, formatTime } from './format.js'
import type { GuiContext } from './gui-context.js'

/** What the detail views show of an IP or a number. */
export interface DetailData {
  seen_first: string
  seen_last: string
  seen_count: number
  recent_events: Parameters<typeof eventsTable>[1]
}

/**
 * The detail of one IP or called number: first/last seen, count and its recent events. `extra` adds
 * view-specific parts (the IP view asks the P2P network).
 */
export async function renderDetail(
  ctx: GuiContext,
  main: HTMLElement,
  kind: 'IP address' | 'Called number',
  value: string,
  back: { href: string; text: string },
  load: () => Promise<DetailData>,
  extra?: () => HTMLElement,
): Promise<void> {
  const heading = h('h2', {}, `${kind} `, h('code', { id: 'detail-value' }, value))
  const backLink = h('p', {}, h('a', { href: back.href }, `← ${back.text}`))
  replace(main, backLink, heading, h('p', { class: 'muted' }, 'Loading…'))
  try {
    const d = await load()
    if (!ctx.current()) return
    replace(
      main,
      backLink,
      heading,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'First seen'),
        h('dd', {}, formatTime(d.seen_first)),
        h('dt', {}, 'Last seen'),
        h('dd', {}, formatTime(d.seen_last)),
        h('dt', {}, 'Events'),
        h('dd', {}, formatCount(d.seen_count)),
      ),
      extra?.() ?? null,
      eventsTable(`Most recent events (up to ${DETAIL_RECENT_EVENTS})`, d.recent_events),
    )
  } catch (err) {
    if (!ctx.current()) return
    if (err instanceof HttpError && err.status === 404) {
      replace(main, backLink, heading, h('p', {}, `No bad actor record of this ${kind.toLowerCase()}.`))
      return
    }
    replace(main, backLink, heading, h('p', { class: 'muted' }, 'Could not load the detail.'))
    ctx.fail(err)
  }
}
