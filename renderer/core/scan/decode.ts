/**
 * Finds the QR code on one scanned page (pdf.md, "Decoding scans"). Pure: works on an RGBA
 * bitmap, so Node (tests, read-scan) and the browser worker run the very same code.
 *
 * Pipeline, cheapest and most reliable first: normalise to ~150 dpi → zxing on the four corner
 * regions (top-right first, then bottom-left for pages fed upside down) → jsQR on the same →
 * a coarser ~100 dpi view for noisy scans → red channel for colour scans (a red seal over the
 * QR) → full page → original resolution. The corner steps always run (so what decodes does not
 * depend on machine load); the budget only cuts the slow full-page and full-resolution tail.
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
  /** After the corner steps, start no new step past this many ms (a page with no QR costs seconds). */
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
  const target = options.normalLongSide ?? A4_150DPI_LONG_SIDE
  const factor = normaliseFactor(img.width, img.height, target)
  const tag = factor > 1 ? `/${factor}` : ''

  // Grey views are computed straight from the RGBA, per region and only when a step needs them:
  // the first step touches only the top-right sixth of the page.
  const cache = new Map<string, Grey>()
  const view = (region: Region, f: number, channel: 'lum' | 'red'): Grey => {
    const key = `${region}|${f}|${channel}`
    let g = cache.get(key)
    if (!g) cache.set(key, (g = greyRegion(img, regionRect(img, region), f, channel)))
    return g
  }

  // Each step is a closure so that the budget is checked between them.
  const steps: Array<[string, () => string | null]> = []
  for (const r of CORNERS) steps.push([`zxing:${r}${tag}`, () => zxing(view(r, factor, 'lum'))])
  for (const r of CORNERS) steps.push([`jsqr:${r}${tag}`, () => jsqr(view(r, factor, 'lum'))])
  // A coarser view (~100 dpi) averages away heavy scanner noise that defeats both at ~150 dpi.
  const coarse = Math.max(factor + 1, Math.round(Math.max(img.width, img.height) / (target * 2 / 3)))
  for (const r of CORNERS) steps.push([`zxing:${r}/${coarse}`, () => zxing(view(r, coarse, 'lum'))])
  for (const r of CORNERS) steps.push([`jsqr:${r}/${coarse}`, () => jsqr(view(r, coarse, 'lum'))])
  // Colour scans only (checked lazily: most scans decode before this point).
  let colour: boolean | undefined
  const red = (r: Region): Grey | null => ((colour ??= isColour(img)) ? view(r, factor, 'red') : null)
  for (const r of CORNERS) steps.push([`zxing:red:${r}${tag}`, () => { const g = red(r); return g && zxing(g) }])
  for (const r of CORNERS) steps.push([`jsqr:red:${r}${tag}`, () => { const g = red(r); return g && jsqr(g) }])

  // Everything above is always tried; what follows only while within the budget.
  const alwaysRun = steps.length
  steps.push([`zxing:full${tag}`, () => zxing(view('full', factor, 'lum'))])
  steps.push([`jsqr:full${tag}`, () => jsqr(view('full', factor, 'lum'))])
  if (factor > 1) {
    for (const r of CORNERS) steps.push([`zxing:${r}`, () => zxing(view(r, 1, 'lum'))])
    for (const r of CORNERS) steps.push([`jsqr:${r}`, () => jsqr(view(r, 1, 'lum'))])
  }
  let foreign: DecodedQr | null = null
  for (const [i, [via, run]] of steps.entries()) {
    if (i >= alwaysRun && now() - started > budget) break
    const text = run()
    if (text === null || text === '') continue
    if (accept(text)) return { text, via }
    foreign ??= { text, via }
  }
  return foreign
}

interface Rect { left: number; top: number; width: number; height: number }

function regionRect(img: RgbaImage, region: Region): Rect {
  if (region === 'full') return { left: 0, top: 0, width: img.width, height: img.height }
  const side = Math.round(Math.min(img.width, img.height) * CORNER_SHARE)
  const width = Math.min(side, img.width), height = Math.min(side, img.height)
  const left = region === 'tr' || region === 'br' ? img.width - width : 0
  const top = region === 'bl' || region === 'br' ? img.height - height : 0
  return { left, top, width, height }
}

/**
 * Luminance (or the red channel, where a red seal turns light) of a rectangle, box-filtered by
 * an integer factor: each output pixel is the mean of an f×f block. One pass over the RGBA.
 */
function greyRegion(img: RgbaImage, rect: Rect, f: number, channel: 'lum' | 'red'): Grey {
  const width = Math.floor(rect.width / f), height = Math.floor(rect.height / f)
  const lum = new Uint8ClampedArray(width * height)
  const sums = new Uint32Array(width)
  const data = img.data, stride = img.width * 4
  // Rec. 601 weights in integers: (77 R + 150 G + 29 B) / 256; red channel: 256 R / 256.
  const [wr, wg, wb] = channel === 'red' ? [256, 0, 0] : [77, 150, 29]
  const div = f * f * 256
  for (let y = 0; y < height; y++) {
    sums.fill(0)
    for (let dy = 0; dy < f; dy++) {
      let i = (rect.top + y * f + dy) * stride + rect.left * 4
      for (let x = 0; x < width; x++) {
        let s = 0
        for (let dx = 0; dx < f; dx++, i += 4) s += wr * data[i]! + wg * data[i + 1]! + wb * data[i + 2]!
        sums[x] = sums[x]! + s
      }
    }
    const o = y * width
    for (let x = 0; x < width; x++) lum[o + x] = (sums[x]! + (div >> 1)) / div
  }
  return { lum, width, height }
}

/** Integer box-filter factor that brings the long side near `target`; 1 when already small. */
export function normaliseFactor(width: number, height: number, target: number): number {
  const long = Math.max(width, height)
  // Only shrink when it is worth it (≥ 1.5×): zxing fails on some clean 300 dpi renders.
  return long >= target * 1.5 ? Math.round(long / target) : 1
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
