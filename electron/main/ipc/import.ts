/**
 * import:pick and import:read. A pick dialog hands out a token; reads name files relative to
 * what the user picked in that dialog and cannot reach anything else.
 */
import { randomUUID } from 'node:crypto'
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { DeskError, MAX_IMPORT_BYTES, type ImportedFile, type ChannelRequest, type Results } from '../../shared/ipc'
import { isInside, relSegments, resolveInside } from '../paths'
import type { HandlerDeps } from './deps'

/** File names offered for import; the renderer checks the bytes themselves. */
export const IMPORT_EXTENSIONS = ['pdf', 'jpg', 'jpeg', 'png'] as const
const extOk = (name: string) => IMPORT_EXTENSIONS.some((e) => name.toLowerCase().endsWith(`.${e}`))

/** Caps so a mistaken pick of C:\ or a network root cannot hang the app. */
const MAX_FILES = 5000
const MAX_DEPTH = 12
/** Tokens kept; older ones expire (a clerk works on one import at a time). */
const MAX_TOKENS = 20

interface Grant {
  /** folder mode: one root, any allowed file under it; files mode: exactly the picked files. */
  kind: 'folder' | 'files'
  root: string
  /** files mode: rel → absolute path of a picked file. */
  files: Map<string, string>
}

/** In-memory grants from import dialogs, keyed by token. */
export class ImportGrants {
  private readonly grants = new Map<string, Grant>()
  add(g: Grant): string {
    const token = randomUUID()
    this.grants.set(token, g)
    while (this.grants.size > MAX_TOKENS) this.grants.delete(this.grants.keys().next().value as string)
    return token
  }
  get(token: string): Grant {
    const g = this.grants.get(token)
    if (!g) throw new DeskError('UNKNOWN_TOKEN', '导入授权已失效，请重新选择文件')
    return g
  }
}

/** Lists importable files under `root` (relative, `/`-separated, sorted), skipping links that leave it. */
export async function walkImportable(root: string): Promise<ImportedFile[]> {
  const realRoot = await realpath(root)
  const out: ImportedFile[] = []
  const seen = new Set<string>([realRoot])
  async function visit(dir: string, relDir: string, depth: number): Promise<void> {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return // unreadable sub-folder (permissions): skip it, keep the rest
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const ent of entries) {
      if (out.length >= MAX_FILES) return
      const abs = path.join(dir, ent.name)
      const rel = relDir ? `${relDir}/${ent.name}` : ent.name
      let isDir = ent.isDirectory()
      let isFile = ent.isFile()
      if (ent.isSymbolicLink()) {
        const real = await realpath(abs).catch(() => null)
        if (!real || !isInside(realRoot, real)) continue // a link leaving the picked folder
        const st = await stat(real).catch(() => null)
        if (!st) continue
        isDir = st.isDirectory()
        isFile = st.isFile()
        if (isDir && seen.has(real)) continue // link cycle
        if (isDir) seen.add(real)
      }
      if (isDir) await visit(abs, rel, depth + 1)
      else if (isFile && extOk(ent.name)) {
        const st = await stat(abs).catch(() => null)
        if (st) out.push({ rel, size: st.size })
      }
    }
  }
  await visit(root, '', 0)
  return out
}

export async function importPick(deps: HandlerDeps, grants: ImportGrants, req: ChannelRequest<'import:pick'>): Promise<Results['import:pick']> {
  const answer = await deps.dialogs.showOpenDialog(
    req.mode === 'folder'
      ? { title: '选择要导入的文件夹', properties: ['openDirectory'] }
      : {
          title: '选择要导入的扫描件或 PDF',
          properties: ['openFile', 'multiSelections'],
          filters: [{ name: 'PDF / 图片', extensions: [...IMPORT_EXTENSIONS] }],
        },
  )
  if (answer.canceled || answer.filePaths.length === 0) return { token: '', files: [] }
  if (req.mode === 'folder') {
    const root = path.resolve(answer.filePaths[0] as string)
    const files = await walkImportable(root)
    return { token: grants.add({ kind: 'folder', root, files: new Map() }), files }
  }
  const picked = new Map<string, string>()
  const files: ImportedFile[] = []
  for (const p of answer.filePaths) {
    const abs = path.resolve(p)
    const st = await lstat(abs).catch(() => null)
    if (!st?.isFile() || !extOk(abs)) continue
    // The same name picked from two folders (possible on some dialogs) gets a numbered name.
    let rel = path.basename(abs)
    for (let i = 2; picked.has(rel); i++) rel = `${i}-${path.basename(abs)}`
    picked.set(rel, abs)
    files.push({ rel, size: st.size })
  }
  if (files.length === 0) return { token: '', files: [] }
  return { token: grants.add({ kind: 'files', root: '', files: picked }), files }
}

export async function importRead(grants: ImportGrants, req: ChannelRequest<'import:read'>): Promise<Results['import:read']> {
  const g = grants.get(req.token)
  let abs: string
  if (g.kind === 'folder') {
    abs = await resolveInside(g.root, req.rel)
  } else {
    relSegments(req.rel) // same refusals (.., absolute, NUL) with the same error code
    const file = g.files.get(req.rel)
    if (!file) throw new DeskError('NOT_ALLOWED_FILE', `未选择过此文件：${req.rel}`)
    // Confined to its parent folder, like any other read (the file may since have become a link).
    abs = await resolveInside(path.dirname(file), path.basename(file))
  }
  if (!extOk(abs)) throw new DeskError('NOT_ALLOWED_FILE', `只能导入 PDF、JPG、PNG 文件：${req.rel}`)
  const st = await stat(abs)
  if (!st.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `不是文件：${req.rel}`)
  if (st.size > MAX_IMPORT_BYTES) {
    throw new DeskError('FILE_TOO_LARGE', `文件过大（${(st.size / 1048576).toFixed(1)} MB），单个文件不能超过 60 MB：${req.rel}`)
  }
  const buf = await readFile(abs)
  return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) }
}
