/** Unsigned LEB128 varints (the multiformats `unsigned-varint`), limited to 2^53 - 1. */

/** Bytes an unsigned varint of `value` takes. */
export function varintLength(value: number): number {
  let n = 1
  let v = value
  while (v >= 0x80) {
    v = Math.floor(v / 128)
    n++
  }
  return n
}

/** Writes `value` at `offset` of `out`; returns the offset after it. */
export function writeVarint(value: number, out: Uint8Array, offset: number): number {
  let v = value
  let o = offset
  while (v >= 0x80) {
    out[o++] = (v % 128) | 0x80
    v = Math.floor(v / 128)
  }
  out[o++] = v
  return o
}

/** Reads a varint at `offset`; `undefined` when truncated or longer than 8 bytes. */
export function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } | undefined {
  let value = 0
  let scale = 1
  for (let i = 0; i < 8; i++) {
    const b = bytes[offset + i]
    if (b === undefined) return undefined
    value += (b & 0x7f) * scale
    if ((b & 0x80) === 0) {
      // minimal encoding only: a trailing zero byte (other than a lone 0) is not canonical
      if (b === 0 && i > 0) return undefined
      return { value, next: offset + i + 1 }
    }
    scale *= 128
  }
  return undefined
}
