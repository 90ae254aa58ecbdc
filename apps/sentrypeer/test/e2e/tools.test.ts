/**
 * End to end: the real `sentrypeer` process, in responsive mode on high loopback ports, probed by the
 * real tools attackers use (SIPVicious), by sipp and sipsak, and by openssl for TLS (this sipp build has
 * no TLS transport). Then the rows in SQLite are checked.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DaemonProcess, spawnDaemon } from '../helpers/daemon-process.js'
import { freePort } from '../helpers/free-port.js'
import { tempDir } from '../helpers/paths.js'
import { type EventRow, readEvents } from '../helpers/read-events.js'
import { runTool } from '../helpers/run-tool.js'

const scenario = join(import.meta.dirname, 'scenarios', 'options-register.xml')
const AGENT = 'Asterisk PBX 18.20.0'

let dir: string
let dbFile: string
let port: number
let tlsPort: number
let daemon: DaemonProcess
let rows: EventRow[] = []

beforeAll(async () => {
  dir = tempDir('sentrypeer-e2e-')
  dbFile = join(dir, 'sentrypeer.db')
  port = await freePort('127.0.0.1', 2)
  tlsPort = port + 1
  daemon = await spawnDaemon(
    [
      '-r',
      '-v',
      '-j',
      '-l',
      join(dir, 'events.json'),
      '-f',
      dbFile,
      '-N',
      'e2e-node',
      '--sip-listen',
      `127.0.0.1:${port}`,
      '-z',
      `127.0.0.1:${tlsPort}`,
      '--sip-agent',
      AGENT,
    ],
    { cwd: dir },
  )
})

afterAll(async () => {
  await daemon?.stop('SIGKILL')
})

const sipp = (args: string[]) =>
  runTool(
    'sipp',
    [
      `127.0.0.1:${port}`,
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-timeout',
      '10',
      '-timeout_error',
      '-nostdin',
      ...args,
    ],
    { cwd: dir },
  )

describe('real tools against the real daemon', () => {
  it('sipp: our OPTIONS/REGISTER scenario gets 200 then the 401 challenge, over UDP and TCP', async () => {
    for (const transport of ['u1', 't1']) {
      const r = await sipp(['-sf', scenario, '-t', transport, '-s', '100'])
      expect(r.code, `${transport}\n${r.stdout}`).toBe(0)
    }
  })

  it('sipp: the built-in uac scenario gets its INVITE answered 100 then 404 (so the call fails)', async () => {
    for (const transport of ['u1', 't1']) {
      const r = await sipp(['-sn', 'uac', '-t', transport, '-s', '2000', '-trace_msg'])
      expect(r.code, r.stdout).toBe(1) // the scenario wanted 180/200; a honeypot never completes a call
      const logName = (await runTool('sh', ['-c', 'ls uac_*_messages.log'], { cwd: dir })).stdout.trim()
      const log = readFileSync(join(dir, logName.split('\n').at(-1) as string), 'utf8')
      expect(log).toContain('SIP/2.0 100 Trying')
      expect(log).toContain('SIP/2.0 404 Not Found')
      expect(log).toMatch(/^ACK sip:2000@/m) // sipp matched the 404 to its INVITE and acknowledged it
      await runTool('sh', ['-c', 'rm -f uac_*_messages.log'], { cwd: dir })
    }
  })

  it('svmap lists the honeypot with its PBX agent (the reply echoes its From tag)', async () => {
    const r = await runTool('svmap', ['127.0.0.1', '-p', String(port)])
    expect(r.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}\\s*\\|\\s*${AGENT.replace(/\./g, '\\.')}`))
  })

  it('svwar gets a 401 challenge for every extension', async () => {
    const r = await runTool('svwar', ['--force', '-e100-102', '127.0.0.1', '-p', String(port)])
    expect(r.stdout + r.stderr).toContain('SIP/2.0 401 Unauthorized')
  })

  it('svcrack never finds a password', async () => {
    const r = await runTool('svcrack', ['-u', '100', '-r', '1-3', '127.0.0.1', '-p', String(port)])
    expect(r.stdout + r.stderr).toContain('found nothing')
  })

  it('sipsak gets 200 to OPTIONS over UDP and TCP', async () => {
    for (const transport of ['udp', 'tcp']) {
      const r = await runTool('sipsak', [
        '-vv',
        '-s',
        `sip:100@127.0.0.1:${port}`,
        `--transport=${transport}`,
      ])
      expect(r.code, r.stdout).toBe(0)
      expect(r.stdout).toContain('SIP/2.0 200 OK')
    }
  })

  it('openssl s_client gets 200 to OPTIONS over TLS (generated self-signed pair)', async () => {
    const options = [
      'OPTIONS sip:100@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-e2e-tls',
      'From: <sip:probe@127.0.0.1>;tag=tls1',
      'To: <sip:100@127.0.0.1>',
      'Call-ID: e2e-tls-1',
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      'User-Agent: openssl-e2e',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n')
    const input = join(dir, 'options.txt')
    await runTool('sh', ['-c', `printf '%s' "$0" > ${input}`, options])
    const r = await runTool('sh', [
      '-c',
      `(cat ${input}; sleep 1) | openssl s_client -connect 127.0.0.1:${tlsPort} -quiet -no_ign_eof 2>/dev/null`,
    ])
    expect(r.stdout).toMatch(/^SIP\/2\.0 200 OK\r\n/)
    expect(r.stdout).toContain(`Server: ${AGENT}`)
  })

  it('stops cleanly on SIGTERM and has recorded every probe with the socket source', async () => {
    expect(await daemon.stop('SIGTERM')).toBe(0)
    rows = readEvents(dbFile)
    const seen = (transport: string, method: string, ua: string | null, number?: string) =>
      rows.some(
        (r) =>
          r.transport === transport &&
          r.method === method &&
          r.user_agent === ua &&
          (number === undefined || r.called_number === number),
      )
    expect(rows.every((r) => r.source_ip === '127.0.0.1' && r.collector_node_id === 'e2e-node')).toBe(true)
    expect(rows.every((r) => r.destination_port === port || r.destination_port === tlsPort)).toBe(true)
    for (const t of ['udp', 'tcp']) {
      expect(seen(t, 'OPTIONS', 'sipp-e2e-options', '100'), t).toBe(true)
      expect(seen(t, 'REGISTER', 'sipp-e2e-register'), t).toBe(true)
      expect(seen(t, 'INVITE', null, '2000'), t).toBe(true)
      expect(seen(t, 'OPTIONS', 'sipsak 0.9.8.1', '100'), t).toBe(true)
    }
    expect(seen('udp', 'OPTIONS', 'friendly-scanner')).toBe(true)
    expect(
      rows.filter((r) => r.method === 'REGISTER' && r.user_agent === 'friendly-scanner').length,
    ).toBeGreaterThanOrEqual(4)
    expect(seen('tls', 'OPTIONS', 'openssl-e2e', '100')).toBe(true)
    // -v: one line per event on stderr; -j/-l: one JSON line per event.
    expect(daemon.stderr()).toMatch(/TLS 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ OPTIONS to 100/)
    const json = readFileSync(join(dir, 'events.json'), 'utf8').trim().split('\n')
    expect(json.length).toBe(rows.length)
  })
})
