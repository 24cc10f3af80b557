/** The data layer wired as the app uses it: one call at start-up gives every store. */
import type { FormDef } from '@forms/schema/types'
import { formById } from '@forms/registry'
import { DEFAULT_DB_NAME, openDb, type DeskDb } from './db'
import { createDirectoryStore, type DeskDirectoryStore } from './directory'
import { createDocumentStore, type DeskDocumentStore } from './documents'
import { createManualMatchStore, type ManualMatchStore } from './manual-matches'
import { seedDemo } from './seed'

export interface DataLayer {
  db: DeskDb
  documents: DeskDocumentStore
  directory: DeskDirectoryStore
  manualMatches: ManualMatchStore
}

export interface DataLayerOptions {
  name?: string
  indexedDB?: IDBFactory
  IDBKeyRange?: typeof IDBKeyRange
  now?: () => string
  forms?: (id: string) => FormDef
  /** Seed the demo office on first run (idempotent). */
  seed?: boolean
  knownPcCodes?: () => string[]
}

/** Opens the profile's database (upgrading it if needed) and creates the stores on it. */
export async function openDataLayer(opts: DataLayerOptions = {}): Promise<DataLayer> {
  const db = await openDb(opts.name ?? DEFAULT_DB_NAME, opts.indexedDB, opts.IDBKeyRange)
  const now = opts.now ?? (() => new Date().toISOString())
  const forms = opts.forms ?? formById
  const directory = createDirectoryStore(db, { now, knownPcCodes: opts.knownPcCodes })
  const documents = createDocumentStore(db, { forms, now, settings: () => directory.settings() })
  if (opts.seed) await seedDemo(db, { forms, now })
  return { db, documents, directory, manualMatches: createManualMatchStore(db, { now }) }
}

export { openDb, DeskDb, DEFAULT_DB_NAME } from './db'
export type { StoredDoc, ManualMatch, CounterRow, MetaRow, SettingRow } from './db'
export { ValidationFailed, DocumentError } from './documents'
export type { DeskDocumentStore, AttachmentInput, AttachmentMeta, AddAttachmentResult, CreateOptions } from './documents'
export type { DeskDirectoryStore, Company, Language } from './directory'
export { effectiveRoles } from './directory'
export type { ManualMatchStore, ManualMatchInput } from './manual-matches'
export { seedDemo, seedBulk, DEMO_IDS, DEMO_USERS, DEMO_COMPANY } from './seed'
