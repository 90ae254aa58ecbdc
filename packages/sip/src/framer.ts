/**
 * TCP/TLS stream framer: cuts a byte stream into whole SIP messages.
 *
 * RFC 3261 §18.3: on a stream transport the message boundary is found from the Content-Length header,
 * which is mandatory there. RFC 5626 §3.5.1: a client sends a double CRLF "ping", the server answers a
 * single CRLF "pong"; RFC 3261 §7.5: CRLFs before a start-line are ignored. Keep-alives are reported as
 * their own events.
 *
 * The framer is one O(n) state machine: every byte is looked at once, whatever the chunking, and the
 * events for an input are the same for every split of it into chunks. Limits are checked before bytes
 * are kept, so a peer cannot make the framer hold more than the limits allow.
 */

import { DEFAULT_LIMITS, type SipLimits } from './constants.js'
import { InvalidLimitError, ParseErrorCode, type SipParseError } from './errors.js'

/** The limits the framer enforces: a subset of the parser's {@link SipLimits}, same names and defaults. */
export type FramerLimits = Pick<
  SipLimits,
  'maxMessageBytes' | 'maxHeaderBytes' | 'maxHeaders' | 'maxBodyBytes'
>

/** Options of {@link createFramer}. */
export interface FramerInit {
  /**
   * Overrides of {@link DEFAULT_LIMITS}. The framer uses `maxMessageBytes`, `maxHeaderBytes` (start-line,
   * headers and the empty line), `maxHeaders` (header fields, folded lines and the start-line not counted)
   * and `maxBodyBytes` (the Content-Length value); the others are ignored, so the same object can be
   * passed to the framer and to `parse`.
   */
  limits?: Partial<SipLimits>
}

/** One thing found in the stream. */
export type FramerEvent =
  /** Exactly one SIP message, ready for `parse(bytes, { transport: 'stream' })`. */
  | { type: 'message'; bytes: Uint8Array }
  /**
   * RFC 5626 keep-alive: `ping` is a double CRLF (answer it with a CRLF), reported as soon as it is
   * complete; `pong` is a single CRLF, reported when the next byte shows it is not the start of a ping.
   */
  | { type: 'keepalive'; kind: 'ping' | 'pong' }
  /** Fatal for the stream: the caller closes the connection. Later pushes return nothing. */
  | { type: 'error'; error: SipParseError }

/** A stream framer: one per TCP/TLS connection. */
export interface SipFramer {
  /**
   * Feeds the next chunk of the stream and returns the events it completes, in stream order.
   * The bytes of a message event may share memory with the pushed chunk (no copy when a message
   * lies within one chunk), so do not reuse chunk buffers while their messages are in use.
   */
  push(chunk: Uint8Array): FramerEvent[]
  /** Bytes held for an incomplete message. */
  readonly buffered: number
}

const CR = 0x0d
const LF = 0x0a
const SP = 0x20
const HT = 0x09
const COLON = 0x3a
const CONTENT_LENGTH = 'content-length'
/** Pieces of a message shorter than this are copied into a block instead of kept by reference. */
const COPY_BELOW = 512
/** Size of the blocks small pieces are copied into (capped by maxMessageBytes). */
const SMALL_BLOCK = 4096
/** Content-Length values above this cannot be represented exactly and are rejected as malformed. */
const MAX_CONTENT_LENGTH_VALUE = Number.MAX_SAFE_INTEGER

enum Phase {
  /** Between messages: CR/LF are keep-alives, any other byte starts a message. */
  Idle,
  /** In the header section of a message. */
  Header,
  /** Waiting for the body bytes. */
  Body,
  /** A fatal error happened. */
  Failed,
}

enum Line {
  /** At the first byte of a line. */
  Start,
  /** A CR was the first byte of the line; the next byte decides (LF = end of the header section). */
  StartCr,
  /** Skipping to the end of a line that does not matter for framing (start-line, other headers). */
  Skip,
  /** Reading a header name. */
  Name,
  /** Reading the value of a Content-Length header. */
  Value,
}

