import { type ChildProcess, spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import type { Logger } from 'pino'
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_LOGGER_COMMAND,
  DEFAULT_SYSLOG_MAX_BUFFER_BYTES,
  DEFAULT_SYSLOG_PRIORITY,
  DEFAULT_SYSLOG_READY_MS,
  DEFAULT_SYSLOG_RESTART_MAX_MS,
  DEFAULT_SYSLOG_RESTART_MIN_MS,
  DEFAULT_SYSLOG_SOCKET,
  DEFAULT_SYSLOG_STABLE_MS,
  SYSLOG_IDENT,
} from './constants.js'
import type { EventSink, SinkStats } from './event-sink.js'
import { type SyslogLineLimits, syslogLine } from './syslog-line.js'

/** Where syslog lines go: a local Unix datagram socket (default `/dev/log`) or a remote syslog server. */
export type SyslogTarget = { socket: string } | { host: string; port: number; protocol?: 'udp' | 'tcp' }

export interface SyslogSinkInit extends SyslogLineLimits {
  target?: SyslogTarget
  /** syslog tag; default `sentrypeer` (the Fail2Ban filter's `journalmatch` uses it). */
  ident?: string
  /** facility.severity; default `auth.notice`. */
  priority?: string
  /** PID written in `ident[pid]`; default this process. */
  pid?: number
  /** The `logger(1)` executable; default `logger` from PATH. */
  loggerCommand?: string
  maxBufferBytes?: number
  restartMinMs?: number
  restartMaxMs?: number
  stableMs?: number
  readyMs?: number
  /** Diagnostics (logger exits and its error output). */
  logger?: Logger
}

export interface SyslogSink extends EventSink {
  /** Ends the `logger` input and waits for it to exit, killing it after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>
  stats(): SyslogStats
}

export interface SyslogStats extends SinkStats {
  /** Times the `logger` process exited or failed to start while the sink was open. */
  loggerFailures: number
  /** Whether a `logger` process is running now. */
  running: boolean
}

/** The `logger(1)` arguments for a target (exported for the tests and the README). */
export function loggerArgs(init: Pick<SyslogSinkInit, 'target' | 'ident' | 'priority' | 'pid'>): string[] {
  const args = [
    `--id=${init.pid ?? process.pid}`,
    '-t',
    init.ident ?? SYSLOG_IDENT,
    '-p',
    init.priority ?? DEFAULT_SYSLOG_PRIORITY,
    '--rfc3164',
  ]
  const target = init.target ?? { socket: DEFAULT_SYSLOG_SOCKET }
  if ('socket' in target) {
    args.push('--socket-errors=on', '-u', target.socket)
  } else {
    args.push('-n', target.host, '-P', String(target.port))
    args.push(target.protocol === 'tcp' ? '-T' : '-d')
  }
  return args
}

/**
 * syslog sink: writes SentryPeer's `Source IP: ..., Method: ..., Agent: ...` line per event. Node has no
 * Unix datagram sockets, so one long-lived `logger(1)` child reads the lines from its stdin and sends
 * them (RFC 3164). If it dies it is restarted with exponential backoff; lines wait in a bounded buffer
 * meanwhile and are dropped (counted) beyond it.
 *
 * @example
 * ```ts
 * const sink = createSyslogSink({ target: { socket: '/dev/log' } })
 * sink.write(event)
 * await sink.close()
 * ```
 */
