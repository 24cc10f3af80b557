/**
 * Finds the QR code on one scanned page (pdf.md, "Decoding scans"). Pure: works on an RGBA
 * bitmap, so Node (tests, read-scan) and the browser worker run the very same code.
 *
 * Pipeline, cheapest and most reliable first: normalise to ~150 dpi → zxing on the four corner
 * regions (top-right first, then bottom-left for pages fed upside down) → jsQR on the same →
 * full page → original resolution → red channel for colour scans (a red seal over the QR).
 */
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource, BarcodeFormat } from '@zxing/library'
import jsQR from 'jsqr'
import { parseIdentity } from '../identity'

/** An RGBA bitmap, as ImageData or a canvas gives it. */
export interface RgbaImage { data: Uint8ClampedArray; width: number; height: number }

/** A decoded QR: its text, and which step of the pipeline found it (for diagnostics and benches). */
export interface DecodedQr { text: string; via: string }

export interface DecodeOptions {
  /** Which texts end the search; default: our own page identity. Others are kept as a fallback. */
  accept?: (text: string) => boolean
  /** Stop starting new steps after this many ms (a page with no QR otherwise costs seconds). */
  budgetMs?: number
  /** Long side in pixels that counts as "150 dpi" (A4 at 150 dpi is 1754 px). */
  normalLongSide?: number
}

interface Grey { lum: Uint8ClampedArray; width: number; height: number }
type Region = 'tr' | 'bl' | 'tl' | 'br' | 'full'

const DEFAULT_BUDGET_MS = 1500
const A4_150DPI_LONG_SIDE = 1754
// A corner region is a square of this share of the short side: on A4 at 150 dpi ≈ 88 mm, which
// holds the 31 mm symbol printed ≥ 10 mm from the edges with room for a skewed feed.
const CORNER_SHARE = 0.42
// Top-right is where we print; bottom-left is where it lands when the page was fed upside down.
const CORNERS: Region[] = ['tr', 'bl', 'tl', 'br']

const hints = new Map<DecodeHintType, unknown>([
  [DecodeHintType.TRY_HARDER, true],
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
])
const reader = new QRCodeReader()

const now = (): number => globalThis.performance.now()

/** Decodes the page's QR code; null when none was found within the budget. */
export function decodePage(img: RgbaImage, options: DecodeOptions = {}): DecodedQr | null {
  const accept = options.accept ?? ((t: string) => parseIdentity(t) !== null)
  const budget = options.budgetMs ?? DEFAULT_BUDGET_MS
  const started = now()

  const original = toGrey(img, 'lum')
  const factor = normaliseFactor(img.width, img.height, options.normalLongSide ?? A4_150DPI_LONG_SIDE)
  const norm = factor > 1 ? downscale(original, factor) : original
  const dpiTag = factor > 1 ? `/${factor}` : ''

  // Each step is a closure so that the budget is checked between them; the first step always runs.
  const steps: Array<[string, () => string | null]> = []
  for (const r of CORNERS) steps.push([`zxing:${r}${dpiTag}`, () => zxing(crop(norm, r))])
  for (const r of CORNERS) steps.push([`jsqr:${r}${dpiTag}`, () => jsqr(crop(norm, r))])
  steps.push([`zxing:full${dpiTag}`, () => zxing(norm)])
  steps.push([`jsqr:full${dpiTag}`, () => jsqr(norm)])
  if (factor > 1) {
    for (const r of CORNERS) steps.push([`zxing:${r}`, () => zxing(crop(original, r))])
    for (const r of CORNERS) steps.push([`jsqr:${r}`, () => jsqr(crop(original, r))])
  }
  // Colour scans only, checked lazily: most scans decode before this point.
  let red: Grey | null | undefined
  const redNorm = (): Grey | null => {
    if (red === undefined) red = !isColour(img) ? null : factor > 1 ? downscale(toGrey(img, 'red'), factor) : toGrey(img, 'red')
    return red
  }
  for (const r of CORNERS) steps.push([`zxing:red:${r}${dpiTag}`, () => { const g = redNorm(); return g && zxing(crop(g, r)) }])
  for (const r of CORNERS) steps.push([`jsqr:red:${r}${dpiTag}`, () => { const g = redNorm(); return g && jsqr(crop(g, r)) }])

  let foreign: DecodedQr | null = null
  for (const [i, [via, run]] of steps.entries()) {
    if (i > 0 && now() - started > budget) break
    const text = run()
    if (text === null || text === '') continue
    if (accept(text)) return { text, via }
    foreign ??= { text, via }
  }
  return foreign
}

