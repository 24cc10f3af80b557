/**
 * Finds the QR codes on one scanned sheet (pdf.md, "Decoding scans"). Pure: works on an RGBA
 * bitmap, so Node (tests, read-scan) and the browser worker run the very same code.
 *
 * Locate first, then decode only there (`locate.ts`): one pass over a ~110 dpi binarised view of
 * the whole sheet finds every finder-pattern-like spot and groups them into symbol-sized
 * clusters; each cluster's neighbourhood is then decoded, cheapest first: zxing at ~150 dpi → jsQR
 * → a coarser ~100 dpi view for noisy scans → the red channel for colour scans (a red seal over
 * the QR) → the original resolution. So
 * - a page without a QR costs the locating pass and a few small crops, not seconds of full-page
 *   decoding (pdf.md measured 0.2–2.6 s before giving up);
 * - every code on the sheet is found (two pages copied 2-up side by side carry two), wherever it
 *   sits, at any rotation;
 * - when no cluster decodes, zxing still reads the four corners at ~150 dpi (the first steps of the
 *   earlier corner-only pipeline), in case a damaged symbol hid its finder patterns.
 */
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource, BarcodeFormat } from '@zxing/library'
import jsQR from 'jsqr'
import { parseIdentity } from '../identity'
import { findFinders, groupFinders, type Bits, type Finder, type FinderGroup } from './locate'

/** An RGBA bitmap, as ImageData or a canvas gives it. */
export interface RgbaImage { data: Uint8ClampedArray; width: number; height: number }

/** A rectangle in image pixels. */
export interface Rect { left: number; top: number; width: number; height: number }

/** A decoded QR: its text, which step found it (diagnostics, benches) and where it is on the sheet. */
export interface DecodedQr { text: string; via: string; box?: Rect }

export interface DecodeOptions {
  /** Which texts are ours (listed first); default: our own page identity. Others are kept after them. */
  accept?: (text: string) => boolean
  /**
   * Ignored since every step is bounded (kept for callers): the corner-only pipeline needed it to
   * cut seconds of full-page decoding; what decodes must not depend on machine load.
   */
  budgetMs?: number
  /** Long side in pixels that counts as "150 dpi" (A4 at 150 dpi is 1754 px). */
  normalLongSide?: number
}

interface Grey { lum: Uint8ClampedArray; width: number; height: number }
type Channel = 'lum' | 'red'
type Reader = 'zxing' | 'jsqr'
/** What one decoder found in a view: the text and its corner/finder points in view pixels. */
interface Hit { text: string; points: Array<{ x: number; y: number }> }

const A4_150DPI_LONG_SIDE = 1754
// The locating view: ≥ ~110 dpi keeps a 2-up copy's modules (3 pt × 0.71) ≥ 3 px wide.
const LOCATE_SHARE = 110 / 150
// A corner region for the fallback is a square of this share of the short side: on A4 ≈ 88 mm,
// which holds the 31 mm symbol printed ≥ 10 mm from the edges with room for a skewed feed.
const CORNER_SHARE = 0.42
type Corner = 'tr' | 'bl' | 'tl' | 'br'
// Top-right is where we print; bottom-left is where it lands when the page was fed upside down.
const CORNERS: Corner[] = ['tr', 'bl', 'tl', 'br']
// Candidate symbols decoded per sheet and channel, strongest first (a 4-up sheet has 4).
const MAX_GROUPS = 16

const hints = new Map<DecodeHintType, unknown>([
  [DecodeHintType.TRY_HARDER, true],
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
])
const reader = new QRCodeReader()

/** Decodes the sheet's QR: ours if any, else another system's; null when there is none. */
export function decodePage(img: RgbaImage, options: DecodeOptions = {}): DecodedQr | null {
  return decodeSheet(img, options)[0] ?? null
}

/**
 * Every QR code on the sheet, each text once: ours first (in reading order, top to bottom, left
 * to right), then other systems' codes.
 */
