/**
 * Issue 11: the `shared:*` handlers over a real WebDAV server (webdav-server on an ephemeral port,
 * Basic auth, files in a temp folder), with a proxy in front for the answers it never gives (403,
 * 423, 503, 507, silence, a connection cut mid-upload). The same contract as the folder's tests:
 * never overwrite, nothing partial under a final name, limits before bytes, own files only.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFolderTransport } from '../../../renderer/src/sync/folder-transport'
import { TransportError } from '../../../renderer/core/sync/transport'
import type { DeskApi } from '../../shared/ipc'
import { fakeClock, makeFixture, makeWebdavFixture, type Fixture } from './test-fixture'
import { startDavServer, type DavServer } from './webdav-test-server'

const USER = 'kefu'
const PASS = '正确的密码-1'
const enc = (s: string) => new TextEncoder().encode(s)
const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code)
const SEG = (n: number, pc = 'PC01') => `pcs/${pc}/seg/${String(n).padStart(10, '0')}.seg`

let dav: DavServer | undefined
let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  await dav?.stop()
  fx = undefined
  dav = undefined
})

/** A server and a PC configured for it (as the sync page does), optionally with a vault and PC01 claimed. */
async function setup(opts: { vault?: boolean; timeoutMs?: number } = {}) {
  dav = await startDavServer({ users: [{ name: USER, password: PASS }] })
  const clock = fakeClock()
  fx = await makeWebdavFixture({ url: dav.url, username: USER, password: PASS, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }, { clock })
  if (opts.vault !== false) {
    expect(await fx.h['shared:writeIfAbsent']({ rel: 'vault.json', bytes: enc('{"id":"V1"}') })).toEqual({ ok: true, value: { written: true } })
    expect(await fx.h['shared:claimPc']({ pc: 'PC01' })).toEqual({ ok: true, value: { pc: 'PC01' } })
  }
  return { dav, fx, clock, files: path.join(dav.dir, 'marketdesk') }
}

/** Requests the proxy saw from index `from` on, as `METHOD /path`. */
const seen = (from = 0) => dav!.requests.slice(from).map((r) => `${r.method} ${r.path}`)

/** `window.desk`'s shared functions over the handlers, as the preload would give them. */
const deskOf = (f: Fixture) => ({
  sharedList: (r) => f.h['shared:list'](r),
  sharedRead: (r) => f.h['shared:read'](r),
  sharedWriteIfAbsent: (r) => f.h['shared:writeIfAbsent'](r),
  sharedRemove: (r) => f.h['shared:remove'](r),
  sharedClaimPc: (r) => f.h['shared:claimPc'](r),
}) satisfies Pick<DeskApi, 'sharedList' | 'sharedRead' | 'sharedWriteIfAbsent' | 'sharedRemove' | 'sharedClaimPc'>

