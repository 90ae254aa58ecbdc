import { parseUri } from './parse-uri.js'
import type { SipMessage, SipUri } from './types.js'

/** The number a request was trying to reach. */
export interface CalledNumber {
  /** The user part of the Request-URI exactly as sent (still %-escaped); '' when there is none. */
  raw: string
  /**
   * Phone-number-like users: %-unescaped once, user parameters (`;isub=...`) dropped and visual
   * separators (`-` `.` `(` `)` and whitespace) removed, keeping digits, `*`, `#` and a leading `+`.
   * Dialling prefixes (00, 011, 9011, ...) are kept so analysts see them. Other users (`alice`):
   * the unescaped user unchanged. '' when there is no user part.
   */
  normalized: string
}

const SEPARATORS = /[-.()\s]/g
const PHONE = /^\+?[0-9*#]+$/

function normalize(user: string): string {
  const semi = user.indexOf(';')
  const main = semi === -1 ? user : user.slice(0, semi)
  const compact = main.replace(SEPARATORS, '')
  if (PHONE.test(compact)) return compact
  return user
}

function fromUri(uri: SipUri | undefined): CalledNumber {
  if (uri === undefined || uri.user === undefined) return { raw: '', normalized: '' }
  return { raw: uri.rawUser ?? uri.user, normalized: normalize(uri.user) }
}

/**
 * The called number of a message: for a request the user part of the Request-URI (for a `tel:`
 * Request-URI its subscriber number), for a response the user part of the To URI.
 * Never throws; `{ raw: '', normalized: '' }` when there is no user part (e.g. `REGISTER sip:example.com`)
 * or the URI scheme is not sip, sips or tel.
 *
 * @example
 * ```ts
 * const r = parse(bytes)
 * if (r.ok) calledNumber(r.message) // { raw: '00-44-20-7946-0000', normalized: '00442079460000' }
 * ```
 */
export function calledNumber(message: SipMessage): CalledNumber {
  try {
    if (message.kind === 'request') {
      if (message.parsedRequestUri !== undefined) return fromUri(message.parsedRequestUri)
      const r = parseUri(message.requestUri)
      return fromUri(r.ok ? r.uri : undefined)
    }
    return fromUri(message.to.parsedUri)
  } catch {
    return { raw: '', normalized: '' }
  }
}
