import { FEED_PREVIEW_LINES } from '../constants.js'
import { h, replace } from './dom.js'
import type { GuiContext } from './gui-context.js'

interface Feed {
  format: 'plain' | 'ipset' | 'nftables' | 'bird'
  title: string
  what: string
  pipe: string
}

const FEEDS: Feed[] = [
  {
    format: 'plain',
    title: 'Plain list',
    what: 'one address per line, for scripts and other firewalls',
    pipe: '',
  },
  {
    format: 'ipset',
    title: 'ipset',
    what: 'ipset restore input: sets sentrypeer-v4 and sentrypeer-v6 with timeouts',
    pipe: ' | ipset restore -exist',
  },
  {
    format: 'nftables',
    title: 'nftables',
    what: 'an atomic nft -f script: table inet sentrypeer with timed sets and a drop rule',
    pipe: ' | nft -f -',
  },
  {
    format: 'bird',
    title: 'BIRD 2 (BGP blackhole)',
    what: 'a BIRD 2 include file: static protocols sentrypeer_v4 and sentrypeer_v6 of blackhole host routes tagged with the RFC 7999 BLACKHOLE community (65535:666)',
    pipe: ' -o /etc/bird/sentrypeer.conf.new && mv /etc/bird/sentrypeer.conf.new /etc/bird/sentrypeer.conf && birdc configure',
  },
]

/** Single-quotes a URL for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`
}

async function copy(text: string, status: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    status.textContent = 'Copied.'
  } catch {
    status.textContent = 'Copy failed: select the command and copy it by hand.'
  }
}

/**
 * The firewall feeds: a link to each `/blocklist` format and the one-line command that loads it
 * (the token, when one is needed, is read from `$SENTRYPEER_API_TOKEN`, never written on the page).
 */
export function renderFeeds(ctx: GuiContext, main: HTMLElement): void {
  const auth = ctx.hasToken ? ' -H "Authorization: Bearer $SENTRYPEER_API_TOKEN"' : ''
  const sections = FEEDS.map((feed) => {
    const path = `blocklist?format=${feed.format}`
    const url = new URL(path, ctx.baseUrl).href
    const command = `curl -fsS${auth} ${shellQuote(url)}${feed.pipe}`
    const status = h('span', { class: 'muted', role: 'status' })
    const preview = h('pre', {
      class: 'preview',
      hidden: true,
      tabindex: 0,
      'aria-label': `${feed.title} preview`,
    })
    return h(
      'section',
      { class: 'feed', 'aria-labelledby': `feed-${feed.format}` },
      h('h3', { id: `feed-${feed.format}` }, feed.title),
      h('p', {}, feed.what, ' — ', h('a', { href: path }, url)),
      h('pre', {}, h('code', { id: `command-${feed.format}` }, command)),
      h(
        'p',
        {},
        h('button', { type: 'button', onclick: () => void copy(command, status) }, 'Copy command'),
        ' ',
        h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              try {
                const text = await ctx.api.getBlocklist({ format: feed.format })
                const lines = text.split('\n')
                preview.textContent =
                  lines.slice(0, FEED_PREVIEW_LINES).join('\n') +
                  (lines.length > FEED_PREVIEW_LINES
                    ? `\n… ${lines.length - FEED_PREVIEW_LINES} more lines`
                    : '')
                preview.hidden = false
              } catch (err) {
                ctx.fail(err)
              }
            },
          },
          'Preview',
        ),
        ' ',
        status,
      ),
      preview,
    )
  })
  replace(
    main,
    h('h2', {}, 'Firewall feeds'),
    h(
      'p',
      {},
      'Confirmed bad actors (seen here, or reported by enough distinct peers), without allowlisted addresses. ',
      'Add ',
      h('code', {}, '&family=4'),
      ' or ',
      h('code', {}, '&family=6'),
      ' to a URL for one address family. Run the commands as root, for example from a timer every few minutes.',
    ),
    ...sections,
  )
}
