/**
 * The faults of sync.md, injected around any `SyncTransport` (issue 11): the same switches work over
 * the in-memory folder, over the real folder stack (main's `shared:*` handlers on a temp folder) and
 * over WebDAV, so one fault suite runs over each.
 *
 * Two halves: `FaultyTransport` is one PC's view with its switches (unmounted, read-only, busy,
 * dropped or truncated writes, a stale listing, delayed delivery …); a `FolderHandle` is the folder
 * as an outside actor touches it (a text editor, a cloud client, a backup tool, a USB stick pulled
 * out): put, truncate, flip a byte, wipe, back up and restore, hide a file from some PCs for a while.
 * `MemoryFolder` is one handle; a real directory on disk (tests only) is another.
 */
import { TransportError, type ReadOptions, type SyncTransport } from './transport'

/** The shared folder as the tests touch it from outside the app (sync.md faults 3, 4, 6–9, 12, 26, 28). */
export interface FolderHandle {
  /** Writes or overwrites a file as an outside actor would (a text editor, a cloud client). */
  put(rel: string, bytes: Uint8Array | string): void
  get(rel: string): Uint8Array | undefined
  has(rel: string): boolean
  /** All file paths under `prefix` (all when empty), sorted. */
  paths(prefix?: string): string[]
  delete(rel: string): void
  /** Fault 3: every file under a prefix disappears (a PC's folder wiped). */
  wipe(prefix: string): void
  /** Fault 6: keep only the first `keep` bytes (writer killed, USB pulled). */
  truncate(rel: string, keep: number): void
  /** Fault 7/26: flip the bits of one byte. */
  flipByte(rel: string, index: number): void
  /** Fault 7: the content appears twice in one file. */
  doubleContent(rel: string): void
  /** Delays/reorders delivery: the file exists but the given views do not see it yet. */
  hide(rel: string, fromViews: Iterable<string>): void
  /** Delivers a hidden file to one view (or all views when `view` is omitted). */
  reveal(rel: string, view?: string): void
  /** Paths hidden from at least one view. */
  hiddenPaths(): string[]
  /** Whether `rel` (a file, or a folder all of whose files are hidden) is hidden from `view`. */
  isHiddenFrom(rel: string, view: string): boolean
  /** Fault 4: a copy of the folder as a backup would take it. */
  backup(): Map<string, Uint8Array>
  /** Fault 4: the folder is replaced by an older backup. */
  restore(copy: Map<string, Uint8Array>): void
}

/** Normalizes a relative path the way every transport does (`\` → `/`, no leading/trailing or double slashes). */
export function normRel(rel: string): string {
  return rel.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/')
}

/**
 * A `FolderHandle` built on four primitives of a real store (a directory on disk, tests only): the
 * manipulations and the delivery delays are the same for every store.
 */
export abstract class FolderHandleBase implements FolderHandle {
  private readonly hidden = new Map<string, Set<string>>()

  /** The file's bytes, or undefined when there is none. */
  protected abstract readFile(rel: string): Uint8Array | undefined
  /** Writes (or overwrites) a file, creating its folders. */
  protected abstract writeFile(rel: string, bytes: Uint8Array): void
  /** Removes a file (and folders left empty by it); a missing file is no error. */
  protected abstract unlinkFile(rel: string): void
  /** Every file path, relative to the root. */
  protected abstract allFiles(): string[]

  put(rel: string, bytes: Uint8Array | string): void {
    const r = normRel(rel)
    this.writeFile(r, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes.slice())
    this.hidden.delete(r)
  }

  get(rel: string): Uint8Array | undefined {
    return this.readFile(normRel(rel))
  }

  has(rel: string): boolean {
    return this.readFile(normRel(rel)) !== undefined
  }

  paths(prefix = ''): string[] {
    const p = normRel(prefix)
    return this.allFiles().filter((k) => p === '' || k === p || k.startsWith(`${p}/`)).sort()
  }

  delete(rel: string): void {
    const r = normRel(rel)
    this.unlinkFile(r)
    this.hidden.delete(r)
  }

  wipe(prefix: string): void {
    for (const k of this.paths(prefix)) this.delete(k)
  }

  truncate(rel: string, keep: number): void {
    this.replace(rel, (b) => b.slice(0, Math.max(0, keep)))
  }

  flipByte(rel: string, index: number): void {
    this.replace(rel, (b) => {
      const i = ((index % b.length) + b.length) % b.length
      b[i] = (b[i] ?? 0) ^ 0xff
      return b
    })
  }

  doubleContent(rel: string): void {
    this.replace(rel, (b) => {
      const d = new Uint8Array(b.length * 2)
      d.set(b, 0)
      d.set(b, b.length)
      return d
    })
  }

  hide(rel: string, fromViews: Iterable<string>): void {
    const r = normRel(rel)
    this.mustGet(r)
    const set = this.hidden.get(r) ?? new Set<string>()
    for (const v of fromViews) set.add(v)
    if (set.size > 0) this.hidden.set(r, set)
  }

  reveal(rel: string, view?: string): void {
    const r = normRel(rel)
    const set = this.hidden.get(r)
    if (!set) return
    if (view === undefined) set.clear()
    else set.delete(view)
    if (set.size === 0) this.hidden.delete(r)
  }

  hiddenPaths(): string[] {
    return [...this.hidden.keys()].filter((k) => this.has(k)).sort()
  }

  isHiddenFrom(rel: string, view: string): boolean {
    if (this.hidden.size === 0) return false
    const r = normRel(rel)
    if (this.hidden.get(r)?.has(view)) return true
    if (this.has(r)) return false
    const under = this.paths(r)
    return under.length > 0 && under.every((k) => this.hidden.get(k)?.has(view) === true)
  }

