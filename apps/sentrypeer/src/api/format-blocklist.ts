import {
  BLOCKLIST_SET_V4,
  BLOCKLIST_SET_V6,
  IPSET_MAX_TIMEOUT_S,
  IPSET_MAXELEM,
  NFT_ELEMENTS_PER_STATEMENT,
  NFT_TABLE,
  STREAM_CHUNK_ITEMS,
} from './constants.js'

/** One blocked address and when it leaves the list (ms epoch). */
export interface BlocklistEntry {
  ip: string
  family: 4 | 6
  expiresAt: number
}

export type BlocklistFormat = 'plain' | 'ipset' | 'nftables'

/** Options of {@link formatBlocklist}. */
export interface FormatBlocklistInit {
  format: BlocklistFormat
  /** Only this family (both when absent). */
  family?: 4 | 6
  /** Current time (ms epoch): element timeouts are `expiresAt - now`, rounded up to whole seconds. */
  now: number
  /** Default set timeout in seconds (the store's retention). */
  defaultTimeoutS: number
  version: string
}

/** Remaining seconds until `expiresAt`, at least 1 (0 would mean "permanent" to ipset). */
export function remainingSeconds(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil((expiresAt - now) / 1000))
}

function header(init: FormatBlocklistInit): string {
  const family = init.family === undefined ? 'IPv4 and IPv6' : `IPv${init.family} only`
  return (
    `# SentryPeer ${init.version} blocklist (${init.format}), ${family}\n` +
    `# generated ${new Date(init.now).toISOString()}; entries expire when not seen again\n`
  )
}

/**
 * Renders the firewall feed as text chunks, streaming: `plain` (one address per line after `#`
 * comments), `ipset` (`ipset restore` input: `hash:ip` sets with timeouts, every line `-exist`), or
 * `nftables` (an atomic `nft -f` script: `table inet sentrypeer`, sets with `flags timeout`, a drop
 * chain, element timeouts = remaining expiry). Entries already expired are skipped.
 */
export function* formatBlocklist(
  entries: Iterable<BlocklistEntry>,
  init: FormatBlocklistInit,
): Generator<string, void, undefined> {
  const wants4 = init.family !== 6
  const wants6 = init.family !== 4
  const defaultTimeout = Math.min(IPSET_MAX_TIMEOUT_S, Math.max(1, Math.round(init.defaultTimeoutS)))
  if (init.format === 'plain') {
    yield header(init)
    let chunk: string[] = []
    for (const e of entries) {
      if (e.expiresAt <= init.now || (e.family === 4 ? !wants4 : !wants6)) continue
      chunk.push(e.ip)
      if (chunk.length >= STREAM_CHUNK_ITEMS) {
        yield `${chunk.join('\n')}\n`
        chunk = []
      }
    }
    if (chunk.length > 0) yield `${chunk.join('\n')}\n`
    return
  }
  if (init.format === 'ipset') {
    let out = header(init)
    if (wants4) {
      out += `create ${BLOCKLIST_SET_V4} hash:ip family inet timeout ${defaultTimeout} maxelem ${IPSET_MAXELEM} -exist\n`
      out += `flush ${BLOCKLIST_SET_V4}\n`
    }
    if (wants6) {
      out += `create ${BLOCKLIST_SET_V6} hash:ip family inet6 timeout ${defaultTimeout} maxelem ${IPSET_MAXELEM} -exist\n`
      out += `flush ${BLOCKLIST_SET_V6}\n`
    }
    yield out
    let chunk: string[] = []
    for (const e of entries) {
      if (e.expiresAt <= init.now || (e.family === 4 ? !wants4 : !wants6)) continue
      const timeout = Math.min(IPSET_MAX_TIMEOUT_S, remainingSeconds(e.expiresAt, init.now))
      chunk.push(
        `add ${e.family === 4 ? BLOCKLIST_SET_V4 : BLOCKLIST_SET_V6} ${e.ip} timeout ${timeout} -exist`,
      )
      if (chunk.length >= STREAM_CHUNK_ITEMS) {
        yield `${chunk.join('\n')}\n`
        chunk = []
      }
    }
    if (chunk.length > 0) yield `${chunk.join('\n')}\n`
    return
  }
  // nftables: one transaction (nft -f is atomic), so the table is replaced as a whole.
  const v4 = 'blocklist_v4'
  const v6 = 'blocklist_v6'
  let out = `#!/usr/sbin/nft -f\n${header(init)}table inet ${NFT_TABLE} {\n`
  if (wants4)
    out += `  set ${v4} {\n    type ipv4_addr\n    flags timeout\n    timeout ${defaultTimeout}s\n  }\n`
  if (wants6)
    out += `  set ${v6} {\n    type ipv6_addr\n    flags timeout\n    timeout ${defaultTimeout}s\n  }\n`
  out += '  chain input {\n    type filter hook input priority filter - 10; policy accept;\n  }\n}\n'
  out += `flush chain inet ${NFT_TABLE} input\n`
  if (wants4) out += `flush set inet ${NFT_TABLE} ${v4}\n`
  if (wants6) out += `flush set inet ${NFT_TABLE} ${v6}\n`
  if (wants4) out += `add rule inet ${NFT_TABLE} input ip saddr @${v4} counter drop\n`
  if (wants6) out += `add rule inet ${NFT_TABLE} input ip6 saddr @${v6} counter drop\n`
  yield out
  const pending: Record<4 | 6, string[]> = { 4: [], 6: [] }
  const emit = (family: 4 | 6): string => {
    const line = `add element inet ${NFT_TABLE} ${family === 4 ? v4 : v6} { ${pending[family].join(', ')} }\n`
    pending[family] = []
    return line
  }
  for (const e of entries) {
    if (e.expiresAt <= init.now || (e.family === 4 ? !wants4 : !wants6)) continue
    pending[e.family].push(`${e.ip} timeout ${remainingSeconds(e.expiresAt, init.now)}s`)
    if (pending[e.family].length >= NFT_ELEMENTS_PER_STATEMENT) yield emit(e.family)
  }
  if (pending[4].length > 0) yield emit(4)
  if (pending[6].length > 0) yield emit(6)
}