enum Value {
  /** Leading whitespace. */
  Before,
  /** In the digits. */
  Digits,
  /** Trailing whitespace. */
  After,
}

class StreamFramer implements SipFramer {
  readonly #limits: FramerLimits
  #phase: Phase = Phase.Idle
  /** Stream offset of the first byte of the chunk being processed. */
  #chunkOffset = 0

  // Idle state
  #idleLineEnds = 0
  #idleCr = false

  // The message being framed
  /** Kept pieces of the current message: large ones by reference, small ones copied into `#small`. */
  #parts: Uint8Array[] = []
  #partsLength = 0
  /** Block that small pieces are copied into (see {@link COPY_BELOW}); its used part ends the message. */
  #small: Uint8Array | undefined
  #smallLength = 0
  /** Stream offset of the first byte of the current message. */
  #messageStart = 0
  #line: Line = Line.Start
  #firstLine = true
  #headers = 0
  #nameLength = 0
  /** Header-name match so far: 0 = not Content-Length, 1 = prefix of `content-length`, 2 = `l`. */
  #nameMatch = 0
  #nameEnded = false
  #valueState: Value = Value.Before
  #valueCr = false
  #value = 0
  /** The header whose value is being read (or was read last) is a Content-Length header. */
  #inContentLength = false
  #contentLength = -1
  /** Total message length once the header section is complete. */
  #messageLength = 0

