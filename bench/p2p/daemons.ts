/**
 * Helpers of the P2P benchmarks: a network namespace with public-looking attacker addresses, and real
 * `sentrypeer` daemon processes (the built CLI) whose stderr (pino JSON lines) is kept for analysis.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = join(repoRoot, 'apps', 'sentrypeer', 'bin', 'sentrypeer.js')

export interface Daemon {
  child: ChildProcess
  peerId: string
  addr: string
  api: string
  sipPort?: number
  /** pino JSON lines written so far */
  lines: Array<Record<string, unknown>>
  stop(): Promise<void>
}

export async function startDaemon(args: string[]): Promise<Daemon> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('SENTRYPEER_')) env[k] = v
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  const lines: Array<Record<string, unknown>> = []
  let partial = ''
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const ready = new Promise<Record<string, unknown>>((resolveReady, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk
      const parts = partial.split('\n')
      partial = parts.pop() ?? ''
      for (const p of parts) {
        try {
          const line = JSON.parse(p) as Record<string, unknown>
          lines.push(line)
          if (line.msg === 'sentrypeer ready') resolveReady(line)
        } catch {
          // not JSON
        }
      }
    })
    void exited.then(() => reject(new Error(`sentrypeer ${args.join(' ')} exited before ready`)))
  })
  const info = (await ready) as { peerId: string; p2p: string[]; api: string; udp: string[] }
  const udp = info.udp[0]
  return {
    child,
    peerId: info.peerId,
    addr: info.p2p[0] ?? '',
    api: info.api,
    ...(udp !== undefined ? { sipPort: Number(udp.slice(udp.lastIndexOf(':') + 1)) } : {}),
    lines,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

export interface Netns {
  ns: string
  honeypotIp: string
  attackerIp: string
  exec(args: string[]): void
  remove(): void
}

/** A namespace with a veth pair: the honeypot side in the root namespace, the attacker in the namespace. */
export function createNetns(): Netns {
  const tag = `${process.pid % 100_000}`
  const ns = `spbench${tag}`
  const root = `vsb${tag}r`
  const peer = `vsb${tag}n`
  const octet = 1 + (process.pid % 250)
  const honeypotIp = `45.78.${octet}.1`
  const attackerIp = `45.78.${octet}.2`
  const ip = (args: string[]): void => {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })
  }
  try {
    ip(['netns', 'add', ns])
  } catch (err) {
    throw new Error(`needs root for ip netns: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`)
  }
  ip(['link', 'add', root, 'type', 'veth', 'peer', 'name', peer])
  ip(['link', 'set', peer, 'netns', ns])
  ip(['addr', 'add', `${honeypotIp}/24`, 'dev', root])
  ip(['link', 'set', root, 'up'])
  ip(['netns', 'exec', ns, 'ip', 'addr', 'add', `${attackerIp}/24`, 'dev', peer])
  ip(['netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up'])
  return {
    ns,
    honeypotIp,
    attackerIp,
    exec: (args) => ip(['netns', 'exec', ns, ...args]),
    remove: () => {
      try {
        ip(['netns', 'del', ns])
      } catch {
        // already gone
      }
    },
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
