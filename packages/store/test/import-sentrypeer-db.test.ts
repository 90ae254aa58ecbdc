import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  formatSentryPeerTimestamp,
  ImportSourceError,
  importSentryPeerDb,
  openStore,
  type Store,
} from '../src/index.js'
import { tempDir } from './helpers.js'

// Exactly the table of the C SentryPeer (src/database.c).
const HONEY_SCHEMA = `CREATE TABLE IF NOT EXISTS honey (honey_id INTEGER PRIMARY KEY AUTOINCREMENT, event_timestamp TEXT,
event_uuid TEXT, collected_method TEXT, created_by_node_id TEXT, source_ip TEXT, destination_ip TEXT,
called_number TEXT, transport_type TEXT, method TEXT, user_agent TEXT, sip_message TEXT);`

const NODE_ID = '4a3b1b8e-5f7c-4e8a-9c2d-6b1f0e9d8c7a'
const INVITE = [
  'INVITE sip:0046812345678@192.0.2.10 SIP/2.0',
  'Via: SIP/2.0/UDP 203.0.113.50:5071;branch=z9hG4bK-1815465218;rport',
  'Max-Forwards: 70',
  'From: "1000" <sip:1000@192.0.2.10>;tag=3439343936313338',
  'To: <sip:0046812345678@192.0.2.10>',
  'Call-ID: 593423491239-1093462@203.0.113.50',
  'CSeq: 1 INVITE',
  'User-Agent: friendly-scanner',
  'Content-Length: 0',
  '',
  '',
].join('\r\n')

type HoneyRow = [
  string | null,
  string | null,
  string,
  string,
  string | null,
  string,
  string,
  string,
  string,
  string | null,
  string,
]

let dir: string
let cleanup: () => void
let store: Store
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
})
afterEach(async () => {
  await store?.close()
  cleanup()
})

