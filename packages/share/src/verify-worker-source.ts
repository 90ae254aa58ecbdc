/**
 * Source of a signature verification worker (run with `new Worker(source, { eval: true })`, so it works
 * the same from the TypeScript sources and from the bundled package, with no file to locate).
 *
 * A job is `{ id, buf }` where `buf` (transferred) holds `count: u32le` then per record
 * `inputLength: u32le`, the 32-byte raw Ed25519 public key, the 64-byte signature and the signed input.
 * The answer is `{ id, out }` where `out` (transferred) holds per record one byte (1: the signature
 * verifies) and the first 16 bytes of SHA-256 of the input (the record id). The same Ed25519 (RFC 8032)
 * as `verify-ed25519.ts` on the main thread: libsodium when `workerData.sodiumPath` loads, else Node's
 * native one with a bounded cache of parsed public keys.
 */
export const VERIFY_WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const { createHash, createPublicKey, verify } = require('node:crypto')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const maxKeys = workerData.maxCachedKeys
const keys = new Map()
let sodium
try {
  sodium = workerData.sodiumPath ? require(workerData.sodiumPath) : undefined
} catch {
  sodium = undefined
}
function keyOf(raw) {
  const id = raw.toString('hex')
  let key = keys.get(id)
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
    if (keys.size >= maxKeys) keys.delete(keys.keys().next().value)
    keys.set(id, key)
  }
  return key
}
parentPort.on('message', (job) => {
  const buf = Buffer.from(job.buf)
  const count = buf.readUInt32LE(0)
  const ab = new ArrayBuffer(count * 17)
  const out = Buffer.from(ab)
  let o = 4
  for (let i = 0; i < count; i++) {
    const len = buf.readUInt32LE(o)
    const raw = buf.subarray(o + 4, o + 36)
    const sig = buf.subarray(o + 36, o + 100)
    const input = buf.subarray(o + 100, o + 100 + len)
    o += 100 + len
    let ok = false
    try {
      ok = sodium ? sodium.crypto_sign_verify_detached(sig, input, raw) : verify(null, input, keyOf(raw), sig)
    } catch {
      ok = false
    }
    out[i * 17] = ok ? 1 : 0
    createHash('sha256').update(input).digest().copy(out, i * 17 + 1, 0, 16)
  }
  parentPort.postMessage({ id: job.id, out: ab }, [ab])
})
`
