/**
 * Wiring of electron/main/index.ts without an Electron binary: the esbuild bundle (as `npm run
 * build` makes it) is loaded with a fake `electron` module, and we check what the real app would
 * do: window settings, app:// protocol, permissions, navigation policy, IPC sender checks.
 */
import { build } from 'esbuild'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import Module, { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Channel } from '../shared/ipc'

type Fn = (...a: any[]) => any // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string
let bundle: string

function fakeElectron(opts: { lock: boolean }) {
  const rec = {
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, Fn>(),
    appEvents: new Map<string, Fn>(),
    ipc: new Map<string, Fn>(),
    windows: [] as Array<{ opts: any; url?: string; webContents: any; listeners: Map<string, Fn> }>, // eslint-disable-line @typescript-eslint/no-explicit-any
    permissionRequest: undefined as Fn | undefined,
    permissionCheck: undefined as Fn | undefined,
    quit: 0,
    opened: [] as string[],
  }
  class BrowserWindow {
    listeners = new Map<string, Fn>()
    webContents = {
      mainFrame: { url: 'app://marketdesk/index.html', parent: null },
      loaded: [] as string[],
      on: (ev: string, fn: Fn) => void this.listeners.set(`contents:${ev}`, fn),
      isDestroyed: () => false,
      loadURL: async (url: string) => void this.webContents.loaded.push(url),
      forcefullyCrashRenderer: () => undefined,
    }
    opts: unknown
    constructor(o: unknown) {
      this.opts = o
      rec.windows.push(this as never)
    }
    once() {}
    on(ev: string, fn: Fn) {
      this.listeners.set(ev, fn)
    }
    isDestroyed() {
      return false
    }
    async loadURL(url: string) {
      ;(this as unknown as { url: string }).url = url
    }
  }
  const electron = {
    app: {
      requestSingleInstanceLock: () => opts.lock,
      quit: () => void rec.quit++,
      on: (ev: string, fn: Fn) => void rec.appEvents.set(ev, fn),
      whenReady: () => Promise.resolve(),
      getPath: (name: string) => path.join(dir, 'paths', name),
      getVersion: () => '0.1.0',
      getAppPath: () => path.join(dir, 'app'),
      isPackaged: false,
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void rec.schemes.push(...s),
      handle: (scheme: string, fn: Fn) => void rec.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => void (rec.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => void (rec.permissionCheck = fn),
      },
    },
    ipcMain: { handle: (c: string, fn: Fn) => void rec.ipc.set(c, fn), removeHandler: (c: string) => void rec.ipc.delete(c) },
    shell: { openExternal: async (u: string) => void rec.opened.push(u) },
    dialog: {},
    BrowserWindow,
  }
  return { electron, rec }
}

