import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'

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

/**
 * A kysely instance used only to build and compile SQL (`.compile()`); the compiled statements run
 * synchronously on the store's better-sqlite3 connection.
 */
export const queryBuilder = new Kysely<StoreDatabase>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
})
