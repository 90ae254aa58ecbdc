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

const IDS: ReadonlyMap<string, number> = new Map(
  ID_KEYS.map((key, id): [string, number] => [key, id]).slice(H_OTHER + 1),
)

/** Id of a canonical header key. */
export function headerId(key: string): number {
  return IDS.get(key) ?? H_OTHER
}

/** Id of each compact form (by char code) whose long form has one. */
const COMPACT_IDS = new Uint8Array(128)
for (const [c, key] of compact) COMPACT_IDS[c.charCodeAt(0)] = headerId(key)

/**
 * Id of the header name bytes[start, end) (token bytes, any case, compact forms), H_OTHER for the headers
 * `parse` does not look at. No allocation.
 *
 * Performance: the comparisons are written out (`(b[i] | 32) === code`, which lower-cases letters and
 * keeps every other token byte) instead of a loop over a literal's char codes: the loop was not inlined
 * into the header scan and cost ~5% of a parse of a short OPTIONS (bench/parse.ts, CPU profile).
 */
export function identify(b: Uint8Array, s: number, end: number): number {
  const c = b[s]! | 32
  switch (end - s) {
    case 1:
      return c < 128 ? COMPACT_IDS[c]! : H_OTHER
    case 2:
      return c === 116 && (b[s + 1]! | 32) === 111 ? H_TO : H_OTHER
    case 3:
      return c === 118 && (b[s + 1]! | 32) === 105 && (b[s + 2]! | 32) === 97 ? H_VIA : H_OTHER
    case 4: {
      const c1 = b[s + 1]! | 32
      const c2 = b[s + 2]! | 32
      const c3 = b[s + 3]! | 32
      if (c === 102) return c1 === 114 && c2 === 111 && c3 === 109 ? H_FROM : H_OTHER // from
      if (c === 99) return c1 === 115 && c2 === 101 && c3 === 113 ? H_CSEQ : H_OTHER // cseq
      return c === 100 && c1 === 97 && c2 === 116 && c3 === 101 ? H_DATE : H_OTHER // date
    }
    case 7: {
      if (c !== 99) return H_OTHER
      const c1 = b[s + 1]! | 32
      if (c1 === 97) {
        // call-id
        return (b[s + 2]! | 32) === 108 &&
          (b[s + 3]! | 32) === 108 &&
          b[s + 4] === 45 &&
          (b[s + 5]! | 32) === 105 &&
          (b[s + 6]! | 32) === 100
          ? H_CALL_ID
          : H_OTHER
      }
      // contact
      return c1 === 111 &&
        (b[s + 2]! | 32) === 110 &&
        (b[s + 3]! | 32) === 116 &&
        (b[s + 4]! | 32) === 97 &&
        (b[s + 5]! | 32) === 99 &&
        (b[s + 6]! | 32) === 116
        ? H_CONTACT
        : H_OTHER
    }
    case 10:
      // user-agent
      return c === 117 &&
        (b[s + 1]! | 32) === 115 &&
        (b[s + 2]! | 32) === 101 &&
        (b[s + 3]! | 32) === 114 &&
        b[s + 4] === 45 &&
        (b[s + 5]! | 32) === 97 &&
        (b[s + 6]! | 32) === 103 &&
        (b[s + 7]! | 32) === 101 &&
        (b[s + 8]! | 32) === 110 &&
        (b[s + 9]! | 32) === 116
        ? H_USER_AGENT
        : H_OTHER
    case 12:
      if (c === 109) {
        // max-forwards
        return (b[s + 1]! | 32) === 97 &&
          (b[s + 2]! | 32) === 120 &&
          b[s + 3] === 45 &&
          (b[s + 4]! | 32) === 102 &&
          (b[s + 5]! | 32) === 111 &&
          (b[s + 6]! | 32) === 114 &&
          (b[s + 7]! | 32) === 119 &&
          (b[s + 8]! | 32) === 97 &&
          (b[s + 9]! | 32) === 114 &&
          (b[s + 10]! | 32) === 100 &&
          (b[s + 11]! | 32) === 115
          ? H_MAX_FORWARDS
          : H_OTHER
      }
      // content-type
      return c === 99 &&
        isContent(b, s) &&
        (b[s + 8]! | 32) === 116 &&
        (b[s + 9]! | 32) === 121 &&
        (b[s + 10]! | 32) === 112 &&
        (b[s + 11]! | 32) === 101
        ? H_CONTENT_TYPE
        : H_OTHER
    case 14:
      // content-length
      return c === 99 &&
        isContent(b, s) &&
        (b[s + 8]! | 32) === 108 &&
        (b[s + 9]! | 32) === 101 &&
        (b[s + 10]! | 32) === 110 &&
        (b[s + 11]! | 32) === 103 &&
        (b[s + 12]! | 32) === 116 &&
        (b[s + 13]! | 32) === 104
        ? H_CONTENT_LENGTH
        : H_OTHER
    default:
      return H_OTHER
  }
}

/** `ontent-` at b[s + 1 .. s + 8) (the `c` is checked by the caller). */
function isContent(b: Uint8Array, s: number): boolean {
  return (
    (b[s + 1]! | 32) === 111 &&
    (b[s + 2]! | 32) === 110 &&
    (b[s + 3]! | 32) === 116 &&
    (b[s + 4]! | 32) === 101 &&
    (b[s + 5]! | 32) === 110 &&
    (b[s + 6]! | 32) === 116 &&
    b[s + 7] === 45
  )
}
