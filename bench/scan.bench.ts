/**
 * Scan-reading benchmark.
 *
 * `npx tsx bench/scan.bench.ts` — how long finding the QR identities of one page takes:
 * - decode only: decodePage on an RGBA page already in memory (pdftoppm render of the printed
 *   quotation; a "scan" = rotated 2°, noise, JPEG q40), on a page with no QR, and on a 2-up copier
 *   sheet of the two pages of the 30-line quotation (how many of its two codes are found);
 * - with rasterisation: pdf.js (Node, @napi-rs/canvas) renders the PDF page, then decodePage;
 *   and a scanner's JPEG file decoded with @napi-rs/canvas, then decodePage;
 * - what the clerk waits for: a one-page scanner PDF without a QR, its page's JPEG decoded by
 *   libvips (sharp) at the drawn size, and the 2-up sheet as a scanner PDF (how many codes).
 * The load average after each row is printed beside it; `--clerk` runs only the no-QR and 2-up rows.
 * Target (pdf.md): a 300 dpi page read ≤ 100 ms; a page with no QR reported < 300 ms (issue 7).
 *
 * `--memory [--pages 500]` — peak resident memory of `npm run read-scan` (a child process,
 * `/usr/bin/time -v`) on a scanner PDF of blank 200-dpi JPEG pages made here (scanner-pdf.ts),
 * and on the PDF bomb (1,000 pages of 30,000 × 30,000 px declared in 93 KB). Target < 1 GB.
 *
 * `--browser-time` — a one-page scanner PDF without a QR (150 and 300 dpi JPEG) read by the app's
 * scan worker in Chromium through scan-client: round trip and the worker's time for the page.
 *
 * `--browser [--pages 500]` — the same two files read by the app's scan worker in Chromium
 * (scan-client.ts, served by Vite): peak resident memory of the largest Chromium process (the
 * renderer that hosts the worker) and peak proportional memory of all its processes together,
 * sampled every 100 ms from /proc. Target < 1 GB. `--no-blank` / `--no-bomb` leave a file out.
 *
 * Medians on a noisy 2-core VM; the load average is printed with every figure.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createCanvas, Image } from '@napi-rs/canvas'
import { chromium } from '@playwright/test'
import { formById } from '../forms/registry'
import type { PrintInput } from '../renderer/core/pdf/build-doc'
import * as decode from '../renderer/core/scan/decode'
import type { RgbaImage } from '../renderer/core/scan/decode'
import type { PageJpeg } from '../renderer/core/scan/pdf-image'
import { jpeg, jpegBytes, noise, quotePdf, rasterise, rotate, twoUp } from '../renderer/core/scan/testdata/pages'
import { pdfBomb, scannerPdf } from '../renderer/core/scan/testdata/scanner-pdf'
import { mulberry32 } from '../renderer/core/testing/random'
import { readScanBytes } from '../renderer/core/scan/read'
import { decodeImageNode, nodeScanPlatform, openPdfNode } from '../scripts/lib/scan-node'
import { renderPdfNode } from '../scripts/pdf-node'
import { CHROMIUM_ARGS, CHROMIUM_PATH, ROOT, machine, machineLine, median, startVite } from './lib/chromium'

const RUNS = 11
const args = process.argv.slice(2)
const PAGES = Number(args[args.indexOf('--pages') + 1]) || 500
/** `--clerk`: only what the clerk waits for (no-QR page, 2-up sheet), not the decoder's other rows. */
const CLERK = args.includes('--clerk')
const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ')

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn() // warm-up (JIT, first-use tables)
  const xs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await fn()
    xs.push(performance.now() - t)
  }
  return median(xs)
}

/** Medians of several functions run in turns (a, b, c, a, b, c …) after one warm-up each. */
async function timeTurns(fns: Array<() => Promise<unknown>>): Promise<number[]> {
  for (const fn of fns) await fn()
  const xs = fns.map((): number[] => [])
  for (let i = 0; i < RUNS; i++) {
    for (const [k, fn] of fns.entries()) {
      const t = performance.now()
      await fn()
      xs[k]!.push(performance.now() - t)
    }
  }
  return xs.map(median)
}

/** Every code on a sheet: decodeSheet where it exists (the corner-only pipeline had only decodePage). */
const sheetCodes = (img: RgbaImage): string[] => {
  const d = decode as unknown as { decodeSheet?: (i: RgbaImage) => Array<{ text: string }>; decodePage: (i: RgbaImage) => { text: string } | null }
  return d.decodeSheet ? d.decodeSheet(img).map((c) => c.text) : [d.decodePage(img)?.text].filter((t): t is string => !!t)
}

