/** The benchmark messages: real captures from `test/fixtures` plus one 4 KiB INVITE built from them. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures')
const read = (name: string): Buffer => readFileSync(path.join(fixtures, name))

export interface BenchMessage {
  name: string
  bytes: Buffer
}

/** An INVITE of exactly `size` bytes: the pjsip INVITE behind a chain of proxies, with a larger SDP. */
function bigInvite(size: number): Buffer {
  const base = read('invite-sdp.sip').toString('latin1')
  const [head = '', body = ''] = base.split('\r\n\r\n')
  const lines = head.split('\r\n').filter((l) => !l.startsWith('Content-Length'))
  const proxies: string[] = []
  const routes: string[] = []
  for (let i = 1; i <= 8; i++) {
    proxies.push(
      `Via: SIP/2.0/UDP 192.0.2.${i}:5060;branch=z9hG4bK${(0x5f3a91 * i).toString(16)}.${i};received=192.0.2.${i}`,
    )
    routes.push(`Record-Route: <sip:192.0.2.${i}:5060;lr;ftag=8b2e5c1d9f7a4e3b;did=${i}a7.b${i}1>`)
  }
  const extra = [
    'P-Asserted-Identity: "1001" <sip:1001@203.0.113.5;user=phone>',
    'P-Preferred-Identity: <sip:1001@203.0.113.5>',
    'Privacy: none',
    'Allow-Events: presence, kpml, talk, hold, conference, refer, message-summary',
    'Accept: application/sdp, application/dtmf-relay, multipart/mixed',
    'Accept-Language: en',
  ]
  const video = [
    'm=video 4002 RTP/AVP 96 97',
    'c=IN IP4 198.51.100.23',
    'a=rtpmap:96 H264/90000',
    'a=fmtp:96 profile-level-id=42e01f;packetization-mode=1',
    'a=rtpmap:97 VP8/90000',
    'a=rtcp-fb:* nack',
    'a=rtcp-fb:* nack pli',
    'a=rtcp-fb:* ccm fir',
    '',
  ].join('\r\n')
  const sdp = body + video
  const [start = '', ...rest] = lines
  const build = (pad: number): string => {
    const headers = [start, ...proxies, ...rest, ...routes, ...extra, `X-Trace: ${'t'.repeat(pad)}`]
    return `${headers.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`
  }
  const pad = size - Buffer.byteLength(build(0))
  if (pad < 0) throw new Error(`the 4 KiB INVITE is already ${size - pad} bytes`)
  const message = Buffer.from(build(pad), 'latin1')
  if (message.length !== size) throw new Error(`built ${message.length} bytes, wanted ${size}`)
  return message
}

export const BENCH_MESSAGES: readonly BenchMessage[] = [
  { name: 'OPTIONS (svmap)', bytes: read('svmap-options.sip') },
  { name: 'REGISTER + Authorization (svcrack)', bytes: read('svcrack-register-auth.sip') },
  { name: 'INVITE + SDP (pjsip)', bytes: read('invite-sdp.sip') },
  { name: 'INVITE 4 KiB', bytes: bigInvite(4096) },
]
