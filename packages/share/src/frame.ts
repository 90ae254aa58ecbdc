import { readVarint, varintLength, writeVarint } from './varint.ts'

/** First byte of a frame on the request/response protocols. */
export const FRAME_CONTROL = 0x01
export const FRAME_RECORDS = 0x02

export type Frame =
  | { type: 'control'; message: Record<string, unknown> }
  | { type: 'records'; records: Uint8Array[] }

export type FrameResult = { ok: true; frame: Frame } | { ok: false; offset: number; message: string }

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** A control frame: 0x01 then a UTF-8 JSON object. */
export function controlFrame(message: Record<string, unknown>): Uint8Array {
  const json = encoder.encode(JSON.stringify(message))
  const out = new Uint8Array(1 + json.length)
  out[0] = FRAME_CONTROL
  out.set(json, 1)
  return out
}

/** A records frame: 0x02 then each envelope prefixed by its unsigned-varint length. */
export function recordsFrame(records: Uint8Array[]): Uint8Array {
  let size = 1
  for (const r of records) size += varintLength(r.length) + r.length
  const out = new Uint8Array(size)
  out[0] = FRAME_RECORDS
  let o = 1
  for (const r of records) {
    o = writeVarint(r.length, out, o)
    out.set(r, o)
    o += r.length
  }
  return out
}

/** Decodes one frame; never throws. */
export function decodeFrame(bytes: Uint8Array): FrameResult {
  if (bytes[0] === FRAME_CONTROL) {
    let message: unknown
    try {
      message = JSON.parse(decoder.decode(bytes.subarray(1)))
    } catch {
      return { ok: false, offset: 1, message: 'control frame is not UTF-8 JSON' }
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return { ok: false, offset: 1, message: 'control frame is not a JSON object' }
    }
    return { ok: true, frame: { type: 'control', message: message as Record<string, unknown> } }
  }
  if (bytes[0] === FRAME_RECORDS) {
    const records: Uint8Array[] = []
    let o = 1
    while (o < bytes.length) {
      const len = readVarint(bytes, o)
      if (len === undefined || len.next + len.value > bytes.length) {
        return { ok: false, offset: o, message: 'record length runs past the end of the frame' }
      }
      records.push(bytes.subarray(len.next, len.next + len.value))
      o = len.next + len.value
    }
    return { ok: true, frame: { type: 'records', records } }
  }
  return { ok: false, offset: 0, message: `unknown frame type ${bytes[0]}` }
}
