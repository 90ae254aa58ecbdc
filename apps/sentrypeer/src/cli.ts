import { Command } from 'commander'
import { APP_NAME, APP_VERSION } from './version.js'

/**
 * Runs the `sentrypeer` command line and resolves to the process exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command()
  program
    .name(APP_NAME)
    .description('SIP honeypot that records bad actors and shares blocklists peer to peer')
    .version(APP_VERSION, '-V, --version', 'print the version and exit')
    .exitOverride()
  // `pnpm sentrypeer -- --help` passes the `--` through; drop it so options still parse.
  const args = argv[2] === '--' ? [...argv.slice(0, 2), ...argv.slice(3)] : argv
  try {
    await program.parseAsync(args)
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode
    return typeof code === 'number' ? code : 1
  }
  return 0
}
