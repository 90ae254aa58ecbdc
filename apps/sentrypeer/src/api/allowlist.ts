import { BlockList, isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import { DEFAULT_ALLOWLIST } from './constants.js'
import { InvalidCidrError } from './errors.js'

/** Addresses that are never exported to a firewall feed or a CrowdSec bouncer. */
export interface Allowlist {
  /** Whether `ip` is allowlisted (never blocked). Invalid text is not allowlisted. */
  has(ip: string): boolean
  /** The entries as given (CIDR text), for display. */
  readonly entries: readonly string[]
}

/** Options of {@link createAllowlist}. */
export interface AllowlistInit {
  /** Extra entries (`--allow CIDR`, repeatable): an address or `address/prefix`. */
  cidrs?: readonly string[]
  /** Include {@link DEFAULT_ALLOWLIST} and this host's own addresses (default true). */
  defaults?: boolean
}

/** A parsed CIDR. */
export interface Cidr {
  address: string
  prefix: number
  family: 4 | 6
}

/** Parses `address` or `address/prefix`; never throws. */
export function parseCidr(text: string): { ok: true; value: Cidr } | { ok: false; error: string } {
  const slash = text.indexOf('/')
  const address = slash === -1 ? text : text.slice(0, slash)
  const family = isIP(address)
  if (family !== 4 && family !== 6) return { ok: false, error: 'not an IPv4 or IPv6 address' }
  const max = family === 4 ? 32 : 128
  if (slash === -1) return { ok: true, value: { address, prefix: max, family } }
  const prefixText = text.slice(slash + 1)
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, error: 'prefix is not a number' }
  const prefix = Number(prefixText)
  if (prefix > max) return { ok: false, error: `prefix above ${max}` }
  return { ok: true, value: { address, prefix, family } }
}

/** Dotted-quad IPv4 to an unsigned 32-bit number; -1 if `ip` is not exactly that form. */
function ipv4ToNumber(ip: string): number {
  let value = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1
      value = value * 256 + part
      part = 0
      digits = 0
      dots++
    } else if (c >= 48 && c <= 57) {
      if (digits === 3 || (digits > 0 && part === 0)) return -1
      part = part * 10 + (c - 48)
      if (part > 255) return -1
      digits++
    } else {
      return -1
    }
  }
  if (dots !== 3 || digits === 0) return -1
  return value * 256 + part
}

class CidrAllowlist implements Allowlist {
  readonly #list = new BlockList()
  /** IPv4 ranges as [first, last] numbers: a plain loop beats BlockList.check tenfold. */
  readonly #v4: Array<[number, number]> = []
  readonly entries: readonly string[]

  constructor(entries: string[]) {
    for (const entry of entries) {
      const parsed = parseCidr(entry)
      if (!parsed.ok) throw new InvalidCidrError(entry, parsed.error)
      const { address, prefix, family } = parsed.value
      this.#list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
      if (family === 4) {
        const size = 2 ** (32 - prefix)
        const first = Math.floor(ipv4ToNumber(address) / size) * size
        this.#v4.push([first, first + size - 1])
      }
    }
    this.entries = entries
  }

  has(ip: string): boolean {
    const v4 = ipv4ToNumber(ip)
    if (v4 !== -1) {
      for (const [first, last] of this.#v4) if (v4 >= first && v4 <= last) return true
      return false
    }
    const family = isIP(ip)
    if (family === 0) return false
    return this.#list.check(ip, family === 4 ? 'ipv4' : 'ipv6')
  }
}

/** This host's own addresses (every interface), each as a host CIDR. */
function hostAddresses(): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      const address = info.address.split('%')[0] ?? ''
      if (isIP(address) !== 0) out.push(address)
    }
  }
  return out
}

/**
 * Builds the allowlist. Throws {@link InvalidCidrError} on a bad entry (a configuration error).
 *
 * @example
 * ```ts
 * const allow = createAllowlist({ cidrs: ['203.0.113.0/24'] })
 * allow.has('203.0.113.9') // true
 * allow.has('192.168.1.1') // true (RFC 1918 default)
 * ```
 */
export function createAllowlist(init: AllowlistInit = {}): Allowlist {
  const entries = init.defaults === false ? [] : [...DEFAULT_ALLOWLIST, ...hostAddresses()]
  return new CidrAllowlist([...entries, ...(init.cidrs ?? [])])
}
