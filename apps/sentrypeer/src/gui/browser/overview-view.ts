import { MAX_PAGE_LIMIT, type StatsResponse } from '@sentrypeer/client'
import { CHART_HOURS, OVERVIEW_COUNT_CAP, TOP_LIST_SIZE } from '../constants.js'
import { type Bar, barChart } from './bar-chart.js'
import { h, replace } from './dom.js'
import { numberLink } from './events-table.js'
import { formatCount } from './format.js'
import type { GuiContext } from './gui-context.js'
import { table } from './table.js'

const HOUR_MS = 3_600_000

interface Counted {
  count: number
  capped: boolean
}

/** The count of a list from its first page of {@link OVERVIEW_COUNT_CAP} items. */
function counted(items: unknown[], next: string | null | undefined): Counted {
  return { count: items.length, capped: next !== null && next !== undefined }
}

function showCount(c: Counted): string {
  return c.capped ? `≥ ${formatCount(c.count)}` : formatCount(c.count)
}

/** One bar per hour of the last {@link CHART_HOURS} hours, empty hours included. */
function hourBars(stats: StatsResponse, now: number): Bar[] {
  const byStart = new Map(stats.buckets.map((b) => [Date.parse(b.start), b.events]))
  const last = Math.floor(now / HOUR_MS) * HOUR_MS
  const bars: Bar[] = []
  for (let t = last - (CHART_HOURS - 1) * HOUR_MS; t <= last; t += HOUR_MS) {
    const iso = new Date(t).toISOString()
    bars.push({
      label: iso.slice(11, 16),
      title: `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`,
      value: byStart.get(t) ?? 0,
    })
  }
  return bars
}

function top<T extends { seen_count: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.seen_count - a.seen_count).slice(0, TOP_LIST_SIZE)
}

function tile(label: string, value: string, id: string): HTMLElement {
  return h(
    'div',
    { class: 'tile' },
    h('span', { class: 'tile-label', id: `${id}-label` }, label),
    h('output', { class: 'tile-value', id, 'aria-labelledby': `${id}-label` }, value),
  )
}

/**
 * The overview: totals, events per hour (SVG), top called numbers, User-Agents and SIP methods.
 */
export async function renderOverview(ctx: GuiContext, main: HTMLElement): Promise<void> {
  replace(main, h('h2', {}, 'Overview'), h('p', { class: 'muted' }, 'Loading…'))
  const now = Date.now()
  try {
    const since24h = String(now - 24 * HOUR_MS)
    const since7d = String(now - 7 * 24 * HOUR_MS)
    const page = { limit: OVERVIEW_COUNT_CAP }
    const [ipPage, numberPage, hourly, daily, agents, methods] = await Promise.all([
      ctx.api.listIpAddresses(page),
      ctx.api.listNumbers(page),
      ctx.api.getStats({ bucket: 'hour', since: since24h }),
      ctx.api.getStats({ bucket: 'day', since: since7d }),
      ctx.api.listUserAgents({ limit: MAX_PAGE_LIMIT }),
      ctx.api.listSipMethods({ limit: MAX_PAGE_LIMIT }),
    ])
    const ips = counted(ipPage.ip_addresses, ipPage.next_cursor)
    const numbers = counted(numberPage.called_numbers, numberPage.next_cursor)
    if (!ctx.current()) return
    const bars = hourBars(hourly, now)
    replace(
      main,
      h('h2', {}, 'Overview'),
      h(
        'div',
        { class: 'tiles' },
        tile('Bad actor IPs', showCount(ips), 'total-ips'),
        tile('Called numbers', showCount(numbers), 'total-numbers'),
        tile('Events, last 24 h', formatCount(hourly.events_total), 'events-24h'),
        tile('Events, last 7 days', formatCount(daily.events_total), 'events-7d'),
      ),
      h(
        'figure',
        { class: 'chart-box' },
        barChart(bars, `Events per hour, last ${CHART_HOURS} hours: ${hourly.events_total} in total`),
        h('figcaption', {}, `Events per hour, last ${CHART_HOURS} hours (UTC)`),
      ),
      h(
        'div',
        { class: 'columns' },
        table(
          'Top called numbers',
          ['Number', 'Attempts'],
          top(numberPage.called_numbers).map((n) => [numberLink(n.called_number), formatCount(n.seen_count)]),
        ),
        table(
          'Top User-Agents',
          ['User-Agent', 'Events'],
          top(agents.user_agents).map((u) => [
            h('span', { class: 'ua' }, u.user_agent),
            formatCount(u.seen_count),
          ]),
        ),
        table(
          'Top SIP methods',
          ['Method', 'Events'],
          top(methods.sip_methods).map((m) => [m.method, formatCount(m.seen_count)]),
        ),
      ),
    )
  } catch (err) {
    if (ctx.current())
      replace(main, h('h2', {}, 'Overview'), h('p', { class: 'muted' }, 'Could not load the overview.'))
    ctx.fail(err)
  }
}
