import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { InvalidKeyFileError } from './errors.ts'

/**
 * Loads the node's Ed25519 identity from `file` (libp2p protobuf private key), creating it with mode 0600
 * on first run. The peer id, and so the standing peers grant, follow this key.
 *
 * @example
 * ```ts
 * const privateKey = await loadOrCreateKey('/var/lib/sentrypeer/share.key')
 * ```
 */
export async function loadOrCreateKey(file: string): Promise<PrivateKey> {
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (bytes !== undefined) {
    let key: PrivateKey
    try {
      key = privateKeyFromProtobuf(bytes)
    } catch (err) {
      throw new InvalidKeyFileError(`${file} does not hold a libp2p private key`, { cause: err })
    }
    if (key.type !== 'Ed25519') throw new InvalidKeyFileError(`${file} holds a ${key.type} key, not Ed25519`)
    return key
  }
  const key = await generateKeyPair('Ed25519')
  await mkdir(dirname(file), { recursive: true })
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
  await rename(tmp, file)
  return key
}
