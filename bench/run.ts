/**
 * `npm run bench -- <name…>` runs the named benchmarks (`bench/<name>.bench.ts`) one after another;
 * with no name it lists them. Each prints its own medians (figures go to docs/performance.md).
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = path.dirname(fileURLToPath(import.meta.url))
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort()
const asked = process.argv.slice(2)
if (asked.length === 0) {
  console.log(`benchmarks: ${all.join(', ')}\nrun: npm run bench -- <name…>  (see bench/README.md)`)
  process.exit(0)
}
const unknown = asked.filter((a) => !all.includes(a))
if (unknown.length) { console.error(`no such benchmark: ${unknown.join(', ')} (have: ${all.join(', ')})`); process.exit(2) }
for (const name of asked) {
  console.log(`\n== ${name} ==`)
  const r = spawnSync('npx', ['tsx', path.join(dir, `${name}.bench.ts`)], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
