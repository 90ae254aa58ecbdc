import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** apps/sentrypeer */
export const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The repository root. */
export const repoRoot = resolve(appRoot, '..', '..')
/** The `sentrypeer` command. */
export const binPath = join(appRoot, 'bin', 'sentrypeer.js')

export function tempDir(prefix = 'sentrypeer-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}
