/**
 * The SentryPeer web GUI (browser entry point, bundled into `gui/app.js`): the overview, a live feed,
 * the IP and number tables with their detail views, the firewall feeds and the P2P panel. It talks to
 * the API of the daemon that served it, through `@sentrypeer/client`.
 */
import { ClientError, createClient, HttpError } from '@sentrypeer/client'
import { config as zodConfig } from 'zod'
import { DETAIL_RECENT_EVENTS, TOKEN_STORAGE_KEY } from '../constants.js'
import { renderDetail } from './detail-view.js'
import { h } from './dom.js'
import { ipLink, numberLink } from './events-table.js'
import { renderFeeds } from './feeds-view.js'
import { formatCount, formatTime } from './format.js'
import type { GuiContext } from './gui-context.js'
import { renderList } from './list-view.js'
import { createLiveFeed } from './live-feed.js'
import { renderOverview } from './overview-view.js'
import { isP2pOff, renderPeers } from './peers-view.js'

// The page's CSP forbids eval: keep the schemas from even trying their compiled fast path.
zodConfig({ jitless: true })

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`the page has no #${id}`)
  return el as T
}

const main = byId<HTMLElement>('main')
const statusLine = byId<HTMLElement>('status')
const tokenForm = byId<HTMLFormElement>('token-form')
const tokenInput = byId<HTMLInputElement>('token-input')
const tokenMessage = byId<HTMLElement>('token-message')
const forgetToken = byId<HTMLButtonElement>('token-forget')
const baseUrl = new URL('.', location.href).href
const live = createLiveFeed(
  byId<HTMLTableSectionElement>('live-body'),
  byId('live-state'),
  byId<HTMLButtonElement>('live-pause'),
)

let generation = 0

function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined
  } catch {
    return undefined
  }
}

function askForToken(rejected: boolean): void {
  tokenMessage.textContent = rejected
    ? 'The API rejected this token. Enter the token the daemon was started with (--api-token).'
    : 'This API needs a token. Enter the token the daemon was started with (--api-token).'
  tokenForm.hidden = false
  tokenInput.focus()
}

function context(): GuiContext {
  const token = storedToken()
  const mine = ++generation
  return {
    api: createClient({ baseUrl, ...(token !== undefined ? { token } : {}) }),
    baseUrl,
    hasToken: token !== undefined,
    current: () => mine === generation,
    fail(err) {
      if (err instanceof HttpError && err.status === 401) {
        askForToken(token !== undefined)
        return
      }
      const message = err instanceof ClientError ? `${err.code}: ${err.message}` : String(err)
      statusLine.textContent = `Request failed (${message}).`
    },
  }
}

function navigate(ctx: GuiContext, moveFocus: boolean): void {
  statusLine.textContent = ''
  const parts = location.hash.replace(/^#\/?/, '').split('/')
  const section = parts[0] ?? ''
  const arg = parts[1] === undefined ? undefined : decodeURIComponent(parts.slice(1).join('/'))
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
    const target = link.getAttribute('href')?.replace(/^#\/?/, '') ?? ''
    if (target === (section === '' ? 'overview' : section)) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  switch (section) {
    case 'ips':
      if (arg !== undefined) {
        void renderDetail(
          ctx,
          main,
          'IP address',
          arg,
          { href: '#/ips', text: 'all IP addresses' },
          () => ctx.api.getIpAddress(arg, { recent: DETAIL_RECENT_EVENTS }),
          () => networkLookup(ctx, arg),
        )
      } else {
        void renderList(ctx, main, {
          title: 'Bad actor IP addresses',
          id: 'ips',
          headers: ['IP address', 'Events', 'Last seen (UTC)'],
          family: true,
          fetch: async (c, query) => {
            const page = await c.api.listIpAddresses(query)
            return {
              rows: page.ip_addresses.map((a) => [
                ipLink(a.ip_address),
                formatCount(a.seen_count),
                formatTime(a.seen_last),
              ]),
              next: page.next_cursor,
            }
          },
        })
      }
      break
    case 'numbers':
      if (arg !== undefined) {
        void renderDetail(
          ctx,
          main,
          'Called number',
          arg,
          { href: '#/numbers', text: 'all called numbers' },
          () => ctx.api.getNumber(arg, { recent: DETAIL_RECENT_EVENTS }),
        )
      } else {
        void renderList(ctx, main, {
          title: 'Called numbers',
          id: 'numbers',
          headers: ['Called number', 'Attempts', 'Last seen (UTC)'],
          family: false,
          fetch: async (c, query) => {
            const page = await c.api.listNumbers(query)
            return {
              rows: page.called_numbers.map((n) => [
                numberLink(n.called_number),
                formatCount(n.seen_count),
                formatTime(n.seen_last),
              ]),
              next: page.next_cursor,
            }
          },
        })
      }
      break
    case 'feeds':
      renderFeeds(ctx, main)
      break
    case 'peers':
      void renderPeers(ctx, main)
      break
    default:
      void renderOverview(ctx, main)
  }
  // After a section change, screen readers and Tab continue in the new content.
  if (moveFocus) main.focus({ preventScroll: true })
}

/** A button on the IP view that asks the P2P network about this IP. */
function networkLookup(ctx: GuiContext, ip: string): HTMLElement {
  const out = h('p', { class: 'muted', role: 'status', id: 'network-lookup' })
  const button = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        out.textContent = 'Asking peers…'
        try {
          const r = await ctx.api.getNetworkIpAddress(ip)
          out.textContent = `${r.confirmed ? 'Confirmed' : 'Not confirmed'} by the network: ${r.collectors.length} collector(s) of ${r.confirmations_required} needed, ${r.reports.length} report(s), ${r.peers_answered}/${r.peers_asked} peers answered.`
        } catch (err) {
          if (err instanceof HttpError && err.status === 404) out.textContent = 'No peer reported this IP.'
          else if (isP2pOff(err)) out.textContent = 'P2P is off on this node.'
          else {
            out.textContent = ''
            ctx.fail(err)
          }
        }
      },
    },
    'Ask the P2P network',
  )
  return h('div', { class: 'network-lookup' }, button, out)
}

function restart(): void {
  const ctx = context()
  forgetToken.hidden = !ctx.hasToken
  navigate(ctx, false)
  live.start(ctx)
}

tokenForm.addEventListener('submit', (e) => {
  e.preventDefault()
  const value = tokenInput.value.trim()
  if (value === '') return
  try {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, value)
  } catch {
    statusLine.textContent = 'This browser does not allow session storage; the token cannot be kept.'
    return
  }
  tokenInput.value = ''
  tokenForm.hidden = true
  restart()
})

forgetToken.addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_STORAGE_KEY)
  live.stop()
  restart()
})

window.addEventListener('hashchange', () => navigate(context(), true))
restart()
