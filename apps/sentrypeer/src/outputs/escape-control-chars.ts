/** C0 controls, DEL, C1 controls and the Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * Makes an attacker-controlled string (User-Agent, method, called number) safe for a line-oriented
 * output: control characters become `\xNN` / `\uNNNN` escapes, so a CR/LF cannot forge a second syslog
 * line (which Fail2Ban would act on) and an ANSI escape cannot reach a terminal. The result is cut at
 * `maxChars` code units (a cut never splits a surrogate pair).
 *
 * @example
 * ```ts
 * escapeControlChars('evil\r\nSource IP: 192.0.2.1', 64) // 'evil\\x0d\\x0aSource IP: 192.0.2.1'
 * ```
 */
export function escapeControlChars(text: string, maxChars: number = Number.POSITIVE_INFINITY): string {
  const escaped = text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
  })
  if (escaped.length <= maxChars) return escaped
  let end = Math.max(0, maxChars)
  const last = escaped.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return escaped.slice(0, end)
}
