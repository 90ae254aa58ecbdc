import { DatabaseSync } from 'node:sqlite'

export interface EventRow {
  source_ip: string
  source_port: number
  destination_port: number
  transport: string
  method: string
  called_number: string
  called_number_raw: string
  user_agent: string | null
  call_id: string | null
  collection_mode: string
  collector_node_id: string
}

/** Reads the events table of a SentryPeer database file with SQLite itself (read-only). */
export function readEvents(dbFile: string): EventRow[] {
  const db = new DatabaseSync(dbFile, { readOnly: true })
  try {
    return db
      .prepare(
        'SELECT source_ip, source_port, destination_port, transport, method, called_number, called_number_raw, user_agent, call_id, collection_mode, collector_node_id FROM events ORDER BY id',
      )
      .all() as unknown as EventRow[]
  } finally {
    db.close()
  }
}

/** `PRAGMA integrity_check` of a database file. */
export function integrityCheck(dbFile: string): string {
  const db = new DatabaseSync(dbFile)
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>
    return rows.map((r) => r.integrity_check).join('\n')
  } finally {
    db.close()
  }
}
