import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { appRoot, binPath } from './paths.js'

export interface DaemonProcess {
  child: ChildProcess
  /** Everything written to stderr so far. */
  stderr(): string
  stdout(): string
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>
}

/**
 * Spawns the real `bin/sentrypeer.js` (the built CLI) with a clean environment: no SENTRYPEER_*
 * variables leak in from the caller. Resolves once the daemon logs that it is ready, or rejects with its
 * output if it exits first.
 */
export async function spawnDaemon(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; waitReady?: boolean } = {},
): Promise<DaemonProcess> {
  if (!existsSync(join(appRoot, 'dist', 'cli.js'))) {
    throw new Error('dist/cli.js is missing: build the app first (pnpm --filter sentrypeer build)')
  }
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('SENTRYPEER_')) env[k] = v
  }
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: opts.cwd ?? appRoot,
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  let out = ''
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    err += s
  })
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s
  })
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1))
  })
  const handle: DaemonProcess = {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
  if (opts.waitReady === false) return handle
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (err.includes('"msg":"sentrypeer ready"')) {
        child.stderr?.off('data', check)
        resolve()
      }
    }
    child.stderr?.on('data', check)
    void exited.then((code) => reject(new Error(`daemon exited with ${code} before ready:\n${err}\n${out}`)))
  })
  return handle
}

/**
 * The fields of a daemon's `sentrypeer ready` log line (listen addresses, API URL, peer and node ids),
 * from its stderr; throws with the output when the daemon never logged it.
 */
export function readyLine<T = Record<string, unknown>>(daemon: DaemonProcess | string): T {
  const stderr = typeof daemon === 'string' ? daemon : daemon.stderr()
  const line = stderr.split('\n').find((l) => l.includes('"msg":"sentrypeer ready"'))
  if (line === undefined) throw new Error(`no "sentrypeer ready" line in:\n${stderr}`)
  return JSON.parse(line) as T
}