export function decodeSheet(img: RgbaImage, options: DecodeOptions = {}): DecodedQr[] {
  const accept = options.accept ?? ((t: string) => parseIdentity(t) !== null)
  const target = options.normalLongSide ?? A4_150DPI_LONG_SIDE
  const factor = normaliseFactor(img.width, img.height, target)
  const coarse = Math.max(factor + 1, Math.round(Math.max(img.width, img.height) / (target * 2 / 3)))
  let colour: boolean | undefined
  const isColourScan = () => (colour ??= isColour(img))

  const found: DecodedQr[] = []
  const add = (qr: DecodedQr) => { if (!found.some((f) => f.text === qr.text)) found.push(qr) }

  // 1. Where: finder-like spots over the whole sheet, grouped into candidate symbols; then each
  // candidate's neighbourhood is decoded, and what a decode leaves unexplained goes back.
  const ls = locateScale(img.width, img.height, target)
  const toImage = (f: Finder): Finder => ({ x: (f.x + 0.5) * ls, y: (f.y + 0.5) * ls, module: f.module * ls, count: f.count })
  const views = new Map<Channel, Grey>()
  const readGroups = (channel: Channel) => {
    const view = sampleGrey(img, ls, channel)
    views.set(channel, view)
    const work = groupFinders(findFinders(binarise(view)).map(toImage))
    // Strongest first, and a bound on how many: a page of finder-like print (a halftone photo)
    // must not cost a decode per speck.
    for (let tried = 0; work.length && tried < MAX_GROUPS; tried++) {
      const group = work.shift()!
      let rect = groupRect(img, group, 10)
      let qr = decodeRegion(img, rect, factor, coarse, isColourScan, placeOf(img, rect))
      // Three spots of which one was not a finder (a data module): the symbol may reach further.
      if (!qr && group.finders.length >= 3) {
        rect = groupRect(img, group, 36)
        qr = decodeRegion(img, rect, factor, coarse, isColourScan, placeOf(img, rect))
      }
      if (!qr) continue
      add(qr)
      const rest = group.finders.filter((f) => !inside(qr.box!, f.x, f.y, 2 * f.module))
      if (rest.length && rest.length < group.finders.length) work.push(...groupFinders(rest))
    }
  }
  readGroups('lum')
  // 2. A red seal stamped over the QR hides its finders in grey; in red they reappear.
  if (found.length === 0 && isColourScan()) readGroups('red')

  // 3. Nothing read: zxing on the corners of the views already made (no new pass over the
  // image), as the corner-only pipeline began, in case a damaged symbol hid its finders.
  for (const [channel, view] of views) {
    if (found.length) break
    for (const c of CORNERS) {
      const rect = cornerRect(img, c)
      const hit = zxing(cropGrey(view, rect, ls))
      if (hit) add({ text: hit.text, via: `zxing:${channel === 'red' ? 'red:' : ''}${c}@locate`, box: boxOf(hit, rect, ls, 4.5) })
    }
  }

  const ours = found.filter((f) => accept(f.text)), others = found.filter((f) => !accept(f.text))
  const order = (a: DecodedQr, b: DecodedQr) => (a.box && b.box ? rowOrder(a.box, b.box) : 0)
  return [...ours.sort(order), ...others.sort(order)]
}

/**
 * Tries the decoders on one region, cheapest and most often right first; the first text wins.
 * Regions are a symbol's neighbourhood, so every step is small.
 */
