// Ingest benchmark: sustained UDP OPTIONS from sipp at fixed rates against (1) the null responder and
// (2) the real daemon in responsive mode, on the same machine in the same run. For each rate it reports
// the transactions sipp sent, the replies it matched, the rows the daemon recorded in SQLite, the loss and
// the daemon's peak RSS.
//
//   node_modules/.bin/node bench/ingest/run.mjs [--rates 5000,10000,15000] [--duration 10] [--repeat 1]
//     [--bin other-entry.js]... [--probe]
//
// --bin (repeatable) runs each given entry point in place of bin/sentrypeer.js, one after the other in
// the same step (an A/B comparison of two builds in the same minute). --probe preloads probe.mjs in the
// daemon and adds the peak of its memory breakdown (main-thread V8 heap, array buffers, writer-thread
// heap) and its longest event-loop stall to each row.
//
// Needs the built app (pnpm --filter sentrypeer... build) and sipp on PATH.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '..', '..')
const bin = join(repoRoot, 'apps', 'sentrypeer', 'bin', 'sentrypeer.js')
const args = process.argv.slice(2)
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? def : args[i + 1]
}
const rates = opt('rates', '5000,10000,15000,20000').split(',').map(Number)
const duration = Number(opt('duration', '10'))
// On a shared machine other jobs steal CPU in bursts: repeat each step and print every run.
const repeat = Number(opt('repeat', '1'))
const PORT = Number(opt('port', '35060'))
const bins = args.flatMap((a, i) => (a === '--bin' ? [resolve(args[i + 1])] : []))
if (bins.length === 0) bins.push(bin)
const probe = args.includes('--probe')

function waitLine(child, text) {
  return new Promise((res, rej) => {
    let buf = ''
    const on = (d) => {
      buf += d
      if (buf.includes(text)) {
        child.stdout.off('data', on)
        child.stderr.off('data', on)
        res()
      }
    }
    child.stdout.setEncoding('utf8').on('data', on)
    child.stderr.setEncoding('utf8').on('data', on)
    child.once('exit', (c) => rej(new Error(`exited ${c} before "${text}": ${buf}`)))
  })
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

/** CPU seconds (user + system) of the whole process and of its main thread, from /proc. */
function cpuSeconds(pid) {
  const ticks = (file) => {
    const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  }
  return { total: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) }
}

