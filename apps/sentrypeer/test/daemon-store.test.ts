import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { SipEventInput } from '@sentrypeer/store'
import { describe, expect, it } from 'vitest'
import { DEFAULT_DAEMON_STORE_MAX_QUEUE, openDaemonStore } from '../src/daemon-store.js'
import { tempDir } from './helpers/paths.js'
import { integrityCheck, readEvents } from './helpers/read-events.js'

function event(ip: string, n: number): SipEventInput {
  return {
    eventTime: Date.now(),
    eventUuid: randomUUID(),
    sourceIp: ip,
    sourcePort: 5060,
    destinationIp: '127.0.0.1',
    destinationPort: 5060,
    transport: 'udp',
    method: 'INVITE',
    calledNumberRaw: `00${n}`,
    calledNumberNormalized: `00${n}`,
    collectionMode: 'passive',
    collectorNodeId: 'node-test',
    origin: 'local',
  }
}

describe('openDaemonStore', () => {
  it('writes in the worker thread and answers queries on the reader connection', async () => {
    const path = join(tempDir(), 'sentrypeer.db')
    const store = await openDaemonStore({ path })
    for (let i = 0; i < 2000; i++) expect(store.record(event(`192.0.2.${i % 200}`, i))).toBe(true)
    await store.flush()
    expect(store.isBadIp('192.0.2.7')).toBe(true)
    expect(store.isBadIp('198.51.100.1')).toBe(false)
    expect(store.isBadNumber('007')).toBe(true)
    expect(store.lookupIp('192.0.2.7')?.ip).toBe('192.0.2.7')
    const stats = store.stats()
    expect(stats.inserted).toBe(2000)
    expect(stats.queueDepth).toBe(0)
    await store.close()
    expect(store.record(event('192.0.2.1', 1))).toBe(false) // closed: refused and counted
    expect(integrityCheck(path)).toBe('ok')
    expect(readEvents(path)).toHaveLength(2000)
  })

  it('refuses events beyond its queue bound and counts them', async () => {
    const path = join(tempDir(), 'sentrypeer.db')
    const store = await openDaemonStore({ path, maxQueue: 100 })
    let accepted = 0
    for (let i = 0; i < 1000; i++) if (store.record(event('203.0.113.9', i))) accepted++
    expect(accepted).toBe(100) // all in one event-loop turn: nothing reached the writer yet
    expect(store.stats().dropped).toBe(900)
    await store.close()
    expect(readEvents(path)).toHaveLength(100)
  })
})

describe('openDaemonStore without a writer thread', () => {
  it('writes on this thread, with the daemon queue bound, and answers on the same connection', async () => {
    const path = join(tempDir(), 'sentrypeer.db')
    const store = await openDaemonStore({ path, writerThread: false })
    expect(store.maxQueue).toBe(DEFAULT_DAEMON_STORE_MAX_QUEUE)
    for (let i = 0; i < 2000; i++) expect(store.record(event(`192.0.2.${i % 200}`, i))).toBe(true)
    expect(store.stats().queueDepth).toBe(2000) // queued, not written yet: record() never waits
    await store.flush()
    expect(store.stats()).toMatchObject({ inserted: 2000, queueDepth: 0, dropped: 0 })
    expect(store.isBadIp('192.0.2.7')).toBe(true)
    expect(store.isBadNumber('007')).toBe(true)
    await store.close()
    expect(integrityCheck(path)).toBe('ok')
    expect(readEvents(path)).toHaveLength(2000)
  })

  it('checkpoints the WAL every 1,000 pages, so a checkpoint holds the event loop only briefly', async () => {
    // 20,000 events of about 1 KB: some 5,000 pages go through the WAL. It is reused after each
    // checkpoint, so its file stays near 1,000 pages plus one flush; at the store's 10,000 it grows on.
    const walBytes = async (pages?: number): Promise<number> => {
      const path = join(tempDir(), 'sentrypeer.db')
      const store = await openDaemonStore({
        path,
        writerThread: false,
        ...(pages !== undefined ? { walAutocheckpointPages: pages } : {}),
      })
      for (let i = 0; i < 20_000; i++) {
        store.record({ ...event(`198.51.100.${i % 250}`, i), rawMessage: `OPTIONS ${'x'.repeat(1000)}` })
        if (i % 2_000 === 1_999) await store.flush()
      }
      await store.flush()
      const size = statSync(`${path}-wal`).size
      await store.close()
      return size
    }
    expect(await walBytes()).toBeLessThan(2_000 * 4096)
    expect(await walBytes(10_000)).toBeGreaterThan(4_000 * 4096)
  })

  it('refuses events beyond its queue bound and counts them', async () => {
    const path = join(tempDir(), 'sentrypeer.db')
    const store = await openDaemonStore({ path, maxQueue: 100, writerThread: false })
    let accepted = 0
    for (let i = 0; i < 1000; i++) if (store.record(event('203.0.113.9', i))) accepted++
    expect(accepted).toBe(100)
    expect(store.stats().dropped).toBe(900)
    await store.close()
    expect(readEvents(path)).toHaveLength(100)
  })
})

