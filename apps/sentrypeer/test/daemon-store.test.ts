import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { SipEventInput } from '@sentrypeer/store'
import { describe, expect, it } from 'vitest'
import { openDaemonStore } from '../src/daemon-store.js'
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
