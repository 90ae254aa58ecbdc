import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOutputs, OutputsConfigError } from '../../src/outputs/index.js'
import { makeEvent, parseRfc3164, type SyslogReceiver, startUdpReceiver, waitFor } from './helpers.js'

describe('createOutputs', () => {
  let dir: string
  let receiver: SyslogReceiver | undefined
  let server: Server | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sp-outputs-'))
  })
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
    if (server) {
      server.closeAllConnections()
      await new Promise((r) => server?.close(r))
      server = undefined
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('fans every event out to the JSON log, syslog, webhook and verbose stderr', async () => {
    const bodies: string[] = []
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8')
      })
      req.on('end', () => {
        bodies.push(body)
        res.writeHead(200).end()
      })
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    const udp = await startUdpReceiver()
    receiver = udp
    const stderr = new PassThrough()
    let verboseOut = ''
    stderr.on('data', (c: Buffer) => {
      verboseOut += c.toString('utf8')
    })
    const diagnostics = new PassThrough()
    const jsonLogFile = join(dir, 'log', 'events.json')
    const outputs = createOutputs({
      jsonLogFile,
      syslog: { target: { host: '127.0.0.1', port: udp.port } },
      verbose: { stream: stderr },
      webhook: { url: hook },
      appVersion: '7.7.7',
      nodeId: 'node-fallback',
      logger: pino(diagnostics),
    })
    outputs.write(makeEvent({ sourceIp: '192.0.2.10' }))
    outputs.write(makeEvent({ sourceIp: '192.0.2.11', collectorNodeId: '' }))
    await waitFor(() => (bodies.length === 2 ? true : undefined), 10_000, 'two webhook POSTs')
    await outputs.close()
    await waitFor(() => (udp.messages.length === 2 ? true : undefined), 10_000, 'two syslog packets')

    const json = readFileSync(jsonLogFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(json.map((j) => j.source_ip)).toEqual(['192.0.2.10', '192.0.2.11'])
    expect(json[0].created_by_node_id).toBe('node-test-1')
    // an event without a collector id gets this node's
    expect(json[1].created_by_node_id).toBe('node-fallback')
    expect(json[0].app_version).toBe('7.7.7')
    expect(bodies.map((b) => JSON.parse(b).source_ip).sort()).toEqual(['192.0.2.10', '192.0.2.11'])
    expect(udp.messages.map((m) => parseRfc3164(m)?.message)).toEqual([
      'Source IP: 192.0.2.10, Method: INVITE, Agent: friendly-scanner',
      'Source IP: 192.0.2.11, Method: INVITE, Agent: friendly-scanner',
    ])
    expect(verboseOut.trim().split('\n')).toHaveLength(2)

    const stats = outputs.stats()
    expect(stats).toMatchObject({ written: 2, dropped: 0, webhookFailures: 0 })
    expect(stats.jsonLog).toMatchObject({ delivered: 2 })
    expect(stats.syslog).toMatchObject({ delivered: 2 })
    expect(stats.webhook).toMatchObject({ delivered: 2 })
    expect(stats.verbose).toMatchObject({ delivered: 2 })
  })

  it('with no output enabled, counts events and does nothing else', async () => {
    const outputs = createOutputs({ appVersion: '1', nodeId: 'n' })
    outputs.write(makeEvent())
    await outputs.close()
    expect(outputs.stats()).toEqual({ written: 1, dropped: 0, webhookFailures: 0 })
  })

  it('-j alone writes sentrypeer_json.log in the working directory', async () => {
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const outputs = createOutputs({ jsonLog: true, appVersion: '1', nodeId: 'n' })
      outputs.write(makeEvent())
      await outputs.close()
    } finally {
      process.chdir(cwd)
    }
    expect(JSON.parse(readFileSync(join(dir, 'sentrypeer_json.log'), 'utf8')).app_name).toBe('sentrypeer')
  })

  it('close() returns by its deadline with a dead webhook and a stuck stderr, and counts the losses', async () => {
    const stuck = new Writable({ write() {}, highWaterMark: 1 })
    const diagnostics = new PassThrough()
    let logged = ''
    diagnostics.on('data', (c: Buffer) => {
      logged += c.toString('utf8')
    })
    const outputs = createOutputs({
      // port 9 (discard) on loopback: nothing listens here, connection refused
      webhook: {
        url: 'http://127.0.0.1:9/hook',
        maxQueue: 3,
        retryMinMs: 20,
        retryMaxMs: 20,
        maxAttempts: 100,
      },
      verbose: { stream: stuck, maxBufferBytes: 300 },
      appVersion: '1',
      nodeId: 'n',
      logger: pino(diagnostics),
      closeTimeoutMs: 200,
    })
    for (let i = 0; i < 10; i++) expect(() => outputs.write(makeEvent())).not.toThrow()
    await waitFor(() => (outputs.stats().webhookFailures >= 2 ? true : undefined), 10_000, 'webhook failures')
    await outputs.close()
    const stats = outputs.stats()
    expect(stats.written).toBe(10)
    expect(stats.webhook).toMatchObject({ accepted: 10, delivered: 0, dropped: 10 })
    expect(stats.verbose?.dropped).toBeGreaterThan(0)
    expect(stats.dropped).toBe(10 + (stats.verbose?.dropped ?? 0))
    // failures are logged, never thrown
    expect(logged).toContain('webhook POST failed')
  })

  it('rejects invalid options with OutputsConfigError', () => {
    const bad = [
      { webhook: { url: 'ftp://example.org/x' } },
      { webhook: { url: 'not a url' } },
      { webhook: { url: 'https://example.org/x', oauth2: { clientId: '', clientSecret: 's' } } },
      {
        webhook: {
          url: 'https://example.org/x',
          oauth2: { clientId: 'i', clientSecret: 's', tokenUrl: 'x' },
        },
      },
      { webhook: { url: 'https://example.org/x', maxQueue: 0 } },
    ]
    for (const extra of bad) {
      let caught: unknown
      try {
        createOutputs({ appVersion: '1', nodeId: 'n', ...extra })
      } catch (err) {
        caught = err
      }
      expect(caught, JSON.stringify(extra)).toBeInstanceOf(OutputsConfigError)
      expect((caught as OutputsConfigError).code).toBe('OUTPUTS_INVALID_CONFIG')
    }
  })
})
