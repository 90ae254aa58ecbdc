// Event outputs benchmark: cost of Outputs.write() on the packet path and end-to-end throughput of the
// JSON log, the syslog sink (through logger(1) to a Unix datagram receiver) and the webhook (to a local
// node:http server in a child process).
// Run (from apps/sentrypeer): node --import ../../scripts/ts-resolve.mjs bench/outputs/outputs.bench.ts
// Sizes: BENCH_JSON_EVENTS (default 200000), BENCH_SYSLOG_EVENTS (20000), BENCH_WEBHOOK_EVENTS (5000).
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createJsonLogSink,
  createOutputs,
  createSyslogSink,
  createWebhookSink,
  type HoneypotEvent,
  toSentryPeerJson,
} from '../../src/outputs/index.js'

const JSON_EVENTS = Number(process.env.BENCH_JSON_EVENTS ?? 200_000)
const SYSLOG_EVENTS = Number(process.env.BENCH_SYSLOG_EVENTS ?? 20_000)
const WEBHOOK_EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5_000)

const RAW = [
  'INVITE sip:0046812345678@192.0.2.10 SIP/2.0',
  'Via: SIP/2.0/UDP 203.0.113.50:5071;branch=z9hG4bK-1815465218;rport',
  'Max-Forwards: 70',
  'From: "1000" <sip:1000@192.0.2.10>;tag=3439343936313338',
  'To: <sip:0046812345678@192.0.2.10>',
  'Call-ID: 593423491239-1093462@203.0.113.50',
  'CSeq: 1 INVITE',
  'User-Agent: friendly-scanner',
  'Content-Length: 0',
  '',
  '',
].join('\r\n')

function event(i: number): HoneypotEvent {
  return {
    eventTime: Date.now(),
    eventUuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    sourceIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    sourcePort: 5071,
    destinationIp: '192.0.2.10',
    destinationPort: 5060,
    transport: 'udp',
    method: 'INVITE',
    calledNumberRaw: '0046812345678',
    calledNumberNormalized: '46812345678',
    userAgent: 'friendly-scanner',
    callId: '593423491239-1093462@203.0.113.50',
    rawMessage: RAW,
    collectionMode: 'responsive',
    collectorNodeId: 'bench-node',
    origin: 'local',
  }
}

const events = Array.from({ length: Math.max(JSON_EVENTS, SYSLOG_EVENTS, WEBHOOK_EVENTS) }, (_, i) =>
  event(i),
)
const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-outputs-bench-'))
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits })
const rows: string[] = []
function report(what: string, value: string): void {
  rows.push(`| ${what} | ${value} |`)
  console.error(`${what}: ${value}`)
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) return false
    await new Promise((r) => setTimeout(r, 5))
  }
  return true
}

