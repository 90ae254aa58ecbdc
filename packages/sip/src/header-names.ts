/** @internal Header name canonicalisation (RFC 3261 §7.3.3 compact forms and the IANA registry). */

/** Compact form → canonical lower-case long name. */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
}

/** Headers whose grammar is a comma-separated list (`headerValues` splits them). */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-contact',
  'accept-encoding',
  'accept-language',
  'alert-info',
  'allow',
  'allow-events',
  'call-info',
  'contact',
  'content-encoding',
  'content-language',
  'error-info',
  'history-info',
  'in-reply-to',
  'p-asserted-identity',
  'p-preferred-identity',
  'path',
  'proxy-require',
  'reason',
  'record-route',
  'reject-contact',
  'request-disposition',
  'require',
  'route',
  'security-client',
  'security-server',
  'security-verify',
  'service-route',
  'supported',
  'unsupported',
  'via',
  'warning',
])

/** Headers that may appear only once (RFC 3261 §7.3.1, RFC 4475 §3.3.8, §3.3.9). */
export const SINGLE_VALUE_HEADERS: ReadonlySet<string> = new Set([
  'call-id',
  'content-length',
  'content-type',
  'cseq',
  'date',
  'from',
  'max-forwards',
  'to',
])

const compact = new Map<string, string>(Object.entries(COMPACT_FORMS))

/** Canonical key (lower-case long form) of a header name given in any case or compact form. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase()
  return compact.get(lower) ?? lower
}