describe('WebDAV: the four operations', () => {
  it('publishes through tmp/ and MOVE, lists folders as the folder backend marks them, reads back', async () => {
    const { fx, files } = await setup()
    expect(await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('one') })).toEqual({ ok: true, value: { written: true } })
    expect(await readFile(path.join(files, ...SEG(1).split('/')), 'utf8')).toBe('one')
    expect(await fx.h['shared:list']({ dir: '' })).toEqual({ ok: true, value: ['pcs/', 'tmp/', 'vault.json'] })
    expect(await fx.h['shared:list']({ dir: 'pcs/PC01/seg' })).toEqual({ ok: true, value: ['0000000001.seg'] })
    expect(await fx.h['shared:read']({ rel: SEG(1) })).toEqual({ ok: true, value: enc('one') })
    // Nothing left in tmp/ on the server.
    expect(await readdir(path.join(files, 'tmp'))).toEqual([])
    // The upload went to a .part name, and only a MOVE put it under its final name.
    const put = dav!.requests.find((r) => r.method === 'PUT' && r.path.startsWith('/tmp/'))
    expect(put?.path).toMatch(/^\/tmp\/[0-9a-f-]{36}\.part$/)
    expect(dav!.requests.some((r) => r.method === 'PUT' && r.path === `/${SEG(1)}`)).toBe(false)
  })

  it('never overwrites: a second write keeps the first bytes and says whether they match', async () => {
    const { fx, files } = await setup()
    await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('first') })
    expect(await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('second') })).toEqual({ ok: true, value: { written: false, same: false } })
    expect(await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('first') })).toEqual({ ok: true, value: { written: false, same: true } })
    expect(await readFile(path.join(files, ...SEG(1).split('/')), 'utf8')).toBe('first')
  })

  it('never overwrites even when the file appears between the check and the MOVE (412 from Overwrite: F)', async () => {
    const { fx, files } = await setup()
    await mkdir(path.join(files, 'pcs', 'PC01', 'seg'), { recursive: true })
    // The first PROPFIND of the target says "not there"; another writer's file lands before the MOVE.
    let raced = false
    dav!.rule = (r) => {
      if (!raced && r.method === 'PROPFIND' && r.path === `/${SEG(1)}`) {
        raced = true
        return { status: 404 }
      }
      return undefined
    }
    await writeFile(path.join(files, ...SEG(1).split('/')), 'theirs')
    const before = dav!.requests.length
    expect(await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('mine') })).toEqual({ ok: true, value: { written: false, same: false } })
    expect(seen(before).filter((s) => s.startsWith('MOVE'))).toHaveLength(1)
    expect(await readFile(path.join(files, ...SEG(1).split('/')), 'utf8')).toBe('theirs')
    expect(await readdir(path.join(files, 'tmp'))).toEqual([])
  })

  it('a missing folder is NOT_FOUND to the handler and [] to the transport; a missing file is ENOENT', async () => {
    const { fx } = await setup()
    expect(codeOf(await fx.h['shared:list']({ dir: 'pcs/PC09' }))).toBe('NOT_FOUND')
    expect(codeOf(await fx.h['shared:read']({ rel: SEG(7) }))).toBe('NOT_FOUND')
    const t = createFolderTransport(deskOf(fx))
    expect(await t.list('pcs/PC09/seg')).toEqual([])
    await expect(t.read(SEG(7))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses a file over the limit from its size, without downloading it', async () => {
    const { fx, files } = await setup()
    await mkdir(path.join(files, 'pcs', 'PC02'), { recursive: true })
    await writeFile(path.join(files, 'pcs', 'PC02', 'status.json'), 'x'.repeat(70 * 1024))
    const before = dav!.requests.length
    const r = await fx.h['shared:read']({ rel: 'pcs/PC02/status.json' })
    expect(codeOf(r)).toBe('FILE_TOO_LARGE')
    // Status files are limited to 64 KB by name; the PROPFIND said 70 KB, so no GET was sent.
    expect(seen(before)).toEqual(['PROPFIND /pcs/PC02/status.json'])
    const small = await fx.h['shared:read']({ rel: 'vault.json', maxBytes: 3 })
    expect(codeOf(small)).toBe('FILE_TOO_LARGE')
    await expect(createFolderTransport(deskOf(fx)).read('pcs/PC02/status.json')).rejects.toMatchObject({ code: 'EFBIG' })
  })

  it('removes its own file once; a folder is refused', async () => {
    const { fx, files } = await setup()
    await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('x') })
    expect(await fx.h['shared:remove']({ rel: SEG(1) })).toEqual({ ok: true, value: { removed: true } })
    expect(await fx.h['shared:remove']({ rel: SEG(1) })).toEqual({ ok: true, value: { removed: false } })
    await mkdir(path.join(files, 'pcs', 'PC01', 'seg', 'sub'))
    expect(codeOf(await fx.h['shared:remove']({ rel: 'pcs/PC01/seg/sub' }))).toBe('NOT_ALLOWED_FILE')
    expect(await readdir(path.join(files, 'pcs', 'PC01', 'seg'))).toEqual(['sub'])
  })
})

