/**
 * Test-only fixture generator (Node): prints returnable-form-like pages with pdfmake (the same
 * library and QR settings the printing uses: 3 pt modules, ECC Q, top-right), rasterises them with
 * poppler's pdftoppm and makes distorted "scans" with @napi-rs/canvas. Everything is generated
 * into a temp dir at test time; nothing binary is committed.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas'
import pdfmake from 'pdfmake'
import { formatIdentity, type PageIdentity } from '../../identity'
import type { RgbaImage } from '../decode'
import { mulberry32 } from '../../testing/random'

/** One page to print: our identity, another system's QR text, or no QR at all. */
export interface FixturePage { identity?: PageIdentity; qrText?: string }

const PT_PER_MODULE = 3
// Alphanumeric capacity at ECC Q for QR versions 1..4.
const Q_ALNUM_CAPACITY = [16, 29, 47, 67]

function qrModules(text: string): number {
  const v = Q_ALNUM_CAPACITY.findIndex((cap) => text.length <= cap) + 1
  if (v === 0) throw new Error(`QR payload too long for the fixture: ${text}`)
  return 17 + 4 * v
}

/** A one-or-more-page A4 "quotation" PDF, one fixture page per printed page. */
export async function quotePdf(pages: FixturePage[]): Promise<Uint8Array> {
  const pm = pdfmake as unknown as typeof pdfmake & { setUrlAccessPolicy(f: () => boolean): void; setLocalAccessPolicy(f: (path: string) => boolean): void }
  pm.setUrlAccessPolicy(() => false)
  pm.setLocalAccessPolicy((path) => /^Helvetica/.test(path))
  pm.setFonts({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } })
  const content: unknown[] = []
  pages.forEach((p, i) => {
    const text = p.identity ? formatIdentity(p.identity) : p.qrText
    const number = p.identity?.number ?? 'NO-ID'
    if (text) {
      const fit = PT_PER_MODULE * qrModules(p.identity ? text : text.toUpperCase())
      // 595 pt wide A4; ≥ 10 mm (28 pt) from the top and right edges.
      content.push({ qr: text, fit, eccLevel: 'Q', absolutePosition: { x: 595 - 40 - fit, y: 40 }, ...(i > 0 ? { pageBreak: 'before' } : {}) })
      // Below the 4-module quiet zone (12 pt), as the printing does.
      content.push({ text: number, fontSize: 8, absolutePosition: { x: 595 - 40 - fit, y: 40 + fit + 12 } })
    } else if (i > 0) {
      content.push({ text: '', pageBreak: 'before' })
    }
    content.push({ text: `QUOTATION ${number}`, fontSize: 18, bold: true, margin: [0, 0, 0, 8] })
    content.push({ text: 'Customer: Shenzhen Example Electronics Co., Ltd.   Contact: Zhang Min   Tel 0755-1234 5678', fontSize: 9, margin: [0, 0, 0, 12] })
    const rows: unknown[][] = [['#', 'Part no.', 'Description', 'Qty', 'Unit price', 'Amount']]
    for (let r = 1; r <= 22; r++) rows.push([String(r), `PN-${1000 + r * 7}`, `Ceramic capacitor 0805 ${r * 10} nF 50V X7R`, String(r * 100), `${(r * 0.37).toFixed(2)}`, `${(r * r * 37).toFixed(2)}`])
    content.push({ table: { headerRows: 1, widths: [16, 60, '*', 40, 55, 60], body: rows }, fontSize: 9 })
    content.push({ text: 'Customer signature and seal:', margin: [0, 24, 0, 4] })
    content.push({ canvas: [{ type: 'rect', x: 0, y: 0, w: 220, h: 80, lineWidth: 1 }] })
  })
  const def = { pageSize: 'A4', pageMargins: [40, 150, 40, 40], defaultStyle: { font: 'Helvetica' }, content }
  const out = pdfmake.createPdf(def as never) as unknown as { getBuffer(): Promise<Buffer> }
  return new Uint8Array(await out.getBuffer())
}

/** Rasterises every page with poppler's pdftoppm (a different renderer than the app's pdf.js). */
export async function rasterise(pdf: Uint8Array, dpi: number): Promise<RgbaImage[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scan-fixture-'))
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf)
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'in.pdf'), join(dir, 'p')])
    const files = readdirSync(dir).filter((f) => f.startsWith('p-')).sort()
    return Promise.all(files.map(async (f) => imageFromBytes(readFileSync(join(dir, f)))))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function imageFromBytes(bytes: Uint8Array): Promise<RgbaImage> {
  const image = await loadImage(Buffer.from(bytes))
  const c = createCanvas(image.width, image.height)
  const ctx = c.getContext('2d')
  ctx.drawImage(image, 0, 0)
  return ctx.getImageData(0, 0, image.width, image.height) as unknown as RgbaImage
}

function toCanvas(img: RgbaImage): Canvas {
  const c = createCanvas(img.width, img.height)
  const ctx = c.getContext('2d')
  const data = ctx.createImageData(img.width, img.height)
  data.data.set(img.data)
  ctx.putImageData(data, 0, 0)
  return c
}

function fromCanvas(c: Canvas): RgbaImage {
  return c.getContext('2d').getImageData(0, 0, c.width, c.height) as unknown as RgbaImage
}

export function pngBytes(img: RgbaImage): Uint8Array { return new Uint8Array(toCanvas(img).encodeSync('png')) }
export function jpegBytes(img: RgbaImage, quality: number): Uint8Array { return new Uint8Array(toCanvas(img).encodeSync('jpeg', quality)) }

