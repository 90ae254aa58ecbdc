import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateKey, signRecord } from '@sentrypeer/share'
import { describe, expect, it } from 'vitest'
import { envelopePayload } from '../../src/p2p/envelope-payload.js'
import {
  type SentryPeerRecord,
  sentryPeerRecordCodec,
  validateSentryPeerRecord,
} from '../../src/p2p/index.js'

const record: SentryPeerRecord = {
  v: 1,
  eventUuid: '0b7c2a4e-7f0e-4d7e-9a51-2f3b9c1d0e11',
  eventTime: Date.now() - 1_000,
  sourceIp: '45.77.0.2',
  sourcePort: 5070,
  transport: 'udp',
  method: 'INVITE',
  calledNumberRaw: '100',
  calledNumber: '100',
  userAgent: 'friendly-scanner',
  collectionMode: 'passive',
}

describe('envelopePayload', () => {
  it('finds the record inside an envelope signed by @sentrypeer/share, and refuses truncated ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-envelope-'))
    try {
      const key = await loadOrCreateKey(join(dir, 'p2p.key'))
      const signed = await signRecord(record, key, {
        namespace: 'sentrypeer',
        codec: sentryPeerRecordCodec,
        validate: validateSentryPeerRecord,
        key: (r) => r.sourceIp,
        collectedAt: (r) => r.eventTime,
      })
      const payload = envelopePayload(signed.bytes)
      expect(payload).toEqual(sentryPeerRecordCodec.encode(record))
      expect(sentryPeerRecordCodec.decode(payload as Uint8Array)).toEqual(record)
      expect(envelopePayload(signed.bytes.subarray(0, 40))).toBeUndefined()
      expect(envelopePayload(new Uint8Array([1]))).toBeUndefined()
      expect(envelopePayload(new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
