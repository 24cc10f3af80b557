/**
 * The one place the app opens its data layer. Pages and stores call `backend()`; tests and the
 * e2e harness may install their own with `setBackend`.
 */
import { openDataLayer, type DataLayer } from '@app/data'

export type Backend = DataLayer

let current: Promise<Backend> | undefined

/** The app's data layer, opened on first use. A fresh profile belongs to no office: the setup wizard asks. */
export function backend(): Promise<Backend> {
  current ??= openDataLayer()
  return current
}

/** Replaces the backend (tests, harness). */
export function setBackend(b: Backend): void { current = Promise.resolve(b) }
