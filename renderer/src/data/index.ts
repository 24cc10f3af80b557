/** The data layer wired as the app uses it: one call at start-up gives every store. */
import type { FormDef } from '@forms/schema/types'
import { formById } from '@forms/registry'
import { DEFAULT_DB_NAME, openDb, type DeskDb } from './db'
import { createDirectoryStore, type DeskDirectoryStore } from './directory'
import { createDocumentStore, type DeskDocumentStore } from './documents'
import { createManualMatchStore, type ManualMatchStore } from './manual-matches'
import { seedDemo } from './seed'
import { createFindingStore, type FindingStore } from './findings'
import { createSavedFilterStore, type SavedFilterStore } from './saved-filters'
import type { KdfParams } from '@core/trust/password'

export interface DataLayer {
  db: DeskDb
  documents: DeskDocumentStore
  directory: DeskDirectoryStore
  manualMatches: ManualMatchStore
  findings: FindingStore
  /** 我的常用: saved list filters per user and form, local to this PC. */
  savedFilters: SavedFilterStore
}

export interface DataLayerOptions {
  name?: string
  indexedDB?: IDBFactory
  IDBKeyRange?: typeof IDBKeyRange
  now?: () => string
  forms?: (id: string) => FormDef
  /** Install the demo office on first run (idempotent); the app itself asks in its setup wizard. */
  seed?: boolean
  knownPcCodes?: () => string[]
  /** Password cost for new credentials (tests pass FAST_KDF). */
  kdf?: KdfParams
  /** Awaited before a form's list digest is loaded or built (tests hold it; see DocumentStoreDeps). */
  digestGate?: (form: string) => Promise<void>
}

/** Opens the profile's database (upgrading it if needed) and creates the stores on it. */
export async function openDataLayer(opts: DataLayerOptions = {}): Promise<DataLayer> {
  const db = await openDb(opts.name ?? DEFAULT_DB_NAME, opts.indexedDB, opts.IDBKeyRange)
  const now = opts.now ?? (() => new Date().toISOString())
  const forms = opts.forms ?? formById
  const directory = createDirectoryStore(db, { now, knownPcCodes: opts.knownPcCodes, ...(opts.kdf ? { kdf: opts.kdf } : {}) })
  const documents = createDocumentStore(db, { forms, now, settings: () => directory.settings(), signer: () => directory.current(), ...(opts.digestGate ? { digestGate: opts.digestGate } : {}) })
  if (opts.seed) await seedDemo(db, { forms, now, directory })
  const pcNames = async () => new Map((await db.syncPeers.toArray()).map((p) => [p.pc, p.name]))
  return { db, documents, directory, manualMatches: createManualMatchStore(db, { now }), findings: createFindingStore(db, directory, pcNames), savedFilters: createSavedFilterStore(db) }
}

/** Installs the demo office in a profile that belongs to no office (the wizard's 试用演示数据). */
export async function startDemo(layer: DataLayer, forms: (id: string) => FormDef = formById): Promise<void> {
  await seedDemo(layer.db, { forms, now: () => new Date().toISOString(), directory: layer.directory })
}

export { openDb, DeskDb, DEFAULT_DB_NAME } from './db'
export type { StoredDoc, ManualMatch, CounterRow, MetaRow, SettingRow } from './db'
export { ValidationFailed, DocumentError, TransitionRefused } from './documents'
export type { DeskDocumentStore, AttachmentInput, AttachmentMeta, AddAttachmentResult, CreateOptions } from './documents'
export type { DeskDirectoryStore, Company, Language, OfficeState, SignedIn, SignInResult, UserInput } from './directory'
export { effectiveRoles, NotAllowed } from './directory'
export type { FindingStore, FindingView } from './findings'
export type { SavedFilter, SavedFilterStore } from './saved-filters'
export type { ManualMatchStore, ManualMatchInput } from './manual-matches'
export { seedDemo, seedBulk, DEMO_IDS, DEMO_USERS, DEMO_COMPANY, DEMO_PASSWORD, DEMO_OFFICE, demoSeed, demoDirectory } from './seed'
