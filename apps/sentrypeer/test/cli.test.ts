/** The `sentrypeer` command as a process: options, env vars, config file, exit codes, signals. */
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OPTIONS } from '../src/config/options.js'
import { readyLine, spawnDaemon } from './helpers/daemon-process.js'
import { freePort } from './helpers/free-port.js'
import { tempDir } from './helpers/paths.js'
import { readEvents } from './helpers/read-events.js'
import { sipRequest, udpClient, until } from './helpers/sip-client.js'

async function run(args: string[], env: Record<string, string> = {}) {
  const p = await spawnDaemon(args, { env, waitReady: false, cwd: tempDir() })
  const code = await p.exited
  return { code, stderr: p.stderr(), stdout: p.stdout() }
}

describe('sentrypeer command', () => {
  it('prints help listing every option, and the version', async () => {
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    for (const o of OPTIONS) {
      expect(help.stdout).toContain(`--${o.long}`)
      if (o.short) expect(help.stdout).toContain(`-${o.short}, --${o.long}`)
      for (const e of o.env) expect(help.stdout.replace(/\s+/g, ' ')).toContain(e)
    }
    const version = await run(['-V'])
    expect([version.code, version.stdout.trim()]).toEqual([0, '0.1.0'])
  })

  it('exits 2 naming the option for a wrong flag, env var or config file value', async () => {
    const flag = await run(['--sip-listen', 'example.com:5060'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('option --sip-listen')
    const env = await run([], { SENTRYPEER_SIP_RESPONSIVE: 'perhaps' })
    expect(env.code).toBe(2)
    expect(env.stderr).toContain('environment variable SENTRYPEER_SIP_RESPONSIVE')
    const file = join(tempDir(), 'c.json')
    writeFileSync(file, JSON.stringify({ maxAge: 'forever' }))
    const cfg = await run(['-g', file])
    expect(cfg.code).toBe(2)
    expect(cfg.stderr).toContain('config file key "maxAge"')
    expect((await run(['--no-such-option'])).code).toBe(2)
  })

  it('exits 1 when a listener cannot be opened', async () => {
    const port = await freePort()
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()))
    try {
      const r = await run(['--sip-listen', `127.0.0.1:${port}`, '-z', '127.0.0.1:0'])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`cannot listen on tcp 127.0.0.1:${port}`)
    } finally {
      blocker.close()
    }
  })

  it('reads 0 as off and 1 as on in env vars, and -R opens no SIP listener', async () => {
    const dir = tempDir()
    const off = await spawnDaemon(
      ['-f', join(dir, 'a.db'), '--sip-listen', '127.0.0.1:0', '-z', '127.0.0.1:0'],
      {
        env: { SENTRYPEER_SIP_RESPONSIVE: '0' },
      },
    )
    // without -p the store writes on the event loop (no second isolate), unless the config file says so
    expect(readyLine(off.stderr())).toMatchObject({ mode: 'passive', storeWriter: 'event loop' })
    // without -p the bin re-executes Node with the lean JIT flags (same pid)
    expect(readFileSync(`/proc/${off.child.pid}/cmdline`, 'utf8').split('\0')).toContain('--no-maglev')
    expect(await off.stop('SIGINT')).toBe(0)
    const on = await spawnDaemon(
      ['-f', join(dir, 'a.db'), '--sip-listen', '127.0.0.1:0', '-z', '127.0.0.1:0'],
      {
        env: { SENTRYPEER_SIP_RESPONSIVE: '1' },
      },
    )
    expect(readyLine(on.stderr()).mode).toBe('responsive')
    expect(await on.stop('SIGTERM')).toBe(0)
    const disabled = await spawnDaemon(['-R', '-f', join(dir, 'a.db')], {})
    expect(readyLine(disabled.stderr())).toMatchObject({ udp: [], tcp: [], tls: [] })
    expect(await disabled.stop('SIGTERM')).toBe(0)
  })

  it('keeps a node id next to the database, unless -N is given; takes settings from a config file', async () => {
    const dir = tempDir()
    const db = join(dir, 'sentrypeer.db')
    const file = join(dir, 'sentrypeer.json')
    writeFileSync(
      file,
      JSON.stringify({ dbFile: db, sipListen: ['127.0.0.1:0'], tlsListen: ['127.0.0.1:0'] }),
    )
    const first = await spawnDaemon(['-g', file])
    const id = readyLine(first.stderr()).nodeId
    expect(await first.stop(), first.stderr()).toBe(0)
    expect(readFileSync(join(dir, 'sentrypeer-node-id'), 'utf8').trim()).toBe(id)
    const second = await spawnDaemon([], { env: { SENTRYPEER_CONFIG_FILE: file } })
    expect(readyLine(second.stderr()).nodeId).toBe(id)
    expect(await second.stop(), second.stderr()).toBe(0)
    writeFileSync(
      file,
      JSON.stringify({
        dbFile: db,
        sipListen: ['127.0.0.1:0'],
        tlsListen: ['127.0.0.1:0'],
        store: { writerThread: true },
      }),
    )
    const named = await spawnDaemon(['-g', file, '-N', 'honeypot-7'])
    expect(readyLine(named.stderr())).toMatchObject({ nodeId: 'honeypot-7', storeWriter: 'thread' })
    expect(await named.stop(), named.stderr()).toBe(0)
  })

  it('flushes recorded events to SQLite on SIGINT', async () => {
    const dir = tempDir()
    const db = join(dir, 'sentrypeer.db')
    const port = await freePort()
    const d = await spawnDaemon(['-f', db, '--sip-listen', `127.0.0.1:${port}`, '-z', '127.0.0.1:0', '-v'])
    const c = await udpClient()
    await c.send(
      sipRequest({ method: 'INVITE', uri: 'sip:0044123@127.0.0.1', userAgent: 'sigint-test' }),
      port,
    )
    await until(() => d.stderr().includes('INVITE to 0044123'))
    await c.close()
    expect(await d.stop('SIGINT')).toBe(0)
    expect(readEvents(db).map((r) => [r.method, r.called_number_raw, r.user_agent])).toEqual([
      ['INVITE', '0044123', 'sigint-test'],
    ])
  })
})
