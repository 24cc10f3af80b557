/**
 * backup:* — backup files (.mdbak) in a folder the clerk chose, and a backup file picked for a
 * restore. The renderer builds the file (renderer/src/data/backup.ts) and streams it here in
 * chunks; main writes it to a temp file beside the final name (fsync), reads it back and compares
 * its SHA-256 with what was written, and only then links it to its final name, which is never an
 * existing file. Reads go by name inside the folder or by the token of a picked file, in chunks.
 * Listing and pruning touch only names this app writes (BACKUP_FILE_NAME).
 */
import { createHash, randomUUID, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat, mkdir, open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { BACKUP_FILE_NAME, DeskError, type ChannelRequest, type Results } from '../../shared/ipc'
import { resolveInside } from '../paths'
import { realClock, type HandlerDeps } from './deps'
import { nodeFileOps, writeWhole } from './file-ops'
import { withRetry } from './shared'

/** A write in progress left alone this long is forgotten (its temp file stays until a prune). */
const WRITE_IDLE_MS = 30 * 60_000
/** At most this many writes at once (one clerk, plus the daily backup). */
const MAX_WRITES = 4
/** Picked files remembered (a clerk restores one backup at a time). */
const MAX_PICKS = 10
/** A temp file this old is from a write that never finished (crash): a prune removes it. */
const STALE_PART_MS = 24 * 3600_000
const PART = /^(MarketDesk-\d{8}-\d{6}(?:-[A-Z0-9]{2,3})?(?:-\d{1,3})?\.mdbak)\.[0-9a-f-]{36}\.part$/

const errno = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code ?? ''

interface Writing { fh: FileHandle; tmp: string; target: string; name: string; size: number; hash: Hash; last: number }

/** Main's memory of backups: writes in progress and picked files, per handler map. */
export class BackupState {
  readonly writes = new Map<string, Writing>()
  readonly picks = new Map<string, string>()
}

/** The backup folder is a per-PC choice kept beside settings.json, in userData/backup.json. */
function settingsFile(deps: HandlerDeps): string {
  return path.join(deps.app.userDataDir, 'backup.json')
}

async function savedRoot(deps: HandlerDeps): Promise<string | null> {
  try {
    const o = JSON.parse(await readFile(settingsFile(deps), 'utf8')) as { root?: unknown }
    return typeof o.root === 'string' && path.isAbsolute(o.root) ? o.root : null
  } catch {
    return null
  }
}

async function saveRoot(deps: HandlerDeps, root: string): Promise<void> {
  const file = settingsFile(deps)
  await mkdir(path.dirname(file), { recursive: true })
  await writeWhole(file, JSON.stringify({ root }, null, 2))
}

async function backupRoot(deps: HandlerDeps): Promise<string> {
  const root = await savedRoot(deps)
  if (!root) throw new DeskError('BACKUP_NOT_CHOSEN', '尚未选择备份文件夹，请先在“备份与恢复”页选择')
  const st = await stat(root).catch(() => null)
  if (!st?.isDirectory()) throw new DeskError('SHARED_UNAVAILABLE', `备份文件夹无法访问（网络盘未连接或 U 盘未插入？）：${root}`)
  return root
}

function checkName(name: string): string {
  if (!BACKUP_FILE_NAME.test(name)) throw new DeskError('NOT_ALLOWED_FILE', `不是本程序的备份文件名：${name}`)
  return name
}

export async function backupChooseFolder(deps: HandlerDeps, _req: ChannelRequest<'backup:chooseFolder'>): Promise<Results['backup:chooseFolder']> {
  const answer = await deps.dialogs.showOpenDialog({ title: '选择备份文件夹', properties: ['openDirectory', 'createDirectory'] })
  if (answer.canceled || answer.filePaths.length === 0) return { cancelled: true }
  const root = path.resolve(answer.filePaths[0] as string)
  const st = await stat(root)
  if (!st.isDirectory()) throw new DeskError('NOT_FOUND', `文件夹不存在：${root}`)
  await saveRoot(deps, root)
  return { root }
}

export async function backupFolder(deps: HandlerDeps, _req: ChannelRequest<'backup:folder'>): Promise<Results['backup:folder']> {
  return { root: await savedRoot(deps) }
}

/** Forgets writes nobody touched for a long time (a renderer that crashed mid-backup). */
async function expire(state: BackupState, now: number): Promise<void> {
  for (const [token, w] of state.writes) {
    if (now - w.last < WRITE_IDLE_MS && state.writes.size <= MAX_WRITES) continue
    state.writes.delete(token)
    await w.fh.close().catch(() => undefined)
    await nodeFileOps.unlink(w.tmp).catch(() => undefined)
  }
}

export async function backupBegin(deps: HandlerDeps, state: BackupState, req: ChannelRequest<'backup:begin'>): Promise<Results['backup:begin']> {
  const root = await backupRoot(deps)
  const name = checkName(req.name)
  const target = await resolveInside(root, name)
  if (await lstat(target).catch(() => null)) throw new DeskError('NOT_ALLOWED_FILE', `已有同名备份文件，不会覆盖：${name}`)
  const now = (deps.clock ?? realClock).now()
  await expire(state, now)
  if (state.writes.size >= MAX_WRITES) throw new DeskError('BUSY', '正在写入其他备份，请稍后重试')
  const tmp = await resolveInside(root, `${name}.${randomUUID()}.part`)
  const fh = await open(tmp, 'wx')
  const token = randomUUID()
  state.writes.set(token, { fh, tmp, target, name, size: 0, hash: createHash('sha256'), last: now })
  return { token }
}

function writing(state: BackupState, token: string): Writing {
  const w = state.writes.get(token)
  if (!w) throw new DeskError('UNKNOWN_TOKEN', '备份写入已中断，请重新备份')
  return w
}

/** Drops a write and its temp file. */
async function discard(state: BackupState, token: string): Promise<boolean> {
  const w = state.writes.get(token)
  if (!w) return false
  state.writes.delete(token)
  await w.fh.close().catch(() => undefined)
  await nodeFileOps.unlink(w.tmp).catch(() => undefined)
  return true
}

export async function backupAppend(deps: HandlerDeps, state: BackupState, req: ChannelRequest<'backup:append'>): Promise<Results['backup:append']> {
  const w = writing(state, req.token)
  try {
    let off = 0
    while (off < req.bytes.byteLength) {
      const { bytesWritten } = await w.fh.write(req.bytes, off, req.bytes.byteLength - off)
      off += bytesWritten
    }
  } catch (e) {
    // A full disk or a lost share: nothing half-written stays behind.
    await discard(state, req.token)
    throw e
  }
  w.hash.update(req.bytes)
  w.size += req.bytes.byteLength
  w.last = (deps.clock ?? realClock).now()
  return { size: w.size }
}

async function fileSha256(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).byteLength
  }
  return { sha256: hash.digest('hex'), size }
}

