import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJsonLogSink, JsonLogOpenError } from '../../src/outputs/index.js'
import { makeEvent, waitFor } from './helpers.js'

function readLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('createJsonLogSink', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sp-jsonlog-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it("appends one JSON line per event with SentryPeer's fields and nothing of pino's", async () => {
    const file = join(dir, 'nested', 'sentrypeer_json.log')
    const sink = createJsonLogSink({ file, appVersion: '1.2.3' })
    const hostile = 'Mozilla"\n{"source_ip":"6.6.6.6"}\u0000'
    sink.write(makeEvent())
    sink.write(makeEvent({ userAgent: hostile, sourceIp: '2001:db8::7' }))
    await sink.close()
    const lines = readLines(file)
    expect(lines).toHaveLength(2)
    expect(Object.keys(lines[0] ?? {})).toEqual([
      'app_name',
      'app_version',
      'event_timestamp',
      'event_uuid',
      'created_by_node_id',
      'collected_method',
      'transport_type',
      'source_ip',
      'destination_ip',
      'called_number',
      'sip_method',
      'sip_user_agent',
      'sip_message',
      'source_port',
      'destination_port',
      'called_number_normalized',
      'sip_call_id',
      'event_origin',
    ])
    expect(lines[0]).toMatchObject({ app_name: 'sentrypeer', app_version: '1.2.3', source_ip: '192.0.2.7' })
    // the hostile User-Agent is data inside its own line
    expect(lines[1]).toMatchObject({ sip_user_agent: hostile, source_ip: '2001:db8::7' })
    expect(sink.stats()).toEqual({ accepted: 2, delivered: 2, dropped: 0, errors: 0 })
  })

  it('appends to an existing file', async () => {
    const file = join(dir, 'events.log')
    writeFileSync(file, '{"earlier":true}\n')
    const sink = createJsonLogSink({ file, appVersion: '1' })
    sink.write(makeEvent())
    await sink.close()
    const lines = readLines(file)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toEqual({ earlier: true })
  })

  it('reopens the file after logrotate moved it', async () => {
    const file = join(dir, 'events.log')
    const sink = createJsonLogSink({ file, appVersion: '1' })
    sink.write(makeEvent({ method: 'OPTIONS' }))
    // let the asynchronous write reach the file before rotating
    await waitFor(() => (readFileSync(file, 'utf8').endsWith('\n') ? true : undefined))
    renameSync(file, `${file}.1`)
    sink.reopen()
    sink.write(makeEvent({ method: 'INVITE' }))
    await sink.close()
    expect(readLines(`${file}.1`).map((l) => l.sip_method)).toEqual(['OPTIONS'])
    expect(readLines(file).map((l) => l.sip_method)).toEqual(['INVITE'])
  })

  it('drops and counts lines beyond the in-memory buffer', async () => {
    const file = join(dir, 'small.log')
    // smaller than one event line: every line exceeds the buffer
    const sink = createJsonLogSink({ file, appVersion: '1', maxBufferBytes: 100 })
    sink.write(makeEvent())
    sink.write(makeEvent())
    await sink.close()
    expect(sink.stats()).toMatchObject({ accepted: 2, delivered: 0, dropped: 2 })
    expect(readFileSync(file, 'utf8')).toBe('')
  })

  it('throws a JsonLogOpenError with a stable code when the file cannot be opened', () => {
    const notADir = join(dir, 'file')
    writeFileSync(notADir, '')
    let caught: unknown
    try {
      createJsonLogSink({ file: join(notADir, 'x.log'), appVersion: '1' })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(JsonLogOpenError)
    expect((caught as JsonLogOpenError).code).toBe('JSON_LOG_OPEN_FAILED')
    expect((caught as JsonLogOpenError).message).toContain(join(notADir, 'x.log'))
  })

  it('drops events written after close', async () => {
    const file = join(dir, 'closed.log')
    const sink = createJsonLogSink({ file, appVersion: '1' })
    await sink.close()
    sink.write(makeEvent())
    expect(sink.stats()).toMatchObject({ accepted: 1, dropped: 1 })
    expect(readFileSync(file, 'utf8')).toBe('')
  })
})
