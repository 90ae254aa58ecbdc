/** Real captures of attack and test tools (test/fixtures, see its README) parse strictly, with their fields. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { calledNumber, parse, type SipRequest } from '../src/index.js'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

function request(name: string): SipRequest {
  const r = parse(new Uint8Array(readFileSync(path.join(fixtures, name))))
  if (!r.ok) throw new Error(`${name}: ${r.error.code} at ${r.error.offset}: ${r.error.message}`)
  if (r.message.kind !== 'request') throw new Error(`${name}: not a request`)
  expect(r.message.leniencies).toEqual([])
  return r.message
}

test('SIPVicious svmap OPTIONS', () => {
  const m = request('svmap-options.sip')
  expect([m.method, m.userAgent, m.cseq.seq]).toEqual(['OPTIONS', 'friendly-scanner', 1])
  expect(m.via[0]).toMatchObject({ transport: 'UDP', host: '127.0.0.1', port: 5060, rport: true })
  expect(m.from.displayName).toBe('sipvicious')
  expect(m.from.tag).toBe('37663030303030313133656201353033363430373738')
  expect(m.to.parsedUri?.host).toBe('1.1.1.1')
  expect(calledNumber(m)).toEqual({ raw: '100', normalized: '100' })
})

test('SIPVicious svcrack REGISTER with Authorization', () => {
  const m = request('svcrack-register-auth.sip')
  expect([m.method, m.userAgent, m.callId]).toEqual(['REGISTER', 'friendly-scanner', '1175461974'])
  expect(m.header('authorization')).toMatch(/^Digest username="100",realm="asterisk",/)
  expect(m.headerValues('authorization')).toHaveLength(1)
  expect(m.contact.map((c) => c.uri)).toEqual(['sip:123@1.1.1.1'])
  expect(calledNumber(m)).toEqual({ raw: '', normalized: '' })
})

test('sipsak OPTIONS', () => {
  const m = request('sipsak-options.sip')
  expect([m.method, m.userAgent, m.maxForwards]).toEqual(['OPTIONS', 'sipsak 0.9.8.1', 70])
  expect(m.via[0]!.params).toEqual({ branch: 'z9hG4bK.04e5a021', rport: true, alias: true })
  expect(m.from.tag).toBe('123a0f8d')
})

test('sipp uac INVITE with SDP', () => {
  const m = request('sipp-uac-invite.sip')
  expect([m.method, m.contentType, m.contentLength]).toEqual(['INVITE', 'application/sdp', 129])
  expect(m.body).toHaveLength(129)
  expect(m.from.displayName).toBe('sipp')
  expect(m.to.displayName).toBe('service')
  expect(m.header('subject')).toBe('Performance Test')
  expect(calledNumber(m)).toEqual({ raw: 'service', normalized: 'service' })
})

test('softphone INVITE to an international number', () => {
  const m = request('invite-sdp.sip')
  expect(calledNumber(m)).toEqual({ raw: '0046812345678', normalized: '0046812345678' })
  expect(m.userAgent).toBe('pplsip')
  expect(m.headerValues('allow')).toContain('SUBSCRIBE')
  expect(m.headerValues('supported')).toEqual(['replaces', '100rel', 'timer', 'norefersub'])
  expect(m.header('x')).toBe('1800') // compact form of Session-Expires
  expect(m.via[0]!.rport).toBe(true)
})
