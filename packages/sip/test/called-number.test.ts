import { describe, expect, test } from 'vitest'
import { calledNumber, parse, type SipMessage } from '../src/index.js'

function msg(requestUri: string, to = '<sip:to@example.com>'): SipMessage {
  const text = [
    `INVITE ${requestUri} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
    'From: <sip:a@example.com>;tag=1',
    `To: ${to}`,
    'Call-ID: c1',
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n')
  const r = parse(new TextEncoder().encode(text))
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.message
}

describe('calledNumber', () => {
  test.each([
    ['sip:+441234567890@203.0.113.1', '+441234567890', '+441234567890'],
    ['sip:00441234567890@203.0.113.1', '00441234567890', '00441234567890'],
    ['sip:011972592123456@203.0.113.1;user=phone', '011972592123456', '011972592123456'],
    ['sip:9011441234567@203.0.113.1', '9011441234567', '9011441234567'],
    ['sip:+1-(201)-555.0123@example.com', '+1-(201)-555.0123', '+12015550123'],
    ['sip:%2B44%20(20)%207946%200000@example.com', '%2B44%20(20)%207946%200000', '+442079460000'],
    ['sip:+12015550123;isub=1234@example.com', '+12015550123;isub=1234', '+12015550123'],
    ['sip:*67100@example.com', '*67100', '*67100'],
    ['sip:100@example.com:5060', '100', '100'],
    ['sip:alice@example.com', 'alice', 'alice'],
    ['sip:al%69ce@example.com', 'al%69ce', 'alice'],
    ['sips:+15551234@example.com', '+15551234', '+15551234'],
    ['sip:example.com', '', ''],
    ['sip:[2001:db8::1]', '', ''],
    ['tel:+1-201-555-0123', '+1-201-555-0123', '+12015550123'],
    ['tel:(020)7946.0000;phone-context=+44', '(020)7946.0000', '02079460000'],
    ['urn:service:sos', '', ''],
  ])('%s → raw %j normalized %j', (uri, raw, normalized) => {
    expect(calledNumber(msg(uri))).toEqual({ raw, normalized })
  })

  test('a response: the To URI user', () => {
    const text = [
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
      'From: <sip:a@example.com>;tag=1',
      'To: <sip:+44-20-7946-0000@example.com>;tag=2',
      'Call-ID: c1',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n')
    const r = parse(new TextEncoder().encode(text))
    expect(r.ok).toBe(true)
    if (r.ok)
      expect(calledNumber(r.message)).toEqual({ raw: '+44-20-7946-0000', normalized: '+442079460000' })
  })
})
