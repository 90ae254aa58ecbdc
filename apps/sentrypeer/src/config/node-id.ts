import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { NODE_ID_FILE_NAME } from './constants.js'
import { ConfigError } from './errors.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Returns the node id: `explicit` when given (-N), otherwise the UUID stored in `sentrypeer-node-id`
 * next to the database, creating it on first run.
 *
 * @example
 * const nodeId = resolveNodeId('/var/lib/sentrypeer/sentrypeer.db')
 */
export function resolveNodeId(dbFile: string, explicit?: string): string {
  if (explicit !== undefined) return explicit
  const path = join(dirname(resolve(dbFile)), NODE_ID_FILE_NAME)
  try {
    const stored = readFileSync(path, 'utf8').trim()
    if (UUID.test(stored)) return stored
    throw new ConfigError(path, `does not hold a UUID; delete it to create a new node id`)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const id = randomUUID()
  mkdirSync(dirname(path), { recursive: true })
  try {
    writeFileSync(path, `${id}\n`, { flag: 'wx' })
  } catch (err) {
    // Another process created it between our read and write: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim()
    throw err
  }
  return id
}
