/**
 * Confinement of file access to allowed roots (VS Code style: main never touches a path the
 * renderer made up). Every handler that takes a relative path goes through resolveInside.
 */
import { constants, type BigIntStats } from 'node:fs'
import { lstat, open, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { DeskError } from '../shared/ipc'

const outside = (rel: string) => new DeskError('OUTSIDE_ROOT', `路径不在允许的文件夹内：${rel}`)
const windowsName = (rel: string) =>
  new DeskError('OUTSIDE_ROOT', `文件名不能以点或空格结尾，不能含 < > : " | ? * 等字符，也不能是 CON、PRN、AUX、NUL、COM1–9、LPT1–9 等 Windows 保留名称：${rel}`)
const linkRefused = (rel: string) =>
  new DeskError('OUTSIDE_ROOT', `共享文件夹中不允许链接（符号链接、目录联接或快捷方式指向的文件夹）：${rel}`)

/** Windows device names: reserved in every folder, in any case, with or without an extension (`con.txt`). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]) *(\..*)?$/i
/** Characters Windows refuses in a name, and control characters. */
const WINDOWS_BAD_CHAR = /[<>:"|?*\u0000-\u001f]/

/**
 * True for a name Windows would take as something else: a device (CON, COM1, `nul.txt`), a name
 * ending in a dot or a space (Windows drops them, so `a.` and `a` are one file), or one with a
 * character Windows refuses (`:` would open an alternate data stream).
 */
export function isWindowsSpecialName(segment: string): boolean {
  return WINDOWS_BAD_CHAR.test(segment) || /[. ]$/.test(segment) || WINDOWS_DEVICE.test(segment)
}

/** True when `child` is `parent` or below it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const r = path.relative(parent, child)
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r))
}

/**
 * Lexical check of a renderer-supplied relative path: refuses absolute paths, drive letters, UNC,
 * NUL, `..` segments and empty paths; returns its segments. Both separators count, so a Windows
 * `a\..\b` is caught on every platform.
 */
export function relSegments(rel: string): string[] {
  if (rel.includes('\0')) throw outside(rel)
  if (/^[a-zA-Z]:/.test(rel) || rel.startsWith('/') || rel.startsWith('\\')) throw outside(rel)
  const segs = rel.split(/[\\/]+/).filter((s) => s !== '' && s !== '.')
  if (segs.length === 0 || segs.some((s) => s === '..')) throw outside(rel)
  // Windows treats "a:b" as an alternate data stream and "con", trailing dots/spaces specially.
  if (segs.some((s) => s.includes(':'))) throw outside(rel)
  if (segs.some(isWindowsSpecialName)) throw windowsName(rel)
  return segs
}

/** Resolves the deepest existing ancestor of `p` through symlinks, re-appending the missing tail. */
async function realpathLoose(p: string): Promise<string> {
  let cur = p
  const tail: string[] = []
  for (;;) {
    try {
      return path.join(await realpath(cur), ...tail.reverse())
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      const parent = path.dirname(cur)
      if (parent === cur) return p
      tail.push(path.basename(cur))
      cur = parent
    }
  }
}

/**
 * Absolute path of `rel` inside `root`, or throws DeskError('OUTSIDE_ROOT'). The target need not
 * exist (writes); existing parts are resolved through symlinks so a link pointing out of the
 * root is refused. Returns the path under the root as given (not the realpath) for messages.
 */
export async function resolveInside(root: string, rel: string): Promise<string> {
  const segs = relSegments(rel)
  const absRoot = path.resolve(root)
  const target = path.resolve(absRoot, ...segs)
  if (!isInside(absRoot, target) || target === absRoot) throw outside(rel)
  const realRoot = await realpath(absRoot).catch(() => {
    throw new DeskError('SHARED_UNAVAILABLE', `文件夹无法访问：${absRoot}`)
  })
  const realTarget = await realpathLoose(target)
  if (!isInside(realRoot, realTarget)) throw outside(rel)
  return target
}

// ------------------------------------------------------------------ the shared folder: no links at all

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code ?? ''

/**
 * lstat of every existing component of `segs` under `root`, refusing a symbolic link or a Windows
 * junction anywhere (Node reports both as links; the root itself may be one). Returns the stats of
 * the full path, or null when it (or a parent) does not exist.
 */
export async function lstatNoLinks(root: string, segs: readonly string[], rel: string): Promise<BigIntStats | null> {
  let p = root
  let st: BigIntStats | null = null
  for (const s of segs) {
    p = path.join(p, s)
    try {
      st = await lstat(p, { bigint: true })
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return null
      throw e
    }
    if (st.isSymbolicLink()) throw linkRefused(rel)
  }
  return st
}

/**
 * True when two stats name the same file. Some shares report no file ids (0): then size and
 * times must agree, which is weaker but never refuses an unchanged file.
 */
export function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  if (a.dev !== b.dev) return false
  if (a.ino !== 0n || b.ino !== 0n) return a.ino === b.ino
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.birthtimeNs === b.birthtimeNs
}

/**
 * Like `resolveInside`, for the shared folder, stricter: no link anywhere under the root, not even
 * one pointing inside it (it would let one PC's folder stand for another's, or move a folder under
 * a reader). Returns the absolute path, its segments and its stats (null when it does not exist).
 */
export async function resolveShared(root: string, rel: string): Promise<{ abs: string; segs: string[]; st: BigIntStats | null }> {
  const segs = relSegments(rel)
  const absRoot = path.resolve(root)
  const abs = path.resolve(absRoot, ...segs)
  if (!isInside(absRoot, abs) || abs === absRoot) throw outside(rel)
  const rootSt = await stat(absRoot).catch(() => null)
  if (!rootSt?.isDirectory()) throw new DeskError('SHARED_UNAVAILABLE', `文件夹无法访问：${absRoot}`)
  const st = await lstatNoLinks(absRoot, segs, rel)
  return { abs, segs, st }
}

/** Test seams for the swap race: run between the check and the open, and after the open. */
export interface SwapHooks {
  afterCheck?: () => Promise<void>
  afterOpen?: () => Promise<void>
}

/** O_NOFOLLOW where the platform has it (not on Windows, where the walk and the identity check remain). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0

/**
 * Reads a file of the shared folder, at most `limit` bytes (FILE_TOO_LARGE from its size, before
 * reading it). Closes the check-then-open race as far as Node allows:
 *  1. every component is lstat-ed: no link anywhere (`resolveShared`);
 *  2. the file is opened with O_NOFOLLOW (a link put at the final name fails to open);
 *  3. after the open, the path is walked again without links and its lstat must be the very file
 *     the descriptor has (fstat: device and file id), so a folder swapped for a link between 1 and
 *     2 — whether left so or swapped back — is caught.
 * What remains: Node has no openat(), so the open itself resolves the parents by path; a swap
 * there is caught by step 3, but the open has happened (a read of an outside file is refused, not
 * prevented). A hard link is one file with two names and cannot be told from a plain file.
 */
export async function readSharedFile(root: string, rel: string, opts: { limit: number; hooks?: SwapHooks }): Promise<Uint8Array> {
  const { abs, segs, st } = await resolveShared(root, rel)
  if (!st) throw Object.assign(new Error(`ENOENT: ${rel}`), { code: 'ENOENT' })
  if (!st.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `不是文件：${rel}`)
  if (st.size > BigInt(opts.limit)) throw tooLarge(rel)
  await opts.hooks?.afterCheck?.()
  let fh
  try {
    fh = await open(abs, constants.O_RDONLY | NOFOLLOW)
  } catch (e) {
    if (errnoOf(e) === 'ELOOP') throw linkRefused(rel)
    throw e
  }
  try {
    const fst = await fh.stat({ bigint: true })
    if (!fst.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `不是文件：${rel}`)
    if (fst.size > BigInt(opts.limit)) throw tooLarge(rel)
    await opts.hooks?.afterOpen?.()
    const again = await lstatNoLinks(path.resolve(root), segs, rel)
    if (!again || !sameFile(again, fst)) throw linkRefused(rel)
    // Read at most limit + 1 bytes: a file growing after the stat is still refused, never read whole.
    const cap = opts.limit + 1
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const want = Math.min(cap - total, 1 << 20)
      if (want <= 0) break
      const buf = Buffer.allocUnsafe(want)
      const { bytesRead } = await fh.read(buf, 0, want, null)
      if (bytesRead === 0) break
      chunks.push(buf.subarray(0, bytesRead))
      total += bytesRead
    }
    if (total > opts.limit) throw tooLarge(rel)
    const out = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  } finally {
    await fh.close()
  }
}

const tooLarge = (rel: string) => new DeskError('FILE_TOO_LARGE', `文件过大：${rel}`)
