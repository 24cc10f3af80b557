/**
 * The sync files on a WebDAV server (issue 11: a 群晖 NAS, Nextcloud, 坚果云) instead of a shared
 * folder. The client runs here in main (the renderer stays network-free under its CSP), behind the
 * same `shared:*` handlers: shared.ts checks names, this PC's own files and the vault marker for
 * both places, then calls the backend below.
 *
 * How the four operations map onto HTTP:
 * - list: PROPFIND depth 1; collections come back with a trailing '/', as the folder marks folders;
 * - read: PROPFIND depth 0 for the size (refused over the limit before any byte is fetched), then
 *   GET, stopped as soon as it passes the limit;
 * - write-if-absent: PUT `tmp/<uuid>.part`, then MOVE to the final name with `Overwrite: F` (412 =
 *   the name exists, nothing replaced), then GET it back and compare. A dropped upload leaves at
 *   most a `.part` in tmp/, never a partial file under the final name. Collections are made
 *   (MKCOL) when the server answers 409 for a missing parent;
 * - remove: DELETE of one file (never a collection).
 *
 * What each answer becomes (the IPC error codes of shared/ipc.ts): 401 → AUTH_FAILED, and no
 * further request is sent with that password until it is entered again (a NAS blocks an address
 * after a few failed logins); 403 → READ_ONLY for writes, ACCESS_DENIED for reads; 404 →
 * NOT_FOUND; 423/429/502/503/504 → retried with growing pauses, then BUSY; 507 → DISK_FULL; no
 * answer in time, no such host, refused or dropped connections → UNREACHABLE; an untrusted
 * certificate → CERT_INVALID. Every request has a timeout (the target's `timeoutMs`, default
 * WEBDAV_TIMEOUT_MS), longer by the size of the file it moves.
 *
 * The password is kept in the OS-sealed secret store (secrets.ts, name `webdavPassword`), never in
 * settings.json and never sent to the renderer; without protected storage it lives in memory
 * until the app quits.
 */
import { randomUUID } from 'node:crypto'
import { AuthType, createClient, type FileStat, type WebDAVClient } from 'webdav'
import { paths, SHARE_MARKER, SMALL_FILE_MAX } from '../../../renderer/core/sync/names'
import { DeskError, type ChannelRequest, type ErrorCode, type Results, type WebdavInfo } from '../../shared/ipc'
import { relSegments } from '../paths'
import { realClock, sharedTarget, type Clock, type HandlerDeps, type SharedTarget } from './deps'
import type { SharedBackend } from './shared-backend'

/** Default time one request may take before the server counts as unreachable. */
export const WEBDAV_TIMEOUT_MS = 20_000
/** Statuses a busy server answers for a moment (locked, rate-limited, overloaded, a proxy's hiccup). */
const BUSY_STATUS = new Set([423, 429, 502, 503, 504])
/** How long busy answers are retried within one operation before it fails with BUSY. */
export const WEBDAV_BUSY_BUDGET_MS = 30_000
/** A file transfer gets this much extra time per byte (at least 128 KB/s over the timeout). */
const MS_PER_BYTE = 1000 / (128 * 1024)

/** Codes of a certificate Node would not trust. */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE',
])

type WebdavTarget = Extract<SharedTarget, { kind: 'webdav' }>
type Op = 'read' | 'write'

/** What main remembers about the WebDAV target between calls (per settings store, in memory). */
interface DavState {
  /** The password of this session when the OS offers no protected storage. */
  sessionPassword?: string
  /** Credentials the server refused (url, user, password): not sent again until they change. */
  refused?: string
  /** The last failure that stops sync (wrong password, unreachable…), for the sync page. */
  problem?: { code: ErrorCode; message: string }
  client?: { key: string; client: WebDAVClient }
}
const states = new WeakMap<object, DavState>()
const stateOf = (deps: HandlerDeps): DavState => {
  let s = states.get(deps.settings)
  if (!s) states.set(deps.settings, (s = {}))
  return s
}

// ------------------------------------------------------------------ addresses and credentials

/**
 * The WebDAV address as stored: http(s) only, no user name or password inside it, no query or
 * fragment; a trailing '/' added so relative names join under it. Throws BAD_REQUEST otherwise.
 */