export function createSyslogSink(init: SyslogSinkInit = {}): SyslogSink {
  const command = init.loggerCommand ?? DEFAULT_LOGGER_COMMAND
  const args = loggerArgs(init)
  const maxBuffer = init.maxBufferBytes ?? DEFAULT_SYSLOG_MAX_BUFFER_BYTES
  const restartMin = init.restartMinMs ?? DEFAULT_SYSLOG_RESTART_MIN_MS
  const restartMax = init.restartMaxMs ?? DEFAULT_SYSLOG_RESTART_MAX_MS
  const stableMs = init.stableMs ?? DEFAULT_SYSLOG_STABLE_MS
  const readyMs = init.readyMs ?? DEFAULT_SYSLOG_READY_MS
  const target = init.target ?? { socket: DEFAULT_SYSLOG_SOCKET }
  const socketPath = 'socket' in target ? target.socket : undefined
  const stats = { accepted: 0, delivered: 0, dropped: 0, loggerFailures: 0 }
  let child: ChildProcess | undefined
  let pending: string[] = []
  let pendingBytes = 0
  let consecutiveFailures = 0
  let restartTimer: NodeJS.Timeout | undefined
  let readyTimer: NodeJS.Timeout | undefined
  let ready = false
  let closed = false
  let closing: Promise<void> | undefined

  const start = (): void => {
    restartTimer = undefined
    if (closed) return
    const startedAt = Date.now()
    if (socketPath !== undefined) {
      // logger exits at once on a missing socket; do not hand it lines it would lose.
      let isSocket = false
      try {
        isSocket = statSync(socketPath).isSocket()
      } catch {}
      if (!isSocket) {
        onDown(undefined, new Error(`syslog socket ${socketPath} is missing`), startedAt)
        return
      }
    }
    let proc: ChildProcess
    try {
      proc = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] })
    } catch (err) {
      onDown(undefined, err, startedAt)
      return
    }
    child = proc
    ready = false
    let failed = false
    const fail = (err: unknown, code?: number | null, signal?: NodeJS.Signals | null) => {
      if (failed) return
      failed = true
      if (child === proc) child = undefined
      onDown({ code, signal }, err, startedAt)
    }
    proc.on('error', (err) => fail(err))
    proc.on('exit', (code, signal) => fail(undefined, code, signal))
    proc.stdin?.on('error', () => {
      // EPIPE when logger died; the 'exit' handler restarts it.
    })
    proc.stderr?.setEncoding('utf8')
    proc.stderr?.on('data', (text: string) => {
      init.logger?.warn({ command, stderr: text.trim() }, 'syslog logger reported an error')
    })
    // logger also exits at once when nobody listens on the socket: keep lines pending until it has
    // survived its first moments.
    readyTimer = setTimeout(() => {
      readyTimer = undefined
      if (child !== proc) return
      ready = true
      const queued = pending
      pending = []
      pendingBytes = 0
      for (const line of queued) send(line)
    }, readyMs)
    readyTimer.unref()
  }

  const onDown = (
    exit: { code?: number | null; signal?: NodeJS.Signals | null } | undefined,
    err: unknown,
    startedAt: number,
  ): void => {
    if (readyTimer) clearTimeout(readyTimer)
    readyTimer = undefined
    ready = false
    if (closed) return
    stats.loggerFailures += 1
    if (Date.now() - startedAt >= stableMs) consecutiveFailures = 0
    const delay = Math.min(restartMax, restartMin * 2 ** consecutiveFailures)
    consecutiveFailures += 1
    init.logger?.warn(
      { err, code: exit?.code, signal: exit?.signal, restartInMs: delay, failures: stats.loggerFailures },
      'syslog logger process stopped; restarting',
    )
    restartTimer = setTimeout(start, delay)
    restartTimer.unref()
  }

  const send = (line: string): void => {
    const bytes = Buffer.byteLength(line) + 1
    const stdin = child?.stdin
    if (ready && stdin && !stdin.destroyed && stdin.writable) {
      if (stdin.writableLength + bytes > maxBuffer) {
        stats.dropped += 1
        return
      }
      stdin.write(`${line}\n`)
      stats.delivered += 1
      return
    }
    if (pendingBytes + bytes > maxBuffer) {
      stats.dropped += 1
      return
    }
    pending.push(line)
    pendingBytes += bytes
  }

  start()

  return {
    write(event) {
      stats.accepted += 1
      if (closed) {
        stats.dropped += 1
        return
      }
      send(syslogLine(event, init))
    },
    stats() {
      return { ...stats, running: child !== undefined }
    },
    close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      if (closing) return closing
      closed = true
      if (restartTimer) clearTimeout(restartTimer)
      if (readyTimer) clearTimeout(readyTimer)
      readyTimer = undefined
      // A logger still in its first moments gets the pending lines now: it has a chance to send them.
      const stdin = child?.stdin
      if (!ready && stdin && !stdin.destroyed && stdin.writable) {
        for (const line of pending) {
          stdin.write(`${line}\n`)
          stats.delivered += 1
        }
        pending = []
      }
      stats.dropped += pending.length
      pending = []
      pendingBytes = 0
      const proc = child
      closing = new Promise<void>((resolve) => {
        if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
          resolve()
          return
        }
        const timer = setTimeout(() => {
          // Past the deadline: whatever logger still holds is lost.
          proc.kill('SIGKILL')
          resolve()
        }, timeoutMs)
        proc.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
        // EOF on stdin: logger sends what it has read and exits.
        proc.stdin?.end()
      })
      return closing
    },
  }
}
