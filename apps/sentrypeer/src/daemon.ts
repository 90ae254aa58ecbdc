import { EventEmitter } from 'node:events'
import { dirname, resolve } from 'node:path'
import type { Store } from '@sentrypeer/store'
import { type Logger, pino } from 'pino'
import type { ApiServer } from './api/index.js'
import { createMetrics, type Metrics } from './api/metrics.js'
import { DEFAULT_STORE_CACHE_SIZE_KIB, WRITER_THREAD_STORE_CACHE_SIZE_KIB } from './config/constants.js'
import type { ListenAddress } from './config/listen-address.js'
import { resolveNodeId } from './config/node-id.js'
import type { SentryPeerConfig } from './config/schema.js'
import { openDaemonStore } from './daemon-store.js'
import { createOutputs, type Outputs } from './outputs/index.js'
import type { P2pNode } from './p2p/index.js'
import { createSipCounters, type SipCounters } from './sip/sip-counters.js'
import { createSipHandler } from './sip/sip-handler.js'
import { type StreamListener, startStreamListener } from './sip/stream-listener.js'
import { TransactionCache } from './sip/transaction-cache.js'
import { createUas } from './sip/uas.js'
import { startUdpListener, type UdpListener } from './sip/udp-listener.js'
import { loadOrCreateTlsPair } from './tls/index.js'
import { APP_VERSION } from './version.js'

/** Parts the daemon would otherwise create itself (tests and embedders pass their own). */
export interface DaemonComponents {
  logger?: Logger
}

/** A running daemon. */
export interface DaemonHandle {
  readonly config: SentryPeerConfig
  readonly nodeId: string
  readonly store: Store
  /** True when the store writes in a worker thread (`store.writerThread`, by default only with `-p`). */
  readonly storeWriterThread: boolean
  readonly outputs: Outputs
  /** Plain counters of the SIP side (the API's metrics read them). */
  readonly counters: SipCounters
  /** Bound addresses, with the real ports when 0 was asked. */
  readonly listening: { udp: ListenAddress[]; tcp: ListenAddress[]; tls: ListenAddress[] }
  readonly logger: Logger
  /** The P2P node when `-p` is on. */
  readonly p2p?: P2pNode
  /** The HTTP API when `-a` is on. */
  readonly api?: ApiServer
  /** The Prometheus metrics the API serves; SIP counts are pushed into it as they happen. */
  readonly metrics: Metrics
  /** Stops the listeners, drains the outputs, flushes and closes the store. Idempotent. */
  close(): Promise<void>
}

/**
 * Starts the honeypot: opens the store, the event outputs and the SIP listeners (UDP and TCP on every
 * `sipListen` address, TLS on every `tlsListen` address) unless `sipDisable`.
 *
 * @example
 * const daemon = await startDaemon(loadConfig({ cli: { sipResponsive: true }, env: process.env }))
 * process.once('SIGTERM', () => void daemon.close())
 */