export function normaliseDavUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    throw new DeskError('BAD_REQUEST', `WebDAV 地址无效：${raw}（应以 https:// 或 http:// 开头，例如 https://nas.example.com:5006/MarketDesk）`)
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new DeskError('BAD_REQUEST', `WebDAV 地址必须以 https:// 或 http:// 开头：${raw}`)
  if (u.username || u.password) throw new DeskError('BAD_REQUEST', 'WebDAV 地址中不要包含用户名或密码，请分别填写')
  if (u.search || u.hash) throw new DeskError('BAD_REQUEST', `WebDAV 地址中不能有 ? 或 #：${raw}`)
  if (!u.pathname.endsWith('/')) u.pathname += '/'
  return u.toString()
}

/** True for a plain-http address: the password and the files cross the network unencrypted. */
export const isInsecure = (url: string) => url.toLowerCase().startsWith('http:')

async function passwordOf(deps: HandlerDeps): Promise<string | null> {
  const stored = deps.secrets ? await deps.secrets.get('webdavPassword') : null
  return stored ?? stateOf(deps).sessionPassword ?? null
}

const credKey = (t: { url: string; username: string }, password: string) => JSON.stringify([t.url, t.username, password])

/**
 * A client sending Basic auth. The header is built here as UTF-8: the library's own encoder
 * takes Latin-1 only, and a clerk's password may well be Chinese. (Digest is not offered: NAS,
 * Nextcloud and 坚果云 all take Basic over https.)
 */
function clientFor(url: string, username: string, password: string): WebDAVClient {
  const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
  return createClient(url, { authType: AuthType.None, headers: { Authorization: `Basic ${basic}` } })
}

// ------------------------------------------------------------------ errors

const statusOf = (e: unknown): number | undefined => {
  const s = (e as { status?: unknown } | undefined)?.status
  return typeof s === 'number' ? s : undefined
}
const codeOf = (e: unknown): string => {
  const x = e as { code?: unknown; cause?: { code?: unknown } } | undefined
  return String(x?.code ?? x?.cause?.code ?? '')
}

export const authFailed = () =>
  new DeskError('AUTH_FAILED', 'WebDAV 用户名或密码不正确。同步已暂停：请在“设置 → 同步”中重新输入密码（为免服务器锁定账户，在此之前不会再尝试登录）')

/** The zh-CN failure for a thrown request error of `op` on `rel`. */
export function davFailure(e: unknown, op: Op, rel: string, where: string): DeskError {
  if (e instanceof DeskError) return e
  const status = statusOf(e)
  const name = rel === '' ? where : rel
  if (status !== undefined) {
    if (status === 401) return authFailed()
    if (status === 403) {
      return op === 'write'
        ? new DeskError('READ_ONLY', `WebDAV 服务器拒绝写入：此账户没有写入权限（只读账户？），请在服务器上给它读写权限：${name}`)
        : new DeskError('ACCESS_DENIED', `WebDAV 服务器拒绝访问：此账户没有权限读取这个文件夹，请在服务器上给它读写权限：${name}`)
    }
    if (status === 404) return new DeskError('NOT_FOUND', `WebDAV 服务器上没有这个文件或文件夹：${name}`)
    if (status === 405 || status === 501) return new DeskError('NOT_WEBDAV', `这个地址不是 WebDAV 文件夹（服务器不支持 WebDAV 的操作，${status}）：请检查地址，例如 Nextcloud 的地址以 /remote.php/dav/files/用户名/ 结尾：${where}`)
    if (status === 507) return new DeskError('DISK_FULL', `WebDAV 服务器空间已满（507），本机更改暂时无法写入，请清理服务器空间或扩容：${name}`)
    if (BUSY_STATUS.has(status)) return new DeskError('BUSY', `WebDAV 服务器正忙（${status}），稍后会自动重试：${name}`)
    return new DeskError('INTERNAL', `WebDAV 服务器返回错误 ${status}：${name}`)
  }
  const code = codeOf(e)
  if (CERT_CODES.has(code)) return new DeskError('CERT_INVALID', `WebDAV 服务器的证书不受信任（${code}：自签名、过期或与地址不符）。请在 NAS 上安装有效证书，或使用其正式域名：${where}`)
  const aborted = (e as { name?: string } | undefined)?.name === 'AbortError' || (e as { name?: string } | undefined)?.name === 'TimeoutError'
  if (aborted || code !== '' || (e as { name?: string } | undefined)?.name === 'FetchError') {
    const why = aborted ? '没有在规定时间内响应' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? '找不到这个服务器名称' : code === 'ECONNREFUSED' ? '拒绝连接（服务未开启或端口不对？）' : `连接中断（${code || '网络错误'}）`
    return new DeskError('UNREACHABLE', `WebDAV 服务器无法连接：${why}。同步已暂停，下次同步时会自动重试：${where}`)
  }
  const detail = e instanceof Error ? e.message : String(e)
  return new DeskError('INTERNAL', `WebDAV 操作失败：${detail}（${name}）`)
}

