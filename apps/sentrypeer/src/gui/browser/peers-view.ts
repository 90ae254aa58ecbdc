import { HttpError, type NetworkStats, type PeersResponse } from '@sentrypeer/client'
import { h, replace } from './dom.js'
import { formatCount, formatTime } from './format.js'
import type { GuiContext } from './gui-context.js'
import { table } from './table.js'

/** 404 (route absent) or 503 (P2P not started) both mean: no P2P on this node. */
export function isP2pOff(err: unknown): boolean {
  return err instanceof HttpError && (err.status === 404 || err.status === 503)
}

function fact(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)]
}

function totals(stats: NetworkStats | undefined): HTMLElement {
  if (stats === undefined) return h('p', { class: 'muted' }, 'Network totals are not available.')
  if (!stats.analytics && stats.nodes === 0) {
    return h(
      'p',
      { class: 'muted' },
      'Opt-in analytics are off on this node (start it with --analytics to see network totals).',
    )
  }
  return table(
    `Network totals from ${stats.nodes} node${stats.nodes === 1 ? '' : 's'} (opt-in analytics)`,
    ['Counter', 'Total'],
    Object.entries(stats.totals).map(([k, v]) => [k, formatCount(v)]),
    'No totals reported yet.',
  )
}

/**
 * The P2P panel: this node's identity and counters, every peer's standing (earned, grace, none) with
 * the reason and its records in the window, and the network totals; "P2P is off" when the routes
 * answer 404 or 503.
 */
export async function renderPeers(ctx: GuiContext, main: HTMLElement): Promise<void> {
  replace(main, h('h2', {}, 'Peers'), h('p', { class: 'muted' }, 'Loading…'))
  let peers: PeersResponse
  try {
    peers = await ctx.api.getPeers()
  } catch (err) {
    if (!ctx.current()) return
    if (isP2pOff(err)) {
      replace(
        main,
        h('h2', {}, 'Peers'),
        h(
          'p',
          { id: 'p2p-off', class: 'notice' },
          'P2P is off on this node. Start SentryPeer with -p to share and receive bad actors with peers.',
        ),
      )
      return
    }
    replace(main, h('h2', {}, 'Peers'), h('p', { class: 'muted' }, 'Could not load the peers.'))
    ctx.fail(err)
    return
  }
  const stats = await ctx.api.getNetworkStats().catch((err: unknown) => {
    if (!isP2pOff(err)) ctx.fail(err)
    return undefined
  })
  if (!ctx.current()) return
  replace(
    main,
    h('h2', {}, 'Peers'),
    h(
      'dl',
      { class: 'facts' },
      ...fact('This node', peers.peer_id),
      ...fact('Sharing', peers.sharing ? 'on' : 'off (receives nothing: tit-for-tat)'),
      ...fact('Confirmations needed', String(peers.confirmations)),
      ...fact('Peers connected', formatCount(peers.peers_connected)),
      ...fact('Records held', formatCount(peers.records)),
      ...fact(
        'Published / received / rejected',
        `${formatCount(peers.records_published)} / ${formatCount(peers.records_received)} / ${formatCount(peers.records_rejected)}`,
      ),
    ),
    table(
      'Peer standing',
      ['Peer', 'Standing', 'Why', 'Records in window', 'Connected', 'Last seen', 'Invalid', 'Refused'],
      peers.peers.map((p) => [
        h('code', { class: 'peer-id' }, p.peer_id),
        h('span', { class: `standing standing-${p.status}` }, p.status),
        p.reason,
        formatCount(p.own_records_in_window),
        p.connected ? 'yes' : 'no',
        p.last_seen === null ? '' : formatTime(p.last_seen),
        formatCount(p.invalid_records),
        formatCount(p.requests_refused),
      ]),
      'No peers yet.',
    ),
    h('h3', {}, 'Network'),
    totals(stats),
  )
}
