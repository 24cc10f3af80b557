/**
 * Node side of scan reading: pdf.js (pdfjs-dist 5.x legacy build) renders PDF pages onto
 * @napi-rs/canvas (its binary ships inside the npm package, pdf.md), images are decoded with
 * @napi-rs/canvas `loadImage`, a scanner page's JPEG with sharp (libvips, scaled in the DCT); the
 * pure pipeline in renderer/core/scan does the rest.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import { getDocument, type PageViewport } from 'pdfjs-dist/legacy/build/pdf.mjs'
import sharp from 'sharp'
import type { RgbaImage } from '../../renderer/core/scan/decode'
import type { PageJpeg } from '../../renderer/core/scan/pdf-image'
import { pdfRaster, readScanBytes, thumbnailPixels, type JpegShortcut, type PdfRaster, type ReadOptions, type ScanFileResult, type ScanPlatform } from '../../renderer/core/scan/read'

/** pdf.js's own @napi-rs/canvas factory: a canvas is native memory, `data()` copies its pixels out. */
interface NodeCanvasFactory {
  create(width: number, height: number): { canvas: { width: number; height: number; data(): Buffer }; context: unknown }
  destroy(pair: unknown): void
}

const require = createRequire(import.meta.url)
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'))
// In Node pdf.js reads these with fs.readFile: plain folder paths ending in '/', not file:// URLs.
// Standard fonts draw non-embedded text; the wasm decoders read JBIG2/CCITT (bilevel scanner
// PDFs) and JPEG 2000 scans faster than the JS fallbacks.
const standardFontDataUrl = join(pdfjsRoot, 'standard_fonts') + '/'
const cMapUrl = join(pdfjsRoot, 'cmaps') + '/'
const wasmUrl = join(pdfjsRoot, 'wasm') + '/'
// One page at a time, never the same page twice: libvips' operation cache would only hold
// decoded pages (up to 100 MB) for nothing.
sharp.cache(false)

/**
 * Opens a PDF with pdf.js for page-by-page rendering; a page that is one JPEG is decoded from it
 * by libvips unless `jpegShortcut` is false, or by `drawJpeg` when given (tests and the bench
 * compare them).
 */
export async function openPdfNode(bytes: Uint8Array, options: { jpegShortcut?: boolean; drawJpeg?: JpegShortcut['drawJpeg'] } = {}): Promise<PdfRaster> {
  // pdf.js takes ownership of (detaches) the buffer it gets: give it a copy.
  const task = getDocument({ data: bytes.slice(), standardFontDataUrl, cMapUrl, cMapPacked: true, wasmUrl, isEvalSupported: false, verbosity: 0 })
  const doc = await task.promise
  return pdfRaster(doc, () => task.destroy(), async (page, viewport: PageViewport) => {
    // pdf.js bundles its own @napi-rs/canvas copy, whose Path2D our canvas rejects: draw on
    // a canvas from pdf.js's own factory.
    const factory = doc.canvasFactory as NodeCanvasFactory
    const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height))
    try {
      await page.render({ canvas, canvasContext: context, viewport, background: '#ffffff' } as never).promise
      return { data: pixelsOf(canvas), width: canvas.width, height: canvas.height }
    } finally {
      factory.destroy({ canvas, context })
    }
  }, options.jpegShortcut === false ? undefined : { bytes, drawJpeg: options.drawJpeg ?? drawJpegNode })
}

/**
 * A scanner page's JPEG decoded by libvips (sharp) straight at the size it is drawn, then laid on
 * white where the page places it: what pdf.js would draw, without its JavaScript JPEG decoder
 * (issue 7: ~1 s for a 300-dpi page) and without decoding the JPEG at full size (Skia did: 466 ms
 * for a 300-dpi page without a QR). libvips shrinks on load: asked for half the size or less, the
 * JPEG decoder scales in the DCT (1/2, 1/4, 1/8), so a 300-dpi page read at 150 dpi inverse-
 * transforms a quarter of its pixels; what remains is resized with a box-like kernel (thin lines
 * of a 600-dpi scan survive). RGBA, not grey: the decoder reads the red channel where a red seal
 * covers the QR.
 */