function printInput(fixture: string): PrintInput {
  const r = JSON.parse(readFileSync(join(ROOT, 'forms/quotation/fixtures', fixture), 'utf8'))
  return { form: formById('quotation'), record: { number: r.number, version: r.version, state: r.state, values: r.values, lines: r.lines }, refs: r.refs, company: r.company, released: false }
}

async function decodeFigures(): Promise<void> {
  const printed = new Uint8Array((await renderPdfNode(printInput('quotation.json'))).bytes)
  const twoPages = new Uint8Array((await renderPdfNode(printInput('quotation-30-lines.json'))).bytes)
  const noQrPdf = await quotePdf([{}])

  const rows: Array<[string, number, number, string, string]> = []
  const row = (name: string, dpi: number, ms: number, via: string) => rows.push([name, dpi, ms, via, load()])
  for (const dpi of [150, 300]) {
    const [page] = await rasterise(printed, dpi)
    const [blank] = await rasterise(noQrPdf, dpi)
    const scan = await jpeg(noise(rotate(page!, 2), 15), 40)
    const check = (img: RgbaImage) => { const f = decode.decodePage(img); if (!f?.text.startsWith('MD:')) throw new Error(`no identity at ${dpi} dpi`); return f }
    if (!CLERK) {
      row('decode only, printed page', dpi, await time(() => check(page!)), check(page!).via)
      row('decode only, scan (2°, noise, JPEG 40)', dpi, await time(() => check(scan)), check(scan).via)
    }
    row('decode only, page with no QR', dpi, await time(() => decode.decodePage(blank!)), 'null')
    const [p1, p2] = await rasterise(twoPages, dpi)
    const sheet = twoUp(p1!, p2!)
    const codes = sheetCodes(sheet)
    row('decode only, 2-up copy of pages 1 and 2', dpi, await time(() => sheetCodes(sheet)), `${codes.length} of 2: ${codes.map((c) => c.split(':')[3]).join(' ')}`)
    // The same sheet as a copier's scanner PDF (its page one JPEG at this dpi), read as the app does.
    const sheetPdf = scannerPdf([jpegBytes(sheet, 75)], 1, { widthPt: 842, heightPt: 595 }) // A4 landscape
    let sheetFound: string[] = []
    row('scanner PDF of the 2-up sheet: whole readScanBytes', dpi, await time(async () => {
      sheetFound = (await readScanBytes({ name: '2-up.pdf', bytes: sheetPdf }, nodeScanPlatform)).pages[0]!.codes.map((c) => c.text)
    }), `${sheetFound.length} of 2: ${sheetFound.map((c) => c.split(':')[3]).join(' ')}`)
    if (!CLERK) {
      // A JPEG file as a scanner writes it: decode the image, then the QR (what read-scan does).
      const scanJpeg = jpegBytes(scan, 75)
      row(`JPEG file (${Math.round(scanJpeg.length / 1024)} KB) decode + QR`, dpi, await time(async () => check(await decodeImageNode(scanJpeg))), '')
      const pdf = await openPdfNode(printed)
      let via = ''
      row(`pdf.js render + decode, printed page`, dpi, await time(async () => { via = check(await pdf.render(0, dpi)).via }), via)
      row(`pdf.js render only`, dpi, await time(() => pdf.render(0, dpi)), '')
      await pdf.close()
      const noQr = await openPdfNode(noQrPdf)
      row(`pdf.js render + decode, no QR`, dpi, await time(async () => decode.decodePage(await noQr.render(0, dpi))), 'null')
      await noQr.close()
    }
    // What the clerk waits for: a scanner PDF whose page (a JPEG at this dpi) has no QR, read
    // as the app reads it (readScanBytes: sniff, hash, pdf.js at 150 dpi, every code on the sheet).
    // The page decoded from its JPEG by libvips (the shortcut), by Skia and by pdf.js as before;
    // the three take turns run by run, so a change of load falls on all of them.
    const scanner = scannerPdf([jpegBytes(blank!, 75)], 1)
    const viaPdfJs = { ...nodeScanPlatform, openPdf: (b: Uint8Array) => openPdfNode(b, { jpegShortcut: false }) }
    const viaSkia = { ...nodeScanPlatform, openPdf: (b: Uint8Array) => openPdfNode(b, { drawJpeg: drawJpegSkia }) }
    const variants = [['JPEG decoded by libvips (sharp)', nodeScanPlatform], ['JPEG decoded by Skia at full size (before)', viaSkia], ['pdf.js draws the page (before that)', viaPdfJs]] as const
    const last = variants.map(() => ({ pageMs: 0, drawn: '' }))
    const medians = await timeTurns(variants.map(([, platform], k) => async () => {
      const r = await readScanBytes({ name: 'no-qr.pdf', bytes: scanner }, platform)
      if (r.pages[0]?.identity !== null || r.pages[0]?.qrText !== null) throw new Error('a QR on the blank page?')
      last[k] = { pageMs: r.pages[0].ms, drawn: r.pages[0].drawn ?? '' }
    }))
    variants.forEach(([label], k) => row(`scanner PDF, 1 page with no QR: whole readScanBytes, ${label}`, dpi, medians[k]!, `last page ${last[k]!.pageMs.toFixed(0)} ms (render + decode), drawn by ${last[k]!.drawn}`))
  }
  console.log(`scan read, median of ${RUNS} (ms), Node ${process.version}, load ${load()}`)
  console.log('| case | dpi | median ms | found by | load after |')
  console.log('|---|---:|---:|---|---|')
  for (const [name, dpi, ms, via, after] of rows) console.log(`| ${name} | ${dpi} | ${ms.toFixed(1)} | ${via} | ${after} |`)
}

