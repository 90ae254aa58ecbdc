import { calledNumber, LENIENCIES, type Leniency, parse, type SipRequest } from '@sentrypeer/sip'
import type { HoneypotEvent } from '../outputs/honeypot-event.js'
import { buildBadRequest } from './bad-request.js'
import {
  countMethod,
  countParseError,
  type SipCounters,
  type SipObserver,
  type SipTransport,
} from './sip-counters.js'
import { type TransactionCache, transactionKey } from './transaction-cache.js'
import type { Uas } from './uas.js'
import { uuidV7 } from './uuid-v7.js'

/** Every named leniency: a honeypot records what attackers send, RFC 2543 tools included. */
const ALL_LENIENT = Object.fromEntries(LENIENCIES.map((l) => [l, true])) as Record<Leniency, boolean>
/** Parse options by transport: each UDP datagram is one message, a stream message comes from the framer. */
const DATAGRAM_PARSE = { transport: 'datagram', lenient: ALL_LENIENT } as const
const STREAM_PARSE = { transport: 'stream', lenient: ALL_LENIENT } as const

/** Where a message came from and how to answer it. */
export interface MessageContext {
  transport: SipTransport
  /** The socket's source: the bad actor. Never taken from SIP headers. */
  source: { address: string; port: number }
  /** The local socket address the message arrived on. */
  local: { address: string; port: number }
  /** Sends bytes back: to the datagram's source (UDP) or on the same connection (TCP/TLS). */
  reply(bytes: Uint8Array): void
}

export interface SipHandlerInit {
  counters: SipCounters
  /** The responsive-mode UAS; undefined in passive mode (record, never reply). */
  uas?: Uas
  /** Called once per new transaction with the event to record. */
  onEvent(event: HoneypotEvent): void
  nodeId: string
  cache: TransactionCache
  /** Server header of a 400 for a malformed request. */
  agent: string
  /** Told of every count as it happens (metrics). */
  observer?: SipObserver
  /** Called when handling one message threw (a bug); the daemon logs it. */
  onInternalError?(err: unknown): void
}

export interface SipHandler {
  /** Handles one datagram or one framed stream message. Never throws. */
  handle(bytes: Uint8Array, ctx: MessageContext): void
}

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) is reported as `192.0.2.1`. */
function normalizeSourceIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}

/**
 * The core of the honeypot: parse, dedupe retransmissions, record once per transaction, answer in
 * responsive mode. Shared by the UDP and the stream listeners.
 */
export function createSipHandler(init: SipHandlerInit): SipHandler {
  const { counters, uas, cache } = init
  const collectionMode = uas ? 'responsive' : 'passive'

  const send = (ctx: MessageContext, list: Uint8Array[]): void => {
    for (const bytes of list) {
      try {
        ctx.reply(bytes)
        counters.repliesSent++
      } catch {
        counters.replyErrors++
      }
    }
  }

  const record = (request: SipRequest, bytes: Uint8Array, ctx: MessageContext): void => {
    const number = calledNumber(request)
    const eventTime = Date.now()
    const event: HoneypotEvent = {
      eventTime,
      eventUuid: uuidV7(eventTime),
      sourceIp: normalizeSourceIp(ctx.source.address),
      sourcePort: ctx.source.port,
      destinationIp: normalizeSourceIp(ctx.local.address),
      destinationPort: ctx.local.port,
      transport: ctx.transport,
      method: request.method,
      calledNumberRaw: number.raw,
      calledNumberNormalized: number.normalized,
      callId: request.callId,
      rawMessage: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
      collectionMode,
      collectorNodeId: init.nodeId,
      origin: 'local',
    }
    if (request.userAgent !== undefined) event.userAgent = request.userAgent
    countMethod(counters, ctx.transport, request.method, init.observer)
    init.onEvent(event)
  }

  return {
    handle(bytes, ctx) {
      counters.received[ctx.transport]++
      try {
        const parseOptions = ctx.transport === 'udp' ? DATAGRAM_PARSE : STREAM_PARSE
        const result = parse(bytes, parseOptions)
        if (!result.ok) {
          countParseError(counters, result.error.code, init.observer)
          if (uas) {
            const bad = buildBadRequest(bytes, ctx.source, init.agent)
            if (bad) send(ctx, [bad])
          }
          return
        }
        const message = result.message
        if (message.kind === 'response') {
          counters.responsesIgnored++
          return
        }
        const key = transactionKey(message)
        const known = cache.get(key)
        if (known) {
          counters.retransmissions++
          if (uas) send(ctx, known.responses ?? uas.respond(message, ctx.source).final)
          return
        }
        record(message, bytes, ctx)
        if (!uas) {
          cache.set(key)
          return
        }
        let invite: SipRequest | undefined
        if (message.method === 'CANCEL') {
          const inviteBytes = cache.get(transactionKey(message, 'INVITE'))?.inviteBytes
          const reparsed = inviteBytes ? parse(inviteBytes, parseOptions) : undefined
          if (reparsed?.ok && reparsed.message.kind === 'request') invite = reparsed.message
        }
        const reply = uas.respond(message, ctx.source, invite)
        if (message.method === 'CANCEL') cache.set(key, { responses: reply.final })
        // Keep a copy of an INVITE's bytes (the datagram buffer may be a view of a larger one).
        else if (message.method === 'INVITE') cache.set(key, { inviteBytes: message.raw.slice() })
        else cache.set(key)
        send(ctx, reply.send)
      } catch (err) {
        counters.internalErrors++
        init.onInternalError?.(err)
      }
    },
  }
}
