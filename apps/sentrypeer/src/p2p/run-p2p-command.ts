import { dirname, join, resolve } from 'node:path'
import { createClient, HttpError, InvalidArgumentError } from '@sentrypeer/client'
import { loadOrCreateKey } from '@sentrypeer/share'
import { formatListenAddress } from '../config/listen-address.js'
import type { SentryPeerConfig } from '../config/schema.js'
import { P2P_KEY_FILE_NAME } from './constants.js'

/** Output of a P2P subcommand. */
export interface CommandResult {
  code: number
  stdout?: string
  stderr?: string
}

/** Exit codes of `sentrypeer lookup`: found, not reported by anyone, usage, API unreachable or P2P off. */
export const EXIT_LOOKUP_FOUND = 0
export const EXIT_LOOKUP_NOT_FOUND = 1
export const EXIT_USAGE = 2
export const EXIT_LOOKUP_UNAVAILABLE = 3

/** The P2P identity file of a configuration: `--p2p-key`, else next to the database. */
export function p2pKeyFile(config: Pick<SentryPeerConfig, 'dbFile' | 'p2pKey'>): string {
  return config.p2pKey ?? join(dirname(resolve(config.dbFile)), P2P_KEY_FILE_NAME)
}

/**
 * `sentrypeer id`: prints the node's P2P peer id (creating the identity on first run).
 * `sentrypeer lookup IP`: asks the running daemon's API (`GET /network/ip-addresses/{ip}`), which asks
 * the network, and prints the JSON answer. The token, if the API has one, comes from
 * `SENTRYPEER_API_TOKEN`.
 *
 * @example
 * const { code, stdout } = await runP2pCommand('id', [], config, process.env)
 */
export async function runP2pCommand(
  command: string,
  args: string[],
  config: SentryPeerConfig,
  env: Record<string, string | undefined>,
): Promise<CommandResult> {
  if (command === 'id' && args.length === 0) {
    const file = p2pKeyFile(config)
    try {
      const key = await loadOrCreateKey(file)
      return { code: 0, stdout: `${key.publicKey.toString()}\n` }
    } catch (err) {
      return { code: EXIT_USAGE, stderr: `cannot load the P2P key ${file}: ${(err as Error).message}` }
    }
  }
  if (command === 'lookup' && args.length === 1) {
    const ip = args[0] as string
    const host = config.apiListen.host
    const connectHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
    const baseUrl = `http://${formatListenAddress({ ...config.apiListen, host: connectHost })}`
    const token = env.SENTRYPEER_API_TOKEN
    const client = createClient({ baseUrl, ...(token ? { token } : {}), timeoutMs: 120_000 })
    try {
      const answer = await client.getNetworkIpAddress(ip)
      return { code: EXIT_LOOKUP_FOUND, stdout: `${JSON.stringify(answer, null, 2)}\n` }
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) {
        return { code: EXIT_LOOKUP_NOT_FOUND, stderr: `${ip}: no report from the network` }
      }
      if (err instanceof InvalidArgumentError) {
        return { code: EXIT_USAGE, stderr: `${ip} is not an IP address` }
      }
      return {
        code: EXIT_LOOKUP_UNAVAILABLE,
        stderr: `lookup through the API at ${baseUrl} failed (is the daemon running with -a and -p?): ${(err as Error).message}`,
      }
    }
  }
  return {
    code: EXIT_USAGE,
    stderr: `unknown command "${[command, ...args].join(' ')}": use \`sentrypeer id\` or \`sentrypeer lookup IP\``,
  }
}
