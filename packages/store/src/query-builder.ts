import { createRequire } from 'node:module'
import type * as KyselyModule from 'kysely'

/** The tables as kysely sees them (column names as in the migrations). */
export interface StoreDatabase {
  events: {
    id: number
    event_time: number
    event_uuid: string
    source_ip: string
    source_port: number
    source_family: number
    destination_ip: string
    destination_port: number
    transport: string
    method: string
    called_number_raw: string
    called_number: string
    user_agent: string | null
    call_id: string | null
    raw_message: string | null
    collection_mode: string
    collector_node_id: string
    origin: string
    expires_at: number
  }
  ips: {
    ip: string
    family: number
    first_seen: number
    last_seen: number
    seen_count: number
    expires_at: number
    collectors: number
    local_count: number
    remote_count: number
  }
  ip_collectors: {
    ip: string
    collector_node_id: string
    first_seen: number
    last_seen: number
    seen_count: number
    expires_at: number
  }
  numbers: {
    number: string
    first_seen: number
    last_seen: number
    seen_count: number
    expires_at: number
    local_count: number
    remote_count: number
  }
  event_counts: { minute: number; family: number; local: number; count: number; expires_at: number }
  user_agents: {
    value: string
    first_seen: number
    last_seen: number
    seen_count: number
    expires_at: number
  }
  methods: { value: string; first_seen: number; last_seen: number; seen_count: number; expires_at: number }
}

/** The package whose query builder compiles the list queries; required on first use only. */
const KYSELY_PACKAGE = 'kysely'

let instance: KyselyModule.Kysely<StoreDatabase> | undefined

/**
 * The kysely instance used only to build and compile SQL (`.compile()`); the compiled statements run
 * synchronously on the store's better-sqlite3 connection.
 *
 * Created, and kysely loaded, on the first call: only the list queries use it, while the write path,
 * migrations, pruning and the embedding look-ups run raw prepared statements. Importing kysely up front
 * cost every process that opens a store about 3.3 MB of V8 heap and 20 MB of RSS on Node 24 (after a
 * forced GC, around import + open + one record/flush), which a honeypot without its HTTP API never
 * uses. A synchronous `require` keeps the query methods synchronous; kysely ships only an ES module,
 * which `require` loads on Node >= 22.12 (it has no top-level await).
 */
export function queryBuilder(): KyselyModule.Kysely<StoreDatabase> {
  if (instance === undefined) {
    const { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } = createRequire(
      import.meta.url,
    )(KYSELY_PACKAGE) as typeof KyselyModule
    instance = new Kysely<StoreDatabase>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    })
  }
  return instance
}