export async function drawJpegNode(jpeg: PageJpeg, width: number, height: number, scale: number): Promise<RgbaImage> {
  const [x, y, w, h] = jpeg.box
  const left = Math.max(0, Math.round(x * scale)), top = Math.max(0, Math.round(y * scale))
  const drawnWidth = Math.max(1, Math.min(width - left, Math.round(w * scale)))
  const drawnHeight = Math.max(1, Math.min(height - top, Math.round(h * scale)))
  const { data, info } = await sharp(jpeg.bytes, { failOn: 'error' })
    .resize(drawnWidth, drawnHeight, { fit: 'fill', kernel: 'mitchell' })
    .toColourspace('srgb')
    .ensureAlpha(1)
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.width !== drawnWidth || info.height !== drawnHeight || info.channels !== 4) throw new Error('JPEG decoded at another size')
  const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength)
  // A scanner's image covers the page: its pixels are the page.
  if (left === 0 && top === 0 && drawnWidth === width && drawnHeight === height) return { data: pixels, width, height }
  // Within the page's 1 % slack: the rest is paper.
  const page = new Uint8ClampedArray(width * height * 4).fill(255)
  for (let row = 0; row < drawnHeight; row++) page.set(pixels.subarray(row * drawnWidth * 4, (row + 1) * drawnWidth * 4), ((top + row) * width + left) * 4)
  return { data: page, width, height }
}

/** Decodes a JPEG/PNG into RGBA. */
export async function decodeImageNode(bytes: Uint8Array): Promise<RgbaImage> {
  const image = await loadImage(Buffer.from(bytes))
  const canvas = createCanvas(image.width, image.height)
  const ctx = canvas.getContext('2d')
  ctx.fillStyle = '#fff' // transparent PNG areas count as paper
  ctx.fillRect(0, 0, image.width, image.height)
  ctx.drawImage(image, 0, 0)
  return { data: pixelsOf(canvas), width: image.width, height: image.height }
}

/**
 * A canvas's RGBA (opaque: drawn on white) copied into memory the JavaScript heap owns.
 * Not getImageData: each ImageData it makes holds its pixels in native memory that only a
 * finaliser frees, after a garbage collection the small JS heap rarely asks for, so a 500-page
 * file held ~10 MB per page until it ended (5.4 GB). `data()` is a view of the canvas's own
 * memory, valid only while the canvas lives: copied at once.
 */
function pixelsOf(canvas: { data(): Buffer }): Uint8ClampedArray {
  const view = canvas.data()
  const copy = new Uint8ClampedArray(view.length)
  copy.set(view)
  return copy
}

/** A ~200 px wide JPEG preview. */
export async function thumbnailNode(img: RgbaImage): Promise<Uint8Array> {
  const small = thumbnailPixels(img)
  const canvas = createCanvas(small.width, small.height)
  const ctx = canvas.getContext('2d')
  const data = ctx.createImageData(small.width, small.height)
  data.data.set(small.data)
  ctx.putImageData(data, 0, 0)
  return new Uint8Array(canvas.encodeSync('jpeg', 70))
}

/** The Node implementation of the scan platform port. */
export const nodeScanPlatform: ScanPlatform = {
  openPdf: openPdfNode,
  decodeImage: (bytes) => decodeImageNode(bytes),
  thumbnail: thumbnailNode,
}

/** Reads one file from disk through the shared pipeline. */
export async function readScanFile(path: string, options?: ReadOptions): Promise<ScanFileResult> {
  const bytes = new Uint8Array(await readFile(path))
  return readScanBytes({ name: path, bytes }, nodeScanPlatform, options)
}
