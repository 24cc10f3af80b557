/**
 * The test twin of the Electron preload (harness.md): the SAME main-process handlers
 * (electron/main/ipc/registry.ts) are exposed to the page with `context.exposeBinding('__desk')`,
 * and an init script — a string, because tsx rewrites functions — builds the same `window.desk`
 * object the preload builds. The binding carries JSON, so Uint8Array travels as base64, in chunks
 * of 8 MB so no single message comes near the ~100 MB limit that drops the browser connection.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { BrowserContext } from '@playwright/test'
import { Channel, type ChannelName } from '../../electron/shared/ipc'
import type { HandlerDeps } from '../../electron/main/ipc/deps'
import { createHandlers, type Handlers } from '../../electron/main/ipc/registry'
import { scriptedDialogs, type ScriptedDialogs } from '../../electron/main/ipc/scripted-dialogs'
import { createSecretStore, fakeSafeStorage } from '../../electron/main/ipc/secrets'
import { createSettingsStore } from '../../electron/main/settings'

/** Raw bytes per chunk crossing the binding (base64 makes it ~10.7 MB of text). */
export const CHUNK_BYTES = 8 * 1024 * 1024

const CHANNELS = new Set<string>(Object.values(Channel))

type Encoded = unknown

/** Builds `window.desk` in the page; same function names as electron/preload/index.ts. */
export const deskInitScript = `(() => {
  const MAP = ${JSON.stringify(Channel)};
  const CHUNK = ${CHUNK_BYTES};
  const call = (...a) => window.__desk(...a);
  const b64enc = (u8) => {
    if (typeof u8.toBase64 === 'function') return u8.toBase64();
    let s = '';
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const b64dec = (s) => {
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(s);
    const bin = atob(s);
    const u8 = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    return u8;
  };
  let seq = 0;
  async function enc(v) {
    if (v instanceof Uint8Array) {
      if (v.length <= CHUNK) return { __u8: b64enc(v) };
      const id = 'p' + (++seq) + '-' + Math.random().toString(36).slice(2);
      for (let off = 0, i = 0; off < v.length; off += CHUNK, i++) await call('__put', { id, i, b64: b64enc(v.subarray(off, off + CHUNK)) });
      return { __u8ref: id, length: v.length };
    }
    if (Array.isArray(v)) { const out = []; for (const x of v) out.push(await enc(x)); return out; }
    if (v && typeof v === 'object') { const out = {}; for (const k of Object.keys(v)) out[k] = await enc(v[k]); return out; }
    return v;
  }
  async function dec(v) {
    if (Array.isArray(v)) { const out = []; for (const x of v) out.push(await dec(x)); return out; }
    if (v && typeof v === 'object') {
      if (typeof v.__u8 === 'string') return b64dec(v.__u8);
      if (typeof v.__u8big === 'string') {
        const u8 = new Uint8Array(v.length);
        for (let i = 0, off = 0; i < v.chunks; i++) { const part = b64dec(await call('__get', { id: v.__u8big, i })); u8.set(part, off); off += part.length; }
        return u8;
      }
      const out = {}; for (const k of Object.keys(v)) out[k] = await dec(v[k]); return out;
    }
    return v;
  }
  const desk = {};
  for (const name of Object.keys(MAP)) {
    const channel = MAP[name];
    desk[name] = async (req) => dec(await call(channel, await enc(req)));
  }
  Object.defineProperty(window, 'desk', { value: Object.freeze(desk), enumerable: true });
})();`

export interface BridgeOptions {
  /** Defaults to fresh scripted dialogs (every dialog cancels until an answer is queued). */
  dialogs?: ScriptedDialogs
  /** The "PC"'s userData folder (settings.json lives here); defaults to a new temp folder. */
  userDataDir?: string
  /** Preselects the shared folder, as if the clerk had chosen it before. */
  sharedRoot?: string
  /** Anything else of HandlerDeps to replace (clock, fileOps, defaultSaveDir, app info). */
  deps?: Partial<HandlerDeps>
}

export interface Bridge {
  dialogs: ScriptedDialogs
  handlers: Handlers
  deps: HandlerDeps
  /** The script added to the context (also usable with page.addInitScript). */
  initScript: string
  /**
   * While true, the shared folder is out of reach for this PC (a laptop off the office network,
   * an unplugged USB stick): list/read/write/remove answer SHARED_UNAVAILABLE, as main does when
   * the share is not mounted. Everything else works.
   */
  offline: boolean
}

