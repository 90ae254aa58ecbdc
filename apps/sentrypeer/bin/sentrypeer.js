#!/usr/bin/env node
import { readFileSync } from 'node:fs'

// Entry point of the `sentrypeer` command. It checks the Node.js version before loading
// anything native, so an old Node gets a message instead of a crash in better-sqlite3.
// 22.12: the store loads kysely with require() of an ES module on its first list query.
const MIN_NODE = [22, 12]
const [major, minor] = process.versions.node.split('.').map(Number)
if (!(major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]))) {
  process.stderr.write(
    `sentrypeer: Node.js >= ${MIN_NODE.join('.')} is required (24 LTS recommended); this is ${process.version}.\n` +
      'Run it with `pnpm sentrypeer -- <args>` (pnpm puts Node 24 from node_modules/.bin first), or install Node 24.\n',
  )
  process.exit(2)
}
// V8 sizes the young generation for throughput (64 MiB semi-spaces on a large machine), the largest part
// of the RSS under a SIP flood; 2 MiB saves about 30 MB of peak RSS against 8 MiB for about 10 % more
// main-thread CPU per transaction (docs/benchmarks.md, Ingest). The old generation grows by 20 % over
// what survived a full GC, not by V8's dynamic factor (up to 4x): under a 20,000/s flood peak RSS fell
// from 175-218 MB to 146-154 MB for the same CPU per transaction. V8 flags are fixed at start, so the
// process replaces itself once (execve: same pid) with the flags, and with glibc limited to 2 malloc
// arenas, unless the semi-space flag was given (command line or NODE_OPTIONS).
const SEMI_SPACE_MB = 2
const HEAP_GROWING_PERCENT = 20
// Without Maglev (V8's mid-tier compiler: hot code goes from Sparkplug straight to TurboFan) and with one
// background TurboFan thread, the compilers take less memory when a flood makes the SIP path hot: peak
// RSS 93.8-96.0 MB against 97.6-109.7 MB at 20,000/s. A P2P node warms up far more code (libp2p) and has
// no RSS target: there the same flags slowed a catch-up of 100,000 records by about 0.8 s (10.2 / 9.7 /
// 10.9 s against 9.2 / 9.2 / 10.0 s), so they apply only when P2P is not asked for.
const LEAN_JIT_FLAGS = ['--no-maglev', '--concurrent-turbofan-max-threads=1']

/**
 * Whether this run asks for P2P (`-p`), judged before the configuration is loaded, with its precedence:
 * command line, then SENTRYPEER_PEER_TO_PEER, then the config file's `peerToPeer`. Only the V8 tuning
 * depends on it: a wrong guess (an unreadable config file, say) costs memory or speed, never behaviour.
 */
function peerToPeerAsked(args, env) {
  // -p alone or in a cluster of short flags (-rp), or --peer-to-peer
  if (args.some((a) => a === '--peer-to-peer' || /^-[A-Za-z]*p[A-Za-z]*$/.test(a))) return true
  // The words of parseEnvBoolean (src/config/load-config.ts); importing it would load the whole CLI
  // bundle before the re-exec.
  const fromEnv = (env.SENTRYPEER_PEER_TO_PEER ?? '').trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(fromEnv)) return true
  if (['0', 'false', 'no', 'off'].includes(fromEnv)) return false
  const at = args.findIndex((a) => a === '-g' || a === '--config-file')
  const file = at === -1 ? env.SENTRYPEER_CONFIG_FILE : args[at + 1]
  if (file === undefined) return false
  try {
    return JSON.parse(readFileSync(file, 'utf8')).peerToPeer === true
  } catch {
    return false // the daemon itself reports a bad config file
  }
}

const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
if (
  typeof process.execve === 'function' &&
  process.platform !== 'win32' &&
  !flags.some((f) => f.startsWith('--max-semi-space-size'))
) {
  try {
    process.execve(
      process.execPath,
      [
        process.execPath,
        `--max-semi-space-size=${SEMI_SPACE_MB}`,
        `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
        ...(peerToPeerAsked(process.argv.slice(2), process.env) ? [] : LEAN_JIT_FLAGS),
        ...process.execArgv,
        ...process.argv.slice(1),
      ],
      { MALLOC_ARENA_MAX: '2', ...process.env },
    )
  } catch {
    // Not replaced (no execve here): run as started, with V8's default young generation.
  }
}
const { main } = await import('../dist/cli.js')
process.exitCode = await main(process.argv)
