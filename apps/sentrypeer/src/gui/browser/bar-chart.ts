import { s } from './dom.js'

/** One bar of {@link barChart}. */
export interface Bar {
  /** Short axis label, e.g. `14:00`. */
  label: string
  /** Full description for the tooltip, e.g. `2026-11-21 14:00Z`. */
  title: string
  value: number
}

const WIDTH = 720
const HEIGHT = 180
const AXIS = 22
const TOP = 14

/**
 * A plain SVG bar chart (no library, no inline style): one `<rect class="bar">` per bar with a
 * `<title>` tooltip, a label every `labelEvery` bars and the maximum on the y axis. `summary` becomes
 * the chart's accessible name.
 *
 * @example
 * ```ts
 * main.append(barChart([{ label: '14:00', title: '2026-11-21 14:00Z', value: 12 }], 'events per hour'))
 * ```
 */
export function barChart(bars: Bar[], summary: string, labelEvery = 6): SVGSVGElement {
  const max = Math.max(1, ...bars.map((b) => b.value))
  const slot = WIDTH / Math.max(1, bars.length)
  const plot = HEIGHT - AXIS - TOP
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': summary,
    class: 'chart',
    preserveAspectRatio: 'none',
  })
  svg.append(s('text', { x: 2, y: 10, class: 'axis' }, `max ${max}`))
  svg.append(s('line', { x1: 0, x2: WIDTH, y1: TOP + plot, y2: TOP + plot, class: 'baseline' }))
  bars.forEach((bar, i) => {
    const height = bar.value === 0 ? 0 : Math.max(1, (bar.value / max) * plot)
    const x = i * slot + slot * 0.1
    svg.append(
      s(
        'rect',
        { x, y: TOP + plot - height, width: slot * 0.8, height, class: 'bar', 'data-value': bar.value },
        s('title', {}, `${bar.title}: ${bar.value} events`),
      ),
    )
    if (i % labelEvery === 0) {
      svg.append(s('text', { x: i * slot + 1, y: HEIGHT - 6, class: 'axis' }, bar.label))
    }
  })
  return svg
}
