/**
 * Confinement of file access to allowed roots (VS Code style: main never touches a path the
 * renderer made up). Every handler that takes a relative path goes through resolveInside.
 */
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { DeskError } from '../shared/ipc'

const outside = (rel: string) => new DeskError('OUTSIDE_ROOT', `路径不在允许的文件夹内：${rel}`)

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
