import { HOST, TOKEN } from './char-classes.js'
import { paramsError, picked, scanParams, skipWs, spanClass } from './header-params.js'
import { newParams } from './params-object.js'
import type { SipParams, Via } from './types.js'

/** @internal Where and why the last `parseVia` call failed. */
export const viaError = { offset: 0, message: '' }

function err(offset: number, message: string): undefined {
  viaError.offset = offset
  viaError.message = message
  return undefined
}

function isIpChars(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const l = c | 32
    if (!((c >= 48 && c <= 58) || c === 46 || (l >= 97 && l <= 102))) return false
  }
  return true
}

function isSip20(s: string, name: string, start: number, end: number): boolean {
  return (
    name === 'SIP' &&
    end - start === 3 &&
    s.charCodeAt(start) === 50 &&
    s.charCodeAt(start + 1) === 46 &&
    s.charCodeAt(start + 2) === 48
  )
}

const TRANSPORTS = new Map(['UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'].map((t) => [t, t]))

function canonicalTransport(t: string): string {
  return TRANSPORTS.get(t) ?? t.toUpperCase()
}

class ViaImpl implements Via {
  readonly protocol: string
  readonly transport: string
  readonly host: string
  readonly port?: number
  readonly branch?: string
  readonly rport?: true | number
  readonly received?: string
  readonly raw: string
  readonly #src: string
  readonly #paramsAt: number
  #params: SipParams | undefined

  constructor(
    src: string,
    paramsAt: number,
    protocol: string,
    transport: string,
    host: string,
    port: number | undefined,
    branch: string | undefined,
    rport: true | number | undefined,
    received: string | undefined,
  ) {
    this.#src = src
    this.#paramsAt = paramsAt
    this.protocol = protocol
    this.transport = transport
    this.host = host
    if (port !== undefined) this.port = port
    if (branch !== undefined) this.branch = branch
    if (rport !== undefined) this.rport = rport
    if (received !== undefined) this.received = received
    const last = src.charCodeAt(src.length - 1)
    const first = src.charCodeAt(0)
    this.raw = first === 32 || first === 9 || last === 32 || last === 9 ? src.trim() : src
  }

  /** Every parameter (built on first access). */
  get params(): SipParams {
    if (this.#params === undefined) {
      const params = newParams()
      scanParams(this.#src, this.#paramsAt, params)
      this.#params = params
    }
    return this.#params
  }

  toJSON(): object {
    const { protocol, transport, host, port, branch, rport, received, params, raw } = this
    return { protocol, transport, host, port, branch, rport, received, params, raw }
  }
}

/**
 * @internal Parse one via-parm (RFC 3261 §20.42, §25.1):
 * `sent-protocol LWS sent-by *( SEMI via-params )`, LWS allowed around "/" and ":".
 * Returns undefined on a syntax error (details in {@link viaError}).
 */
export function parseVia(s: string): Via | undefined {
  let i = skipWs(s, 0)
  let protocol = ''
  let transport = ''
  for (let k = 0; k < 3; k++) {
    if (k > 0) {
      if (s.charCodeAt(i) !== 47 /* / */) return err(i, 'expected "/" in Via sent-protocol')
      i = skipWs(s, i + 1)
    }
    const start = i
    i = spanClass(s, i, TOKEN)
    if (i === start) return err(start, 'empty Via sent-protocol element')
    if (k === 0) protocol = s.slice(start, i)
    else if (k === 1)
      protocol = isSip20(s, protocol, start, i) ? 'SIP/2.0' : `${protocol}/${s.slice(start, i)}`
    else transport = s.slice(start, i)
    i = skipWs(s, i)
  }
  if (i === 0 || (s.charCodeAt(i - 1) !== 32 && s.charCodeAt(i - 1) !== 9)) {
    return err(i, 'expected LWS before Via sent-by')
  }
  const hostStart = i
  if (s.charCodeAt(i) === 91 /* [ */) {
    const close = s.indexOf(']', i)
    if (close === -1 || !isIpChars(s.slice(i + 1, close))) return err(i, 'bad IPv6 reference')
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
    let p = 0
    while (i < s.length && i - pStart < 6) {
      const c = s.charCodeAt(i) - 48
      if (c < 0 || c > 9) break
      p = p * 10 + c
      i++
    }
    if (i === pStart || i - pStart > 5 || p > 65535) return err(pStart, 'bad Via port')
    port = p
  }
  const paramsAt = i
  const end = scanParams(s, i)
  if (end < 0) return err(-1 - end, paramsError)
  let branch: string | undefined
  if (picked.branch !== undefined) {
    if (picked.branch === true) return err(paramsAt, 'Via branch without a value')
    branch = picked.branch
  }
  let rport: true | number | undefined
  const rp = picked.rport
  if (rp !== undefined) {
    if (rp === true) rport = true
    else {
      let v = 0
      for (let k = 0; k < rp.length; k++) {
        const c = rp.charCodeAt(k) - 48
        if (c < 0 || c > 9 || k >= 5) return err(paramsAt, 'bad Via rport')
        v = v * 10 + c
      }
      if (v > 65535) return err(paramsAt, 'bad Via rport')
      rport = v
    }
  }
  let received: string | undefined
  const rc = picked.received
  if (rc !== undefined) {
    if (rc === true) return err(paramsAt, 'Via received without a value')
    const bare = rc.charCodeAt(0) === 91 && rc.charCodeAt(rc.length - 1) === 93 ? rc.slice(1, -1) : rc
    if (!isIpChars(bare)) return err(paramsAt, 'bad Via received')
    received = bare
  }
  const upper = canonicalTransport(transport)
  return new ViaImpl(s, paramsAt, protocol, upper, host, port, branch, rport, received)
}
