/**
 * What the API reads from the P2P layer (declared here so the API depends on an interface; the daemon
 * passes its P2P node, which satisfies it).
 */

export interface ApiPeerStanding {
  peerId: string
  status: 'earned' | 'grace' | 'none' | 'self'
  hasStanding: boolean
  reason: string
  connected: boolean
  ownRecordsInWindow: number
  firstSeen?: number
  lastSeen?: number
  graceEndsAt?: number
  invalidRecords: number
  rateLimited: number
  requestsServed: number
  requestsRefused: number
  gossipScore?: number
  inMesh?: boolean
}

export interface ApiPeersView {
  peerId: string
  sharing: boolean
  analytics: boolean
  confirmations: number
  listen: string[]
  peersConnected: number
  records: number
  published: number
  received: number
  rejected: number
  rejectedByCode: Record<string, number>
  peers: ApiPeerStanding[]
}

export interface ApiNetworkReport {
  recordId: string
  collector: string
  from: string
  record: {
    eventUuid: string
    eventTime: number
    transport: 'udp' | 'tcp' | 'tls'
    method: string
    calledNumber: string
    userAgent: string
  }
}

export interface ApiNetworkLookup {
  ip: string
  confirmed: boolean
  collectors: string[]
  required: number
  asked: number
  answered: number
  refused: number
  reports: ApiNetworkReport[]
}

export interface ApiNetworkStats {
  analytics: boolean
  nodes: Array<{ peerId: string; at: number; counters: Record<string, number> }>
  totals: Record<string, number>
}

/** The P2P node as the API sees it (`/peers`, `/network/...`). */
export interface ApiNetwork {
  peers(): ApiPeersView
  lookupIp(ip: string): Promise<ApiNetworkLookup>
  networkStats(): ApiNetworkStats
}
