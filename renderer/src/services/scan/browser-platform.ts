/**
 * Scan platform for a browser Web Worker: pdf.js renders PDF pages onto OffscreenCanvas,
 * images are decoded with createImageBitmap. No DOM is used, so this runs inside a worker.
 *
 * pdf.js runs with its own worker disabled, in our worker's thread: importing its worker module
 * and publishing it as `globalThis.pdfjsWorker` makes pdf.js use it directly (no nested Worker,
 * no `workerSrc` URL to resolve in Vite or under the app:// protocol).
 */
import { getDocument, type PageViewport } from 'pdfjs-dist'
import * as pdfjsWorker from 'pdfjs-dist/build/pdf.worker.min.mjs'
import type { RgbaImage } from '@core/scan/decode'
import type { PageJpeg } from '@core/scan/pdf-image'
import { pdfRaster, thumbnailPixels, type PdfRaster, type ScanPlatform } from '@core/scan/read'

;(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = pdfjsWorker

type Ctx = OffscreenCanvasRenderingContext2D

/** pdf.js's default canvas factory needs `document`; workers have OffscreenCanvas. */
class OffscreenCanvasFactory {
  create(width: number, height: number): { canvas: OffscreenCanvas; context: Ctx } {
    if (width <= 0 || height <= 0) throw new Error('Invalid canvas size')
    const canvas = new OffscreenCanvas(width, height)
    return { canvas, context: canvas.getContext('2d', { willReadFrequently: true })! }
  }
  reset(pair: { canvas: OffscreenCanvas }, width: number, height: number): void {
    pair.canvas.width = width
    pair.canvas.height = height
  }
  destroy(pair: { canvas: OffscreenCanvas | null; context: Ctx | null }): void {
    if (pair.canvas) { pair.canvas.width = 0; pair.canvas.height = 0 }
    pair.canvas = null
    pair.context = null
  }
}

/** pdf.js's default filter factory builds SVG filters in `document`; scans need none. */
class NoFilterFactory {
  addFilter(): string { return 'none' }
  addHCMFilter(): string { return 'none' }
  addAlphaFilter(): string { return 'none' }
  addLuminosityFilter(): string { return 'none' }
  addHighlightHCMFilter(): string { return 'none' }
  destroy(): void {}
}

export interface BrowserPlatformOptions {
  /** Folder URL (ending in '/') of pdf.js's wasm decoders; without it pdf.js uses JS fallbacks. */
  wasmUrl?: string
}

/**
 * A scanner page's JPEG decoded by the browser at about its size on the page, then laid on white
 * where the page places it: the pixels pdf.js would draw, without decoding the JPEG at full size
 * (issue 7). WebCodecs' ImageDecoder takes the wanted size, and Chromium's JPEG decoder then
 * scales in the DCT (a 300-dpi page decoded straight to 150 dpi: a quarter of the pixels to
 * inverse-transform and convert); where it is missing, createImageBitmap decodes in full and
 * resizes. The frame or bitmap and the canvas are released at once, not at the next collection.
 */
async function drawJpegBrowser(jpeg: PageJpeg, width: number, height: number, scale: number): Promise<RgbaImage> {
  const [x, y, w, h] = jpeg.box
  const wanted = { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) }
  const source = await decodeJpegNear(jpeg.bytes, wanted.width, wanted.height)
  const canvas = new OffscreenCanvas(width, height)
  try {
    const context = canvas.getContext('2d', { willReadFrequently: true })!
    context.fillStyle = '#fff'
    context.fillRect(0, 0, width, height)
    // What the decoder did not scale (to a multiple of 1/8, or not at all): mipmapped, so thin
    // lines of a 600-dpi scan survive.
    context.imageSmoothingQuality = 'medium'
    context.drawImage(source, x * scale, y * scale, w * scale, h * scale)
    return context.getImageData(0, 0, width, height)
  } finally {
    source.close()
    canvas.width = 0
    canvas.height = 0
  }
}

/** A JPEG decoded at or a little above `width` × `height` when the browser can, else resized to it. */
async function decodeJpegNear(bytes: Uint8Array, width: number, height: number): Promise<CanvasImageSource & { close(): void }> {
  if (typeof ImageDecoder !== 'undefined') {
    const decoder = new ImageDecoder({ data: bytes, type: 'image/jpeg', desiredWidth: width, desiredHeight: height, preferAnimation: false })
    try {
      return (await decoder.decode()).image
    } catch {
      // Fall through to createImageBitmap (it reports its own errors).
    } finally {
      decoder.close()
    }
  }
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })
  return createImageBitmap(blob, { resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' })
}

/** The ScanPlatform for a Web Worker. */
export function browserScanPlatform(options: BrowserPlatformOptions = {}): ScanPlatform {
  return {
    async openPdf(bytes: Uint8Array): Promise<PdfRaster> {
      const task = getDocument({
        data: bytes.slice(), // pdf.js detaches what it gets
        CanvasFactory: OffscreenCanvasFactory,
        FilterFactory: NoFilterFactory,
        // Glyphs are drawn as paths: FontFace loading needs a document.
        disableFontFace: true,
        isEvalSupported: false, // the app's CSP forbids eval
        useWorkerFetch: false,
        ...(options.wasmUrl ? { wasmUrl: options.wasmUrl } : {}),
        verbosity: 0,
      } as Parameters<typeof getDocument>[0])
      const doc = await task.promise
      return pdfRaster(doc, () => task.destroy(), async (page, viewport: PageViewport) => {
        const canvas = new OffscreenCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height))
        const context = canvas.getContext('2d', { willReadFrequently: true })!
        try {
          await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport, background: '#ffffff' }).promise
          return context.getImageData(0, 0, canvas.width, canvas.height)
        } finally {
          // Release the page's backing store now rather than at the next garbage collection.
          canvas.width = 0
          canvas.height = 0
        }
      }, { bytes, drawJpeg: drawJpegBrowser })
    },

    async decodeImage(bytes, kind): Promise<RgbaImage> {
      const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: kind === 'png' ? 'image/png' : 'image/jpeg' }))
      try {
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
        const context = canvas.getContext('2d', { willReadFrequently: true })!
        context.fillStyle = '#fff' // transparent PNG areas count as paper
        context.fillRect(0, 0, canvas.width, canvas.height)
        context.drawImage(bitmap, 0, 0)
        return context.getImageData(0, 0, canvas.width, canvas.height)
      } finally {
        bitmap.close()
      }
    },

    async thumbnail(img: RgbaImage): Promise<Uint8Array> {
      // Shrunk in JS first: no second full-page canvas (160 MB for a 40 MP page).
      const small = thumbnailPixels(img)
      const canvas = new OffscreenCanvas(small.width, small.height)
      canvas.getContext('2d')!.putImageData(new ImageData(small.data as Uint8ClampedArray<ArrayBuffer>, small.width, small.height), 0, 0)
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.7 })
      return new Uint8Array(await blob.arrayBuffer())
    },
  }
}
