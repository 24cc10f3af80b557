/**
 * Reads one imported file: sniff → rasterise each page → decode every QR on it → parse our
 * identities. Pure orchestration; the platform (Node with pdf.js + @napi-rs/canvas, or a browser
 * worker with pdf.js + OffscreenCanvas) supplies rasterising through `ScanPlatform`, so both run
 * this code.
 *
 * Bounded work, whatever the file declares (issue 7, hostile files): a page larger than any sheet
 * of paper (MAX_SHEET_MM) is not rendered at all, and a PDF with no page of paper size is refused
 * as a whole (a PDF bomb: 1,000 pages of 5 × 5 m); a page is rendered at most at MAX_PAGE_PIXELS
 * (scaled down to fit, not refused), a file at most MAX_PDF_PAGES pages and MAX_FILE_PIXELS
 * rendered pixels; what is left out is said in the file's notes. One page's bitmap at a time:
 * nothing of a page is kept once it is decoded (only its small thumbnail).
 */
import type { Label } from '../../../forms/schema/types'
import { parseIdentity, sha256Hex, type PageIdentity } from '../identity'
import { decodeSheet, type DecodeOptions, type RgbaImage } from './decode'
import { PdfObjects, type PageJpeg, type PageRef } from './pdf-image'
import { sniffFile, type ScanKind } from './sniff'

/** Most pages read from one PDF (an office feeder makes 100-page files; 500 is five of them). */
export const MAX_PDF_PAGES = 500
/** Largest bitmap a page is rendered to: A4 at 600 dpi is 35 MP; 40 MP of RGBA is 160 MB. */
export const MAX_PAGE_PIXELS = 40_000_000
/**
 * Longest side of a sheet a scanner or copier gives (A0 is 841 × 1189 mm, with a little slack for
 * a scanner's margins). A larger page is no scan: it is not rendered.
 */
export const MAX_SHEET_MM = 1250
const MM_PER_PT = 25.4 / 72
/** Longest side of a rendered page (canvas limits; a 1 × 1000 inch page is no scan). */
export const MAX_PAGE_SIDE = 16_384
/**
 * Pixels rendered per file in all: 500 A4 pages at 150 dpi are 1,095 MP (A3 pages stop after
 * 250); a file declaring 40 MP pages stops after 27 instead of rendering for an hour.
 */
export const MAX_FILE_PIXELS = 1_100_000_000

/** An opened PDF, page by page. */
export interface PdfRaster {
  pageCount: number
  /** Pixel size of a page (0-based) rendered at `dpi`, after the MAX_PAGE_PIXELS cap, and its size in points. */
  size(pageIndex: number, dpi: number): Promise<{ width: number; height: number; scale: number; widthPt: number; heightPt: number }>
  /** Renders a page (0-based) at `dpi` onto white, scaled down to MAX_PAGE_PIXELS when larger. */
  render(pageIndex: number, dpi: number): Promise<RgbaImage>
  /** Identity text from the PDF metadata (Subject/Keywords), when the PDF is born-digital. */
  metadataText?: string | null
  /** Pages drawn from their JPEG by the platform's decoder instead of pdf.js (diagnostics, tests). */
  jpegPages?: number
  close(): Promise<void>
}

/** The parts of an opened pdf.js document a raster uses (structural: core imports no pdf.js). */
export interface PdfJsDocLike<P extends PdfJsPageLike> {
  numPages: number
  getMetadata(): Promise<{ info?: unknown } | null>
  getPage(pageNumber: number): Promise<P>
}
export interface PdfJsPageLike {
  getViewport(o: { scale: number }): { width: number; height: number }
  cleanup(): unknown
  /** The page object's reference, crop box in user space and rotation (for the JPEG shortcut). */
  ref?: PageRef | null
  view?: number[]
  rotate?: number
}

/**
 * The shortcut for a scanner's page (`pdf-image.ts`): the file's bytes, and the platform's native
 * decoder drawing a JPEG onto a `width` × `height` white page, its box (points) times `scale`.
 */
export interface JpegShortcut {
  bytes: Uint8Array
  drawJpeg(jpeg: PageJpeg, width: number, height: number, scale: number): Promise<RgbaImage>
}

/**
 * The render scale (pixels per point) for a page of `widthPt` × `heightPt` at `dpi`, reduced so
 * the bitmap stays within MAX_PAGE_PIXELS and MAX_PAGE_SIDE.
 */
