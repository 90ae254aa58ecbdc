import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterAll, describe, expect, it } from 'vitest'
import { InvalidKeyFileError, loadOrCreateKey } from '../src/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'share-key-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadOrCreateKey', () => {
  it('creates an Ed25519 key with mode 0600 on first run and loads the same identity afterwards', async () => {
    const file = join(dir, 'nested', 'node.key')
    const first = await loadOrCreateKey(file)
    expect(first.type).toBe('Ed25519')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const second = await loadOrCreateKey(file)
    expect(peerIdFromPrivateKey(second).toString()).toBe(peerIdFromPrivateKey(first).toString())
  })

  it('refuses a file that is not a libp2p Ed25519 key', async () => {
    const junk = join(dir, 'junk.key')
    writeFileSync(junk, 'not a key')
    await expect(loadOrCreateKey(junk)).rejects.toBeInstanceOf(InvalidKeyFileError)
    const secp = join(dir, 'secp.key')
    writeFileSync(secp, privateKeyToProtobuf(await generateKeyPair('secp256k1')))
    await expect(loadOrCreateKey(secp)).rejects.toMatchObject({ code: 'INVALID_KEY_FILE' })
  })
})
