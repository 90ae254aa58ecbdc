import {
  DEFAULT_SYSLOG_MAX_AGENT_CHARS,
  DEFAULT_SYSLOG_MAX_METHOD_CHARS,
  SYSLOG_MAX_IP_CHARS,
} from './constants.js'
import { escapeControlChars } from './escape-control-chars.js'
import type { HoneypotEvent } from './honeypot-event.js'

export interface SyslogLineLimits {
  maxAgentChars?: number
  maxMethodChars?: number
}

/**
 * SentryPeer's syslog message for an event: `Source IP: <ip>, Method: <method>, Agent: <user agent>`,
 * the line the Fail2Ban filter in `docs/fail2ban/` matches. Attacker-controlled fields are escaped (no
 * CR/LF can forge a second line) and cut to the limits.
 *
 * @example
 * ```ts
 * syslogLine(event) // 'Source IP: 192.0.2.7, Method: INVITE, Agent: friendly-scanner'
 * ```
 */
export function syslogLine(event: HoneypotEvent, limits: SyslogLineLimits = {}): string {
  const ip = escapeControlChars(event.sourceIp, SYSLOG_MAX_IP_CHARS)
  const method = escapeControlChars(event.method, limits.maxMethodChars ?? DEFAULT_SYSLOG_MAX_METHOD_CHARS)
  const agent = escapeControlChars(
    event.userAgent ?? '',
    limits.maxAgentChars ?? DEFAULT_SYSLOG_MAX_AGENT_CHARS,
  )
  return `Source IP: ${ip}, Method: ${method}, Agent: ${agent}`
}