/** Failures that mean the server as a whole is out of reach (the sync page says so). */
const STOPS_SYNC = new Set<ErrorCode>(['AUTH_FAILED', 'UNREACHABLE', 'CERT_INVALID', 'NOT_WEBDAV'])

// ------------------------------------------------------------------ the backend

export interface DavBackendOptions {
  url: string
  username: string
  password: string
  timeoutMs?: number
  clock?: Clock
  /** Told of each failure that stops sync and of each success (clears the notice). */
  onOutcome?: (failure: DeskError | null) => void
}

const tooLarge = (rel: string) => new DeskError('FILE_TOO_LARGE', `文件过大：${rel}`)
const davPath = (rel: string) => (rel === '' ? '/' : `/${relSegments(rel).join('/')}`)

/** The WebDAV server at `o.url` as a SharedBackend. */
export function createDavBackend(o: DavBackendOptions): SharedBackend {
  const client = clientFor(o.url, o.username, o.password)
  const clock = o.clock ?? realClock
  const timeout = o.timeoutMs ?? WEBDAV_TIMEOUT_MS

  /** Runs one request with its timeout, retrying busy answers; throws the raw error otherwise. */
  async function attempt<T>(run: (signal: AbortSignal) => Promise<T>, bytes = 0): Promise<T> {
    const start = clock.now()
    let delay = 250
    for (;;) {
      try {
        const r = await run(AbortSignal.timeout(timeout + Math.ceil(bytes * MS_PER_BYTE)))
        o.onOutcome?.(null)
        return r
      } catch (e) {
        const status = statusOf(e)
        if (status !== undefined && BUSY_STATUS.has(status) && clock.now() - start + delay <= WEBDAV_BUSY_BUDGET_MS) {
          await clock.sleep(delay)
          delay = Math.min(delay * 2, 5_000)
          continue
        }
        throw e
      }
    }
  }
  const fail = (e: unknown, op: Op, rel: string): DeskError => {
    const f = davFailure(e, op, rel, o.url)
    if (STOPS_SYNC.has(f.code)) o.onOutcome?.(f)
    return f
  }

  async function statOrNull(rel: string, op: Op): Promise<FileStat | null> {
    try {
      return (await attempt((signal) => client.stat(davPath(rel), { signal }))) as FileStat
    } catch (e) {
      if (statusOf(e) === 404) return null
      throw fail(e, op, rel)
    }
  }

  /** GET of `rel`, at most `limit` bytes (the size was checked; a file growing meanwhile is refused too). */
  async function download(rel: string, limit: number, op: Op): Promise<Uint8Array> {
    // An idle timeout: a large file may take long, but not stall longer than `timeout`.
    const ctl = new AbortController()
    let timer = setTimeout(() => ctl.abort(), timeout)
    const touch = () => {
      clearTimeout(timer)
      timer = setTimeout(() => ctl.abort(), timeout)
    }
    try {
      const res = await attempt(() => client.customRequest(davPath(rel), { method: 'GET', signal: ctl.signal }))
      touch()
      const declared = Number(res.headers.get('content-length') ?? NaN)
      if (Number.isFinite(declared) && declared > limit) {
        ctl.abort()
        throw tooLarge(rel)
      }
      const chunks: Uint8Array[] = []
      let total = 0
      // node-fetch's body is a Node stream: read it chunk by chunk and stop past the limit.
      for await (const chunk of (res as unknown as { body: AsyncIterable<Uint8Array> }).body) {
        touch()
        total += chunk.byteLength
        if (total > limit) {
          ctl.abort()
          throw tooLarge(rel)
        }
        chunks.push(chunk)
      }
      const out = Buffer.concat(chunks, total)
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
    } catch (e) {
      if (statusOf(e) === 404) throw Object.assign(new Error(`ENOENT: ${rel}`), { code: 'ENOENT' })
      if (e instanceof DeskError) throw e
      if (ctl.signal.aborted && statusOf(e) === undefined) throw fail(Object.assign(new Error('timeout'), { name: 'AbortError' }), op, rel)
      throw fail(e, op, rel)
    } finally {
      clearTimeout(timer)
    }
  }

  async function read(rel: string, limit: number, op: Op = 'read'): Promise<Uint8Array> {
    const st = await statOrNull(rel, op)
    if (!st) throw Object.assign(new Error(`ENOENT: ${rel}`), { code: 'ENOENT' })
    if (st.type !== 'file') throw new DeskError('NOT_ALLOWED_FILE', `不是文件：${rel}`)
    if (st.size > limit) throw tooLarge(rel)
    return download(rel, limit, op)
  }

  async function list(dir: string): Promise<string[]> {
    let items: FileStat[]
    try {
      items = await attempt((signal) => client.getDirectoryContents(davPath(dir), { signal, details: false }))
    } catch (e) {
      if (statusOf(e) === 404) throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' })
      throw fail(e, 'read', dir)
    }
    // Only plain names: a server could answer with anything, and the engine matches exact patterns anyway.
    return items
      .filter((i) => i.basename !== '' && !i.basename.includes('/') && i.basename !== '.' && i.basename !== '..')
      .map((i) => (i.type === 'directory' ? `${i.basename}/` : i.basename))
      .sort()
  }

  /** MKCOL of each parent of `rel`, top down; an existing collection (405) is fine. */
  async function makeParents(rel: string): Promise<void> {
    const segs = relSegments(rel)
    for (let i = 1; i < segs.length; i++) {
      const dir = segs.slice(0, i).join('/')
      try {
        await attempt((signal) => client.createDirectory(davPath(dir), { signal }))
      } catch (e) {
        if (statusOf(e) === 405 || statusOf(e) === 301) continue
        throw fail(e, 'write', dir)
      }
    }
  }

  /**
   * True when a failed PUT or MOVE to `rel` failed because its folder does not exist yet: the
   * standard answer is 409, some servers answer 500 (webdav-server) or 404, so the folder is asked.
   */
  async function parentMissing(e: unknown, rel: string): Promise<boolean> {
    const status = statusOf(e)
    if (status === 409) return true
    if (status !== 500 && status !== 404) return false
    const segs = relSegments(rel)
    return segs.length > 1 && (await statOrNull(segs.slice(0, -1).join('/'), 'write')) === null
  }

  const sameAs = async (rel: string, bytes: Uint8Array): Promise<Results['shared:writeIfAbsent']> => {
    try {
      const current = await read(rel, bytes.byteLength, 'write')
      return { written: false, same: Buffer.compare(current, bytes) === 0 }
    } catch (e) {
      if (e instanceof DeskError && e.code === 'FILE_TOO_LARGE') return { written: false, same: false }
      throw e
    }
  }

  async function writeIfAbsent(rel: string, bytes: Uint8Array): Promise<Results['shared:writeIfAbsent']> {
    const segs = relSegments(rel)
    if (segs[0]?.toLowerCase() === paths.tmpDir) throw new DeskError('OUTSIDE_ROOT', `不能直接写入临时文件夹：${rel}`)
    const target = segs.join('/')
    // Most republishes find the file there already: no need to upload it to learn that.
    if (await statOrNull(target, 'write')) return sameAs(target, bytes)
    const tmp = paths.tmpFile(randomUUID())
    let moved = false
    try {
      const put = () => attempt((signal) => client.putFileContents(davPath(tmp), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { signal, overwrite: true, contentLength: bytes.byteLength }), bytes.byteLength)
      try {
        await put()
      } catch (e) {
        if (!(await parentMissing(e, tmp))) throw fail(e, 'write', target)
        await makeParents(tmp)
        await put().catch((e2: unknown) => { throw fail(e2, 'write', target) })
      }
      const move = () => attempt((signal) => client.moveFile(davPath(tmp), davPath(target), { signal, overwrite: false }), bytes.byteLength)
      try {
        await move()
      } catch (e) {
        if (statusOf(e) === 412) return await sameAs(target, bytes)
        if (!(await parentMissing(e, target))) throw fail(e, 'write', target)
        await makeParents(target)
        try {
          await move()
        } catch (e2) {
          if (statusOf(e2) === 412) return await sameAs(target, bytes)
          throw fail(e2, 'write', target)
        }
      }
      moved = true
      // Read back and compare, as the folder does (a proxy or a full disk may have cut the body short).
      let back: Uint8Array | null
      try {
        back = await read(target, bytes.byteLength, 'write')
      } catch (e) {
        if (e instanceof DeskError && (e.code === 'FILE_TOO_LARGE' || e.code === 'NOT_ALLOWED_FILE')) back = null
        else if ((e as { code?: string }).code === 'ENOENT') back = null
        else throw e
      }
      if (!back || Buffer.compare(back, bytes) !== 0) {
        await attempt((signal) => client.deleteFile(davPath(target), { signal })).catch(() => undefined)
        throw new DeskError('VERIFY_FAILED', `写入 WebDAV 服务器后校验失败（网络中断？），稍后会重试：${target}`)
      }
      return { written: true }
    } finally {
      // A dropped or refused upload may have left part of it in tmp/: never under the final name.
      if (!moved) await attempt((signal) => client.deleteFile(davPath(tmp), { signal })).catch(() => undefined)
    }
  }

  async function remove(rel: string): Promise<Results['shared:remove']> {
    const st = await statOrNull(rel, 'write')
    if (!st) return { removed: false }
    if (st.type !== 'file') throw new DeskError('NOT_ALLOWED_FILE', `只能删除文件：${rel}`)
    try {
      await attempt((signal) => client.deleteFile(davPath(rel), { signal }))
      return { removed: true }
    } catch (e) {
      if (statusOf(e) === 404) return { removed: false }
      throw fail(e, 'write', rel)
    }
  }

  return {
    where: o.url,
    list,
    read: (rel, limit) => read(rel, limit),
    writeIfAbsent,
    remove,
    isFile: async (rel) => (await statOrNull(rel, 'read'))?.type === 'file',
    async names(dir) {
      try {
        return (await list(dir)).map((n) => (n.endsWith('/') ? n.slice(0, -1) : n))
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return []
        throw e
      }
    },
  }
}

