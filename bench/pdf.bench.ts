/**
 * PDF benchmark: the 30-line quotation rendered with pdfmake in Node (the same builder the app's
 * worker runs). Run: npx tsx bench/pdf.bench.ts [--browser]
 * - cold: a fresh process renders once (fonts read and parsed, first document); median of 5 spawns
 * - warm: median of 20 documents in one process after the fonts are loaded (wall and CPU time)
 * - --browser: also builds the real worker + client with Vite and measures them in Chromium
 * Targets (pdf.md figures on a 2-core VM): warm ≤ 100 ms and ≤ 120 KB, cold ≤ 800 ms.
 * Wall times on a shared machine depend on its load, printed with the table.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { extname, join } from 'node:path'
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
  const warm: number[] = [], cpu: number[] = []
  let size = 0, pages = 0
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now()
    const u0 = process.cpuUsage()
    const pdf = await renderPdfNode(doc)
    const du = process.cpuUsage(u0)
    warm.push(performance.now() - t0)
    cpu.push((du.user + du.system) / 1000)
    size = pdf.bytes.length
    pages = pdf.pages
  }

  const row = (name: string, value: string, target: string, ok: boolean): string => `| ${name.padEnd(34)} | ${value.padStart(10)} | ${target.padEnd(9)} | ${ok ? 'ok' : 'OVER'} |`
  const kb = size / 1024
  console.log(`30-line quotation, ${pages} pages (first render ${first.pages}); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`)
  console.log('| measure                            |     median | target    |      |')
  console.log('|------------------------------------|-----------:|-----------|------|')
  console.log(row('cold: fonts + first document', `${median(cold).toFixed(0)} ms`, '≤ 800 ms', median(cold) <= 800))
  console.log(row('cold: whole process (node+tsx)', `${median(spawnWall).toFixed(0)} ms`, '—', true))
  console.log(row('warm: one document', `${median(warm).toFixed(0)} ms`, '≤ 100 ms', median(warm) <= 100))
  console.log(row('warm: one document, CPU time', `${median(cpu).toFixed(0)} ms`, '—', true))
  console.log(row('size', `${kb.toFixed(1)} KB`, '≤ 120 KB', kb <= 120))
  console.log(`cold runs: ${cold.map((x) => x.toFixed(0)).join(', ')} ms; warm min/max: ${Math.min(...warm).toFixed(0)}/${Math.max(...warm).toFixed(0)} ms`)
}

/** Builds a page with the app's pdf-client + worker (Vite) and measures it in Chromium. */
async function browser(): Promise<void> {
  const { build } = await import('vite')
  const { chromium } = await import('@playwright/test')
  const root = mkdtempSync(join(tmpdir(), 'md-pdf-bench-'))
  const client = fileURLToPath(new URL('../renderer/src/services/pdf/pdf-client.ts', import.meta.url))
  writeFileSync(join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./main.ts"></script>')
  writeFileSync(join(root, 'main.ts'), `
    import { renderPdf, warmUpPdf } from ${JSON.stringify(client)}
    import r from ${JSON.stringify(fileURLToPath(FIXTURE))}
    const input = { formId: 'quotation', record: { number: r.number, version: r.version, state: r.state, values: r.values, lines: r.lines }, refs: r.refs, company: r.company, released: false }
    ;(async () => {
      try {
        const t0 = performance.now(); await warmUpPdf()
        const t1 = performance.now(); const first = await renderPdf(input)
        const t2 = performance.now(); const warm = []
        let last = first
        for (let i = 0; i < 20; i++) { const a = performance.now(); last = await renderPdf(input); warm.push(performance.now() - a) }
        warm.sort((a, b) => a - b)
        window.benchResult = { fonts: t1 - t0, first: t2 - t1, warm: (warm[9] + warm[10]) / 2, size: last.bytes.length, pages: last.pages }
      } catch (e) { window.benchResult = { error: String(e) } }
    })()`)
  const outDir = join(root, 'dist')
  await build({ configFile: false, root, base: './', logLevel: 'warn', build: { outDir, target: 'es2022' }, worker: { format: 'es' } })
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.ttf': 'font/ttf' }
  const server = createServer((req, res) => {
    const path = join(outDir, decodeURIComponent((req.url ?? '/').split('?')[0]!.replace(/^\/$/, '/index.html')))
    try { const body = readFileSync(path); res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }); res.end(body) } catch { res.writeHead(404); res.end() }
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as { port: number }).port
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium' })
  try {
    const page = await b.newPage()
    await page.goto(`http://127.0.0.1:${port}/`)
    await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult, null, { timeout: 180_000 })
    const r = await page.evaluate(() => (window as unknown as { benchResult: Record<string, number | string> }).benchResult)
    if ('error' in r) throw new Error(String(r.error))
    const ms = (x: unknown): string => `${Number(x).toFixed(0)} ms`
    console.log(`\nChromium, the app's worker (pdfmake browser build, fonts fetched once), ${r.pages} pages:`)
    console.log(`| fonts fetched + parsed: ${ms(r.fonts)} | first document: ${ms(r.first)} | warm median of 20: ${ms(r.warm)} | ${(Number(r.size) / 1024).toFixed(1)} KB |`)
  } finally {
    await b.close()
    server.close()
  }
}

if (process.argv.includes('--child')) await child()
else {
  await main()
  if (process.argv.includes('--browser')) await browser()
}
