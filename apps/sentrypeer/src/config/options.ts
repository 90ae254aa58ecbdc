/**
 * The table of SentryPeer's options: one row per setting, naming its command-line flags, its environment
 * variables and its key in the JSON config file. The CLI, the env reader and the config loader are all
 * driven by it, so the three always agree.
 */

export type OptionKind = 'boolean' | 'string' | 'list' | 'duration'

export interface OptionSpec {
  /** Key in the config object and in the JSON config file. */
  key: OptionKey
  short?: string
  long: string
  /** Placeholder of the flag's argument; absent for boolean flags. */
  arg?: string
  env: readonly string[]
  kind: OptionKind
  description: string
}

export type OptionKey =
  | 'dbFile'
  | 'jsonLog'
  | 'jsonLogFile'
  | 'api'
  | 'apiListen'
  | 'apiToken'
  | 'apiAllow'
  | 'webhook'
  | 'webhookUrl'
  | 'oauth2ClientId'
  | 'oauth2ClientSecret'
  | 'sipResponsive'
  | 'sipDisable'
  | 'syslog'
  | 'verbose'
  | 'debug'
  | 'peerToPeer'
  | 'bootstrapNode'
  | 'tlsCert'
  | 'tlsKey'
  | 'tlsListen'
  | 'sipListen'
  | 'configFile'
  | 'nodeId'
  | 'maxAge'
  | 'sipAgent'
  | 'sipRealm'
  | 'sipRedirect'
  | 'p2pKey'
  | 'p2pListen'
  | 'share'
  | 'analytics'
  | 'p2pMdns'
  | 'confirmations'
  | 'p2pAllowPrivate'