export async function backupFinish(deps: HandlerDeps, state: BackupState, req: ChannelRequest<'backup:finish'>): Promise<Results['backup:finish']> {
  const w = writing(state, req.token)
  state.writes.delete(req.token)
  const clock = deps.clock ?? realClock
  const fops = deps.fileOps ?? nodeFileOps
  const exists = () => new DeskError('NOT_ALLOWED_FILE', `已有同名备份文件，不会覆盖：${w.name}`)
  try {
    await w.fh.sync()
    await w.fh.close()
    if (w.size !== req.size) throw new DeskError('VERIFY_FAILED', `备份文件不完整（收到 ${w.size} 字节，应为 ${req.size} 字节），请重新备份`)
    const written = w.hash.digest('hex')
    // Read back what the disk (or network share) holds before the file gets its real name.
    const back = await fileSha256(w.tmp)
    if (back.size !== w.size || back.sha256 !== written) throw new DeskError('VERIFY_FAILED', '备份文件写入后校验失败（磁盘或网络问题？），请重新备份')
    try {
      await withRetry(() => fops.link(w.tmp, w.target), clock)
    } catch (e) {
      if (errno(e) === 'EEXIST') throw exists()
      // File systems without hard links (FAT/exFAT USB sticks): an exclusive copy instead.
      await withRetry(() => fops.copyExclusive(w.tmp, w.target), clock).catch(async (e2: unknown) => {
        if (errno(e2) === 'EEXIST') throw exists()
        // The exclusive copy made the target, so a half copy (disk full) is ours to remove.
        await fops.unlink(w.target).catch(() => undefined)
        throw e2
      })
    }
    return { name: w.name, size: w.size, sha256: written }
  } finally {
    await w.fh.close().catch(() => undefined)
    await withRetry(() => fops.unlink(w.tmp), clock).catch(() => undefined)
  }
}

