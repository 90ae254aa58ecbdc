import { MAX_IP_TEXT_LENGTH } from './constants.js'

/** An IP address in its one stored form, with its family. */
export interface NormalizedIp {
  ip: string
  family: 4 | 6
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/

/**
 * Normalises an IP address text to the one form the store keys on: IPv4 dotted quad without leading
 * zeros; IPv6 lowercase and compressed as RFC 5952 §4 recommends; IPv4-mapped IPv6 (`::ffff:1.2.3.4`,
 * RFC 4291 §2.5.5.2) becomes the IPv4 address; an IPv6 zone (`%eth0`, RFC 4007 §11) is dropped.
 * Returns `undefined` for anything that is not an IP address.
 *
 * @example
 * ```ts
 * normalizeIp('::FFFF:192.0.2.1') // { ip: '192.0.2.1', family: 4 }
 * normalizeIp('2001:DB8:0:0:0:0:0:1') // { ip: '2001:db8::1', family: 6 }
 * ```
 */
export function normalizeIp(text: string): NormalizedIp | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_IP_TEXT_LENGTH) return undefined
  if (IPV4.test(text)) return { ip: text, family: 4 }
  if (!text.includes(':')) return undefined
  // Fast path for the common IPv4-mapped form that dual-stack sockets report.
  if (text.length <= 22 && (text.startsWith('::ffff:') || text.startsWith('::FFFF:'))) {
    const v4 = text.slice(7)
    if (IPV4.test(v4)) return { ip: v4, family: 4 }
  }
  const groups = parseIpv6(text)
  if (groups === undefined) return undefined
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    const a = groups[6]!
    const b = groups[7]!
    return { ip: `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`, family: 4 }
  }
  return { ip: formatIpv6(groups), family: 6 }
}

function parseIpv6(input: string): number[] | undefined {
  let text = input.toLowerCase()
  const zone = text.indexOf('%')
  if (zone !== -1) {
    if (zone === text.length - 1) return undefined
    text = text.slice(0, zone)
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] === '' ? [] : halves[0]!.split(':')
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':')) : []
  const parts = halves.length === 2 ? [...head, ...tail] : head
  const values: number[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    if (part.includes('.')) {
      // RFC 4291 §2.2: an embedded IPv4 address is only allowed as the last 32 bits.
      if (i !== parts.length - 1 || (halves.length === 2 && tail.length === 0)) return undefined
      const m = IPV4.exec(part)
      if (m === null) return undefined
      values.push((Number(m[1]) << 8) | Number(m[2]), (Number(m[3]) << 8) | Number(m[4]))
    } else {
      if (!HEX_GROUP.test(part)) return undefined
      values.push(Number.parseInt(part, 16))
    }
  }
  if (halves.length === 2) {
    if (values.length > 7) return undefined
    const headValues = values.slice(0, head.length)
    const tailValues = values.slice(head.length)
    return [...headValues, ...new Array<number>(8 - values.length).fill(0), ...tailValues]
  }
  return values.length === 8 ? values : undefined
}

function formatIpv6(groups: number[]): string {
  // RFC 5952 §4.2: the longest run of two or more zero groups becomes '::' (the first one on a tie).
  let bestStart = -1
  let bestLength = 1
  let runStart = -1
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && groups[i] === 0) {
      if (runStart === -1) runStart = i
    } else if (runStart !== -1) {
      const length = i - runStart
      if (length > bestLength) {
        bestStart = runStart
        bestLength = length
      }
      runStart = -1
    }
  }
  if (bestStart === -1) return groups.map((g) => g.toString(16)).join(':')
  const left = groups.slice(0, bestStart).map((g) => g.toString(16))
  const right = groups.slice(bestStart + bestLength).map((g) => g.toString(16))
  return `${left.join(':')}::${right.join(':')}`
}
