/**
 * Test helper (issue 11): shares for the sync fault suites (renderer/core/sync/fault-suite.ts) on
 * real transports. `folderShare` runs each PC through the renderer's folder transport and its own
 * main-process `shared:*` handlers onto one temp folder; the tests touch that folder on disk through
 * `DiskFolder`, as an editor, a cloud client or a backup tool would. `webdavShare` runs the same
 * transport and handlers over their WebDAV backend onto a local webdav-server (ephemeral port)
 * whose PhysicalFileSystem serves a temp folder, so the same damage on disk is what the server
 * serves. Only tests and benchmarks import this file.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { FolderHandleBase } from '@core/sync/fault-injection'
import type { SimShare } from '@core/sync/sim'
import type { SyncTransport } from '@core/sync/transport'
import { makeFixture, makeWebdavFixture, type Fixture } from '../../../electron/main/ipc/test-fixture'
import { v2 as dav } from 'webdav-server'
import { createFolderTransport } from './folder-transport'
import { deskOf } from './test-office'

const errno = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code ?? ''

/** A real directory as the tests touch it from outside the app (synchronous, like `MemoryFolder`). */
export class DiskFolder extends FolderHandleBase {
  constructor(readonly root: string) {
    super()
  }

  protected readFile(rel: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(this.abs(rel)))
    } catch (e) {
      if (['ENOENT', 'EISDIR', 'ENOTDIR'].includes(errno(e))) return undefined
      throw e
    }
  }

  protected writeFile(rel: string, bytes: Uint8Array): void {
    mkdirSync(path.dirname(this.abs(rel)), { recursive: true })
    writeFileSync(this.abs(rel), bytes)
  }

  /** Removes the file and the folders it leaves empty, so a wiped PC leaves no folder (as in memory). */
  protected unlinkFile(rel: string): void {
    rmSync(this.abs(rel), { force: true })
    for (let dir = path.dirname(this.abs(rel)); dir.startsWith(`${this.root}${path.sep}`); dir = path.dirname(dir)) {
      try {
        rmdirSync(dir)
      } catch {
        break
      }
    }
  }

  protected allFiles(): string[] {
    const out: string[] = []
    const walk = (dir: string, prefix: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name), `${prefix}${e.name}/`)
        else if (e.isFile()) out.push(`${prefix}${e.name}`)
      }
    }
    walk(this.root, '')
    return out
  }

  private abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'))
  }
}

/** A transport made on first use (a view's main process is set up asynchronously, views are made synchronously). */
export function lazyTransport(make: () => Promise<SyncTransport>): SyncTransport {
  let made: Promise<SyncTransport> | undefined
  const get = () => (made ??= make())
  return {
    list: async (dir) => (await get()).list(dir),
    read: async (rel, opts) => (await get()).read(rel, opts),
    writeIfAbsent: async (rel, bytes) => (await get()).writeIfAbsent(rel, bytes),
    remove: async (rel) => (await get()).remove(rel),
  }
}

/** A share on a temp folder; each PC view has its own main-process handlers (own settings, own claimed PC id). */
export async function folderShare(): Promise<SimShare> {
  const root = mkdtempSync(path.join(tmpdir(), 'desk-faults-'))
  const fixtures: Fixture[] = []
  return {
    folder: new DiskFolder(root),
    transport: () => lazyTransport(async () => {
      const fx = await makeFixture()
      fixtures.push(fx)
      await fx.deps.settings.update({ sharedRoot: root })
      return createFolderTransport(deskOf(fx))
    }),
    async close() {
      for (const fx of fixtures.splice(0)) await fx.cleanup()
      await rm(root, { recursive: true, force: true })
    },
  }
}

/** A local webdav-server (in-process, ephemeral port, Basic auth) serving a temp folder, with its requests counted. */
export interface LocalDav {
  /** The sync folder's address, ending in '/'. */
  url: string
  /** The folder on disk the server serves at `url`. */
  dir: string
  user: { name: string; password: string }
  /** Requests received, per HTTP method. */
  requests: Record<string, number>
  stop(): Promise<void>
}

/**
 * Starts webdav-server over a temp folder. Unlike the main-process tests' server
 * (webdav-test-server.ts) it has no fault proxy in front: faults come from `FaultyTransport`
 * here, and every request would otherwise cross two HTTP hops.
 */
export async function startLocalDav(): Promise<LocalDav> {
  // ASCII on purpose: webdav-server's Basic parser accepts no '+' or '/' in the base64 (a quirk of the test server only).
  const user = { name: 'kefu', password: 'office-pw-1' }
  const root = mkdtempSync(path.join(tmpdir(), 'desk-dav-faults-'))
  mkdirSync(path.join(root, 'marketdesk'))
  const users = new dav.SimpleUserManager()
  const rights = new dav.SimplePathPrivilegeManager()
  rights.setRights(users.addUser(user.name, user.password, false), '/', ['all'])
  const server = new dav.WebDAVServer({
    port: 0, hostname: '127.0.0.1',
    httpAuthentication: new dav.HTTPBasicAuthentication(users, 'MarketDesk test'),
    privilegeManager: rights,
    rootFileSystem: new dav.PhysicalFileSystem(root),
  })
  const requests: Record<string, number> = {}
  server.beforeRequest((ctx, next) => {
    requests[ctx.request.method ?? '?'] = (requests[ctx.request.method ?? '?'] ?? 0) + 1
    next()
  })
  const listening = await new Promise<http.Server>((resolve, reject) => server.start((s) => (s ? resolve(s) : reject(new Error('webdav-server did not start')))))
  return {
    url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}/marketdesk/`,
    dir: path.join(root, 'marketdesk'),
    user,
    requests,
    async stop() {
      await new Promise<void>((r) => server.stop(() => r()))
      await rm(root, { recursive: true, force: true })
    },
  }
}

/** A share on a local WebDAV server; each PC view has its own handlers configured for it as the sync page does. */
export async function webdavShare(): Promise<SimShare & { dav: LocalDav }> {
  const server = await startLocalDav()
  const fixtures: Fixture[] = []
  return {
    dav: server,
    folder: new DiskFolder(server.dir),
    transport: () => lazyTransport(async () => {
      const fx = await makeWebdavFixture({ url: server.url, username: server.user.name, password: server.user.password })
      fixtures.push(fx)
      return createFolderTransport(deskOf(fx))
    }),
    async close() {
      for (const fx of fixtures.splice(0)) await fx.cleanup()
      await server.stop()
    },
  }
}
