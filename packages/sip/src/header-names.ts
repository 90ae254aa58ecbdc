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

const compact = new Map<string, string>(Object.entries(COMPACT_FORMS))

/** Canonical key (lower-case long form) of a header name given in any case or compact form. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase()
  return compact.get(lower) ?? lower
}

/** @internal Ids of the headers `parse` looks at; 0 for every other header. */
export const H_OTHER = 0
export const H_VIA = 1
export const H_FROM = 2
export const H_TO = 3
export const H_CALL_ID = 4
export const H_CSEQ = 5
export const H_MAX_FORWARDS = 6
export const H_CONTENT_LENGTH = 7
export const H_CONTACT = 8
export const H_DATE = 9
export const H_CONTENT_TYPE = 10
export const H_USER_AGENT = 11

const IDS: ReadonlyMap<string, number> = new Map([
  ['via', H_VIA],
  ['from', H_FROM],
  ['to', H_TO],
  ['call-id', H_CALL_ID],
  ['cseq', H_CSEQ],
  ['max-forwards', H_MAX_FORWARDS],
  ['content-length', H_CONTENT_LENGTH],
  ['contact', H_CONTACT],
  ['date', H_DATE],
  ['content-type', H_CONTENT_TYPE],
  ['user-agent', H_USER_AGENT],
])

/** Id of a canonical header key. */
export function headerId(key: string): number {
  return IDS.get(key) ?? H_OTHER
}

/** Canonical key of each id (index = id). */
export const ID_KEYS: readonly string[] = [
  '',
  'via',
  'from',
  'to',
  'call-id',
  'cseq',
  'max-forwards',
  'content-length',
  'contact',
  'date',
  'content-type',
  'user-agent',
]

const COMPACT_IDS = new Uint8Array(128)
COMPACT_IDS[118] = H_VIA // v
COMPACT_IDS[102] = H_FROM // f
COMPACT_IDS[116] = H_TO // t
COMPACT_IDS[105] = H_CALL_ID // i
COMPACT_IDS[109] = H_CONTACT // m
COMPACT_IDS[108] = H_CONTENT_LENGTH // l
COMPACT_IDS[99] = H_CONTENT_TYPE // c

/** Compare token bytes with a lower-case literal (`| 32` lower-cases letters and keeps every other token byte). */
function eq(bytes: Uint8Array, start: number, lit: string): boolean {
  for (let i = 1; i < lit.length; i++) {
    if ((bytes[start + i]! | 32) !== lit.charCodeAt(i)) return false
  }
  return true
}

/**
 * Id of the header name bytes[start, end) (token bytes, any case, compact forms), H_OTHER for the headers
 * `parse` does not look at. No allocation.
 */
export function identify(bytes: Uint8Array, start: number, end: number): number {
  const c = bytes[start]! | 32
  switch (end - start) {
    case 1:
      return c < 128 ? COMPACT_IDS[c]! : H_OTHER
    case 2:
      return c === 116 && eq(bytes, start, 'to') ? H_TO : H_OTHER
    case 3:
      return c === 118 && eq(bytes, start, 'via') ? H_VIA : H_OTHER
    case 4:
      if (c === 102) return eq(bytes, start, 'from') ? H_FROM : H_OTHER
      if (c === 99) return eq(bytes, start, 'cseq') ? H_CSEQ : H_OTHER
      return c === 100 && eq(bytes, start, 'date') ? H_DATE : H_OTHER
    case 7:
      if (c !== 99) return H_OTHER
      if ((bytes[start + 1]! | 32) === 97) return eq(bytes, start, 'call-id') ? H_CALL_ID : H_OTHER
      return eq(bytes, start, 'contact') ? H_CONTACT : H_OTHER
    case 10:
      return c === 117 && eq(bytes, start, 'user-agent') ? H_USER_AGENT : H_OTHER
    case 12:
      if (c === 109) return eq(bytes, start, 'max-forwards') ? H_MAX_FORWARDS : H_OTHER
      return c === 99 && eq(bytes, start, 'content-type') ? H_CONTENT_TYPE : H_OTHER
    case 14:
      return c === 99 && eq(bytes, start, 'content-length') ? H_CONTENT_LENGTH : H_OTHER
    default:
      return H_OTHER
  }
}
