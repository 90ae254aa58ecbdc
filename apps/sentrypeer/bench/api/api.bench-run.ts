/**
 * HTTP API benchmark: 1M events from 100k IPs in a real SQLite store, the real server, and wrk
 * (Debian) with 2 threads and 32 connections. Prints a Markdown table for docs/benchmarks.md.
 *
 * Run: cd apps/sentrypeer && ../../node_modules/.bin/vitest run --config bench/api/vitest.config.ts
 * Sizes: BENCH_EVENTS (default 1000000), BENCH_IPS (default 100000), BENCH_SECONDS (default 10).
 * BENCH_DB=<file>: keep the loaded store in this file and reuse it on the next run (skips the load when
 * the file exists; the events are timed from the first load, so reuse it within a day).
 * BENCH_ONLY=<substring>: run only the rows whose route contains it (e.g. `{ip}`).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { openStore } from '@sentrypeer/store'
import { it } from 'vitest'
import { createAllowlist, createApiServer, createMetrics } from '../../src/api/index.js'

const run = promisify(execFile)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000)
const IPS = Number(process.env.BENCH_IPS ?? 100_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const DB = process.env.BENCH_DB
const ONLY = process.env.BENCH_ONLY

/** The i-th bench address, inside 198.18.0.0/15 (RFC 2544 benchmarking range, 131072 addresses). */
function ipOf(i: number): string {
  return `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`
}

interface WrkResult {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  transferPerSecond: string
  errors: string
  requests: number
}

function toMs(text: string): number {
  const m = text.match(/^([\d.]+)(us|ms|s|m)$/)
  if (m === null) return Number.NaN
  const v = Number(m[1])
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000
}

async function wrk(url: string, threads: number, connections: number, script?: string): Promise<WrkResult> {
  const args = [`-t${threads}`, `-c${connections}`, `-d${SECONDS}s`, '--latency', '--timeout', '10s']
  if (script !== undefined) args.push('-s', script)
  const { stdout } = await run('wrk', [...args, url], { maxBuffer: 1 << 20 })
  const rps = Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1])
  const p50 = toMs(stdout.match(/\s50%\s+(\S+)/)?.[1] ?? '')
  const p99 = toMs(stdout.match(/\s99%\s+(\S+)/)?.[1] ?? '')
  const transfer = stdout.match(/Transfer\/sec:\s+(\S+)/)?.[1] ?? '?'
  const requests = Number(stdout.match(/(\d+) requests in/)?.[1])
  const errors = [stdout.match(/Socket errors:.*/)?.[0], stdout.match(/Non-2xx.*/)?.[0]]
    .filter(Boolean)
    .join('; ')
  return {
    requestsPerSecond: rps,
    p50Ms: p50,
    p99Ms: p99,
    transferPerSecond: transfer,
    errors: errors || 'none',
    requests,
  }
}

