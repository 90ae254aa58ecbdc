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
/** Ids of the headers that may appear only once. */
export const SINGLE_IDS: ReadonlySet<number> = new Set([
  H_FROM,
  H_TO,
  H_CALL_ID,
  H_CSEQ,
  H_MAX_FORWARDS,
  H_CONTENT_LENGTH,
  H_DATE,
  H_CONTENT_TYPE,
])

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
])

/** Id of a canonical header key. */
export function headerId(key: string): number {
  return IDS.get(key) ?? H_OTHER
}

/** FNV-1a step over a lower-cased byte. */
export function hashStep(h: number, byte: number): number {
  return Math.imul(h ^ (byte >= 65 && byte <= 90 ? byte | 32 : byte), 16777619)
}
export const HASH_SEED = 0x811c9dc5 | 0

interface Known {
  spelling: string
  key: string
  id: number
}

/** The last name looked up by `lookupName`: its header id (set together with the returned key). */
export let lookedUpId = 0

const COMMON = [
  'allow',
  'authorization',
  'content-disposition',
  'expires',
  'min-expires',
  'mime-version',
  'organization',
  'priority',
  'proxy-authenticate',
  'proxy-authorization',
  'reply-to',
  'retry-after',
  'server',
  'subject',
  'timestamp',
  'user-agent',
  'www-authenticate',
  'privacy',
  'p-asserted-identity',
  'content-transfer-encoding',
  'x-serialnumber',
]

const knownByHash = new Map<number, Known[]>()
function addKnown(spelling: string, key: string): void {
  let h = HASH_SEED
  for (let i = 0; i < spelling.length; i++) h = hashStep(h, spelling.charCodeAt(i))
  const list = knownByHash.get(h) ?? []
  list.push({ spelling, key, id: headerId(key) })
  knownByHash.set(h, list)
}
for (const [c, key] of compact) addKnown(c, key)
for (const key of new Set([...compact.values(), ...LIST_HEADERS, ...SINGLE_VALUE_HEADERS, ...COMMON])) {
  addKnown(key, key)
}

/**
 * Canonical key of the header name bytes[start, end) whose lower-cased FNV-1a hash is `hash`,
 * without allocating for known names.
 */
export function lookupName(bytes: Uint8Array, start: number, end: number, hash: number): string | undefined {
  const list = knownByHash.get(hash)
  if (list === undefined) return undefined
  const n = end - start
  outer: for (const k of list) {
    if (k.spelling.length !== n) continue
    for (let i = 0; i < n; i++) {
      const b = bytes[start + i]!
      if ((b >= 65 && b <= 90 ? b | 32 : b) !== k.spelling.charCodeAt(i)) continue outer
    }
    lookedUpId = k.id
    return k.key
  }
  return undefined
}
