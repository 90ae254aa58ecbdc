import { isIP } from 'node:net'

/** A socket address to listen on. `host` is a bare IP (no brackets). */
export interface ListenAddress {
  host: string
  port: number
}

export type ListenAddressResult = { ok: true; address: ListenAddress } | { ok: false; message: string }

/**
 * Parses `HOST:PORT` (`0.0.0.0:5060`, `127.0.0.1:0`, `[::]:5060`, `[::1]:5061`). HOST must be an IP
 * literal: the daemon binds addresses, it never resolves names.
 *
 * @example
 * parseListenAddress('[::]:5060') // { ok: true, address: { host: '::', port: 5060 } }
 */
export function parseListenAddress(text: string): ListenAddressResult {
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text)
  const plain = bracketed ? null : /^([^:[\]]+):(\d{1,5})$/.exec(text)
  const match = bracketed ?? plain
  if (!match) {
    return { ok: false, message: `"${text}" is not HOST:PORT (write IPv6 as [::]:5060)` }
  }
  const host = match[1] as string
  const port = Number(match[2])
  const family = isIP(host)
  if (family === 0 || (bracketed && family !== 6) || (plain && family !== 4)) {
    return { ok: false, message: `"${host}" is not an IPv4 address or a bracketed IPv6 address` }
  }
  if (port > 65_535) return { ok: false, message: `port ${port} is out of range 0-65535` }
  return { ok: true, address: { host, port } }
}

/** Formats an address back to `HOST:PORT` with IPv6 in brackets. */
export function formatListenAddress(address: ListenAddress): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`
}
