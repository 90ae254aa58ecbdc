import { expect, test } from 'vitest'
import { splitList } from '../src/split-list.js'

test('splits on commas outside quotes and <>', () => {
  expect(splitList('a, b ,c')).toEqual(['a', 'b', 'c'])
  expect(splitList('"Doe, John" <sip:j@x>;q=1, <sip:k@y;p=a,b>')).toEqual([
    '"Doe, John" <sip:j@x>;q=1',
    '<sip:k@y;p=a,b>',
  ])
  expect(splitList('"a \\" , b" <sip:x>, c')).toEqual(['"a \\" , b" <sip:x>', 'c'])
  expect(splitList('SIP/2.0/UDP h;;,;,,')).toEqual(['SIP/2.0/UDP h;;', ';', '', ''])
  expect(splitList('')).toEqual([''])
  expect(splitList('"unterminated, still one')).toEqual(['"unterminated, still one'])
})
