import { HOST, TOKEN } from './char-classes.js'
import { scanParams, skipWs, spanClass } from './header-params.js'
import type { Via } from './types.js'

/** @internal */
export type ViaScan = { ok: true; value: Via } | { ok: false; offset: number; message: string }

function err(offset: number, message: string): ViaScan {
  return { ok: false, offset, message }
}

/**
 * @internal Parse one via-parm (RFC 3261 §20.42, §25.1):
 * `sent-protocol LWS sent-by *( SEMI via-params )`, LWS allowed around "/" and ":".
 */
export function parseVia(s: string): ViaScan {
  let i = skipWs(s, 0)
  const parts: string[] = []
  for (let k = 0; k < 3; k++) {
    if (k > 0) {
      if (s.charCodeAt(i) !== 47 /* / */) return err(i, 'expected "/" in Via sent-protocol')
      i = skipWs(s, i + 1)
    }
    const start = i
    i = spanClass(s, i, TOKEN)
    if (i === start) return err(start, 'empty Via sent-protocol element')
    parts.push(s.slice(start, i))
    i = skipWs(s, i)
  }
  if (i === 0 || (s.charCodeAt(i - 1) !== 32 && s.charCodeAt(i - 1) !== 9)) {
    return err(i, 'expected LWS before Via sent-by')
  }
  const hostStart = i
  if (s.charCodeAt(i) === 91 /* [ */) {
    const close = s.indexOf(']', i)
    if (close === -1 || !/^[0-9A-Fa-f:.]+$/.test(s.slice(i + 1, close))) return err(i, 'bad IPv6 reference')
    i = close + 1
  } else {
    i = spanClass(s, i, HOST)
    if (i === hostStart) return err(hostStart, 'empty Via sent-by host')
  }
  const host = s.slice(hostStart, i)
  let port: number | undefined
  const afterHost = skipWs(s, i)
  if (s.charCodeAt(afterHost) === 58 /* : */) {
    i = skipWs(s, afterHost + 1)
    const pStart = i
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57 && i - pStart < 6) i++
    const p = Number(s.slice(pStart, i))
    if (i === pStart || i - pStart > 5 || p > 65535) return err(pStart, 'bad Via port')
    port = p
  }
  const params: Record<string, string | true> = Object.create(null)
  const r = scanParams(s, i, params)
  if (!r.ok) return err(r.offset, r.message)
  const via: {
    -readonly [K in keyof Via]: Via[K]
  } = {
    protocol: `${parts[0]}/${parts[1]}`,
    transport: parts[2]!.toUpperCase(),
    host,
    params,
    raw: s.trim(),
  }
  if (port !== undefined) via.port = port
  const branch = params.branch
  if (branch !== undefined) {
    if (branch === true) return err(0, 'Via branch without a value')
    via.branch = branch
  }
  const rport = params.rport
  if (rport !== undefined) {
    if (rport === true) via.rport = true
    else if (/^[0-9]{1,5}$/.test(rport) && Number(rport) <= 65535) via.rport = Number(rport)
    else return err(0, 'bad Via rport')
  }
  const received = params.received
  if (received !== undefined) {
    if (received === true) return err(0, 'Via received without a value')
    const bare = received.startsWith('[') && received.endsWith(']') ? received.slice(1, -1) : received
    if (!/^[0-9A-Fa-f:.]+$/.test(bare)) return err(0, 'bad Via received')
    via.received = bare
  }
  return { ok: true, value: via }
}