/**
 * How Node drew a scanner page's JPEG until sharp came (2026-11-30): Skia decodes it at full size,
 * then draws it scaled. Kept here so the bench compares both under the same load.
 */
async function drawJpegSkia(jpeg: PageJpeg, width: number, height: number, scale: number): Promise<RgbaImage> {
  const image = new Image()
  image.src = Buffer.from(jpeg.bytes.buffer, jpeg.bytes.byteOffset, jpeg.bytes.byteLength)
  await image.decode()
  const canvas = createCanvas(width, height)
  try {
    const ctx = canvas.getContext('2d')
    ctx.fillStyle = '#fff'
    ctx.fillRect(0, 0, width, height)
    ctx.imageSmoothingQuality = 'medium'
    const [x, y, w, h] = jpeg.box
    ctx.drawImage(image, x * scale, y * scale, w * scale, h * scale)
    const view = canvas.data()
    const copy = new Uint8ClampedArray(view.length)
    copy.set(view)
    return { data: copy, width, height }
  } finally {
    canvas.width = 0
    canvas.height = 0
  }
}

/**
 * A scanner PDF of `pages` blank A4 pages: 200-dpi grey JPEGs of paper with a little sensor
 * noise (three different images, each page its own image object), ~28 KB a page.
 */
function blankScannerPdf(pages: number): Uint8Array {
  const w = 1654, h = 2339
  const jpegs: Uint8Array[] = []
  for (let k = 0; k < 3; k++) {
    const canvas = createCanvas(w, h)
    const ctx = canvas.getContext('2d')
    const img = ctx.createImageData(w, h)
    const rnd = mulberry32(k + 1)
    for (let i = 0; i < img.data.length; i += 4) {
      const v = 245 + Math.floor(rnd() * 8)
      img.data[i] = v; img.data[i + 1] = v; img.data[i + 2] = v; img.data[i + 3] = 255
    }
    ctx.putImageData(img, 0, 0)
    jpegs.push(new Uint8Array(canvas.encodeSync('jpeg', 50)))
  }
  return scannerPdf(jpegs, pages)
}

/** The two files the memory figures read, in a temp folder. */
function memoryFiles(dir: string): Array<[string, string]> {
  const files: Array<[string, string]> = []
  if (!args.includes('--no-blank')) {
    const blank = join(dir, `blank-${PAGES}.pdf`)
    writeFileSync(blank, blankScannerPdf(PAGES))
    files.push([`${PAGES} blank scanned pages (${(readFileSync(blank).length / 1e6).toFixed(1)} MB)`, blank])
  }
  // --no-bomb for code without the page caps (it would try a 3.6 GB bitmap per page).
  if (!args.includes('--no-bomb')) {
    const bomb = join(dir, 'bomb.pdf')
    writeFileSync(bomb, pdfBomb())
    files.push(['PDF bomb (1,000 × 30,000² px declared, 93 KB)', bomb])
    // Paper-sized pages (1,164 mm square) that are 47 MP at 150 dpi: rendered at the 40 MP cap
    // until the file's pixel budget ends the reading.
    const drawing = join(dir, 'a0.pdf')
    writeFileSync(drawing, pdfBomb({ sidePt: 3300 }))
    files.push(['1,000 pages just under A0 (40 MP each)', drawing])
  }
  return files
}