export async function startDaemon(
  config: SentryPeerConfig,
  components: DaemonComponents = {},
): Promise<DaemonHandle> {
  const logger =
    components.logger ??
    pino({ name: 'sentrypeer', level: config.debug ? 'debug' : 'info' }, pino.destination(2))
  const nodeId = resolveNodeId(config.dbFile, config.nodeId)
  const counters = createSipCounters()
  const cleanups: Array<() => Promise<void>> = []
  const closeAll = async (): Promise<void> => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn()
      } catch (err) {
        logger.error({ err }, 'error while stopping')
      }
    }
  }

  try {
    const storeWriterThread = config.store.writerThread ?? config.peerToPeer
    const store = await openDaemonStore({
      path: config.dbFile,
      maxAgeMs: config.maxAgeMs,
      // isBadIp: an IP learnt from peers counts once K distinct collectors reported it
      minCollectors: config.confirmations,
      ...config.store,
      cacheSizeKiB:
        config.store.cacheSizeKiB ??
        (storeWriterThread ? WRITER_THREAD_STORE_CACHE_SIZE_KIB : DEFAULT_STORE_CACHE_SIZE_KIB),
      // A P2P catch-up writes 100,000 records in seconds: the writer thread keeps that off the event loop.
      // A plain honeypot writes on this thread and saves the second isolate's memory.
      writerThread: storeWriterThread,
      onError: (err) => logger.error({ err }, 'store error'),
    })
    cleanups.push(() => store.close())

    const outputs = createOutputs({
      jsonLog: config.jsonLog,
      ...(config.jsonLog ? { jsonLogFile: config.jsonLogFile } : {}),
      syslog: config.syslog,
      verbose: config.verbose,
      ...(config.webhook && config.webhookUrl !== undefined
        ? {
            webhook: {
              url: config.webhookUrl,
              ...(config.oauth2ClientId !== undefined && config.oauth2ClientSecret !== undefined
                ? { oauth2: { clientId: config.oauth2ClientId, clientSecret: config.oauth2ClientSecret } }
                : {}),
            },
          }
        : {}),
      appVersion: APP_VERSION,
      nodeId,
      logger,
    })
    cleanups.push(() => outputs.close())

    let p2p: P2pNode | undefined
    if (config.peerToPeer) {
      // libp2p and fastify are loaded only when their feature is on (tens of MB of RSS otherwise).
      const { createP2pNode } = await import('./p2p/index.js')
      const { p2pKeyFile } = await import('./p2p/run-p2p-command.js')
      p2p = await createP2pNode(
        {
          keyFile: p2pKeyFile(config),
          listen: config.p2pListen,
          bootstrap: config.bootstrapNode,
          mdns: config.p2pMdns,
          share: config.share,
          analytics: config.analytics,
          confirmations: config.confirmations,
          maxAgeMs: config.maxAgeMs,
          allowNonPublicIps: config.p2pAllowPrivate,
          tuning: config.p2p,
        },
        { store, logger },
      )
      await p2p.start()
      const node = p2p
      cleanups.push(() => node.stop())
    }
    const events = new EventEmitter()
    events.setMaxListeners(0)
    const metrics = createMetrics()

    const listening: DaemonHandle['listening'] = { udp: [], tcp: [], tls: [] }
    if (!config.sipDisable) {
      const limits = config.limits
      const uas = config.sipResponsive
        ? createUas({
            agent: config.sipAgent,
            realm: config.sipRealm,
            ...(config.sipRedirect !== undefined ? { redirect: config.sipRedirect } : {}),
          })
        : undefined
      const handler = createSipHandler({
        counters,
        ...(uas ? { uas } : {}),
        nodeId,
        agent: config.sipAgent,
        cache: new TransactionCache({
          maxEntries: limits.transactionCacheMaxEntries,
          ttlMs: limits.transactionTtlMs,
        }),
        observer: metrics,
        onEvent(event) {
          if (!store.record(event)) {
            counters.dropped.storeFull++
            metrics.packetDropped('store_full')
          }
          outputs.write(event)
          p2p?.publishEvent(event)
          if (events.listenerCount('event') > 0) events.emit('event', event)
        },
        onInternalError(err) {
          logger.error({ err }, 'internal error while handling a SIP message')
        },
      })
      const streamLimits = {
        handler,
        counters,
        observer: metrics,
        answerKeepalives: config.sipResponsive,
        idleTimeoutMs: limits.streamIdleTimeoutMs,
        maxConnections: limits.streamMaxConnections,
        maxBufferBytes: limits.streamMaxBufferBytes,
        maxWriteBufferBytes: limits.streamMaxWriteBufferBytes,
        tlsHandshakeTimeoutMs: limits.tlsHandshakeTimeoutMs,
      }
      for (const address of config.sipListen) {
        const udp: UdpListener = await startUdpListener({
          address,
          handler,
          counters,
          maxDatagramBytes: limits.udpMaxDatagramBytes,
          recvBufferBytes: limits.udpRecvBufferBytes,
          observer: metrics,
        })
        cleanups.push(() => udp.close())
        listening.udp.push(udp.address)
        const tcp: StreamListener = await startStreamListener({ ...streamLimits, address, transport: 'tcp' })
        cleanups.push(() => tcp.close())
        listening.tcp.push(tcp.address)
      }
      if (config.tlsListen.length > 0) {
        const credentials = await loadOrCreateTlsPair({
          dir: dirname(resolve(config.dbFile)),
          ...(config.tlsCert !== undefined ? { certFile: config.tlsCert } : {}),
          ...(config.tlsKey !== undefined ? { keyFile: config.tlsKey } : {}),
        })
        if (credentials.generated) {
          logger.info(
            { cert: credentials.certFile, key: credentials.keyFile },
            'generated a self-signed TLS pair',
          )
        }
        for (const address of config.tlsListen) {
          const tls = await startStreamListener({
            ...streamLimits,
            address,
            transport: 'tls',
            tls: { cert: credentials.cert, key: credentials.key },
          })
          cleanups.push(() => tls.close())
          listening.tls.push(tls.address)
        }
      }
    }

    let api: ApiServer | undefined
    if (config.api) {
      const node = p2p
      const { createAllowlist, createApiServer } = await import('./api/index.js')
      api = await createApiServer(
        {
          host: config.apiListen.host,
          port: config.apiListen.port,
          maxAgeMs: config.maxAgeMs,
          confirmations: config.confirmations,
          version: APP_VERSION,
          logger,
          ...(config.apiToken !== undefined ? { token: config.apiToken } : {}),
        },
        {
          store,
          metrics,
          allowlist: createAllowlist({ cidrs: config.apiAllow }),
          events,
          ...(node !== undefined ? { p2p: node, network: node } : {}),
        },
      )
      const server = api
      cleanups.push(() => server.close())
    }

    let closing: Promise<void> | undefined
    return {
      config,
      nodeId,
      store,
      storeWriterThread,
      outputs,
      counters,
      listening,
      logger,
      metrics,
      ...(p2p !== undefined ? { p2p } : {}),
      ...(api !== undefined ? { api } : {}),
      close() {
        closing ??= closeAll()
        return closing
      },
    }
  } catch (err) {
    await closeAll()
    throw err
  }
}
