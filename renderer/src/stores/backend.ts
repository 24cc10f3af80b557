/**
 * The one place the app opens its database and builds the stores over it. Pages and stores call
 * `backend()`; tests and the e2e harness may install their own with `setBackend`.
 */
import { formById } from '@forms/registry'
import { openDb, type DeskDb } from '@app/data/db'
import { createDocumentStore, type DeskDocumentStore } from '@app/data/documents'
import { createDirectoryStore, type DeskDirectoryStore } from '@app/data/directory'
import { seedDemo } from '@app/data/seed'

export interface Backend { db: DeskDb; documents: DeskDocumentStore; directory: DeskDirectoryStore }

let current: Promise<Backend> | undefined

const now = (): string => new Date().toISOString()

async function open(): Promise<Backend> {
  const db = await openDb()
  const directory = createDirectoryStore(db, { now })
  // A fresh profile gets the demo office (users, a proxy grant, two customers) so a clerk can start.
  if ((await directory.users()).length === 0) await seedDemo(db, { forms: formById, now })
  const documents = createDocumentStore(db, { forms: formById, now, settings: () => directory.settings() })
  return { db, documents, directory }
}

/** The app's backend, opened (and seeded when empty) on first use. */
export function backend(): Promise<Backend> {
  current ??= open()
  return current
}

/** Replaces the backend (tests, harness). */
export function setBackend(b: Backend): void { current = Promise.resolve(b) }
