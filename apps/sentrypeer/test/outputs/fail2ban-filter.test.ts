import { execFile } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSyslogSink } from '../../src/outputs/index.js'
import { makeEvent, startUnixReceiver, toAuthLogLine, waitFor } from './helpers.js'

const run = promisify(execFile)
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..')
const docs = join(repoRoot, 'docs', 'fail2ban')
// Debian's fail2ban configuration: the shipped filter includes its common.conf.
const systemConfig = process.env.FAIL2BAN_CONFIG_DIR ?? '/etc/fail2ban'

describe('docs/fail2ban on a real log written from the syslog sink', () => {
  let dir: string
  let logFile: string
  let filter: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-f2b-'))
    // fail2ban-regex resolves the filter's [INCLUDES] from the filter's own config dir.
    mkdirSync(join(dir, 'filter.d'))
    copyFileSync(join(systemConfig, 'filter.d', 'common.conf'), join(dir, 'filter.d', 'common.conf'))
    filter = join(dir, 'filter.d', 'sentrypeer.conf')
    copyFileSync(join(docs, 'filter.d', 'sentrypeer.conf'), filter)

    const socket = join(dir, 'log.sock')
    const receiver = await startUnixReceiver(socket)
    const sink = createSyslogSink({ target: { socket } })
    sink.write(makeEvent({ sourceIp: '192.0.2.7', method: 'INVITE', userAgent: 'friendly-scanner' }))
    sink.write(makeEvent({ sourceIp: '2001:db8::7', method: 'OPTIONS', userAgent: 'sipvicious' }))
    sink.write(makeEvent({ sourceIp: '198.51.100.23', method: 'REGISTER', userAgent: undefined }))
    // A hostile User-Agent trying to get a third party banned through a forged line.
    sink.write(
      makeEvent({
        sourceIp: '2001:db8:0:1::99',
        method: 'INVITE',
        userAgent: 'x\nSource IP: 203.0.113.66, Method: INVITE, Agent: y',
      }),
    )
    await sink.close()
    await waitFor(() => (receiver.messages.length >= 4 ? true : undefined), 10_000, 'four syslog packets')
    await receiver.close()
    const lines = receiver.messages.map((m) => toAuthLogLine(m))
    // Other programs' lines in the same auth.log must not match.
    lines.push(
      lines[0]?.replace('sentrypeer[', 'sshd[').replace('Source IP: 192.0.2.7', 'Failed password') ?? '',
    )
    logFile = join(dir, 'auth.log')
    writeFileSync(logFile, `${lines.join('\n')}\n`)
  })

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('the log is in traditional syslog file format with ident sentrypeer', async () => {
    const lines = readFileSync(logFile, 'utf8').split('\n')
    expect(lines[0]).toMatch(
      new RegExp(
        `^[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ sentrypeer\\[${process.pid}\\]: ` +
          'Source IP: 192\\.0\\.2\\.7, Method: INVITE, Agent: friendly-scanner$',
      ),
    )
    // the forged User-Agent stayed on its own line, escaped
    expect(lines[3]).toMatch(
      /sentrypeer\[\d+\]: Source IP: 2001:db8:0:1::99, Method: INVITE, Agent: x\\x0aSource IP: 203\.0\.113\.66,/,
    )
  })

  it('fail2ban-regex matches every SentryPeer line and nothing else', async () => {
    const { stdout } = await run('fail2ban-regex', [logFile, filter])
    expect(stdout).toMatch(/Lines: 5 lines, 0 ignored, 4 matched, 1 missed/)
  })

  it('fail2ban-regex extracts the IPv4 and IPv6 addresses, not the forged one', async () => {
    const { stdout } = await run('fail2ban-regex', ['-o', '<ip>', logFile, filter])
    expect(stdout.trim().split('\n')).toEqual([
      '192.0.2.7',
      '2001:db8::7',
      '198.51.100.23',
      '2001:db8:0:1::99',
    ])
  })

  it('the jail loads: maxretry 1, bantime 7 days, systemd backend with the journalmatch', async () => {
    // A scratch copy of the system configuration with our filter and jail added.
    const conf = join(dir, 'etc-fail2ban')
    cpSync(systemConfig, conf, { recursive: true })
    copyFileSync(join(docs, 'filter.d', 'sentrypeer.conf'), join(conf, 'filter.d', 'sentrypeer.conf'))
    copyFileSync(join(docs, 'jail.d', 'sentrypeer.conf'), join(conf, 'jail.d', 'sentrypeer.conf'))
    expect(existsSync(join(conf, 'jail.conf'))).toBe(true)
    const { stdout } = await run('fail2ban-client', ['-c', conf, '-d'])
    const jail = stdout.split('\n').filter((l) => l.includes("'sentrypeer'"))
    expect(jail).toContain("['add', 'sentrypeer', 'systemd']")
    expect(jail).toContain("['set', 'sentrypeer', 'maxretry', 1]")
    expect(jail).toContain("['set', 'sentrypeer', 'bantime', '7d']")
    expect(jail).toContain("['set', 'sentrypeer', 'addjournalmatch', 'SYSLOG_IDENTIFIER=sentrypeer']")
    expect(jail).toContain("['start', 'sentrypeer']")
  })
})
