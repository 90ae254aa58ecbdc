import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { type ConnectionOptions, connect, createServer } from 'node:tls'

/**
 * A real TLS handshake against a server on 127.0.0.1 using the pair, with its certificate as the only
 * trusted CA; resolves with what the server sent ("hello"), rejects when the client refuses the handshake.
 */
export async function tlsHandshake(
  pair: { cert: string; key: string },
  options: ConnectionOptions = {},
): Promise<string> {
  const server = createServer({ cert: pair.cert, key: pair.key }, (socket) => socket.end('hello'))
  server.on('tlsClientError', () => {})
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  try {
    const socket = connect({ host: '127.0.0.1', port, ca: pair.cert, ...options })
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => {
      data += d
    })
    await once(socket, 'end')
    return data
  } finally {
    server.close()
  }
}
