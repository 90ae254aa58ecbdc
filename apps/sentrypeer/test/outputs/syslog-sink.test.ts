import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSyslogSink, loggerArgs, syslogLine } from '../../src/outputs/index.js'
import {
  makeEvent,
  parseRfc3164,
  type SyslogReceiver,
  startTcpReceiver,
  startUdpReceiver,
  startUnixReceiver,
  waitFor,
} from './helpers.js'

// auth (4) * 8 + notice (5), RFC 3164 section 4.1.1
const AUTH_NOTICE = 37

describe('syslogLine', () => {
  it("is SentryPeer's line", () => {
    expect(syslogLine(makeEvent())).toBe('Source IP: 192.0.2.7, Method: INVITE, Agent: friendly-scanner')
    expect(syslogLine(makeEvent({ sourceIp: '2001:db8::7', method: 'OPTIONS', userAgent: undefined }))).toBe(
      'Source IP: 2001:db8::7, Method: OPTIONS, Agent: ',
    )
  })

  it('escapes CR/LF so a User-Agent cannot forge a second line, and cuts long fields', () => {
    const line = syslogLine(
      makeEvent({ userAgent: `x\r\nSource IP: 198.51.100.1, Method: INVITE, Agent: y${'z'.repeat(1000)}` }),
      { maxAgentChars: 80 },
    )
    expect(line).not.toMatch(/[\r\n]/)
    expect(
      line.startsWith('Source IP: 192.0.2.7, Method: INVITE, Agent: x\\x0d\\x0aSource IP: 198.51.100.1'),
    ).toBe(true)
    expect(line.length).toBe('Source IP: 192.0.2.7, Method: INVITE, Agent: '.length + 80)
  })
})

describe('loggerArgs', () => {
  it('targets a unix socket or a remote server, with ident, pid and priority', () => {
    expect(loggerArgs({ target: { socket: '/run/x.sock' }, pid: 42 })).toEqual([
      '--id=42',
      '-t',
      'sentrypeer',
      '-p',
      'auth.notice',
      '--rfc3164',
      '--socket-errors=on',
      '-u',
      '/run/x.sock',
    ])
    expect(loggerArgs({ target: { host: '127.0.0.1', port: 514 }, pid: 42 }).slice(-5)).toEqual([
      '-n',
      '127.0.0.1',
      '-P',
      '514',
      '-d',
    ])
  })
})