  constructor(init: FramerInit) {
    const limits = { ...DEFAULT_LIMITS, ...init.limits }
    for (const name of ['maxMessageBytes', 'maxHeaderBytes', 'maxHeaders', 'maxBodyBytes'] as const) {
      const value = limits[name]
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new InvalidLimitError(`limits.${name} must be a positive safe integer, got ${String(value)}`)
      }
    }
    this.#limits = limits
  }

  get buffered(): number {
    return this.#partsLength
  }

  push(chunk: Uint8Array): FramerEvent[] {
    const events: FramerEvent[] = []
    if (this.#phase === Phase.Failed) return events
    const length = chunk.length
    let pos = 0
    /** Position in this chunk where the current message starts (0 when it began in an earlier chunk). */
    let start = 0
    while (pos < length) {
      if (this.#phase === Phase.Idle) {
        pos = this.#idle(chunk, pos, events)
        if (this.#failed()) return this.#fail(events)
        start = pos
      } else if (this.#phase === Phase.Header) {
        pos = this.#header(chunk, pos)
        if (this.#failed()) return this.#fail(events)
      } else {
        const have = this.#partsLength + (pos - start)
        const missing = this.#messageLength - have
        const available = length - pos
        if (available < missing) {
          pos = length
          break
        }
        pos += missing
      }
      // The message is complete: its body has arrived, or the header section that just ended holds it
      // all (empty body).
      if (this.#phase === Phase.Body && this.#partsLength + (pos - start) === this.#messageLength) {
        events.push({ type: 'message', bytes: this.#take(chunk, start, pos) })
        this.#reset(this.#chunkOffset + pos)
        start = pos
      }
    }
    if (this.#phase !== Phase.Idle && pos > start) this.#keep(chunk, start, pos)
    this.#chunkOffset += length
    return events
  }

  /** Idle phase: consumes keep-alive bytes; returns the position of the first message byte. */
  #idle(chunk: Uint8Array, pos: number, events: FramerEvent[]): number {
    const length = chunk.length
    while (pos < length) {
      const b = chunk[pos]!
      if (b === CR) {
        if (this.#idleCr)
          return this.#error(ParseErrorCode.BAD_FRAMING, pos, 'CR not followed by LF between messages')
        this.#idleCr = true
      } else if (b === LF) {
        this.#idleCr = false
        if (++this.#idleLineEnds === 2) {
          this.#idleLineEnds = 0
          events.push({ type: 'keepalive', kind: 'ping' })
        }
      } else {
        if (this.#idleCr)
          return this.#error(ParseErrorCode.BAD_FRAMING, pos, 'CR not followed by LF between messages')
        if (this.#idleLineEnds === 1) {
          this.#idleLineEnds = 0
          events.push({ type: 'keepalive', kind: 'pong' })
        }
        this.#phase = Phase.Header
        this.#messageStart = this.#chunkOffset + pos
        return pos
      }
      pos++
    }
    return pos
  }

  /**
   * Header phase: scans at most up to the header-size limit; returns the position after the bytes
   * consumed. Switches to the body phase at the end of the header section.
   */
  #header(chunk: Uint8Array, pos: number): number {
    const base = this.#chunkOffset
    const budget = Math.min(this.#limits.maxHeaderBytes, this.#limits.maxMessageBytes)
    const headerBudgetEnd = this.#messageStart + budget - base
    const end = Math.min(chunk.length, headerBudgetEnd)
    while (pos < end) {
      switch (this.#line) {
        case Line.Start: {
          const b = chunk[pos]!
          if (b === SP || b === HT) {
            // Folded continuation of the previous header (RFC 3261 §7.3.1).
            this.#line = this.#inContentLength ? Line.Value : Line.Skip
            if (this.#line === Line.Value) this.#valueCr = false
            pos++
            break
          }
          if (!this.#endContentLength(pos)) return pos
          if (b === CR) {
            this.#line = Line.StartCr
            pos++
            break
          }
          if (b === LF) return this.#headerEnd(pos + 1)
          this.#newHeader(pos)
          if (this.#failed()) return pos
          break
        }
        case Line.StartCr: {
          if (chunk[pos] === LF) return this.#headerEnd(pos + 1)
          // A line that starts with a bare CR: a malformed header line, left for the parser to reject.
          this.#newHeader(pos)
          if (this.#failed()) return pos
          this.#line = Line.Skip
          break
        }
        case Line.Skip: {
          const lf = chunk.indexOf(LF, pos)
          if (lf < 0 || lf >= end) {
            pos = end
            break
          }
          pos = lf + 1
          this.#line = Line.Start
          break
        }
        case Line.Name: {
          const b = chunk[pos]!
          if (b === COLON) {
            if (
              this.#nameMatch !== 0 &&
              this.#nameLength === (this.#nameMatch === 1 ? CONTENT_LENGTH.length : 1)
            ) {
              this.#inContentLength = true
              this.#valueState = Value.Before
              this.#valueCr = false
              this.#value = 0
              this.#line = Line.Value
            } else {
              this.#line = Line.Skip
            }
            pos++
            break
          }
          if (b === LF) {
            // A header line without a colon: malformed, left for the parser.
            this.#line = Line.Start
            pos++
            break
          }
          if (b === SP || b === HT) {
            this.#nameEnded = true
          } else if (this.#nameEnded) {
            this.#nameMatch = 0
          } else {
            this.#matchName(b)
          }
          pos++
          break
        }
        case Line.Value: {
          pos = this.#valueByte(chunk[pos]!, pos)
          if (this.#failed()) return pos
          break
        }
      }
    }
    if (pos < chunk.length && this.#phase === Phase.Header) {
      this.#error(
        ParseErrorCode.HEADERS_TOO_LARGE,
        pos,
        `header section larger than maxHeaderBytes (${this.#limits.maxHeaderBytes})`,
      )
    }
    return pos
  }

  /** Starts a header line at `pos` (its first byte is not consumed). */
  #newHeader(pos: number): void {
    if (this.#firstLine) {
      this.#firstLine = false
      this.#line = Line.Skip
      return
    }
    if (++this.#headers > this.#limits.maxHeaders) {
      this.#error(
        ParseErrorCode.TOO_MANY_HEADERS,
        pos,
        `more than maxHeaders (${this.#limits.maxHeaders}) header fields`,
      )
      return
    }
    this.#line = Line.Name
    this.#nameLength = 0
    this.#nameEnded = false
    this.#nameMatch = 1
  }

  /** Matches one header-name byte against `Content-Length` and its compact form `l` (any case). */
  #matchName(b: number): void {
    const n = this.#nameLength++
    if (this.#nameMatch === 0) return
    const lower = b >= 0x41 && b <= 0x5a ? b | 0x20 : b
    if (n === 0) {
      this.#nameMatch = lower === 0x63 /* c */ ? 1 : lower === 0x6c /* l */ ? 2 : 0
    } else if (
      this.#nameMatch === 2 ||
      n >= CONTENT_LENGTH.length ||
      lower !== CONTENT_LENGTH.charCodeAt(n)
    ) {
      this.#nameMatch = 0
    }
  }

  /** One byte of a Content-Length value: `*WSP 1*DIGIT *WSP` with folding handled by the line state. */
  #valueByte(b: number, pos: number): number {
    if (this.#valueCr && b !== LF) {
      return this.#error(ParseErrorCode.BAD_CONTENT_LENGTH, pos, 'CR inside the Content-Length value')
    }
    if (b >= 0x30 && b <= 0x39) {
      if (this.#valueState === Value.After) {
        return this.#error(
          ParseErrorCode.BAD_CONTENT_LENGTH,
          pos,
          'whitespace inside the Content-Length value',
        )
      }
      this.#valueState = Value.Digits
      this.#value = this.#value * 10 + (b - 0x30)
      if (this.#value > MAX_CONTENT_LENGTH_VALUE) {
        return this.#error(ParseErrorCode.BAD_CONTENT_LENGTH, pos, 'Content-Length value overflows')
      }
    } else if (b === SP || b === HT) {
      if (this.#valueState === Value.Digits) this.#valueState = Value.After
    } else if (b === CR) {
      this.#valueCr = true
    } else if (b === LF) {
      this.#valueCr = false
      if (this.#valueState === Value.Digits) this.#valueState = Value.After
      this.#line = Line.Start
    } else {
      return this.#error(
        ParseErrorCode.BAD_CONTENT_LENGTH,
        pos,
        'Content-Length value is not a decimal number',
      )
    }
    return pos + 1
  }

  /**
   * Called at the start of a line that is not a folded continuation: completes a pending Content-Length
   * value. Returns false after an error.
   */
  #endContentLength(pos: number): boolean {
    if (!this.#inContentLength) return true
    this.#inContentLength = false
    if (this.#valueState === Value.Before) {
      this.#error(ParseErrorCode.BAD_CONTENT_LENGTH, pos, 'empty Content-Length value')
      return false
    }
    const value = this.#value
    if (this.#contentLength >= 0 && this.#contentLength !== value) {
      this.#error(
        ParseErrorCode.CONFLICTING_CONTENT_LENGTH,
        pos,
        'Content-Length headers with different values',
      )
      return false
    }
    if (value > this.#limits.maxBodyBytes) {
      this.#error(
        ParseErrorCode.BODY_TOO_LARGE,
        pos,
        `Content-Length ${value} over maxBodyBytes (${this.#limits.maxBodyBytes})`,
      )
      return false
    }
    this.#contentLength = value
    return true
  }

  /** The header section ends before `next` (a chunk position). */
  #headerEnd(next: number): number {
    const headerLength = this.#chunkOffset + next - this.#messageStart
    if (this.#contentLength < 0) {
      return this.#error(
        ParseErrorCode.MISSING_CONTENT_LENGTH,
        next - 1,
        'no Content-Length header on a stream transport',
      )
    }
    const total = headerLength + this.#contentLength
    if (total > this.#limits.maxMessageBytes) {
      return this.#error(
        ParseErrorCode.MESSAGE_TOO_LARGE,
        next - 1,
        `message of ${total} bytes over maxMessageBytes (${this.#limits.maxMessageBytes})`,
      )
    }
    this.#messageLength = total
    this.#phase = Phase.Body
    return next
  }

  /**
   * Keeps `chunk[start, end)` until the message is complete. Large pieces are kept by reference; small
   * ones are copied into blocks, so a peer sending one byte per segment costs one byte of memory per
   * byte, not one object per byte.
   */
  #keep(chunk: Uint8Array, start: number, end: number): void {
    const length = end - start
    this.#partsLength += length
    if (length >= COPY_BELOW) {
      this.#closeSmall()
      this.#parts.push(chunk.subarray(start, end))
      return
    }
    let small = this.#small
    if (small === undefined || this.#smallLength + length > small.length) {
      this.#closeSmall()
      small = new Uint8Array(Math.min(SMALL_BLOCK, this.#limits.maxMessageBytes))
      this.#small = small
    }
    let at = this.#smallLength
    for (let i = start; i < end; i++) small[at++] = chunk[i]!
    this.#smallLength = at
  }

  /** Moves the used part of the small-piece block to the parts list. */
  #closeSmall(): void {
    if (this.#small !== undefined && this.#smallLength > 0) {
      this.#parts.push(this.#small.subarray(0, this.#smallLength))
    }
    this.#small = undefined
    this.#smallLength = 0
  }

  /** The bytes of the finished message: the kept parts plus `chunk[start, end)`. */
  #take(chunk: Uint8Array, start: number, end: number): Uint8Array {
    if (this.#partsLength === 0) return chunk.subarray(start, end)
    this.#closeSmall()
    const out = new Uint8Array(this.#partsLength + end - start)
    let at = 0
    for (const part of this.#parts) {
      out.set(part, at)
      at += part.length
    }
    out.set(chunk.subarray(start, end), at)
    return out
  }

  /** Back to the idle phase after a message; `offset` is the stream offset of the next byte. */
  #reset(offset: number): void {
    this.#phase = Phase.Idle
    this.#parts = []
    this.#partsLength = 0
    this.#small = undefined
    this.#smallLength = 0
    this.#messageStart = offset
    this.#line = Line.Start
    this.#firstLine = true
    this.#headers = 0
    this.#inContentLength = false
    this.#contentLength = -1
    this.#messageLength = 0
  }

  #pendingError: SipParseError | undefined

  /** A method rather than an inline comparison: the phase changes inside the calls that precede it. */
  #failed(): boolean {
    return this.#phase === Phase.Failed
  }

  /** Records a fatal error at chunk position `pos`; returns `pos` for convenience. */
  #error(code: ParseErrorCode, pos: number, message: string): number {
    this.#phase = Phase.Failed
    this.#pendingError = { code, offset: this.#chunkOffset + pos, message }
    return pos
  }

  #fail(events: FramerEvent[]): FramerEvent[] {
    events.push({ type: 'error', error: this.#pendingError! })
    this.#pendingError = undefined
    this.#parts = []
    this.#partsLength = 0
    this.#small = undefined
    this.#smallLength = 0
    return events
  }
}

/**
 * Creates a framer for one TCP or TLS connection.
 *
 * @example
 * ```ts
 * import { createFramer, parse } from '@sentrypeer/sip'
 *
 * const framer = createFramer()
 * socket.on('data', (chunk: Buffer) => {
 *   for (const event of framer.push(chunk)) {
 *     if (event.type === 'message') handle(parse(event.bytes, { transport: 'stream' }))
 *     else if (event.type === 'keepalive' && event.kind === 'ping') socket.write('\r\n')
 *     else if (event.type === 'error') socket.destroy()
 *   }
 * })
 * ```
 */
export function createFramer(init: FramerInit = {}): SipFramer {
  return new StreamFramer(init)
}
