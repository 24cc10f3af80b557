/**
 * The bridge to the platform: `window.desk` in Electron (and in the Playwright test bridge), a
 * plain-browser fallback otherwise (download link, print from a blob URL, `<input type=file>`).
 * Every function returns plain values or throws a PlatformError whose message is zh-CN.
 */
import type { DeskApi, Envelope, ErrorCode } from '@shared/ipc'

/**
 * A file picked for import, not yet read: `read()` fetches its bytes when the importer reaches it,
 * so memory holds one file at a time and a file that cannot be read fails alone.
 */
export interface PickedFile { name: string; size?: number; read(): Promise<Uint8Array> }

export class PlatformError extends Error {
  constructor(readonly code: ErrorCode | 'CANCELLED', message: string) {
    super(message)
    this.name = 'PlatformError'
  }
}

function desk(): DeskApi | undefined {
  return typeof window === 'undefined' ? undefined : window.desk
}

/** True inside the desktop app (or the test bridge that imitates it). */
export function hasDesk(): boolean { return desk() !== undefined }

function unwrap<T>(e: Envelope<T>): T {
  if (e.ok) return e.value
  throw new PlatformError(e.code, e.message)
}

function blobUrl(bytes: Uint8Array, type = 'application/pdf'): string {
  return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }))
}

/** In a plain browser: offers bytes as a download named `name`. */
export function offerDownload(name: string, bytes: Uint8Array, type = 'application/pdf'): void {
  const url = blobUrl(bytes, type)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Saves a PDF where the clerk chooses; false when they cancelled. */
export async function savePdf(suggestedName: string, bytes: Uint8Array): Promise<boolean> {
  const d = desk()
  if (d) return unwrap(await d.pdfSave({ suggestedName, bytes })).saved
  offerDownload(suggestedName, bytes)
  return true
}

const MIME = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', png: 'image/png' } as const

/**
 * Saves an exported file (an Excel workbook, a PDF, a chart's PNG) where the clerk chooses; false when they
 * cancelled. In the app through file:save (save dialog in main, the bytes checked for their kind).
 */
export async function saveFile(defaultName: string, bytes: Uint8Array, kind: 'xlsx' | 'pdf' | 'png'): Promise<boolean> {
  const d = desk()
  if (d) return unwrap(await d.fileSave({ suggestedName: defaultName, bytes, kind })).saved
  offerDownload(defaultName, bytes, MIME[kind])
  return true
}

/** Sends a PDF to the system printer (Electron) or the browser's print dialog. */
export async function printPdf(bytes: Uint8Array): Promise<boolean> {
  const d = desk()
  if (d) return unwrap(await d.pdfPrint({ bytes })).printed
  const url = blobUrl(bytes)
  const w = window.open(url, '_blank')
  if (!w) throw new PlatformError('PRINT_FAILED', '浏览器阻止了打印窗口，请允许弹出窗口后重试')
  w.addEventListener('load', () => w.print(), { once: true })
  return true
}

const IMPORT_EXT = /\.(pdf|jpe?g|png)$/i

/** The largest file the import reads (the main process refuses the same, electron/main/ipc/import.ts). */
const MAX_IMPORT_BYTES = 60 * 1024 * 1024

/**
 * Lets the clerk choose scan files or a folder. Returns [] when cancelled. Nothing is read yet:
 * each file's `read()` throws a PlatformError (zh-CN message) when that one file cannot be read.
 * Files that are not PDF/JPG/PNG inside a picked folder are skipped (a folder holds other things too).
 */
export async function pickImportFiles(mode: 'files' | 'folder'): Promise<PickedFile[]> {
  const d = desk()
  if (d) {
    const picked = unwrap(await d.importPick({ mode }))
    if (!picked.token) return []
    const token = picked.token
    return picked.files.map((f) => ({
      name: f.rel, size: f.size,
      read: async () => unwrap(await d.importRead({ token, rel: f.rel })).bytes,
    }))
  }
  const files = await chooseInBrowser(mode)
  const out: PickedFile[] = []
  for (const f of files) {
    const name = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name
    if (mode === 'folder' && !IMPORT_EXT.test(name)) continue
    out.push({ name, size: f.size, read: () => readBrowserFile(f, name) })
  }
  return out
}

async function readBrowserFile(f: File, name: string): Promise<Uint8Array> {
  if (f.size > MAX_IMPORT_BYTES) {
    throw new PlatformError('FILE_TOO_LARGE', `文件过大（${(f.size / 1048576).toFixed(1)} MB），单个文件不能超过 60 MB：${name}`)
  }
  try {
    return new Uint8Array(await f.arrayBuffer())
  } catch {
    // The browser says only NotReadableError: the file was moved, deleted or is locked since it was picked.
    throw new PlatformError('NOT_FOUND', `文件无法读取（可能已被移动、删除或正被其他程序占用）：${name}`)
  }
}

function chooseInBrowser(mode: 'files' | 'folder'): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.multiple = true
    if (mode === 'folder') input.setAttribute('webkitdirectory', '')
    else input.accept = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png'
    input.style.display = 'none'
    input.addEventListener('change', () => { resolve(Array.from(input.files ?? [])); input.remove() }, { once: true })
    input.addEventListener('cancel', () => { resolve([]); input.remove() }, { once: true })
    document.body.appendChild(input)
    input.click()
  })
}

/** Opens stored bytes (an attachment) in a new window for viewing. */
export function openBytes(bytes: Uint8Array, mime: string): void {
  const url = blobUrl(bytes, mime)
  window.open(url, '_blank')
  setTimeout(() => URL.revokeObjectURL(url), 5 * 60_000)
}

/** A blob URL for the print preview; the caller revokes it. */
export function previewUrl(bytes: Uint8Array): string { return blobUrl(bytes) }
