/** Shared setup for the handler tests: a temp folder, scripted dialogs, a real settings file. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createSettingsStore } from '../settings'
import type { Clock, HandlerDeps } from './deps'
import type { FileOps } from './file-ops'
import { createHandlers, type Handlers } from './registry'
import { scriptedDialogs, type ScriptedDialogs } from './scripted-dialogs'
import { createSecretStore, fakeSafeStorage } from './secrets'

export interface Fixture {
  dir: string
  userData: string
  dialogs: ScriptedDialogs
  deps: HandlerDeps
  h: Handlers
  cleanup(): Promise<void>
}

/** A clock whose sleep advances time instantly, recording each sleep. */
export function fakeClock(): Clock & { slept: number[] } {
  let t = 0
  const slept: number[] = []
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms)
      t += ms
    },
  }
}

export async function makeFixture(opts: { fileOps?: FileOps; clock?: Clock; withSecrets?: boolean } = {}): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'desk-test-'))
  const userData = path.join(dir, 'userData')
  const dialogs = scriptedDialogs()
  const deps: HandlerDeps = {
    dialogs,
    settings: createSettingsStore(path.join(userData, 'settings.json')),
    app: { version: '0.1.0', platform: process.platform, userDataDir: userData },
    defaultSaveDir: path.join(dir, 'Documents'),
    ...(opts.fileOps ? { fileOps: opts.fileOps } : {}),
    clock: opts.clock ?? fakeClock(),
    // The OS seal faked (safeStorage needs Electron), over the real secrets.json code.
    ...(opts.withSecrets ? { secrets: createSecretStore(path.join(userData, 'secrets.json'), fakeSafeStorage()) } : {}),
  }
  return { dir, userData, dialogs, deps, h: createHandlers(deps), cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Minimal bytes that pass the PDF check. */
export const pdfBytes = (extra = 'x') => new TextEncoder().encode(`%PDF-1.7\n${extra}\n%%EOF`)

/**
 * A fixture whose sync files are on a WebDAV server: the handlers are configured exactly as the
 * 设置 → 同步 page does it (shared:webdavSet), so `createFolderTransport(deskOf(fx))` runs the
 * renderer's transport over WebDAV in plain Node. Fails when the server refuses the settings.
 */
export async function makeWebdavFixture(dav: { url: string; username: string; password: string; timeoutMs?: number }, opts: { clock?: Clock } = {}): Promise<Fixture> {
  const fx = await makeFixture({ ...opts, withSecrets: true })
  const r = await fx.h['shared:webdavSet']({ url: dav.url, username: dav.username, password: dav.password, ...(dav.timeoutMs ? { timeoutMs: dav.timeoutMs } : {}) })
  if (!r.ok) throw new Error(`shared:webdavSet failed: ${r.code} ${r.message}`)
  return fx
}