function decodeRegion(img: RgbaImage, rect: Rect, factor: number, coarse: number, colour: () => boolean, place: string): DecodedQr | null {
  const views = new Map<string, Grey>()
  const view = (f: number, channel: Channel) => {
    const key = `${f}|${channel}`
    let g = views.get(key)
    if (!g) views.set(key, (g = greyRegion(img, rect, f, channel)))
    return g
  }
  const steps: Array<[Reader, number, Channel]> = [
    ['zxing', factor, 'lum'], ['jsqr', factor, 'lum'],
    // A coarser view averages away heavy scanner noise that defeats both at ~150 dpi.
    ['zxing', coarse, 'lum'], ['jsqr', coarse, 'lum'],
    ['zxing', factor, 'red'], ['jsqr', factor, 'red'],
  ]
  // zxing fails on some clean 300 dpi renders until downscaled, and reads some only at full size.
  if (factor > 1) steps.push(['zxing', 1, 'lum'], ['jsqr', 1, 'lum'])
  for (const [name, f, channel] of steps) {
    if (channel === 'red' && !colour()) continue
    const g = view(f, channel)
    if (g.width < 21 || g.height < 21) continue
    const hit = name === 'zxing' ? zxing(g) : jsqr(g)
    if (!hit) continue
    return { text: hit.text, via: `${name}:${channel === 'red' ? 'red:' : ''}${place}${f > 1 ? `/${f}` : ''}`, box: boxOf(hit, rect, f, 4.5) }
  }
  return null
}

/** The symbol's box in image pixels from the decoder's points (finder centres or corners), padded by `padModules`. */
function boxOf(hit: Hit, rect: Rect, f: number, padModules: number): Rect {
  const xs = hit.points.map((p) => rect.left + p.x * f), ys = hit.points.map((p) => rect.top + p.y * f)
  const left = Math.min(...xs), right = Math.max(...xs), top = Math.min(...ys), bottom = Math.max(...ys)
  // Points span at least 14 modules (finder centres of a version-1 symbol).
  const pad = padModules * Math.max(right - left, bottom - top) / 14
  return { left: left - pad, top: top - pad, width: right - left + 2 * pad, height: bottom - top + 2 * pad }
}

const inside = (r: Rect, x: number, y: number, slack: number) =>
  x >= r.left - slack && x <= r.left + r.width + slack && y >= r.top - slack && y <= r.top + r.height + slack

/** Top to bottom, then left to right, by the boxes' centres (a 2-up sheet: left page first). */
function rowOrder(a: Rect, b: Rect): number {
  const ay = a.top + a.height / 2, by = b.top + b.height / 2
  if (Math.abs(ay - by) > Math.max(a.height, b.height)) return ay - by
  return a.left + a.width / 2 - (b.left + b.width / 2)
}

/**
 * The neighbourhood to decode around a group: the finders' box plus the rest of a symbol and its
 * quiet zone (`modules` when three finders are there; 36 when some were not seen, enough for the
 * missing ones of a version-7 symbol).
 */
function groupRect(img: RgbaImage, g: FinderGroup, modules: number): Rect {
  const xs = g.finders.map((f) => f.x), ys = g.finders.map((f) => f.y)
  const pad = (g.finders.length >= 3 ? modules : 36) * g.module
  const left = Math.max(0, Math.floor(Math.min(...xs) - pad)), top = Math.max(0, Math.floor(Math.min(...ys) - pad))
  const right = Math.min(img.width, Math.ceil(Math.max(...xs) + pad)), bottom = Math.min(img.height, Math.ceil(Math.max(...ys) + pad))
  return { left, top, width: right - left, height: bottom - top }
}

/** Names where a region is on the sheet, for `via`: the nearest corner, or the middle. */
function placeOf(img: RgbaImage, r: Rect): string {
  const x = (r.left + r.width / 2) / img.width, y = (r.top + r.height / 2) / img.height
  const h = x < 1 / 3 ? 'l' : x > 2 / 3 ? 'r' : 'm', v = y < 1 / 3 ? 't' : y > 2 / 3 ? 'b' : 'm'
  return h === 'm' && v === 'm' ? 'mid' : `${v}${h}`
}

function cornerRect(img: RgbaImage, c: Corner): Rect {
  const side = Math.round(Math.min(img.width, img.height) * CORNER_SHARE)
  const width = Math.min(side, img.width), height = Math.min(side, img.height)
  const left = c === 'tr' || c === 'br' ? img.width - width : 0
  const top = c === 'bl' || c === 'br' ? img.height - height : 0
  return { left, top, width, height }
}