/** Integer box-filter factor that brings the long side near `target`; 1 when already small. */
export function normaliseFactor(width: number, height: number, target: number): number {
  const long = Math.max(width, height)
  // Only shrink when it is worth it (≥ 1.5×): zxing fails on some clean 300 dpi renders.
  return long >= target * 1.5 ? Math.round(long / target) : 1
}

/** Luminance (or the red channel, where a red seal turns light) as one byte per pixel. */
function toGrey(img: RgbaImage, channel: 'lum' | 'red'): Grey {
  const { data, width, height } = img
  const lum = new Uint8ClampedArray(width * height)
  if (channel === 'red') {
    for (let i = 0, p = 0; p < lum.length; i += 4, p++) lum[p] = data[i]!
  } else {
    // Rec. 601 weights in integers: (77 R + 150 G + 29 B) / 256.
    for (let i = 0, p = 0; p < lum.length; i += 4, p++) lum[p] = (77 * data[i]! + 150 * data[i + 1]! + 29 * data[i + 2]!) >> 8
  }
  return { lum, width, height }
}

/** Box filter by an integer factor: each output pixel is the mean of an f×f block. */
export function downscale(g: Grey, f: number): Grey {
  const width = Math.floor(g.width / f), height = Math.floor(g.height / f)
  const out = new Uint8ClampedArray(width * height)
  const sums = new Uint32Array(width)
  const area = f * f
  for (let y = 0; y < height; y++) {
    sums.fill(0)
    for (let dy = 0; dy < f; dy++) {
      const row = (y * f + dy) * g.width
      for (let x = 0; x < width; x++) {
        let s = 0
        const base = row + x * f
        for (let dx = 0; dx < f; dx++) s += g.lum[base + dx]!
        sums[x] = sums[x]! + s
      }
    }
    const o = y * width
    for (let x = 0; x < width; x++) out[o + x] = (sums[x]! + (area >> 1)) / area
  }
  return { lum: out, width, height }
}

function crop(g: Grey, region: Region): Grey {
  if (region === 'full') return g
  const side = Math.round(Math.min(g.width, g.height) * CORNER_SHARE)
  const w = Math.min(side, g.width), h = Math.min(side, g.height)
  const left = region === 'tr' || region === 'br' ? g.width - w : 0
  const top = region === 'bl' || region === 'br' ? g.height - h : 0
  const lum = new Uint8ClampedArray(w * h)
  for (let y = 0; y < h; y++) lum.set(g.lum.subarray((top + y) * g.width + left, (top + y) * g.width + left + w), y * w)
  return { lum, width: w, height: h }
}

function zxing(g: Grey): string | null {
  try {
    const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(g.lum, g.width, g.height)))
    return reader.decode(bitmap, hints).getText()
  } catch {
    // NotFound, Checksum and Format exceptions all mean "not here".
    return null
  } finally {
    reader.reset()
  }
}

function jsqr(g: Grey): string | null {
  const rgba = new Uint8ClampedArray(g.width * g.height * 4)
  for (let p = 0, i = 0; p < g.lum.length; p++, i += 4) {
    const v = g.lum[p]!
    rgba[i] = v; rgba[i + 1] = v; rgba[i + 2] = v; rgba[i + 3] = 255
  }
  const found = jsQR(rgba, g.width, g.height, { inversionAttempts: 'dontInvert' })
  return found ? found.data : null
}

/** A colour scan has a noticeable share of saturated pixels (sampled; a page is mostly paper). */
function isColour(img: RgbaImage): boolean {
  const { data } = img
  const pixels = img.width * img.height
  const stride = 7 // sample one pixel in 7; a seal covers thousands of pixels
  let saturated = 0, sampled = 0
  for (let p = 0; p < pixels; p += stride) {
    const i = p * 4
    const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) saturated++
    sampled++
  }
  return saturated / sampled > 0.001
}
