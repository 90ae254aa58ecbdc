import { execFile } from 'node:child_process'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { buildResponse, createFramer, type FramerEvent, parse, type SipRequest } from '../src/index.js'

/** A TCP SIP server on 127.0.0.1 that frames with `createFramer` and answers like a minimal UAS. */
async function startServer(
  onEvent: (e: FramerEvent) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    const framer = createFramer()
    socket.on('data', (chunk: Buffer) => {
      for (const event of framer.push(chunk)) {
        onEvent(event)
        if (event.type === 'keepalive' && event.kind === 'ping') socket.write('\r\n')
        if (event.type === 'error') socket.destroy()
        if (event.type !== 'message') continue
        const r = parse(event.bytes, { transport: 'stream' })
        if (!r.ok || r.message.kind !== 'request') continue
        const request: SipRequest = r.message
        if (request.method === 'ACK') continue
        const source = { address: socket.remoteAddress ?? '127.0.0.1', port: socket.remotePort ?? 0 }
        const contact: Array<[string, string]> = [['Contact', `<sip:uas@127.0.0.1:${port};transport=tcp>`]]
        socket.write(buildResponse(request, { status: 200, source, headers: contact }))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('createFramer over real TCP', () => {
  it('frames a whole sipp call (INVITE, ACK, BYE) sent over TCP', async () => {
    const events: FramerEvent[] = []
    const server = await startServer((e) => events.push(e))
    try {
      const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        execFile(
          'sipp',
          [
            '-t',
            't1',
            '-sn',
            'uac',
            `127.0.0.1:${server.port}`,
            '-m',
            '1',
            '-d',
            '0',
            '-timeout',
            '20s',
            '-nostdin',
          ],
          { timeout: 30_000 },
          (error, stdout) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
        )
      })
      expect(result.code).toBe(0)
      const methods = events.map((e) => {
        if (e.type !== 'message') return e.type
        const r = parse(e.bytes, { transport: 'stream' })
        return r.ok && r.message.kind === 'request' ? r.message.method : 'unparsed'
      })
      expect(methods).toEqual(['INVITE', 'ACK', 'BYE'])
    } finally {
      await server.close()
    }
  })

  it('answers pings and frames messages written in pieces by a client', async () => {
    const events: FramerEvent[] = []
    const server = await startServer((e) => events.push(e))
    const options =
      'OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-tcp1\r\n' +
      'Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: tcp-1\r\n' +
      'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n'
    try {
      const client = net.connect(server.port, '127.0.0.1')
      client.setNoDelay(true)
      await new Promise<void>((resolve) => client.once('connect', () => resolve()))
      const received: Buffer[] = []
      client.on('data', (b: Buffer) => received.push(b))
      const write = (s: string) => new Promise<void>((resolve) => client.write(s, () => resolve()))
      // A ping, then a message cut in three writes, then a ping: the server must answer with two pongs
      // and one 200 OK.
      await write('\r\n\r\n')
      await write(options.slice(0, 20))
      await write(options.slice(20, 200))
      await write(options.slice(200) + '\r\n\r\n')
      const deadline = Date.now() + 10_000
      const text = () => Buffer.concat(received).toString('latin1')
      while (Date.now() < deadline && !(text().includes('SIP/2.0 200') && text().endsWith('\r\n\r\n\r\n'))) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      client.destroy()
      expect(events.map((e) => (e.type === 'keepalive' ? e.kind : e.type))).toEqual([
        'ping',
        'message',
        'ping',
      ])
      const reply = text()
      expect(reply.startsWith('\r\n')).toBe(true)
      expect(reply).toContain('SIP/2.0 200 OK\r\n')
      expect(reply).toContain('Call-ID: tcp-1\r\n')
    } finally {
      await server.close()
    }
  })
})
