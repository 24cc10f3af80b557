/**
 * What the app imports for sync: the service, its types, and the folder choice. The 设置 → 同步
 * page, the status panel and the conflicts inbox use only these.
 */
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

/** The shared folder chosen on this PC, or null. */
export async function currentSharedFolder(): Promise<string | null> {
  const desk = typeof window === 'undefined' ? undefined : window.desk
  if (!desk) return null
  const r = await desk.sharedCurrent({})
  return r.ok ? r.value.root : null
}