/** Rotated about the centre on white paper, like a page fed askew (or upside down at 180°). */
export function rotate(img: RgbaImage, degrees: number): RgbaImage {
  const src = toCanvas(img)
  const c = createCanvas(img.width, img.height)
  const ctx = c.getContext('2d')
  ctx.fillStyle = '#fff'
  ctx.fillRect(0, 0, img.width, img.height)
  ctx.translate(img.width / 2, img.height / 2)
  ctx.rotate((degrees * Math.PI) / 180)
  ctx.drawImage(src, -img.width / 2, -img.height / 2)
  return fromCanvas(c)
}

/** Approximately gaussian sensor noise (sum of uniforms) of standard deviation `sigma` grey levels. */
export function noise(img: RgbaImage, sigma: number, seed = 1): RgbaImage {
  const rnd = mulberry32(seed) // seeded: a failing noise test fails the same way every run
  const data = new Uint8ClampedArray(img.data)
  for (let i = 0; i < data.length; i += 4) {
    const n = (rnd() + rnd() + rnd() + rnd() - 2) * sigma * Math.sqrt(3)
    data[i] = data[i]! + n; data[i + 1] = data[i + 1]! + n; data[i + 2] = data[i + 2]! + n
  }
  return { data, width: img.width, height: img.height }
}

/** Washed-out scan: grey levels squeezed into [low, high]. */
export function contrast(img: RgbaImage, low: number, high: number): RgbaImage {
  const data = new Uint8ClampedArray(img.data)
  const k = (high - low) / 255
  for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) data[i + c] = low + data[i + c]! * k
  return { data, width: img.width, height: img.height }
}

/** Greyscale scan. */
export function grey(img: RgbaImage): RgbaImage {
  const data = new Uint8ClampedArray(img.data)
  for (let i = 0; i < data.length; i += 4) {
    const v = (data[i]! * 299 + data[i + 1]! * 587 + data[i + 2]! * 114) / 1000
    data[i] = v; data[i + 1] = v; data[i + 2] = v
  }
  return { data, width: img.width, height: img.height }
}

/** JPEG-compressed and decoded again at the given quality (1–100). */
export async function jpeg(img: RgbaImage, quality: number): Promise<RgbaImage> {
  return imageFromBytes(jpegBytes(img, quality))
}

/** A red company seal (chop) stamped over a point, in colour: opaque red ink ring and text. */
export function redSeal(img: RgbaImage, cx: number, cy: number, radius: number): RgbaImage {
  const c = toCanvas(img)
  const ctx = c.getContext('2d')
  ctx.globalCompositeOperation = 'multiply'
  ctx.strokeStyle = 'rgb(220,30,40)'
  ctx.fillStyle = 'rgb(220,30,40)'
  ctx.lineWidth = radius * 0.12
  ctx.beginPath()
  ctx.arc(cx, cy, radius, 0, Math.PI * 2)
  ctx.stroke()
  ctx.font = `${Math.round(radius * 0.5)}px sans-serif`
  ctx.textAlign = 'center'
  ctx.fillText('★', cx, cy + radius * 0.15)
  ctx.fillRect(cx - radius * 0.7, cy + radius * 0.35, radius * 1.4, radius * 0.15)
  ctx.fillRect(cx - radius * 0.7, cy - radius * 0.5, radius * 1.4, radius * 0.12)
  return fromCanvas(c)
}

/**
 * Two portrait pages copied 2-up onto one landscape sheet, as an office copier's "2 合 1" does:
 * each page reduced (A4 → A5 is 70.7 %; copiers leave a margin, so 69 %) and centred in its half.
 */
export function twoUp(left: RgbaImage, right: RgbaImage, reduction = 0.69): RgbaImage {
  const sheet = createCanvas(left.height, left.width) // the same paper size, turned landscape
  const ctx = sheet.getContext('2d')
  ctx.fillStyle = '#fff'
  ctx.fillRect(0, 0, sheet.width, sheet.height)
  const half = sheet.width / 2
  ;[left, right].forEach((page, i) => {
    const w = page.width * reduction, h = page.height * reduction
    ctx.drawImage(toCanvas(page), i * half + (half - w) / 2, (sheet.height - h) / 2, w, h)
  })
  return fromCanvas(sheet)
}

/** A "scanner" PDF: each page is one full-page JPEG, as office scanners produce them. */
export async function scannedPdf(jpegs: Uint8Array[]): Promise<Uint8Array> {
  const pm = pdfmake as unknown as typeof pdfmake & { setUrlAccessPolicy(f: () => boolean): void; setLocalAccessPolicy(f: (path: string) => boolean): void }
  pm.setUrlAccessPolicy(() => false)
  pm.setLocalAccessPolicy(() => false)
  pm.setFonts({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } })
  const content = jpegs.map((j, i) => ({
    image: `data:image/jpeg;base64,${Buffer.from(j).toString('base64')}`, width: 595, height: 842,
    ...(i > 0 ? { pageBreak: 'before' } : {}),
  }))
  const def = { pageSize: 'A4', pageMargins: [0, 0, 0, 0], defaultStyle: { font: 'Helvetica' }, content }
  const out = pdfmake.createPdf(def as never) as unknown as { getBuffer(): Promise<Buffer> }
  return new Uint8Array(await out.getBuffer())
}
