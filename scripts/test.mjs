// `npm test`: type checks, unit tests (Vitest, Node) then end-to-end tests (Playwright in Debian's Chromium),
// then one closing line `N passed, N failed, N skipped` with the real totals of both runners.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs'

mkdirSync('.tmp', { recursive: true })
const only = process.argv[2] // 'unit' | 'e2e' | undefined (both)
const totals = { passed: 0, failed: 0, skipped: 0 }
let broken = false

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status ?? 1
}

function readJson(path) {
  try { return JSON.parse(readFileSync(path, 'utf8')) } catch { return null }
}

if (only !== 'e2e') {
  // Types first: vue-tsc over the app, tsc over the pure core (no DOM types, see renderer/core/tsconfig.json).
  if (run('npm', ['run', '--silent', 'typecheck']) !== 0) { console.error('typecheck failed'); broken = true }
  rmSync('.tmp/vitest.json', { force: true })
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.tmp/vitest.json'])
  const j = readJson('.tmp/vitest.json')
  if (!j) { console.error('vitest produced no report'); broken = true }
  else {
    totals.passed += j.numPassedTests
    totals.failed += j.numFailedTests
    totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0)
    if (code !== 0 && j.numFailedTests === 0) { console.error(`vitest exited ${code} (a suite failed to load?)`); broken = true }
  }
}

if (only !== 'unit') {
  rmSync('.tmp/playwright.json', { force: true })
  const code = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: '.tmp/playwright.json' })
  const j = existsSync('.tmp/playwright.json') ? readJson('.tmp/playwright.json') : null
  if (!j) { console.error('playwright produced no report'); broken = true }
  else {
    totals.passed += (j.stats.expected ?? 0) + (j.stats.flaky ?? 0)
    totals.failed += j.stats.unexpected ?? 0
    totals.skipped += j.stats.skipped ?? 0
    if (code !== 0 && !j.stats.unexpected) { console.error(`playwright exited ${code}`); broken = true }
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(totals.failed > 0 || broken ? 1 : 0)
