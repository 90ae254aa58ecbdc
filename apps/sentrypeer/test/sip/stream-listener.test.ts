import { afterEach, describe, expect, it } from 'vitest'
import type { DaemonHandle } from '../../src/daemon.js'
import { readEvents } from '../helpers/read-events.js'
import { sipRequest, statusOf, streamClient, until } from '../helpers/sip-client.js'
import { startTestDaemon } from '../helpers/start-test-daemon.js'

let daemon: DaemonHandle | undefined
afterEach(async () => {
  await daemon?.close()
  daemon = undefined
})

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0

describe('SIP over TCP and TLS', () => {
  it('carries many messages and keep-alives on one TCP connection, answering on it', async () => {
    const started = await startTestDaemon({ sipResponsive: true })
    daemon = started.daemon
    const port = (daemon.listening.tcp[0] as { port: number }).port
    const c = await streamClient(port)
    const via = (b: string) => `SIP/2.0/TCP 127.0.0.1:5099;branch=${b}`
    // Two requests and a ping in one write, then a request split over two writes.
    c.write(
      sipRequest({ method: 'OPTIONS', via: via('z9hG4bK-t1'), userAgent: 'tcp-scanner' }) +
        '\r\n\r\n' +
        sipRequest({ method: 'REGISTER', via: via('z9hG4bK-t2') }),
    )
    const split = sipRequest({ method: 'INVITE', via: via('z9hG4bK-t3'), uri: 'sip:900@127.0.0.1' })
    c.write(split.slice(0, 40))
    await c.waitFor((t) => count(t, /^SIP\/2\.0 /gm) >= 2)
    c.write(split.slice(40))
    const text = await c.waitFor((t) => count(t, /^SIP\/2\.0 /gm) >= 4)
    const statuses = [...text.matchAll(/^SIP\/2\.0 (\d{3})/gm)].map((m) => Number(m[1]))
    expect(statuses).toEqual([200, 401, 100, 404])
    expect(text).toContain('\r\n\r\n\r\nSIP/2.0 401') // the pong (CRLF) sits between the two replies
    expect(daemon.counters.keepalives).toBe(1)
    c.socket.destroy()
    await daemon.close()
    const rows = readEvents(started.dbFile)
    expect(rows.map((r) => [r.transport, r.method, r.called_number])).toEqual([
      ['tcp', 'OPTIONS', '100'],
      ['tcp', 'REGISTER', '100'],
      ['tcp', 'INVITE', '900'],
    ])
    expect(rows[0]?.user_agent).toBe('tcp-scanner')
  })

  it('serves TLS with a generated self-signed pair', async () => {
    const started = await startTestDaemon({ sipResponsive: true })
    daemon = started.daemon
    const port = (daemon.listening.tls[0] as { port: number }).port
    const c = await streamClient(port, { tls: true })
    c.write(sipRequest({ method: 'OPTIONS', via: 'SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-tls1' }))
    expect(statusOf(await c.waitFor((t) => t.includes('\r\n\r\n')))).toBe(200)
    c.socket.destroy()
    await daemon.close()
    expect(readEvents(started.dbFile).map((r) => [r.transport, r.method])).toEqual([['tls', 'OPTIONS']])
  })

  it('closes a connection on a framing error and counts it', async () => {
    const started = await startTestDaemon({ sipResponsive: true }, { limits: { streamMaxBufferBytes: 2048 } })
    daemon = started.daemon
    const c = await streamClient((daemon.listening.tcp[0] as { port: number }).port)
    c.write(sipRequest({ method: 'OPTIONS', extra: [`X-Pad: ${'a'.repeat(4000)}`] }))
    await c.closed
    expect(daemon.counters.connections.errorClosed).toBe(1)
    expect(Object.keys(daemon.counters.parseErrors)).toHaveLength(1)
  })

  it('closes idle connections and caps the number of connections', async () => {
    const started = await startTestDaemon(
      { sipResponsive: true },
      { limits: { streamIdleTimeoutMs: 200, streamMaxConnections: 1 } },
    )
    daemon = started.daemon
    const port = (daemon.listening.tcp[0] as { port: number }).port
    const first = await streamClient(port)
    await until(() => daemon?.counters.connections.accepted === 1)
    const second = await streamClient(port)
    await second.closed
    await until(() => daemon?.counters.connections.rejected === 1)
    await first.closed
    expect(daemon.counters.connections.idleClosed).toBe(1)
    await until(() => daemon?.counters.connections.open === 0)
  })

  it('listens on IPv6 loopback and records the IPv6 source', async () => {
    const started = await startTestDaemon({ sipResponsive: true, sipListen: ['[::1]:0'] })
    daemon = started.daemon
    const c = await streamClient((daemon.listening.tcp[0] as { port: number }).port, { host: '::1' })
    c.write(sipRequest({ method: 'OPTIONS', via: 'SIP/2.0/TCP [::1]:5099;branch=z9hG4bK-v6' }))
    expect(statusOf(await c.waitFor((t) => t.includes('\r\n\r\n')))).toBe(200)
    c.socket.destroy()
    await daemon.close()
    expect(readEvents(started.dbFile).map((r) => [r.source_ip, r.transport])).toEqual([['::1', 'tcp']])
  })
})