/** Peak RSS of `npm run read-scan` on each file (`/usr/bin/time -v`: the largest process). */
async function nodeMemory(): Promise<void> {
  if (!existsSync('/usr/bin/time')) throw new Error('--memory needs /usr/bin/time (apt-get install time)')
  const dir = mkdtempSync(join(tmpdir(), 'scan-mem-'))
  try {
    console.log(`npm run read-scan: peak resident memory, Node ${process.version}`)
    console.log('| file | pages read | peak RSS | wall time | load before → after |')
    console.log('|---|---:|---:|---:|---|')
    for (const [name, file] of memoryFiles(dir)) {
      const before = load()
      const t = performance.now()
      const out = await run('/usr/bin/time', ['-v', join(ROOT, 'node_modules/.bin/tsx'), 'scripts/read-scan.ts', file])
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(out.stderr)?.[1])
      const pages = (out.stdout.match(/^ {2}第 \d+ 页/gm) ?? []).length
      console.log(`| ${name} | ${pages} | **${(kb / 1024).toFixed(0)} MB** | ${((performance.now() - t) / 1000).toFixed(0)} s | ${before} → ${load()} |`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function run(cmd: string, argv: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT })
    let stdout = '', stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d })
    child.stderr.on('data', (d: Buffer) => { stderr += d })
    child.on('error', reject)
    child.on('close', () => resolve({ stdout, stderr }))
  })
}

/**
 * Memory (kB) of the Chromium processes below `pid` (Playwright's browser is our child), from
 * /proc: the largest resident set, and the sum of proportional set sizes (shared pages counted
 * once across the processes, which a sum of RSS would count in each).
 */
function treeRss(pid: number): { largest: number; total: number } {
  const parent = new Map<number, number>()
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch { /* exited */ }
  }
  const inTree = (p: number): boolean => { for (let q: number | undefined = p; q; q = parent.get(q)) if (q === pid) return true; return false }
  let largest = 0, total = 0
  for (const p of parent.keys()) {
    if (p === pid || !inTree(p)) continue
    try {
      if (!/chrom/i.test(readFileSync(`/proc/${p}/comm`, 'utf8'))) continue
      largest = Math.max(largest, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0))
      total += Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
    } catch { /* exited */ }
  }
  return { largest, total }
}

/**
 * What the clerk waits for in the app: a one-page scanner PDF whose page (a JPEG at 150 or
 * 300 dpi) has no QR, read by the scan worker through scan-client (post, read, answer); median of
 * RUNS after a warm-up, and the worker's own time for the page.
 */