it('API under wrk', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentrypeer-bench-api-'))
  const now = Date.now()
  const dbPath = DB === undefined ? path.join(dir, 'bench.db') : path.resolve(DB)
  const reuse = DB !== undefined && existsSync(dbPath)
  const store = openStore({ path: dbPath, pruneIntervalMs: 0 })
  const loadStart = performance.now()
  for (let n = 0; !reuse && n < EVENTS; n++) {
    const ip = ipOf(n % IPS)
    while (
      !store.record({
        eventTime: now - 6 * 86_400_000 + Math.floor((n / EVENTS) * 6 * 86_400_000),
        eventUuid: `bench-${n}`,
        sourceIp: ip,
        sourcePort: 5060,
        destinationIp: '127.0.0.1',
        destinationPort: 5060,
        transport: n % 3 === 0 ? 'tcp' : 'udp',
        method: n % 5 === 0 ? 'REGISTER' : 'INVITE',
        calledNumberRaw: `00${n % 5000}`,
        calledNumberNormalized: `00${n % 5000}`,
        userAgent: `scanner-${n % 50}`,
        collectionMode: 'passive',
        collectorNodeId: 'bench',
        origin: 'local',
      })
    ) {
      await store.flush()
    }
    if (n % 50_000 === 49_999) await store.flush()
  }
  await store.flush()
  const loadSeconds = (performance.now() - loadStart) / 1000

  const server = await createApiServer(
    { host: '127.0.0.1', port: 0 },
    { store, metrics: createMetrics(), allowlist: createAllowlist() },
  )
  /** Writes a wrk script asking for `/ip-addresses/{ip}<query>` of a random bench IP; returns its path. */
  const randomIpScript = (name: string, query: string): string => {
    const file = path.join(dir, name)
    writeFileSync(
      file,
      // wrk's Lua is LuaJIT (Lua 5.1): no bit operators, so split the index arithmetically.
      `math.randomseed(os.time())\nrequest = function()\n  local i = math.random(0, ${IPS - 1})\n` +
        `  local a = 18 + math.floor(i / 65536)\n  local b = math.floor(i / 256) % 256\n  local c = i % 256\n` +
        `  return wrk.format("GET", string.format("/ip-addresses/198.%d.%d.%d${query}", a, b, c))\nend\n`,
    )
    return file
  }
  const lua = randomIpScript('random-ip.lua', '?recent=20')
  const luaSummary = randomIpScript('random-ip-summary.lua', '')
  // Size of the big responses.
  const whole = ONLY === undefined ? await (await fetch(`${server.url}/ip-addresses`)).text() : ''
  const plain = ONLY === undefined ? await (await fetch(`${server.url}/blocklist?format=plain`)).text() : ''

  // One CrowdSec bouncer start-up pull of every IP: cold (methods looked up in the store), then warm.
  const pull = async (): Promise<[number, number]> => {
    const start = performance.now()
    const body = (await (await fetch(`${server.url}/v1/decisions/stream?startup=true`)).json()) as {
      new: unknown[]
    }
    return [performance.now() - start, body.new.length]
  }
  const [coldMs, decisionsCount] = ONLY === undefined ? await pull() : [0, 0]
  const [warmMs] = ONLY === undefined ? await pull() : [0]

  // [route, threads, connections, url, Lua script]; the first row is the HTTP stack alone on this
  // machine at this moment (the ceiling of every other row).
  const specs: Array<[string, number, number, string, string?]> = [
    ['`/health-check` (baseline)', 2, 32, `${server.url}/health-check`],
    ['`/ip-addresses/{ip}` (random of 100k; default: the summary, as C)', 2, 32, server.url, luaSummary],
    ['`/ip-addresses/{ip}?recent=20` (random of 100k)', 2, 32, server.url, lua],
    ['`/ip-addresses?limit=100` (first page)', 2, 32, `${server.url}/ip-addresses?limit=100`],
    ['`/ip-addresses?limit=100` (first page)', 1, 1, `${server.url}/ip-addresses?limit=100`],
    ['`/ip-addresses` (full list, streamed)', 2, 32, `${server.url}/ip-addresses`],
    ['`/ip-addresses` (full list, streamed)', 1, 1, `${server.url}/ip-addresses`],
    ['`/blocklist?format=plain`', 2, 32, `${server.url}/blocklist?format=plain`],
    ['`/blocklist?format=plain`', 1, 1, `${server.url}/blocklist?format=plain`],
  ]
  // The server runs in this process and wrk in a child: this process's CPU time over a row is the
  // server's (steadier than requests/s when other jobs share the CPUs).
  const rows: Array<[string, string, WrkResult, number]> = []
  for (const [label, threads, connections, url, script] of specs) {
    if (ONLY !== undefined && !label.includes(ONLY) && !label.includes('baseline')) continue
    const cpu = process.cpuUsage()
    const result = await wrk(url, threads, connections, script)
    const used = process.cpuUsage(cpu)
    rows.push([label, `-t${threads} -c${connections}`, result, (used.user + used.system) / result.requests])
  }
  const load = loadavg().map((l) => l.toFixed(1))

  const lines = [
    `Data: ${EVENTS.toLocaleString('en')} events from ${IPS.toLocaleString('en')} IPs loaded in ${loadSeconds.toFixed(1)} s; ` +
      `full \`/ip-addresses\` body ${(whole.length / 1e6).toFixed(1)} MB, plain blocklist ${(plain.length / 1e6).toFixed(1)} MB; ` +
      `wrk ${SECONDS} s per row. CrowdSec \`/v1/decisions/stream?startup=true\` (${decisionsCount.toLocaleString('en')} decisions): ` +
      `${coldMs.toFixed(0)} ms cold, ${warmMs.toFixed(0)} ms warm (one request). Load average at the end: ${load.join(' ')}.`,
    '',
    '| route | wrk | requests/s | p50 | p99 | server CPU/request | transfer/s | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      ([route, mode, r, cpuUs]) =>
        `| ${route} | ${mode} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} ms | ${r.p99Ms.toFixed(2)} ms | ${cpuUs.toFixed(0)} µs | ${r.transferPerSecond} | ${r.errors} |`,
    ),
  ]
  console.log(`\n${lines.join('\n')}\n`)
  await server.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})
