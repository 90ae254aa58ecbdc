import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openStore, type SipEventInput, type Store } from '@sentrypeer/store'

/** A controllable clock shared by the store and the API server. */
export interface Clock {
  t: number
  now: () => number
}

export function createClock(start = Date.now()): Clock {
  const clock: Clock = { t: start, now: () => clock.t }
  return clock
}

/** A real store in a fresh temporary SQLite file. */
export function tempStore(
  clock: Clock,
  maxAgeMs?: number,
): { store: Store; dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentrypeer-api-'))
  const store = openStore({
    path: path.join(dir, 'sentrypeer.db'),
    pruneIntervalMs: 0,
    now: clock.now,
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
  })
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function sipEvent(
  overrides: Partial<SipEventInput> & { sourceIp: string },
  clock: Clock,
): SipEventInput {
  return {
    eventTime: clock.t,
    eventUuid: randomUUID(),
    sourcePort: 5060,
    destinationIp: '127.0.0.1',
    destinationPort: 5060,
    transport: 'udp',
    method: 'INVITE',
    calledNumberRaw: '0044123456789',
    calledNumberNormalized: '0044123456789',
    userAgent: 'friendly-scanner',
    callId: randomUUID(),
    collectionMode: 'passive',
    collectorNodeId: 'node-a',
    origin: 'local',
    ...overrides,
  }
}

/** Sends raw bytes (for requests fetch refuses to send) and resolves when the server closes the connection. */
export function sendRaw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => {
      data += chunk
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(data))
    socket.end(request)
  })
}

/** Fails clearly (never skips) when a Debian tool the test needs is missing. */
export function requireTool(name: string, aptPackage: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
  } catch {
    throw new Error(`${name} is not installed: apt-get install -y ${aptPackage} (see .ci/run)`)
  }
}
