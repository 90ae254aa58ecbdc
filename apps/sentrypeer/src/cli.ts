import { Command, CommanderError, Option } from 'commander'
import { EXIT_CONFIG_ERROR } from './config/constants.js'
import { ConfigError } from './config/errors.js'
import { formatListenAddress } from './config/listen-address.js'
import { loadConfig } from './config/load-config.js'
import { OPTIONS, type OptionKey } from './config/options.js'
import { type DaemonHandle, startDaemon } from './daemon.js'
import { APP_NAME, APP_VERSION } from './version.js'

/** Exit code when the daemon cannot start (listener or TLS failure). */
const EXIT_START_FAILED = 1

function buildProgram(): Command {
  const program = new Command()
  program
    .name(APP_NAME)
    .description('SIP honeypot that records bad actors and shares blocklists peer to peer')
    .version(APP_VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .argument('[command...]', '`id`: print the P2P peer id; `lookup IP`: ask the P2P network about an IP')
  for (const spec of OPTIONS) {
    const flags = `${spec.short ? `-${spec.short}, ` : ''}--${spec.long}${spec.arg ? ` <${spec.arg}>` : ''}`
    const env = spec.env.length > 0 ? ` [env ${spec.env.join(', ')}]` : ''
    const option = new Option(flags, spec.description + env)
    if (spec.kind === 'list') {
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    }
    program.addOption(option)
  }
  return program
}

/** Runs `sentrypeer id` or `sentrypeer lookup IP` and resolves to the exit code. */
async function runCommand(
  command: string,
  args: string[],
  cli: Partial<Record<OptionKey, unknown>>,
  env: Record<string, string | undefined>,
): Promise<number> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig({ cli, env })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${APP_NAME}: invalid configuration\n${err.message}\n`)
      return EXIT_CONFIG_ERROR
    }
    throw err
  }
  const { runP2pCommand } = await import('./p2p/run-p2p-command.js')
  const result = await runP2pCommand(command, args, config, env)
  if (result.stdout !== undefined) process.stdout.write(result.stdout)
  if (result.stderr !== undefined) process.stderr.write(`${APP_NAME}: ${result.stderr}\n`)
  return result.code
}

/** Resolves when SIGINT or SIGTERM arrives. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}

/**
 * Runs the `sentrypeer` command line and resolves to the process exit code: 0 after a clean stop on
 * SIGINT/SIGTERM, 2 for a configuration error, 1 when the daemon cannot start.
 *
 * @example
 * process.exitCode = await main(process.argv)
 */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const program = buildProgram()
  // `pnpm sentrypeer -- --help` passes the `--` through; drop it so options still parse.
  const args = argv[2] === '--' ? [...argv.slice(0, 2), ...argv.slice(3)] : argv
  try {
    program.parse(args)
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0
      return EXIT_CONFIG_ERROR
    }
    throw err
  }
  const cli = program.opts<Partial<Record<OptionKey, unknown>>>()
  // `--no-share` makes commander default `share` to true; only values given on the command line count.
  for (const key of Object.keys(cli)) {
    if (program.getOptionValueSource(key) === 'default') delete cli[key as OptionKey]
  }
  const command = program.args[0]
  if (command !== undefined) return runCommand(command, program.args.slice(1), cli, env)

  // Listen for the signals before anything is started or reported ready, so none is missed.
  const signalled = waitForSignal()
  let daemon: DaemonHandle
  try {
    const config = loadConfig({ cli, env })
    daemon = await startDaemon(config)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${APP_NAME}: invalid configuration\n${err.message}\n`)
      return EXIT_CONFIG_ERROR
    }
    process.stderr.write(`${APP_NAME}: cannot start: ${(err as Error).message}\n`)
    return EXIT_START_FAILED
  }
  const { logger, listening } = daemon
  const onHup = (): void => daemon.outputs.reopen()
  process.on('SIGHUP', onHup)
  logger.info(
    {
      version: APP_VERSION,
      nodeId: daemon.nodeId,
      mode: daemon.config.sipResponsive ? 'responsive' : 'passive',
      udp: listening.udp.map(formatListenAddress),
      tcp: listening.tcp.map(formatListenAddress),
      tls: listening.tls.map(formatListenAddress),
      db: daemon.config.dbFile,
      storeWriter: daemon.storeWriterThread ? 'thread' : 'event loop',
      ...(daemon.p2p !== undefined ? { peerId: daemon.p2p.peerId, p2p: daemon.p2p.multiaddrs } : {}),
      ...(daemon.api !== undefined ? { api: daemon.api.url } : {}),
    },
    'sentrypeer ready',
  )
  // With -R nothing else may hold the event loop open: keep the process alive until a signal.
  const keepAlive = setInterval(() => {}, 2 ** 30)
  const signal = await signalled
  clearInterval(keepAlive)
  logger.info({ signal }, 'stopping')
  process.off('SIGHUP', onHup)
  await daemon.close()
  logger.info({ counters: daemon.counters, store: daemon.store.stats() }, 'stopped')
  logger.flush?.()
  return 0
}
