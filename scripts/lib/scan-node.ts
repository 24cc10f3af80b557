/**
 * Node side of scan reading: pdf.js (pdfjs-dist 5.x legacy build) renders PDF pages onto
 * @napi-rs/canvas (its binary ships inside the npm package, pdf.md), images are decoded with
 * @napi-rs/canvas `loadImage`; the pure pipeline in renderer/core/scan does the rest.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createCanvas, Image, loadImage } from '@napi-rs/canvas'
import { getDocument, type PageViewport } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { RgbaImage } from '../../renderer/core/scan/decode'
import type { PageJpeg } from '../../renderer/core/scan/pdf-image'
import { pdfRaster, readScanBytes, thumbnailPixels, type PdfRaster, type ReadOptions, type ScanFileResult, type ScanPlatform } from '../../renderer/core/scan/read'

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

/**
 * Opens a PDF with pdf.js for page-by-page rendering; a page that is one JPEG is drawn from it
 * by Skia unless `jpegShortcut` is false (tests and the bench compare the two).
 */
export async function openPdfNode(bytes: Uint8Array, options: { jpegShortcut?: boolean } = {}): Promise<PdfRaster> {
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
  }, options.jpegShortcut === false ? undefined : { bytes, drawJpeg: drawJpegNode })
}

/**
 * A scanner page's JPEG decoded by Skia and drawn, scaled, where the page places it: what
 * pdf.js would draw, without its JavaScript JPEG decoder (issue 7: ~1 s for a 300-dpi page).
 */
export async function drawJpegNode(jpeg: PageJpeg, width: number, height: number, scale: number): Promise<RgbaImage> {
  const image = new Image()
  image.src = Buffer.from(jpeg.bytes.buffer, jpeg.bytes.byteOffset, jpeg.bytes.byteLength)
  await image.decode()
  if (image.naturalWidth !== jpeg.width || image.naturalHeight !== jpeg.height) throw new Error('JPEG size differs from its header')
  const canvas = createCanvas(width, height)
  try {
    const ctx = canvas.getContext('2d')
    ctx.fillStyle = '#fff'
    ctx.fillRect(0, 0, width, height)
    // Mipmapped scaling: a 600-dpi scan drawn at 150 dpi keeps its thin lines (plain bilinear
    // sampling would skip three pixels of four).
    ctx.imageSmoothingQuality = 'medium'
    const [x, y, w, h] = jpeg.box
    ctx.drawImage(image, x * scale, y * scale, w * scale, h * scale)
    return { data: pixelsOf(canvas), width, height }
  } finally {
    canvas.width = 0
    canvas.height = 0
  }
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
