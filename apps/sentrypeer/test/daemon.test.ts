import { afterEach, describe, expect, it } from 'vitest'
import type { DaemonHandle } from '../src/daemon.js'
import { readEvents } from './helpers/read-events.js'
import { headerOf, sipRequest, statusOf, type UdpClient, udpClient, until } from './helpers/sip-client.js'
import { startTestDaemon } from './helpers/start-test-daemon.js'

let daemon: DaemonHandle | undefined
let client: UdpClient | undefined
afterEach(async () => {
  await client?.close()
  await daemon?.close()
  client = undefined
  daemon = undefined
})

async function responsive(cli: Record<string, unknown> = {}, file: Record<string, unknown> = {}) {
  const started = await startTestDaemon({ sipResponsive: true, ...cli }, file)
  daemon = started.daemon
  client = await udpClient()
  const port = (daemon.listening.udp[0] as { port: number }).port
  return { ...started, port, client }
}

describe('responsive UAS over UDP', () => {
  it('answers OPTIONS 200 with Allow/Accept/Supported, the PBX Server header and a To tag', async () => {
    const { port, client } = await responsive()
    await client.send(sipRequest({ method: 'OPTIONS', userAgent: 'friendly-scanner' }), port)
    const r = await client.next()
    expect(statusOf(r)).toBe(200)
    expect(headerOf(r, 'Allow')).toBe('INVITE, ACK, CANCEL, OPTIONS, BYE, REGISTER')
    expect(headerOf(r, 'Accept')).toBe('application/sdp')
    expect(headerOf(r, 'Supported')).toBeDefined()
    expect(headerOf(r, 'Server')).toBe('FPBX-16.0.33(18.20.0)')
    expect(headerOf(r, 'To')).toMatch(/;tag=\S+/)
    // RFC 3581: the reply carries where the request really came from.
    expect(headerOf(r, 'Via')).toContain(`rport=${client.port}`)
    expect(headerOf(r, 'Via')).toContain('received=127.0.0.1')
  })

  it('challenges REGISTER with a Digest 401', async () => {
    const { port, client } = await responsive({ sipRealm: 'pbx.example' })
    await client.send(sipRequest({ method: 'REGISTER', uri: 'sip:127.0.0.1' }), port)
    const r = await client.next()
    expect(statusOf(r)).toBe(401)
    expect(headerOf(r, 'WWW-Authenticate')).toMatch(
      /^Digest realm="pbx\.example", nonce="[0-9a-f]{32}", algorithm=MD5, qop="auth"$/,
    )
  })

  it('answers INVITE with 100 Trying (no To tag) then 404 (To tag)', async () => {
    const { port, client } = await responsive()
    await client.send(sipRequest({ method: 'INVITE', uri: 'sip:0046812345678@127.0.0.1' }), port)
    const trying = await client.next()
    const final = await client.next()
    expect(statusOf(trying)).toBe(100)
    expect(headerOf(trying, 'To')).not.toContain('tag=')
    expect(statusOf(final)).toBe(404)
    expect(headerOf(final, 'To')).toMatch(/;tag=\S+/)
  })

  it('redirects INVITE with 302 when --sip-redirect is set', async () => {
    const { port, client } = await responsive({ sipRedirect: 'sip:trap@192.0.2.7' })
    await client.send(sipRequest({ method: 'INVITE' }), port)
    expect(statusOf(await client.next())).toBe(100)
    const final = await client.next()
    expect(statusOf(final)).toBe(302)
    expect(headerOf(final, 'Contact')).toBe('<sip:trap@192.0.2.7>')
  })

  it('answers CANCEL 200 and 487 for the INVITE; BYE 481; known methods 405; unknown 501; ACK nothing', async () => {
    const { port, client } = await responsive()
    await client.send(sipRequest({ method: 'INVITE', branch: 'z9hG4bK-inv1', callId: 'c1' }), port)
    await client.next()
    await client.next()
    await client.send(sipRequest({ method: 'CANCEL', branch: 'z9hG4bK-inv1', callId: 'c1' }), port)
    const ok = await client.next()
    const terminated = await client.next()
    expect([statusOf(ok), headerOf(ok, 'CSeq')]).toEqual([200, '1 CANCEL'])
    expect([statusOf(terminated), headerOf(terminated, 'CSeq')]).toEqual([487, '1 INVITE'])
    await client.send(sipRequest({ method: 'ACK', branch: 'z9hG4bK-inv1', callId: 'c1' }), port)
    await client.send(sipRequest({ method: 'BYE' }), port)
    expect(statusOf(await client.next())).toBe(481) // the ACK got nothing: the next reply is the BYE's
    await client.send(sipRequest({ method: 'SUBSCRIBE' }), port)
    const notAllowed = await client.next()
    expect(statusOf(notAllowed)).toBe(405)
    expect(headerOf(notAllowed, 'Allow')).toContain('INVITE')
    await client.send(sipRequest({ method: 'FROBNICATE' }), port)
    expect(statusOf(await client.next())).toBe(501)
  })

  it('answers a retransmission again but records it once', async () => {
    const { port, client, dbFile } = await responsive()
    const options = sipRequest({ method: 'OPTIONS', branch: 'z9hG4bK-retrans', userAgent: 'sipcli/v1.8' })
    await client.send(options, port)
    const first = await client.next()
    await client.send(options, port)
    const second = await client.next()
    expect(second).toBe(first)
    expect(daemon?.counters.retransmissions).toBe(1)
    await daemon?.close()
    const rows = readEvents(dbFile)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      source_ip: '127.0.0.1',
      source_port: client.port,
      transport: 'udp',
      method: 'OPTIONS',
      user_agent: 'sipcli/v1.8',
      collection_mode: 'responsive',
    })
  })

  it('answers retransmitted INVITE, REGISTER and CANCEL with the same final bytes, recording each once', async () => {
    const { port, client, dbFile } = await responsive()
    const invite = sipRequest({
      method: 'INVITE',
      branch: 'z9hG4bK-rt-inv',
      callId: 'rt1',
      uri: 'sip:900@127.0.0.1',
    })
    await client.send(invite, port)
    expect(statusOf(await client.next())).toBe(100)
    const notFound = await client.next()
    await client.send(invite, port)
    expect(await client.next()).toBe(notFound) // the final answer only: no second 100 Trying

    const register = sipRequest({
      method: 'REGISTER',
      branch: 'z9hG4bK-rt-reg',
      callId: 'rt2',
      uri: 'sip:127.0.0.1',
    })
    await client.send(register, port)
    const challenge = await client.next()
    await client.send(register, port)
    expect(await client.next()).toBe(challenge) // same nonce: it comes from the transaction
    await client.send(sipRequest({ method: 'REGISTER', uri: 'sip:127.0.0.1', callId: 'rt2', cseq: 2 }), port)
    expect(headerOf(await client.next(), 'WWW-Authenticate')).not.toBe(
      headerOf(challenge, 'WWW-Authenticate'),
    )

    const cancel = sipRequest({
      method: 'CANCEL',
      branch: 'z9hG4bK-rt-inv',
      callId: 'rt1',
      uri: 'sip:900@127.0.0.1',
    })
    await client.send(cancel, port)
    const ok = await client.next()
    expect(statusOf(await client.next())).toBe(487)
    await client.send(cancel, port)
    expect(await client.next()).toBe(ok) // the 200, without a second 487

    expect(daemon?.counters.retransmissions).toBe(3)
    await daemon?.close()
    expect(readEvents(dbFile).map((r) => r.method)).toEqual(['INVITE', 'REGISTER', 'REGISTER', 'CANCEL'])
  })

  it('answers 400 to a malformed request when it can, and counts the parse error', async () => {
    const { port, client } = await responsive()
    await client.send(sipRequest({ method: 'OPTIONS', cseqMethod: 'INVITE' }), port)
    const r = await client.next()
    expect(statusOf(r)).toBe(400)
    expect(headerOf(r, 'To')).toMatch(/;tag=/)
    expect(Object.values(daemon?.counters.parseErrors ?? {}).reduce((a, b) => a + b, 0)).toBe(1)
  })

  it('counts garbage, truncated, oversized and response datagrams, and keeps serving', async () => {
    const { port, client, dbFile } = await responsive({}, { limits: { udpMaxDatagramBytes: 2000 } })
    const counters = daemon?.counters
    await client.send(Buffer.from([0, 1, 2, 3, 0xff, 0xfe]), port)
    await client.send(sipRequest({ method: 'INVITE' }).slice(0, 60), port)
    await client.send(sipRequest({ method: 'OPTIONS', extra: [`X-Pad: ${'a'.repeat(3000)}`] }), port)
    await client.send(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
      port,
    )
    await until(() => (counters?.received.udp ?? 0) >= 4)
    expect(counters?.dropped.oversized).toBe(1)
    expect(counters?.responsesIgnored).toBe(1)
    expect(Object.values(counters?.parseErrors ?? {}).reduce((a, b) => a + b, 0)).toBe(2)
    await client.send(sipRequest({ method: 'OPTIONS' }), port)
    expect(statusOf(await client.next())).toBe(200)
    await daemon?.close()
    expect(readEvents(dbFile).map((r) => r.method)).toEqual(['OPTIONS'])
  })
})

