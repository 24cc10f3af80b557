/**
 * End to end on Node: a quotation printed by the app's own `npm run render` is read back from the
 * PDF, from 300 dpi scans of it, from a scanner PDF fed upside down and from a 2-up copy of its
 * two pages; read-scan reports good and bad files side by side; a file over the page limit and a
 * "PDF bomb" (1,000 declared pages of 30,000 × 30,000 px in 93 KB) are read only as far as the
 * limits allow, and say so.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decideFile } from '../../renderer/core/scan/match'
import { MAX_PAGE_PIXELS, readScanBytes } from '../../renderer/core/scan/read'
import { jpegBytes, noise, pngBytes, rasterise, rotate, scannedPdf, twoUp } from '../../renderer/core/scan/testdata/pages'
import { pdfBomb, scannerPdf } from '../../renderer/core/scan/testdata/scanner-pdf'
import { nodeScanPlatform, openPdfNode, readScanFile } from './scan-node'

const root = join(import.meta.dirname, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'scan-e2e-'))
// Files of the 2-up and limit tests, kept out of `dir` (read-scan reads that whole folder).
const other = mkdtempSync(join(tmpdir(), 'scan-limits-'))
const printed = join(dir, 'quotation.pdf')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const fixture = JSON.parse(readFileSync(join(root, 'forms/quotation/fixtures/quotation.json'), 'utf8')) as { number: string; version: number }
let pdf: Uint8Array

beforeAll(() => {
  execFileSync(tsx, ['scripts/render.ts', '--form', 'quotation', '--data', 'forms/quotation/fixtures/quotation.json', '--out', printed], { cwd: root, stdio: 'pipe' })
  pdf = new Uint8Array(readFileSync(printed))
}, 120_000)
afterAll(() => { rmSync(dir, { recursive: true, force: true }); rmSync(other, { recursive: true, force: true }) })

describe('reading back a quotation printed by npm run render', () => {
  it('identifies every page of the printed PDF', async () => {
    const r = await readScanFile(printed)
    expect(r.error).toBeUndefined()
    expect(r.pages.length).toBeGreaterThan(0)
    r.pages.forEach((p, i) => {
      expect(p.identity).toMatchObject({ number: fixture.number, version: fixture.version, page: i + 1, pages: r.pages.length })
    })
    // Every page of one print carries the same content hash.
    expect(new Set(r.pages.map((p) => p.identity?.hash8)).size).toBe(1)
  })

  it('identifies a 300 dpi scan saved as JPEG, upside down and noisy, and a PNG scan', async () => {
    const [page1] = await rasterise(pdf, 300)
    const jpeg = await readScanBytes({ name: 'scan.jpg', bytes: jpegBytes(noise(rotate(page1!, 180), 20), 40) }, nodeScanPlatform)
    expect(jpeg.kind).toBe('jpeg')
    expect(jpeg.pages[0]!.identity).toMatchObject({ number: fixture.number, page: 1 })
    const png = await readScanBytes({ name: 'scan.png', bytes: pngBytes(rotate(page1!, -3)) }, nodeScanPlatform, { thumbnails: true })
    expect(png.pages[0]!.identity).toMatchObject({ number: fixture.number, page: 1 })
    // A ~200 px wide preview for the import list.
    expect(png.pages[0]!.thumbnail!.length).toBeGreaterThan(1000)
  })

  it('puts the pages of a scanner PDF fed upside down back in order from the QR', async () => {
    const scans = await rasterise(pdf, 150)
    // Fed upside down: the last page comes first and every page is rotated 180°.
    const reversed = scans.reverse().map((s, i) => jpegBytes(rotate(s, 180 + (i % 2 ? 2 : -2)), 60))
    const r = await readScanBytes({ name: 'scanner.pdf', bytes: await scannedPdf(reversed) }, nodeScanPlatform)
    expect(r.pages.map((p) => p.identity?.page)).toEqual(scans.map((_, i) => scans.length - i))
    const decision = decideFile({ pages: r.pages.map((p) => p.identity), fileHash: r.sha256, knownFileHashes: new Set(), lookup: () => undefined })
    expect(decision.groups).toHaveLength(1)
    expect(decision.groups[0]!.order).toEqual(scans.map((_, i) => scans.length - 1 - i))
    expect(decision.groups[0]!.missingPages).toEqual([])
  })
})

describe('a scanner page drawn from its JPEG (no pdf.js image decoding)', () => {
  it('gives the pixels pdf.js draws for the page, and the identity, for the scanner writer\'s and pdfmake\'s scanner PDFs', async () => {
    const [page300] = await rasterise(pdf, 300)
    const scanJpeg = jpegBytes(rotate(page300!, 1), 75)
    for (const file of [scannerPdf([scanJpeg], 1), await scannedPdf([scanJpeg])]) {
      const raster = await openPdfNode(file)
      const img = await raster.render(0, 150)
      expect(raster.jpegPages).toBe(1) // the shortcut was taken (pdfmake: Flate content, a graphics state)
      await raster.close()
      const pdfjs = await openPdfNode(file, { jpegShortcut: false })
      const drawn = await pdfjs.render(0, 150)
      expect(pdfjs.jpegPages).toBeUndefined()
      await pdfjs.close()
      expect([img.width, img.height]).toEqual([drawn.width, drawn.height])
      // Same picture: the mean difference over the page is a grey level or two (resampling; pdf.js
      // and poppler differ by ~8 on these pages).
      let diff = 0, n = 0
      for (let y = 0; y < Math.min(img.height, drawn.height); y += 3) {
        for (let x = 0; x < Math.min(img.width, drawn.width); x += 3) {
          const i = (y * img.width + x) * 4, j = (y * drawn.width + x) * 4
          diff += Math.abs(img.data[i]! - drawn.data[j]!); n++
        }
      }
      expect(diff / n).toBeLessThan(3)
      const r = await readScanBytes({ name: 'scan.pdf', bytes: file }, nodeScanPlatform)
      expect(r.pages[0]!.identity).toMatchObject({ number: fixture.number, page: 1 })
    }
  })

  it('leaves a printed page (text and drawing) to pdf.js', async () => {
    const raster = await openPdfNode(pdf)
    await raster.render(0, 72)
    expect(raster.jpegPages).toBeUndefined()
    await raster.close()
  })
})

describe('a 2-up copy: the two pages of the 30-line quotation side by side on one sheet', () => {
  const twoPages = join(other, 'quotation-30.pdf')
  beforeAll(() => {
    execFileSync(tsx, ['scripts/render.ts', '--form', 'quotation', '--data', 'forms/quotation/fixtures/quotation-30-lines.json', '--out', twoPages], { cwd: root, stdio: 'pipe' })
  }, 120_000)

  it('yields both pages, and the document is complete', async () => {
    const [p1, p2] = await rasterise(new Uint8Array(readFileSync(twoPages)), 200)
    // The copier's sheet, scanned slightly askew and saved as JPEG.
    const sheet = jpegBytes(noise(rotate(twoUp(p1!, p2!), 1), 8, 3), 75)
    const r = await readScanBytes({ name: '复印件-2合1.jpg', bytes: sheet }, nodeScanPlatform)
    expect(r.pages).toHaveLength(1)
    expect(r.pages[0]!.codes.map((c) => [c.identity?.page, c.identity?.pages])).toEqual([[1, 2], [2, 2]])
    const decision = decideFile({
      pages: r.pages.map((p) => ({ identity: p.identity, identities: p.codes.flatMap((c) => (c.identity ? [c.identity] : [])) })),
      fileHash: r.sha256, knownFileHashes: new Set(), lookup: () => undefined,
    })
    expect(decision.groups).toHaveLength(1)
    expect(decision.groups[0]).toMatchObject({ pages: 2, missingPages: [], order: [0] })
  })

  it('yields both codes when the sheet is the 300-dpi JPEG page of a scanner PDF, decoded from its JPEG at the 150-dpi size it is read at', async () => {
    const [p1, p2] = await rasterise(new Uint8Array(readFileSync(twoPages)), 300)
    const sheet = jpegBytes(noise(rotate(twoUp(p1!, p2!), 1), 8, 3), 75)
    const file = scannerPdf([sheet], 1, { widthPt: 842, heightPt: 595 }) // the copier's A4, landscape
    const raster = await openPdfNode(file)
    const img = await raster.render(0, 150)
    // Drawn from its JPEG (not pdf.js's decoder), at the 150-dpi size of landscape A4.
    expect(raster.jpegPages).toBe(1)
    expect([img.width, img.height]).toEqual([Math.ceil(842 * 150 / 72), Math.ceil(595 * 150 / 72)])
    await raster.close()
    const r = await readScanBytes({ name: '复印件-2合1.pdf', bytes: file }, nodeScanPlatform)
    expect(r.pages[0]!.drawn).toBe('jpeg')
    expect(r.pages[0]!.codes.map((c) => [c.identity?.page, c.identity?.pages])).toEqual([[1, 2], [2, 2]])
  })
})

describe('limits on what one file may make the reader do', () => {
  it('a PDF of 510 pages is read up to page 500 and says the other 10 were not read', async () => {
    const [tiny] = await rasterise(pdf, 20)
    const big = scannerPdf([jpegBytes(tiny!, 50)], 510, { widthPt: 72, heightPt: 100 })
    const r = await readScanBytes({ name: '扫描-510页.pdf', bytes: big }, nodeScanPlatform)
    expect(r.pages).toHaveLength(500)
    expect(r.skippedPages).toBe(10)
    expect(r.notes?.map((n) => n.zh)).toEqual(['只读取了前 500 页，其余 10 页未读取，请拆分文件后再导入'])
  }, 300_000)

  it('a PDF bomb (1,000 pages of 5 × 5 m in under 120 KB) is refused as a whole in the clerk\'s words, nothing rendered', async () => {
    const bomb = pdfBomb()
    expect(bomb.length).toBeLessThan(120_000)
    const rendered: number[] = []
    const platform = { ...nodeScanPlatform, openPdf: async (bytes: Uint8Array) => {
      const raster = await nodeScanPlatform.openPdf(bytes)
      return { ...raster, render: async (i: number, dpi: number) => { rendered.push(i); return raster.render(i, dpi) } }
    } }
    const r = await readScanBytes({ name: '炸弹.pdf', bytes: bomb }, platform)
    expect(r.error?.zh).toBe('PDF 的页面大小为 5080 × 5080 毫米，比任何纸张都大，不是扫描件，未导入\n扫描页最大为 A0 纸（长边不超过 1250 毫米）')
    expect(r.pages).toEqual([])
    expect(rendered).toEqual([])
  }, 120_000)

  it('1,000 pages just under A0 size: each page rendered at most at 40 MP, reading stops within the file budget and says what was not read, and the process never holds a gigabyte', () => {
    const file = join(other, '大图纸.pdf')
    // 3,300 pt (1,164 mm) square: paper-sized, but 47 MP at 150 dpi.
    const bomb = pdfBomb({ sidePt: 3300 })
    writeFileSync(file, bomb)
    // In a child process that reports its own peak resident memory (getrusage, as /usr/bin/time
    // -v does) and the size of every page it rendered.
    const script = `import { readFile } from 'node:fs/promises'
      import { readScanBytes } from './renderer/core/scan/read.ts'
      import { nodeScanPlatform } from './scripts/lib/scan-node.ts'
      const rendered = []
      const platform = { ...nodeScanPlatform, openPdf: async (bytes) => {
        const raster = await nodeScanPlatform.openPdf(bytes)
        return { ...raster, render: async (i, dpi) => { const img = await raster.render(i, dpi); rendered.push(img.width * img.height); return img } }
      } }
      const r = await readScanBytes({ name: 'bomb.pdf', bytes: new Uint8Array(await readFile(${JSON.stringify(file)})) }, platform)
      console.log(JSON.stringify({ error: r.error, notes: r.notes, pages: r.pages.length, rendered, maxRssKb: process.resourceUsage().maxRSS }))`
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(run.stderr).toBe('')
    const out = JSON.parse(run.stdout) as { error?: unknown; notes: Array<{ zh: string }>; pages: number; rendered: number[]; maxRssKb: number }
    expect(out.error).toBeUndefined()
    expect(out.notes.map((n) => n.zh)).toEqual([`只读取了前 ${out.pages} 页，其余 ${1000 - out.pages} 页未读取，请拆分文件后再导入`])
    expect(out.pages).toBeLessThan(30)
    // Scaled down to fit, not refused: every page read was rendered, none over 40 MP.
    expect(out.rendered).toHaveLength(out.pages)
    expect(Math.max(...out.rendered)).toBeLessThanOrEqual(MAX_PAGE_PIXELS)
    expect(Math.min(...out.rendered)).toBeGreaterThan(MAX_PAGE_PIXELS * 0.99)
    expect(out.maxRssKb).toBeLessThan(1024 * 1024)
  }, 600_000)
})

describe('npm run read-scan', () => {
  it('reports each file: identities for the good one, a message for each bad one, and exits 0', () => {
    writeFileSync(join(dir, 'renamed.pdf'), '客户发来的说明文字\n')
    writeFileSync(join(dir, 'empty.png'), new Uint8Array(0))
    writeFileSync(join(dir, 'half.pdf'), pdf.subarray(0, Math.floor(pdf.length / 2)))
    const run = spawnSync(tsx, ['scripts/read-scan.ts', dir], { cwd: root, encoding: 'utf8' })
    expect(run.status).toBe(0)
    const out = run.stdout
    expect(out).toMatch(new RegExp(`quotation\\.pdf \\[pdf\\][\\s\\S]*第 1 页: ${fixture.number}  V${fixture.version}  P1/`))
    expect(out).toMatch(/renamed\.pdf.*\n {2}文件不是有效的 PDF（可能被改了扩展名/)
    expect(out).toMatch(/empty\.png.*\n {2}文件为空/)
    expect(out).toMatch(/half\.pdf.*\n {2}PDF 文件不完整/)
  })

  it('exits 2 with usage when given nothing to read', () => {
    const run = spawnSync(tsx, ['scripts/read-scan.ts'], { cwd: root, encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('usage: npm run read-scan')
  })
})