export function renderScale(widthPt: number, heightPt: number, dpi: number): number {
  let scale = dpi / 72
  const w = Math.max(1, widthPt), h = Math.max(1, heightPt)
  if (w * h * scale * scale > MAX_PAGE_PIXELS) scale = Math.sqrt(MAX_PAGE_PIXELS / (w * h)) * 0.999
  return Math.min(scale, MAX_PAGE_SIDE / Math.max(w, h))
}

/**
 * A PdfRaster over an opened pdf.js document, shared by the browser worker and Node: metadata,
 * page lookup and cleanup here; `draw` (the platform's canvas) renders one page onto white.
 */
export async function pdfRaster<P extends PdfJsPageLike, V extends { width: number; height: number }>(
  doc: PdfJsDocLike<P>,
  close: () => Promise<void>,
  draw: (page: P, viewport: V) => Promise<RgbaImage>,
  shortcut?: JpegShortcut,
): Promise<PdfRaster> {
  const meta = await doc.getMetadata().catch(() => null)
  const info = (meta?.info ?? {}) as { Subject?: string; Keywords?: string }
  // Only a file whose xref this reader understands; otherwise every page goes to pdf.js.
  const objects = shortcut ? PdfObjects.open(shortcut.bytes) : null
  const raster: PdfRaster = {
    pageCount: doc.numPages,
    metadataText: [info.Subject, info.Keywords].filter(Boolean).join(' '),
    async size(pageIndex, dpi) {
      const page = await doc.getPage(pageIndex + 1)
      const box = page.getViewport({ scale: 1 })
      const scale = renderScale(box.width, box.height, dpi)
      return { width: Math.ceil(box.width * scale), height: Math.ceil(box.height * scale), scale, widthPt: box.width, heightPt: box.height }
    },
    async render(pageIndex, dpi) {
      const page = await doc.getPage(pageIndex + 1)
      try {
        const box = page.getViewport({ scale: 1 })
        const scale = renderScale(box.width, box.height, dpi)
        const vp = page.getViewport({ scale }) as V
        const jpeg = objects && !page.rotate && page.view ? objects.pageJpeg(page.ref, page.view) : null
        if (jpeg && shortcut) {
          try {
            const img = await shortcut.drawJpeg(jpeg, Math.ceil(vp.width), Math.ceil(vp.height), scale)
            raster.jpegPages = (raster.jpegPages ?? 0) + 1
            return img
          } catch {
            // A JPEG the native decoder refuses: pdf.js may still draw it (it has its own decoder).
          }
        }
        return await draw(page, vp)
      } finally {
        page.cleanup()
      }
    },
    close,
  }
  return raster
}

/** What the platform must provide to read scans. */
export interface ScanPlatform {
  openPdf(bytes: Uint8Array): Promise<PdfRaster>
  decodeImage(bytes: Uint8Array, kind: 'jpeg' | 'png'): Promise<RgbaImage>
  /** A small preview (~200 px wide) as PNG/JPEG bytes; optional (the CLI needs none). */
  thumbnail?(img: RgbaImage): Promise<Uint8Array>
}

/** One QR code found on a page. */
export interface ScanCode {
  /** Our identity in it; null for another system's QR. */
  identity: PageIdentity | null
  text: string
  /** Pipeline step that found it. */
  via: string
}

/** One page (sheet) of a read file. */
export interface ScanPageResult {
  /** 0-based index in the file. */
  index: number
  /** The first of our identities on the sheet (a 2-up copy carries two: see `codes`). */
  identity: PageIdentity | null
  /** The first decoded QR text, also when it is not ours (another system's QR). */
  qrText: string | null
  /** Every QR code on the sheet, ours first. */
  codes: ScanCode[]
  /** Pipeline step that found the first QR. */
  via?: string
  /** Set when the page could not be rendered or decoded. */
  error?: Label
  thumbnail?: Uint8Array
  /** Time spent on this page (render + decode), for diagnostics. */
  ms: number
  /** How a PDF page became pixels: from its JPEG by the platform's decoder, or drawn by pdf.js. */
  drawn?: 'jpeg' | 'pdf.js'
}

/** One read file. */
export interface ScanFileResult {
  name: string
  size: number
  /** SHA-256 hex of the bytes as received (the blob address; never re-save the file). */
  sha256: string
  kind?: ScanKind
  /** Set when the file as a whole was refused (empty, not a PDF, truncated, too big …). */
  error?: Label
  pages: ScanPageResult[]
  /** Our identity found in the PDF metadata (a born-digital PDF), if any. */
  metadataIdentity?: PageIdentity | null
  /** Pages of the file that were not read (over MAX_PDF_PAGES or MAX_FILE_PIXELS). */
  skippedPages?: number
  /** What the clerk must know about the file as a whole besides its pages (pages not read). */
  notes?: Label[]
}