describe('WebDAV: the guards of the folder apply', () => {
  it('refuses paths outside the root before any request', async () => {
    const { fx } = await setup()
    const before = dav!.requests.length
    for (const rel of ['../x.seg', '/etc/passwd', 'pcs/PC01/../../x', 'C:\\x', 'pcs/PC01/seg/con.seg']) {
      expect(codeOf(await fx.h['shared:read']({ rel }))).toBe('OUTSIDE_ROOT')
      expect(codeOf(await fx.h['shared:writeIfAbsent']({ rel, bytes: enc('x') }))).toBe('OUTSIDE_ROOT')
    }
    expect(codeOf(await fx.h['shared:list']({ dir: '..' }))).toBe('OUTSIDE_ROOT')
    expect(seen(before)).toEqual([])
  })

  it("refuses another PC's file and tmp/, before uploading anything", async () => {
    const { fx, files } = await setup()
    const before = dav!.requests.length
    for (const rel of [SEG(1, 'PC02'), 'pcs/PC02/status.json', 'tmp/x.part', 'snapshots/PC02-0000000001.snap']) {
      const code = codeOf(await fx.h['shared:writeIfAbsent']({ rel, bytes: enc('x') }))
      expect(['NOT_OWN_FILE', 'OUTSIDE_ROOT']).toContain(code)
    }
    expect(dav!.requests.slice(before).filter((r) => r.method === 'PUT' || r.method === 'MOVE')).toEqual([])
    expect(await readdir(files)).toEqual(['tmp', 'vault.json'])
  })

  it('writes nothing but the vault into a folder without vault.json (a wrong or emptied folder)', async () => {
    const { fx, files } = await setup({ vault: false })
    await fx.h['shared:claimPc']({ pc: 'PC01' })
    const r = await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('x') })
    expect(codeOf(r)).toBe('SHARED_UNAVAILABLE')
    expect(await readdir(files)).toEqual([])
  })

  it('keeps the password out of settings.json and out of the renderer', async () => {
    const { fx } = await setup({ vault: false })
    const settings = await readFile(path.join(fx.userData, 'settings.json'), 'utf8')
    expect(JSON.parse(settings)).toEqual({ shared: { kind: 'webdav', url: dav!.url, username: USER } })
    expect(settings).not.toContain(PASS)
    expect(await readFile(path.join(fx.userData, 'secrets.json'), 'utf8')).not.toContain(PASS)
    expect(codeOf(await fx.h['secret:get']({ name: 'webdavPassword' }))).toBe('BAD_REQUEST')
    const cur = await fx.h['shared:current']({})
    expect(JSON.stringify(cur)).not.toContain(PASS)
    expect(cur).toMatchObject({ ok: true, value: { root: dav!.url, webdav: { username: USER, hasPassword: true, insecure: true } } })
  })

  it('never sends the kept password to another address or user: a changed server needs its password typed', async () => {
    const { fx } = await setup({ vault: false })
    const other = await startDavServer({ users: [{ name: USER, password: PASS }] })
    try {
      const moved = await fx.h['shared:webdavSet']({ url: other.url, username: USER })
      expect(codeOf(moved)).toBe('AUTH_FAILED')
      expect(!moved.ok && moved.message).toContain('请输入这个服务器的密码')
      expect(codeOf(await fx.h['shared:webdavSet']({ url: dav!.url, username: 'caiwu' }))).toBe('AUTH_FAILED')
      // Still the saved server, and nothing at all reached the other one.
      expect(await fx.h['shared:list']({ dir: '' })).toEqual({ ok: true, value: [] })
      expect(other.requests).toEqual([])
      // The same server and user without a password keeps the one stored.
      expect(codeOf(await fx.h['shared:webdavSet']({ url: dav!.url, username: USER }))).toBe('ok')
    } finally {
      await other.stop()
    }
  })
})

