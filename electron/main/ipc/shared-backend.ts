/**
 * Where the sync files are kept, as main sees it: the shared folder (shared.ts) or a WebDAV server
 * (webdav.ts). The `shared:*` handlers check every request (names, this PC's own files, the vault
 * marker, size limits) and then call one of these, so both places get the same guards and the
 * renderer's folder transport, the engine and its segments run unchanged over either.
 *
 * Paths are `/`-separated and relative to the root, already checked by `relSegments` (paths.ts).
 */
import type { Results } from '../../shared/ipc'

export interface SharedBackend {
  /** What the clerk knows the place by: the folder's path or the WebDAV address. */
  readonly where: string
  /**
   * Names directly inside `dir` ('' = the root): files by name, folders with a trailing '/'.
   * Sorted. A missing folder fails with NOT_FOUND (the renderer's transport lists it as []).
   */
  list(dir: string): Promise<string[]>
  /** The whole file; FILE_TOO_LARGE from its size before reading more than `limit` bytes; NOT_FOUND when missing. */
  read(rel: string, limit: number): Promise<Uint8Array>
  /**
   * Publishes `bytes` under `rel` only if nothing has that name, through a temp file in tmp/ so a
   * reader never sees a partial file under the final name; read back and compared before it answers.
   */
  writeIfAbsent(rel: string, bytes: Uint8Array): Promise<Results['shared:writeIfAbsent']>
  /** Removes one file; `removed: false` when it was not there; NOT_ALLOWED_FILE for a folder. */
  remove(rel: string): Promise<Results['shared:remove']>
  /** True when `rel` is there as a plain file (the vault marker). */
  isFile(rel: string): Promise<boolean>
  /** Names directly inside `dir` without the folder mark; [] when it does not exist (the PC-id claim). */
  names(dir: string): Promise<string[]>
}
