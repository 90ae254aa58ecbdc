import type { ListQuery } from '@sentrypeer/client'
import { TABLE_PAGE_SIZE } from '../constants.js'
import { type Child, h, replace } from './dom.js'
import type { GuiContext } from './gui-context.js'
import { table } from './table.js'

/** One page of a list route, reduced to rows. */
export interface ListPage {
  rows: Child[][]
  next: string | null | undefined
}

/** What differs between the IP list and the number list. */
export interface ListSpec {
  /** Heading and table caption. */
  title: string
  /** Element id prefix (`ips`, `numbers`). */
  id: string
  headers: string[]
  /** Whether the route takes the `family` filter. */
  family: boolean
  fetch(ctx: GuiContext, query: ListQuery): Promise<ListPage>
}

interface ListState {
  family: '' | '4' | '6'
  origin: '' | 'local' | 'remote'
  since: string
  /** Cursors of the pages before the current one (the first page has none). */
  cursors: Array<string | undefined>
  cursor: string | undefined
}

const SINCE: Array<[string, string, number]> = [
  ['', 'any time', 0],
  ['1h', 'last hour', 3_600_000],
  ['24h', 'last 24 hours', 86_400_000],
  ['7d', 'last 7 days', 604_800_000],
]

const states = new Map<string, ListState>()

function select(
  id: string,
  label: string,
  value: string,
  options: Array<[string, string]>,
  onchange: (v: string) => void,
): HTMLElement {
  return h(
    'span',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, onchange: (e: Event) => onchange((e.target as HTMLSelectElement).value) },
      ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
    ),
  )
}

/**
 * A paged table (limit + cursor) with the list filters (since, family, origin) and previous/next
 * buttons. Filters and position survive navigating to a detail view and back.
 */
export async function renderList(ctx: GuiContext, main: HTMLElement, spec: ListSpec): Promise<void> {
  let state = states.get(spec.id)
  if (state === undefined) {
    state = { family: '', origin: '', since: '', cursors: [], cursor: undefined }
    states.set(spec.id, state)
  }
  const st = state
  const reload = (): void => void renderList(ctx, main, spec)
  const refilter = (change: Partial<ListState>): void => {
    Object.assign(st, change, { cursors: [], cursor: undefined })
    reload()
  }
  const filters = h(
    'form',
    { class: 'filters', 'aria-label': `${spec.title} filters`, onsubmit: (e: Event) => e.preventDefault() },
    select(
      `${spec.id}-since`,
      'Seen',
      st.since,
      SINCE.map(([v, t]) => [v, t]),
      (v) => refilter({ since: v }),
    ),
    spec.family
      ? select(
          `${spec.id}-family`,
          'Family',
          st.family,
          [
            ['', 'IPv4 and IPv6'],
            ['4', 'IPv4'],
            ['6', 'IPv6'],
          ],
          (v) => refilter({ family: v as ListState['family'] }),
        )
      : null,
    select(
      `${spec.id}-origin`,
      'Origin',
      st.origin,
      [
        ['', 'local and peers'],
        ['local', 'seen here'],
        ['remote', 'from peers'],
      ],
      (v) => refilter({ origin: v as ListState['origin'] }),
    ),
  )
  replace(main, h('h2', {}, spec.title), filters, h('p', { class: 'muted' }, 'Loading…'))
  const sinceMs = SINCE.find(([v]) => v === st.since)?.[2] ?? 0
  const query: ListQuery = {
    limit: TABLE_PAGE_SIZE,
    ...(st.cursor !== undefined ? { cursor: st.cursor } : {}),
    ...(sinceMs > 0 ? { since: String(Date.now() - sinceMs) } : {}),
    ...(spec.family && st.family !== '' ? { family: st.family } : {}),
    ...(st.origin !== '' ? { origin: st.origin } : {}),
  }
  try {
    const page = await spec.fetch(ctx, query)
    if (!ctx.current()) return
    const pageNo = st.cursors.length + 1
    const next = page.next
    const nav = h(
      'nav',
      { class: 'pager', 'aria-label': `${spec.title} pages` },
      h(
        'button',
        {
          type: 'button',
          disabled: st.cursors.length === 0,
          onclick: () => {
            st.cursor = st.cursors.pop()
            reload()
          },
        },
        '← Previous',
      ),
      h('span', {}, `Page ${pageNo}`),
      h(
        'button',
        {
          type: 'button',
          id: `${spec.id}-next`,
          disabled: next === null || next === undefined,
          onclick: () => {
            if (next === null || next === undefined) return
            st.cursors.push(st.cursor)
            st.cursor = next
            reload()
          },
        },
        'Next →',
      ),
    )
    replace(
      main,
      h('h2', {}, spec.title),
      filters,
      table(spec.title, spec.headers, page.rows, 'No bad actors match.'),
      nav,
    )
    const table_ = main.querySelector('table')
    table_?.setAttribute('id', `${spec.id}-table`)
  } catch (err) {
    if (ctx.current())
      replace(main, h('h2', {}, spec.title), filters, h('p', { class: 'muted' }, 'Could not load the list.'))
    ctx.fail(err)
  }
}
