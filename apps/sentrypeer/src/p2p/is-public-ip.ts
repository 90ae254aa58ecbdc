import { normalizeIp } from '@sentrypeer/store'

type Range = [base: bigint, bits: number, width: 32 | 128]

function v4(text: string, bits: number): Range {
  const [a, b, c, d] = text.split('.').map(Number) as [number, number, number, number]
  return [BigInt(((a << 24) | (b << 16) | (c << 8) | d) >>> 0), bits, 32]
}

function v6(text: string, bits: number): Range {
  return [v6ToBigInt(text), bits, 128]
}

function v6ToBigInt(text: string): bigint {
  const [head = '', tail] = text.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  let value = 0n
  for (const g of groups) value = (value << 16n) | BigInt(Number.parseInt(g, 16))
  return value
}

/** IPv4 ranges that are not public unicast (RFC 6890 special-purpose registry, RFC 5737, RFC 6598). */
const V4_SPECIAL: Range[] = [
  v4('0.0.0.0', 8), // "this network"
  v4('10.0.0.0', 8), // RFC 1918
  v4('100.64.0.0', 10), // CGNAT, RFC 6598
  v4('127.0.0.0', 8), // loopback
  v4('169.254.0.0', 16), // link-local
  v4('172.16.0.0', 12), // RFC 1918
  v4('192.0.0.0', 24), // IETF protocol assignments
  v4('192.0.2.0', 24), // TEST-NET-1, RFC 5737
  v4('192.88.99.0', 24), // 6to4 relay anycast (deprecated)
  v4('192.168.0.0', 16), // RFC 1918
  v4('198.18.0.0', 15), // benchmarking, RFC 2544
  v4('198.51.100.0', 24), // TEST-NET-2
  v4('203.0.113.0', 24), // TEST-NET-3
  v4('224.0.0.0', 4), // multicast
  v4('240.0.0.0', 4), // reserved and broadcast
]

/** IPv6: only global unicast 2000::/3 is public, minus documentation and special ranges. */
const V6_GLOBAL = v6('2000::', 3)
const V6_SPECIAL: Range[] = [
  v6('2001::', 23), // IETF protocol assignments (RFC 2928), Teredo and ORCHID included
  v6('2001:db8::', 32), // documentation, RFC 3849
  v6('2002::', 16), // 6to4: embeds an IPv4 address, may be private
  v6('3fff::', 20), // documentation, RFC 9637
]

function inRange(value: bigint, [base, bits, width]: Range): boolean {
  const shift = BigInt(width - bits)
  return value >> shift === base >> shift
}

/**
 * Whether `ip` is a public unicast address: records about private, loopback, link-local, CGNAT,
 * multicast, documentation or reserved addresses are never shared (they reveal nothing useful to other
 * operators and may reveal the operator's own network).
 *
 * @example
 * isPublicIp('45.77.0.2') // true
 * isPublicIp('192.168.1.1') // false
 */
export function isPublicIp(ip: string): boolean {
  const normalized = normalizeIp(ip)
  if (normalized === undefined) return false
  if (normalized.family === 4) {
    const value = v4(normalized.ip, 32)[0]
    return !V4_SPECIAL.some((r) => inRange(value, r))
  }
  const value = v6ToBigInt(normalized.ip)
  return inRange(value, V6_GLOBAL) && !V6_SPECIAL.some((r) => inRange(value, r))
}
