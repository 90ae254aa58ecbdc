import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ED25519_VERIFIER, verifyEd25519, verifyEd25519Node } from '../src/verify-ed25519.ts'

const { publicKey, privateKey } = generateKeyPairSync('ed25519')
const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12))
const other = new Uint8Array(
  generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12),
)
const data = new TextEncoder().encode('{"v":1,"sourceIp":"45.1.2.3"}')
const signature = new Uint8Array(sign(null, data, privateKey))
/** The group order L of Ed25519 (RFC 8032 §5.1), little-endian. */
const L = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex')

function withS(sig: Uint8Array, s: Uint8Array): Uint8Array {
  const out = new Uint8Array(sig)
  out.set(s, 32)
  return out
}
function addLittleEndian(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32)
  let carry = 0
  for (let i = 0; i < 32; i++) {
    const sum = a[i]! + b[i]! + carry
    out[i] = sum & 0xff
    carry = sum >> 8
  }
  return out
}

describe('verifyEd25519', () => {
  it('uses libsodium, which this workspace installs (sodium-native ships prebuilt binaries)', () => {
    expect(ED25519_VERIFIER).toBe('libsodium')
  })

  const cases: Array<[string, Uint8Array, Uint8Array, Uint8Array, boolean]> = [
    ['a valid signature', raw, data, signature, true],
    ['altered data', raw, data.map((b, i) => (i === 3 ? b ^ 1 : b)), signature, false],
    ['an altered signature', raw, data, signature.map((b, i) => (i === 40 ? b ^ 1 : b)), false],
    ['another key', other, data, signature, false],
    // S + L: the same point equation, but not the canonical encoding (RFC 8032 §5.1.7 requires S < L).
    [
      'a non-canonical S (S + L)',
      raw,
      data,
      withS(signature, addLittleEndian(signature.subarray(32), L)),
      false,
    ],
    ['a short key', raw.subarray(0, 31), data, signature, false],
    ['a short signature', raw, data, signature.subarray(0, 63), false],
  ]
  for (const [name, key, message, sig, verdict] of cases) {
    it(`agrees with Node's Ed25519 on ${name}`, () => {
      expect(verifyEd25519(key, message, sig)).toBe(verdict)
      expect(verifyEd25519Node(key, message, sig)).toBe(verdict)
    })
  }

  it("refuses the identity key's signature of anything (R = identity, S = 0)", () => {
    const identity = new Uint8Array(32)
    identity[0] = 1
    const forged = new Uint8Array(64)
    forged[0] = 1
    expect(verifyEd25519(identity, data, forged)).toBe(false)
    expect(verifyEd25519(identity, new TextEncoder().encode('anything at all'), forged)).toBe(false)
  })

  it('never throws on junk', () => {
    expect(verifyEd25519(new Uint8Array(32).fill(0xff), data, new Uint8Array(64).fill(0xff))).toBe(false)
    expect(verifyEd25519(raw, new Uint8Array(0), signature)).toBe(false)
  })
})
