/**
 * A real WebDAV server for tests (webdav-server v2 over a temp folder, Basic auth), behind a tiny
 * HTTP proxy that can answer what webdav-server never does: 403, 423, 503, 507, a server that
 * never answers, a connection dropped in the middle of an upload. Used by the main-process tests,
 * the renderer's two-PC tests and e2e (not shipped: only tests import it).
 *
 *   const dav = await startDavServer({ users: [{ name: 'kefu', password: 'pw' }] })
 *   dav.url            // http://127.0.0.1:<port>/marketdesk/ (through the proxy)
 *   dav.dir            // the folder the server keeps its files in (inspect it with node:fs)
 *   dav.rule = (r) => (r.method === 'PUT' ? { status: 507 } : undefined)
 *   await dav.stop()
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { v2 as dav } from 'webdav-server'

/** What the proxy does with one request instead of passing it on. */
export type DavFault =
  | { status: number; retryAfter?: number }
  /** Never answers (the socket stays open until the client gives up). */
  | 'hang'
  /** Passes the request on, but cuts the connection after half of its body (a dropped upload). */
  | 'drop'

/** One request as the proxy saw it. */
export interface DavRequest {
  method: string
  /** The path below the server's base, decoded (`/tmp/x.part`). */
  path: string
  authorized: boolean
}

export interface DavServer {
  /** The address clients use (through the proxy), ending in '/'. */
  url: string
  /** The folder holding the served files. */
  dir: string
  /** Every request the proxy received, in order. */
  requests: DavRequest[]
  /** Decides per request whether to inject a fault; undefined passes it on. */
  rule: ((r: DavRequest) => DavFault | undefined) | undefined
  stop(): Promise<void>
}

export interface DavServerOptions {
  users: Array<{ name: string; password: string }>
  /** Path of the sync folder on the server (default `marketdesk`), created empty. */
  base?: string
}

/**
 * webdav-server's Basic auth, reading the header as RFC 7617 says: its parser accepts no '+' or
 * '/' in the base64 and cuts a password at a second ':', so many UTF-8 (Chinese) passwords, which
 * real servers take, would fail against it.
 */
class Utf8BasicAuthentication extends dav.HTTPBasicAuthentication {
  override getUser(ctx: dav.HTTPRequestContext, callback: (error: Error, user: dav.IUser) => void): void {
    const header = ctx.headers.find('Authorization') ?? ''
    const m = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/.exec(header)
    const fail = (e: Error) => this.userManager.getDefaultUser((u) => callback(e, u))
    if (!m) return fail(header ? dav.Errors.WrongHeaderFormat : dav.Errors.MissingAuthorisationHeader)
    const text = Buffer.from(m[1] as string, 'base64').toString('utf8')
    const colon = text.indexOf(':')
    this.userManager.getUserByNamePassword(text.slice(0, colon), text.slice(colon + 1), (e, user) => (e ? fail(dav.Errors.BadAuthentication) : callback(null as unknown as Error, user as dav.IUser)))
  }
}

/** Starts webdav-server on an ephemeral port with its proxy in front. */
export async function startDavServer(opts: DavServerOptions): Promise<DavServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'desk-dav-'))
  const base = opts.base ?? 'marketdesk'
  await mkdir(path.join(dir, base))
  const users = new dav.SimpleUserManager()
  const rights = new dav.SimplePathPrivilegeManager()
  for (const u of opts.users) rights.setRights(users.addUser(u.name, u.password, false), '/', ['all'])
  const server = new dav.WebDAVServer({
    port: 0,
    hostname: '127.0.0.1',
    httpAuthentication: new Utf8BasicAuthentication(users, 'MarketDesk test'),
    privilegeManager: rights,
    rootFileSystem: new dav.PhysicalFileSystem(dir),
  })
  const httpServer = await new Promise<http.Server>((resolve) => server.start((s) => resolve(s as http.Server)))
  const upstream = (httpServer.address() as AddressInfo).port

  const sockets = new Set<Socket>()
  const state: DavServer = {
    url: '',
    dir,
    requests: [],
    rule: undefined,
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => proxy.close(() => r()))
      await new Promise<void>((r) => server.stop(() => r()))
      await rm(dir, { recursive: true, force: true })
    },
  }
  const prefix = `/${base}`
  const proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const below = decodeURIComponent(url.pathname).slice(prefix.length) || '/'
    const seen: DavRequest = { method: req.method ?? '', path: below, authorized: !!req.headers.authorization }
    state.requests.push(seen)
    const fault = state.rule?.(seen)
    if (fault === 'hang') return
    if (fault && typeof fault === 'object') {
      req.resume()
      req.on('end', () => {
        res.writeHead(fault.status, fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {})
        res.end()
      })
      return
    }
    const out = http.request({ host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${upstream}` } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    out.on('error', () => res.destroy())
    if (fault === 'drop') {
      const half = Math.floor(Number(req.headers['content-length'] ?? 0) / 2)
      let sent = 0
      req.on('data', (chunk: Buffer) => {
        if (sent >= half) return
        const part = chunk.subarray(0, Math.max(0, half - sent))
        sent += part.length
        out.write(part)
        if (sent >= half) {
          // The network goes: both connections die with half the body sent.
          out.destroy()
          req.socket.destroy()
        }
      })
      return
    }
    req.pipe(out)
  })
  proxy.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()))
  state.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${prefix}/`
  return state
}
