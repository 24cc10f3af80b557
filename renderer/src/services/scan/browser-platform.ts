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
 * Page pixels without a new 8.7 MB allocation per page (issue 7: a 500-page scan peaked at
 * 1.14 GB in Chromium, each page's `ImageData` garbage that V8 collected late). Every page is
 * copied into one reused buffer (`VideoFrame.copyTo`), drawn, when it must be, on one reused
 * canvas, and every decoded frame, bitmap and canvas snapshot is closed at once. The pipeline
 * reads one page at a time and keeps nothing of it but its thumbnail (read.ts), so the page a
 * render returns is only valid until the next one: the worker's one reader, nobody else, holds it.
 */
class PagePixels {
  private buffer: ArrayBuffer | null = null
  private canvas: OffscreenCanvas | null = null
  /** A decoded frame's own pixels and canvas (see `frameCanvas`), reused like the page's. */
  private frameBuffer: ArrayBuffer | null = null
  private frameCanvasReused: OffscreenCanvas | null = null

  /** `bytes` bytes to write a page into: the reused buffer, or a page's own when it is very large. */
  take(bytes: number): Uint8ClampedArray {
    if (bytes > REUSE_MAX_BYTES) return new Uint8ClampedArray(bytes)
    if (!this.buffer || this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(Math.max(bytes, this.buffer?.byteLength ?? 0))
    return new Uint8ClampedArray(this.buffer, 0, bytes)
  }

  /**
   * A decoded frame as a canvas to draw from, scaled: its pixels copied out as RGBA
   * (`VideoFrame.copyTo`, which converts a YUV frame) onto one reused canvas. Chromium keeps about
   * 8 MB of shared memory per VideoFrame drawn straight on a canvas (or made an ImageBitmap) until
   * the worker ends: a 500-page scan held 811 MB in the renderer, 316 MB this way (issue 7).
   * Null when the frame cannot be copied out so (it is then drawn as it is).
   */
  async frameCanvas(frame: VideoFrame): Promise<OffscreenCanvas | null> {
    const width = frame.displayWidth, height = frame.displayHeight
    const bytes = width * height * 4
    if (bytes > REUSE_MAX_BYTES || frame.visibleRect?.width !== width || frame.visibleRect.height !== height) return null
    if (!this.frameBuffer || this.frameBuffer.byteLength < bytes) this.frameBuffer = new ArrayBuffer(Math.max(bytes, this.frameBuffer?.byteLength ?? 0))
    const data = new Uint8ClampedArray(this.frameBuffer, 0, bytes)
    try {
      await frame.copyTo(data, { format: 'RGBA', colorSpace: 'srgb', layout: [{ offset: 0, stride: width * 4 }] })
    } catch {
      return null // no RGB conversion in this browser
    }
    const words = new Uint32Array(data.buffer, 0, width * height)
    for (let i = 0; i < words.length; i++) words[i] = words[i]! | 0xff000000
    if (!this.frameCanvasReused) this.frameCanvasReused = new OffscreenCanvas(width, height)
    else { this.frameCanvasReused.width = width; this.frameCanvasReused.height = height }
    this.frameCanvasReused.getContext('2d')!.putImageData(new ImageData(data, width, height), 0, 0)
    return this.frameCanvasReused
  }

  /** The reused canvas, `width` × `height`, cleared (resizing it clears it). */
  canvasOf(width: number, height: number): { canvas: OffscreenCanvas; context: Ctx } {
    if (!this.canvas) this.canvas = new OffscreenCanvas(width, height)
    else { this.canvas.width = width; this.canvas.height = height }
    return { canvas: this.canvas, context: this.canvas.getContext('2d', { willReadFrequently: true })! }
  }

  /** After a page: a canvas larger than the reused buffer gives its backing store back now. */
  release(): void {
    if (this.canvas && this.canvas.width * this.canvas.height * 4 > REUSE_MAX_BYTES) { this.canvas.width = 0; this.canvas.height = 0 }
  }

  /**
   * The canvas's pixels (drawn opaque on white) in the page buffer: read through a VideoFrame of
   * it, closed at once; `getImageData` (a new ImageData) only where that is not possible.
   */
  async ofCanvas(canvas: OffscreenCanvas, context: Ctx): Promise<RgbaImage> {
    const { width, height } = canvas
    if (typeof VideoFrame !== 'undefined') {
      let frame: VideoFrame | null = null
      try {
        frame = new VideoFrame(canvas, { timestamp: 0, alpha: 'discard' })
        const page = await this.ofFrame(frame, width, height, 0, 0)
        if (page) return page
      } catch {
        // Fall through: getImageData reads any canvas.
      } finally {
        frame?.close()
      }
    }
    return context.getImageData(0, 0, width, height)
  }

  /**
   * A `width` × `height` white page with an RGB(A/X) frame copied in at `left`, `top`, when it
   * fits there; null for other pixel formats (a YUV frame: drawn on the canvas instead).
   */
  async ofFrame(frame: VideoFrame, width: number, height: number, left: number, top: number): Promise<RgbaImage | null> {
    const format = frame.format
    const fw = frame.visibleRect?.width ?? frame.displayWidth, fh = frame.visibleRect?.height ?? frame.displayHeight
    if (!format || !RGB_FORMATS.has(format) || left < 0 || top < 0 || left + fw > width || top + fh > height) return null
    const data = this.take(width * height * 4)
    const words = new Uint32Array(data.buffer, data.byteOffset, width * height)
    // Paper where the image does not reach (the page's 1 % slack, a rounding row).
    if (fw < width || fh < height) words.fill(0xffffffff)
    await frame.copyTo(data, { layout: [{ offset: (top * width + left) * 4, stride: width * 4 }] })
    opaqueRgba(words, left, top, fw, fh, width, format.startsWith('BGR'))
    return { data, width, height }
  }
}

/** A3 at 150 dpi twice over; a page larger than this (up to 40 MP) gets memory of its own. */
const REUSE_MAX_BYTES = 36 * 1024 * 1024
const RGB_FORMATS = new Set<string>(['RGBA', 'RGBX', 'BGRA', 'BGRX'])

/** Makes the frame's rectangle RGBA with full alpha in place (BGR swapped; RGBX's X set). */
function opaqueRgba(words: Uint32Array, left: number, top: number, fw: number, fh: number, width: number, bgr: boolean): void {
  // Little-endian words: R in the low byte for RGBA, B in the low byte for BGRA.
  for (let y = 0; y < fh; y++) {
    const start = (top + y) * width + left, end = start + fw
    if (bgr) for (let i = start; i < end; i++) { const w = words[i]!; words[i] = 0xff000000 | ((w & 0xff) << 16) | (w & 0xff00) | ((w >>> 16) & 0xff) }
    else for (let i = start; i < end; i++) words[i] = words[i]! | 0xff000000
  }
}

const pixels = new PagePixels()

/**
 * A scanner page's JPEG decoded by the browser at about its size on the page, then laid on white
 * where the page places it: the pixels pdf.js would draw, without decoding the JPEG at full size
 * (issue 7). WebCodecs' ImageDecoder takes the wanted size, and Chromium's JPEG decoder then
 * scales in the DCT (a 300-dpi page decoded straight to 150 dpi: a quarter of the pixels to
 * inverse-transform and convert); where it is missing, createImageBitmap decodes in full and
 * resizes. A frame of the wanted size is copied straight into the page buffer (Chromium gives
 * RGB frames: BGRX); any other size or format is drawn, scaled, on the reused canvas. RGB, not
 * the luma plane alone: the decoder reads the red channel where a red seal covers the QR.
 */
async function drawJpegBrowser(jpeg: PageJpeg, width: number, height: number, scale: number): Promise<RgbaImage> {
  const [x, y, w, h] = jpeg.box
  const wanted = { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) }
  const source = await decodeJpegNear(jpeg.bytes, wanted.width, wanted.height)
  try {
    if (typeof VideoFrame !== 'undefined' && source instanceof VideoFrame && source.displayWidth === wanted.width && source.displayHeight === wanted.height) {
      const page = await pixels.ofFrame(source, width, height, Math.round(x * scale), Math.round(y * scale))
      if (page) return page
    }
    const { canvas, context } = pixels.canvasOf(width, height)
    context.fillStyle = '#fff'
    context.fillRect(0, 0, width, height)
    // What the decoder did not scale (to a multiple of 1/8, or not at all): mipmapped, so thin
    // lines of a 600-dpi scan survive.
    context.imageSmoothingQuality = 'medium'
    const drawn = typeof VideoFrame !== 'undefined' && source instanceof VideoFrame ? ((await pixels.frameCanvas(source)) ?? source) : source
    context.drawImage(drawn, x * scale, y * scale, w * scale, h * scale)
    return await pixels.ofCanvas(canvas, context)
  } finally {
    source.close()
    pixels.release()
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
        const { canvas, context } = pixels.canvasOf(Math.ceil(viewport.width), Math.ceil(viewport.height))
        try {
          await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport, background: '#ffffff' }).promise
          return await pixels.ofCanvas(canvas, context)
        } finally {
          pixels.release()
        }
      }, { bytes, drawJpeg: drawJpegBrowser })
    },

    async decodeImage(bytes, kind): Promise<RgbaImage> {
      const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: kind === 'png' ? 'image/png' : 'image/jpeg' }))
      try {
        const { canvas, context } = pixels.canvasOf(bitmap.width, bitmap.height)
        context.fillStyle = '#fff' // transparent PNG areas count as paper
        context.fillRect(0, 0, canvas.width, canvas.height)
        context.drawImage(bitmap, 0, 0)
        return await pixels.ofCanvas(canvas, context)
      } finally {
        bitmap.close()
        pixels.release()
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
