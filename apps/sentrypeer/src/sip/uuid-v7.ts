import { randomFillSync } from 'node:crypto'

/** Random bytes drawn from the CSPRNG at once, so one event does not cost one `getrandom` call. */
const POOL_BYTES = 4096
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

let pool = Buffer.allocUnsafeSlow(POOL_BYTES)
let poolAt = POOL_BYTES
let lastMs = -1
let lastSeq = 0

/**
 * A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then random bits. Event UUIDs
 * are time-ordered, so the store's unique index on them grows at its right edge instead of touching a
 * random B-tree page per event (a version 4 UUID does), which is what a write transaction copies into
 * the WAL. Within one millisecond the 12-bit `rand_a` field counts up from a random start (§6.2,
 * method 1: "fixed bit-length dedicated counter"), so UUIDs made in the same millisecond sort in the order
 * they were made; a counter overflow borrows the next millisecond.
 *
 * @example
 * uuidV7(Date.now()) // '019a9d7c-3f2a-7d41-9c3e-5b0f6c2e8a11'
 */
export function uuidV7(ms: number = Date.now()): string {
  if (poolAt + 10 > POOL_BYTES) {
    randomFillSync(pool)
    poolAt = 0
  }
  const r = pool
  const at = poolAt
  poolAt += 10
  let time = Math.trunc(ms)
  let seq: number
  if (time <= lastMs) {
    time = lastMs
    seq = lastSeq + 1
    if (seq > 0xfff) {
      time = lastMs + 1
      seq = (r[at]! << 4) & 0x7ff
    }
  } else {
    // Start in the lower half so a burst in one millisecond has room to count before borrowing.
    seq = ((r[at]! << 4) | (r[at + 1]! >> 4)) & 0x7ff
  }
  lastMs = time
  lastSeq = seq
  const hi = Math.floor(time / 0x1_0000_0000)
  const lo = time >>> 0
  return (
    HEX[(hi >>> 8) & 0xff]! +
    HEX[hi & 0xff]! +
    HEX[lo >>> 24]! +
    HEX[(lo >>> 16) & 0xff]! +
    '-' +
    HEX[(lo >>> 8) & 0xff]! +
    HEX[lo & 0xff]! +
    '-' +
    HEX[0x70 | (seq >>> 8)]! +
    HEX[seq & 0xff]! +
    '-' +
    HEX[0x80 | (r[at + 2]! & 0x3f)]! +
    HEX[r[at + 3]!]! +
    '-' +
    HEX[r[at + 4]!]! +
    HEX[r[at + 5]!]! +
    HEX[r[at + 6]!]! +
    HEX[r[at + 7]!]! +
    HEX[r[at + 8]!]! +
    HEX[r[at + 9]!]!
  )
}

/** For tests: forget the last millisecond and counter (another process starts from scratch too). */
export function resetUuidV7State(): void {
  lastMs = -1
  lastSeq = 0
  pool = Buffer.allocUnsafeSlow(POOL_BYTES)
  poolAt = POOL_BYTES
}
