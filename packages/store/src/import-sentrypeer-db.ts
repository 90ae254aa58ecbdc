import Database from 'better-sqlite3'
import { DEFAULT_IMPORT_CHUNK } from './constants.js'
import type { EventErrorCode } from './errors.js'
import { ImportSourceError } from './errors.js'
import { normalizeNumber as defaultNormalizeNumber } from './normalize-number.js'
import { parseSentryPeerTimestamp } from './sentrypeer-timestamp.js'
import type { SipEventInput, Store } from './store.js'
import { validateEvent } from './validate-event.js'

/** Options of {@link importSentryPeerDb}. */
export interface ImportInit {
  /** `origin` of the imported events (default `'local'`: the old database was this node's). */
  origin?: string
  /** Collector id for rows whose `created_by_node_id` is empty (default `'sentrypeer-import'`). */
  defaultCollectorNodeId?: string
  /** Normalises `called_number` (default: `normalizeNumber`, RFC 3966 visual separators removed). */
  normalizeNumber?: (number: string) => string
  /** Rows written between two yields to the event loop (default 2048). */
  chunk?: number
}

/**
 * Why rows were skipped: an event error code, `'EXPIRED'` for rows older than the store's max age, or
 * `'REFUSED'` when the store did not accept the event (closed, or its own limits).
 */
export type ImportSkipReason = EventErrorCode | 'EXPIRED' | 'REFUSED'

export interface ImportResult {
  /** Rows accepted into the store (a row whose event UUID is already stored is ignored by the store). */
  imported: number
  /** Rows not imported: invalid or already expired. */
  skipped: number
  /** Skipped rows by reason. */
  reasons: Partial<Record<ImportSkipReason, number>>
}

const REQUIRED_COLUMNS = [
  'event_timestamp',
  'event_uuid',
  'collected_method',
  'created_by_node_id',
  'source_ip',
  'destination_ip',
  'called_number',
  'transport_type',
  'method',
  'user_agent',
  'sip_message',
]

interface HoneyRow {
  event_timestamp: unknown
  event_uuid: unknown
  collected_method: unknown
  created_by_node_id: unknown
  source_ip: unknown
  destination_ip: unknown
  called_number: unknown
  transport_type: unknown
  method: unknown
  user_agent: unknown
  sip_message: unknown
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return undefined
}

/**
 * Imports the `honey` table of an original SentryPeer SQLite database (`sentrypeer import-sentrypeer-db
 * FILE`). The file is opened read-only and streamed row by row; each row is validated like any other
 * event, bad rows are counted and skipped, rows already older than the store's max age are skipped as
 * `EXPIRED`. SentryPeer did not record ports: they are stored as 0. Throws {@link ImportSourceError} only
 * if the file is not a SentryPeer database.
 *
 * @example
 * ```ts
 * const { imported, skipped } = await importSentryPeerDb(store, 'sentrypeer.db')
 * ```
 */
export async function importSentryPeerDb(
  store: Store,
  file: string,
  init: ImportInit = {},
): Promise<ImportResult> {
  let source: Database.Database
  try {
    source = new Database(file, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new ImportSourceError(`cannot open ${file} read-only`, { cause: error })
  }
  const result: ImportResult = { imported: 0, skipped: 0, reasons: {} }
  const skip = (reason: ImportSkipReason) => {
    result.skipped++
    result.reasons[reason] = (result.reasons[reason] ?? 0) + 1
  }
  try {
    let columns: string[]
    try {
      columns = (source.prepare("SELECT name FROM pragma_table_info('honey')").pluck().all() as string[]).map(
        (name) => name.toLowerCase(),
      )
    } catch (error) {
      throw new ImportSourceError(`${file} is not an SQLite database`, { cause: error })
    }
    const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name))
    if (columns.length === 0 || missing.length > 0) {
      throw new ImportSourceError(
        columns.length === 0
          ? `${file} has no honey table`
          : `${file}: honey table lacks columns ${missing.join(', ')}`,
      )
    }
    const origin = init.origin ?? 'local'
    const fallbackCollector = init.defaultCollectorNodeId ?? 'sentrypeer-import'
    const normalize = init.normalizeNumber ?? defaultNormalizeNumber
    const chunk = init.chunk ?? DEFAULT_IMPORT_CHUNK
    const rows = source
      .prepare(`SELECT ${REQUIRED_COLUMNS.join(', ')} FROM honey ORDER BY rowid`)
      .iterate() as IterableIterator<HoneyRow>
    let sinceYield = 0
    for (const row of rows) {
      const time = parseSentryPeerTimestamp(text(row.event_timestamp) ?? '')
      if (time === undefined) {
        skip('INVALID_TIME')
        continue
      }
      const now = Date.now()
      if (time + store.maxAgeMs <= now) {
        skip('EXPIRED')
        continue
      }
      const calledNumber = text(row.called_number) ?? ''
      const collector = text(row.created_by_node_id)
      const event = {
        eventTime: time,
        eventUuid: text(row.event_uuid),
        sourceIp: text(row.source_ip),
        sourcePort: 0,
        destinationIp: text(row.destination_ip),
        destinationPort: 0,
        transport: text(row.transport_type)?.toLowerCase(),
        method: text(row.method),
        calledNumberRaw: calledNumber,
        calledNumberNormalized: normalize(calledNumber),
        userAgent: text(row.user_agent),
        rawMessage: text(row.sip_message),
        collectionMode: text(row.collected_method)?.toLowerCase(),
        collectorNodeId: collector === undefined || collector === '' ? fallbackCollector : collector,
        origin,
      } as SipEventInput
      const checked = validateEvent(event, { now })
      if (!checked.ok) {
        skip(checked.error.code)
        continue
      }
      if (!store.record(event)) {
        // The queue is full (or the event broke a store-specific limit): write and try once more.
        await store.flush()
        if (!store.record(event)) {
          skip('REFUSED')
          continue
        }
      }
      result.imported++
      if (++sinceYield >= chunk) {
        sinceYield = 0
        await store.flush()
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
    }
    await store.flush()
    return result
  } finally {
    source.close()
  }
}
