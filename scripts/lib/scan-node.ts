/**
 * Node side of scan reading: pdf.js (pdfjs-dist 5.x legacy build) renders PDF pages onto
 * @napi-rs/canvas (its binary ships inside the npm package, pdf.md), images are decoded with
 * @napi-rs/canvas `loadImage`; the pure pipeline in renderer/core/scan does the rest.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import { getDocument, type PageViewport } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { RgbaImage } from '../../renderer/core/scan/decode'
import { pdfRaster, readScanBytes, thumbnailSize, type PdfRaster, type ReadOptions, type ScanFileResult, type ScanPlatform } from '../../renderer/core/scan/read'

interface NodeCanvasFactory {
  create(width: number, height: number): { canvas: { width: number; height: number }; context: { getImageData(x: number, y: number, w: number, h: number): unknown } }
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

/** Opens a PDF with pdf.js for page-by-page rendering. */
export async function openPdfNode(bytes: Uint8Array): Promise<PdfRaster> {
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
      return context.getImageData(0, 0, canvas.width, canvas.height) as unknown as RgbaImage
    } finally {
      factory.destroy({ canvas, context })
    }
  })
}

/** Decodes a JPEG/PNG into RGBA. */
export async function decodeImageNode(bytes: Uint8Array): Promise<RgbaImage> {
  const image = await loadImage(Buffer.from(bytes))
  const canvas = createCanvas(image.width, image.height)
  const ctx = canvas.getContext('2d')
  ctx.fillStyle = '#fff' // transparent PNG areas count as paper
  ctx.fillRect(0, 0, image.width, image.height)
  ctx.drawImage(image, 0, 0)
  return ctx.getImageData(0, 0, image.width, image.height) as unknown as RgbaImage
}

/** A ~200 px wide JPEG preview. */
export async function thumbnailNode(img: RgbaImage): Promise<Uint8Array> {
  const full = createCanvas(img.width, img.height)
  const fctx = full.getContext('2d')
  const data = fctx.createImageData(img.width, img.height)
  data.data.set(img.data)
  fctx.putImageData(data, 0, 0)
  const size = thumbnailSize(img.width, img.height)
  const small = createCanvas(size.width, size.height)
  small.getContext('2d').drawImage(full, 0, 0, size.width, size.height)
  return new Uint8Array(small.encodeSync('jpeg', 70))
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