describe('IPv6', () => {
  it('answers and records over UDP on [::1] with the IPv6 source', async () => {
    const started = await startTestDaemon({ sipResponsive: true, sipListen: ['[::1]:0'] })
    daemon = started.daemon
    client = await udpClient('::1')
    const port = (daemon.listening.udp[0] as { port: number }).port
    await client.send(
      sipRequest({ method: 'OPTIONS', via: 'SIP/2.0/UDP [::1]:5099;branch=z9hG4bK-v6u' }),
      port,
    )
    const r = await client.next()
    expect(statusOf(r)).toBe(200)
    expect(headerOf(r, 'Via')).toContain('received=::1')
    await daemon.close()
    expect(readEvents(started.dbFile).map((e) => [e.source_ip, e.transport])).toEqual([['::1', 'udp']])
  })
})

describe('passive mode', () => {
  it('records and never replies', async () => {
    const started = await startTestDaemon({})
    daemon = started.daemon
    client = await udpClient()
    const port = (daemon.listening.udp[0] as { port: number }).port
    await client.send(sipRequest({ method: 'INVITE', uri: 'sip:+442079460000@127.0.0.1' }), port)
    await client.send(sipRequest({ method: 'OPTIONS' }), port)
    await until(() => (daemon?.counters.received.udp ?? 0) >= 2)
    expect(daemon.counters.repliesSent).toBe(0)
    expect(daemon.counters.events.udp.INVITE).toBe(1)
    await daemon.close()
    expect(client.pending).toBe(0)
    const rows = readEvents(started.dbFile)
    expect(rows.map((r) => [r.method, r.collection_mode])).toEqual([
      ['INVITE', 'passive'],
      ['OPTIONS', 'passive'],
    ])
  })
})

