/**
 * Classifies an imported file by its bytes, never its name (a `.pdf` may be a renamed Word file),
 * and rejects what cannot be read before any decoding starts, with a message per file.
 */
import type { Label } from '../../../forms/schema/types'

/** File kinds the scan import reads. */
export type ScanKind = 'pdf' | 'jpeg' | 'png'

/** Why a file is refused before reading. */
export type SniffProblem = 'empty' | 'notPdf' | 'truncatedPdf' | 'truncatedImage' | 'unsupported' | 'tooLarge' | 'tooManyPixels' | 'corruptImage'

export type SniffResult =
  | { ok: true; kind: ScanKind; width?: number; height?: number }
  | { ok: false; problem: SniffProblem; message: Label }

/** Largest file accepted (a 300 dpi colour A4 scan is 1–3 MB per page). */
export const MAX_FILE_BYTES = 40 * 1024 * 1024
/** Largest image accepted: A4 at 600 dpi is 35 MP; beyond 60 MP decoding may exhaust memory. */
export const MAX_PIXELS = 60_000_000

const PDF_HEAD = ascii('%PDF-')
const PDF_EOF = ascii('%%EOF')
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const PNG_IEND = ascii('IEND')

/** Classifies a file by its content; `name` only chooses the wording of the message. */
export function sniffFile(bytes: Uint8Array, name = ''): SniffResult {
  if (bytes.length === 0) return fail('empty', '文件为空', 'The file is empty')
  if (bytes.length > MAX_FILE_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1)
    return fail('tooLarge', `文件过大（${mb} MB），单个文件不能超过 40 MB，请分开扫描或降低分辨率`, `File too large (${mb} MB); the limit is 40 MB`)
  }
  // The PDF header may follow up to 1 KB of junk (ISO 32000-1, §7.5.2 implementation note).
  if (indexOf(bytes, PDF_HEAD, 0, 1024) >= 0) {
    // %%EOF must be near the end; a copy that stopped early has none (trailing junk is tolerated).
    if (indexOf(bytes, PDF_EOF, Math.max(0, bytes.length - 1024), bytes.length) < 0) {
      return fail('truncatedPdf', 'PDF 文件不完整（可能未复制完），请重新扫描或重新复制', 'The PDF is incomplete (perhaps not fully copied)')
    }
    return { ok: true, kind: 'pdf' }
  }
  if (startsWith(bytes, PNG_SIG)) return sniffPng(bytes)
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return sniffJpeg(bytes)

  const other = otherKind(bytes)
  if (/\.pdf$/i.test(name)) {
    const what = other ? `，实际是${other.zh}` : ''
    return fail('notPdf', `文件不是有效的 PDF（可能被改了扩展名${what}）`, `Not a valid PDF (the extension may have been changed${other ? `; it is ${other.en}` : ''})`)
  }
  return fail('unsupported', `不支持的文件类型（${other?.zh ?? '未知格式'}），请扫描为 PDF、JPEG 或 PNG`, `Unsupported file type (${other?.en ?? 'unknown'}); scan to PDF, JPEG or PNG`)
}

function sniffPng(bytes: Uint8Array): SniffResult {
  // IHDR is always the first chunk: length(4) 'IHDR'(4) width(4) height(4), big-endian.
  if (bytes.length < 24 || !startsWith(bytes.subarray(12), ascii('IHDR'))) return fail('corruptImage', 'PNG 图片已损坏', 'The PNG image is damaged')
  const width = u32(bytes, 16), height = u32(bytes, 20)
  const big = tooManyPixels(width, height)
  if (big) return big
  if (indexOf(bytes, PNG_IEND, Math.max(0, bytes.length - 64), bytes.length) < 0) {
    return fail('truncatedImage', '图片文件不完整（可能未复制完）', 'The image file is incomplete (perhaps not fully copied)')
  }
  return { ok: true, kind: 'png', width, height }
}

function sniffJpeg(bytes: Uint8Array): SniffResult {
  // Walk the marker segments up to the first SOFn, which holds the frame size.
  let i = 2
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return fail('corruptImage', 'JPEG 图片已损坏', 'The JPEG image is damaged')
    const marker = bytes[i + 1]!
    if (marker === 0xff) { i++; continue } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue }
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (bytes[i + 5]! << 8) | bytes[i + 6]!
      const width = (bytes[i + 7]! << 8) | bytes[i + 8]!
      const big = tooManyPixels(width, height)
      if (big) return big
      if (!hasJpegEnd(bytes)) return fail('truncatedImage', '图片文件不完整（可能未复制完）', 'The image file is incomplete (perhaps not fully copied)')
      return { ok: true, kind: 'jpeg', width, height }
    }
    if (marker === 0xda || len < 2) break // scan data before any frame header
    i += 2 + len
  }
  return fail('corruptImage', 'JPEG 图片已损坏（找不到图像尺寸）', 'The JPEG image is damaged (no frame header)')
}

function hasJpegEnd(bytes: Uint8Array): boolean {
  // EOI (FF D9), allowing some padding that cameras and scanners append.
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 4096); i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true
  return false
}

function tooManyPixels(width: number, height: number): SniffResult | null {
  if (width === 0 || height === 0) return fail('corruptImage', '图片尺寸无效', 'Invalid image size')
  if (width * height <= MAX_PIXELS) return null
  const mp = ((width * height) / 1e6).toFixed(0)
  return fail('tooManyPixels', `图片过大（${width}×${height} 像素，约 ${mp} 百万像素），请以 300 dpi 以下扫描`, `Image too large (${width}×${height} pixels); scan at 300 dpi or less`)
}

/** Names common non-scan formats so the clerk knows what was picked. */
function otherKind(b: Uint8Array): Label | null {
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return { zh: 'TIFF 图片', en: 'a TIFF image' }
  if (startsWith(b, ascii('GIF8'))) return { zh: 'GIF 图片', en: 'a GIF image' }
  if (startsWith(b, ascii('BM'))) return { zh: 'BMP 图片', en: 'a BMP image' }
  if (startsWith(b, ascii('RIFF')) && startsWith(b.subarray(8), ascii('WEBP'))) return { zh: 'WebP 图片', en: 'a WebP image' }
  if (startsWith(b.subarray(4), ascii('ftyp'))) return { zh: 'HEIC 图片或视频', en: 'a HEIC image or video' }
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return { zh: 'Office 文档或压缩包', en: 'an Office document or ZIP archive' }
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0])) return { zh: '旧版 Office 文档', en: 'a legacy Office document' }
  if (looksLikeText(b)) return { zh: '文本文件', en: 'a text file' }
  return null
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512)
  for (let i = 0; i < n; i++) {
    const c = b[i]!
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) return false
  }
  return true
}

function fail(problem: SniffProblem, zh: string, en: string): SniffResult { return { ok: false, problem, message: { zh, en } } }
function ascii(s: string): number[] { return Array.from(s, (c) => c.charCodeAt(0)) }
function u32(b: Uint8Array, at: number): number { return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]! }
function startsWith(b: Uint8Array, sig: number[]): boolean { return b.length >= sig.length && sig.every((v, i) => b[i] === v) }
function indexOf(b: Uint8Array, sig: number[], from: number, to: number): number {
  const end = Math.min(to, b.length) - sig.length
  outer: for (let i = from; i <= end; i++) {
    for (let j = 0; j < sig.length; j++) if (b[i + j] !== sig[j]) continue outer
    return i
  }
  return -1
}
