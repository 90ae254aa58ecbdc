import {
  type CheckResult,
  checkPayload,
  type OpenResult,
  openedRecord,
  type ParsedEnvelope,
  type ParseResult,
  parseEnvelope,
  type RecordRules,
  recordId,
} from './signed-record.ts'
import { verifyEd25519 } from './verify-ed25519.ts'
import type { VerifyPool } from './verify-pool.ts'

/**
 * `openRecord` for a page of envelopes, with the signatures checked on `pool`'s worker threads (or on
 * this thread without a pool) while this thread decodes and validates the payloads. Every result is
 * exactly what `openRecord` gives for that envelope, in the same order. Rejects only with
 * `VerifyWorkerError` (the signatures could not be checked at all); hostile input never throws.
 */
export async function openRecords<R>(
  list: Uint8Array[],
  rules: RecordRules<R>,
  pool: VerifyPool | undefined,
  now = Date.now(),
): Promise<OpenResult<R>[]> {
  const parsed: ParseResult[] = new Array(list.length)
  const envelopes: ParsedEnvelope[] = []
  for (let i = 0; i < list.length; i++) {
    const p = parseEnvelope(list[i] as Uint8Array, rules)
    parsed[i] = p
    if (p.ok) envelopes.push(p.envelope)
  }
  // start the signature checks first, then do the payload checks here while the workers run
  const verified = pool !== undefined && envelopes.length > 0 ? pool.verify(envelopes) : undefined
  const checked: CheckResult<R>[] = envelopes.map((e) => checkPayload(e, rules, now))
  let sigOk: Uint8Array
  let ids: string[]
  if (verified !== undefined) {
    ;({ ok: sigOk, ids } = await verified)
  } else {
    sigOk = new Uint8Array(envelopes.length)
    ids = new Array(envelopes.length)
    for (let j = 0; j < envelopes.length; j++) {
      const e = envelopes[j] as ParsedEnvelope
      sigOk[j] = verifyEd25519(e.publicKey, e.input, e.signature) ? 1 : 0
      ids[j] = recordId(e.input)
    }
  }
  const out: OpenResult<R>[] = new Array(list.length)
  let j = 0
  for (let i = 0; i < list.length; i++) {
    const p = parsed[i] as ParseResult
    if (!p.ok) {
      out[i] = p
      continue
    }
    out[i] = openedRecord(p.envelope, sigOk[j] === 1, checked[j] as CheckResult<R>, ids[j] as string)
    j++
  }
  return out
}