describe('--sip-disable', () => {
  it('opens no SIP listener', async () => {
    const started = await startTestDaemon({ sipDisable: true })
    daemon = started.daemon
    expect(daemon.listening).toEqual({ udp: [], tcp: [], tls: [] })
  })
})

describe('metrics', () => {
  it('pushes SIP events, parse errors and drops into the API metrics', async () => {
    const started = await startTestDaemon(
      { sipResponsive: true, api: true, apiListen: '127.0.0.1:0' },
      { limits: { udpMaxDatagramBytes: 1000 } },
    )
    daemon = started.daemon
    client = await udpClient()
    const port = (daemon.listening.udp[0] as { port: number }).port
    await client.send(sipRequest({ method: 'OPTIONS' }), port)
    await client.next()
    await client.send('not sip at all\r\n\r\n', port)
    await client.send(sipRequest({ method: 'OPTIONS', extra: [`X-Pad: ${'p'.repeat(1200)}`] }), port)
    await until(() => (daemon?.counters.received.udp ?? 0) >= 3)
    const text = await (await fetch(`${daemon.api?.url}/metrics`)).text()
    expect(text).toMatch(/sentrypeer_sip_events_total\{method="OPTIONS",transport="udp"\} 1\b/)
    expect(text).toMatch(/sentrypeer_sip_parse_errors_total\{code="[A-Z_]+"\} 1\b/)
    expect(text).toMatch(/sentrypeer_packets_dropped_total\{reason="oversized"\} 1\b/)
  })
})
