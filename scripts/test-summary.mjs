// Adds up the JSON reports that each package's vitest run writes (test-results.json) and
// prints one closing line for the whole suite: "tests: N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

let passed = 0
let failed = 0
let skipped = 0
const missing = []
for (const group of ['packages', 'apps']) {
  if (!existsSync(group)) continue
  for (const name of readdirSync(group)) {
    const dir = join(group, name)
    if (!existsSync(join(dir, 'vitest.config.ts'))) continue
    const file = join(dir, 'test-results.json')
    if (!existsSync(file)) {
      missing.push(dir)
      continue
    }
    const report = JSON.parse(readFileSync(file, 'utf8'))
    passed += report.numPassedTests ?? 0
    failed += report.numFailedTests ?? 0
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    if (report.success === false && (report.numFailedTests ?? 0) === 0) failed += 1
  }
}
for (const dir of missing) {
  console.error(`no test report from ${dir} (its test run did not finish)`)
  failed += 1
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