// ------------------------------------------------------------------ as the handlers use it

/** The backend for the settings' WebDAV target, or AUTH_FAILED without a (usable) password. */
export async function webdavBackendFor(deps: HandlerDeps, target: WebdavTarget): Promise<SharedBackend> {
  const state = stateOf(deps)
  const password = await passwordOf(deps)
  if (password === null) {
    throw new DeskError('AUTH_FAILED', `尚未输入 WebDAV 密码（${target.username}）：同步已暂停，请在“设置 → 同步”中输入密码`)
  }
  const key = credKey(target, password)
  // Not retried blindly: a refused password is not sent again until the clerk types one.
  if (state.refused === key) throw authFailed()
  return createDavBackend({
    url: target.url, username: target.username, password, clock: deps.clock ?? realClock,
    ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}),
    onOutcome: (f) => {
      if (f?.code === 'AUTH_FAILED') state.refused = key
      state.problem = f ? { code: f.code, message: f.message } : undefined
    },
  })
}

/** What the sync page shows about the WebDAV target (never the password). */
export async function webdavStatus(deps: HandlerDeps, target: WebdavTarget): Promise<WebdavInfo> {
  const state = stateOf(deps)
  const hasPassword = (await passwordOf(deps)) !== null
  const info: WebdavInfo = { url: target.url, username: target.username, hasPassword, insecure: isInsecure(target.url), timeoutMs: target.timeoutMs ?? WEBDAV_TIMEOUT_MS }
  if (state.problem) info.problem = state.problem
  else if (!hasPassword) info.problem = { code: 'AUTH_FAILED', message: '尚未输入 WebDAV 密码：请输入密码后同步' }
  return info
}

