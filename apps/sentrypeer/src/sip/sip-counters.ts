import { SIP_METHODS } from '@sentrypeer/sip'

/** Methods counted by name; any other method token is counted as `OTHER` (keeps the object bounded). */
const COUNTED_METHODS = SIP_METHODS

export type SipTransport = 'udp' | 'tcp' | 'tls'

/**
 * Plain counters of the SIP side, read by the API's metrics. Every field only grows (except `open`).
 */
export interface SipCounters {
  /** Datagrams / framed stream messages received, by transport. */
  received: Record<SipTransport, number>
  /** Recorded events (one per transaction) by transport and method (`OTHER` for the rest). */
  events: Record<SipTransport, Record<string, number>>
  /** Messages the parser or framer rejected, by error code. */
  parseErrors: Record<string, number>
  /** Well-formed SIP responses received (a honeypot has no client transactions): counted, ignored. */
  responsesIgnored: number
  /** Retransmitted requests (same transaction): answered again, not recorded again. */
  retransmissions: number
  /** Responses sent (responsive mode). */
  repliesSent: number
  /** Responses that could not be sent (socket error, peer gone). */
  replyErrors: number
  /** Inputs dropped without parsing or recording. */
  dropped: {
    /** Datagrams larger than the limit. */
    oversized: number
    /** Events the store refused because its queue was full. */
    storeFull: number
  }
  /** Keepalive pings (CRLFCRLF) and pongs received on streams (RFC 5626 §3.5.1). */
  keepalives: number
  /** Unexpected exceptions while handling one message (a bug; the daemon carries on). */
  internalErrors: number
  connections: {
    /** TCP and TLS connections accepted. */
    accepted: number
    /** Currently open. */
    open: number
    /** Refused because the cap on connections was reached. */
    rejected: number
    /** Closed for being idle too long. */
    idleClosed: number
    /** Closed because of a framing error, a full write buffer or a socket error. */
    errorClosed: number
    /** Failed TLS handshakes. */
    tlsHandshakeErrors: number
  }
}

export function createSipCounters(): SipCounters {
  const perMethod = (): Record<string, number> => {
    const o: Record<string, number> = { OTHER: 0 }
    for (const m of COUNTED_METHODS) o[m] = 0
    return o
  }
  return {
    received: { udp: 0, tcp: 0, tls: 0 },
    events: { udp: perMethod(), tcp: perMethod(), tls: perMethod() },
    parseErrors: {},
    responsesIgnored: 0,
    retransmissions: 0,
    repliesSent: 0,
    replyErrors: 0,
    dropped: { oversized: 0, storeFull: 0 },
    keepalives: 0,
    internalErrors: 0,
    connections: { accepted: 0, open: 0, rejected: 0, idleClosed: 0, errorClosed: 0, tlsHandshakeErrors: 0 },
  }
}

/**
 * Receives the same counts as they happen (the API's Prometheus metrics implement it).
 */
export interface SipObserver {
  sipEvent(transport: string, method: string): void
  parseError(code: string): void
  packetDropped(reason: string): void
}

export function countMethod(
  counters: SipCounters,
  transport: SipTransport,
  method: string,
  observer?: SipObserver,
): void {
  const table = counters.events[transport]
  const key = table[method] === undefined ? 'OTHER' : method
  table[key] = (table[key] as number) + 1
  observer?.sipEvent(transport, key)
}

export function countParseError(counters: SipCounters, code: string, observer?: SipObserver): void {
  counters.parseErrors[code] = (counters.parseErrors[code] ?? 0) + 1
  observer?.parseError(code)
}