describe('openDaemonStore batch encoding', () => {
  it('hands every field of every event to the writer thread unchanged', async () => {
    const path = join(tempDir(), 'sentrypeer.db')
    const store = await openDaemonStore({ path })
    const big = `INVITE sip:😀@example.com SIP/2.0\r\nSubject: ${'é'.repeat(20_000)}\r\n\r\n`
    const events: SipEventInput[] = [
      {
        ...event('192.0.2.1', 1),
        eventTime: Date.now() - 1234,
        userAgent: 'Ünïcødé agent 電話 😀',
        callId: '',
        rawMessage: 'OPTIONS sip:100@192.0.2.9 SIP/2.0\r\n\0\t\r\n\r\n',
        origin: 'local',
      },
      { ...event('2001:db8::1', 2), calledNumberRaw: '+44 (20) 電話', destinationIp: '::1' },
      // three of these pass the first buffer size: the batch grows
      ...[3, 4, 5].map((n) => ({ ...event('198.51.100.7', n), rawMessage: big, userAgent: undefined })),
    ]
    for (const e of events) expect(store.record(e)).toBe(true)
    await store.flush()
    await store.close()
    const db = new DatabaseSync(path, { readOnly: true })
    const rows = db
      .prepare(
        'SELECT event_time, event_uuid, source_ip, source_port, destination_ip, destination_port, transport, method, called_number_raw, user_agent, call_id, raw_message, collection_mode, collector_node_id, origin FROM events ORDER BY id',
      )
      .all()
    db.close()
    expect(rows).toHaveLength(events.length)
    for (const [i, e] of events.entries()) {
      const row = rows[i] as Record<string, unknown>
      expect(row.event_uuid).toBe(e.eventUuid)
      expect(row.event_time).toBe(e.eventTime)
      expect(row.source_ip).toBe(e.sourceIp)
      expect(row.source_port).toBe(e.sourcePort)
      expect(row.destination_ip).toBe(e.destinationIp)
      expect(row.destination_port).toBe(e.destinationPort)
      expect(row.transport).toBe(e.transport)
      expect(row.method).toBe(e.method)
      expect(row.called_number_raw).toBe(e.calledNumberRaw)
      expect(row.user_agent).toBe(e.userAgent ?? null)
      expect(row.call_id).toBe(e.callId ?? null)
      const raw = row.raw_message
      const rawText = raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : raw
      expect(rawText ?? undefined).toBe(e.rawMessage)
      expect(row.collection_mode).toBe(e.collectionMode)
      expect(row.collector_node_id).toBe(e.collectorNodeId)
      expect(row.origin).toBe(e.origin)
    }
  })

  it('passes an event of another shape as an object, so the store still rejects and counts it', async () => {
    const path = join(tempDir(), 'sentrypeer.db')
    const store = await openDaemonStore({ path })
    const bad = { ...event('192.0.2.1', 1), sourcePort: '5060' } as unknown as SipEventInput
    expect(store.record(event('192.0.2.2', 2))).toBe(true)
    expect(store.record(bad)).toBe(true) // accepted into the queue, refused by the store's validation
    await store.flush()
    const stats = store.stats()
    expect(stats.rejected).toBe(1)
    expect(stats.inserted).toBe(1)
    await store.close()
    expect(readEvents(path).map((r) => r.source_ip)).toEqual(['192.0.2.2'])
  })
})
