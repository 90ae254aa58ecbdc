/**
 * Hostile input against the real daemon process: the RFC 4475/5118 torture corpora, garbage,
 * truncated, oversized and response-type datagrams, and a kill -9 in the middle of a flood.
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { type DaemonProcess, spawnDaemon } from '../helpers/daemon-process.js'
import { freePort } from '../helpers/free-port.js'
import { repoRoot, tempDir } from '../helpers/paths.js'
import { integrityCheck, readEvents } from '../helpers/read-events.js'
import { sipRequest, statusOf, streamClient, type UdpClient, udpClient } from '../helpers/sip-client.js'

const corpora = ['sip-torture', 'sip-torture-ipv6'].map((d) => resolve(repoRoot, '..', 'shared', d))

let daemon: DaemonProcess | undefined
let client: UdpClient | undefined
afterEach(async () => {
  await client?.close()
  await daemon?.stop('SIGKILL')
  client = undefined
  daemon = undefined
})

/** The counters the daemon logs when it stops. */
function stoppedCounters(stderr: string): Record<string, unknown> {
  const line = stderr.split('\n').find((l) => l.includes('"msg":"stopped"'))
  if (!line) throw new Error(`no "stopped" line in:\n${stderr}`)
  return JSON.parse(line).counters
}

async function start(args: string[] = ['-r']) {
  const dir = tempDir('sentrypeer-robust-')
  const dbFile = join(dir, 'sentrypeer.db')
  const port = await freePort()
  daemon = await spawnDaemon(
    ['-f', dbFile, '--sip-listen', `127.0.0.1:${port}`, '-z', '127.0.0.1:0', ...args],
    {
      cwd: dir,
    },
  )
  client = await udpClient()
  return { dir, dbFile, port, client, daemon }
}

async function stillAnswers(c: UdpClient, port: number): Promise<void> {
  await c.send(sipRequest({ method: 'OPTIONS', branch: `z9hG4bK-alive-${Math.random()}` }), port)
  // Skip replies to earlier input (400s) until the OPTIONS' own 200.
  for (;;) {
    const r = await c.next()
    if (statusOf(r) === 200 && r.includes('CSeq: 1 OPTIONS') && r.includes('alive')) return
  }
}

describe('hostile input', () => {
  it('survives every RFC 4475 and RFC 5118 torture message over UDP and TCP', async () => {
    const { port, client, daemon: d } = await start()
    const files = corpora.flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.sip'))
        .map((f) => join(dir, f)),
    )
    expect(files.length).toBeGreaterThan(40)
    for (const file of files) await client.send(readFileSync(file), port)
    await stillAnswers(client, port)
    // Over TCP each message gets its own connection (a framing error closes the connection).
    for (const file of files) {
      const c = await streamClient(port)
      c.write(readFileSync(file))
      c.socket.end()
      await c.closed
    }
    await stillAnswers(client, port)
    expect(await d.stop('SIGTERM')).toBe(0)
    const counters = stoppedCounters(d.stderr()) as {
      parseErrors: Record<string, number>
      received: { udp: number }
    }
    expect(Object.values(counters.parseErrors).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    expect(counters.received.udp).toBeGreaterThanOrEqual(files.length + 2)
  })

  it('counts garbage, truncated, oversized and response datagrams and stays up', async () => {
    const { port, client, daemon: d, dbFile } = await start()
    const invite = Buffer.from(sipRequest({ method: 'INVITE', body: 'v=0\r\n' }), 'latin1')
    for (let i = 0; i < 300; i++) {
      await client.send(randomBytes(1 + (i % 1400)), port)
      await client.send(invite.subarray(0, 1 + (i % (invite.byteLength - 1))), port)
    }
    await client.send(randomBytes(65_000), port)
    await client.send(sipRequest({ method: 'OPTIONS', extra: [`X-Pad: ${'x'.repeat(64_000)}`] }), port)
    for (let i = 0; i < 20; i++) {
      await client.send(
        `SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-r${i}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: r${i}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`,
        port,
      )
    }
    await stillAnswers(client, port)
    expect(await d.stop('SIGTERM')).toBe(0)
    const counters = stoppedCounters(d.stderr()) as {
      parseErrors: Record<string, number>
      responsesIgnored: number
      internalErrors: number
    }
    expect(counters.responsesIgnored).toBe(20)
    expect(counters.internalErrors).toBe(0)
    expect(Object.values(counters.parseErrors).reduce((a, b) => a + b, 0)).toBeGreaterThan(550) // all garbage, most truncations
    expect(readEvents(dbFile).map((r) => r.method)).toContain('OPTIONS')
  })

  it('keeps a sound database and earlier data after kill -9 during a flood', async () => {
    const { port, client, dbFile, dir } = await start([])
    const count = (): number => {
      const db = new DatabaseSync(dbFile, { readOnly: true })
      try {
        return Number((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n)
      } finally {
        db.close()
      }
    }
    let sent = 0
    let flooding = true
    const flood = (async () => {
      while (flooding) {
        const batch: Promise<void>[] = []
        for (let i = 0; i < 200; i++) {
          batch.push(
            client.send(sipRequest({ method: 'INVITE', uri: `sip:${1000 + (sent % 5000)}@127.0.0.1` }), port),
          )
          sent++
        }
        await Promise.all(batch)
        await new Promise((r) => setImmediate(r))
      }
    })()
    let before = 0
    while (before < 2000) {
      await new Promise((r) => setTimeout(r, 50))
      before = count()
    }
    expect(await daemon?.stop('SIGKILL')).toBe('SIGKILL')
    flooding = false
    await flood
    expect(integrityCheck(dbFile)).toBe('ok')
    const afterKill = count()
    expect(afterKill).toBeGreaterThanOrEqual(before)
    // Restart on the same database: it opens, keeps the data and records again.
    daemon = await spawnDaemon(['-f', dbFile, '--sip-listen', `127.0.0.1:${port}`, '-z', '127.0.0.1:0'], {
      cwd: dir,
    })
    await client.send(sipRequest({ method: 'OPTIONS', userAgent: 'after-restart' }), port)
    await client.send(sipRequest({ method: 'OPTIONS', userAgent: 'after-restart' }), port)
    expect(await daemon.stop('SIGTERM')).toBe(0)
    expect(integrityCheck(dbFile)).toBe('ok')
    const rows = readEvents(dbFile)
    expect(rows.length).toBeGreaterThanOrEqual(afterKill + 1)
    expect(rows.some((r) => r.user_agent === 'after-restart')).toBe(true)
  })
})
