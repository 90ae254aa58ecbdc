import { createHash } from 'node:crypto'
import type { UasSource } from './uas.js'

/** Bytes of a rejected message scanned for the headers a 400 needs. */
const SCAN_BYTES = 8_192
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id' }

/**
 * A `400 Bad Request` (RFC 3261 §21.4.1) for a request the parser rejected, when a reply is possible:
 * the start line is a request line and Via, From, To, Call-ID and CSeq are all present on single,
 * printable lines. Returns undefined otherwise (then nothing can be sent back).
 */
export function buildBadRequest(bytes: Uint8Array, source: UasSource, agent: string): Uint8Array | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, SCAN_BYTES)).toString(
    'latin1',
  )
  const end = text.search(/\r?\n\r?\n/)
  const lines = (end === -1 ? text : text.slice(0, end)).split(/\r?\n/)
  const start = lines[0] ?? ''
  if (!/^[A-Za-z!%*_+`'~.-]+ \S+ SIP\/2\.0$/.test(start)) return undefined
  const found: Record<string, string[]> = { via: [], from: [], to: [], 'call-id': [], cseq: [] }
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const rawName = line.slice(0, colon).trim().toLowerCase()
    const name = COMPACT[rawName] ?? rawName
    const value = line.slice(colon + 1).trim()
    const list = found[name]
    if (list === undefined) continue
    if (!/^[\x20-\x7e]+$/.test(value)) return undefined
    list.push(value)
  }
  const [via, from, to, callId, cseq] = ['via', 'from', 'to', 'call-id', 'cseq'].map((n) => found[n] ?? [])
  if (!via?.length || from?.length !== 1 || to?.length !== 1 || callId?.length !== 1 || cseq?.length !== 1) {
    return undefined
  }
  const topVia = (via[0] as string)
    .replace(/;rport(?=;|$|\s)/i, `;rport=${source.port}`)
    .concat(/;received=/i.test(via[0] as string) ? '' : `;received=${source.address}`)
  let toValue = to[0] as string
  if (!/;\s*tag=/i.test(toValue)) {
    const tag = createHash('sha1').update(bytes.subarray(0, 512)).digest('hex').slice(0, 16)
    toValue += `;tag=${tag}`
  }
  const out = [
    'SIP/2.0 400 Bad Request',
    `Via: ${topVia}`,
    ...via.slice(1).map((v) => `Via: ${v}`),
    `From: ${from[0]}`,
    `To: ${toValue}`,
    `Call-ID: ${callId[0]}`,
    `CSeq: ${cseq[0]}`,
    `Server: ${agent}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n')
  return Buffer.from(out, 'latin1')
}
