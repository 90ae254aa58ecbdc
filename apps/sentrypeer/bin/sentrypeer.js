#!/usr/bin/env node
// Entry point of the `sentrypeer` command. It checks the Node.js version before loading
// anything native, so an old Node gets a message instead of a crash in better-sqlite3.
const MIN_NODE_MAJOR = 22
const major = Number(process.versions.node.split('.')[0])
if (!(major >= MIN_NODE_MAJOR)) {
  process.stderr.write(
    `sentrypeer: Node.js >= ${MIN_NODE_MAJOR} is required (24 LTS recommended); this is ${process.version}.\n` +
      'Run it with `pnpm sentrypeer -- <args>` (pnpm puts Node 24 from node_modules/.bin first), or install Node 24.\n',
  )
  process.exit(2)
}
const { main } = await import('../dist/cli.js')
process.exitCode = await main(process.argv)
