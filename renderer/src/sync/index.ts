/**
 * What the app imports for sync: the service, its types, and the folder choice. The 设置 → 同步
 * page, the status panel and the conflicts inbox use only these.
 */
import { unwrap, type Envelope, type Results, type WebdavInfo } from '@shared/ipc'
import type { DeskDb } from '../data/db'
import { windowFolderTransport } from './folder-transport'
import { createSyncService, type SyncService } from './sync-service'
import { createGatePort } from './gate-port'
import { TrustGate } from '@core/trust/gate'
import { formById } from '@forms/registry'
import type { SignedIn } from '../data/directory'

export { createSyncService, SyncService } from './sync-service'
export type { ConflictItem, ConflictValue, SyncPanelStatus, SyncProgress, SyncServiceOptions, EngineTuning } from './sync-service'
export type { FolderState, SyncProblem, SyncStatus, VaultFile, ProblemCode } from '@core/sync/engine'
export { createFolderTransport, windowFolderTransport } from './folder-transport'
export { testVerdict, type WebdavVerdict } from './webdav-check'
export type { WebdavInfo } from '@shared/ipc'
export { DexieSyncStore } from './dexie-store'
export { IdentityStore, IDENTITY_DB } from './identity'
export { ResolveError } from './resolve'
export { createGatePort } from './gate-port'

/**
 * The app's sync service on `window.desk`'s shared folder, or undefined in a plain browser (no
 * folder access there). `pcHint` is the PC's number code (e.g. `A7`), the readable start of its id.
 */
export async function openAppSync(db: DeskDb, opts: { name: string; app: string; pcHint?: string; signer: () => SignedIn | null }): Promise<SyncService | undefined> {
  const transport = windowFolderTransport()
  if (!transport) return undefined
  // Every change, received or our own, passes this PC's trust gate before it merges (issue 6).
  const gate = new TrustGate(createGatePort(db, formById))
  return createSyncService({ db, transport, name: opts.name, app: opts.app, signer: opts.signer, gate, ...(opts.pcHint ? { pcHint: opts.pcHint } : {}) })
}

/** Lets the clerk pick the shared folder (native dialog); null when cancelled or outside the app. */
export async function chooseSharedFolder(): Promise<string | null> {
  const desk = typeof window === 'undefined' ? undefined : window.desk
  if (!desk) return null
  const r = await desk.sharedChoose({})
  if (!r.ok) throw new Error(r.message)
  return 'root' in r.value ? r.value.root : null
}

/** What shared:current tells: the folder's path or WebDAV address, and the WebDAV details. */
export async function currentSharedTarget(): Promise<{ root: string | null; webdav?: WebdavInfo }> {
  const desk = typeof window === 'undefined' ? undefined : window.desk
  if (!desk) return { root: null }
  const r = await desk.sharedCurrent({})
  return r.ok ? r.value : { root: null }
}

/** A WebDAV server as the clerk typed it on the sync page. */
export interface WebdavForm { url: string; username: string; password?: string }

/** 测试连接: tries the server without saving it (main answers in zh-CN what is wrong). */
export async function testWebdav(form: WebdavForm): Promise<Envelope<Results['shared:webdavTest']>> {
  const desk = typeof window === 'undefined' ? undefined : window.desk
  if (!desk) return { ok: false, code: 'SHARED_UNAVAILABLE', message: '同步需要桌面版 MarketDesk' }
  return desk.sharedWebdavTest(withPassword(form))
}

/** Syncs through this WebDAV server from now on (its password sealed by the OS in main). */
export async function useWebdavServer(form: WebdavForm): Promise<Results['shared:webdavSet']> {
  const desk = typeof window === 'undefined' ? undefined : window.desk
  if (!desk) throw new Error('同步需要桌面版 MarketDesk')
  return unwrap(await desk.sharedWebdavSet(withPassword(form)))
}

const withPassword = (f: WebdavForm) => ({ url: f.url.trim(), username: f.username.trim(), ...(f.password ? { password: f.password } : {}) })