/** How far a file's reading has come: pages to read (known once the PDF is open) and pages done. */
export interface ReadProgress { pages: number; done: number }

export interface ReadOptions {
  /** Resolution PDF pages are rendered at; pdf.md: ~150 dpi is what decodes best. */
  pdfDpi?: number
  thumbnails?: boolean
  decode?: DecodeOptions
  /** Told when the page count is known and after every page (the worker's watchdog listens). */
  onProgress?: (p: ReadProgress) => void
  /** Overrides MAX_PDF_PAGES / MAX_FILE_PIXELS (tests). */
  maxPages?: number
  maxFilePixels?: number
}

/** The message for pages left unread: how many were read and how many were not. */
export function skippedPagesNote(read: number, skipped: number): Label {
  return {
    zh: `只读取了前 ${read} 页，其余 ${skipped} 页未读取，请拆分文件后再导入`,
    en: `Only the first ${read} pages were read; the other ${skipped} were not. Split the file and import the parts`,
  }
}

const now = (): number => globalThis.performance.now()

/** Reads every page of one file; never throws for a bad file, it reports it. */
export async function readScanBytes(file: { name: string; bytes: Uint8Array }, platform: ScanPlatform, options: ReadOptions = {}): Promise<ScanFileResult> {
  const { name, bytes } = file
  const sha256 = await sha256Hex(bytes)
  const base = { name, size: bytes.length, sha256 }
  const sniff = sniffFile(bytes, name)
  if (!sniff.ok) return { ...base, error: sniff.message, pages: [] }

  if (sniff.kind !== 'pdf') {
    const started = now()
    try {
      options.onProgress?.({ pages: 1, done: 0 })
      const img = await platform.decodeImage(bytes, sniff.kind)
      return { ...base, kind: sniff.kind, pages: [await readImage(0, img, started, platform, options)] }
    } catch (e) {
      return { ...base, kind: sniff.kind, error: { zh: `图片无法解码：${errText(e)}`, en: `The image cannot be decoded: ${errText(e)}` }, pages: [] }
    }
  }

  let pdf: PdfRaster
  try {
    pdf = await platform.openPdf(bytes)
  } catch (e) {
    const encrypted = /password/i.test(errText(e)) || (e as { name?: string })?.name === 'PasswordException'
    const error: Label = encrypted
      ? { zh: 'PDF 已加密（需要密码），无法读取，请让客户发送未加密的扫描件', en: 'The PDF is password-protected' }
      : { zh: `PDF 文件已损坏，无法打开（${errText(e)}）`, en: `The PDF is damaged and cannot be opened (${errText(e)})` }
    return { ...base, kind: 'pdf', error, pages: [] }
  }
  try {
    const dpi = options.pdfDpi ?? 150
    const maxPixels = options.maxFilePixels ?? MAX_FILE_PIXELS
    const toRead = Math.min(pdf.pageCount, options.maxPages ?? MAX_PDF_PAGES)
    options.onProgress?.({ pages: toRead, done: 0 })
    const pages: ScanPageResult[] = []
    let pixels = 0
    /** Pages larger than any paper, not rendered (the first one's size, for the message). */
    let oversize = 0
    let oversizeMm: [number, number] | null = null
    for (let i = 0; i < toRead; i++) {
      const started = now()
      try {
        const size = await pdf.size(i, dpi)
        const mm: [number, number] = [Math.round(size.widthPt * MM_PER_PT), Math.round(size.heightPt * MM_PER_PT)]
        if (Math.max(...mm) > MAX_SHEET_MM) {
          oversize++
          oversizeMm ??= mm
          pages.push({ index: i, identity: null, qrText: null, codes: [], error: oversizePageMessage(mm), ms: now() - started })
          options.onProgress?.({ pages: toRead, done: i + 1 })
          continue
        }
        // Stop before a page that would take the file past its pixel budget (always read one).
        pixels += size.width * size.height
        if (i > 0 && pixels > maxPixels) break
        const jpegBefore = pdf.jpegPages ?? 0
        const img = await pdf.render(i, dpi)
        const drawn = (pdf.jpegPages ?? 0) > jpegBefore ? 'jpeg' : 'pdf.js'
        pages.push({ ...(await readImage(i, img, started, platform, options)), drawn })
      } catch (e) {
        pages.push({ index: i, identity: null, qrText: null, codes: [], error: { zh: `第 ${i + 1} 页无法渲染：${errText(e)}`, en: `Page ${i + 1} cannot be rendered: ${errText(e)}` }, ms: now() - started })
      }
      options.onProgress?.({ pages: toRead, done: i + 1 })
      // Let the event loop run between pages: native bitmaps are released by finalisers that wait
      // for it, and the worker can take messages.
      await nextTask()
    }
    // Not one page of paper size: no scan at all (a PDF bomb); refused whole, nothing is stored.
    if (oversizeMm && oversize === pages.length) return { ...base, kind: 'pdf', error: oversizeFileMessage(oversizeMm), pages: [] }
    const metadataIdentity = findIdentity(pdf.metadataText ?? '')
    const skipped = pdf.pageCount - pages.length
    const extra = skipped > 0 ? { skippedPages: skipped, notes: [skippedPagesNote(pages.length, skipped)] } : {}
    return { ...base, kind: 'pdf', pages, ...(metadataIdentity ? { metadataIdentity } : {}), ...extra }
  } finally {
    await pdf.close().catch(() => undefined)
  }
}

