import { z } from 'zod'
import { DEFAULT_JSON_LOG_FILE } from '../outputs/constants.js'
import { DEFAULT_CONFIRMATIONS, DEFAULT_P2P_LISTEN } from '../p2p/constants.js'
import {
  DEFAULT_SIP_LISTENER_LIMITS,
  type SipListenerLimits,
  TRANSACTION_CACHE_MAX_ENTRIES_LIMIT,
} from '../sip/constants.js'
import {
  DEFAULT_API_LISTEN,
  DEFAULT_DB_FILE,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_SIP_AGENT,
  DEFAULT_SIP_LISTEN,
  DEFAULT_SIP_REALM,
  DEFAULT_TLS_LISTEN,
} from './constants.js'
import { parseDuration } from './duration.js'
import { type ListenAddress, parseListenAddress } from './listen-address.js'

const listenAddress = z.string().transform((text, ctx): ListenAddress => {
  const parsed = parseListenAddress(text)
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message })
    return z.NEVER
  }
  return parsed.address
})

const duration = z.union([z.number(), z.string()]).transform((value, ctx): number => {
  const ms = typeof value === 'number' ? value : parseDuration(value)
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a positive duration (milliseconds, or a number with unit s, m, h or d)`,
    })
    return z.NEVER
  }
  return ms
})

/** Free text that ends up in SIP headers or logs: one line, printable. */
const headerText = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII on one line')

const positiveInt = z.number().int().positive()

const limitsSchema = z
  .object({
    transactionTtlMs: positiveInt,
    transactionCacheMaxEntries: positiveInt.max(TRANSACTION_CACHE_MAX_ENTRIES_LIMIT),
    streamIdleTimeoutMs: positiveInt,
    streamMaxConnections: positiveInt,
    streamMaxWriteBufferBytes: positiveInt,
    streamMaxBufferBytes: positiveInt.min(1024),
    udpMaxDatagramBytes: positiveInt.max(65_535),
    udpRecvBufferBytes: positiveInt,
    tlsHandshakeTimeoutMs: positiveInt,
  })
  .partial()
  .strict()

const storeSchema = z
  .object({
    cacheSizeKiB: positiveInt,
    walAutocheckpointPages: positiveInt,
    batchSize: positiveInt,
    flushIntervalMs: positiveInt,
    maxQueue: positiveInt,
    rawMessageMaxBytes: positiveInt,
    pruneIntervalMs: z.number().int().nonnegative(),
    writerThread: z.boolean(),
  })
  .partial()
  .strict()

const p2pSchema = z
  .object({
    gracePeriodMs: positiveInt,
    catchUpIntervalMs: positiveInt,
    analyticsIntervalMs: positiveInt,
    reconnectIntervalMs: positiveInt,
    requestTimeoutMs: positiveInt,
    requestsPerPeerPerMinute: positiveInt,
    standingWindowMs: positiveInt,
    recordsPerPeerPerSecond: positiveInt,
    recordsBurst: positiveInt,
    ipColocationThreshold: positiveInt,
    pageSize: positiveInt,
  })
  .partial()
  .strict()

/** Share-protocol tunables (config file key `p2p` only); unset ones keep `@sentrypeer/share`'s defaults. */
export type P2pOptions = z.output<typeof p2pSchema>

const multiaddr = z
  .string()
  .regex(/^\/[\x21-\x7e]+$/, 'must be a multiaddr such as /ip4/192.0.2.1/tcp/4222/p2p/12D3KooW...')

/** Options passed to the store (`openStore`); unset ones keep the daemon's or the store's defaults. */
export type StoreOptions = z.output<typeof storeSchema>

/** The JSON config file and the merged configuration before defaults: every key optional. */
export const configInputSchema = z
  .object({
    dbFile: z.string().min(1),
    jsonLog: z.boolean(),
    jsonLogFile: z.string().min(1),
    api: z.boolean(),
    apiListen: listenAddress,
    apiToken: z.string().regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    apiAllow: z.array(z.string().min(1)),
    webhook: z.boolean(),
    webhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
    oauth2ClientId: z.string().min(1),
    oauth2ClientSecret: z.string().min(1),
    sipResponsive: z.boolean(),
    sipDisable: z.boolean(),
    syslog: z.boolean(),
    verbose: z.boolean(),
    debug: z.boolean(),
    peerToPeer: z.boolean(),
    bootstrapNode: z.union([multiaddr.transform((s) => [s]), z.array(multiaddr)]),
    tlsCert: z.string().min(1),
    tlsKey: z.string().min(1),
    tlsListen: z.array(listenAddress).min(1),
    sipListen: z.array(listenAddress).min(1),
    configFile: z.string().min(1),
    nodeId: headerText,
    maxAge: duration,
    sipAgent: headerText,
    sipRealm: headerText.regex(/^[^"\\]+$/, 'must not contain quotes or backslashes'),
    sipRedirect: z.string().regex(/^sips?:[^\s<>"]+$/i, 'must be a sip: or sips: URI'),
    limits: limitsSchema,
    store: storeSchema,
    p2pKey: z.string().min(1),
    p2pListen: z.array(multiaddr).min(1),
    share: z.boolean(),
    analytics: z.boolean(),
    p2pMdns: z.boolean(),
    confirmations: z.coerce.number().int().min(1).max(1000),
    p2pAllowPrivate: z.boolean(),
    p2p: p2pSchema,
  })
  .partial()
  .strict()
  .superRefine((c, ctx) => {
    if (c.webhook === true && c.webhookUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'webhook is on but no webhook URL is set' })
    }
    if ((c.tlsCert === undefined) !== (c.tlsKey === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.tlsCert === undefined ? 'tlsCert' : 'tlsKey'],
        message: 'give both the TLS certificate (-t) and the key (-k), or neither to generate a pair',
      })
    }
  })

export type ConfigInput = z.input<typeof configInputSchema>

/** The daemon's validated configuration. */
export interface SentryPeerConfig {
  dbFile: string
  jsonLog: boolean
  jsonLogFile: string
  api: boolean
  apiListen: ListenAddress
  apiToken?: string
  /** Extra allowlist entries (addresses or CIDRs) for the API's blocklists. */
  apiAllow: string[]
  webhook: boolean
  webhookUrl?: string
  oauth2ClientId?: string
  oauth2ClientSecret?: string
  sipResponsive: boolean
  sipDisable: boolean
  syslog: boolean
  verbose: boolean
  debug: boolean
  peerToPeer: boolean
  /** P2P bootstrap multiaddrs (`-b`, repeatable). */
  bootstrapNode: string[]
  /** P2P identity file; default `sentrypeer-p2p.key` next to the database. */
  p2pKey?: string
  p2pListen: string[]
  /** Share records with peers (default true with -p); false: nothing sent, nothing received. */
  share: boolean
  analytics: boolean
  p2pMdns: boolean
  /** K distinct collectors before an IP learnt from peers is blocked. */
  confirmations: number
  p2pAllowPrivate: boolean
  /** Share-protocol tunables (config file only). */
  p2p: P2pOptions
  /** Explicit TLS pair; when both are absent a self-signed pair is generated next to the database. */
  tlsCert?: string
  tlsKey?: string
  tlsListen: ListenAddress[]
  sipListen: ListenAddress[]
  configFile?: string
  /** Explicit node id; when absent a UUID is created on first run next to the database. */
  nodeId?: string
  maxAgeMs: number
  sipAgent: string
  sipRealm: string
  sipRedirect?: string
  limits: SipListenerLimits
  /** Store tuning (config file only). */
  store: StoreOptions
}

/** Applies defaults to a validated input. */
export function withDefaults(input: z.output<typeof configInputSchema>): SentryPeerConfig {
  const defaultListen = (list: readonly string[]): ListenAddress[] =>
    list.map((text) => {
      const parsed = parseListenAddress(text)
      if (!parsed.ok) throw new Error(`bad built-in default ${text}`)
      return parsed.address
    })
  const { maxAge, limits, webhook, store, bootstrapNode, p2p, ...rest } = input
  return {
    ...rest,
    dbFile: input.dbFile ?? DEFAULT_DB_FILE,
    jsonLog: input.jsonLog ?? input.jsonLogFile !== undefined,
    jsonLogFile: input.jsonLogFile ?? DEFAULT_JSON_LOG_FILE,
    api: input.api ?? false,
    apiListen: input.apiListen ?? (defaultListen([DEFAULT_API_LISTEN])[0] as ListenAddress),
    apiAllow: input.apiAllow ?? [],
    webhook: webhook ?? input.webhookUrl !== undefined,
    sipResponsive: input.sipResponsive ?? false,
    sipDisable: input.sipDisable ?? false,
    syslog: input.syslog ?? false,
    verbose: input.verbose ?? false,
    debug: input.debug ?? false,
    peerToPeer: input.peerToPeer ?? false,
    bootstrapNode: bootstrapNode ?? [],
    p2pListen: input.p2pListen ?? [...DEFAULT_P2P_LISTEN],
    share: input.share ?? true,
    analytics: input.analytics ?? false,
    p2pMdns: input.p2pMdns ?? false,
    confirmations: input.confirmations ?? DEFAULT_CONFIRMATIONS,
    p2pAllowPrivate: input.p2pAllowPrivate ?? false,
    p2p: { ...p2p },
    tlsListen: input.tlsListen ?? defaultListen(DEFAULT_TLS_LISTEN),
    sipListen: input.sipListen ?? defaultListen(DEFAULT_SIP_LISTEN),
    maxAgeMs: maxAge ?? DEFAULT_MAX_AGE_MS,
    sipAgent: input.sipAgent ?? DEFAULT_SIP_AGENT,
    sipRealm: input.sipRealm ?? DEFAULT_SIP_REALM,
    limits: { ...DEFAULT_SIP_LISTENER_LIMITS, ...limits },
    store: { ...store },
  }
}