export const OPTIONS: readonly OptionSpec[] = [
  {
    key: 'dbFile',
    short: 'f',
    long: 'db-file',
    arg: 'path',
    env: ['SENTRYPEER_DB_FILE'],
    kind: 'string',
    description: 'SQLite database file (default ./sentrypeer.db)',
  },
  {
    key: 'jsonLog',
    short: 'j',
    long: 'json-log',
    env: ['SENTRYPEER_JSON_LOG'],
    kind: 'boolean',
    description: 'write one JSON line per event to the JSON log file',
  },
  {
    key: 'jsonLogFile',
    short: 'l',
    long: 'json-log-file',
    arg: 'path',
    env: ['SENTRYPEER_JSON_LOG_FILE'],
    kind: 'string',
    description: 'JSON log file (implies -j; default ./sentrypeer_json.log)',
  },
  {
    key: 'api',
    short: 'a',
    long: 'api',
    env: ['SENTRYPEER_API'],
    kind: 'boolean',
    description: 'serve the local HTTP API',
  },
  {
    key: 'apiListen',
    long: 'api-listen',
    arg: 'host:port',
    env: ['SENTRYPEER_API_LISTEN'],
    kind: 'string',
    description: 'address of the HTTP API (default 127.0.0.1:8082)',
  },
  {
    key: 'apiToken',
    long: 'api-token',
    arg: 'token',
    env: ['SENTRYPEER_API_TOKEN'],
    kind: 'string',
    description: 'bearer token required by the API (needed when it listens beyond loopback)',
  },
  {
    key: 'apiAllow',
    long: 'allow',
    arg: 'cidr',
    env: ['SENTRYPEER_ALLOW'],
    kind: 'list',
    description: 'address or CIDR never put on the blocklists, repeatable',
  },
  {
    key: 'webhook',
    long: 'webhook',
    env: ['SENTRYPEER_WEBHOOK'],
    kind: 'boolean',
    description: 'post events to the webhook URL (implied by -w)',
  },
  {
    key: 'webhookUrl',
    short: 'w',
    long: 'webhook-url',
    arg: 'url',
    env: ['SENTRYPEER_WEBHOOK_URL'],
    kind: 'string',
    description: 'post each event as JSON to this URL',
  },
  {
    key: 'oauth2ClientId',
    short: 'i',
    long: 'oauth2-client-id',
    arg: 'id',
    env: ['SENTRYPEER_OAUTH2_CLIENT_ID'],
    kind: 'string',
    description: 'OAuth2 client id for the webhook',
  },
  {
    key: 'oauth2ClientSecret',
    short: 'c',
    long: 'oauth2-client-secret',
    arg: 'secret',
    env: ['SENTRYPEER_OAUTH2_CLIENT_SECRET'],
    kind: 'string',
    description: 'OAuth2 client secret for the webhook',
  },
  {
    key: 'sipResponsive',
    short: 'r',
    long: 'sip-responsive',
    env: ['SENTRYPEER_SIP_RESPONSIVE'],
    kind: 'boolean',
    description: 'answer SIP like a PBX (default: passive, record only)',
  },
  {
    key: 'sipDisable',
    short: 'R',
    long: 'sip-disable',
    env: ['SENTRYPEER_SIP_DISABLE'],
    kind: 'boolean',
    description: 'open no SIP listeners (an API/P2P-only node)',
  },
  {
    key: 'syslog',
    short: 's',
    long: 'syslog',
    env: ['SENTRYPEER_SYSLOG'],
    kind: 'boolean',
    description: 'log events to syslog (for Fail2Ban)',
  },
  {
    key: 'verbose',
    short: 'v',
    long: 'verbose',
    env: ['SENTRYPEER_VERBOSE'],
    kind: 'boolean',
    description: 'print one line per event to stderr',
  },
  {
    key: 'debug',
    short: 'd',
    long: 'debug',
    env: ['SENTRYPEER_DEBUG'],
    kind: 'boolean',
    description: 'debug logging',
  },
  {
    key: 'peerToPeer',
    short: 'p',
    long: 'peer-to-peer',
    env: ['SENTRYPEER_PEER_TO_PEER'],
    kind: 'boolean',
    description: 'share records with peers',
  },
  {
    key: 'bootstrapNode',
    short: 'b',
    long: 'bootstrap-node',
    arg: 'multiaddr',
    env: ['SENTRYPEER_BOOTSTRAP_NODE'],
    kind: 'list',
    description:
      'peer-to-peer bootstrap node multiaddr with /p2p/<peer id>, repeatable (env: comma-separated)',
  },
  {
    key: 'tlsCert',
    short: 't',
    long: 'tls-cert',
    arg: 'path',
    env: ['SENTRYPEER_CERT'],
    kind: 'string',
    description: 'TLS certificate (PEM); a self-signed pair is generated when neither -t nor -k is given',
  },
  {
    key: 'tlsKey',
    short: 'k',
    long: 'tls-key',
    arg: 'path',
    env: ['SENTRYPEER_KEY'],
    kind: 'string',
    description: 'TLS private key (PEM)',
  },
  {
    key: 'tlsListen',
    short: 'z',
    long: 'tls-listen',
    arg: 'host:port',
    env: ['SENTRYPEER_TLS_LISTEN_ADDRESS'],
    kind: 'list',
    description: 'SIP over TLS address, repeatable (default 0.0.0.0:5061)',
  },
  {
    key: 'sipListen',
    long: 'sip-listen',
    arg: 'host:port',
    env: ['SENTRYPEER_SIP_LISTEN'],
    kind: 'list',
    description: 'SIP over UDP and TCP address, repeatable (default 0.0.0.0:5060 and [::]:5060)',
  },
  {
    key: 'configFile',
    short: 'g',
    long: 'config-file',
    arg: 'path',
    env: ['SENTRYPEER_CONFIG_FILE'],
    kind: 'string',
    description: 'JSON config file',
  },
  {
    key: 'nodeId',
    short: 'N',
    long: 'node-id',
    arg: 'id',
    env: ['SENTRYPEER_NODE_ID'],
    kind: 'string',
    description: 'node id or name (default: a UUID kept next to the database)',
  },
  {
    key: 'maxAge',
    long: 'max-age',
    arg: 'duration',
    env: ['SENTRYPEER_MAX_AGE'],
    kind: 'duration',
    description: 'drop events older than this: ms, or with unit s/m/h/d (default 7d)',
  },
  {
    key: 'sipAgent',
    long: 'sip-agent',
    arg: 'string',
    env: ['SENTRYPEER_SIP_AGENT'],
    kind: 'string',
    description: 'Server/User-Agent the UAS presents (default FPBX-16.0.33(18.20.0))',
  },
  {
    key: 'sipRealm',
    long: 'sip-realm',
    arg: 'realm',
    env: ['SENTRYPEER_SIP_REALM'],
    kind: 'string',
    description: 'Digest realm of the REGISTER challenge (default asterisk)',
  },
  {
    key: 'sipRedirect',
    long: 'sip-redirect',
    arg: 'uri',
    env: ['SENTRYPEER_SIP_REDIRECT'],
    kind: 'string',
    description: 'answer INVITE with 302 to this SIP URI instead of 404',
  },
  {
    key: 'p2pKey',
    long: 'p2p-key',
    arg: 'path',
    env: ['SENTRYPEER_P2P_KEY'],
    kind: 'string',
    description:
      'P2P identity (Ed25519) file, created on first run (default: sentrypeer-p2p.key next to the database)',
  },
  {
    key: 'p2pListen',
    long: 'p2p-listen',
    arg: 'multiaddr',
    env: ['SENTRYPEER_P2P_LISTEN'],
    kind: 'list',
    description: 'P2P listen multiaddr, repeatable (default /ip4/0.0.0.0/tcp/4222 and /ip6/::/tcp/4222)',
  },
  {
    key: 'share',
    long: 'no-share',
    env: ['SENTRYPEER_SHARE'],
    kind: 'boolean',
    description: 'with -p: share nothing, and so receive nothing from peers (sharing is on by default)',
  },
  {
    key: 'analytics',
    long: 'analytics',
    env: ['SENTRYPEER_ANALYTICS'],
    kind: 'boolean',
    description:
      'with -p: publish aggregate counters (events per day, top methods) and collect the network totals',
  },
  {
    key: 'p2pMdns',
    long: 'p2p-mdns',
    env: ['SENTRYPEER_P2P_MDNS'],
    kind: 'boolean',
    description: 'with -p: discover peers on the LAN with mDNS',
  },
  {
    key: 'confirmations',
    long: 'confirmations',
    arg: 'k',
    env: ['SENTRYPEER_CONFIRMATIONS'],
    kind: 'string',
    description:
      'distinct collectors that must report an IP learnt from peers before it is blocked (default 2)',
  },
  {
    key: 'p2pAllowPrivate',
    long: 'p2p-allow-private',
    env: ['SENTRYPEER_P2P_ALLOW_PRIVATE'],
    kind: 'boolean',
    description: 'share records about private/loopback/documentation addresses (LAN and test networks only)',
  },
]
