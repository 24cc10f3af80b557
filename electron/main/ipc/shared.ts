/**
 * The shared (sync) folder: choose it once, then list / read / write-if-absent / remove inside it.
 * This is the folder transport of sync.md: a PC writes only its own files, each file once, so the
 * writer never overwrites and publishes through a temp file in `<root>/tmp/`.
 */
import { randomUUID } from 'node:crypto'
import { lstat, readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { DeskError, MAX_SHARED_BYTES, type ChannelRequest, type Results } from '../../shared/ipc'
import { relSegments, resolveInside } from '../paths'
import { realClock, type Clock, type HandlerDeps } from './deps'
import { nodeFileOps, type FileOps } from './file-ops'

/** Where writes in progress live, inside the shared root (same volume, so link/rename is local). */
export const TMP_DIR = 'tmp'
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

async function sharedRoot(deps: HandlerDeps): Promise<string> {
  const root = (await deps.settings.get()).sharedRoot
  if (!root) throw new DeskError('SHARED_NOT_CHOSEN', '尚未选择共享文件夹，请先在“同步”页选择')
  const st = await stat(root).catch(() => null)
  if (!st?.isDirectory()) throw new DeskError('SHARED_UNAVAILABLE', `共享文件夹无法访问（网络盘未连接或 U 盘未插入？）：${root}`)
  return root
}

export async function sharedChoose(deps: HandlerDeps, _req: ChannelRequest<'shared:choose'>): Promise<Results['shared:choose']> {
  const answer = await deps.dialogs.showOpenDialog({ title: '选择共享文件夹', properties: ['openDirectory', 'createDirectory'] })
  if (answer.canceled || answer.filePaths.length === 0) return { cancelled: true }
  const root = path.resolve(answer.filePaths[0] as string)
  await deps.settings.update({ sharedRoot: root })
  return { root }
}

export async function sharedCurrent(deps: HandlerDeps, _req: ChannelRequest<'shared:current'>): Promise<Results['shared:current']> {
  return { root: (await deps.settings.get()).sharedRoot ?? null }
}

export async function sharedList(deps: HandlerDeps, req: ChannelRequest<'shared:list'>): Promise<Results['shared:list']> {
  const root = await sharedRoot(deps)
  const dir = req.dir === '' || req.dir === '.' || req.dir === '/' ? root : await resolveInside(root, req.dir)
  const entries = await readdir(dir, { withFileTypes: true })
  // Links are left out: the sync folder holds plain files, and a link could point anywhere.
  return entries
    .filter((e) => e.isFile() || e.isDirectory())
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort()
}

export async function sharedRead(deps: HandlerDeps, req: ChannelRequest<'shared:read'>): Promise<Results['shared:read']> {
  const abs = await resolveInside(await sharedRoot(deps), req.rel)
  const st = await stat(abs)
  if (!st.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `不是文件：${req.rel}`)
  if (st.size > MAX_SHARED_BYTES) throw new DeskError('FILE_TOO_LARGE', `文件过大：${req.rel}`)
  const buf = await readFile(abs)
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
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
  const target = await resolveInside(root, rel)
  // Case-insensitive: on Windows shares TMP/ and tmp/ are the same folder.
  if (relSegments(rel)[0]?.toLowerCase() === TMP_DIR) throw new DeskError('OUTSIDE_ROOT', `不能直接写入临时文件夹：${rel}`)
  const tmpDir = await resolveInside(root, TMP_DIR)
  await withRetry(() => fops.mkdirp(tmpDir), clock)
  await withRetry(() => fops.mkdirp(path.dirname(target)), clock)
  // mkdir may have followed a link created meanwhile: check again now that the parents exist.
  await resolveInside(root, rel)

  const tmp = path.join(tmpDir, `${randomUUID()}.part`)
  let created = false
  try {
    await withRetry(() => fops.writeNew(tmp, bytes), clock)
    const exists = await publish(tmp, target, fops, clock)
    if (exists) {
      const current = await withRetry(() => fops.readFile(target), clock)
      return { written: false, same: sameBytes(current, bytes) }
    }
    created = true
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
  return writeIfAbsent(await sharedRoot(deps), req.rel, req.bytes, deps.fileOps, deps.clock)
}

export async function sharedRemove(deps: HandlerDeps, req: ChannelRequest<'shared:remove'>): Promise<Results['shared:remove']> {
  const root = await sharedRoot(deps)
  const abs = await resolveInside(root, req.rel)
  const st = await lstat(abs).catch(() => null)
  if (!st) return { removed: false }
  if (!st.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `只能删除文件：${req.rel}`)
  try {
    await withRetry(() => (deps.fileOps ?? nodeFileOps).unlink(abs), deps.clock ?? realClock)
    return { removed: true }
  } catch (e) {
    if (errno(e) === 'ENOENT') return { removed: false }
    throw e
  }
}
