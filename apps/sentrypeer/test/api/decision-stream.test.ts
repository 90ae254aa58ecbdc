import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createClient, type SentryPeerClient } from '@sentrypeer/client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { decisionId, goDuration } from '../../src/api/decision-stream.js'
import { type ApiServer, createAllowlist, createApiServer, createMetrics } from '../../src/api/index.js'
import { createClock, requireTool, sipEvent, tempStore } from './helpers.js'

const WEEK = 7 * 24 * 3_600_000

async function waitFor(what: string, check: () => boolean, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('GET /v1/decisions/stream (CrowdSec LAPI)', () => {
  const clock = createClock()
  const ctx = tempStore(clock)
  let server: ApiServer
  let api: SentryPeerClient

  beforeAll(async () => {
    ctx.store.record(sipEvent({ sourceIp: '203.0.113.1', method: 'INVITE' }, clock))
    ctx.store.record(
      sipEvent({ sourceIp: '203.0.113.2', method: 'REGISTER', eventTime: clock.t - 3_600_000 }, clock),
    )
    ctx.store.record(sipEvent({ sourceIp: '2001:db8::2', method: 'OPTIONS' }, clock))
    ctx.store.record(sipEvent({ sourceIp: '192.168.7.7' }, clock))
    await ctx.store.flush()
    // Loopback and no token: no key needed.
    server = await createApiServer(
      { host: '127.0.0.1', port: 0 },
      { store: ctx.store, metrics: createMetrics(), allowlist: createAllowlist(), now: clock.now },
    )
    api = createClient({ baseUrl: server.url })
  })
  afterAll(async () => {
    await server.close()
    await ctx.cleanup()
  })

  it('sends the full list on startup with CrowdSec decision fields, then only changes', async () => {
    const startup = await api.getDecisionsStream({ startup: 'true' })
    expect(startup.deleted).toEqual([])
    const byIp = Object.fromEntries((startup.new ?? []).map((d) => [d.value, d]))
    expect(Object.keys(byIp).sort()).toEqual(['2001:db8::2', '203.0.113.1', '203.0.113.2'])
    expect(byIp['203.0.113.2']).toMatchObject({
      origin: 'sentrypeer',
      type: 'ban',
      scope: 'Ip',
      scenario: 'sentrypeer/sip-register',
      duration: goDuration((WEEK - 3_600_000) / 1000),
      simulated: false,
    })
    expect(byIp['2001:db8::2']?.scenario).toBe('sentrypeer/sip-options')
    expect(Number.isInteger(byIp['203.0.113.1']?.id)).toBe(true)

    expect(await api.getDecisionsStream({ startup: 'false' })).toEqual({ new: [], deleted: [] })

    ctx.store.record(sipEvent({ sourceIp: '198.51.100.9', method: 'INVITE' }, clock))
    await ctx.store.flush()
    const delta = await api.getDecisionsStream()
    expect(delta.new?.map((d) => d.value)).toEqual(['198.51.100.9'])
    expect(delta.deleted).toEqual([])

    clock.t += WEEK - 1_800_000
    ctx.store.prune(clock.t)
    const expired = await api.getDecisionsStream()
    expect(expired.new).toEqual([])
    expect(expired.deleted?.map((d) => d.value)).toEqual(['203.0.113.2'])
  })

  it('honours scopes, origins and scenario filters', async () => {
    expect(await api.getDecisionsStream({ startup: 'true', scopes: 'range' })).toEqual({
      new: [],
      deleted: [],
    })
    expect(await api.getDecisionsStream({ startup: 'true', origins: 'cscli,CAPI' })).toEqual({
      new: [],
      deleted: [],
    })
    const invites = await api.getDecisionsStream({
      startup: 'true',
      scopes: 'ip,range',
      scenarios_containing: 'invite',
    })
    expect(invites.new?.map((d) => d.value).sort()).toEqual(['198.51.100.9', '203.0.113.1'])
    const notInvites = await api.getDecisionsStream({ startup: 'true', scenarios_not_containing: 'invite' })
    expect(notInvites.new?.map((d) => d.value)).toEqual(['2001:db8::2'])
  })

  it('gives each address a stable, distinct, safe-integer decision id', () => {
    const ids = new Set<number>()
    let unsafe = 0
    for (let i = 0; i < 100_000; i++) {
      const id = decisionId(`198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`)
      if (!Number.isSafeInteger(id) || id < 0) unsafe++
      ids.add(id)
    }
    expect(unsafe).toBe(0)
    expect(ids.size).toBe(100_000)
    expect(decisionId('2001:db8::1')).toBe(decisionId('2001:db8::1'))
  })

  it('formats Go durations', () => {
    expect(goDuration(0)).toBe('0h0m0s')
    expect(goDuration(604_800)).toBe('168h0m0s')
    expect(goDuration(3_661.9)).toBe('1h1m1s')
  })
})

describe('crowdsec-custom-bouncer pointed at the API', () => {
  const clock = createClock()
  const ctx = tempStore(clock)
  const token = 'bouncer-key-42'
  let server: ApiServer
  let bouncer: ChildProcess | undefined
  let output = ''

  beforeAll(async () => {
    ctx.store.record(sipEvent({ sourceIp: '203.0.113.10', method: 'INVITE' }, clock))
    ctx.store.record(sipEvent({ sourceIp: '2001:db8::10', method: 'REGISTER' }, clock))
    ctx.store.record(sipEvent({ sourceIp: '10.9.9.9' }, clock))
    await ctx.store.flush()
    server = await createApiServer(
      { host: '127.0.0.1', port: 0, token },
      { store: ctx.store, metrics: createMetrics(), allowlist: createAllowlist(), now: clock.now },
    )
  })
  afterEach(() => {
    bouncer?.kill('SIGTERM')
  })
  afterAll(async () => {
    await server.close()
    await ctx.cleanup()
  })

  it('calls its script with add for banned IPs and del when they expire', async () => {
    requireTool('crowdsec-custom-bouncer', 'crowdsec-custom-bouncer')
    const log = path.join(ctx.dir, 'calls.log')
    const script = path.join(ctx.dir, 'on-decision.sh')
    writeFileSync(script, `#!/bin/sh\necho "$1 $2 $3 $4" >> '${log}'\n`)
    chmodSync(script, 0o755)
    const config = path.join(ctx.dir, 'crowdsec-custom-bouncer.yaml')
    writeFileSync(
      config,
      [
        `bin_path: ${script}`,
        'feed_via_stdin: false',
        'total_retries: 0',
        'scenarios_containing: []',
        'scenarios_not_containing: []',
        'origins: []',
        `piddir: ${ctx.dir}`,
        'update_frequency: 1s',
        'cache_retention_duration: 1s',
        'daemonize: false',
        'log_mode: stdout',
        'log_level: info',
        `api_url: ${server.url}/`,
        `api_key: ${token}`,
        'prometheus:',
        '  enabled: false',
        '  listen_addr: 127.0.0.1',
        '  listen_port: 60602',
        '',
      ].join('\n'),
    )
    bouncer = spawn('crowdsec-custom-bouncer', ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] })
    bouncer.stdout?.on('data', (d) => {
      output += d
    })
    bouncer.stderr?.on('data', (d) => {
      output += d
    })
    const calls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
    await waitFor(`the bouncer to add both IPs (output: ${output.slice(-500)})`, () => calls().length >= 2)
    expect(calls().sort()).toEqual([
      'add 2001:db8::10 604800 sentrypeer/sip-register',
      'add 203.0.113.10 604800 sentrypeer/sip-invite',
    ])

    // A new bad actor arrives and 203.0.113.10's week runs out while 2001:db8::10 is seen again.
    clock.t += WEEK - 60_000
    ctx.store.record(sipEvent({ sourceIp: '2001:db8::10', method: 'REGISTER' }, clock))
    clock.t += 120_000
    ctx.store.record(sipEvent({ sourceIp: '198.51.100.20', method: 'OPTIONS' }, clock))
    await ctx.store.flush()
    ctx.store.prune(clock.t)
    await waitFor(`the bouncer to apply the delta (output: ${output.slice(-500)})`, () =>
      calls().some((c) => c.startsWith('del ')),
    )
    await waitFor('the new IP', () => calls().some((c) => c.includes('198.51.100.20')))
    const after = calls().slice(2)
    expect(after).toContain('add 198.51.100.20 604800 sentrypeer/sip-options')
    expect(after.some((c) => c.startsWith('del 203.0.113.10 '))).toBe(true)
    expect(calls().some((c) => c.includes('10.9.9.9'))).toBe(false)
    expect(output).not.toMatch(/level=(error|fatal)/)
  })
})