  backup(): Map<string, Uint8Array> {
    return new Map(this.paths().map((k) => [k, this.mustGet(k).slice()]))
  }

  restore(copy: Map<string, Uint8Array>): void {
    for (const k of this.paths()) this.unlinkFile(k)
    this.hidden.clear()
    for (const [k, b] of copy) this.writeFile(k, b.slice())
  }

  private replace(rel: string, f: (b: Uint8Array) => Uint8Array): void {
    const r = normRel(rel)
    this.writeFile(r, f(this.mustGet(r).slice()))
  }

  private mustGet(rel: string): Uint8Array {
    const b = this.readFile(rel)
    if (!b) throw new Error(`no such file in the shared folder: ${rel}`)
    return b
  }
}

/** Fault switches of one PC's view; tests flip them between sync rounds. */
export interface TransportFaults {
  /** Fault 1: the share is unmounted; the mount point exists and is empty. */
  unmounted: boolean
  /** Fault 5: writes fail with EROFS / ENOSPC. */
  readOnly: boolean
  full: boolean
  /** Fault 10: the next N writes / removes throw EBUSY. */
  busyWrites: number
  /** Fault 13: the next N writes report success but store nothing (delayed-write failure). */
  dropWrites: number
  /** Fault 6/8: the next N writes store only the first half (writer killed mid-write). */
  truncateWrites: number
  /** Fault 11: list() returns this frozen listing instead of the real one. */
  staleListing: Map<string, string[]> | null
  /** Fault 11: reads of these paths throw ENOENT although list shows them. */
  vanishOnRead: Set<string>
  /** Duplicate delivery: every successful write also drops a "conflicted copy" beside it. */
  duplicateWrites: boolean
  /** A hostile file over the reader's size limit: reads of these paths throw EFBIG. */
  oversize: Set<string>
}

/** Requests that reached the inner transport, per operation (benchmarks count them). */
export interface TransportStats { list: number; read: number; write: number; remove: number }

/**
 * One PC's view of the shared folder with fault switches, around any inner transport. Files the
 * folder hides from this view (`FolderHandle.hide`) are neither listed nor readable here.
 */
export class FaultyTransport implements SyncTransport {
  readonly faults: TransportFaults = {
    unmounted: false, readOnly: false, full: false, busyWrites: 0, dropWrites: 0, truncateWrites: 0,
    staleListing: null, vanishOnRead: new Set(), duplicateWrites: false, oversize: new Set(),
  }
  /** Operations asked of this view, so tests can see that nothing was written on a failed round. */
  readonly stats: TransportStats = { list: 0, read: 0, write: 0, remove: 0 }

  constructor(readonly inner: SyncTransport, readonly folder: FolderHandle, readonly viewId: string) {}

  async list(dir: string): Promise<string[]> {
    this.stats.list++
    const d = normRel(dir)
    if (this.faults.staleListing?.has(d)) return [...(this.faults.staleListing.get(d) ?? [])]
    if (this.faults.unmounted) return []
    const names = await this.inner.list(d)
    return names.filter((n) => !this.folder.isHiddenFrom(d === '' ? n : `${d}/${n}`, this.viewId))
  }

  async read(rel: string, opts: ReadOptions = {}): Promise<Uint8Array> {
    this.stats.read++
    const r = normRel(rel)
    if (this.faults.unmounted || this.faults.vanishOnRead.has(r) || this.folder.isHiddenFrom(r, this.viewId)) {
      throw new TransportError('ENOENT', r)
    }
    const bytes = await this.inner.read(r, opts)
    if (this.faults.oversize.has(r)) throw new TransportError('EFBIG', r)
    return bytes
  }

  async writeIfAbsent(rel: string, bytes: Uint8Array): Promise<{ written: boolean }> {
    this.stats.write++
    const r = normRel(rel)
    if (this.faults.unmounted) throw new TransportError('UNAVAILABLE', r)
    if (this.faults.readOnly) throw new TransportError('EROFS', r)
    if (this.faults.full) throw new TransportError('ENOSPC', r)
    if (this.faults.busyWrites > 0) {
      this.faults.busyWrites--
      throw new TransportError('EBUSY', r)
    }
    // A name that exists is never written, so it uses up no dropped or truncated write.
    if ((this.faults.dropWrites > 0 || this.faults.truncateWrites > 0) && this.folder.has(r)) return { written: false }
    if (this.faults.dropWrites > 0) {
      this.faults.dropWrites--
      return { written: true }
    }
    let b = bytes
    if (this.faults.truncateWrites > 0) {
      this.faults.truncateWrites--
      b = b.slice(0, Math.floor(b.length / 2))
    }
    const result = await this.inner.writeIfAbsent(r, b)
    if (result.written && this.faults.duplicateWrites) {
      // A cloud client's copy appears beside the file: an outside actor, not this PC, writes it.
      const dot = r.lastIndexOf('.')
      const copy = dot > r.lastIndexOf('/') ? `${r.slice(0, dot)} (conflicted copy)${r.slice(dot)}` : `${r} (conflicted copy)`
      this.folder.put(copy, b)
    }
    return result
  }

  async remove(rel: string): Promise<void> {
    this.stats.remove++
    const r = normRel(rel)
    if (this.faults.unmounted) throw new TransportError('UNAVAILABLE', r)
    if (this.faults.readOnly) throw new TransportError('EROFS', r)
    if (this.faults.busyWrites > 0) {
      this.faults.busyWrites--
      throw new TransportError('EBUSY', r)
    }
    await this.inner.remove(r)
  }
}