describe('WebDAV: what the server answers', () => {
  it('a connection dropped mid-PUT leaves nothing under the final name, and the next try publishes', async () => {
    const { fx, files } = await setup()
    dav!.rule = (r) => (r.method === 'PUT' ? 'drop' : undefined)
    const r = await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('x'.repeat(200_000)) })
    expect(codeOf(r)).toBe('UNREACHABLE')
    expect(await readdir(path.join(files, 'pcs', 'PC01')).catch(() => [])).toEqual([])
    dav!.rule = undefined
    expect(await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('x'.repeat(200_000)) })).toEqual({ ok: true, value: { written: true } })
    expect((await readFile(path.join(files, ...SEG(1).split('/')))).length).toBe(200_000)
  })

  it('401: says to re-enter the password, pauses, and sends nothing more until it is re-entered', async () => {
    const { fx } = await setup()
    const set = await fx.h['shared:webdavSet']({ url: dav!.url, username: USER, password: 'wrong' })
    expect(codeOf(set)).toBe('ok')
    const r = await fx.h['shared:list']({ dir: '' })
    expect(codeOf(r)).toBe('AUTH_FAILED')
    expect(!r.ok && r.message).toMatch(/用户名或密码不正确.*重新输入密码/)
    const before = dav!.requests.length
    expect(codeOf(await fx.h['shared:read']({ rel: 'vault.json' }))).toBe('AUTH_FAILED')
    expect(codeOf(await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('x') }))).toBe('AUTH_FAILED')
    expect(seen(before)).toEqual([])
    const cur = await fx.h['shared:current']({})
    expect(cur.ok && cur.value.webdav?.problem?.code).toBe('AUTH_FAILED')
    // The renderer's transport pauses (UNAVAILABLE), it does not retry.
    await expect(createFolderTransport(deskOf(fx)).list('')).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    await fx.h['shared:webdavSet']({ url: dav!.url, username: USER, password: PASS })
    expect(await fx.h['shared:list']({ dir: '' })).toEqual({ ok: true, value: ['tmp/', 'vault.json'] })
    const after = await fx.h['shared:current']({})
    expect(after.ok && after.value.webdav?.problem).toBeUndefined()
  })

  it('403 on a write: no permission (a read-only account); the transport reports EROFS', async () => {
    const { fx, files } = await setup()
    dav!.rule = (r) => (r.method === 'PUT' || r.method === 'MOVE' || r.method === 'DELETE' ? { status: 403 } : undefined)
    const r = await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('x') })
    expect(codeOf(r)).toBe('READ_ONLY')
    expect(!r.ok && r.message).toMatch(/没有写入权限/)
    await expect(createFolderTransport(deskOf(fx)).writeIfAbsent(SEG(2), enc('y'))).rejects.toMatchObject({ code: 'EROFS' })
    expect(await readdir(path.join(files, 'pcs', 'PC01')).catch(() => [])).toEqual([])
  })

  it('507: the server is full (DISK_FULL), nothing under the final name', async () => {
    const { fx, files } = await setup()
    dav!.rule = (r) => (r.method === 'PUT' ? { status: 507 } : undefined)
    const r = await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('x') })
    expect(codeOf(r)).toBe('DISK_FULL')
    expect(!r.ok && r.message).toMatch(/空间已满/)
    expect(await readdir(path.join(files, 'pcs', 'PC01')).catch(() => [])).toEqual([])
  })

  it('423 Locked and 503 are retried with growing pauses, then succeed', async () => {
    const { fx, clock, files } = await setup()
    let busy = 2
    dav!.rule = (r) => (r.method === 'MOVE' && busy-- > 0 ? { status: busy === 1 ? 423 : 503 } : undefined)
    expect(await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('ok') })).toEqual({ ok: true, value: { written: true } })
    expect(clock.slept).toEqual([250, 500])
    expect(await readFile(path.join(files, ...SEG(1).split('/')), 'utf8')).toBe('ok')
  })

  it('a server busy for longer than the budget: BUSY (the engine retries), nothing under the final name', async () => {
    const { fx, clock, files } = await setup()
    dav!.rule = (r) => (r.method === 'MOVE' ? { status: 503 } : undefined)
    const r = await fx.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('ok') })
    expect(codeOf(r)).toBe('BUSY')
    const waited = clock.slept.reduce((a, b) => a + b, 0)
    expect(waited).toBeGreaterThan(20_000)
    expect(waited).toBeLessThanOrEqual(30_000)
    expect(await readdir(path.join(files, 'pcs', 'PC01')).catch(() => [])).toEqual([])
    expect(await readdir(path.join(files, 'tmp'))).toEqual([])
    await expect(createFolderTransport(deskOf(fx)).writeIfAbsent(SEG(1), enc('ok'))).rejects.toMatchObject({ code: 'EBUSY' })
  })

  it('a server that never answers: UNREACHABLE after the timeout, and the sync page is told', async () => {
    const { fx } = await setup({ timeoutMs: 300 })
    dav!.rule = () => 'hang'
    const r = await fx.h['shared:list']({ dir: '' })
    expect(codeOf(r)).toBe('UNREACHABLE')
    expect(!r.ok && r.message).toMatch(/无法连接.*没有在规定时间内响应/)
    const cur = await fx.h['shared:current']({})
    expect(cur.ok && cur.value.webdav?.problem?.code).toBe('UNREACHABLE')
    const t = createFolderTransport(deskOf(fx))
    await expect(t.read('vault.json')).rejects.toBeInstanceOf(TransportError)
    await expect(t.read('vault.json')).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  })
})