/** Loads a fresh copy of the bundle with `electron` replaced by the fake. */
async function load(opts: { lock: boolean }) {
  const fake = fakeElectron(opts)
  const M = Module as unknown as { _load: Fn }
  const orig = M._load
  M._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? fake.electron : orig.call(this, request, ...rest)
  }
  try {
    const req = createRequire(import.meta.url)
    delete req.cache[bundle]
    req(bundle)
  } finally {
    M._load = orig
  }
  await new Promise((r) => setImmediate(r)) // whenReady().then runs as a microtask before this
  return fake.rec
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'desk-smoke-'))
  bundle = path.join(dir, 'out', 'main', 'index.cjs')
  await build({ entryPoints: [path.join(__dirname, 'index.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', external: ['electron'], logLevel: 'silent' })
  await mkdir(path.join(dir, 'app', 'dist', 'renderer'), { recursive: true })
  await writeFile(path.join(dir, 'app', 'dist', 'renderer', 'index.html'), '<!doctype html><title>MarketDesk</title>')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('electron main wiring (fake electron)', () => {
  it('opens one hardened window on app://marketdesk/ with the preload', async () => {
    const rec = await load({ lock: true })
    expect(rec.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }])
    expect(rec.windows).toHaveLength(1)
    const w = rec.windows[0]!
    expect(w.opts.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false, webviewTag: false })
    expect(w.opts.webPreferences.preload).toBe(path.join(dir, 'out', 'preload', 'index.cjs'))
    expect(w.url).toBe('app://marketdesk/index.html')
    const res: Response = await rec.protocolHandlers.get('app')!({ url: 'app://marketdesk/index.html' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
  })

  it('reloads the window with the recovered flag when its renderer crashes (issue 7)', async () => {
    const rec = await load({ lock: true })
    const w = rec.windows[0]!
    w.listeners.get('contents:render-process-gone')!({}, { reason: 'crashed', exitCode: 1 })
    expect(w.webContents.loaded).toEqual(['app://marketdesk/index.html?recovered=crashed'])
    expect(w.listeners.has('unresponsive')).toBe(true)
  })

  it('denies permissions except clipboard writes', async () => {
    const rec = await load({ lock: true })
    const answers: Record<string, boolean> = {}
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-sanitized-write']) rec.permissionRequest!({}, p, (ok: boolean) => (answers[p] = ok))
    expect(answers).toEqual({ media: false, geolocation: false, notifications: false, openExternal: false, 'clipboard-sanitized-write': true })
    expect(rec.permissionCheck!({}, 'media')).toBe(false)
  })

  it('answers IPC from our main frame only', async () => {
    const rec = await load({ lock: true })
    expect([...rec.ipc.keys()].sort()).toEqual(Object.values(Channel).sort())
    const ours = rec.windows[0]!.webContents.mainFrame
    expect(await rec.ipc.get('app:info')!({ senderFrame: ours }, {})).toMatchObject({ ok: true, value: { version: '0.1.0' } })
    const evil = { url: 'https://evil/', parent: null }
    expect(await rec.ipc.get('app:info')!({ senderFrame: evil }, {})).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' })
  })

  it('blocks navigation away from the app and new windows except its own blob: viewers', async () => {
    const rec = await load({ lock: true })
    const handlers = new Map<string, Fn>()
    let openHandler: Fn | undefined
    const contents = { on: (ev: string, fn: Fn) => void handlers.set(ev, fn), setWindowOpenHandler: (fn: Fn) => void (openHandler = fn), getURL: () => 'app://marketdesk/index.html' }
    rec.appEvents.get('web-contents-created')!({}, contents)
    const navigate = (url: string) => {
      let prevented = false
      handlers.get('will-navigate')!({ preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    expect(navigate('https://evil.example/')).toBe(true)
    expect(navigate('file:///etc/passwd')).toBe(true)
    expect(navigate('app://marketdesk/index.html#/quotes')).toBe(false)
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: 'blob:app://marketdesk/1234' }).action).toBe('allow')
    expect(rec.opened).toEqual([])
    let webviewPrevented = false
    handlers.get('will-attach-webview')!({ preventDefault: () => (webviewPrevented = true) })
    expect(webviewPrevented).toBe(true)
  })

  it('lets a redirect reach our own app page only, and keeps the print window (a file: page) where it is', async () => {
    const rec = await load({ lock: true })
    const contentsAt = (current: string) => {
      const handlers = new Map<string, Fn>()
      rec.appEvents.get('web-contents-created')!({}, { on: (ev: string, fn: Fn) => void handlers.set(ev, fn), setWindowOpenHandler: () => {}, getURL: () => current })
      const blocked = (ev: 'will-navigate' | 'will-redirect', url: string) => {
        let prevented = false
        handlers.get(ev)!({ preventDefault: () => (prevented = true) }, url)
        return prevented
      }
      return { redirect: (url: string) => blocked('will-redirect', url), navigate: (url: string) => blocked('will-navigate', url) }
    }
    const app = contentsAt('app://marketdesk/index.html')
    expect(app.redirect('https://evil.example/')).toBe(true)
    expect(app.redirect('app://marketdesk/index.html')).toBe(false)
    const print = contentsAt('file:///tmp/marketdesk-print-1/print.pdf')
    expect(print.redirect('https://evil.example/')).toBe(true)
    expect(print.redirect('file:///etc/passwd')).toBe(true)
    expect(print.redirect('app://marketdesk/index.html')).toBe(true)
    expect(print.navigate('app://marketdesk/index.html')).toBe(true)
    expect(print.navigate('file:///etc/passwd')).toBe(true)
  })

  it('quits when another copy already runs', async () => {
    const rec = await load({ lock: false })
    expect(rec.quit).toBe(1)
    expect(rec.windows).toHaveLength(0)
  })
})
