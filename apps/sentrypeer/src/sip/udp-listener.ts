import { createSocket, type Socket } from 'node:dgram'
import { isIP } from 'node:net'
import { ListenError } from '../config/errors.js'
import { formatListenAddress, type ListenAddress } from '../config/listen-address.js'
import type { SipCounters, SipObserver } from './sip-counters.js'
import type { SipHandler } from './sip-handler.js'

export interface UdpListenerInit {
  address: ListenAddress
  handler: SipHandler
  counters: SipCounters
  maxDatagramBytes: number
  recvBufferBytes: number
  observer?: SipObserver
}

export interface UdpListener {
  /** The bound address (the real port when 0 was asked). */
  readonly address: ListenAddress
  close(): Promise<void>
}

/**
 * Binds a UDP socket for SIP. Each datagram is one message (RFC 3261 §18.3); replies go to the
 * datagram's source address and port. IPv6 sockets are v6-only so `0.0.0.0:5060` and `[::]:5060` can
 * both be bound.
 *
 * @example
 * const udp = await startUdpListener({ address: { host: '127.0.0.1', port: 5060 }, handler, counters,
 *   maxDatagramBytes: 65535, recvBufferBytes: 8 << 20 })
 */
export async function startUdpListener(init: UdpListenerInit): Promise<UdpListener> {
  const family = isIP(init.address.host) === 6 ? 'udp6' : 'udp4'
  const socket: Socket = createSocket({ type: family, ipv6Only: family === 'udp6', reuseAddr: false })
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(new ListenError(`udp ${formatListenAddress(init.address)}`, err.message, { cause: err }))
    }
    socket.once('error', onError)
    socket.bind(init.address.port, init.address.host, () => {
      socket.off('error', onError)
      resolve()
    })
  })
  try {
    socket.setRecvBufferSize(init.recvBufferBytes)
  } catch {
    // Bounded by net.core.rmem_max; the kernel default still works.
  }
  const bound = socket.address()
  const local = { address: bound.address, port: bound.port }
  const { counters, handler, maxDatagramBytes } = init
  // A send error (e.g. ICMP unreachable reported on a later send) must not kill the socket.
  socket.on('error', () => {
    counters.replyErrors++
  })
  socket.on('message', (msg, rinfo) => {
    if (msg.byteLength > maxDatagramBytes) {
      counters.received.udp++
      counters.dropped.oversized++
      init.observer?.packetDropped('oversized')
      return
    }
    handler.handle(msg, {
      transport: 'udp',
      source: { address: rinfo.address, port: rinfo.port },
      local,
      reply(bytes) {
        // No callback: a failed send is emitted as 'error' on the socket and counted there.
        socket.send(bytes, rinfo.port, rinfo.address)
      },
    })
  })
  return {
    address: { host: bound.address, port: bound.port },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  }
}