describe('测试连接 (shared:webdavTest)', () => {
  it('says what the folder holds when it works, without saving anything', async () => {
    const { fx } = await setup()
    const other = await makeFixture({ withSecrets: true })
    try {
      const r = await other.h['shared:webdavTest']({ url: dav!.url, username: USER, password: PASS })
      expect(r).toEqual({ ok: true, value: { entries: ['tmp', 'vault.json'], vault: '{"id":"V1"}', insecure: true } })
      expect((await other.deps.settings.get()).shared).toBeUndefined()
    } finally {
      await other.cleanup()
    }
    expect(fx).toBeDefined()
  })

  it('names each problem in plain zh-CN: wrong password, not WebDAV, no such folder, unreachable', async () => {
    await setup({ vault: false })
    const f = fx!
    const wrong = await f.h['shared:webdavTest']({ url: dav!.url, username: USER, password: 'nope' })
    expect(codeOf(wrong)).toBe('AUTH_FAILED')
    expect(!wrong.ok && wrong.message).toMatch(/用户名或密码不正确.*请检查后重新输入/)
    // A test pauses nothing and latches nothing: the saved settings keep working.
    expect(!wrong.ok && wrong.message).not.toMatch(/同步已暂停/)

    // An ordinary web page at the address.
    const web = http.createServer((_q, s) => { s.writeHead(200, { 'Content-Type': 'text/html' }); s.end('<html>NAS</html>') })
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()))
    try {
      const page = await f.h['shared:webdavTest']({ url: `http://127.0.0.1:${(web.address() as AddressInfo).port}/`, username: USER, password: PASS })
      expect(codeOf(page)).toBe('NOT_WEBDAV')
      expect(!page.ok && page.message).toMatch(/不是 WebDAV 文件夹/)
    } finally {
      await new Promise<void>((r) => web.close(() => r()))
    }

    const missing = await f.h['shared:webdavTest']({ url: dav!.url.replace('/marketdesk/', '/nothing-here/'), username: USER, password: PASS })
    expect(codeOf(missing)).toBe('NOT_FOUND')
    expect(!missing.ok && missing.message).toMatch(/没有这个文件夹/)

    const closed = await f.h['shared:webdavTest']({ url: 'http://127.0.0.1:9/dav/', username: USER, password: PASS, timeoutMs: 2000 })
    expect(codeOf(closed)).toBe('UNREACHABLE')
    expect(!closed.ok && closed.message).toMatch(/无法连接/)

    const bad = await f.h['shared:webdavTest']({ url: 'https://kefu:pw@nas.local/dav/', username: USER, password: PASS })
    expect(codeOf(bad)).toBe('BAD_REQUEST')
    expect(codeOf(await f.h['shared:webdavTest']({ url: 'ftp://nas.local/', username: USER, password: PASS }))).toBe('BAD_REQUEST')
  })
})

/** A self-signed certificate made with the openssl CLI (none is kept in the repository). */
async function selfSigned(dir: string): Promise<{ key: Buffer; cert: Buffer } | null> {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' })
  } catch {
    return null
  }
  return { key: await readFile(path.join(dir, 'k.pem')), cert: await readFile(path.join(dir, 'c.pem')) }
}

describe('测试连接 over https', () => {
  it('says the certificate is not trusted when the NAS presents a self-signed one', async (ctx) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'desk-cert-'))
    const pair = await selfSigned(dir)
    if (!pair) {
      await rm(dir, { recursive: true, force: true })
      ctx.skip()
      return
    }
    const server = https.createServer(pair, (_q, s) => { s.writeHead(207, { 'Content-Type': 'application/xml' }); s.end('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"/>') })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const f = await makeFixture({ withSecrets: true })
    try {
      const r = await f.h['shared:webdavTest']({ url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/MarketDesk/`, username: USER, password: PASS })
      expect(codeOf(r)).toBe('CERT_INVALID')
      expect(!r.ok && r.message).toMatch(/证书不受信任/)
    } finally {
      await f.cleanup()
      await new Promise<void>((r) => server.close(() => r()))
      await rm(dir, { recursive: true, force: true })
    }
  })
})
