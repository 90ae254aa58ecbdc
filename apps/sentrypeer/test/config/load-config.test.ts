import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_AGE_MS } from '../../src/config/constants.js'
import { ConfigError } from '../../src/config/errors.js'
import { loadConfig, parseEnvBoolean } from '../../src/config/load-config.js'
import { DEFAULT_SIP_LISTENER_LIMITS } from '../../src/sip/constants.js'

function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigError) return err
    throw err
  }
  throw new Error('expected a ConfigError')
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-config-'))
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('loadConfig', () => {
  it('applies the SentryPeer defaults', () => {
    const c = loadConfig({ env: {} })
    expect(c.dbFile).toBe('sentrypeer.db')
    expect(c.jsonLogFile).toBe('sentrypeer_json.log')
    expect(c.sipResponsive).toBe(false)
    expect(c.sipDisable).toBe(false)
    expect(c.sipListen).toEqual([
      { host: '0.0.0.0', port: 5060 },
      { host: '::', port: 5060 },
    ])
    expect(c.tlsListen).toEqual([{ host: '0.0.0.0', port: 5061 }])
    expect(c.apiListen).toEqual({ host: '127.0.0.1', port: 8082 })
    expect(c.maxAgeMs).toBe(DEFAULT_MAX_AGE_MS)
    expect(c.limits).toEqual(DEFAULT_SIP_LISTENER_LIMITS)
    expect(c.webhook).toBe(false)
    expect(c.nodeId).toBeUndefined()
  })

  it('reads every SentryPeer environment variable', () => {
    const c = loadConfig({
      env: {
        SENTRYPEER_DB_FILE: '/tmp/x.db',
        SENTRYPEER_JSON_LOG: '1',
        SENTRYPEER_JSON_LOG_FILE: 'j.log',
        SENTRYPEER_API: 'true',
        SENTRYPEER_WEBHOOK_URL: 'https://example.com/hook',
        SENTRYPEER_OAUTH2_CLIENT_ID: 'id',
        SENTRYPEER_OAUTH2_CLIENT_SECRET: 'secret',
        SENTRYPEER_SIP_RESPONSIVE: 'yes',
        SENTRYPEER_SIP_DISABLE: '0',
        SENTRYPEER_SYSLOG: 'on',
        SENTRYPEER_VERBOSE: 'TRUE',
        SENTRYPEER_DEBUG: 'false',
        SENTRYPEER_PEER_TO_PEER: '1',
        SENTRYPEER_BOOTSTRAP_NODE: '/ip4/127.0.0.1/tcp/4001',
        SENTRYPEER_CERT: 'c.pem',
        SENTRYPEER_KEY: 'k.pem',
        SENTRYPEER_TLS_LISTEN_ADDRESS: '127.0.0.1:15061',
        SENTRYPEER_NODE_ID: 'node-a',
        SENTRYPEER_SIP_LISTEN: '127.0.0.1:15060, [::1]:15060',
        SENTRYPEER_MAX_AGE: '2d',
      },
    })
    expect(c).toMatchObject({
      dbFile: '/tmp/x.db',
      jsonLog: true,
      jsonLogFile: 'j.log',
      api: true,
      webhook: true,
      webhookUrl: 'https://example.com/hook',
      oauth2ClientId: 'id',
      oauth2ClientSecret: 'secret',
      sipResponsive: true,
      sipDisable: false,
      syslog: true,
      verbose: true,
      debug: false,
      peerToPeer: true,
      bootstrapNode: ['/ip4/127.0.0.1/tcp/4001'],
      tlsCert: 'c.pem',
      tlsKey: 'k.pem',
      tlsListen: [{ host: '127.0.0.1', port: 15061 }],
      nodeId: 'node-a',
      sipListen: [
        { host: '127.0.0.1', port: 15060 },
        { host: '::1', port: 15060 },
      ],
      maxAgeMs: 2 * 86_400_000,
    })
  })

  it('treats 0 as off, unlike the C SentryPeer', () => {
    const c = loadConfig({ env: { SENTRYPEER_SIP_RESPONSIVE: '0', SENTRYPEER_JSON_LOG: 'false' } })
    expect(c.sipResponsive).toBe(false)
    expect(c.jsonLog).toBe(false)
  })

  it('rejects a boolean env var that is neither 1/0 nor true/false, naming it', () => {
    const err = configError(() => loadConfig({ env: { SENTRYPEER_VERBOSE: 'maybe' } }))
    expect(err.code).toBe('CONFIG_INVALID')
    expect(err.option).toBe('environment variable SENTRYPEER_VERBOSE')
    expect(err.message).toContain('maybe')
  })

  it('gives the command line precedence over env, and env over the config file', () => {
    const file = tempFile(
      'c.json',
      JSON.stringify({ dbFile: 'file.db', sipAgent: 'Asterisk PBX 18.20.0', sipRealm: 'pbx', maxAge: 1000 }),
    )
    const c = loadConfig({
      cli: { configFile: file, dbFile: 'cli.db' },
      env: { SENTRYPEER_DB_FILE: 'env.db', SENTRYPEER_SIP_REALM: 'env-realm' },
    })
    expect(c.dbFile).toBe('cli.db')
    expect(c.sipRealm).toBe('env-realm')
    expect(c.sipAgent).toBe('Asterisk PBX 18.20.0')
    expect(c.maxAgeMs).toBe(1000)
    expect(c.configFile).toBe(file)
  })

  it('finds the config file through SENTRYPEER_CONFIG_FILE and merges limits over the defaults', () => {
    const file = tempFile(
      'c.json',
      JSON.stringify({ limits: { streamMaxConnections: 3 }, sipResponsive: true }),
    )
    const c = loadConfig({ env: { SENTRYPEER_CONFIG_FILE: file } })
    expect(c.sipResponsive).toBe(true)
    expect(c.limits.streamMaxConnections).toBe(3)
    expect(c.limits.transactionTtlMs).toBe(DEFAULT_SIP_LISTENER_LIMITS.transactionTtlMs)
  })

  it('names the config file key at fault, and unknown keys', () => {
    const file = tempFile('c.json', JSON.stringify({ sipListen: ['nowhere'], bogus: 1 }))
    const err = configError(() => loadConfig({ cli: { configFile: file } }))
    expect(err.message).toContain('config file key "sipListen"')
    expect(err.message).toContain('"bogus"')
  })

  it('refuses a transaction cache too large to allocate up front', () => {
    const file = tempFile('big.json', JSON.stringify({ limits: { transactionCacheMaxEntries: 1_000_001 } }))
    expect(configError(() => loadConfig({ cli: { configFile: file } })).message).toContain('limits')
    const ok = tempFile('ok.json', JSON.stringify({ limits: { transactionCacheMaxEntries: 1_000_000 } }))
    expect(loadConfig({ cli: { configFile: ok } }).limits.transactionCacheMaxEntries).toBe(1_000_000)
  })

  it('takes store.writerThread as a boolean from the config file only', () => {
    const on = tempFile('w.json', JSON.stringify({ store: { writerThread: true } }))
    expect(loadConfig({ cli: { configFile: on } }).store.writerThread).toBe(true)
    expect(loadConfig({}).store.writerThread).toBeUndefined() // the daemon decides: on with -p
    const bad = tempFile('w-bad.json', JSON.stringify({ store: { writerThread: 'yes' } }))
    expect(configError(() => loadConfig({ cli: { configFile: bad } })).message).toContain('store')
  })

  it('names the flag at fault for a bad listen address, URL, duration or redirect', () => {
    expect(configError(() => loadConfig({ cli: { sipListen: ['localhost:5060'] } })).message).toContain(
      'option --sip-listen',
    )
    expect(configError(() => loadConfig({ cli: { tlsListen: ['1.2.3.4:70000'] } })).message).toContain(
      'option -z/--tls-listen',
    )
    expect(configError(() => loadConfig({ cli: { webhookUrl: 'ftp://x' } })).message).toContain(
      'option -w/--webhook-url: must be an http or https URL',
    )
    expect(configError(() => loadConfig({ cli: { maxAge: 'soon' } })).message).toContain('option --max-age')
    expect(configError(() => loadConfig({ cli: { sipRedirect: 'http://x' } })).message).toContain(
      'must be a sip: or sips: URI',
    )
  })

  it('requires both TLS files or neither', () => {
    expect(configError(() => loadConfig({ cli: { tlsCert: 'c.pem' } })).message).toContain('-k/--tls-key')
  })

  it('requires a URL when the webhook is switched on', () => {
    expect(configError(() => loadConfig({ env: { SENTRYPEER_WEBHOOK: '1' } })).message).toContain(
      'environment variable SENTRYPEER_WEBHOOK',
    )
  })

  it('reports an unreadable or non-JSON config file', () => {
    expect(configError(() => loadConfig({ cli: { configFile: '/nonexistent/c.json' } })).message).toContain(
      'cannot read',
    )
    const bad = tempFile('c.json', '{ nope')
    expect(configError(() => loadConfig({ cli: { configFile: bad } })).message).toContain('is not JSON')
  })

  it('rejects a Server string that would break a SIP header', () => {
    expect(configError(() => loadConfig({ cli: { sipAgent: 'x\r\nVia: evil' } })).option).toBe(
      'option --sip-agent',
    )
  })
})

describe('parseEnvBoolean', () => {
  it('maps the usual spellings and nothing else', () => {
    expect(['1', 'true', 'YES', 'on'].map(parseEnvBoolean)).toEqual([true, true, true, true])
    expect(['0', 'false', 'No', 'off'].map(parseEnvBoolean)).toEqual([false, false, false, false])
    expect(parseEnvBoolean('2')).toBeUndefined()
  })
})
