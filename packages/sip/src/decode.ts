/** @internal Decoding byte ranges to strings. */

type Slice = (this: Uint8Array, start: number, end: number) => string

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
// Node's Buffer#utf8Slice works on any Uint8Array and is the fastest decoder there; elsewhere TextDecoder.
const nodeSlice: Slice | undefined = (globalThis as { Buffer?: { prototype: { utf8Slice?: Slice } } }).Buffer
  ?.prototype.utf8Slice

/** Decode bytes[start, end) as UTF-8 (invalid sequences become U+FFFD; a BOM is kept). */
export const decode: (bytes: Uint8Array, start: number, end: number) => string =
  typeof nodeSlice === 'function'
    ? (bytes, start, end) => (end > start ? nodeSlice.call(bytes, start, end) : '')
    : (bytes, start, end) => (end > start ? utf8.decode(bytes.subarray(start, end)) : '')

const nodeLatin1: Slice | undefined = (globalThis as { Buffer?: { prototype: { latin1Slice?: Slice } } })
  .Buffer?.prototype.latin1Slice
const latin1Decoder = new TextDecoder('latin1')

/**
 * Decode bytes[start, end) one char per byte (for ranges known to be ASCII, and for header sections whose
 * char offsets must equal byte offsets).
 */
export const latin1: (bytes: Uint8Array, start: number, end: number) => string =
  typeof nodeLatin1 === 'function'
    ? (bytes, start, end) => (end > start ? nodeLatin1.call(bytes, start, end) : '')
    : (bytes, start, end) => (end > start ? latin1Decoder.decode(bytes.subarray(start, end)) : '')
