import {
  BIRD_PROTOCOL_V4,
  BIRD_PROTOCOL_V6,
  BLACKHOLE_COMMUNITY,
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

export type BlocklistFormat = 'plain' | 'ipset' | 'nftables' | 'bird'

/**
 * What {@link formatBlocklist} reads: the entries in any order, or one source per family (read only
 * for the families asked for, IPv4 first). `bird` writes one block per family, so from a single
 * iterable it holds the IPv6 routes until the IPv4 block is done; per-family sources stream both.
 */
export type BlocklistSource = Iterable<BlocklistEntry> | ((family: 4 | 6) => Iterable<BlocklistEntry>)

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

/** One BIRD 2 static route: a host route, blackholed, tagged with the RFC 7999 BLACKHOLE community. */
function birdRoute(e: BlocklistEntry): string {
  const [asn, value] = BLACKHOLE_COMMUNITY
  return `  route ${e.ip}/${e.family === 4 ? 32 : 128} blackhole { bgp_community.add((${asn}, ${value})); };`
}

/**
 * `format=bird`: a file for BIRD 2's `include`, with a `protocol static` block per family asked for
 * (`sentrypeer_v4` on channel `ipv4`, `sentrypeer_v6` on `ipv6`). A block without routes is valid.
 */
function* formatBird(
  source: BlocklistSource,
  init: FormatBlocklistInit,
  families: readonly (4 | 6)[],
): Generator<string, void, undefined> {
  let perFamily: (family: 4 | 6) => Iterable<BlocklistEntry>
  if (typeof source === 'function') perFamily = source
  else {
    // One pass over mixed entries: the first family streams, the other is held for its own block.
    const held: BlocklistEntry[] = []
    const first = families[0]
    perFamily = (family) =>
      family !== first
        ? held
        : (function* () {
            for (const e of source) {
              if (e.family === family) yield e
              else if (families.includes(e.family) && e.expiresAt > init.now) held.push(e)
            }
          })()
  }
  const [asn, value] = BLACKHOLE_COMMUNITY
  yield header(init) +
    `# BIRD 2: include this file from bird.conf; blackhole host routes tagged with (${asn}, ${value}), BLACKHOLE of RFC 7999\n`
  for (const family of families) {
    yield `protocol static ${family === 4 ? BIRD_PROTOCOL_V4 : BIRD_PROTOCOL_V6} {\n  ipv${family};\n`
    let chunk: string[] = []
    for (const e of perFamily(family)) {
      if (e.expiresAt <= init.now || e.family !== family) continue
      chunk.push(birdRoute(e))
      if (chunk.length >= STREAM_CHUNK_ITEMS) {
        yield `${chunk.join('\n')}\n`
        chunk = []
      }
    }
    yield `${chunk.length > 0 ? `${chunk.join('\n')}\n` : ''}}\n`
  }
}

/**
 * Renders the firewall feed as text chunks, streaming: `plain` (one address per line after `#`
 * comments), `ipset` (`ipset restore` input: `hash:ip` sets with timeouts, every line `-exist`),
 * `nftables` (an atomic `nft -f` script: `table inet sentrypeer`, sets with `flags timeout`, a drop
 * chain, element timeouts = remaining expiry), or `bird` (BIRD 2 `protocol static` blocks of blackhole
 * host routes tagged with the RFC 7999 BLACKHOLE community). Entries already expired are skipped.
 */
export function* formatBlocklist(
  source: BlocklistSource,
  init: FormatBlocklistInit,
): Generator<string, void, undefined> {
  const wants4 = init.family !== 6
  const wants6 = init.family !== 4
  const families: (4 | 6)[] = wants4 && wants6 ? [4, 6] : wants4 ? [4] : [6]
  if (init.format === 'bird') {
    yield* formatBird(source, init, families)
    return
  }
  const entries =
    typeof source === 'function'
      ? (function* () {
          for (const family of families) yield* source(family)
        })()
      : source
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
