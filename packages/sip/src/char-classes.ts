/** @internal Byte classes of RFC 3261 §25.1, as bit flags in a 256-entry table. */

export const TOKEN = 1
/** user = 1*( unreserved / escaped / user-unreserved ) */
export const USER = 4
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = 8
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAM = 16
/** hname/hvalue chars: hnv-unreserved / unreserved / escaped */
export const HNV = 32
/** hostname characters (alphanum, '-', '.'), plus '_' seen in the wild */
export const HOST = 64
/** gen-value = token / host / quoted-string: token chars plus '[' ']' ':' */
export const GEN_VALUE = 128

export const CLASS = new Uint8Array(256)

function add(flag: number, chars: string): void {
  for (let i = 0; i < chars.length; i++) CLASS[chars.charCodeAt(i)]! |= flag
}

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const MARK = "-_.!~*'()"
add(TOKEN | GEN_VALUE, ALPHANUM + "-.!%*_+`'~")
add(GEN_VALUE, '[]:')
add(USER | PASSWORD | PARAM | HNV, ALPHANUM + MARK + '%')
add(USER, '&=+$,;?/')
add(PASSWORD, '&=+$,')
add(PARAM, '[]/:&+$')
add(HNV, '[]/?:+$')
add(HOST, ALPHANUM + '-._')

export function isToken(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 255 || (CLASS[c]! & TOKEN) === 0) return false
  }
  return true
}
