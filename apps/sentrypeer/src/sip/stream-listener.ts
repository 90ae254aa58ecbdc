import { createServer as createTcpServer, isIP, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'
import { createFramer } from '@sentrypeer/sip'
import { ListenError } from '../config/errors.js'
import { formatListenAddress, type ListenAddress } from '../config/listen-address.js'
import { countParseError, type SipCounters, type SipObserver } from './sip-counters.js'
import type { SipHandler } from './sip-handler.js'

const CRLF = Buffer.from('\r\n')

export interface StreamListenerInit {
  address: ListenAddress
  transport: 'tcp' | 'tls'
  /** PEM pair, required for `tls`. */
  tls?: { cert: string; key: string }
  handler: SipHandler
  counters: SipCounters
  /** Answer RFC 5626 CRLFCRLF pings with a CRLF pong (responsive mode only: passive never replies). */
  answerKeepalives: boolean
  idleTimeoutMs: number
  maxConnections: number
  maxBufferBytes: number
  maxWriteBufferBytes: number
  tlsHandshakeTimeoutMs: number
  observer?: SipObserver
}

export interface StreamListener {
  readonly address: ListenAddress
  readonly transport: 'tcp' | 'tls'
  /** Stops accepting and destroys open connections. */
  close(): Promise<void>
}

/**
 * SIP over TCP or TLS. One connection carries many messages, cut by the framer; replies go back on the
 * same connection. Connections are capped, idle ones closed, and each has bounded input and output
 * buffers.
 *
 * @example
 * const tcp = await startStreamListener({ address: { host: '127.0.0.1', port: 5060 }, transport: 'tcp',
 *   handler, counters, answerKeepalives: false, ...limits })
 */
export async function startStreamListener(init: StreamListenerInit): Promise<StreamListener> {
  const { counters, handler, transport } = init
  const sockets = new Set<Socket>()

  const onConnection = (socket: Socket): void => {
    counters.connections.accepted++
    counters.connections.open++
    sockets.add(socket)
    const framer = createFramer({ limits: { maxMessageBytes: init.maxBufferBytes } })
    const source = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }
    const local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 }
    let closing = false
    const fail = (): void => {
      if (closing) return
      closing = true
      counters.connections.errorClosed++
      socket.destroy()
    }
    const reply = (bytes: Uint8Array): void => {
      if (closing || socket.destroyed) throw new Error('connection closed')
      if (socket.writableLength + bytes.byteLength > init.maxWriteBufferBytes) {
        fail()
        throw new Error('write buffer full')
      }
      socket.write(bytes)
    }
    socket.setTimeout(init.idleTimeoutMs)
    socket.setNoDelay(true)
    socket.on('timeout', () => {
      if (closing) return
      closing = true
      counters.connections.idleClosed++
      socket.destroy()
    })
    socket.on('error', fail)
    socket.on('close', () => {
      counters.connections.open--
      sockets.delete(socket)
    })
    socket.on('data', (chunk: Buffer) => {
      if (closing) return
      for (const event of framer.push(chunk)) {
        if (event.type === 'message') {
          handler.handle(event.bytes, { transport, source, local, reply })
        } else if (event.type === 'keepalive') {
          counters.keepalives++
          if (event.kind === 'ping' && init.answerKeepalives) {
            try {
              reply(CRLF)
            } catch {
              // counted by fail()
            }
          }
        } else {
          counters.received[transport]++
          countParseError(counters, event.error.code, init.observer)
          fail()
          return
        }
        if (closing) return
      }
    })
  }

  let server: Server
  if (transport === 'tls') {
    if (!init.tls) throw new ListenError(`tls ${formatListenAddress(init.address)}`, 'no certificate')
    server = createTlsServer({
      cert: init.tls.cert,
      key: init.tls.key,
      handshakeTimeout: init.tlsHandshakeTimeoutMs,
    })
    server.on('secureConnection', (socket: TLSSocket) => onConnection(socket))
    server.on('tlsClientError', (_err, socket) => {
      counters.connections.tlsHandshakeErrors++
      socket.destroy()
    })
  } else {
    server = createTcpServer(onConnection)
  }
  server.maxConnections = init.maxConnections
  server.on('drop', () => {
    counters.connections.rejected++
    init.observer?.packetDropped('connection_limit')
  })
  // Per-socket errors are handled on the socket; a server error after listen must not crash the daemon.
  server.on('error', () => {})

  const label = `${transport} ${formatListenAddress(init.address)}`
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new ListenError(label, err.message, { cause: err }))
    server.once('error', onError)
    server.listen(
      { host: init.address.host, port: init.address.port, ipv6Only: isIP(init.address.host) === 6 },
      () => {
        server.off('error', onError)
        resolve()
      },
    )
  })
  const bound = server.address()
  const address =
    bound !== null && typeof bound === 'object' ? { host: bound.address, port: bound.port } : init.address
  return {
    address,
    transport,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      }),
  }
}