/**
 * shared:webdavSet — uses this WebDAV server from now on. The password is sealed by the OS
 * (remembered: true) or, without protected storage, kept until the app quits (remembered: false);
 * no password in the request keeps the one stored, for the same address and user only.
 */
export async function sharedWebdavSet(deps: HandlerDeps, req: ChannelRequest<'shared:webdavSet'>): Promise<Results['shared:webdavSet']> {
  const url = normaliseDavUrl(req.url)
  const state = stateOf(deps)
  let remembered = deps.secrets ? (await deps.secrets.available()) && (await deps.secrets.get('webdavPassword')) !== null : false
  if (req.password !== undefined) {
    remembered = deps.secrets ? await deps.secrets.set('webdavPassword', req.password) : false
    state.sessionPassword = remembered ? undefined : req.password
  } else {
    // No password typed: the one kept was entered for the saved address and user, and is never sent to another.
    const saved = sharedTarget(await deps.settings.get())
    const same = saved?.kind === 'webdav' && saved.url === url && saved.username === req.username
    if (!same) throw new DeskError('AUTH_FAILED', '更换了 WebDAV 地址或用户名：请输入这个服务器的密码（已保存的密码只用于原来的服务器）')
    if ((await passwordOf(deps)) === null) throw new DeskError('AUTH_FAILED', '请输入 WebDAV 密码')
  }
  const target: WebdavTarget = { kind: 'webdav', url, username: req.username, ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}) }
  await deps.settings.update({ shared: target, sharedRoot: undefined })
  // A new password (or address) is worth one more try; the old failure no longer stands.
  state.refused = undefined
  state.problem = undefined
  return { url, remembered, insecure: isInsecure(url) }
}

