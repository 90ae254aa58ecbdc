import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  MIGRATIONS,
  MigrationError,
  openStore,
  runMigrations,
  SCHEMA_VERSION,
  SchemaTooNewError,
} from '../src/index.js'
import { tempDir } from './helpers.js'

let dir: string
let cleanup: () => void
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
})
afterEach(() => cleanup())

function columns(db: Database.Database, table: string): string[] {
  return db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]
}

describe('migrations', () => {
  it('openStore creates the versioned schema in WAL mode', async () => {
    const file = path.join(dir, 'store.db')
    await openStore({ path: file }).close()
    const db = new Database(file, { readonly: true })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(db.prepare('SELECT version, name FROM store_migrations ORDER BY version').all()).toEqual(
      MIGRATIONS.map(({ version, name }) => ({ version, name })),
    )
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all()
    expect(tables).toEqual([
      'event_counts',
      'events',
      'ip_collectors',
      'ips',
      'methods',
      'numbers',
      'signed_records',
      'store_migrations',
      'user_agents',
    ])
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
      .pluck()
      .all()
    expect(indexes).toEqual([
      'events_collector_time',
      'events_expires',
      'events_number_time',
      'events_source_ip_recent',
      'events_time',
      'events_uuid',
    ])
    expect(
      db
        .prepare("SELECT \"unique\" FROM pragma_index_list('events') WHERE name = 'events_uuid'")
        .pluck()
        .get(),
    ).toBe(1)
    // Every column of SentryPeer's honey table has a home in events (a superset).
    const honeyToEvents: Record<string, string> = {
      event_timestamp: 'event_time',
      event_uuid: 'event_uuid',
      collected_method: 'collection_mode',
      created_by_node_id: 'collector_node_id',
      source_ip: 'source_ip',
      destination_ip: 'destination_ip',
      called_number: 'called_number_raw',
      transport_type: 'transport',
      method: 'method',
      user_agent: 'user_agent',
      sip_message: 'raw_message',
    }
    const eventColumns = columns(db, 'events')
    for (const column of Object.values(honeyToEvents)) expect(eventColumns).toContain(column)
    for (const column of [
      'source_port',
      'destination_port',
      'called_number',
      'call_id',
      'origin',
      'expires_at',
    ]) {
      expect(eventColumns).toContain(column)
    }
    db.close()
  })

  it('is idempotent: reopening applies nothing and keeps the data', async () => {
    const file = path.join(dir, 'store.db')
    await openStore({ path: file }).close()
    const db = new Database(file)
    const appliedAt = db.prepare('SELECT applied_at FROM store_migrations').pluck().all()
    expect(runMigrations(db)).toEqual([])
    expect(runMigrations(db)).toEqual([])
    expect(db.prepare('SELECT applied_at FROM store_migrations').pluck().all()).toEqual(appliedAt)
    db.close()
    await openStore({ path: file }).close()
  })

  it('version 3 backfills the per-minute counts from the events already stored', async () => {
    const file = path.join(dir, 'store.db')
    const db = new Database(file)
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 3),
    )
    const insert =
      db.prepare(`INSERT INTO events (event_time, event_uuid, source_ip, source_port, source_family,
      destination_ip, destination_port, transport, method, called_number_raw, called_number, collection_mode,
      collector_node_id, origin, expires_at) VALUES (?, ?, ?, 5060, ?, '192.0.2.1', 5060, 'udp', 'INVITE', '1', '1',
      'passive', 'n', ?, ?)`)
    const t0 = Date.now() - 3_600_000
    const minute = t0 - (t0 % 60_000)
    insert.run(minute + 1, 'a', '203.0.113.1', 4, 'local', minute + 1 + 86_400_000)
    insert.run(minute + 2, 'b', '203.0.113.1', 4, 'local', minute + 2 + 86_400_000)
    insert.run(minute + 3, 'c', '2001:db8::1', 6, 'peer', minute + 3 + 86_400_000)
    insert.run(minute + 60_000, 'd', '203.0.113.1', 4, 'local', minute + 60_000 + 86_400_000)
    expect(runMigrations(db)).toContain(3)
    expect(
      db.prepare('SELECT minute, family, local, count, expires_at FROM event_counts ORDER BY 1, 2').all(),
    ).toEqual([
      { minute, family: 4, local: 1, count: 2, expires_at: minute + 2 + 86_400_000 },
      { minute, family: 6, local: 0, count: 1, expires_at: minute + 3 + 86_400_000 },
      { minute: minute + 60_000, family: 4, local: 1, count: 1, expires_at: minute + 60_000 + 86_400_000 },
    ])
    db.close()
  })

  it('version 4 replaces the (source_ip, event_time) index by a covering one, keeping the events', async () => {
    const file = path.join(dir, 'store.db')
    const db = new Database(file)
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 4),
    )
    const insert =
      db.prepare(`INSERT INTO events (event_time, event_uuid, source_ip, source_port, source_family,
      destination_ip, destination_port, transport, method, called_number_raw, called_number, collection_mode,
      collector_node_id, origin, expires_at, raw_message) VALUES (?, ?, ?, 5060, 4, '192.0.2.1', 5060, 'udp',
      'INVITE', '1', '1', 'passive', 'n', 'local', ?, 'INVITE sip:1@x SIP/2.0')`)
    const t0 = Date.now() - 3_600_000
    for (let i = 0; i < 5; i++) insert.run(t0 + (i % 2) * 1000, `u${i}`, '203.0.113.1', t0 + 86_400_000)
    const ips = db.prepare(`INSERT INTO ips VALUES ('203.0.113.1', 4, ?, ?, 5, ?, 1, 5, 0)`)
    ips.run(t0, t0 + 1000, t0 + 1000 + 86_400_000)
    expect(runMigrations(db)).toEqual([4])
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'")
      .pluck()
      .all()
    expect(names).toContain('events_source_ip_recent')
    expect(names).not.toContain('events_source_ip_time')
    // The recent-events list reads the index alone, in index order (no table look-up, no sort).
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT event_time, event_uuid, NULL, source_port, destination_ip,
        destination_port, transport, method, called_number_raw, called_number, user_agent, call_id,
        collection_mode, collector_node_id, origin, expires_at FROM events
        WHERE source_ip = ? AND expires_at > ? ORDER BY event_time DESC, id DESC LIMIT ?`)
      .all('203.0.113.1', 0, 20) as Array<{ detail: string }>
    expect(plan.map((row) => row.detail)).toEqual([
      'SEARCH events USING COVERING INDEX events_source_ip_recent (source_ip=?)',
    ])
    db.close()
    // The store reads the migrated file: newest first, ties by insertion order reversed.
    const store = openStore({ path: file })
    expect(store.getIp('203.0.113.1', 10)?.recentEvents.map((e) => e.eventUuid)).toEqual([
      'u3',
      'u1',
      'u4',
      'u2',
      'u0',
    ])
    await store.close()
  })

  it('applies only the missing versions, in order, forward only', () => {
    const db = new Database(path.join(dir, 'store.db'))
    expect(runMigrations(db, MIGRATIONS.slice(0, 1))).toEqual([1])
    const next = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'add column', sql: 'ALTER TABLE ips ADD COLUMN note TEXT' },
    ]
    expect(runMigrations(db, next)).toEqual([...range(2, SCHEMA_VERSION + 1)])
    expect(columns(db, 'ips')).toContain('note')
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1)
    expect(runMigrations(db, next)).toEqual([])
    // The code now knows fewer versions than the file: refuse rather than guess.
    expect(() => runMigrations(db)).toThrow(SchemaTooNewError)
    db.close()
  })

  it('rolls a failing migration back and leaves the previous version', () => {
    const db = new Database(path.join(dir, 'store.db'))
    runMigrations(db)
    const broken = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        name: 'broken',
        sql: 'CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;',
      },
    ]
    let error: unknown
    try {
      runMigrations(db, broken)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(MigrationError)
    expect((error as MigrationError).code).toBe('MIGRATION_FAILED')
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0)
    db.close()
  })
})

function* range(from: number, to: number): Generator<number> {
  for (let i = from; i <= to; i++) yield i
}
