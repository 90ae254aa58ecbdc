import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createClient, type SentryPeerClient } from '@sentrypeer/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ApiServer,
  type BlocklistFormat,
  type BlocklistSource,
  createAllowlist,
  createApiServer,
  createMetrics,
  formatBlocklist,
  IPSET_MAX_TIMEOUT_S,
  STREAM_CHUNK_ITEMS,
} from '../../src/api/index.js'
import { createClock, requireTool, sipEvent, tempStore } from './helpers.js'

const clock = createClock()
const MINUTE = 60_000
const WEEK_S = 7 * 24 * 3600

/** Runs a shell script in a fresh network namespace (root only), so the host's firewall is untouched. */
function inNetns(script: string): string {
  return execFileSync('unshare', ['--net', 'sh', '-ec', script], { encoding: 'utf8' })
}

/** A BIRD 2 configuration that includes the feed at `feed` (router id and device as on a real router). */
function birdConfig(dir: string, name: string, feed: string): string {
  const conf = path.join(dir, `${name}.conf`)
  writeFileSync(
    conf,
    `log "${path.join(dir, `${name}.log`)}" all;\nrouter id 192.0.2.1;\nprotocol device {}\ninclude "${feed}";\n`,
  )
  return conf
}

/** `bird -p`: parses the configuration (and its includes) and exits; throws with BIRD's message. */
function birdParse(conf: string): void {
  const r = spawnSync('bird', ['-p', '-c', conf], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`bird -p -c ${conf} exited ${r.status}: ${r.stderr}${r.stdout}`)
}

interface BirdDaemon {
  birdc: (...command: string[]) => string
  /** Waits until every named protocol is up, or throws with BIRD's log. */
  waitUp: (...protocols: string[]) => Promise<void>
  stop: () => Promise<void>
}

