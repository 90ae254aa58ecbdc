import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { SipEventInput } from '../src/index.js'

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentrypeer-store-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

let sequence = 0

/** A realistic event (a SIPVicious-style INVITE scan); override any field. */
export function makeEvent(overrides: Partial<SipEventInput> = {}): SipEventInput {
  sequence++
  return {
    eventTime: Date.now(),
    eventUuid: `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`,
    sourceIp: '203.0.113.7',
    sourcePort: 5071,
    destinationIp: '192.0.2.1',
    destinationPort: 5060,
    transport: 'udp',
    method: 'INVITE',
    calledNumberRaw: 'sip:+44 20 7946 0000@192.0.2.1',
    calledNumberNormalized: '+442079460000',
    userAgent: 'friendly-scanner',
    callId: `${sequence}-scan@203.0.113.7`,
    rawMessage:
      'INVITE sip:+442079460000@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.7:5071;branch=z9hG4bK-1\r\n' +
      'From: <sip:100@203.0.113.7>;tag=1\r\nTo: <sip:+442079460000@192.0.2.1>\r\nCall-ID: 1-scan\r\n' +
      'CSeq: 1 INVITE\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n',
    collectionMode: 'passive',
    collectorNodeId: 'node-local',
    origin: 'local',
    ...overrides,
  }
}

/** Waits until `condition()` holds, polling on the event loop (no time limit: the test timeout applies). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1))
}
