import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { createClient, type SentryPeerClient } from '@sentrypeer/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ApiServer,
  createAllowlist,
  createApiServer,
  createMetrics,
  formatBlocklist,
  IPSET_MAX_TIMEOUT_S,
} from '../../src/api/index.js'
import { createClock, requireTool, sipEvent, tempStore } from './helpers.js'

const clock = createClock()
const MINUTE = 60_000
const WEEK_S = 7 * 24 * 3600

/** Runs a shell script in a fresh network namespace (root only), so the host's firewall is untouched. */
function inNetns(script: string): string {
  return execFileSync('unshare', ['--net', 'sh', '-ec', script], { encoding: 'utf8' })
}

describe('GET /blocklist', () => {
  const ctx = tempStore(clock)
  let server: ApiServer
  let api: SentryPeerClient

  beforeAll(async () => {
    for (let i = 1; i <= 1500; i++) {
      const ip = `198.18.${Math.floor(i / 256)}.${i % 256}`
      ctx.store.record(sipEvent({ sourceIp: ip, eventTime: clock.t - (i % 60) * MINUTE }, clock))
    }
    for (let i = 1; i <= 20; i++)
      ctx.store.record(sipEvent({ sourceIp: `2001:db8::${i.toString(16)}` }, clock))
    // Never exported: RFC 1918 and loopback (default allowlist) and an --allow range.
    for (const ip of ['10.1.2.3', '192.168.1.1', '127.0.0.2', '203.0.113.9', '::1']) {
      ctx.store.record(sipEvent({ sourceIp: ip }, clock))
    }
    await ctx.store.flush()
    server = await createApiServer(
      { host: '127.0.0.1', port: 0 },
      {
        store: ctx.store,
        metrics: createMetrics(),
        allowlist: createAllowlist({ cidrs: ['203.0.113.0/24'] }),
        now: clock.now,
      },
    )
    api = createClient({ baseUrl: server.url })
  })
  afterAll(async () => {
    await server.close()
    await ctx.cleanup()
  })

  it('plain: a # header then one address per line, allowlisted addresses never exported', async () => {
    const text = await api.getBlocklist({ format: 'plain' })
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^# SentryPeer .* blocklist \(plain\)/)
    const addresses = lines.filter((l) => !l.startsWith('#'))
    expect(addresses).toHaveLength(1520)
    expect(new Set(addresses).size).toBe(1520)
    for (const hidden of ['10.1.2.3', '192.168.1.1', '127.0.0.2', '203.0.113.9', '::1']) {
      expect(addresses).not.toContain(hidden)
    }
    const v6 = (await api.getBlocklist({ format: 'plain', family: '6' }))
      .split('\n')
      .filter((l) => /^[0-9a-f:]+$/.test(l))
    expect(v6).toHaveLength(20)
    const v4 = (await api.getBlocklist({ family: '4' })).split('\n').filter((l) => /^\d/.test(l))
    expect(v4).toHaveLength(1500)
  })

  it('ipset: `ipset restore` loads it (twice, as a reload) with remaining-expiry timeouts', async () => {
    requireTool('ipset', 'ipset')
    const file = path.join(ctx.dir, 'blocklist.ipset')
    writeFileSync(file, await api.getBlocklist({ format: 'ipset' }))
    const saved = inNetns(`ipset restore < '${file}'; ipset restore < '${file}'; ipset save`)
    const v4 = saved.split('\n').filter((l) => l.startsWith('add sentrypeer-v4 '))
    const v6 = saved.split('\n').filter((l) => l.startsWith('add sentrypeer-v6 '))
    expect(v4).toHaveLength(1500)
    expect(v6).toHaveLength(20)
    expect(saved).toMatch(/^create sentrypeer-v4 hash:ip family inet .*timeout 604800/m)
    // An address last seen 59 minutes ago has about 7 days minus 59 minutes left.
    const line = v4.find((l) => l.startsWith('add sentrypeer-v4 198.18.0.59 '))
    const timeout = Number(line?.match(/timeout (\d+)/)?.[1])
    expect(timeout).toBeLessThanOrEqual(WEEK_S - 59 * 60)
    expect(timeout).toBeGreaterThan(WEEK_S - 59 * 60 - 120)
    expect(saved).not.toContain('10.1.2.3')
  })

  it('nftables: passes `nft -c -f`, loads with `nft -f` (twice) into table inet sentrypeer', async () => {
    requireTool('nft', 'nftables')
    const file = path.join(ctx.dir, 'blocklist.nft')
    const script = await api.getBlocklist({ format: 'nftables' })
    writeFileSync(file, script)
    expect(script).toContain('table inet sentrypeer {')
    expect(script).toContain('flags timeout')
    // Check mode, then a real load in a private namespace, loaded twice to prove reloads replace.
    const listed = inNetns(
      `nft -c -f '${file}'; nft -f '${file}'; nft -f '${file}'; nft -j list set inet sentrypeer blocklist_v4; nft -j list set inet sentrypeer blocklist_v6; nft list chain inet sentrypeer input`,
    )
    const [v4json, v6json] = listed.split('\n').filter((l) => l.startsWith('{'))
    const elements = (json: string | undefined): Array<{ elem: { val: string; timeout: number } }> =>
      (JSON.parse(json ?? '{}').nftables.find((o: { set?: unknown }) => o.set !== undefined).set.elem ??
        []) as never
    const v4 = elements(v4json)
    expect(v4).toHaveLength(1500)
    expect(elements(v6json)).toHaveLength(20)
    const e = v4.find((x) => x.elem.val === '198.18.0.59')
    expect(e?.elem.timeout).toBeLessThanOrEqual(WEEK_S - 59 * 60)
    expect(e?.elem.timeout).toBeGreaterThan(WEEK_S - 59 * 60 - 120)
    expect(listed.match(/counter packets \d+ bytes \d+ drop/g)).toHaveLength(2)
    // family=6 gives a script with only the IPv6 set, also valid.
    const v6file = path.join(ctx.dir, 'blocklist-v6.nft')
    writeFileSync(v6file, await api.getBlocklist({ format: 'nftables', family: '6' }))
    expect(inNetns(`nft -c -f '${v6file}' && echo ok`).trim()).toBe('ok')
  })
})