function makeOldDb(file: string, rows: HoneyRow[]): void {
  const db = new Database(file)
  db.exec(HONEY_SCHEMA)
  const insert =
    db.prepare(`INSERT INTO honey (event_timestamp, event_uuid, collected_method, created_by_node_id,
    source_ip, destination_ip, called_number, transport_type, method, user_agent, sip_message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  db.transaction(() => {
    for (const row of rows) insert.run(...row)
  })()
  db.close()
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

describe('importSentryPeerDb', () => {
  it('imports valid rows of an original database, skipping and counting bad ones', async () => {
    const now = Date.now()
    const ts = (minutesAgo: number) => formatSentryPeerTimestamp(now - minutesAgo * 60_000)
    const rows: HoneyRow[] = [
      [
        ts(30),
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000001',
        'passive',
        NODE_ID,
        '203.0.113.50',
        '192.0.2.10',
        '0046812345678',
        'UDP',
        'INVITE',
        'friendly-scanner',
        INVITE,
      ],
      [
        ts(29),
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000002',
        'responsive',
        NODE_ID,
        '2001:DB8::50',
        '2001:db8::10',
        '100',
        'TCP',
        'OPTIONS',
        'sipsak 0.9.8',
        'OPTIONS sip:100@[2001:db8::10] SIP/2.0\r\n\r\n',
      ],
      [
        ts(28),
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000003',
        'passive',
        '',
        '::ffff:198.51.100.4',
        '192.0.2.10',
        '9011972599000000',
        'UDP',
        'REGISTER',
        null,
        'REGISTER sip:192.0.2.10 SIP/2.0\r\n\r\n',
      ],
      // Duplicate UUID (SentryPeer had no unique constraint): accepted, stored once.
      [
        ts(27),
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000001',
        'passive',
        NODE_ID,
        '203.0.113.50',
        '192.0.2.10',
        '0046812345678',
        'UDP',
        'INVITE',
        'friendly-scanner',
        INVITE,
      ],
      // Bad rows.
      [
        '10/03/2022 12:34',
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000005',
        'passive',
        NODE_ID,
        '203.0.113.51',
        '192.0.2.10',
        '1',
        'UDP',
        'INVITE',
        'x',
        INVITE,
      ],
      [
        ts(26),
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000006',
        'passive',
        NODE_ID,
        'localhost',
        '192.0.2.10',
        '1',
        'UDP',
        'INVITE',
        'x',
        INVITE,
      ],
      [ts(25), null, 'passive', NODE_ID, '203.0.113.52', '192.0.2.10', '1', 'UDP', 'INVITE', 'x', INVITE],
      [
        ts(24),
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000008',
        'passive',
        NODE_ID,
        '203.0.113.53',
        '192.0.2.10',
        '1',
        'SCTP',
        'INVITE',
        'x',
        INVITE,
      ],
      [
        ts(23),
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000009',
        'aggressive',
        NODE_ID,
        '203.0.113.54',
        '192.0.2.10',
        '1',
        'UDP',
        'INVITE',
        'x',
        INVITE,
      ],
      [
        null,
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000010',
        'passive',
        NODE_ID,
        '203.0.113.55',
        '192.0.2.10',
        '1',
        'UDP',
        'INVITE',
        'x',
        INVITE,
      ],
      [
        '2022-03-10 12:34:56.123456789',
        'c9a1f3a0-1f0e-4a3b-9d8e-000000000011',
        'passive',
        NODE_ID,
        '203.0.113.56',
        '192.0.2.10',
        '1',
        'UDP',
        'INVITE',
        'x',
        INVITE,
      ],
    ]
    const old = path.join(dir, 'sentrypeer.db')
    makeOldDb(old, rows)
    const before = sha256(old)
    store = openStore({ path: path.join(dir, 'store.db') })

    const result = await importSentryPeerDb(store, old)
    expect(result).toEqual({
      imported: 4,
      skipped: 7,
      reasons: {
        INVALID_TIME: 2,
        INVALID_IP: 1,
        INVALID_UUID: 1,
        INVALID_TRANSPORT: 1,
        INVALID_COLLECTION_MODE: 1,
        EXPIRED: 1,
      },
    })
    expect(sha256(old)).toBe(before) // opened read-only

    expect(store.stats()).toMatchObject({ inserted: 3, duplicates: 1 })
    const detail = store.getIp('203.0.113.50')
    expect(detail?.seenCount).toBe(1)
    expect(detail?.recentEvents[0]).toEqual({
      eventTime: now - 30 * 60_000,
      eventUuid: 'c9a1f3a0-1f0e-4a3b-9d8e-000000000001',
      sourceIp: '203.0.113.50',
      sourcePort: 0,
      destinationIp: '192.0.2.10',
      destinationPort: 0,
      transport: 'udp',
      method: 'INVITE',
      calledNumberRaw: '0046812345678',
      calledNumberNormalized: '0046812345678',
      userAgent: 'friendly-scanner',
      rawMessage: INVITE,
      collectionMode: 'passive',
      collectorNodeId: NODE_ID,
      origin: 'local',
      expiresAt: now - 30 * 60_000 + store.maxAgeMs,
    })
    expect(store.getIp('2001:db8::50')?.recentEvents[0]).toMatchObject({
      transport: 'tcp',
      collectionMode: 'responsive',
      method: 'OPTIONS',
      userAgent: 'sipsak 0.9.8',
    })
    const mapped = store.getIp('198.51.100.4')?.recentEvents[0]
    expect(mapped?.collectorNodeId).toBe('sentrypeer-import')
    expect(mapped?.userAgent).toBeUndefined()
    expect(store.isBadNumber('9011972599000000')).toBe(true)

    // Importing again changes nothing: the UUIDs are already stored.
    const again = await importSentryPeerDb(store, old, { origin: 'local' })
    expect(again.imported).toBe(4)
    expect(store.stats()).toMatchObject({ inserted: 3, duplicates: 5 })
  })

  it('streams a large table through a small queue without dropping anything', async () => {
    const now = Date.now()
    const rows: HoneyRow[] = []
    for (let i = 0; i < 5000; i++) {
      rows.push([
        formatSentryPeerTimestamp(now - i * 1000),
        `c9a1f3a0-1f0e-4a3b-9d8e-${String(i).padStart(12, '0')}`,
        'passive',
        NODE_ID,
        `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        '192.0.2.10',
        `+4420794600${String(i % 100).padStart(2, '0')}`,
        'UDP',
        'INVITE',
        'friendly-scanner',
        INVITE,
      ])
    }
    const old = path.join(dir, 'big.db')
    makeOldDb(old, rows)
    store = openStore({ path: path.join(dir, 'store.db'), maxQueue: 100, batchSize: 64 })
    const result = await importSentryPeerDb(store, old, { chunk: 50 })
    expect(result).toEqual({ imported: 5000, skipped: 0, reasons: {} })
    expect(store.stats()).toMatchObject({ inserted: 5000, dropped: 0, queueDepth: 0 })
    const all = store.iterateIps()
    expect(all.ok && [...all.value]).toHaveLength(5000)
  })

  it('refuses files that are not SentryPeer databases', async () => {
    store = openStore({ path: path.join(dir, 'store.db') })
    const text = path.join(dir, 'notes.txt')
    writeFileSync(
      text,
      'this is not a database, just some text that is long enough to look like a file header\n'.repeat(20),
    )
    const other = path.join(dir, 'other.db')
    const db = new Database(other)
    db.exec('CREATE TABLE honey (honey_id INTEGER PRIMARY KEY, source_ip TEXT)')
    db.close()
    const empty = path.join(dir, 'empty.db')
    new Database(empty).close()
    for (const file of [path.join(dir, 'missing.db'), text, other, empty]) {
      const error = await importSentryPeerDb(store, file).catch((caught: unknown) => caught)
      expect(error, file).toBeInstanceOf(ImportSourceError)
      expect((error as ImportSourceError).code).toBe('IMPORT_SOURCE_INVALID')
    }
  })
})