function oversizePageMessage([w, h]: [number, number]): Label {
  return {
    zh: `页面大小为 ${w} × ${h} 毫米，比任何纸张都大（扫描页最大为 A0 纸），不是扫描页`,
    en: `the page measures ${w} × ${h} mm, larger than any paper (scanned pages are at most A0): not a scanned page`,
  }
}

function oversizeFileMessage([w, h]: [number, number]): Label {
  return {
    zh: `PDF 的页面大小为 ${w} × ${h} 毫米，比任何纸张都大，不是扫描件，未导入\n扫描页最大为 A0 纸（长边不超过 ${MAX_SHEET_MM} 毫米）`,
    en: `The PDF's pages measure ${w} × ${h} mm, larger than any paper: not a scan, not imported (scanned pages are at most A0, long side ≤ ${MAX_SHEET_MM} mm)`,
  }
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

async function readImage(index: number, img: RgbaImage, started: number, platform: ScanPlatform, options: ReadOptions): Promise<ScanPageResult> {
  const codes: ScanCode[] = decodeSheet(img, options.decode).map((c) => ({ identity: parseIdentity(c.text), text: c.text, via: c.via }))
  const first = codes[0]
  const page: ScanPageResult = { index, identity: first?.identity ?? null, qrText: first?.text ?? null, codes, ms: 0 }
  if (first) page.via = first.via
  if (options.thumbnails && platform.thumbnail) page.thumbnail = await platform.thumbnail(img)
  page.ms = now() - started
  return page
}

/** Finds an identity token anywhere in free text (PDF Subject/Keywords). */
function findIdentity(text: string): PageIdentity | null {
  for (const token of text.split(/[\s,;]+/)) {
    const id = parseIdentity(token)
    if (id) return id
  }
  return null
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** Box-filter thumbnail dimensions for a page at most `maxWidth` wide. */
export function thumbnailSize(width: number, height: number, maxWidth = 200): { width: number; height: number } {
  const k = Math.min(1, maxWidth / width)
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) }
}

/**
 * The page shrunk to thumbnail size here, each output pixel the mean of its block, so the
 * platform encodes ~200 × 280 pixels instead of copying the whole page onto another canvas.
 */
export function thumbnailPixels(img: RgbaImage, maxWidth = 200): RgbaImage {
  const { width, height } = thumbnailSize(img.width, img.height, maxWidth)
  const out = new Uint8ClampedArray(width * height * 4)
  const src = img.data, stride = img.width * 4
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * img.height) / height), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * img.height) / height))
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * img.width) / width), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * img.width) / width))
      let r = 0, g = 0, b = 0
      for (let yy = y0; yy < y1; yy++) {
        for (let i = yy * stride + x0 * 4, end = yy * stride + x1 * 4; i < end; i += 4) { r += src[i]!; g += src[i + 1]!; b += src[i + 2]! }
      }
      const n = (y1 - y0) * (x1 - x0), o = (y * width + x) * 4
      out[o] = r / n; out[o + 1] = g / n; out[o + 2] = b / n; out[o + 3] = 255
    }
  }
  return { data: out, width, height }
}