/** The channels that touch the shared folder's files. */
const FOLDER_CHANNELS = new Set<string>([Channel.sharedList, Channel.sharedRead, Channel.sharedWriteIfAbsent, Channel.sharedRemove])

/** Installs `window.desk` in every page of `context`, backed by the real handlers. */
export async function installBridge(context: BrowserContext, opts: BridgeOptions = {}): Promise<Bridge> {
  const userDataDir = opts.userDataDir ?? (await mkdtemp(path.join(tmpdir(), 'desk-e2e-')))
  const dialogs = opts.dialogs ?? scriptedDialogs()
  const deps: HandlerDeps = {
    dialogs,
    settings: createSettingsStore(path.join(userDataDir, 'settings.json')),
    app: { version: '0.0.0-e2e', platform: process.platform, userDataDir },
    defaultSaveDir: userDataDir,
    // safeStorage needs Electron: a fake OS seal over the real secrets.json handlers.
    secrets: createSecretStore(path.join(userDataDir, 'secrets.json'), fakeSafeStorage()),
    ...opts.deps,
  }
  if (opts.sharedRoot) await deps.settings.update({ sharedRoot: opts.sharedRoot })
  const handlers = createHandlers(deps)
  const bridge: Bridge = { dialogs, handlers, deps, initScript: deskInitScript, offline: false }
  const incoming = new Map<string, Buffer[]>()
  const outgoing = new Map<string, Buffer[]>()
  let seq = 0

  const decode = (v: Encoded): unknown => {
    if (Array.isArray(v)) return v.map(decode)
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (typeof o.__u8 === 'string') return new Uint8Array(Buffer.from(o.__u8, 'base64'))
      if (typeof o.__u8ref === 'string') {
        const parts = incoming.get(o.__u8ref) ?? []
        incoming.delete(o.__u8ref)
        return new Uint8Array(Buffer.concat(parts))
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]))
    }
    return v
  }
  const encode = (v: unknown): Encoded => {
    if (v instanceof Uint8Array) {
      const buf = Buffer.from(v.buffer, v.byteOffset, v.byteLength)
      if (buf.length <= CHUNK_BYTES) return { __u8: buf.toString('base64') }
      const id = `g${++seq}`
      const parts: Buffer[] = []
      for (let off = 0; off < buf.length; off += CHUNK_BYTES) parts.push(buf.subarray(off, off + CHUNK_BYTES))
      outgoing.set(id, parts)
      return { __u8big: id, length: buf.length, chunks: parts.length }
    }
    if (Array.isArray(v)) return v.map(encode)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]))
    return v
  }

  await context.exposeBinding('__desk', async (source, channel: unknown, args: unknown) => {
    // Like register.ts: only a page's main frame may call (never an iframe).
    if (source.frame !== source.page.mainFrame()) return { ok: false, code: 'FORBIDDEN_SENDER', message: '拒绝来自未知页面的请求' }
    if (channel === '__put') {
      const { id, i, b64 } = args as { id: string; i: number; b64: string }
      const parts = incoming.get(id) ?? []
      parts[i] = Buffer.from(b64, 'base64')
      incoming.set(id, parts)
      return null
    }
    if (channel === '__get') {
      const { id, i } = args as { id: string; i: number }
      const parts = outgoing.get(id)
      const part = parts?.[i]
      if (!parts || !part) throw new Error(`bridge: no chunk ${id}/${i}`)
      if (i === parts.length - 1) outgoing.delete(id)
      return part.toString('base64')
    }
    if (typeof channel !== 'string' || !CHANNELS.has(channel)) return { ok: false, code: 'BAD_REQUEST', message: `未知的请求：${String(channel)}` }
    if (bridge.offline && FOLDER_CHANNELS.has(channel)) return { ok: false, code: 'SHARED_UNAVAILABLE', message: '共享文件夹无法访问（网络盘未连接或 U 盘未插入？）' }
    return encode(await handlers[channel as ChannelName](decode(args)))
  })
  await context.addInitScript(deskInitScript)
  return bridge
}
