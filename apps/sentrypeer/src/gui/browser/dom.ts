/**
 * The only way the GUI builds DOM: elements from our own tag and attribute names, and data only ever
 * as text nodes or attribute values (never parsed as HTML), so hostile User-Agents, numbers and peer
 * reasons render as the text they are.
 */

export type Child = Node | string | number | null | undefined | false
export type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

/**
 * Creates an HTML element. `on<event>` attributes take listeners; other values are set with
 * `setAttribute` (`true` as an empty attribute, `false`/`undefined` skipped); children strings become
 * text nodes.
 *
 * @example
 * ```ts
 * h('td', { class: 'ua', title: userAgent }, userAgent)
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') el.addEventListener(name.slice(2), value)
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

/** Creates an SVG element with attributes (numbers and our own strings only) and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag)
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value))
  append(el, children)
  return el
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}
