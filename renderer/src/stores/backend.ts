/**
 * The one place the app opens its data layer. Pages and stores call `backend()`; tests and the
 * e2e harness may install their own with `setBackend`.
 */
import { openDataLayer, type DataLayer } from '@app/data'

export type Backend = DataLayer

let current: Promise<Backend> | undefined

/** The app's data layer, opened on first use; a fresh profile gets the demo office so a clerk can start. */
export function backend(): Promise<Backend> {
  current ??= openDataLayer({ seed: true })
  return current
}

/** Replaces the backend (tests, harness). */
export function setBackend(b: Backend): void { current = Promise.resolve(b) }
