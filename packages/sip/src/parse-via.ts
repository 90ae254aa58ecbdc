import { scanError, scanParamsB, skipWsB, spanB } from './byte-scan.js'
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
  /** The value as given (`raw` untrimmed); when parsed from bytes, sliced from `#text` on first use. */
  #src: string | undefined
  #raw: string | undefined
  #text = ''
  #start = 0
  #end = 0
  readonly #paramsAt: number
  #params: SipParams | undefined

  constructor(
    src: string | undefined,
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
  }

  /**
   * @internal The value was parsed from `text`[start, end) (trimmed). Performance: `raw` is sliced only
   * when read (bench/parse.ts).
   */
  setSource(text: string, start: number, end: number): this {
    this.#text = text
    this.#start = start
    this.#end = end
    return this
  }

  #source(): string {
    let src = this.#src
    if (src === undefined) {
      src = this.#text.slice(this.#start, this.#end)
      this.#src = src
    }
    return src
  }

  /** The whole via-parm, trimmed. */
  get raw(): string {
    let r = this.#raw
    if (r === undefined) {
      const src = this.#source()
      const last = src.charCodeAt(src.length - 1)
      const first = src.charCodeAt(0)
      r = first === 32 || first === 9 || last === 32 || last === 9 ? src.trim() : src
      this.#raw = r
    }
    return r
  }

  /** Every parameter (built on first access). */
  get params(): SipParams {
    if (this.#params === undefined) {
      const params = newParams()
      scanParams(this.#source(), this.#paramsAt, params)
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
  return finishVia(s, paramsAt, protocol, canonicalTransport(transport), host, port)
}

/** Check the picked branch / rport / received values and build the Via. */
function finishVia(
  src: string | undefined,
  paramsAt: number,
  protocol: string,
  transport: string,
  host: string,
  port: number | undefined,
): ViaImpl | undefined {
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
  return new ViaImpl(src, paramsAt, protocol, transport, host, port, branch, rport, received)
}

function isIpBytes(b: Uint8Array, a: number, z: number): boolean {
  if (z <= a) return false
  for (let i = a; i < z; i++) {
    const c = b[i]!
    const l = c | 32
    if (!((c >= 48 && c <= 58) || c === 46 || (l >= 97 && l <= 102))) return false
  }
  return true
}

function transportB(b: Uint8Array, a: number, z: number, text: string, base: number): string {
  if (z - a === 3) {
    const c0 = b[a]!
    const c1 = b[a + 1]!
    const c2 = b[a + 2]!
    if (c0 === 85 && c1 === 68 && c2 === 80) return 'UDP'
    if (c0 === 84 && c1 === 67 && c2 === 80) return 'TCP'
    if (c0 === 84 && c1 === 76 && c2 === 83) return 'TLS'
  }
  return canonicalTransport(text.slice(a - base, z - base))
}

/**
 * @internal `parseVia` on bytes[start, end) (ASCII, unfolded, trimmed); `text` is the header section
 * decoded one char per byte starting at byte offset `base`. Same results as `parseVia`.
 */
export function parseViaBytes(
  b: Uint8Array,
  start: number,
  end: number,
  text: string,
  base: number,
): Via | undefined {
  let i = start
  const p0 = i
  i = spanB(b, i, end, TOKEN)
  if (i === p0) return err(p0 - start, 'empty Via sent-protocol element')
  const p0e = i
  i = skipWsB(b, i, end)
  if (i >= end || b[i] !== 47) return err(i - start, 'expected "/" in Via sent-protocol')
  i = skipWsB(b, i + 1, end)
  const p1 = i
  i = spanB(b, i, end, TOKEN)
  if (i === p1) return err(p1 - start, 'empty Via sent-protocol element')
  const p1e = i
  i = skipWsB(b, i, end)
  if (i >= end || b[i] !== 47) return err(i - start, 'expected "/" in Via sent-protocol')
  i = skipWsB(b, i + 1, end)
  const t0 = i
  i = spanB(b, i, end, TOKEN)
  if (i === t0) return err(t0 - start, 'empty Via sent-protocol element')
  const t0e = i
  i = skipWsB(b, i, end)
  if (i === t0e) return err(i - start, 'expected LWS before Via sent-by')
  const protocol =
    p0e - p0 === 3 &&
    b[p0] === 83 &&
    b[p0 + 1] === 73 &&
    b[p0 + 2] === 80 &&
    p1e - p1 === 3 &&
    b[p1] === 50 &&
    b[p1 + 1] === 46 &&
    b[p1 + 2] === 48
      ? 'SIP/2.0'
      : `${text.slice(p0 - base, p0e - base)}/${text.slice(p1 - base, p1e - base)}`
  const transport = transportB(b, t0, t0e, text, base)
  const hostStart = i
  if (i < end && b[i] === 91 /* [ */) {
    let close = i + 1
    while (close < end && b[close] !== 93) close++
    if (close >= end || !isIpBytes(b, i + 1, close)) return err(i - start, 'bad IPv6 reference')
    i = close + 1
  } else {
    i = spanB(b, i, end, HOST)
    if (i === hostStart) return err(hostStart - start, 'empty Via sent-by host')
  }
  const host = text.slice(hostStart - base, i - base)
  let port: number | undefined
  const afterHost = skipWsB(b, i, end)
  if (afterHost < end && b[afterHost] === 58 /* : */) {
    i = skipWsB(b, afterHost + 1, end)
    const pStart = i
    let p = 0
    while (i < end && i - pStart < 6) {
      const c = b[i]! - 48
      if (c < 0 || c > 9) break
      p = p * 10 + c
      i++
    }
    if (i === pStart || i - pStart > 5 || p > 65535) return err(pStart - start, 'bad Via port')
    port = p
  }
  const paramsAt = i
  if (scanParamsB(b, i, end, text, base) < 0) return err(scanError.offset - start, scanError.message)
  const v = finishVia(undefined, paramsAt - start, protocol, transport, host, port)
  return v === undefined ? undefined : v.setSource(text, start - base, end - base)
}
