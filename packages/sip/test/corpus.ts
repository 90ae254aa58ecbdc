import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root (packages/sip/test → ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export interface IndexRow {
  dir: string
  file: string
  section: string
  name: string
  expected: 'valid' | 'invalid' | 'valid-but-odd'
  note: string
}

/** The torture corpus lives outside the repository, next to it: `../shared/<dir>`. */
export function corpusDir(dir: string): string {
  return path.resolve(repoRoot, '..', 'shared', dir)
}

export function readIndex(dir: string): IndexRow[] {
  const text = readFileSync(path.join(corpusDir(dir), 'INDEX.tsv'), 'utf8')
  const rows: IndexRow[] = []
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue
    const [file, section, name, expected, note] = line.split('\t')
    rows.push({
      dir,
      file: file!,
      section: section!,
      name: name!,
      expected: expected as IndexRow['expected'],
      note: note!,
    })
  }
  return rows
}

export function readMessage(row: Pick<IndexRow, 'dir' | 'file'>): Uint8Array {
  return new Uint8Array(readFileSync(path.join(corpusDir(row.dir), row.file)))
}

export const TORTURE_ROWS: IndexRow[] = [...readIndex('sip-torture'), ...readIndex('sip-torture-ipv6')]