function runSipp(rate) {
  const calls = rate * duration
  const started = process.hrtime.bigint()
  return new Promise((res) => {
    const child = spawn(
      'sipp',
      [
        `127.0.0.1:${PORT}`,
        '-sf',
        join(here, 'options.xml'),
        '-t',
        'u1',
        '-nr',
        '-i',
        '127.0.0.1',
        '-s',
        '100',
        '-r',
        String(rate),
        '-rp',
        '1000',
        '-m',
        String(calls),
        '-l',
        String(rate * 6),
        '-timeout',
        String(duration + 30),
        '-nostdin',
        '-buff_size',
        String(8 * 1024 * 1024),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d
      if (out.length > 1_000_000) out = out.slice(-200_000)
    })
    child.on('exit', () => {
      const cum = (label) => {
        const all = [...out.matchAll(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`, 'g'))]
        return Number(all.at(-1)?.[1] ?? Number.NaN)
      }
      // Wall time of the sipp run (includes its start-up and the last replies): a slight underestimate of the rate.
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      res({
        created: cum('Outgoing calls created'),
        ok: cum('Successful call'),
        failed: cum('Failed call'),
        seconds,
      })
    })
  })
}

async function one(kind, rate, entry = bin) {
  const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-bench-'))
  const db = join(dir, 'sentrypeer.db')
  const child =
    kind === 'null'
      ? spawn(process.execPath, [join(here, 'null-responder.mjs'), '127.0.0.1', String(PORT)], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(
          process.execPath,
          [
            ...(probe ? ['--import', pathToFileURL(join(here, 'probe.mjs')).href, entry] : [entry]),
            '-r',
            '-f',
            db,
            '--sip-listen',
            `127.0.0.1:${PORT}`,
            '-z',
            '127.0.0.1:0',
          ],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
            cwd: dir,
          },
        )
  const peak = {}
  if (probe && kind === 'daemon') {
    let buf = ''
    child.stderr.on('data', (d) => {
      buf += d
      const lines = buf.split('\n')
      buf = lines.pop()
      for (const l of lines) {
        if (!l.startsWith('probe ')) continue
        for (const [k, v] of Object.entries(JSON.parse(l.slice(6)))) peak[k] = Math.max(peak[k] ?? 0, v)
      }
    })
  }
  await waitLine(child, kind === 'null' ? 'ready' : 'sentrypeer ready')
  const cpuBefore = cpuSeconds(child.pid)
  const sipp = await runSipp(rate)
  const rss = peakRssMb(child.pid)
  const cpuAfter = cpuSeconds(child.pid)
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
  let rows = Number.NaN
  if (kind === 'daemon') {
    const d = new DatabaseSync(db, { readOnly: true })
    rows = Number(d.prepare('SELECT count(*) AS n FROM events').get().n)
    d.close()
  }
  rmSync(dir, { recursive: true, force: true })
  const lossReplies = (sipp.created - sipp.ok) / sipp.created
  const lossRows = kind === 'daemon' ? (sipp.created - rows) / sipp.created : 0
  // CPU per handled transaction (rows recorded, or replies for the null responder): comparable between
  // builds even when other jobs steal the CPU and the loss figures move.
  const handled = kind === 'daemon' ? rows : sipp.ok
  const cpuUs = {
    main: ((cpuAfter.main - cpuBefore.main) / handled) * 1e6,
    total: ((cpuAfter.total - cpuBefore.total) / handled) * 1e6,
  }
  return {
    kind,
    rate,
    ...sipp,
    rows,
    rss,
    peak,
    cpuUs,
    lossReplies,
    lossRows,
    achieved: sipp.ok / sipp.seconds,
  }
}

const pct = (x) => `${(x * 100).toFixed(3)} %`
console.log(
  `ingest bench: ${duration} s per step, sipp -nr (no retransmissions), UDP loopback, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
for (const [i, b] of bins.entries()) console.log(`daemon ${i + 1}: ${b}`)
console.log(
  `| server | target/s | sent | replies matched | rows in SQLite | reply loss | row loss | achieved/s | peak RSS | CPU µs/txn main (all threads) |${probe ? ' peak MB: main heap / array buffers / writer heap | longest event-loop stall, ms |' : ''}`,
)
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |${probe ? ' --- | --- |' : ''}`)
for (const rate of rates) {
  const runs = [['null'], ...bins.map((b) => ['daemon', b])]
  for (const [kind, entry] of Array.from({ length: repeat }, () => runs).flat()) {
    const r = await one(kind, rate, entry)
    const name =
      kind === 'null'
        ? 'null responder'
        : `sentrypeer -r${bins.length > 1 ? ` (${bins.indexOf(entry) + 1})` : ''}`
    const p = r.peak
    const mem = !probe
      ? ''
      : kind === 'daemon'
        ? ` ${p.heapTotal} / ${p.arrayBuffers} / ${p.writerHeapTotal ?? '-'} | ${p.loopStallMs} |`
        : ' - | - |'
    console.log(
      `| ${name} | ${rate} | ${r.created} | ${r.ok} | ${kind === 'daemon' ? r.rows : '-'} | ${pct(r.lossReplies)} | ${kind === 'daemon' ? pct(r.lossRows) : '-'} | ${Math.round(r.achieved)} | ${r.rss.toFixed(1)} MB | ${r.cpuUs.main.toFixed(1)} (${r.cpuUs.total.toFixed(1)}) |${mem}`,
    )
  }
  console.log(`(load average after ${rate}/s: ${loadavg()[0].toFixed(2)})`)
}
