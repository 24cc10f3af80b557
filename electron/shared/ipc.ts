/**
 * The one IPC contract between the renderer (through the preload) and the main process.
 * Channel names are `area:verb`; each channel has a request schema (checked in main before any
 * work) and a result type. Values are JSON plus Uint8Array only, so the same contract runs over
 * Electron's structured clone and over the Playwright test bridge (JSON + base64).
 * No electron import here: main, preload, renderer and tests all read this file.
 */
import { z } from 'zod'
import { PC_ID } from '../../renderer/core/sync/names'
import { Channel, MAX_BACKUP_CHUNK, MAX_PDF_BYTES, MAX_SHARED_BYTES, type ApiName, type ChannelName } from './channels'

export { Channel, MAX_BACKUP_CHUNK, MAX_IMPORT_BYTES, MAX_PDF_BYTES, MAX_SHARED_BYTES, type ApiName, type ChannelName } from './channels'

// z.custom rather than z.instanceof: the request type is plain `Uint8Array` (any buffer), which is
// what renderer code holds.
const bytes = (max: number) =>
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected Uint8Array' }).refine((b) => b.byteLength <= max, { message: `too large (max ${max} bytes)` })

const pdfBytes = bytes(MAX_PDF_BYTES).refine(
  // "%PDF-": keeps pdf:save from being a general-purpose "write any bytes anywhere" call.
  (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d,
  { message: 'not a PDF' },
)

/** What file:save writes: each kind with the bytes its files start with, so the call writes only such files. */
export const SAVE_KINDS = {
  pdf: { ext: 'pdf', name: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // "%PDF-"
  xlsx: { ext: 'xlsx', name: 'Excel 工作簿', magic: [0x50, 0x4b, 0x03, 0x04] }, // a zip ("PK\3\4")
} as const
export type SaveKind = keyof typeof SAVE_KINDS

const fileSaveRequest = z.object({
  suggestedName: z.string().min(1).max(200),
  kind: z.enum(['pdf', 'xlsx'] as const satisfies readonly SaveKind[]),
  bytes: bytes(MAX_PDF_BYTES),
}).strict().refine((r) => SAVE_KINDS[r.kind].magic.every((b, i) => r.bytes[i] === b), { message: 'bytes do not match kind', path: ['bytes'] })

/** A path relative to an allowed root, `/`-separated. Containment is enforced in main by resolveInside. */
const rel = z.string().min(1).max(400)

/** The secrets main may remember for the renderer (secret:*): a fixed list, not a general store. */
export const SECRET_NAMES = ['officePassphrase'] as const
export type SecretName = (typeof SECRET_NAMES)[number]
/**
 * Secrets only main reads (the WebDAV password): kept in the same OS-sealed store, never handed
 * to the renderer (secret:get accepts only SECRET_NAMES).
 */
export const MAIN_SECRET_NAMES = ['webdavPassword'] as const
export type MainSecretName = (typeof MAIN_SECRET_NAMES)[number]
const secretName = z.enum(SECRET_NAMES)

/** A WebDAV server: its address, the user, and a timeout per request (1–300 s, default 20 s). */
const webdavRequest = z.object({
  url: z.string().min(8).max(500).regex(/^https?:\/\//i, { message: 'must start with https:// or http://' }),
  username: z.string().min(1).max(200),
  timeoutMs: z.number().int().min(100).max(300_000).optional(),
})
const davPassword = z.string().min(1).max(1000)

/** A token handed out by main (a backup being written, a backup file the clerk picked). */
const token = z.string().min(1).max(100)
/** A backup file's name inside the backup folder; main checks it against BACKUP_FILE_NAME. */
const backupName = z.string().min(1).max(120)

export const requestSchemas = {
  [Channel.pdfSave]: z.object({ suggestedName: z.string().min(1).max(200), bytes: pdfBytes }).strict(),
  [Channel.pdfPrint]: z.object({ bytes: pdfBytes }).strict(),
  [Channel.fileSave]: fileSaveRequest,
  [Channel.importPick]: z.object({ mode: z.enum(['files', 'folder']) }).strict(),
  [Channel.importRead]: z.object({ token: z.string().min(1).max(100), rel }).strict(),
  [Channel.sharedChoose]: z.object({}).strict(),
  [Channel.sharedCurrent]: z.object({}).strict(),
  // '' (or '.') lists the shared root itself.
  [Channel.sharedList]: z.object({ dir: z.string().max(400) }).strict(),
  // maxBytes: refuse (FILE_TOO_LARGE) a larger file from its size, before reading it (issue 7).
  [Channel.sharedRead]: z.object({ rel, maxBytes: z.number().int().min(1).max(MAX_SHARED_BYTES).optional() }).strict(),
  [Channel.sharedWriteIfAbsent]: z.object({ rel, bytes: bytes(MAX_SHARED_BYTES) }).strict(),
  [Channel.sharedRemove]: z.object({ rel }).strict(),
  [Channel.sharedClaimPc]: z.object({ pc: z.string().regex(PC_ID) }).strict(),
  // The address is checked again in main (http/https, no credentials inside it: webdav.ts).
  [Channel.sharedWebdavSet]: webdavRequest.extend({ password: davPassword.optional() }).strict(),
  [Channel.sharedWebdavTest]: webdavRequest.extend({ password: davPassword.optional() }).strict(),
  [Channel.appInfo]: z.object({}).strict(),
  [Channel.secretGet]: z.object({ name: secretName }).strict(),
  [Channel.secretSet]: z.object({ name: secretName, value: z.string().min(1).max(1000) }).strict(),
  [Channel.secretClear]: z.object({ name: secretName }).strict(),
  [Channel.backupChooseFolder]: z.object({}).strict(),
  [Channel.backupFolder]: z.object({}).strict(),
  [Channel.backupBegin]: z.object({ name: backupName }).strict(),
  [Channel.backupAppend]: z.object({ token, bytes: bytes(MAX_BACKUP_CHUNK) }).strict(),
  [Channel.backupFinish]: z.object({ token, size: z.number().int().min(0).max(2 ** 50) }).strict(),
  [Channel.backupAbort]: z.object({ token }).strict(),
  [Channel.backupList]: z.object({}).strict(),
  [Channel.backupRead]: z.object({
    // A backup in the chosen folder by name, or the file the clerk picked (backup:pick) by its token.
    source: z.union([z.object({ name: backupName }).strict(), z.object({ token }).strict()]),
    offset: z.number().int().min(0).max(2 ** 50),
    length: z.number().int().min(1).max(MAX_BACKUP_CHUNK),
  }).strict(),
  [Channel.backupPick]: z.object({}).strict(),
  [Channel.backupPrune]: z.object({ keep: z.number().int().min(1).max(365) }).strict(),
} as const satisfies Record<ChannelName, z.ZodType>

/** The WebDAV target as the sync page shows it (never the password). */
export interface WebdavInfo {
  url: string
  username: string
  hasPassword: boolean
  /** http:// — fine on the office LAN, never over the internet. */
  insecure: boolean
  timeoutMs: number
  /** What stops sync now (wrong password, unreachable…), in zh-CN. */
  problem?: { code: ErrorCode; message: string }
}

export interface ImportedFile {
  /** `/`-separated path relative to the picked folder (files mode: the file name). */
  rel: string
  size: number
}

/** Result type of each channel (the `value` of an ok envelope). */
export interface Results {
  [Channel.pdfSave]: { saved: boolean; path?: string }
  [Channel.pdfPrint]: { printed: boolean }
  [Channel.fileSave]: { saved: boolean; path?: string }
  /** `token` is '' and `files` empty when the user cancelled the dialog. */
  [Channel.importPick]: { token: string; files: ImportedFile[] }
  [Channel.importRead]: { bytes: Uint8Array }
  [Channel.sharedChoose]: { root: string } | { cancelled: true }
  /** `root`: the folder's path or the WebDAV address; `webdav` when the files are on a WebDAV server. */
  [Channel.sharedCurrent]: { root: string | null; webdav?: WebdavInfo }
  /** Names in the directory; sub-directories end with '/', like WebDAV collections. Sorted. */
  [Channel.sharedList]: string[]
  [Channel.sharedRead]: Uint8Array
  /** `written: false` = a file of that name already existed (never overwritten); `same` says
   * whether its bytes equal the ones offered (a republish after a crash). */
  [Channel.sharedWriteIfAbsent]: { written: boolean; same?: boolean }
  [Channel.sharedRemove]: { removed: boolean }
  /** This PC's id as the main process now holds it (only its files may be written or removed). */
  [Channel.sharedClaimPc]: { pc: string }
  /** `remembered: false` = no protected storage here: the password is asked again after a restart. */
  [Channel.sharedWebdavSet]: { url: string; remembered: boolean; insecure: boolean }
  /** The folder answered: its entries (names, folders without '/') and its vault.json as text, if any. */
  [Channel.sharedWebdavTest]: { entries: string[]; vault: string | null; insecure: boolean }
  [Channel.appInfo]: { version: string; platform: string; userDataDir: string }
  /** `available: false` = the OS offers no protected storage here; nothing is remembered. */
  [Channel.secretGet]: { value: string | null; available: boolean }
  /** `stored: false` = not remembered (no protected storage); the clerk is asked at each start. */
  [Channel.secretSet]: { stored: boolean }
  [Channel.secretClear]: { cleared: boolean }
  [Channel.backupChooseFolder]: { root: string } | { cancelled: true }
  [Channel.backupFolder]: { root: string | null }
  /** A backup being written: the token names it for append/finish/abort. */
  [Channel.backupBegin]: { token: string }
  /** Bytes written so far. */
  [Channel.backupAppend]: { size: number }
  /** The file under its final name, read back and verified (its SHA-256 as read back). */
  [Channel.backupFinish]: { name: string; size: number; sha256: string }
  [Channel.backupAbort]: { aborted: boolean }
  /** The backups in the chosen folder, newest first (only names this app writes). */
  [Channel.backupList]: BackupFileInfo[]
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  [Channel.backupRead]: Uint8Array
  [Channel.backupPick]: { token: string; name: string; size: number } | { cancelled: true }
  [Channel.backupPrune]: { removed: string[] }
}

/**
 * Names of the backup files this app writes: `MarketDesk-<yyyymmdd>-<hhmmss>[-<PC code>][-<n>].mdbak`.
 * backup:list, backup:prune and backup:read by name touch only such names, never another file.
 */
export const BACKUP_FILE_NAME = /^MarketDesk-\d{8}-\d{6}(?:-[A-Z0-9]{2,3})?(?:-\d{1,3})?\.mdbak$/

/** One backup file in the backup folder. */
export interface BackupFileInfo {
  name: string
  size: number
  /** ISO time the file was last written. */
  mtime: string
}

/** Request type of a channel, inferred from its schema. */
export type ChannelRequest<C extends ChannelName> = z.infer<(typeof requestSchemas)[C]>
/** Result type of a channel. */
export type ChannelResult<C extends ChannelName> = Results[C]

/** Error codes that cross the bridge; `message` carries the zh-CN text for the clerk. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'FORBIDDEN_SENDER'
  | 'OUTSIDE_ROOT'
  | 'NOT_FOUND'
  | 'FILE_TOO_LARGE'
  | 'UNKNOWN_TOKEN'
  | 'NOT_ALLOWED_FILE'
  | 'SHARED_NOT_CHOSEN'
  | 'SHARED_UNAVAILABLE'
  /** The chosen folder's path is too long for every sync file to stay under Windows' MAX_PATH. */
  | 'PATH_TOO_LONG'
  /** Another PC's file (or one no PC writes): the renderer writes and removes only this PC's own. */
  | 'NOT_OWN_FILE'
  | 'BACKUP_NOT_CHOSEN'
  | 'ACCESS_DENIED'
  | 'BUSY'
  | 'DISK_FULL'
  | 'READ_ONLY'
  | 'VERIFY_FAILED'
  | 'PRINT_FAILED'
  /** WebDAV: the server refused the user name or password (401); sync pauses until it is re-entered. */
  | 'AUTH_FAILED'
  /** WebDAV: no answer in time, no such host, connection refused or dropped; retried next round. */
  | 'UNREACHABLE'
  /** WebDAV: the address answers, but not as a WebDAV server (a web page, a wrong path). */
  | 'NOT_WEBDAV'
  /** WebDAV over https: the server's certificate is not trusted (self-signed, expired, wrong name). */
  | 'CERT_INVALID'
  | 'INTERNAL'

export type Envelope<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string }

/** What `window.desk` offers: one named function per channel; nothing else. */
export type DeskApi = { [K in ApiName]: (req: ChannelRequest<(typeof Channel)[K]>) => Promise<Envelope<ChannelResult<(typeof Channel)[K]>>> }

/** Error thrown by `unwrap`: `message` is zh-CN, ready to show. */
export class DeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DeskError'
  }
}

/** Value of an ok envelope, or throws a DeskError with the zh-CN message. */
export function unwrap<T>(e: Envelope<T>): T {
  if (e.ok) return e.value
  throw new DeskError(e.code, e.message)
}

/** The channel for a `window.desk` function name. */
export const channelOf = (name: ApiName): ChannelName => Channel[name]
export const apiNames = Object.keys(Channel) as ApiName[]
