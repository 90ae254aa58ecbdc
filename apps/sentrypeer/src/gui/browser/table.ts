import { type Child, h } from './dom.js'

/**
 * An accessible data table: a caption, column headers with `scope="col"`, one row per entry, and a
 * single "nothing yet" row when empty.
 */
export function table(
  caption: string,
  headers: string[],
  rows: Child[][],
  empty = 'Nothing yet.',
): HTMLElement {
  const body = h('tbody')
  if (rows.length === 0) body.append(h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, empty)))
  for (const cells of rows) body.append(h('tr', {}, ...cells.map((c) => h('td', {}, c))))
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
      body,
    ),
  )
}