describe('formatBlocklist', () => {
  const now = 1_700_000_000_000
  const entries = [
    { ip: '192.0.2.1', family: 4 as const, expiresAt: now - 1 },
    { ip: '192.0.2.2', family: 4 as const, expiresAt: now + 200 },
    { ip: '192.0.2.3', family: 4 as const, expiresAt: now + 10_000 * 86_400_000 },
    { ip: '2001:db8::9', family: 6 as const, expiresAt: now + 90_500 },
  ]
  const render = (format: 'plain' | 'ipset' | 'nftables', family?: 4 | 6): string =>
    [...formatBlocklist(entries, { format, family, now, defaultTimeoutS: 604_800, version: 't' })].join('')

  it('skips expired entries and never writes a zero (permanent) timeout', () => {
    expect(render('plain')).not.toContain('192.0.2.1')
    const ipset = render('ipset')
    expect(ipset).toContain('add sentrypeer-v4 192.0.2.2 timeout 1 -exist')
    expect(ipset).toContain(`add sentrypeer-v4 192.0.2.3 timeout ${IPSET_MAX_TIMEOUT_S} -exist`)
    expect(ipset).toContain('add sentrypeer-v6 2001:db8::9 timeout 91 -exist')
    expect(render('nftables')).toContain(
      'add element inet sentrypeer blocklist_v6 { 2001:db8::9 timeout 91s }',
    )
  })

  it('limits every format to one family when asked', () => {
    expect(render('plain', 4)).not.toContain('2001:db8::9')
    expect(render('ipset', 6)).not.toContain('sentrypeer-v4')
    const nft = render('nftables', 4)
    expect(nft).not.toContain('blocklist_v6')
    expect(nft).not.toContain('ip6 saddr')
  })
})
