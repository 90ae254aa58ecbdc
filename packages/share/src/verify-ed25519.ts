import { createPublicKey, type KeyObject, verify } from 'node:crypto'
import { createRequire } from 'node:module'
import { evictOldest } from './evict-oldest.ts'

/** Public keys kept ready for verification (a collector signs many records); each worker keeps as many. */
export const MAX_CACHED_KEYS = 4096
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const cache = new Map<string, KeyObject>()

interface Sodium {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
}

/**
 * Where libsodium's binding (`sodium-native`, an optional dependency with prebuilt binaries) was found,
 * or undefined when it is not installed or does not load on this platform: then Node's own Ed25519 is
 * used. Workers load it from this path (an eval'd worker cannot resolve this package's dependencies).
 */
export const SODIUM_PATH: string | undefined = (() => {
  try {
    const require = createRequire(import.meta.url)
    const path = require.resolve('sodium-native')
    require(path)
    return path
  } catch {
    return undefined
  }
})()

const sodium: Sodium | undefined =
  SODIUM_PATH === undefined ? undefined : (createRequire(import.meta.url)(SODIUM_PATH) as Sodium)

/**
 * Which Ed25519 implementation checks signatures: libsodium's `crypto_sign_verify_detached` takes about
 * half the CPU of Node's (OpenSSL) `crypto.verify` (53 against 107 µs per check on this project's
 * benchmark machine, `bench/verify.ts`), and a new node's catch-up is one check per record. libsodium
 * is also the stricter of the two (it refuses small-order public keys and small-order `R`, which
 * OpenSSL accepts); no honest signer produces those.
 */
export const ED25519_VERIFIER: 'libsodium' | 'node:crypto' =
  sodium === undefined ? 'node:crypto' : 'libsodium'

/** Node's native Ed25519 with a cache of parsed public keys (parsing costs more than the check). */
export function verifyEd25519Node(
  rawPublicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (rawPublicKey.length !== 32 || signature.length !== 64) return false
  const id = Buffer.from(rawPublicKey.buffer, rawPublicKey.byteOffset, rawPublicKey.length).toString('hex')
  let key = cache.get(id)
  try {
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, rawPublicKey]), format: 'der', type: 'spki' })
      evictOldest(cache, MAX_CACHED_KEYS)
      cache.set(id, key)
    }
    return verify(null, data, key, signature)
  } catch {
    return false
  }
}

/**
 * Ed25519 signature check (RFC 8032) with {@link ED25519_VERIFIER}. Never throws.
 */
export function verifyEd25519(rawPublicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (rawPublicKey.length !== 32 || signature.length !== 64) return false
  if (sodium === undefined) return verifyEd25519Node(rawPublicKey, data, signature)
  try {
    return sodium.crypto_sign_verify_detached(signature, data, rawPublicKey)
  } catch {
    return false
  }
}
