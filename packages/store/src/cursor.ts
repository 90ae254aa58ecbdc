/** Longest cursor text accepted (a cursor is a couple of values, far shorter than this). */
const MAX_CURSOR_LENGTH = 1_024

/** Encodes the keyset position of the last row of a page as an opaque URL-safe string. */
export function encodeCursor(values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url')
}

/**
 * Decodes a cursor made by {@link encodeCursor}, checking it has exactly the expected value types.
 * Returns `undefined` for anything else (cursors come from HTTP clients).
 */
export function decodeCursor(
  text: string,
  shape: ReadonlyArray<'string' | 'number'>,
): Array<string | number> | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CURSOR_LENGTH) return undefined
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined
  let values: unknown
  try {
    values = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (!Array.isArray(values) || values.length !== shape.length) return undefined
  for (let i = 0; i < shape.length; i++) {
    const value: unknown = values[i]
    if (shape[i] === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined
    } else if (typeof value !== 'string') {
      return undefined
    }
  }
  return values as Array<string | number>
}
