/**
 * What the IPC handlers need from the outside, as interfaces: the native dialogs and printing
 * (Electron in the app, scripted answers in tests), the settings file, file operations and a clock.
 * Nothing here imports electron, so every handler runs and is tested in plain Node.
 */
import type { MainSecretName, SecretName } from '../../shared/ipc'
import type { FileOps } from './file-ops'

export interface SaveDialogOptions {
  title: string
  defaultPath: string
  filters: Array<{ name: string; extensions: string[] }>
}

export interface OpenDialogOptions {
  title: string
  properties: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory'>
  filters?: Array<{ name: string; extensions: string[] }>
}

/** Native dialogs and printing, behind an interface (Electron's `dialog` + a hidden print window). */
export interface DialogPort {
  showSaveDialog(opts: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>
  showOpenDialog(opts: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>
  /** Shows the system print dialog for this PDF; true when the job was sent. */
  printPdf(bytes: Uint8Array): Promise<boolean>
}

/** Where the sync files live: a folder (share, USB stick) or a WebDAV server (NAS, Nextcloud, 坚果云). */
export type SharedTarget =
  | { kind: 'folder'; path: string }
  /** `timeoutMs`: per request (default WEBDAV_TIMEOUT_MS); the password is in the secret store. */
  | { kind: 'webdav'; url: string; username: string; timeoutMs?: number }

/** Main-process settings kept as JSON in userData. */
export interface MainSettings {
  /** Where the sync files live; wins over `sharedRoot`. */
  shared?: SharedTarget
  /** The shared folder as settings files before WebDAV named it (still read: `sharedTarget`). */
  sharedRoot?: string
  lastSaveDir?: string
  /**
   * This PC's sync id as claimed by the renderer (shared:claimPc): the renderer writes and removes
   * only this PC's own files in the shared folder (issue 7).
   */
  ownPc?: string
}

export interface SettingsStore {
  get(): Promise<MainSettings>
  update(patch: Partial<MainSettings>): Promise<MainSettings>
}

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export interface HandlerDeps {
  dialogs: DialogPort
  settings: SettingsStore
  app: { version: string; platform: string; userDataDir: string }
  /** Folder proposed by the save dialog the first time (e.g. Documents). */
  defaultSaveDir: string
  /** Defaults to real node:fs operations. */
  fileOps?: FileOps
  /** Defaults to Date.now + setTimeout; tests inject a fake one to test the ~1 minute retry. */
  clock?: Clock
  /** Secrets sealed by the OS (secrets.ts over Electron safeStorage); absent = nothing is remembered. */
  secrets?: SecretStore
}

/** A few named secrets kept encrypted by the operating system, never in plain text. */
export interface SecretStore {
  /** False when the OS offers no protected storage (then nothing is stored). */
  available(): Promise<boolean>
  /** The secret, or null when none is stored or it cannot be unsealed on this machine. */
  get(name: SecretName | MainSecretName): Promise<string | null>
  /** False when nothing was stored (no protected storage). */
  set(name: SecretName | MainSecretName, value: string): Promise<boolean>
  /** True when a stored secret was removed. */
  clear(name: SecretName | MainSecretName): Promise<boolean>
}

/** The sync target the settings name: `shared`, else an older file's `sharedRoot` folder. */
export function sharedTarget(s: MainSettings): SharedTarget | undefined {
  if (s.shared) return s.shared
  return s.sharedRoot ? { kind: 'folder', path: s.sharedRoot } : undefined
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
}