describe('createSyslogSink', () => {
  let dir: string
  let receiver: SyslogReceiver | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sp-syslog-'))
  })
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends the exact line with ident sentrypeer, our pid and auth.notice to a unix datagram socket', async () => {
    const socket = join(dir, 'log.sock')
    receiver = await startUnixReceiver(socket)
    const sink = createSyslogSink({ target: { socket } })
    sink.write(makeEvent())
    sink.write(makeEvent({ sourceIp: '2001:db8::7', method: 'OPTIONS', userAgent: 'sipvicious' }))
    await sink.close()
    const rx = receiver
    await waitFor(() => (rx.messages.length >= 2 ? true : undefined), 10_000, 'two syslog packets')
    const packets = rx.messages.map((m) => parseRfc3164(m))
    expect(packets[0]).toMatchObject({
      pri: AUTH_NOTICE,
      tag: 'sentrypeer',
      pid: process.pid,
      message: 'Source IP: 192.0.2.7, Method: INVITE, Agent: friendly-scanner',
    })
    expect(packets[1]?.message).toBe('Source IP: 2001:db8::7, Method: OPTIONS, Agent: sipvicious')
    expect(sink.stats()).toMatchObject({ accepted: 2, delivered: 2, dropped: 0, loggerFailures: 0 })
  })

  it('sends to a UDP syslog server', async () => {
    const udp = await startUdpReceiver()
    receiver = udp
    const sink = createSyslogSink({ target: { host: '127.0.0.1', port: udp.port }, pid: 4242 })
    sink.write(makeEvent({ sourceIp: '198.51.100.23', method: 'REGISTER', userAgent: 'PolycomVVX' }))
    await sink.close()
    await waitFor(() => (udp.messages.length >= 1 ? true : undefined), 10_000, 'a UDP syslog packet')
    const packet = parseRfc3164(udp.messages[0] as string)
    expect(packet).toMatchObject({
      pri: AUTH_NOTICE,
      tag: 'sentrypeer',
      pid: 4242,
      message: 'Source IP: 198.51.100.23, Method: REGISTER, Agent: PolycomVVX',
    })
    expect(packet?.hostname).toBeTruthy()
  })

  it('sends to a TCP syslog server', async () => {
    const tcp = await startTcpReceiver()
    receiver = tcp
    const sink = createSyslogSink({ target: { host: '127.0.0.1', port: tcp.port, protocol: 'tcp' } })
    sink.write(makeEvent({ sourceIp: '198.51.100.24' }))
    sink.write(makeEvent({ sourceIp: '2001:db8::24' }))
    await sink.close()
    await waitFor(() => (tcp.messages.length >= 2 ? true : undefined), 10_000, 'two TCP syslog lines')
    expect(tcp.messages.map((m) => parseRfc3164(m))).toMatchObject([
      {
        pri: AUTH_NOTICE,
        tag: 'sentrypeer',
        pid: process.pid,
        message: 'Source IP: 198.51.100.24, Method: INVITE, Agent: friendly-scanner',
      },
      { message: 'Source IP: 2001:db8::24, Method: INVITE, Agent: friendly-scanner' },
    ])
  })

  it('restarts logger with backoff while the socket is missing and delivers the buffered lines', async () => {
    const socket = join(dir, 'late.sock')
    const sink = createSyslogSink({ target: { socket }, restartMinMs: 20, restartMaxMs: 100 })
    sink.write(makeEvent({ sourceIp: '192.0.2.50' }))
    // logger exits at once on a missing socket (--socket-errors=on); wait for a few failed starts.
    await waitFor(() => (sink.stats().loggerFailures >= 2 ? true : undefined), 10_000, 'logger failures')
    receiver = await startUnixReceiver(socket)
    const rx = receiver
    sink.write(makeEvent({ sourceIp: '192.0.2.51' }))
    await waitFor(() => (rx.messages.length >= 2 ? true : undefined), 10_000, 'the buffered lines')
    expect(rx.messages.map((m) => parseRfc3164(m)?.message)).toEqual([
      'Source IP: 192.0.2.50, Method: INVITE, Agent: friendly-scanner',
      'Source IP: 192.0.2.51, Method: INVITE, Agent: friendly-scanner',
    ])
    await sink.close()
    expect(sink.stats()).toMatchObject({ accepted: 2, delivered: 2, dropped: 0 })
  })

  it('recovers when the syslog daemon restarts (logger exits on the refused send and is restarted)', async () => {
    const socket = join(dir, 'restart.sock')
    let rx = await startUnixReceiver(socket)
    receiver = rx
    const sink = createSyslogSink({ target: { socket }, restartMinMs: 20, restartMaxMs: 100 })
    sink.write(makeEvent({ sourceIp: '192.0.2.60' }))
    await waitFor(() => (rx.messages.length === 1 ? true : undefined), 10_000, 'the first line')
    await rx.close()
    // This line reaches logger, whose send is refused: logger exits (the line is lost with it).
    sink.write(makeEvent({ sourceIp: '192.0.2.61' }))
    await waitFor(() => (sink.stats().loggerFailures >= 1 ? true : undefined), 10_000, 'logger exit')
    rx = await startUnixReceiver(socket)
    receiver = rx
    sink.write(makeEvent({ sourceIp: '192.0.2.62' }))
    await waitFor(() => (rx.messages.length >= 1 ? true : undefined), 10_000, 'a line after the restart')
    expect(rx.messages.map((m) => parseRfc3164(m)?.message)).toEqual([
      'Source IP: 192.0.2.62, Method: INVITE, Agent: friendly-scanner',
    ])
    await sink.close()
  })

  it('bounds the buffer while logger is down: drops are counted, write never throws', async () => {
    const sink = createSyslogSink({
      target: { socket: join(dir, 'never.sock') },
      maxBufferBytes: 200,
      restartMinMs: 50,
      restartMaxMs: 50,
    })
    for (let i = 0; i < 50; i++) sink.write(makeEvent())
    const s = sink.stats()
    expect(s.accepted).toBe(50)
    expect(s.dropped).toBeGreaterThan(40)
    expect(s.delivered + s.dropped).toBeLessThanOrEqual(50)
    await sink.close()
    // close() drops what was still waiting for a logger that never came up
    expect(sink.stats().dropped).toBe(50)
    sink.write(makeEvent())
    expect(sink.stats()).toMatchObject({ accepted: 51, dropped: 51 })
  })

  it('counts a logger that cannot be started at all', async () => {
    const sink = createSyslogSink({
      target: { socket: join(dir, 'x.sock') },
      loggerCommand: join(dir, 'no-such-logger'),
      restartMinMs: 20,
      restartMaxMs: 20,
    })
    sink.write(makeEvent())
    await waitFor(() => (sink.stats().loggerFailures >= 1 ? true : undefined), 10_000, 'a spawn failure')
    expect(sink.stats().running).toBe(false)
    await sink.close()
  })
})
