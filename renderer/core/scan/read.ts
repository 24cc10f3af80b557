/**
 * Reads one imported file: sniff → rasterise each page → decode its QR → parse our identity.
 * Pure orchestration; the platform (Node with pdf.js + @napi-rs/canvas, or a browser worker with
 * pdf.js + OffscreenCanvas) supplies rasterising through `ScanPlatform`, so both run this code.
 */
import type { Label } from '../../../forms/schema/types'
import { parseIdentity, sha256Hex, type PageIdentity } from '../identity'
import { decodePage, type DecodeOptions, type RgbaImage } from './decode'
import { sniffFile, type ScanKind } from './sniff'

/** An opened PDF, page by page. */
export interface PdfRaster {
  pageCount: number
  /** Renders a page (0-based) at `dpi` onto white. */
  render(pageIndex: number, dpi: number): Promise<RgbaImage>
  /** Identity text from the PDF metadata (Subject/Keywords), when the PDF is born-digital. */
  metadataText?: string | null
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
}

/**
 * A PdfRaster over an opened pdf.js document, shared by the browser worker and Node: metadata,
 * page lookup and cleanup here; `draw` (the platform's canvas) renders one page onto white.
 */
export async function pdfRaster<P extends PdfJsPageLike, V extends { width: number; height: number }>(
  doc: PdfJsDocLike<P>,
  close: () => Promise<void>,
  draw: (page: P, viewport: V) => Promise<RgbaImage>,
): Promise<PdfRaster> {
  const meta = await doc.getMetadata().catch(() => null)
  const info = (meta?.info ?? {}) as { Subject?: string; Keywords?: string }
  return {
    pageCount: doc.numPages,
    metadataText: [info.Subject, info.Keywords].filter(Boolean).join(' '),
    async render(pageIndex, dpi) {
      const page = await doc.getPage(pageIndex + 1)
      try {
        return await draw(page, page.getViewport({ scale: dpi / 72 }) as V)
      } finally {
        page.cleanup()
      }
    },
    close,
  }
}

/** What the platform must provide to read scans. */
export interface ScanPlatform {
  openPdf(bytes: Uint8Array): Promise<PdfRaster>
  decodeImage(bytes: Uint8Array, kind: 'jpeg' | 'png'): Promise<RgbaImage>
  /** A small preview (~200 px wide) as PNG/JPEG bytes; optional (the CLI needs none). */
  thumbnail?(img: RgbaImage): Promise<Uint8Array>
}

/** One page of a read file. */
export interface ScanPageResult {
  /** 0-based index in the file. */
  index: number
  identity: PageIdentity | null
  /** The decoded QR text, also when it is not ours (another system's QR). */
  qrText: string | null
  /** Pipeline step that found the QR. */
  via?: string
  /** Set when the page could not be rendered or decoded. */
  error?: Label
  thumbnail?: Uint8Array
  /** Time spent on this page (render + decode), for diagnostics. */
  ms: number
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
}

export interface ReadOptions {
  /** Resolution PDF pages are rendered at; pdf.md: ~150 dpi is what decodes best. */
  pdfDpi?: number
  thumbnails?: boolean
  decode?: DecodeOptions
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
    const pages: ScanPageResult[] = []
    for (let i = 0; i < pdf.pageCount; i++) {
      const started = now()
      try {
        const img = await pdf.render(i, options.pdfDpi ?? 150)
        pages.push(await readImage(i, img, started, platform, options))
      } catch (e) {
        pages.push({ index: i, identity: null, qrText: null, error: { zh: `第 ${i + 1} 页无法渲染：${errText(e)}`, en: `Page ${i + 1} cannot be rendered: ${errText(e)}` }, ms: now() - started })
      }
    }
    const metadataIdentity = findIdentity(pdf.metadataText ?? '')
    return { ...base, kind: 'pdf', pages, ...(metadataIdentity ? { metadataIdentity } : {}) }
  } finally {
    await pdf.close().catch(() => undefined)
  }
}

async function readImage(index: number, img: RgbaImage, started: number, platform: ScanPlatform, options: ReadOptions): Promise<ScanPageResult> {
  const found = decodePage(img, options.decode)
  const page: ScanPageResult = { index, identity: found ? parseIdentity(found.text) : null, qrText: found?.text ?? null, ms: 0 }
  if (found) page.via = found.via
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
