import type { ApiEvent } from '@sentrypeer/client'
import { h } from './dom.js'
import { formatTime } from './format.js'
import { table } from './table.js'

/** Link to an IP's detail view. */
export function ipLink(ip: string): HTMLAnchorElement {
  return h('a', { href: `#/ips/${encodeURIComponent(ip)}` }, ip)
}

/** Link to a called number's detail view. */
export function numberLink(number: string): HTMLAnchorElement | string {
  return number === '' ? '' : h('a', { href: `#/numbers/${encodeURIComponent(number)}` }, number)
}

/** The cells of one event row (the live feed and the detail views share them). */
function eventCells(e: ApiEvent): Array<Node | string> {
  return [
    h('time', { datetime: e.event_timestamp }, formatTime(e.event_timestamp)),
    ipLink(e.source_ip),
    e.method,
    numberLink(e.called_number),
    h('span', { class: 'ua' }, e.user_agent ?? ''),
    `${e.transport} ${e.source_port}`,
    e.origin,
  ]
}

/** The compact cells of a live feed row: the time of day, source, method, number, User-Agent. */
export function liveCells(e: ApiEvent): Array<Node | string> {
  return [
    h('time', { datetime: e.event_timestamp }, formatTime(e.event_timestamp).slice(11)),
    ipLink(e.source_ip),
    e.method,
    numberLink(e.called_number),
    h('span', { class: 'ua' }, e.user_agent ?? ''),
  ]
}

/** Column headers matching {@link liveCells} (the live table's header row is in index.html). */
export const LIVE_HEADERS = ['Time (UTC)', 'Source IP', 'Method', 'Called number', 'User-Agent']

/** Column headers matching {@link eventCells}. */
const EVENT_HEADERS = [
  'Time (UTC)',
  'Source IP',
  'Method',
  'Called number',
  'User-Agent',
  'Transport',
  'Origin',
]

/** A table of events, newest first as the API returns them. */
export function eventsTable(caption: string, events: ApiEvent[]): HTMLElement {
  return table(caption, EVENT_HEADERS, events.map(eventCells), 'No events.')
}
