import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@sentrypeer/client'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/config/errors.js'
import { loadConfig } from '../../src/config/load-config.js'
import { DEFAULT_CONFIRMATIONS, DEFAULT_P2P_LISTEN } from '../../src/p2p/index.js'
import { readyLine, spawnDaemon } from '../helpers/daemon-process.js'

const A = '/ip4/192.0.2.10/tcp/4222/p2p/12D3KooWBootstrapA'
const B = '/ip6/2001:db8::10/tcp/4222/p2p/12D3KooWBootstrapB'

describe('P2P options', () => {
  it('default to sharing on, K = 2, TCP 4222 on IPv4 and IPv6, no bootstrap', () => {
    const c = loadConfig({ cli: { peerToPeer: true } })
    expect(c).toMatchObject({
      peerToPeer: true,
      share: true,
      analytics: false,
      p2pMdns: false,
      p2pAllowPrivate: false,
      confirmations: DEFAULT_CONFIRMATIONS,
      p2pListen: [...DEFAULT_P2P_LISTEN],
      bootstrapNode: [],
      p2p: {},
    })
    expect(c.p2pKey).toBeUndefined()
  })

  it('take -b repeated on the command line, comma-separated in the environment, string or list in the file', () => {
    expect(loadConfig({ cli: { bootstrapNode: [A, B] } }).bootstrapNode).toEqual([A, B])
    expect(loadConfig({ env: { SENTRYPEER_BOOTSTRAP_NODE: `${A}, ${B}` } }).bootstrapNode).toEqual([A, B])
    const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-p2p-options-'))
    try {
      const file = join(dir, 'c.json')
      writeFileSync(file, JSON.stringify({ bootstrapNode: A, p2p: { gracePeriodMs: 1000 } }))
      expect(loadConfig({ cli: { configFile: file } })).toMatchObject({
        bootstrapNode: [A],
        p2p: { gracePeriodMs: 1000 },
      })
      writeFileSync(file, JSON.stringify({ p2p: { gracePeriod: 1000 } }))
      expect(() => loadConfig({ cli: { configFile: file } })).toThrow(ConfigError)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('read SENTRYPEER_SHARE=0, --confirmations and the flags from the environment', () => {
    expect(
      loadConfig({
        env: {
          SENTRYPEER_SHARE: '0',
          SENTRYPEER_ANALYTICS: '1',
          SENTRYPEER_CONFIRMATIONS: '3',
          SENTRYPEER_P2P_LISTEN: '/ip4/127.0.0.1/tcp/0',
          SENTRYPEER_P2P_KEY: '/var/lib/sentrypeer/p2p.key',
        },
      }),
    ).toMatchObject({
      share: false,
      analytics: true,
      confirmations: 3,
      p2pListen: ['/ip4/127.0.0.1/tcp/0'],
      p2pKey: '/var/lib/sentrypeer/p2p.key',
    })
  })

  it('refuse bad values, naming the option', () => {
    for (const [env, name] of [
      [{ SENTRYPEER_CONFIRMATIONS: '0' }, 'SENTRYPEER_CONFIRMATIONS'],
      [{ SENTRYPEER_CONFIRMATIONS: 'two' }, 'SENTRYPEER_CONFIRMATIONS'],
      [{ SENTRYPEER_BOOTSTRAP_NODE: 'peer.example.org:4222' }, 'SENTRYPEER_BOOTSTRAP_NODE'],
      [{ SENTRYPEER_P2P_LISTEN: 'tcp 4222' }, 'SENTRYPEER_P2P_LISTEN'],
      [{ SENTRYPEER_SHARE: 'maybe' }, 'SENTRYPEER_SHARE'],
    ] as const) {
      let error: unknown
      try {
        loadConfig({ env })
      } catch (err) {
        error = err
      }
      expect(error, name).toBeInstanceOf(ConfigError)
      expect((error as Error).message).toContain(name)
    }
  })

  it('on a real process: SENTRYPEER_SHARE=0 holds unless the command line says otherwise, and --no-share wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-p2p-options-'))
    const args = ['-p', '-a', '--api-listen', '127.0.0.1:0', '-R', '--p2p-listen', '/ip4/127.0.0.1/tcp/0']
    const sharing = async (extra: string[], env: Record<string, string>): Promise<boolean> => {
      const daemon = await spawnDaemon([...args, '-f', join(dir, `${extra.length}.db`), ...extra], { env })
      try {
        const ready = readyLine<{ api: string; storeWriter: string }>(daemon)
        expect(ready.storeWriter).toBe('thread') // -p: a catch-up's writes stay off the event loop
        // -p: V8's default tiers (Maglev), which warm libp2p's code up faster for a catch-up
        const cmdline = readFileSync(`/proc/${daemon.child.pid}/cmdline`, 'utf8').split('\0')
        expect(cmdline).toContain('--max-semi-space-size=2')
        expect(cmdline).not.toContain('--no-maglev')
        return (await createClient({ baseUrl: ready.api }).getPeers()).sharing
      } finally {
        await daemon.stop()
      }
    }
    try {
      // commander gives `--no-share` a default of true: that default must not override the environment
      expect(await sharing([], { SENTRYPEER_SHARE: '0' })).toBe(false)
      expect(await sharing(['--no-share'], { SENTRYPEER_SHARE: '1' })).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