/**
 * shared:webdavTest (测试连接) — tries the address with these credentials without saving them:
 * PROPFIND of the folder, then its entries and its vault.json (for the page's "empty / this
 * office's / another office's" line). Failures come back as the codes above, in plain zh-CN.
 * No password in the request uses the stored one when the address and user are the saved ones.
 */
export async function sharedWebdavTest(deps: HandlerDeps, req: ChannelRequest<'shared:webdavTest'>): Promise<Results['shared:webdavTest']> {
  const url = normaliseDavUrl(req.url)
  let password = req.password
  if (password === undefined) {
    const saved = sharedTarget(await deps.settings.get())
    if (saved?.kind === 'webdav' && saved.url === url && saved.username === req.username) password = (await passwordOf(deps)) ?? undefined
  }
  if (password === undefined) throw new DeskError('AUTH_FAILED', '请输入 WebDAV 密码')
  const client = clientFor(url, req.username, password)
  const timeout = req.timeoutMs ?? WEBDAV_TIMEOUT_MS
  // The folder itself: a WebDAV collection answers PROPFIND with 207 and XML.
  try {
    const res = await client.customRequest('/', { method: 'PROPFIND', headers: { Depth: '0', 'Content-Type': 'application/xml' }, signal: AbortSignal.timeout(timeout) })
    const type = res.headers.get('content-type') ?? ''
    if (res.status !== 207 || !/xml/i.test(type)) {
      throw new DeskError('NOT_WEBDAV', `这个地址不是 WebDAV 文件夹（服务器的回答是 ${res.status}${type ? `，${type.split(';')[0]}` : ''}）：请检查地址，例如 Nextcloud 的地址以 /remote.php/dav/files/用户名/ 结尾`)
    }
  } catch (e) {
    const f = davFailure(e, 'read', '', url)
    // Nothing is paused by a test: the clerk just types the password again.
    if (f.code === 'AUTH_FAILED') throw new DeskError('AUTH_FAILED', 'WebDAV 用户名或密码不正确（服务器拒绝登录）：请检查后重新输入。坚果云要填写“第三方应用密码”，不是登录密码')
    if (f.code === 'NOT_FOUND') throw new DeskError('NOT_FOUND', `WebDAV 服务器上没有这个文件夹：请先在 NAS 或网盘的网页上建好它（例如 MarketDesk），或检查地址：${url}`)
    throw f
  }
  const b = createDavBackend({ url, username: req.username, password, timeoutMs: timeout, clock: deps.clock ?? realClock })
  const entries = (await b.list('')).map((n) => (n.endsWith('/') ? n.slice(0, -1) : n))
  let vault: string | null = null
  if (entries.includes(SHARE_MARKER)) vault = new TextDecoder().decode(await b.read(SHARE_MARKER, SMALL_FILE_MAX))
  // Can this account write? Only a write says so; the connection test stays read-only, so the
  // page learns it from the first sync (READ_ONLY) instead.
  return { entries, vault, insecure: isInsecure(url) }
}
