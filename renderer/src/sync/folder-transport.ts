/**
 * The shared folder as a `SyncTransport` (renderer/core/sync/transport.ts), over the `shared:*`
 * functions of `window.desk` (electron/shared/ipc.ts). Main confines every path to the chosen
 * folder and publishes through `<root>/tmp/<uuid>.part`; this side only maps envelopes to the
 * engine's error codes, so the engine decides what each failure means for a round.
 *
 * Main lets the renderer write only this PC's own files (issue 7). The PC id is registered with
 * main (`sharedClaimPc`) before the first write into `pcs/<pc>/` or of a `snapshots/<pc>-…` file;
 * the engine writes only its own, so the first such id is this PC's. A new identity (after a
 * clone or a restore) is claimed the same way, and main accepts it only for a PC with no folder.
 */
import type { DeskApi, Envelope, ErrorCode } from '@shared/ipc'
import { maxBytesFor, parseName, paths } from '@core/sync/names'
import { TransportError, type SyncTransport, type TransportCode } from '@core/sync/transport'

/** The part of `window.desk` the folder transport uses. */
export type SharedFolderApi = Pick<DeskApi, 'sharedList' | 'sharedRead' | 'sharedWriteIfAbsent' | 'sharedRemove' | 'sharedClaimPc'>

/** IPC error code → transport code. EBUSY/EPERM/EACCES/EIO are retried by the engine (fault 10). */
const CODES: Partial<Record<ErrorCode, TransportCode>> = {
  NOT_FOUND: 'ENOENT',
  BUSY: 'EBUSY',
  ACCESS_DENIED: 'EACCES',
  READ_ONLY: 'EROFS',
  DISK_FULL: 'ENOSPC',
  // Over the main process's read limit: no segment of ours is that large, so it is a bad file.
  FILE_TOO_LARGE: 'EFBIG',
  // Read-back after the write differed (a delayed-write failure, fault 13): try again.
  VERIFY_FAILED: 'EIO',
  // No folder chosen, or the share / USB stick is gone (fault 1): sync pauses.
  SHARED_NOT_CHOSEN: 'UNAVAILABLE',
  SHARED_UNAVAILABLE: 'UNAVAILABLE',
  // The folder's path is too long for Windows: unusable until another folder is chosen.
  PATH_TOO_LONG: 'UNAVAILABLE',
  // WebDAV (issue 11): a refused password, an unreachable server, an address that is no WebDAV
  // folder, an untrusted certificate: sync pauses; the 设置 → 同步 page says what to do.
  AUTH_FAILED: 'UNAVAILABLE',
  UNREACHABLE: 'UNAVAILABLE',
  NOT_WEBDAV: 'UNAVAILABLE',
  CERT_INVALID: 'UNAVAILABLE',
  // Refused by main (another PC's file, a link, a Windows device name): no retry helps.
  NOT_OWN_FILE: 'EREFUSED',
  OUTSIDE_ROOT: 'EREFUSED',
}

/** The transport code for a failed envelope (anything unexpected is an I/O error of that file). */
export function transportCode(code: ErrorCode): TransportCode {
  return CODES[code] ?? 'EIO'
}

async function call<T>(rel: string, run: () => Promise<Envelope<T>>): Promise<T> {
  let e: Envelope<T>
  try {
    e = await run()
  } catch {
    // The bridge itself failed (main restarting, window closing): the folder is out of reach.
    throw new TransportError('UNAVAILABLE', rel)
  }
  if (e.ok) return e.value
  throw new TransportError(transportCode(e.code), rel)
}

/** The PC whose own file `rel` is (`pcs/<pc>/…`, `snapshots/<pc>-…`), or undefined (vault, blobs). */
function ownerOf(rel: string): string | undefined {
  const segs = rel.split('/')
  if (segs[0] === paths.pcsDir && segs.length >= 3) return segs[1]
  const n = parseName(rel)
  return n?.kind === 'snapshot' ? n.pc : undefined
}

/** A `SyncTransport` on the chosen shared folder. */
export function createFolderTransport(desk: SharedFolderApi): SyncTransport {
  let claimed: string | undefined
  /** Registers the PC id of `rel` with main before its first write or removal (once per id). */
  const claimFor = async (rel: string) => {
    const pc = ownerOf(rel)
    if (pc === undefined || pc === claimed) return
    await call(rel, () => desk.sharedClaimPc({ pc }))
    claimed = pc
  }
  return {
    async list(dir) {
      try {
        const names = await call(dir, () => desk.sharedList({ dir }))
        // Main marks folders with a trailing '/', like WebDAV collections; the engine wants names.
        return names.map((n) => (n.endsWith('/') ? n.slice(0, -1) : n))
      } catch (e) {
        // A folder that does not exist yet lists as empty: absence never means anything (sync.md).
        if (e instanceof TransportError && e.code === 'ENOENT') return []
        throw e
      }
    },
    read(rel, opts = {}) {
      // Small JSON files (status, identity, vault) are refused over 64 KB by main, before parsing.
      const maxBytes = opts.maxBytes ?? maxBytesFor(rel)
      return call(rel, () => desk.sharedRead(maxBytes === undefined ? { rel } : { rel, maxBytes }))
    },
    async writeIfAbsent(rel, bytes) {
      await claimFor(rel)
      const r = await call(rel, () => desk.sharedWriteIfAbsent({ rel, bytes }))
      return { written: r.written }
    },
    async remove(rel) {
      await claimFor(rel)
      await call(rel, () => desk.sharedRemove({ rel }))
    },
  }
}

/** The folder transport on `window.desk`, or undefined outside the desktop app (plain browser). */
export function windowFolderTransport(): SyncTransport | undefined {
  const desk = typeof window === 'undefined' ? undefined : window.desk
  return desk ? createFolderTransport(desk) : undefined
}
