import type Database from 'better-sqlite3'
import { MigrationError, SchemaTooNewError } from './errors.js'

/** One forward-only schema step. Versions are consecutive from 1 and never edited once released. */
export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * The schema. `events` is a superset of SentryPeer's `honey` table (src/database.c): event_timestamp ->
 * event_time (ms), event_uuid, collected_method -> collection_mode, created_by_node_id ->
 * collector_node_id, source_ip, destination_ip, called_number -> called_number_raw, transport_type ->
 * transport, method, user_agent, sip_message -> raw_message. The summary tables are maintained on every
 * write so that lists are index scans.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  event_time INTEGER NOT NULL,
  event_uuid TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  source_port INTEGER NOT NULL,
  source_family INTEGER NOT NULL CHECK (source_family IN (4, 6)),
  destination_ip TEXT NOT NULL,
  destination_port INTEGER NOT NULL,
  transport TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
  method TEXT NOT NULL,
  called_number_raw TEXT NOT NULL,
  called_number TEXT NOT NULL,
  user_agent TEXT,
  call_id TEXT,
  raw_message TEXT,
  collection_mode TEXT NOT NULL CHECK (collection_mode IN ('passive', 'responsive')),
  collector_node_id TEXT NOT NULL,
  origin TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_uuid ON events (event_uuid);
CREATE INDEX events_source_ip_time ON events (source_ip, event_time);
CREATE INDEX events_number_time ON events (called_number, event_time);
CREATE INDEX events_time ON events (event_time);
CREATE INDEX events_collector_time ON events (collector_node_id, event_time);
CREATE INDEX events_expires ON events (expires_at);

CREATE TABLE ips (
  ip TEXT PRIMARY KEY,
  family INTEGER NOT NULL CHECK (family IN (4, 6)),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  seen_count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  collectors INTEGER NOT NULL,
  local_count INTEGER NOT NULL,
  remote_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ips_last_seen ON ips (last_seen, ip);
CREATE INDEX ips_expires ON ips (expires_at);

CREATE TABLE ip_collectors (
  ip TEXT NOT NULL,
  collector_node_id TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  seen_count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (ip, collector_node_id)
) WITHOUT ROWID;
CREATE INDEX ip_collectors_collector ON ip_collectors (collector_node_id, ip);
CREATE INDEX ip_collectors_expires ON ip_collectors (expires_at);

CREATE TABLE numbers (
  number TEXT PRIMARY KEY,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  seen_count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  local_count INTEGER NOT NULL,
  remote_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX numbers_last_seen ON numbers (last_seen, number);
CREATE INDEX numbers_expires ON numbers (expires_at);

CREATE TABLE user_agents (
  value TEXT PRIMARY KEY,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  seen_count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX user_agents_last_seen ON user_agents (last_seen, value);
CREATE INDEX user_agents_expires ON user_agents (expires_at);

CREATE TABLE methods (
  value TEXT PRIMARY KEY,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  seen_count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX methods_last_seen ON methods (last_seen, value);
CREATE INDEX methods_expires ON methods (expires_at);
`,
  },
  {
    version: 2,
    name: 'signed records for peer-to-peer sharing',
    // One row per signed record (the collector's envelope, byte for byte): what this node serves to peers
    // on catch-up and lookups. `ip` is the record's key in normalised form, `collected_at` its time.
    sql: `
CREATE TABLE signed_records (
  id TEXT NOT NULL,
  event_uuid TEXT NOT NULL,
  ip TEXT NOT NULL,
  collector TEXT NOT NULL,
  collected_at INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX signed_records_id ON signed_records (id);
CREATE INDEX signed_records_time ON signed_records (collected_at);
CREATE INDEX signed_records_ip ON signed_records (ip, collected_at);
CREATE INDEX signed_records_expires ON signed_records (expires_at);
`,
  },
  {
    version: 3,
    name: 'events per minute',
    // Events per minute, source family and origin (local or not), kept on write so that counts per
    // hour or day over a week read at most ~40 000 small rows instead of scanning a million events.
    sql: `
CREATE TABLE event_counts (
  minute INTEGER NOT NULL,
  family INTEGER NOT NULL,
  local INTEGER NOT NULL,
  count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (minute, family, local)
) WITHOUT ROWID;
CREATE INDEX event_counts_expires ON event_counts (expires_at);
INSERT INTO event_counts (minute, family, local, count, expires_at)
  SELECT event_time - event_time % 60000, source_family, origin = 'local', count(*), max(expires_at)
  FROM events GROUP BY 1, 2, 3;
`,
  },
  {
    version: 4,
    name: 'covering index of the recent events of one IP',
    // `getIp` lists an IP's most recent events. Through (source_ip, event_time) every event cost a
    // descent of the events table (one random page each); this index carries every column of the list
    // but the raw message, with id right after event_time so that `ORDER BY event_time DESC, id DESC`
    // is a backward range scan without a sort. It has (source_ip, event_time) as its prefix, so it
    // replaces that index instead of adding a seventh one on every insert.
    sql: `
DROP INDEX IF EXISTS events_source_ip_time;
CREATE INDEX events_source_ip_recent ON events (source_ip, event_time, id, expires_at, event_uuid,
  source_port, destination_ip, destination_port, transport, method, called_number_raw, called_number,
  user_agent, call_id, collection_mode, collector_node_id, origin);
`,
  },
]

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

/**
 * Applies the missing migrations, each in its own transaction, recording each in `store_migrations`
 * and in `PRAGMA user_version`. Idempotent; refuses a database newer than this code.
 * Returns the versions applied by this call.
 */
export function runMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS store_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`)
  const current =
    (db.prepare('SELECT max(version) FROM store_migrations').pluck().get() as number | null) ?? 0
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version
  if (current > latest) throw new SchemaTooNewError(current, latest)
  const applied: number[] = []
  const insert = db.prepare('INSERT INTO store_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  for (const migration of migrations) {
    if (migration.version <= current) continue
    try {
      db.transaction(() => {
        db.exec(migration.sql)
        insert.run(migration.version, migration.name, Date.now())
        db.pragma(`user_version = ${Math.trunc(migration.version)}`)
      })()
    } catch (error) {
      throw new MigrationError(`migration ${migration.version} (${migration.name}) failed`, { cause: error })
    }
    applied.push(migration.version)
  }
  return applied
}
