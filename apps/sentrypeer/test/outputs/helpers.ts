import { type ChildProcess, spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { HoneypotEvent } from '../../src/outputs/index.js'

let counter = 0

/** A realistic event; override any field. */
export function makeEvent(overrides: Partial<HoneypotEvent> = {}): HoneypotEvent {
  counter += 1
  return {
    eventTime: Date.UTC(2022, 2, 10, 12, 34, 56, 123),
    eventUuid: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    sourceIp: '192.0.2.7',
    sourcePort: 5062,
    destinationIp: '203.0.113.1',
    destinationPort: 5060,
    transport: 'udp',
    method: 'INVITE',
    calledNumberRaw: '+44 20 7946 0000',
    calledNumberNormalized: '442079460000',
    userAgent: 'friendly-scanner',
    callId: 'abc@192.0.2.7',
    rawMessage: 'INVITE sip:442079460000@203.0.113.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.7:5062\r\n\r\n',
    collectionMode: 'responsive',
    collectorNodeId: 'node-test-1',
    origin: 'local',
    ...overrides,
  }
}

/** Polls `check` until it returns a value other than undefined or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export interface SyslogReceiver {
  /** Datagrams received, decoded as UTF-8. */
  readonly messages: string[]
  close(): Promise<void>
}

/** A real Unix datagram syslog receiver (a Python process bound to `path`). */
export async function startUnixReceiver(path: string): Promise<SyslogReceiver> {
  const script = fileURLToPath(new URL('./unix-dgram-receiver.py', import.meta.url))
  const proc: ChildProcess = spawn('python3', ['-u', script, path], { stdio: ['ignore', 'pipe', 'inherit'] })
  const messages: string[] = []
  let ready = false
  let rest = ''
  proc.stdout?.setEncoding('utf8')
  proc.stdout?.on('data', (text: string) => {
    rest += text
    const lines = rest.split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      if (line === 'READY') ready = true
      else if (line) messages.push(Buffer.from(line, 'hex').toString('utf8'))
    }
  })
  await waitFor(() => (ready ? true : undefined), 10_000, 'the unix datagram receiver')
  return {
    messages,
    async close() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM')
        await once(proc, 'exit')
      }
    },
  }
}

/** A real UDP syslog receiver on 127.0.0.1 (node:dgram). */
export async function startUdpReceiver(): Promise<SyslogReceiver & { port: number }> {
  const sock = createSocket('udp4')
  const messages: string[] = []
  sock.on('message', (msg) => messages.push(msg.toString('utf8')))
  sock.bind(0, '127.0.0.1')
  await once(sock, 'listening')
  return {
    messages,
    port: sock.address().port,
    async close() {
      await new Promise<void>((resolve) => sock.close(() => resolve()))
    },
  }
}

/** A real TCP syslog receiver on 127.0.0.1 (RFC 6587 non-transparent framing: one packet per LF). */
export async function startTcpReceiver(): Promise<SyslogReceiver & { port: number }> {
  const messages: string[] = []
  const server = createServer((conn) => {
    let rest = ''
    conn.setEncoding('utf8')
    conn.on('data', (text: string) => {
      rest += text
      const lines = rest.split('\n')
      rest = lines.pop() ?? ''
      messages.push(...lines.filter((l) => l !== ''))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    messages,
    port: (server.address() as { port: number }).port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const RFC3164 = /^<(\d{1,3})>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?:(\S+) )?(\S+?)(?:\[(\d+)\])?: (.*)$/s

/** An RFC 3164 packet split in its parts (the hostname is absent on the local socket). */
export interface Rfc3164 {
  pri: number
  timestamp: string
  hostname: string | undefined
  tag: string
  pid: number | undefined
  message: string
}

export function parseRfc3164(packet: string): Rfc3164 | undefined {
  const m = RFC3164.exec(packet)
  if (!m) return undefined
  return {
    pri: Number(m[1]),
    timestamp: m[2] as string,
    hostname: m[3],
    tag: m[4] as string,
    pid: m[5] === undefined ? undefined : Number(m[5]),
    message: m[6] as string,
  }
}

/**
 * The line a traditional syslog daemon (rsyslog's RSYSLOG_TraditionalFileFormat, as in
 * /var/log/auth.log) writes for a packet: `Mmm dd hh:mm:ss host tag[pid]: message`.
 */
export function toAuthLogLine(packet: string, hostname = 'honeypot'): string {
  const p = parseRfc3164(packet)
  if (!p) throw new Error(`not an RFC 3164 packet: ${JSON.stringify(packet)}`)
  const pid = p.pid === undefined ? '' : `[${p.pid}]`
  return `${p.timestamp} ${p.hostname ?? hostname} ${p.tag}${pid}: ${p.message}`
}
