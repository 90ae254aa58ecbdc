import { execFile } from 'node:child_process'
import { PassThrough, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createVerboseSink, verboseLine } from '../../src/outputs/index.js'
import { makeEvent } from './helpers.js'

describe('verboseLine', () => {
  it('is one line with the endpoints, method, number and agent', () => {
    expect(verboseLine(makeEvent())).toBe(
      '2022-03-10 12:34:56.123000000 UDP 192.0.2.7:5062 -> 203.0.113.1:5060 INVITE to +44 20 7946 0000 ' +
        'agent "friendly-scanner" (responsive)',
    )
    expect(verboseLine(makeEvent({ sourceIp: '2001:db8::7', transport: 'tls' }))).toContain(
      'TLS [2001:db8::7]:5062 -> ',
    )
  })

  it('escapes terminal control sequences and newlines from the attacker', () => {
    const line = verboseLine(makeEvent({ userAgent: '\u001b[2Jx\ny', calledNumberRaw: '1\r2' }))
    expect(line).not.toMatch(/[\u0000-\u001f]/)
    expect(line).toContain('agent "\\x1b[2Jx\\x0ay"')
    expect(line).toContain('to 1\\x0d2 ')
  })
})

describe('createVerboseSink', () => {
  it('writes one line per event to the stream', () => {
    const stream = new PassThrough()
    let out = ''
    stream.on('data', (c: Buffer) => {
      out += c.toString('utf8')
    })
    const sink = createVerboseSink({ stream })
    sink.write(makeEvent())
    sink.write(makeEvent({ method: 'OPTIONS' }))
    const lines = out.split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(' OPTIONS ')
    expect(sink.stats()).toEqual({ accepted: 2, delivered: 2, dropped: 0 })
  })

  it('drops and counts lines when the stream does not drain, instead of growing memory', () => {
    // A stream whose writes never complete, like a stderr pipe nobody reads.
    const stuck = new Writable({ write() {}, highWaterMark: 16 })
    const sink = createVerboseSink({ stream: stuck, maxBufferBytes: 1000 })
    for (let i = 0; i < 100; i++) sink.write(makeEvent())
    const s = sink.stats()
    expect(s.accepted).toBe(100)
    expect(s.dropped).toBeGreaterThan(80)
    expect(s.delivered + s.dropped).toBe(100)
    expect(stuck.writableLength).toBeLessThanOrEqual(1000)
  })

  it('survives a destroyed stream', async () => {
    const stream = new PassThrough()
    const sink = createVerboseSink({ stream })
    stream.destroy()
    expect(() => sink.write(makeEvent())).not.toThrow()
    expect(sink.stats().dropped).toBe(1)
    await sink.close()
  })
})

describe('verbose output of a real process', () => {
  it("goes to the process's stderr, one line per event, nothing on stdout", async () => {
    const hook = fileURLToPath(new URL('../../../../scripts/ts-resolve.mjs', import.meta.url))
    const outputs = fileURLToPath(new URL('../../src/outputs/index.ts', import.meta.url))
    const helpers = fileURLToPath(new URL('./helpers.ts', import.meta.url))
    const script = [
      `import { createOutputs } from ${JSON.stringify(outputs)}`,
      `import { makeEvent } from ${JSON.stringify(helpers)}`,
      "const o = createOutputs({ verbose: true, appVersion: '1', nodeId: 'n' })",
      "o.write(makeEvent({ sourceIp: '192.0.2.91' }))",
      "o.write(makeEvent({ sourceIp: '192.0.2.92', userAgent: '\\u001b[31mred' }))",
      'await o.close()',
    ].join('\n')
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--no-warnings', '--import', hook, '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('.', import.meta.url)) },
    )
    expect(stdout).toBe('')
    const lines = stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(' UDP 192.0.2.91:5062 -> 203.0.113.1:5060 INVITE ')
    expect(lines[1]).toContain('agent "\\x1b[31mred"')
  })
})
