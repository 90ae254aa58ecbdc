import { join } from 'node:path'
import { pino } from 'pino'
import { loadConfig } from '../../src/config/load-config.js'
import type { OptionKey } from '../../src/config/options.js'
import { type DaemonHandle, startDaemon } from '../../src/daemon.js'
import { tempDir } from './paths.js'

/** Starts the daemon in-process on ephemeral loopback ports with a fresh database. */
export async function startTestDaemon(
  cli: Partial<Record<OptionKey, unknown>> = {},
  file: Record<string, unknown> = {},
): Promise<{ daemon: DaemonHandle; dbFile: string; dir: string }> {
  const dir = tempDir()
  const dbFile = join(dir, 'sentrypeer.db')
  const config = loadConfig({
    cli: { dbFile, sipListen: ['127.0.0.1:0'], tlsListen: ['127.0.0.1:0'], ...cli },
    env: {},
  })
  const daemon = await startDaemon(
    { ...config, limits: { ...config.limits, ...(file.limits as object) } },
    {
      logger: pino({ level: 'silent' }),
    },
  )
  return { daemon, dbFile, dir }
}
