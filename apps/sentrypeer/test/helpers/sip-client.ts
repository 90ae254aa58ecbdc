import { createSocket, type Socket } from 'node:dgram'
import { type Socket as NetSocket, connect as netConnect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

export interface RequestInit {
  method: string
  uri?: string
  branch?: string
  callId?: string
  fromTag?: string
  cseq?: number
  cseqMethod?: string
  userAgent?: string
  via?: string
  extra?: string[]
  body?: string
}

let counter = 0

/** A SIP request as text, as a scanner would send it. */
export function sipRequest(init: RequestInit): string {
  counter++
  const body = init.body ?? ''
  const lines = [
    `${init.method} ${init.uri ?? 'sip:100@127.0.0.1'} SIP/2.0`,
    `Via: ${init.via ?? `SIP/2.0/UDP 127.0.0.1:5099;branch=${init.branch ?? `z9hG4bK-test-${counter}`};rport`}`,
    `From: "scanner" <sip:scanner@127.0.0.1>;tag=${init.fromTag ?? `ft${counter}`}`,
    `To: <${init.uri ?? 'sip:100@127.0.0.1'}>`,
    `Call-ID: ${init.callId ?? `call-${counter}@test`}`,
    `CSeq: ${init.cseq ?? 1} ${init.cseqMethod ?? init.method}`,
    'Max-Forwards: 70',
    ...(init.userAgent !== undefined ? [`User-Agent: ${init.userAgent}`] : []),
    ...(init.extra ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ]
  return lines.join('\r\n')
}

/** A queue of received texts with an awaitable `next()`. */
class Inbox {
  readonly #items: string[] = []
  readonly #waiters: Array<(s: string) => void> = []
  push(s: string): void {
    const w = this.#waiters.shift()
    if (w) w(s)
    else this.#items.push(s)
  }
  next(): Promise<string> {
    const item = this.#items.shift()
    if (item !== undefined) return Promise.resolve(item)
    return new Promise((resolve) => this.#waiters.push(resolve))
  }
  get pending(): number {
    return this.#items.length
  }
}

export interface UdpClient {
  socket: Socket
  port: number
  send(text: string | Uint8Array, port: number, host?: string): Promise<void>
  next(): Promise<string>
  readonly pending: number
  close(): Promise<void>
}

export async function udpClient(host = '127.0.0.1'): Promise<UdpClient> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4')
  const inbox = new Inbox()
  socket.on('message', (msg) => inbox.push(msg.toString('latin1')))
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()))
  return {
    socket,
    port: socket.address().port,
    send: (text, port, to = host) =>
      new Promise((resolve, reject) =>
        socket.send(typeof text === 'string' ? Buffer.from(text, 'latin1') : text, port, to, (err) =>
          err ? reject(err) : resolve(),
        ),
      ),
    next: () => inbox.next(),
    get pending() {
      return inbox.pending
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  }
}

export interface StreamClient {
  socket: NetSocket
  /** Everything received so far. */
  received(): string
  /** Resolves once the received text satisfies `predicate`. */
  waitFor(predicate: (text: string) => boolean): Promise<string>
  closed: Promise<void>
  write(text: string | Uint8Array): void
}

export async function streamClient(
  port: number,
  opts: { tls?: boolean; host?: string } = {},
): Promise<StreamClient> {
  const host = opts.host ?? '127.0.0.1'
  const socket: NetSocket = await new Promise((resolve, reject) => {
    const s = opts.tls
      ? tlsConnect({ host, port, rejectUnauthorized: false }, () => resolve(s))
      : netConnect({ host, port }, () => resolve(s))
    s.once('error', reject)
  })
  let text = ''
  const waiters: Array<{ predicate: (t: string) => boolean; resolve: (t: string) => void }> = []
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1')
    for (const w of [...waiters]) {
      if (w.predicate(text)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(text)
      }
    }
  })
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return {
    socket,
    received: () => text,
    waitFor: (predicate) =>
      predicate(text)
        ? Promise.resolve(text)
        : new Promise((resolve) => waiters.push({ predicate, resolve })),
    closed,
    write: (t) => socket.write(typeof t === 'string' ? Buffer.from(t, 'latin1') : t),
  }
}

/** The value of the first header `name` of a SIP message text (case-insensitive). */
export function headerOf(message: string, name: string): string | undefined {
  const re = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'im')
  return re.exec(message)?.[1]?.trim()
}

/** The status code of a SIP response text. */
export function statusOf(message: string): number {
  return Number(/^SIP\/2\.0 (\d{3})/.exec(message)?.[1] ?? Number.NaN)
}

/** Polls `predicate` on the event loop until true (no wall-clock assertion: the test timeout bounds it). */
export async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 10))
}
