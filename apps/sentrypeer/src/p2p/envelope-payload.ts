/**
 * The record payload inside a signed envelope (docs/p2p.md, "Record envelope": version byte, varint
 * key length, key, varint payload length, payload, varint signature length, signature). Used only on
 * envelopes this node already verified and stored; returns undefined on anything malformed.
 */
export function envelopePayload(bytes: Uint8Array): Uint8Array | undefined {
  let o = 1
  const read = (): number | undefined => {
    let value = 0
    for (let shift = 0; shift < 35; shift += 7) {
      const b = bytes[o++]
      if (b === undefined) return undefined
      value += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return value
    }
    return undefined
  }
  const keyLength = read()
  if (keyLength === undefined) return undefined
  o += keyLength
  const payloadLength = read()
  if (payloadLength === undefined || o + payloadLength > bytes.length) return undefined
  return bytes.subarray(o, o + payloadLength)
}