async function browserTiming(): Promise<void> {
  const noQrPdf = await quotePdf([{}])
  // Keyed "dpi" (drawn from its JPEG) and "dpi-pdfjs": the same page with an empty path after the
  // image (draws nothing), which the shortcut does not take, so pdf.js draws it as before.
  const files = new Map<string, Uint8Array>()
  for (const dpi of [150, 300]) {
    const [blank] = await rasterise(noQrPdf, dpi)
    const jpeg = jpegBytes(blank!, 75)
    files.set(`${dpi}`, scannerPdf([jpeg], 1))
    files.set(`${dpi}-pdfjs`, scannerPdf([jpeg], 1, { content: 'q 595 0 0 842 0 0 cm /Im0 Do Q 0 0 m n' }))
  }
  const vite = await startVite(5197, ['pdfjs-dist', '@zxing/library', 'jsqr'])
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  try {
    console.log(machineLine(machine(browser.version())))
    console.log(`scan worker in Chromium: one-page scanner PDF, page without a QR, thumbnails as the app asks, median of ${RUNS}`)
    console.log('| page JPEG | round trip (readScan) | worker: page (draw + decode + thumbnail) | drawn by | load before → after |')
    console.log('|---|---:|---:|---|---|')
    const context = await browser.newContext()
    await context.route(`${vite.url}/__bench__.html`, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>bench</title>' }))
    for (const [dpi, bytes] of files) await context.route(`${vite.url}/__bench__/${dpi}.pdf`, (r) => r.fulfill({ status: 200, contentType: 'application/pdf', body: Buffer.from(bytes) }))
    const page = await context.newPage()
    page.on('pageerror', (e) => console.error('[page error]', e.message))
    await page.goto(`${vite.url}/__bench__.html`)
    for (const dpi of files.keys()) {
      const before = load()
      const r = await page.evaluate(async ({ dpi, runs }) => {
        const client = await import('/src/services/scan/scan-client.ts' as string)
        const bytes = new Uint8Array(await (await fetch(`/__bench__/${dpi}.pdf`)).arrayBuffer())
        const out: Array<{ total: number; page: number; drawn: string; qr: unknown }> = []
        for (let i = 0; i <= runs; i++) {
          const t = performance.now()
          const res = await client.readScan({ name: `no-qr-${dpi}.pdf`, bytes }, { thumbnails: true })
          out.push({ total: performance.now() - t, page: res.pages[0]?.ms as number, drawn: res.pages[0]?.drawn as string, qr: res.pages[0]?.qrText })
        }
        return out.slice(1) // the first run loads the worker and pdf.js
      }, { dpi, runs: RUNS })
      if (r.some((x) => x.qr !== null)) throw new Error('a QR on the blank page?')
      console.log(`| ${dpi.replace('-pdfjs', '')} dpi | **${median(r.map((x) => x.total)).toFixed(0)} ms** | ${median(r.map((x) => x.page)).toFixed(0)} ms | ${[...new Set(r.map((x) => x.drawn))].join(', ')} | ${before} → ${load()} |`)
    }
    await context.close()
  } finally {
    await browser.close()
    await vite.close()
  }
}

/** The app's scan worker in Chromium on each file: peak RSS of its processes while it reads. */
async function browserMemory(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scan-mem-'))
  const vite = await startVite(5197, ['pdfjs-dist', '@zxing/library', 'jsqr'])
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  try {
    const pid = process.pid
    console.log(machineLine(machine(browser.version())))
    console.log('scan worker in Chromium: peak resident memory while reading (sampled every 100 ms)')
    console.log('| file | pages read | note | peak RSS, largest process | peak PSS, all Chromium processes | wall time | load before → after |')
    console.log('|---|---:|---|---:|---:|---:|---|')
    for (const [name, file] of memoryFiles(dir)) {
      const context = await browser.newContext()
      await context.route(`${vite.url}/__bench__.html`, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>bench</title>' }))
      await context.route(`${vite.url}/__bench__/file.pdf`, (r) => r.fulfill({ status: 200, contentType: 'application/pdf', body: readFileSync(file) }))
      const page = await context.newPage()
      page.on('pageerror', (e) => console.error('[page error]', e.message))
      await page.goto(`${vite.url}/__bench__.html`)
      // Load the worker once on a tiny file so the figure is the reading, not Vite's first compile.
      await page.evaluate(async () => {
        const client = await import('/src/services/scan/scan-client.ts' as string)
        await client.readScan({ name: 'warm.png', bytes: new Uint8Array([0x89, 0x50]) })
      })
      const base = treeRss(pid)
      let peak = { ...base }
      const sampler = setInterval(() => {
        const now = treeRss(pid)
        peak = { largest: Math.max(peak.largest, now.largest), total: Math.max(peak.total, now.total) }
      }, 100)
      const before = load()
      const t = performance.now()
      const r = await page.evaluate(async () => {
        const client = await import('/src/services/scan/scan-client.ts' as string)
        const bytes = new Uint8Array(await (await fetch('/__bench__/file.pdf')).arrayBuffer())
        const res = await client.readScan({ name: 'file.pdf', bytes }, { thumbnails: true })
        return { pages: res.pages.length as number, notes: ((res.notes ?? []) as Array<{ zh: string }>).map((n) => n.zh), error: res.error?.zh as string | undefined }
      })
      clearInterval(sampler)
      const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`
      console.log(`| ${name} | ${r.pages} | ${r.error ?? r.notes.join('; ')} | **${mb(peak.largest)}** (idle ${mb(base.largest)}) | ${mb(peak.total)} (idle ${mb(base.total)}) | ${((performance.now() - t) / 1000).toFixed(0)} s | ${before} → ${load()} |`)
      await context.close()
    }
  } finally {
    await browser.close()
    await vite.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  if (args.includes('--memory')) return nodeMemory()
  if (args.includes('--browser-time')) return browserTiming()
  if (args.includes('--browser')) return browserMemory()
  return decodeFigures()
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1 })
