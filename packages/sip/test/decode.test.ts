import { expect, test } from 'vitest'
import { decode, latin1, unfold } from '../src/decode.js'

test('unfold: a line break followed by WSP, with the whitespace around it, becomes one SP', () => {
  expect(unfold('a\r\n b')).toBe('a b')
  expect(unfold('a  \t\r\n \t b')).toBe('a b')
  expect(unfold('a\n\tb')).toBe('a b') // bare LF (bareLf leniency)
  expect(unfold('a\r\n b\r\n  c')).toBe('a b c')
  expect(unfold('no break')).toBe('no break')
  expect(unfold('keep   inner   runs\r\n x')).toBe('keep   inner   runs x')
  // a long whitespace run that is not before a line break is kept as is (and handled in linear time)
  const run = ' '.repeat(30_000)
  expect(unfold(`a${run}b\r\n c`)).toBe(`a${run}b c`)
  expect(unfold(`a${run}\r\n${run}c`)).toBe('a c')
})

test('decode is UTF-8 (a leading BOM kept, invalid bytes replaced); latin1 is one char per byte', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0xe5, 0xa4, 0xa7, 0xff, 0x41])
  expect(decode(bytes, 0, bytes.length)).toBe('\ufeff大\ufffdA')
  expect(latin1(bytes, 6, 8)).toBe('\u00ffA')
  expect(decode(bytes, 3, 3)).toBe('')
  expect(latin1(bytes, 5, 4)).toBe('')
})
