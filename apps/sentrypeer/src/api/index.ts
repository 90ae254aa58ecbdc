/** The HTTP API module of the daemon: the server factory and what the daemon core passes to it. */
export type { Allowlist, AllowlistInit, Cidr } from './allowlist.js'
export { createAllowlist, parseCidr } from './allowlist.js'
export type {
  ApiNetwork,
  ApiNetworkLookup,
  ApiNetworkReport,
  ApiNetworkStats,
  ApiPeerStanding,
  ApiPeersView,
} from './api-network.js'
export type { ApiStore, ApiStoredEvent } from './api-store.js'
export * from './constants.js'
export type {
  ApiComponents,
  ApiEventEmitter,
  ApiServer,
  ApiServerInit,
  P2pStatus,
} from './create-api-server.js'
export { createApiServer } from './create-api-server.js'
export { createOpenApiDocument } from './create-openapi-document.js'
export * from './errors.js'
export type { BlocklistEntry, BlocklistFormat, BlocklistSource } from './format-blocklist.js'
export { formatBlocklist } from './format-blocklist.js'
export type { Counter, Gauge, Labels, Metrics } from './metrics.js'
export { createMetrics, methodLabel } from './metrics.js'
