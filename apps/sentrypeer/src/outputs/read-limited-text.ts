/**
 * Reads a fetch response body as UTF-8 text, at most `maxBytes`; a longer body is cut there and the rest
 * cancelled, so a hostile or broken server cannot make us buffer without bound.
 */
export async function readLimitedText(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      total += value.byteLength
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes))
}

/** Discards a response body so the connection can be reused. */
export async function discardBody(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {})
}
