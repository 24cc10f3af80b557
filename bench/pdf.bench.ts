/**
 * PDF benchmark: the 30-line quotation rendered with pdfmake in Node (the same builder the app's
 * worker runs). Run: npx tsx bench/pdf.bench.ts
 * - cold: a fresh process renders once (fonts read and parsed, first document); median of 5 spawns
 * - warm: median of 20 documents in one process after the fonts are loaded
 * Targets (pdf.md figures on a 2-core VM): warm ≤ 100 ms and ≤ 120 KB, cold ≤ 800 ms.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { formById } from '../forms/registry'
import type { PrintInput } from '../renderer/core/pdf/build-doc'
import { renderPdfNode } from '../scripts/pdf-node'

const FIXTURE = new URL('../forms/quotation/fixtures/quotation-30-lines.json', import.meta.url)

function input(): PrintInput {
  const r = JSON.parse(readFileSync(FIXTURE, 'utf8'))
  return { form: formById('quotation'), record: { number: r.number, version: r.version, state: r.state, values: r.values, lines: r.lines }, refs: r.refs, company: r.company, released: false }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

async function child(): Promise<void> {
  const t0 = performance.now()
  const pdf = await renderPdfNode(input())
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, bytes: pdf.bytes.length, pages: pdf.pages }))
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url)
  const cold: number[] = [], spawnWall: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child'], { encoding: 'utf8' })
    spawnWall.push(performance.now() - t0)
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`)
    cold.push((JSON.parse(r.stdout) as { ms: number }).ms)
  }

  const doc = input()
  const first = await renderPdfNode(doc)
  const warm: number[] = []
  let size = 0, pages = 0
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now()
    const pdf = await renderPdfNode(doc)
    warm.push(performance.now() - t0)
    size = pdf.bytes.length
    pages = pdf.pages
  }

  const row = (name: string, value: string, target: string, ok: boolean): string => `| ${name.padEnd(34)} | ${value.padStart(10)} | ${target.padEnd(9)} | ${ok ? 'ok' : 'OVER'} |`
  const kb = size / 1024
  console.log(`30-line quotation, ${pages} pages (first render in this process ${first.pages} pages)`)
  console.log('| measure                            |     median | target    |      |')
  console.log('|------------------------------------|-----------:|-----------|------|')
  console.log(row('cold: fonts + first document', `${median(cold).toFixed(0)} ms`, '≤ 800 ms', median(cold) <= 800))
  console.log(row('cold: whole process (node+tsx)', `${median(spawnWall).toFixed(0)} ms`, '—', true))
  console.log(row('warm: one document', `${median(warm).toFixed(0)} ms`, '≤ 100 ms', median(warm) <= 100))
  console.log(row('size', `${kb.toFixed(1)} KB`, '≤ 120 KB', kb <= 120))
  console.log(`cold runs: ${cold.map((x) => x.toFixed(0)).join(', ')} ms; warm min/max: ${Math.min(...warm).toFixed(0)}/${Math.max(...warm).toFixed(0)} ms`)
}

if (process.argv.includes('--child')) await child()
else await main()
