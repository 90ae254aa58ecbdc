/**
 * One Ed25519 check (RFC 8032) with each implementation the package can use: libsodium through
 * `sodium-native` (`verifyEd25519` when it loads) and Node's native (OpenSSL) verify with a parsed-key
 * cache (`verifyEd25519Node`). CPU time per check on this thread; the two alternate ROUNDS times and
 * the best round of each is reported. Both must agree on every verdict.
 * Run: node packages/share/bench/verify.ts   (Node 24, from the repo root)
 * Env: N (20000 checks per round), ROUNDS (3).
 */
import { generateKeyPairSync, sign } from 'node:crypto'
import { loadavg } from 'node:os'
import { ED25519_VERIFIER, verifyEd25519, verifyEd25519Node } from '../src/verify-ed25519.ts'

const N = Number(process.env.N ?? 20_000)
const ROUNDS = Number(process.env.ROUNDS ?? 3)

const { publicKey, privateKey } = generateKeyPairSync('ed25519')
const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12))
// 100 distinct 170-byte inputs (a record envelope's size); every tenth signature altered.
const inputs = Array.from({ length: 100 }, (_, i) =>
  new TextEncoder().encode(`record ${i} `.padEnd(170, '.')),
)
const signatures = inputs.map((input, i) => {
  const sig = new Uint8Array(sign(null, input, privateKey))
  if (i % 10 === 9) sig[40]! ^= 1
  return sig
})

function run(verify: typeof verifyEd25519): { us: number; valid: number } {
  let valid = 0
  const cpu = process.cpuUsage()
  for (let i = 0; i < N; i++) if (verify(raw, inputs[i % 100]!, signatures[i % 100]!)) valid++
  const used = process.cpuUsage(cpu)
  return { us: (used.user + used.system) / N, valid }
}

const best = { libsodium: Number.POSITIVE_INFINITY, node: Number.POSITIVE_INFINITY }
for (let round = 0; round < ROUNDS; round++) {
  const a = run(verifyEd25519)
  const b = run(verifyEd25519Node)
  if (a.valid !== b.valid || a.valid !== (N * 9) / 10)
    throw new Error(`verdicts differ: ${a.valid} ${b.valid}`)
  best.libsodium = Math.min(best.libsodium, a.us)
  best.node = Math.min(best.node, b.us)
}
console.log(
  JSON.stringify({
    verifier: ED25519_VERIFIER,
    checks: N,
    cpuUsPerCheck: {
      verifyEd25519: Number(best.libsodium.toFixed(1)),
      nodeCrypto: Number(best.node.toFixed(1)),
    },
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  }),
)
