/**
 * The few file operations the shared-folder writer uses, behind an interface so tests can make
 * them fail like an antivirus scanner or a flaky SMB share does (EBUSY/EPERM, short writes).
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { copyFile, link, mkdir, open, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Writes `bytes` to `target` whole or not at all: into a hidden file beside it, then renamed over
 * it. Excel, a PDF reader or a file watcher never sees a half-written file under the name, and a
 * failed write (disk full, the old file open in Excel) leaves the old file as it was and no stray
 * file. Every file this PC's main process replaces goes through it (saves, settings, secrets).
 */
export async function writeWhole(target: string, bytes: Uint8Array | string, mode?: number): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part`)
  try {
    await writeFile(tmp, bytes, { flag: 'wx', ...(mode === undefined ? {} : { mode }) })
    await rename(tmp, target)
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined)
    throw e
  }
}

export interface FileOps {
  /** Creates `path` exclusively, writes all bytes, fsyncs, closes. */
  writeNew(path: string, bytes: Uint8Array): Promise<void>
  /** Hard link; fails with EEXIST when `to` exists (never replaces). */
  link(from: string, to: string): Promise<void>
  /** Copy that fails with EEXIST when `to` exists (fallback for file systems without hard links). */
  copyExclusive(from: string, to: string): Promise<void>
  readFile(path: string): Promise<Uint8Array>
  unlink(path: string): Promise<void>
  mkdirp(path: string): Promise<void>
}

export const nodeFileOps: FileOps = {
  async writeNew(path, bytes) {
    // Exclusive create; O_NOFOLLOW too, so a link put at the temp name is never written through.
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o666)
    try {
      await fh.writeFile(bytes)
      await fh.sync()
    } finally {
      await fh.close()
    }
  },
  link: (from, to) => link(from, to),
  copyExclusive: (from, to) => copyFile(from, to, constants.COPYFILE_EXCL),
  readFile: (path) => readFile(path),
  unlink: (path) => unlink(path),
  mkdirp: async (path) => {
    await mkdir(path, { recursive: true })
  },
}
