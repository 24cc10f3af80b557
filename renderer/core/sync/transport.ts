/**
 * The shared folder as the sync engine sees it (sync.md, "Transport"): four operations on paths
 * relative to the folder root, so a Windows share, a USB stick, WebDAV or an S3 bucket can carry
 * the same files. The Electron handlers `shared:list/read/writeIfAbsent/remove` map onto it 1:1.
 *
 * Contract every implementation keeps:
 * - `list(dir)` returns the entry names directly inside `dir` (files and sub-folders, no paths);
 *   a missing folder lists as `[]` (never an error: absence means nothing, sync.md lesson 1).
 * - `read(rel, { maxBytes })` returns the whole file or throws `TransportError('ENOENT')`; a file
 *   larger than `maxBytes` (by default `maxBytesFor(rel)`: 64 KB for status, identity and vault
 *   files) throws `EFBIG` before anything parses it.
 * - `writeIfAbsent(rel, bytes)` never overwrites: `{ written: false }` when the name exists.
 *   A folder implementation writes to `tmp/`, flushes and links/renames to the final name, so a
 *   reader sees either nothing or the whole file (the engine still verifies, faults 6, 8, 13).
 * - `remove(rel)` removes one file; a missing file is not an error.
 */
import type { FolderHandle } from './fault-injection'
import { maxBytesFor } from './names'

/**
 * Error codes a transport may raise; the engine decides what each means for a sync round.
 * EFBIG: a file too large to read (over its limit): bad, not transient.
 * EREFUSED: the main process refused the path (another PC's file, a link, a Windows device name):
 * no retry helps, so an export stops with its notice.
 */
export type TransportCode = 'ENOENT' | 'EBUSY' | 'EPERM' | 'EACCES' | 'EROFS' | 'ENOSPC' | 'EIO' | 'EFBIG' | 'EREFUSED' | 'UNAVAILABLE'

/** A failure of one transport operation. */
export class TransportError extends Error {
  constructor(readonly code: TransportCode, readonly rel: string) {
    super(`${code}: ${rel}`)
    this.name = 'TransportError'
  }
}

/** True for errors that a later attempt may not see (antivirus, cloud client holding a file). */
export function isTransient(e: unknown): boolean {
  return e instanceof TransportError && (e.code === 'EBUSY' || e.code === 'EPERM' || e.code === 'EACCES' || e.code === 'EIO')
}

/** Options of one read. */
export interface ReadOptions {
  /** Refuse (EFBIG) a file larger than this, before reading it; default `maxBytesFor(rel)`. */
  maxBytes?: number
}

/** The four operations the engine needs from the shared folder. */
export interface SyncTransport {
  list(dir: string): Promise<string[]>
  read(rel: string, opts?: ReadOptions): Promise<Uint8Array>
  writeIfAbsent(rel: string, bytes: Uint8Array): Promise<{ written: boolean }>
  remove(rel: string): Promise<void>
}

interface StoredFile { bytes: Uint8Array; hiddenFrom: Set<string> }

/**
 * An in-memory shared folder that several `MemoryTransport` views (one per simulated PC) share.
 * Test code reaches into it to inject the faults of sync.md directly (flip a byte, wipe a PC's
 * folder, restore an older copy, drop junk files).
 */
export class MemoryFolder implements FolderHandle {
  readonly files = new Map<string, StoredFile>()

  /** Writes or overwrites a file as an outside actor would (a text editor, a cloud client). */
  put(rel: string, bytes: Uint8Array | string): void {
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes
    this.files.set(norm(rel), { bytes: b.slice(), hiddenFrom: new Set() })
  }

  get(rel: string): Uint8Array | undefined {
    return this.files.get(norm(rel))?.bytes
  }

  has(rel: string): boolean {
    return this.files.has(norm(rel))
  }

  /** All file paths, sorted. */
  paths(prefix = ''): string[] {
    const p = norm(prefix)
    return [...this.files.keys()].filter((k) => p === '' || k === p || k.startsWith(`${p}/`)).sort()
  }

  delete(rel: string): void {
    this.files.delete(norm(rel))
  }

  /** Fault 3: every file under a prefix disappears (a PC's folder wiped). */
  wipe(prefix: string): void {
    for (const k of this.paths(prefix)) this.files.delete(k)
  }