/** Starts BIRD 2 on `conf` in a fresh network namespace (root only), with its own control socket. */
function startBird(dir: string, conf: string): BirdDaemon {
  const socket = path.join(dir, 'bird.ctl')
  const pidFile = path.join(dir, 'bird.pid')
  const log = conf.replace(/\.conf$/, '.log')
  // bird forks into the background once the configuration is parsed and the socket is open.
  execFileSync('unshare', [
    '--net',
    'sh',
    '-ec',
    `ip link set lo up; exec bird -c '${conf}' -s '${socket}' -P '${pidFile}'`,
  ])
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  const alive = (): boolean => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  const birdc = (...command: string[]): string =>
    execFileSync('birdc', ['-s', socket, ...command], { encoding: 'utf8' })
  return {
    birdc,
    waitUp: async (...protocols) => {
      const deadline = Date.now() + 10_000
      for (;;) {
        const shown = birdc('show', 'protocols')
        if (protocols.every((p) => new RegExp(`^${p}\\s+Static\\s+\\S+\\s+up\\b`, 'm').test(shown))) return
        if (Date.now() > deadline) {
          const logText = existsSync(log) ? readFileSync(log, 'utf8') : ''
          throw new Error(`BIRD protocols ${protocols.join(', ')} not up:\n${shown}\n${logText}`)
        }
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    stop: async () => {
      try {
        birdc('down')
      } catch {
        // Already gone, or the socket does not answer: the kill below ends it.
      }
      const deadline = Date.now() + 5_000
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      if (alive()) process.kill(pid, 'SIGKILL')
    },
  }
}

/** `birdc show route … all` as prefix -> what it shows: destination, protocol and BGP communities. */
function birdRoutes(shown: string): Map<string, { dest: string; protocol: string; communities: string }> {
  const routes = new Map<string, { dest: string; protocol: string; communities: string }>()
  let last: { dest: string; protocol: string; communities: string } | undefined
  for (const line of shown.split('\n')) {
    const route = line.match(/^(\S+\/\d+)\s+(\w+) \[(\S+) /)
    if (route) {
      last = { dest: route[2] ?? '', protocol: route[3] ?? '', communities: '' }
      routes.set(route[1] ?? '', last)
    }
    const community = line.match(/^\s+BGP\.community: (.*)$/)
    if (community && last) last.communities = community[1] ?? ''
  }
  return routes
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

  it('bird: text/plain, in the OpenAPI enum, and `bird -p` parses it (both families, each alone, empty)', async () => {
    requireTool('bird', 'bird2')
    const res = await fetch(`${server.url}/blocklist?format=bird`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const both = await res.text()
    expect(both.match(/^protocol static sentrypeer_v4 \{$/gm)).toHaveLength(1)
    expect(both.match(/^protocol static sentrypeer_v6 \{$/gm)).toHaveLength(1)
    expect(both.match(/ blackhole \{ bgp_community\.add\(\(65535, 666\)\); \};$/gm)).toHaveLength(1520)
    const doc = (await api.getOpenApi()) as {
      paths: Record<string, { get: { parameters: Array<{ name: string; schema: { enum?: string[] } }> } }>
    }
    const format = doc.paths['/blocklist']?.get.parameters.find((p) => p.name === 'format')
    expect(format?.schema.enum).toEqual(['plain', 'ipset', 'nftables', 'bird'])

    const feeds = {
      both,
      v4: await api.getBlocklist({ format: 'bird', family: '4' }),
      v6: await api.getBlocklist({ format: 'bird', family: '6' }),
      empty: [
        ...formatBlocklist([], { format: 'bird', now: clock.t, defaultTimeoutS: WEEK_S, version: 't' }),
      ].join(''),
    }
    expect(feeds.v4).not.toContain('sentrypeer_v6')
    expect(feeds.v6).not.toContain('sentrypeer_v4')
    expect(feeds.empty).not.toContain('route ')
    for (const [name, text] of Object.entries(feeds)) {
      const feed = path.join(ctx.dir, `sentrypeer-${name}.bird`)
      writeFileSync(feed, text)
      birdParse(birdConfig(ctx.dir, `parse-${name}`, feed))
    }
    // A broken file is refused, so the checks above mean something.
    const broken = path.join(ctx.dir, 'broken.bird')
    writeFileSync(broken, both.replace('/32 blackhole', '/33 blackhole'))
    expect(() => birdParse(birdConfig(ctx.dir, 'parse-broken', broken))).toThrow(/bird -p/)
  })

  it('bird: BIRD 2 loads every address as a blackhole route tagged (65535,666); reloads withdraw them', async () => {
    requireTool('bird', 'bird2')
    requireTool('birdc', 'bird2')
    const plain = (await api.getBlocklist({ format: 'plain' }))
      .split('\n')
      .filter((l) => /^[0-9a-f:.]+$/.test(l))
    const expected = {
      4: plain.filter((ip) => !ip.includes(':')).map((ip) => `${ip}/32`),
      6: plain.filter((ip) => ip.includes(':')).map((ip) => `${ip}/128`),
    }
    expect(expected[4]).toHaveLength(1500)
    expect(expected[6]).toHaveLength(20)
    const feed = path.join(ctx.dir, 'sentrypeer.conf')
    writeFileSync(feed, await api.getBlocklist({ format: 'bird' }))
    const bird = startBird(ctx.dir, birdConfig(ctx.dir, 'bird', feed))
    try {
      await bird.waitUp('sentrypeer_v4', 'sentrypeer_v6')
      for (const family of [4, 6] as const) {
        const protocol = `sentrypeer_v${family}`
        const routes = birdRoutes(bird.birdc('show', 'route', 'protocol', protocol, 'all'))
        expect([...routes.keys()].sort()).toEqual([...expected[family]].sort())
        for (const route of routes.values()) {
          expect(route).toEqual({ dest: 'blackhole', protocol, communities: '(65535,666)' })
        }
      }
      // The documented refresh: a new file, then `birdc configure`. An empty feed withdraws every route.
      writeFileSync(
        feed,
        [
          ...formatBlocklist([], { format: 'bird', now: clock.t, defaultTimeoutS: WEEK_S, version: 't' }),
        ].join(''),
      )
      expect(bird.birdc('configure')).toMatch(/Reconfigur/)
      const deadline = Date.now() + 10_000
      let left = bird.birdc('show', 'route', 'count')
      while (!/^Total: 0 of 0 routes/m.test(left) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50))
        left = bird.birdc('show', 'route', 'count')
      }
      expect(left).toMatch(/^Total: 0 of 0 routes/m)
      await bird.waitUp('sentrypeer_v4', 'sentrypeer_v6')
    } finally {
      await bird.stop()
    }
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
  const render = (format: BlocklistFormat, family?: 4 | 6): string =>
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
    expect(render('bird', 4)).not.toContain('2001:db8::9')
  })
})

describe('formatBlocklist bird', () => {
  const now = 1_700_000_000_000
  const init = { format: 'bird' as const, now, defaultTimeoutS: 604_800, version: 't' }
  // Mixed families, IPv6 before IPv4, with expired entries of both families.
  const entries = [
    { ip: '2001:db8::9', family: 6 as const, expiresAt: now + 90_500 },
    { ip: '192.0.2.1', family: 4 as const, expiresAt: now - 1 },
    { ip: '192.0.2.2', family: 4 as const, expiresAt: now + 200 },
    { ip: '2001:db8::1', family: 6 as const, expiresAt: now },
    { ip: '2001:db8::a', family: 6 as const, expiresAt: now + 1 },
    { ip: '192.0.2.3', family: 4 as const, expiresAt: now + 10_000 * 86_400_000 },
  ]
  const lines = (text: string): string[] => text.split('\n')
  const render = (family?: 4 | 6, source: BlocklistSource = entries): string =>
    [...formatBlocklist(source, { ...init, family })].join('')
  const head = (family: string): string[] => [
    `# SentryPeer t blocklist (bird), ${family}`,
    '# generated 2023-11-14T22:13:20.000Z; entries expire when not seen again',
    '# BIRD 2: include this file from bird.conf; blackhole host routes tagged with (65535, 666), BLACKHOLE of RFC 7999',
  ]
  const v4Block = [
    'protocol static sentrypeer_v4 {',
    '  ipv4;',
    '  route 192.0.2.2/32 blackhole { bgp_community.add((65535, 666)); };',
    '  route 192.0.2.3/32 blackhole { bgp_community.add((65535, 666)); };',
    '}',
  ]
  const v6Block = [
    'protocol static sentrypeer_v6 {',
    '  ipv6;',
    '  route 2001:db8::9/128 blackhole { bgp_community.add((65535, 666)); };',
    '  route 2001:db8::a/128 blackhole { bgp_community.add((65535, 666)); };',
    '}',
  ]

  it('both families: a static protocol per family, expired entries skipped', () => {
    expect(lines(render())).toEqual([...head('IPv4 and IPv6'), ...v4Block, ...v6Block, ''])
  })

  it('family=4 and family=6: only that protocol', () => {
    expect(lines(render(4))).toEqual([...head('IPv4 only'), ...v4Block, ''])
    expect(lines(render(6))).toEqual([...head('IPv6 only'), ...v6Block, ''])
  })

  it('an empty list still has both protocols, without routes', () => {
    expect(lines(render(undefined, []))).toEqual([
      ...head('IPv4 and IPv6'),
      'protocol static sentrypeer_v4 {',
      '  ipv4;',
      '}',
      'protocol static sentrypeer_v6 {',
      '  ipv6;',
      '}',
      '',
    ])
    // Only expired entries: the same empty blocks.
    expect(render(undefined, entries.slice(1, 2))).toBe(render(undefined, []))
  })

  it('per-family sources give the same file as one mixed iterable, reading only the families asked for', () => {
    const read: number[] = []
    const perFamily = (family: 4 | 6) => {
      read.push(family)
      return entries.filter((e) => e.family === family)
    }
    expect(render(undefined, perFamily)).toBe(render())
    expect(read).toEqual([4, 6])
    read.length = 0
    expect(render(6, perFamily)).toBe(render(6))
    expect(read).toEqual([6])
  })

  it('streams routes in chunks of STREAM_CHUNK_ITEMS', () => {
    const many = Array.from({ length: 2 * STREAM_CHUNK_ITEMS + 1 }, (_, i) => ({
      ip: `198.18.${i >> 8}.${i & 255}`,
      family: 4 as const,
      expiresAt: now + 60_000,
    }))
    const chunks = [...formatBlocklist(many, { ...init, family: 4 })]
    // Header, block opening, two full chunks, then the last route with the closing brace.
    expect(chunks).toHaveLength(5)
    expect(chunks[2]?.split('\n')).toHaveLength(STREAM_CHUNK_ITEMS + 1)
    expect(chunks[4]).toBe('  route 198.18.15.160/32 blackhole { bgp_community.add((65535, 666)); };\n}\n')
  })
})
