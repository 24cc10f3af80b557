/**
 * The shared (sync) folder: choose it once, then list / read / write-if-absent / remove inside it.
 * This is the folder transport of sync.md: a PC writes only its own files, each file once, so the
 * writer never overwrites and publishes through a temp file in `<root>/tmp/`. The same handlers
 * serve a WebDAV server instead when the settings name one (webdav.ts, issue 11): everything below
 * but the links is checked here for both, before the backend (shared-backend.ts) is called.
 *
 * What main enforces, whatever the renderer asks (issue 7):
 * - the root's path leaves every sync file under Windows' MAX_PATH (names.ts LONGEST_RELATIVE_PATH);
 * - the root is the share only when its marker (vault.json) is there: an unmounted share leaves an
 *   empty, writable mount point, and nothing but the vault's creation is written into such a folder;
 * - the renderer writes and removes only this PC's own files (`pcs/<own>/…`, `snapshots/<own>-…`),
 *   blobs, and leftovers in tmp/; its PC id is claimed once (shared:claimPc) and a new id only for
 *   a PC folder that does not exist yet;
 * - no links anywhere under the root, no Windows device names or trailing dots/spaces (paths.ts).
 */
import { randomUUID } from 'node:crypto'
import { lstat, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { maxBytesFor, parseName, paths, PC_ID, rootFitsMaxPath, SHARE_MARKER, LONGEST_RELATIVE_PATH, MAX_FULL_PATH } from '../../../renderer/core/sync/names'
import { DeskError, MAX_SHARED_BYTES, type ChannelRequest, type Results } from '../../shared/ipc'
import { lstatNoLinks, readSharedFile, relSegments, resolveShared, sameFile } from '../paths'
import { realClock, sharedTarget, type Clock, type HandlerDeps } from './deps'
import { nodeFileOps, type FileOps } from './file-ops'
import type { SharedBackend } from './shared-backend'
import { webdavBackendFor, webdavStatus } from './webdav'

/** Where writes in progress live, inside the shared root (same volume, so link/rename is local). */
export const TMP_DIR = paths.tmpDir
/** Codes an antivirus scanner or cloud client causes for a moment (sync.md fault 10). */
const TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES'])
/** File systems without hard links (FAT/exFAT USB sticks, some SMB servers) answer with these. */
const NO_LINKS = new Set(['ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EINVAL', 'EMLINK'])
/** Total retry budget for one file, about a minute as sync.md asks. */
export const RETRY_BUDGET_MS = 60_000

const errno = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code ?? ''

/** Runs `op`, retrying transient errors with doubling sleeps (50 ms … 5 s) until the budget is spent. */
export async function withRetry<T>(op: () => Promise<T>, clock: Clock, budgetMs = RETRY_BUDGET_MS): Promise<T> {
  const start = clock.now()
  let delay = 50
  for (;;) {
    try {
      return await op()
    } catch (e) {
      if (!TRANSIENT.has(errno(e)) || clock.now() - start + delay > budgetMs) throw e
      await clock.sleep(delay)
      delay = Math.min(delay * 2, 5_000)
    }
  }
}

/** Refuses a root under which the longest sync file would pass MAX_FULL_PATH characters (Windows MAX_PATH). */
export function checkRootLength(root: string): void {
  if (rootFitsMaxPath(root)) return
  const max = MAX_FULL_PATH - LONGEST_RELATIVE_PATH.length - 1
  throw new DeskError('PATH_TOO_LONG', `共享文件夹的路径太长（${root.length} 个字符，最多 ${max} 个），其中的同步文件会超过 Windows 的路径长度限制。请选择路径更短的文件夹：${root}`)
}

/** The folder of a folder target: its path checked for length and found as a directory. */
async function folderRoot(root: string): Promise<string> {
  checkRootLength(root)
  // The root itself may be a link (a mapped folder); links below it are refused (paths.ts).
  const st = await stat(root).catch(() => null)
  if (!st?.isDirectory()) throw new DeskError('SHARED_UNAVAILABLE', `共享文件夹无法访问（网络盘未连接或 U 盘未插入？）：${root}`)
  return root
}

const notChosen = () => new DeskError('SHARED_NOT_CHOSEN', '尚未选择共享文件夹或 WebDAV 服务器，请先在“同步”页选择')

/** The shared folder as a SharedBackend: the folder code below, confined to `root`. */
export function folderBackend(root: string, deps: Pick<HandlerDeps, 'fileOps' | 'clock'>): SharedBackend {
  const fops = deps.fileOps ?? nodeFileOps
  const clock = deps.clock ?? realClock
  return {
    where: root,
    list: (dir) => listFolder(root, dir),
    read: (rel, limit) => readSharedFile(root, rel, { limit }),
    writeIfAbsent: (rel, bytes) => writeIfAbsent(root, rel, bytes, fops, clock),
    remove: (rel) => removeFile(root, rel, fops, clock),
    async isFile(rel) {
      const st = await lstat(path.join(root, ...relSegments(rel))).catch(() => null)
      return !!st?.isFile()
    },
    names: (dir) => readdir(path.join(root, ...relSegments(dir))).catch(() => [] as string[]),
  }
}

/**
 * The backend the settings name (folder or WebDAV), checked to be usable: a folder that exists
 * and whose path is short enough; a WebDAV target with its password (webdav.ts).
 */
export async function openBackend(deps: HandlerDeps): Promise<SharedBackend> {
  const target = sharedTarget(await deps.settings.get())
  if (!target) throw notChosen()
  if (target.kind === 'webdav') return webdavBackendFor(deps, target)
  return folderBackend(await folderRoot(target.path), deps)
}

const notMarked = (where: string) =>
  new DeskError('SHARED_UNAVAILABLE', `共享文件夹中没有找到同步库（${SHARE_MARKER}）：网络盘可能未连接，或这不是办公室的共享文件夹。同步已暂停，没有写入任何文件：${where}`)

/** True when the root holds its marker as a plain file (not a folder, not a link). */
const isMarked = (b: SharedBackend) => b.isFile(SHARE_MARKER)

const notOwn = (rel: string) =>
  new DeskError('NOT_OWN_FILE', `只能写入本机自己的文件，不能写入或删除其他电脑的文件：${rel}`)

/**
 * Whether the renderer may write (or remove) `segs` when this PC is `own`: its own folder, its own
 * snapshots, the blobs, the vault's creation, leftovers in tmp/ (removal only). Names are matched
 * exactly as the engine writes them (names.ts), never by a case-folded guess.
 */
function mayTouch(segs: readonly string[], own: string | undefined, op: 'write' | 'remove'): boolean {
  const [top, second] = segs
  if (segs.length === 1 && top === SHARE_MARKER) return op === 'write'
  if (top === paths.pcsDir) return own !== undefined && segs.length >= 3 && second === own
  if (top === paths.blobDir) return segs.length === 2
  if (top === paths.snapshotDir) {
    const n = parseName(segs.join('/'))
    return own !== undefined && n?.kind === 'snapshot' && n.pc === own
  }
  if (top === TMP_DIR) return op === 'remove' && segs.length === 2
  return false
}

/** The checks every write and removal passes before touching the folder. */
async function guard(deps: HandlerDeps, b: SharedBackend, rel: string, op: 'write' | 'remove'): Promise<void> {
  const segs = relSegments(rel)
  if (op === 'write' && segs[0]?.toLowerCase() === TMP_DIR) throw new DeskError('OUTSIDE_ROOT', `不能直接写入临时文件夹：${rel}`)
  if (!mayTouch(segs, (await deps.settings.get()).ownPc, op)) throw notOwn(rel)
  // Creating the vault is the one write a folder without the marker takes.
  const creatingVault = op === 'write' && segs.length === 1 && segs[0] === SHARE_MARKER
  if (!creatingVault && !(await isMarked(b))) throw notMarked(b.where)
}

export async function sharedChoose(deps: HandlerDeps, _req: ChannelRequest<'shared:choose'>): Promise<Results['shared:choose']> {
  const answer = await deps.dialogs.showOpenDialog({ title: '选择共享文件夹', properties: ['openDirectory', 'createDirectory'] })
  if (answer.canceled || answer.filePaths.length === 0) return { cancelled: true }
  const root = path.resolve(answer.filePaths[0] as string)
  checkRootLength(root)
  // The folder replaces a WebDAV server chosen before (its password stays until it is cleared).
  await deps.settings.update({ shared: { kind: 'folder', path: root }, sharedRoot: undefined })
  return { root }
}

/**
 * Registers this PC's sync id. The first claim is taken as it comes (trust on first use: a new
 * install, or one from before claims existed); the same id again is a no-op; a DIFFERENT id only
 * for a PC that has no folder (nor snapshot) on the share yet: a PC taking a new identity after a
 * clone or a restore. A renderer can thus never take over another PC's existing folder.
 */
export async function sharedClaimPc(deps: HandlerDeps, req: ChannelRequest<'shared:claimPc'>): Promise<Results['shared:claimPc']> {
  const { pc } = req
  if (!PC_ID.test(pc)) throw new DeskError('BAD_REQUEST', `电脑编号无效：${pc}`)
  const own = (await deps.settings.get()).ownPc
  if (own === pc) return { pc }
  const chosen = sharedTarget(await deps.settings.get())
  if (own === undefined && !chosen) {
    await deps.settings.update({ ownPc: pc })
    return { pc }
  }
  const b = await openBackend(deps)
  // A different id needs the share itself: on an unmounted mount point every folder looks free.
  if (own !== undefined && !(await isMarked(b))) throw notMarked(b.where)
  const taken = (names: string[], match: (n: string) => boolean) => names.some(match)
  const pcs = await b.names(paths.pcsDir)
  const lower = pc.toLowerCase()
  // Windows folders ignore case: `pc02` would be PC02's folder there.
  const exact = pcs.includes(pc)
  const caseTwin = taken(pcs, (n) => n !== pc && n.toLowerCase() === lower)
  const snaps = await b.names(paths.snapshotDir)
  const snapTaken = taken(snaps, (n) => n.toLowerCase().startsWith(`${lower}-`))
  if (caseTwin || (own !== undefined && (exact || snapTaken))) {
    throw new DeskError('NOT_OWN_FILE', `电脑编号 ${pc} 已被共享文件夹中的另一台电脑使用，本机不能接管它的文件`)
  }
  await deps.settings.update({ ownPc: pc })
  return { pc }
}

export async function sharedCurrent(deps: HandlerDeps, _req: ChannelRequest<'shared:current'>): Promise<Results['shared:current']> {
  const target = sharedTarget(await deps.settings.get())
  if (target?.kind !== 'webdav') return { root: target?.path ?? null }
  return { root: target.url, webdav: await webdavStatus(deps, target) }
}

/** Entries of a folder under `root` (links left out), folders marked with '/'. */
async function listFolder(root: string, dirRel: string): Promise<string[]> {
  const atRoot = dirRel === '' || dirRel === '.' || dirRel === '/'
  let dir = root
  let before = null
  if (!atRoot) {
    const r = await resolveShared(root, dirRel)
    if (!r.st) throw Object.assign(new Error(`ENOENT: ${dirRel}`), { code: 'ENOENT' })
    dir = r.abs
    before = r.st
  }
  const entries = await readdir(dir, { withFileTypes: true })
  // The folder listed must still be the one checked (not swapped for a link meanwhile).
  if (before) {
    const after = await lstatNoLinks(path.resolve(root), relSegments(dirRel), dirRel)
    if (!after || !sameFile(after, before)) throw new DeskError('OUTSIDE_ROOT', `共享文件夹中的文件夹在读取时被替换：${dirRel}`)
  }
  // Links are left out: the sync folder holds plain files, and a link could point anywhere.
  return entries
    .filter((e) => e.isFile() || e.isDirectory())
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort()
}

export async function sharedList(deps: HandlerDeps, req: ChannelRequest<'shared:list'>): Promise<Results['shared:list']> {
  const b = await openBackend(deps)
  const atRoot = req.dir === '' || req.dir === '.' || req.dir === '/'
  // The same path rules for both places (no '..', no Windows device names): checked here.
  return b.list(atRoot ? '' : relSegments(req.dir).join('/'))
}

export async function sharedRead(deps: HandlerDeps, req: ChannelRequest<'shared:read'>): Promise<Results['shared:read']> {
  const b = await openBackend(deps)
  const rel = relSegments(req.rel).join('/')
  // The small JSON files have their own limit by name, whatever the caller asked (issue 7).
  const limit = Math.min(req.maxBytes ?? MAX_SHARED_BYTES, maxBytesFor(rel) ?? MAX_SHARED_BYTES, MAX_SHARED_BYTES)
  return b.read(rel, limit)
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && Buffer.compare(a, b) === 0

/**
 * Publishes `bytes` under `rel` only if no such file exists: temp file (fsync) → hard link to the
 * final name (atomic, fails on an existing name) → read back and compare → remove the temp file.
 * Without hard links it falls back to an exclusive copy. On any failure nothing is left in tmp/
 * and no partial final file stays behind.
 */
export async function writeIfAbsent(
  root: string,
  rel: string,
  bytes: Uint8Array,
  fops: FileOps = nodeFileOps,
  clock: Clock = realClock,
): Promise<Results['shared:writeIfAbsent']> {
  const { abs: target, segs } = await resolveShared(root, rel)
  // Case-insensitive: on Windows shares TMP/ and tmp/ are the same folder.
  if (segs[0]?.toLowerCase() === TMP_DIR) throw new DeskError('OUTSIDE_ROOT', `不能直接写入临时文件夹：${rel}`)
  const tmpRel = paths.tmpFile(randomUUID())
  const { abs: tmp } = await resolveShared(root, tmpRel)
  const tmpDir = path.dirname(tmp)
  await withRetry(() => fops.mkdirp(tmpDir), clock)
  await withRetry(() => fops.mkdirp(path.dirname(target)), clock)
  // mkdir may have followed a link created meanwhile: check again now that the parents exist.
  await resolveShared(root, rel)
  await resolveShared(root, tmpRel)
  let created = false
  try {
    await withRetry(() => fops.writeNew(tmp, bytes), clock)
    const exists = await publish(tmp, target, fops, clock)
    if (exists) {
      const st = await lstatNoLinks(path.resolve(root), segs, rel)
      if (!st?.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `不是文件：${rel}`)
      const current = await withRetry(() => fops.readFile(target), clock)
      return { written: false, same: sameBytes(current, bytes) }
    }
    created = true
    // The name published must be a plain file reached without links (a parent swapped meanwhile is caught here).
    const st = await lstatNoLinks(path.resolve(root), segs, rel)
    if (!st?.isFile()) throw new DeskError('OUTSIDE_ROOT', `共享文件夹中的文件夹在写入时被替换：${rel}`)
    const back = await withRetry(() => fops.readFile(target), clock)
    if (!sameBytes(back, bytes)) {
      throw new DeskError('VERIFY_FAILED', `写入共享文件夹后校验失败（网络中断？），稍后会重试：${rel}`)
    }
    created = false
    return { written: true }
  } catch (e) {
    // Only a file this call created is removed: a bad copy must not block the republish.
    if (created) await withRetry(() => fops.unlink(target), clock).catch(() => undefined)
    throw e
  } finally {
    await withRetry(() => fops.unlink(tmp), clock).catch((e) => {
      if (errno(e) !== 'ENOENT') throw e
    })
  }
}

/** Moves tmp to its final name without replacing anything; true when the name already existed. */
async function publish(tmp: string, target: string, fops: FileOps, clock: Clock): Promise<boolean> {
  let useCopy = false
  return withRetry(async () => {
    try {
      if (useCopy) await fops.copyExclusive(tmp, target)
      else await fops.link(tmp, target)
      return false
    } catch (e) {
      const code = errno(e)
      if (code === 'EEXIST') return true
      // FAT/exFAT answer EPERM to link(): try the copy once before treating EPERM as "busy".
      if (!useCopy && (NO_LINKS.has(code) || code === 'EPERM')) {
        useCopy = true
        try {
          await fops.copyExclusive(tmp, target)
          return false
        } catch (e2) {
          if (errno(e2) === 'EEXIST') return true
          throw e2
        }
      }
      throw e
    }
  }, clock)
}

export async function sharedWriteIfAbsent(deps: HandlerDeps, req: ChannelRequest<'shared:writeIfAbsent'>): Promise<Results['shared:writeIfAbsent']> {
  const b = await openBackend(deps)
  await guard(deps, b, req.rel, 'write')
  return b.writeIfAbsent(req.rel, req.bytes)
}

export async function sharedRemove(deps: HandlerDeps, req: ChannelRequest<'shared:remove'>): Promise<Results['shared:remove']> {
  const b = await openBackend(deps)
  await guard(deps, b, req.rel, 'remove')
  return b.remove(req.rel)
}

/** Removes one file of the folder (never a folder, never through a link). */
async function removeFile(root: string, rel: string, fops: FileOps, clock: Clock): Promise<Results['shared:remove']> {
  const { abs, st } = await resolveShared(root, rel)
  if (!st) return { removed: false }
  if (!st.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `只能删除文件：${rel}`)
  try {
    await withRetry(() => fops.unlink(abs), clock)
    return { removed: true }
  } catch (e) {
    if (errno(e) === 'ENOENT') return { removed: false }
    throw e
  }
}