  /** Fault 6: keep only the first `keep` bytes (writer killed, USB pulled). */
  truncate(rel: string, keep: number): void {
    const f = this.mustGet(rel)
    f.bytes = f.bytes.slice(0, Math.max(0, keep))
  }

  /** Fault 7/26: flip the bits of one byte. */
  flipByte(rel: string, index: number): void {
    const f = this.mustGet(rel)
    const b = f.bytes.slice()
    const i = ((index % b.length) + b.length) % b.length
    b[i] = (b[i] ?? 0) ^ 0xff
    f.bytes = b
  }

  /** Fault 7: the content appears twice in one file. */
  doubleContent(rel: string): void {
    const f = this.mustGet(rel)
    const b = new Uint8Array(f.bytes.length * 2)
    b.set(f.bytes, 0)
    b.set(f.bytes, f.bytes.length)
    f.bytes = b
  }

  /** Delays/reorders delivery: the file exists but the given views do not see it yet. */
  hide(rel: string, fromViews: Iterable<string>): void {
    const f = this.mustGet(rel)
    for (const v of fromViews) f.hiddenFrom.add(v)
  }

  /** Delivers a hidden file to one view (or all views when `view` is omitted). */
  reveal(rel: string, view?: string): void {
    const f = this.files.get(norm(rel))
    if (!f) return
    if (view === undefined) f.hiddenFrom.clear()
    else f.hiddenFrom.delete(view)
  }

  /** Paths hidden from at least one view. */
  hiddenPaths(): string[] {
    return [...this.files.entries()].filter(([, f]) => f.hiddenFrom.size > 0).map(([k]) => k).sort()
  }

  /** Whether a file, or a folder all of whose files are hidden, is hidden from `view`. */
  isHiddenFrom(rel: string, view: string): boolean {
    const r = norm(rel)
    const f = this.files.get(r)
    if (f) return f.hiddenFrom.has(view)
    let any = false
    for (const [k, g] of this.files) {
      if (!k.startsWith(`${r}/`)) continue
      if (!g.hiddenFrom.has(view)) return false
      any = true
    }
    return any
  }

  /** Fault 4: a copy of the folder as a backup would take it. */
  backup(): Map<string, Uint8Array> {
    return new Map([...this.files.entries()].map(([k, f]) => [k, f.bytes.slice()]))
  }

  /** Fault 4: the folder is replaced by an older backup. */
  restore(copy: Map<string, Uint8Array>): void {
    this.files.clear()
    for (const [k, b] of copy) this.files.set(k, { bytes: b.slice(), hiddenFrom: new Set() })
  }

  private mustGet(rel: string): StoredFile {
    const f = this.files.get(norm(rel))
    if (!f) throw new Error(`no such file in memory folder: ${rel}`)
    return f
  }
}

/**
 * One PC's plain view of a `MemoryFolder` (no faults; `FaultyTransport` in fault-injection.ts adds
 * the switches and the delivery delays the folder's `hide` asks for).
 */
export class MemoryTransport implements SyncTransport {
  constructor(readonly folder: MemoryFolder) {}

  async list(dir: string): Promise<string[]> {
    const d = norm(dir)
    const names = new Set<string>()
    for (const k of this.folder.files.keys()) {
      const rest = d === '' ? k : k.startsWith(`${d}/`) ? k.slice(d.length + 1) : null
      if (rest === null || rest === '') continue
      names.add(rest.split('/')[0] as string)
    }
    return [...names].sort()
  }

  async read(rel: string, opts: ReadOptions = {}): Promise<Uint8Array> {
    const r = norm(rel)
    const f = this.folder.files.get(r)
    if (!f) throw new TransportError('ENOENT', r)
    const max = opts.maxBytes ?? maxBytesFor(r)
    if (max !== undefined && f.bytes.length > max) throw new TransportError('EFBIG', r)
    return f.bytes.slice()
  }

  async writeIfAbsent(rel: string, bytes: Uint8Array): Promise<{ written: boolean }> {
    const r = norm(rel)
    if (this.folder.files.has(r)) return { written: false }
    this.folder.files.set(r, { bytes: bytes.slice(), hiddenFrom: new Set() })
    return { written: true }
  }

  async remove(rel: string): Promise<void> {
    this.folder.files.delete(norm(rel))
  }
}

function norm(rel: string): string {
  return rel.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/')
}
