import { createPublicKey, type KeyObject, verify } from 'node:crypto'

/** Public keys kept ready for verification (a collector signs many records). */
const MAX_CACHED_KEYS = 4096
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const cache = new Map<string, KeyObject>()

/**
 * Ed25519 signature check (RFC 8032) with Node's native implementation and a cache of parsed public
 * keys: parsing the key costs more than the check itself. Never throws.
 */
export function verifyEd25519(rawPublicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (rawPublicKey.length !== 32 || signature.length !== 64) return false
  const id = Buffer.from(rawPublicKey.buffer, rawPublicKey.byteOffset, rawPublicKey.length).toString('hex')
  let key = cache.get(id)
  try {
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, rawPublicKey]), format: 'der', type: 'spki' })
      if (cache.size >= MAX_CACHED_KEYS) {
        const oldest = cache.keys().next().value
        if (oldest !== undefined) cache.delete(oldest)
      }
      cache.set(id, key)
    }
    return verify(null, data, key, signature)
  } catch {
    return false
  }
}
