import { generateKeyPair } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import {
  createShareNode,
  InvalidOptionError,
  MAX_VERIFY_WORKERS,
  SharingDisabledError,
} from '../src/index.ts'
import { ObservationStore } from './fixtures/observation.ts'

const privateKey = await generateKeyPair('Ed25519')

describe('createShareNode options', () => {
  it('refuses out-of-range limits with a named error', () => {
    const c = new ObservationStore().components()
    expect(() => createShareNode({ privateKey, pageSize: 0 }, c)).toThrow(InvalidOptionError)
    expect(() => createShareNode({ privateKey, confirmations: 1.5 }, c)).toThrow(InvalidOptionError)
    expect(() => createShareNode({ privateKey, namespace: 'Bad Space' }, c)).toThrow(InvalidOptionError)
    expect(createShareNode({ privateKey }, c).started).toBe(false)
  })

  it('bounds the verification workers and accepts 0 (verify on the main thread)', () => {
    const c = new ObservationStore().components()
    expect(() => createShareNode({ privateKey, verifyWorkers: MAX_VERIFY_WORKERS + 1 }, c)).toThrow(
      InvalidOptionError,
    )
    expect(() => createShareNode({ privateKey, verifyWorkers: -1 }, c)).toThrow(InvalidOptionError)
    expect(() => createShareNode({ privateKey, verifyWorkers: 1.5 }, c)).toThrow(InvalidOptionError)
    expect(() => createShareNode({ privateKey, verifyAttempts: 0 }, c)).toThrow(InvalidOptionError)
    expect(() => createShareNode({ privateKey, catchUpPagesInFlight: 0 }, c)).toThrow(InvalidOptionError)
    expect(createShareNode({ privateKey, verifyWorkers: 0 }, c).stats().verifyWorkers).toBe(0)
  })

  it('with share: false signs local records but sends and asks nothing', async () => {
    const store = new ObservationStore()
    const node = createShareNode(
      { privateKey, share: false, listen: ['/ip4/127.0.0.1/tcp/0'] },
      store.components(),
    )
    await node.start()
    try {
      const res = await node.publish({ station: 'local', reading: 1, at: Date.now() })
      expect(res.recipients).toBe(0)
      expect(node.confirmation('local').confirmed).toBe(true)
      await expect(node.catchUp()).rejects.toBeInstanceOf(SharingDisabledError)
      await expect(node.lookup('local')).rejects.toMatchObject({ code: 'SHARING_DISABLED' })
    } finally {
      await node.stop()
    }
  })
})
