/**
 * End to end on Node: a quotation printed by the app's own `npm run render` is read back from the
 * PDF, from 300 dpi scans of it, and from a scanner PDF fed upside down; read-scan reports good
 * and bad files side by side.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decideFile } from '../../renderer/core/scan/match'
import { readScanBytes } from '../../renderer/core/scan/read'
import { jpegBytes, noise, pngBytes, rasterise, rotate, scannedPdf } from '../../renderer/core/scan/testdata/pages'
import { nodeScanPlatform, readScanFile } from './scan-node'

const root = join(import.meta.dirname, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'scan-e2e-'))
const printed = join(dir, 'quotation.pdf')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const fixture = JSON.parse(readFileSync(join(root, 'forms/quotation/fixtures/quotation.json'), 'utf8')) as { number: string; version: number }
let pdf: Uint8Array

beforeAll(() => {
  execFileSync(tsx, ['scripts/render.ts', '--form', 'quotation', '--data', 'forms/quotation/fixtures/quotation.json', '--out', printed], { cwd: root, stdio: 'pipe' })
  pdf = new Uint8Array(readFileSync(printed))
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

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
