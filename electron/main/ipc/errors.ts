/** Turns anything a handler throws into the error half of the envelope, with a zh-CN message. */
import { DeskError, type Envelope, type ErrorCode } from '../../shared/ipc'

const byErrno: Record<string, [ErrorCode, string]> = {
  ENOENT: ['NOT_FOUND', '文件或文件夹不存在'],
  ENOTDIR: ['NOT_FOUND', '文件夹不存在'],
  EACCES: ['ACCESS_DENIED', '没有访问权限'],
  EPERM: ['ACCESS_DENIED', '没有访问权限（可能被杀毒软件或其他程序占用）'],
  EBUSY: ['BUSY', '文件正被其他程序占用，请稍后重试'],
  ENOSPC: ['DISK_FULL', '磁盘空间不足'],
  EDQUOT: ['DISK_FULL', '磁盘配额已满'],
  EROFS: ['READ_ONLY', '文件夹是只读的，无法写入'],
  EISDIR: ['NOT_ALLOWED_FILE', '这是一个文件夹，不是文件'],
  ELOOP: ['OUTSIDE_ROOT', '共享文件夹中不允许链接'],
  ENAMETOOLONG: ['PATH_TOO_LONG', '路径太长，请选择路径更短的文件夹'],
}

/** The `{ ok: false }` envelope for a thrown value. */
export function toFailure(e: unknown): Extract<Envelope<never>, { ok: false }> {
  if (e instanceof DeskError) return { ok: false, code: e.code, message: e.message }
  const errno = (e as NodeJS.ErrnoException | undefined)?.code
  const known = errno ? byErrno[errno] : undefined
  if (known) return { ok: false, code: known[0], message: `${known[1]}（${errno}）` }
  const detail = e instanceof Error ? e.message : String(e)
  return { ok: false, code: 'INTERNAL', message: `操作失败：${detail}` }
}
