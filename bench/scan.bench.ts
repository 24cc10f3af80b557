/**
 * Scan-reading benchmark: how long it takes to find the QR identity on one page.
 * Run: npx tsx bench/scan.bench.ts
 * - decode only: decodePage on an RGBA page already in memory (pdftoppm render of the printed
 *   quotation; a "scan" = rotated 2°, noise, JPEG q40), and on a page with no QR (worst case)
 * - with rasterisation: pdf.js (Node, @napi-rs/canvas) renders the PDF page, then decodePage;
 *   and a scanner's JPEG file decoded with @napi-rs/canvas, then decodePage
 * Target (pdf.md): a 300 dpi page read ≤ 100 ms. Medians on a noisy 2-core VM.
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { formById } from '../forms/registry'
import type { PrintInput } from '../renderer/core/pdf/build-doc'
import { decodePage, type RgbaImage } from '../renderer/core/scan/decode'
import { jpeg, jpegBytes, noise, quotePdf, rasterise, rotate } from '../renderer/core/scan/testdata/pages'
import { decodeImageNode, openPdfNode } from '../scripts/lib/scan-node'
import { renderPdfNode } from '../scripts/pdf-node'

const FIXTURE = new URL('../forms/quotation/fixtures/quotation.json', import.meta.url)
const RUNS = 11

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

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

async function main(): Promise<void> {
  const r = JSON.parse(readFileSync(FIXTURE, 'utf8'))
  const input: PrintInput = { form: formById('quotation'), record: { number: r.number, version: r.version, state: r.state, values: r.values, lines: r.lines }, refs: r.refs, company: r.company, released: false }
  const printed = new Uint8Array((await renderPdfNode(input)).bytes)
  const noQrPdf = await quotePdf([{}])

  const rows: Array<[string, number, number, string]> = []
  for (const dpi of [150, 300]) {
    const [page] = await rasterise(printed, dpi)
    const [blank] = await rasterise(noQrPdf, dpi)
    const scan = await jpeg(noise(rotate(page!, 2), 15), 40)
    const check = (img: RgbaImage) => { const f = decodePage(img); if (!f?.text.startsWith('MD:')) throw new Error(`no identity at ${dpi} dpi`); return f }
    rows.push(['decode only, printed page', dpi, await time(() => check(page!)), check(page!).via])
    rows.push(['decode only, scan (2°, noise, JPEG 40)', dpi, await time(() => check(scan)), check(scan).via])
    rows.push(['decode only, page with no QR', dpi, await time(() => decodePage(blank!)), 'null'])
    // A JPEG file as a scanner writes it: decode the image, then the QR (what read-scan does).
    const scanJpeg = jpegBytes(scan, 75)
    rows.push([`JPEG file (${Math.round(scanJpeg.length / 1024)} KB) decode + QR`, dpi, await time(async () => check(await decodeImageNode(scanJpeg))), ''])
    const pdf = await openPdfNode(printed)
    let via = ''
    rows.push([`pdf.js render + decode, printed page`, dpi, await time(async () => { via = check(await pdf.render(0, dpi)).via }), via])
    rows.push([`pdf.js render only`, dpi, await time(() => pdf.render(0, dpi)), ''])
    await pdf.close()
    const noQr = await openPdfNode(noQrPdf)
    rows.push([`pdf.js render + decode, no QR`, dpi, await time(async () => decodePage(await noQr.render(0, dpi))), 'null'])
    await noQr.close()
  }
  console.log(`scan read, median of ${RUNS} (ms), Node ${process.version}`)
  console.log('| case | dpi | median ms | found by |')
  console.log('|---|---:|---:|---|')
  for (const [name, dpi, ms, via] of rows) console.log(`| ${name} | ${dpi} | ${ms.toFixed(1)} | ${via} |`)
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1 })
