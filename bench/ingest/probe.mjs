// Diagnostic preload of the ingest bench (`run.mjs --probe`): `node --import ./probe.mjs bin/sentrypeer.js
// <args>` prints one `probe {...}` line per second to stderr with the memory breakdown, in MB, of the main
// thread (process.memoryUsage) and of the store writer thread (worker.getHeapStatistics), and the longest
// event-loop stall of that second in ms (a SQLite commit or WAL checkpoint on the event loop shows there).
// A preload survives the bin's re-execution with V8 flags (it passes process.execArgv on).
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { isMainThread, Worker } from 'node:worker_threads'

const workers = new Set()
const originalPost = Worker.prototype.postMessage
Worker.prototype.postMessage = function (...args) {
  workers.add(this)
  return originalPost.apply(this, args)
}
const mb = (n) => Math.round((n / 1048576) * 10) / 10
const loopDelay = monitorEventLoopDelay({ resolution: 5 })
loopDelay.enable()
setInterval(async () => {
  const m = process.memoryUsage()
  const line = {
    rss: mb(m.rss),
    heapTotal: mb(m.heapTotal),
    heapUsed: mb(m.heapUsed),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
  }
  // The preload runs in the writer thread too: only the main thread's loop carries the sockets.
  if (isMainThread) line.loopStallMs = Math.round(loopDelay.max / 1e5) / 10
  loopDelay.reset()
  for (const w of workers) {
    try {
      const h = await w.getHeapStatistics()
      line.writerHeapTotal = mb(h.total_heap_size)
      line.writerHeapUsed = mb(h.used_heap_size)
    } catch {
      // the writer has exited
    }
  }
  process.stderr.write(`probe ${JSON.stringify(line)}\n`)
}, 1000).unref()
