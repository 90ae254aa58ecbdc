import { describe, expect, it } from 'vitest'
import { escapeControlChars } from '../../src/outputs/index.js'

describe('escapeControlChars', () => {
  it('escapes C0, DEL, C1 and the Unicode line separators', () => {
    expect(escapeControlChars('a\r\nb\tc\u0000d\u007f\u009b\u2028')).toBe(
      'a\\x0d\\x0ab\\x09c\\x00d\\x7f\\x9b\\u2028',
    )
  })

  it('keeps printable text, including non-ASCII, unchanged', () => {
    expect(escapeControlChars('Zoiper rv2.10 — 日本 😀')).toBe('Zoiper rv2.10 — 日本 😀')
  })

  it('neutralises an ANSI escape sequence', () => {
    expect(escapeControlChars('\u001b[2J\u001b[31mred')).toBe('\\x1b[2J\\x1b[31mred')
  })

  it('cuts at maxChars without splitting a surrogate pair', () => {
    expect(escapeControlChars('abcdef', 3)).toBe('abc')
    expect(escapeControlChars('ab😀', 3)).toBe('ab')
    expect(escapeControlChars('ab😀', 4)).toBe('ab😀')
    expect(escapeControlChars('abc', 0)).toBe('')
  })
})