export async function backupAbort(_deps: HandlerDeps, state: BackupState, req: ChannelRequest<'backup:abort'>): Promise<Results['backup:abort']> {
  return { aborted: await discard(state, req.token) }
}

export async function backupList(deps: HandlerDeps, _req: ChannelRequest<'backup:list'>): Promise<Results['backup:list']> {
  const root = await backupRoot(deps)
  const out: Results['backup:list'] = []
  for (const ent of await readdir(root, { withFileTypes: true })) {
    // Plain files of our own names only: a link could point anywhere.
    if (!ent.isFile() || !BACKUP_FILE_NAME.test(ent.name)) continue
    const st = await stat(path.join(root, ent.name)).catch(() => null)
    if (st) out.push({ name: ent.name, size: st.size, mtime: st.mtime.toISOString() })
  }
  return out.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0))
}

export async function backupRead(deps: HandlerDeps, state: BackupState, req: ChannelRequest<'backup:read'>): Promise<Results['backup:read']> {
  let file: string
  if ('name' in req.source) {
    file = await resolveInside(await backupRoot(deps), checkName(req.source.name))
  } else {
    const picked = state.picks.get(req.source.token)
    if (!picked) throw new DeskError('UNKNOWN_TOKEN', '所选文件已失效，请重新选择备份文件')
    // Confined to its own folder, like every other read (the file may since have become a link).
    file = await resolveInside(path.dirname(picked), path.basename(picked))
  }
  const st = await lstat(file)
  if (!st.isFile()) throw new DeskError('NOT_ALLOWED_FILE', '不是文件')
  const fh = await open(file, 'r')
  try {
    const length = Math.max(0, Math.min(req.length, st.size - req.offset))
    const buf = new Uint8Array(length)
    let got = 0
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, req.offset + got)
      if (bytesRead === 0) break
      got += bytesRead
    }
    return got === length ? buf : buf.subarray(0, got)
  } finally {
    await fh.close()
  }
}

export async function backupPick(deps: HandlerDeps, state: BackupState, _req: ChannelRequest<'backup:pick'>): Promise<Results['backup:pick']> {
  const answer = await deps.dialogs.showOpenDialog({
    title: '选择要恢复的备份文件',
    properties: ['openFile'],
    filters: [{ name: 'MarketDesk 备份', extensions: ['mdbak'] }],
  })
  if (answer.canceled || answer.filePaths.length === 0) return { cancelled: true }
  const file = path.resolve(answer.filePaths[0] as string)
  const st = await lstat(file)
  if (!st.isFile()) throw new DeskError('NOT_ALLOWED_FILE', `不是文件：${path.basename(file)}`)
  const token = randomUUID()
  state.picks.set(token, file)
  while (state.picks.size > MAX_PICKS) state.picks.delete(state.picks.keys().next().value as string)
  return { token, name: path.basename(file), size: st.size }
}

export async function backupPrune(deps: HandlerDeps, req: ChannelRequest<'backup:prune'>): Promise<Results['backup:prune']> {
  const root = await backupRoot(deps)
  const clock = deps.clock ?? realClock
  const fops = deps.fileOps ?? nodeFileOps
  const removed: string[] = []
  const list = await backupList(deps, {})
  for (const old of list.slice(req.keep)) {
    try {
      await withRetry(() => fops.unlink(path.join(root, old.name)), clock)
      removed.push(old.name)
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw e
    }
  }
  // Temp files of writes that never finished (the app was closed mid-backup).
  for (const ent of await readdir(root, { withFileTypes: true })) {
    if (!ent.isFile() || !PART.test(ent.name)) continue
    const st = await stat(path.join(root, ent.name)).catch(() => null)
    if (st && clock.now() - st.mtimeMs > STALE_PART_MS) await fops.unlink(path.join(root, ent.name)).catch(() => undefined)
  }
  return { removed }
}
