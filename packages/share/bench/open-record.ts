/**
 * Cost of signing and of verifying one record (openRecord: size, format, Ed25519, decode, canonical
 * check, validator), in one process.
 * Run: node packages/share/bench/open-record.ts   (Node 24, from the repo root)
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { openRecord, type RecordRules, type SignedRecord, signRecord } from '../src/index.ts'
import { type Observation, observationCodec, validateObservation } from '../test/fixtures/observation.ts'

const N = Number(process.env.N ?? 20_000)
const rules: RecordRules<Observation> = {
  namespace: 'sentrypeer',
  codec: observationCodec,
  validate: validateObservation,
  key: (r) => r.station,
  collectedAt: (r) => r.at,
}
const keys = await Promise.all(Array.from({ length: 50 }, () => generateKeyPair('Ed25519')))
const records: SignedRecord<Observation>[] = []
let t = performance.now()
for (let i = 0; i < N; i++) {
  const key = keys[i % keys.length] as (typeof keys)[number]
  records.push(await signRecord({ station: `s-${i}`, reading: i % 100, at: Date.now() }, key, rules))
}
const signUs = ((performance.now() - t) / N) * 1000
t = performance.now()
let ok = 0
for (const r of records) if ((await openRecord(r.bytes, rules)).ok) ok++
const openUs = ((performance.now() - t) / N) * 1000
console.log(
  JSON.stringify({
    records: N,
    verified: ok,
    signUsPerRecord: Math.round(signUs),
    openUsPerRecord: Math.round(openUs),
  }),
)