/** The part of a view (made at `scale` source pixels per view pixel) under an image rectangle. */
function cropGrey(g: Grey, rect: Rect, scale: number): Grey {
  const left = Math.floor(rect.left / scale), top = Math.floor(rect.top / scale)
  const width = Math.min(g.width - left, Math.floor(rect.width / scale)), height = Math.min(g.height - top, Math.floor(rect.height / scale))
  const lum = new Uint8ClampedArray(width * height)
  for (let y = 0; y < height; y++) lum.set(g.lum.subarray((top + y) * g.width + left, (top + y) * g.width + left + width), y * width)
  return { lum, width, height }
}

/**
 * Luminance (or the red channel, where a red seal turns light) of a rectangle, box-filtered by
 * an integer factor: each output pixel is the mean of an f×f block. One pass over the RGBA.
 */
function greyRegion(img: RgbaImage, rect: Rect, f: number, channel: Channel): Grey {
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

/**
 * The locating view: luminance sampled at `scale` (source pixels per view pixel, any real ≥ 1),
 * each view pixel the mean of the 2×2 source pixels at its position (the one pixel there when
 * the view is nearly full size). Reads the RGBA as 32-bit words; a quarter of a 300 dpi page's
 * pixels for a ~110 dpi view.
 */
function sampleGrey(img: RgbaImage, scale: number, channel: Channel): Grey {
  const width = Math.max(1, Math.floor((img.width - 1) / scale)), height = Math.max(1, Math.floor((img.height - 1) / scale))
  const lum = new Uint8ClampedArray(width * height)
  // A view of the RGBA as words needs 4-byte alignment; copy in the rare case it has none.
  const data = img.data.byteOffset % 4 ? img.data.slice() : img.data
  const words = new Uint32Array(data.buffer, data.byteOffset, img.width * img.height)
  const w = img.width
  const xs = new Int32Array(width)
  for (let x = 0; x < width; x++) xs[x] = Math.min(img.width - 2, Math.floor(x * scale))
  const step = scale < 1.5 ? 0 : 1 // 2×2 only when it stays within the view pixel's footprint
  // Little-endian RGBA in a word: R in the low byte (every platform the app runs on).
  const [wr, wg, wb] = channel === 'red' ? [1024, 0, 0] : [77, 150, 29]
  for (let y = 0; y < height; y++) {
    const r0 = Math.min(img.height - 2, Math.floor(y * scale)) * w, r1 = r0 + step * w, o = y * width
    for (let x = 0; x < width; x++) {
      const i = xs[x]!
      const a = words[r0 + i]!, b = words[r0 + i + step]!, c = words[r1 + i]!, d = words[r1 + i + step]!
      const r = (a & 255) + (b & 255) + (c & 255) + (d & 255)
      const g = ((a >>> 8) & 255) + ((b >>> 8) & 255) + ((c >>> 8) & 255) + ((d >>> 8) & 255)
      const bl = ((a >>> 16) & 255) + ((b >>> 16) & 255) + ((c >>> 16) & 255) + ((d >>> 16) & 255)
      lum[o + x] = (wr * r + wg * g + wb * bl + 512) >> 10
    }
  }
  return { lum, width, height }
}

/**
 * Local-block binarisation, one byte per pixel (1 = dark), as ZXing's HybridBinarizer decides it
 * (Apache-2.0): each 8×8 block gets a black point (its mean, or an estimate from its neighbours
 * when the block is flat), and a pixel is dark at or below the mean black point of the 5×5 blocks
 * around its own.
 */
function binarise(g: Grey): Bits {
  const { lum, width, height } = g
  const bits = new Uint8Array(width * height)
  if (width < 40 || height < 40) return { bits, width, height }
  const B = 8, bw = Math.ceil(width / B), bh = Math.ceil(height / B)
  const black = new Int32Array(bw * bh)
  for (let by = 0; by < bh; by++) {
    const y0 = Math.min(by * B, height - B)
    for (let bx = 0; bx < bw; bx++) {
      const x0 = Math.min(bx * B, width - B)
      let sum = 0, min = 255, max = 0
      for (let y = y0; y < y0 + B; y++) {
        const o = y * width + x0
        for (let x = 0; x < B; x++) {
          const v = lum[o + x]!
          sum += v
          if (v < min) min = v
          if (v > max) max = v
        }
      }
      let average = sum >> 6
      if (max - min <= 24) {
        // A flat block: assume paper, unless its neighbours say it is inside something dark.
        average = min / 2
        if (by > 0 && bx > 0) {
          const neighbours = (black[(by - 1) * bw + bx]! + 2 * black[by * bw + bx - 1]! + black[(by - 1) * bw + bx - 1]!) / 4
          if (min < neighbours) average = neighbours
        }
      }
      black[by * bw + bx] = average
    }
  }
  for (let by = 0; by < bh; by++) {
    const cy = Math.min(Math.max(by, 2), bh - 3), y0 = Math.min(by * B, height - B)
    for (let bx = 0; bx < bw; bx++) {
      const cx = Math.min(Math.max(bx, 2), bw - 3), x0 = Math.min(bx * B, width - B)
      let sum = 0
      for (let dy = -2; dy <= 2; dy++) {
        const o = (cy + dy) * bw + cx
        sum += black[o - 2]! + black[o - 1]! + black[o]! + black[o + 1]! + black[o + 2]!
      }
      const threshold = sum / 25
      for (let y = y0; y < y0 + B; y++) {
        const o = y * width + x0
        for (let x = 0; x < B; x++) bits[o + x] = lum[o + x]! <= threshold ? 1 : 0
      }
    }
  }
  return { bits, width, height }
}

/** Integer box-filter factor that brings the long side near `target`; 1 when already small. */
export function normaliseFactor(width: number, height: number, target: number): number {
  const long = Math.max(width, height)
  // Only shrink when it is worth it (≥ 1.5×): zxing fails on some clean 300 dpi renders.
  return long >= target * 1.5 ? Math.round(long / target) : 1
}

/** The locating view's scale: source pixels per view pixel for a ~110 dpi view (never enlarged). */
function locateScale(width: number, height: number, target: number): number {
  return Math.max(1, Math.max(width, height) / (target * LOCATE_SHARE))
}

function zxing(g: Grey): Hit | null {
  try {
    const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(g.lum, g.width, g.height)))
    const r = reader.decode(bitmap, hints)
    const text = r.getText()
    return text ? { text, points: r.getResultPoints().map((p) => ({ x: p.getX(), y: p.getY() })) } : null
  } catch {
    // NotFound, Checksum and Format exceptions all mean "not here".
    return null
  } finally {
    reader.reset()
  }
}

function jsqr(g: Grey): Hit | null {
  const rgba = new Uint8ClampedArray(g.width * g.height * 4)
  for (let p = 0, i = 0; p < g.lum.length; p++, i += 4) {
    const v = g.lum[p]!
    rgba[i] = v; rgba[i + 1] = v; rgba[i + 2] = v; rgba[i + 3] = 255
  }
  const found = jsQR(rgba, g.width, g.height, { inversionAttempts: 'dontInvert' })
  if (!found?.data) return null
  const l = found.location
  return { text: found.data, points: [l.topLeftFinderPattern, l.topRightFinderPattern, l.bottomLeftFinderPattern] }
}

/** A colour scan has a noticeable share of saturated pixels (sampled; a page is mostly paper). */
function isColour(img: RgbaImage): boolean {
  const { data } = img
  const pixels = img.width * img.height
  // One pixel in 7 (a seal covers thousands), at most ~300,000 samples on a huge page.
  const stride = Math.max(7, Math.floor(pixels / 300_000)) | 1
  let saturated = 0, sampled = 0
  for (let p = 0; p < pixels; p += stride) {
    const i = p * 4
    const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) saturated++
    sampled++
  }
  return saturated / sampled > 0.001
}
