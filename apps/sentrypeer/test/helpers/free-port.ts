import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'

async function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ host, port }, () => server.close(() => resolve(true)))
  })
}

async function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4')
    socket.once('error', () => resolve(false))
    socket.bind(port, host, () => socket.close(() => resolve(true)))
  })
}

/**
 * A high port free for both UDP and TCP on `host` (and on the next `span - 1` ports), picked at random
 * so parallel test files rarely collide.
 */
export async function freePort(host = '127.0.0.1', span = 1): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000)
    let ok = true
    for (let p = base; p < base + span && ok; p++) ok = (await tcpFree(host, p)) && (await udpFree(host, p))
    if (ok) return base
  }
  throw new Error('no free port found')
}
