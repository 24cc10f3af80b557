/**
 * Turns a PDF the app saved into what comes back from a customer's scanner, and makes the bad
 * files of the bad-input story. Rasterising is poppler's pdftoppm (not the app's pdf.js);
 * distortions reuse the scan fixtures of renderer/core/scan/testdata/pages.ts. Also reads PDFs
 * the way a person checking them would: pdftotext, pdffonts, and the QR with jsQR.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import jsQR from 'jsqr'
import {
  imageFromBytes, jpegBytes, noise, pngBytes, quotePdf, rasterise, rotate, scannedPdf,
} from '../../renderer/core/scan/testdata/pages'

/**
 * The text a reader can copy out of a PDF (all pages, content-stream order), whitespace removed:
 * pdftotext splits rotated text (the watermark) into single characters otherwise.
 */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
}

/** pdffonts' table: one row per font with its type, embedding and subset flags. */
export function pdfFonts(file: string): string {
  return execFileSync('pdffonts', [file], { encoding: 'utf8' })
}

/** Number of pages (pdfinfo). */
export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const m = /^Pages:\s+(\d+)/m.exec(info)
  if (!m) throw new Error(`pdfinfo gave no page count for ${file}`)
  return Number(m[1])
}

/** The QR text on one page (1-based) of a PDF, rasterised at `dpi` and decoded with jsQR; null if none. */
export async function readQr(file: string, page: number, dpi = 150): Promise<string | null> {
  const png = execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-png', file])
  const img = await imageFromBytes(png)
  const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' })
  return found?.data ?? null
}

/** The scans a customer might return for one printed PDF, written into `dir`. */
export interface ScanSet {
  /** A scanner PDF: every page rasterised at 200 dpi and stored as a JPEG page. */
  pdf: string
  /** Page 1 at 300 dpi, fed 3° askew, sensor noise, JPEG quality 40. */
  jpeg300: string
  /** Page 1 at 150 dpi as PNG. */
  png150: string
}

/** Makes the scan set of `pdfFile` in `dir`, file names starting with `prefix`. */
export async function makeScans(pdfFile: string, dir: string, prefix: string): Promise<ScanSet> {
  const bytes = new Uint8Array(readFileSync(pdfFile))
  const p200 = await rasterise(bytes, 200)
  const scanned = await scannedPdf(p200.map((p) => jpegBytes(p, 80)))
  const [p300] = await rasterise(bytes, 300)
  const [p150] = await rasterise(bytes, 150)
  const out: ScanSet = {
    pdf: path.join(dir, `${prefix}-扫描.pdf`),
    jpeg300: path.join(dir, `${prefix}-300dpi.jpg`),
    png150: path.join(dir, `${prefix}-150dpi.png`),
  }
  writeFileSync(out.pdf, scanned)
  writeFileSync(out.jpeg300, jpegBytes(noise(rotate(p300!, 3), 8, 7), 40))
  writeFileSync(out.png150, pngBytes(p150!))
  return out
}

/** Page 1 of `pdfFile` as a plain JPEG scan at `dpi` (another copy of the same printout). */
export async function jpegScan(pdfFile: string, file: string, dpi = 200, quality = 75): Promise<string> {
  const [page] = await rasterise(new Uint8Array(readFileSync(pdfFile)), dpi)
  writeFileSync(file, jpegBytes(page!, quality))
  return file
}

/** A page with no QR at all (someone else's paperwork), as a born-digital PDF. */
export async function pdfWithoutQr(file: string): Promise<string> {
  writeFileSync(file, await quotePdf([{}]))
  return file
}

/** A 150-dpi PNG scan of a page whose QR belongs to another system (a WeChat-style link). */
export async function pngWithForeignQr(file: string, qrText = 'HTTPS://U.WECHAT.COM/EXAMPLE-123'): Promise<string> {
  const [page] = await rasterise(await quotePdf([{ qrText }]), 150)
  writeFileSync(file, pngBytes(page!))
  return file
}

/** A PNG whose header claims 20000×20000 pixels but whose file is tiny (a decompression bomb). */
export function hugePngHeader(file: string): string {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    // The CRC is not checked before the size is; a zero CRC keeps the fixture simple.
    return Buffer.concat([len, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(20000, 0)
  ihdr.writeUInt32BE(20000, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  writeFileSync(file, Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(64)), chunk('IEND', Buffer.alloc(0))]))
  return file
}

/** The first `fraction` of a real PDF, as a copy that stopped early. */
export function truncatedCopy(source: string, file: string, fraction = 0.5): string {
  const bytes = readFileSync(source)
  writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * fraction)))
  return file
}
