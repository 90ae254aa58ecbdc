/**
 * Makes room for one more entry in a bounded map used as an LRU or FIFO cache: at `max` entries, forgets
 * the entry inserted (or re-inserted) longest ago.
 */
export function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  if (map.size < max) return
  const oldest = map.keys().next()
  if (oldest.done !== true) map.delete(oldest.value)
}
