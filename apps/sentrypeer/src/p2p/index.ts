/** The daemon's peer-to-peer layer: SentryPeer records over `@sentrypeer/share`. */
export * from './constants.js'
export {
  createP2pNode,
  type P2pComponents,
  type P2pInit,
  type P2pLookup,
  type P2pNetworkStats,
  type P2pNode,
  type P2pPeersView,
  type P2pPeerView,
  type P2pReport,
  type P2pTuning,
} from './create-p2p-node.js'
export { CorruptRecordError, P2pError, P2pStartError, RecordNotStoredError } from './errors.js'
export { isPublicIp } from './is-public-ip.js'
export {
  fromSentryPeerRecord,
  type RecordRulesInit,
  type SentryPeerRecord,
  sentryPeerRecordCodec,
  toSentryPeerRecord,
  validateSentryPeerRecord,
} from './sentry-peer-record.js'