try {
  // 1. Mapping an event to SentryPeer JSON and serialising it.
  {
    const n = 200_000
    let bytes = 0
    for (let i = 0; i < 20_000; i++)
      JSON.stringify(toSentryPeerJson(events[i % events.length] as HoneypotEvent))
    const t0 = performance.now()
    for (let i = 0; i < n; i++)
      bytes += JSON.stringify(toSentryPeerJson(events[i % events.length] as HoneypotEvent)).length
    const ns = ((performance.now() - t0) * 1e6) / n
    report('toSentryPeerJson + JSON.stringify', `${fmt(ns)} ns/event (${fmt(bytes / n)} bytes/line)`)
  }

  // 2. JSON log: write() cost and end-to-end lines/s to the file. Events come in batches of BATCH with
  // the event loop turning in between, as datagrams do; one synchronous burst larger than the buffer
  // would be dropped (and counted) by design.
  {
    const BATCH = 100
    const file = join(dir, 'events.json')
    const sink = createJsonLogSink({ file, appVersion: 'bench' })
    let tWrite = 0
    const t0 = performance.now()
    for (let i = 0; i < JSON_EVENTS; i += BATCH) {
      const tb = performance.now()
      for (let j = i; j < Math.min(JSON_EVENTS, i + BATCH); j++) sink.write(events[j] as HoneypotEvent)
      tWrite += performance.now() - tb
      await new Promise((r) => setImmediate(r))
    }
    await sink.close(120_000)
    const tAll = performance.now() - t0
    const s = sink.stats()
    report(
      `JSON log, ${fmt(JSON_EVENTS)} events: write()`,
      `${fmt((tWrite * 1e6) / JSON_EVENTS)} ns/event (packet path)`,
    )
    report(
      'JSON log: written to disk',
      `${fmt(JSON_EVENTS / (tAll / 1000))} events/s, ${fmt(statSync(file).size / 1e6, 1)} MB, dropped ${s.dropped}`,
    )
  }

  // 3. syslog: write() cost, then lines/s through logger(1) into a Unix datagram receiver.
  {
    const socket = join(dir, 'log.sock')
    const receiver: ChildProcess = spawn(
      'python3',
      [
        '-u',
        '-c',
        [
          'import socket,sys,os',
          's=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)',
          's.setsockopt(socket.SOL_SOCKET,socket.SO_RCVBUF,4<<20)',
          `s.bind(${JSON.stringify(socket)})`,
          'print("READY",flush=True)',
          'n=0',
          'while True:',
          '  s.recv(65536); n+=1',
          '  if n%1000==0: print(n,flush=True)',
        ].join('\n'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let received = 0
    let ready = false
    receiver.stdout?.setEncoding('utf8')
    receiver.stdout?.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line === 'READY') ready = true
        else if (line) received = Number(line)
      }
    })
    await waitUntil(() => ready, 10_000)
    const sink = createSyslogSink({ target: { socket }, maxBufferBytes: 64 * 1024 * 1024 })
    await new Promise((r) => setTimeout(r, 200)) // logger up and past its ready delay
    const t0 = performance.now()
    for (let i = 0; i < SYSLOG_EVENTS; i++) sink.write(events[i] as HoneypotEvent)
    const tWrite = performance.now() - t0
    await sink.close(120_000)
    await waitUntil(() => received >= Math.floor(SYSLOG_EVENTS / 1000) * 1000, 60_000)
    const tAll = performance.now() - t0
    receiver.kill()
    await once(receiver, 'exit')
    report(
      `syslog, ${fmt(SYSLOG_EVENTS)} events: write()`,
      `${fmt((tWrite * 1e6) / SYSLOG_EVENTS)} ns/event (packet path)`,
    )
    report(
      'syslog: received by the Unix socket receiver',
      `${fmt(received)} of ${fmt(SYSLOG_EVENTS)} in ${fmt(tAll)} ms = ${fmt(received / (tAll / 1000))} lines/s`,
    )
  }

  // 4. Webhook: events/s POSTed to a local HTTP server in another process (4 concurrent POSTs).
  {
    const server: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        "const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>r.writeHead(204).end())});" +
          "s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>console.log(s.address().port))",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    server.stdout?.setEncoding('utf8')
    const [portText] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [string]
    const url = `http://127.0.0.1:${portText.trim()}/hook`
    const sink = createWebhookSink({ url, appVersion: 'bench', maxQueue: WEBHOOK_EVENTS })
    // warm-up: the first fetch() loads undici and opens the connections
    for (let i = 0; i < 8; i++) sink.write(events[i] as HoneypotEvent)
    await waitUntil(() => sink.stats().delivered >= 8, 30_000)
    const t0 = performance.now()
    for (let i = 0; i < WEBHOOK_EVENTS; i++) sink.write(events[i] as HoneypotEvent)
    const tWrite = performance.now() - t0
    await waitUntil(() => sink.stats().delivered + sink.stats().dropped >= WEBHOOK_EVENTS + 8, 120_000)
    const tAll = performance.now() - t0
    await sink.close()
    server.kill()
    await once(server, 'exit')
    const s = sink.stats()
    report(
      `webhook, ${fmt(WEBHOOK_EVENTS)} events: write()`,
      `${fmt((tWrite * 1e6) / WEBHOOK_EVENTS)} ns/event (packet path)`,
    )
    report(
      'webhook: delivered to a local HTTP server',
      `${fmt(s.delivered - 8)} in ${fmt(tAll)} ms = ${fmt((s.delivered - 8) / (tAll / 1000))} events/s, failures ${s.failures}`,
    )
  }

  // 5. Dead webhook: write() stays cheap and memory bounded while the queue is full.
  {
    const outputs = createOutputs({
      webhook: { url: 'http://127.0.0.1:9/hook', maxQueue: 10_000, retryMinMs: 1000 },
      appVersion: 'bench',
      nodeId: 'bench',
      closeTimeoutMs: 100,
    })
    global.gc?.()
    global.gc?.()
    const heap0 = process.memoryUsage().heapUsed
    const n = 200_000
    const t0 = performance.now()
    for (let i = 0; i < n; i++) outputs.write(events[i % events.length] as HoneypotEvent)
    const ns = ((performance.now() - t0) * 1e6) / n
    global.gc?.()
    const heap = process.memoryUsage().heapUsed
    await outputs.close()
    const s = outputs.stats()
    report(
      `dead webhook, ${fmt(n)} events: write()`,
      `${fmt(ns)} ns/event; queue held 10,000, dropped ${fmt(s.dropped)}; heap ${fmt(heap0 / 1e6, 1)} MB before, ${fmt(heap / 1e6, 1)} MB after`,
    )
  }

  const { loadavg, cpus } = await import('node:os')
  console.log(['| measure | figure |', '| --- | --- |', ...rows].join('\n'))
  console.log(
    `\n${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
