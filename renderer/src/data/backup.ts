/**
 * Backup and restore of one profile, and the care of its storage (issue 7).
 *
 * A backup is ONE `.mdbak` file: a zip (@zip.js/zip.js; AES-256 when the clerk gives a backup
 * password) holding `manifest.json` (format, app, schema, office, when and by whom, and per part
 * its row count, size and SHA-256), one JSON-lines part per table under `tables/`, and each
 * attachment's bytes under `blobs/<sha256>`. Parts are produced and consumed as streams, so a
 * backup never holds the file, a table's text or more than one attachment at a time.
 *
 * What a backup holds, and what it leaves out on purpose:
 * - every business table (docs, lines, attachments, audit, versions, printLog, users, proxies),
 *   the signed directory, manual matches, the trust gate's findings, the blobs, and the local
 *   counts in `meta`: a restored profile shows exactly what the old one showed;
 * - the merge state of every record (the `$sync` cells inside the rows, `syncState`,
 *   `syncConflicts` and the digest accumulator), and the outbox rows not yet published. Without the
 *   merge state, the first edit of a restored record would conflict with its own past once the PC
 *   syncs (merge.ts: a write names the writes it has seen); without the unpublished outbox rows, the
 *   work the old PC had not sent yet would never reach the office;
 * - NOT the old PC's place in the vault: its sync keys (the separate `marketdesk-identity`
 *   database, with any remembered passphrase), its own segments, cursors, peers, vault and HLC.
 *   A restored profile has no vault: it joins in 设置 → 同步 under a NEW sync identity, reads the
 *   vault from the start (or its snapshot) like any new PC, and merges what it already holds
 *   (merging a write twice changes nothing), then sends the unpublished rows as its own changes.
 *   The old PC stays a peer whose files everyone keeps applying; nothing is published under its name;
 * - NOT this PC's number code, its counters, its device id or its audit chain position: the old
 *   PC, or a later backup of it, may still issue numbers and chained entries under them, so a
 *   restored PC takes a new PC code (never the old one nor any code found in its documents' numbers)
 *   and a new device id. Numbers never collide; the series simply continues under another code.
 *   Neither sign-in failure counts nor the local backup preferences travel.
 *
 * A restore runs only on a fresh profile (no office), verifies the manifest and every part's
 * SHA-256 BEFORE it writes anything, then writes in Dexie transactions; the office is set last, so
 * a restore cut short leaves a profile that is still fresh (and is cleared before the next try).
 */
import Dexie, { type Table } from 'dexie'
import { configure, Reader, ZipReader, ZipWriter, type Entry, type FileEntry } from '@zip.js/zip.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { isPcCode, newPcCode, parseNumber } from '@core/numbering'
import { sha256Hex } from '@core/identity'
import { BACKUP_FILE_NAME, type BackupFileInfo, type DeskApi, type Envelope } from '@shared/ipc'
import { IDENTITY_DB } from '../sync/identity'
import { markSyncTransaction, type DeskDb } from './db'
import type { DeskDirectoryStore, OfficeState } from './directory'
import { DEMO_PC_CODE } from './seed-constants'

// No web workers: the app's CSP allows none from blob: URLs, and one backup at a time needs none.
configure({ useWebWorkers: false })

/** The format written here; a file of a higher version is refused (made by a newer app). */
export const BACKUP_VERSION = 1
export const BACKUP_FORMAT = 'marketdesk-backup'
export const BACKUP_EXT = '.mdbak'
/** Keep this many backups in the folder unless the clerk says otherwise. */
export const DEFAULT_KEEP = 7
/** An attachment's bytes no live record has referred to for this long are removed. */
export const BLOB_GRACE_MS = 30 * 24 * 3600_000
/** Write and read the file in pieces of this size (under the IPC limit, MAX_BACKUP_CHUNK). */
const IO_CHUNK = 8 * 1024 * 1024
/** Rows per restore transaction (a few MB at most). */
const RESTORE_BATCH = 1000

// ------------------------------------------------------------------------------------- types

/** One part of a backup as the manifest lists it. */
export interface BackupPart {
  path: string
  kind: 'table' | 'blob'
  table?: string
  rows?: number
  bytes: number
  sha256: string
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT
  version: number
  app: string
  /** The Dexie schema version of the profile it was taken from. */
  schema: number
  createdAt: string
  by: { userId: string; name: string } | null
  /** Written by the daily backup rather than by a clerk. */
  auto: boolean
  office: Exclude<OfficeState, { kind: 'none' }>
  /** The PC it was taken on (for the clerk, and so a restore never reuses its identity). */
  source: { pcName: string; pcCode: string; syncPc?: string }
  encrypted: boolean
  tables: Record<string, number>
  blobs: { count: number; bytes: number; skipped: number }
  parts: BackupPart[]
}

/** Why a backup or restore was refused, with the clerk's message. Nothing was written. */
export type BackupErrorCode = 'noOffice' | 'notFresh' | 'notBackup' | 'damaged' | 'needPassword' | 'wrongPassword' | 'newer' | 'storageFull' | 'failed'

export class BackupError extends Error {
  constructor(readonly code: BackupErrorCode, readonly zh: string, readonly en: string, options?: { cause?: unknown }) {
    super(zh, options)
    this.name = 'BackupError'
  }
}

const refuse = {
  noOffice: () => new BackupError('noOffice', '本机还没有办公室数据，无需备份', 'This PC holds no office yet: there is nothing to back up'),
  notFresh: () => new BackupError('notFresh', '本机已有办公室数据，不能恢复备份。恢复只能在新安装的程序（新的用户配置）上进行，以免覆盖现有数据',
    'This PC already holds an office. A backup restores only onto a fresh installation (a new profile), so nothing here is overwritten'),
  notBackup: () => new BackupError('notBackup', '这不是 MarketDesk 备份文件，未写入任何数据', 'This is not a MarketDesk backup file; nothing was written'),
  damaged: (detail: string, cause?: unknown) => new BackupError('damaged', `备份文件不完整或已损坏（${detail}），未写入任何数据。请换用另一份备份`,
    `The backup file is incomplete or damaged (${detail}); nothing was written. Use another backup`, { cause }),
  needPassword: () => new BackupError('needPassword', '此备份已加密，请输入备份密码', 'This backup is encrypted: enter its password'),
  wrongPassword: () => new BackupError('wrongPassword', '备份密码不正确，未写入任何数据', 'Wrong backup password; nothing was written'),
  newer: () => new BackupError('newer', '此备份由较新版本的 MarketDesk 生成，请先升级本机程序再恢复，未写入任何数据',
    'This backup was made by a newer MarketDesk: update this PC first; nothing was written'),
}

/** Progress for the page: what is happening, how far. */
export interface BackupProgress { phase: 'read' | 'write' | 'verify' | 'restore'; done: number; total: number }

/** Where a backup's bytes go, in order. */
export interface BackupSink {
  write(chunk: Uint8Array): Promise<void>
  /** All written: make the file final. Returns what to tell the clerk. */
  close(): Promise<{ name: string; size: number }>
  abort(): Promise<void>
}

/** Random access to a backup file (a file in the backup folder, a picked file, a browser File). */
export interface BackupSource {
  name: string
  size: number
  read(offset: number, length: number): Promise<Uint8Array>
}

/** The data layer parts a backup needs. */
export interface BackupLayer { db: DeskDb; directory: DeskDirectoryStore }

// ------------------------------------------------------------------------------------- what goes in

/** Settings of this PC alone (its number code, device id, name, backup preferences). */
const LOCAL_SETTINGS = new Set(['pcCode', 'deviceId', 'pcName', 'backup'])
/** Local bookkeeping that must not follow the data to another PC (see the header). */
const localMeta = (key: string) => key.startsWith('signin:') || key === 'auditChain' || key.startsWith('restore:') || key === BLOB_GC_KEY
/** Of the sync adapter's own facts, only those that describe the restored records. */
const SYNC_META = new Set(['digestAcc', 'hasCells', 'pendingBlobs'])

interface TablePlan {
  table: string
  /** Rows that go into the backup. */
  keep?: (row: Record<string, unknown>) => boolean
  /** Fields of this PC alone, left out of each row (a restored row gets its own). */
  local?: readonly string[]
}

/** Tables in restore order: the directory and settings first, the merge state after the rows. */
const TABLES: TablePlan[] = [
  { table: 'directory' },
  { table: 'settings', keep: (r) => !LOCAL_SETTINGS.has(String(r.key)) },
  { table: 'users' },
  { table: 'proxies' },
  // `localSeq`: this PC's write stamp (db.ts schema v7); the restore's puts stamp rows anew.
  { table: 'docs', local: ['localSeq'] },
  { table: 'lines' },
  { table: 'attachments' },
  { table: 'audit' },
  { table: 'versions' },
  { table: 'printLog' },
  { table: 'manualMatches' },
  { table: 'findings' },
  { table: 'meta', keep: (r) => !localMeta(String(r.key)) },
  { table: 'syncState' },
  { table: 'syncConflicts' },
  { table: 'syncMeta', keep: (r) => SYNC_META.has(String(r.key)) },
  // Published rows are history; the unpublished ones are work the office has not seen yet.
  { table: 'outbox', keep: (r) => r.exported === 0 },
]
const TABLE_NAMES = new Set(TABLES.map((t) => t.table))

/**
 * Every table a restore writes (and clears again when it fails). With them the kept list digests
 * (`digests`, local, never in a backup): they describe the documents the restore replaces.
 */
function restoreTables(db: DeskDb): Table[] {
  return [...TABLES.map((t) => db.table(t.table)), db.blobs, db.digests]
}

// ------------------------------------------------------------------------------------- JSON lines

/** Binary values (a manual match's thumbnail) as base64 inside JSON. */
function toJson(_key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return { $u8: bytesToBase64(v) }
  if (v instanceof ArrayBuffer) return { $u8: bytesToBase64(new Uint8Array(v)) }
  return v
}

function fromJson(_key: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    if (typeof o.$u8 === 'string' && Object.keys(o).length === 1) return base64ToBytes(o.$u8)
  }
  return v
}

function bytesToBase64(u8: Uint8Array): string {
  let s = ''
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000))
  return btoa(s)
}

function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

/** A part produced as a stream, with its hash and size known once it has been read to the end. */
function jsonLines(rows: unknown[]): { stream: ReadableStream<Uint8Array>; done: () => { bytes: number; sha256: string; rows: number } } {
  const enc = new TextEncoder()
  const h = sha256.create()
  let i = 0
  let bytes = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= rows.length) { controller.close(); return }
      let text = ''
      // About 1 MB of text per chunk; the rows already read are released as we go.
      while (i < rows.length && text.length < 1 << 20) {
        text += JSON.stringify(rows[i], toJson) + '\n'
        rows[i] = undefined
        i++
      }
      const chunk = enc.encode(text)
      h.update(chunk)
      bytes += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  return { stream, done: () => ({ bytes, sha256: hex(h.digest()), rows: i }) }
}

const oneChunk = (bytes: Uint8Array) => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes); c.close() } })

// ------------------------------------------------------------------------------------- backup

export interface BackupOptions {
  app: string
  password?: string
  auto?: boolean
  by?: { userId: string; name: string } | null
  now?: () => Date
  onProgress?: (p: BackupProgress) => void
  /** The identity database beside this profile (tests pass fake-indexeddb). */
  identity?: IdentityDbOptions
}

export interface IdentityDbOptions { name?: string; indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange }

/** The sync id of this profile's identity database, if it has one (read only; nothing is created). */
export async function identityPc(opts: IdentityDbOptions = {}): Promise<string | undefined> {
  const row = await withIdentityStore(opts, 'readonly', (store) => request<{ value?: { pc?: unknown } } | undefined>(store.get('keys')))
  return typeof row?.value?.pc === 'string' ? row.value.pc : undefined
}

/** Drops the sync keys (and a remembered passphrase) of this profile's identity database. */
async function dropIdentityKeys(opts: IdentityDbOptions = {}): Promise<void> {
  await withIdentityStore(opts, 'readwrite', async (store) => {
    await request(store.delete('keys'))
    await request(store.delete('passphrase'))
  })
}

function request<T>(r: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result as T); r.onerror = () => reject(r.error) })
}

/**
 * Runs `fn` on the `identity` store of the identity database (renderer/src/sync/identity.ts) with
 * plain IndexedDB, so whatever schema version the sync code is at is left as it is; a database that
 * does not exist is not created (its creation is aborted), and `fn` is not called.
 */
async function withIdentityStore<T>(opts: IdentityDbOptions, mode: IDBTransactionMode, fn: (store: IDBObjectStore) => Promise<T>): Promise<T | undefined> {
  const factory = opts.indexedDB ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB)
  if (!factory) return undefined
  const db = await new Promise<IDBDatabase | undefined>((resolve) => {
    const r = factory.open(opts.name ?? IDENTITY_DB)
    r.onupgradeneeded = () => r.transaction?.abort()
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => resolve(undefined)
    r.onblocked = () => resolve(undefined)
  })
  if (!db) return undefined
  try {
    if (!db.objectStoreNames.contains('identity')) return undefined
    const tx = db.transaction('identity', mode)
    const done = new Promise<void>((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error) })
    const out = await fn(tx.objectStore('identity'))
    await done
    return out
  } finally {
    db.close()
  }
}

/**
 * Writes a backup of the profile into `sink`. The records are read in ONE read transaction (a
 * consistent picture even while clerks keep working), the blobs one at a time after it (they are
 * content-addressed: a blob never changes under its name).
 */
export async function writeBackup(layer: BackupLayer, sink: BackupSink, opts: BackupOptions): Promise<{ manifest: BackupManifest; name: string; size: number }> {
  const { db, directory } = layer
  const office = await directory.office()
  if (office.kind === 'none') throw refuse.noOffice()
  const now = opts.now ?? (() => new Date())
  const progress = opts.onProgress ?? (() => undefined)
  const settings = await directory.settings()
  const pcName = await directory.pcName()
  const syncPc = await identityPc(opts.identity)

  const data = new Map<string, unknown[]>()
  let blobKeys: string[] = []
  progress({ phase: 'read', done: 0, total: TABLES.length })
  await db.transaction('r', [...TABLES.map((t) => db.table(t.table)), db.blobs], async () => {
    markSyncTransaction()
    for (const plan of TABLES) {
      const rows = (await db.table(plan.table).toArray()) as Array<Record<string, unknown>>
      const kept = plan.keep ? rows.filter(plan.keep) : rows
      if (plan.local) for (const row of kept) for (const f of plan.local) delete row[f]
      data.set(plan.table, kept)
    }
    blobKeys = (await db.blobs.toCollection().primaryKeys()) as string[]
  })

  const total = TABLES.length + blobKeys.length
  let done = 0
  const writer = new ZipWriter(sinkStream(sink), {
    ...(opts.password ? { password: opts.password, encryptionStrength: 3 as const } : {}),
    level: 5,
  })
  const parts: BackupPart[] = []
  const tables: Record<string, number> = {}
  try {
    for (const plan of TABLES) {
      const rows = data.get(plan.table) ?? []
      data.delete(plan.table)
      const part = jsonLines(rows)
      const path = `tables/${plan.table}.jsonl`
      await writer.add(path, part.stream)
      const d = part.done()
      parts.push({ path, kind: 'table', table: plan.table, rows: d.rows, bytes: d.bytes, sha256: d.sha256 })
      tables[plan.table] = d.rows
      progress({ phase: 'write', done: ++done, total })
    }
    let blobBytes = 0
    let skipped = 0
    for (const hash of blobKeys) {
      const blob = await db.blobs.get(hash)
      done++
      if (!blob) continue
      const bytes = blob.bytes
      // A blob damaged on this disk is left out (and counted) rather than failing every restore.
      if ((await sha256Hex(bytes)) !== hash) { skipped++; continue }
      const path = `blobs/${hash}`
      await writer.add(path, oneChunk(bytes), { level: 0 })
      parts.push({ path, kind: 'blob', bytes: bytes.byteLength, sha256: hash })
      blobBytes += bytes.byteLength
      if (done % 20 === 0) progress({ phase: 'write', done, total })
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT, version: BACKUP_VERSION, app: opts.app, schema: db.verno, createdAt: now().toISOString(),
      by: opts.by ?? null, auto: !!opts.auto, office, encrypted: !!opts.password,
      source: { pcName, pcCode: settings.pcCode, ...(syncPc ? { syncPc } : {}) },
      tables, blobs: { count: parts.length - TABLES.length, bytes: blobBytes, skipped }, parts,
    }
    await writer.add('manifest.json', oneChunk(new TextEncoder().encode(JSON.stringify(manifest, null, 1))))
    await writer.close()
    const written = await sink.close()
    progress({ phase: 'write', done: total, total })
    return { manifest, ...written }
  } catch (e) {
    await sink.abort().catch(() => undefined)
    throw e
  }
}

/** The sink as the WritableStream zip.js writes into. */
function sinkStream(sink: BackupSink): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({ write: (chunk) => sink.write(chunk) })
}

/** A sink that keeps the bytes in memory (tests, and the browser's download). */
export function memorySink(name = 'backup.mdbak'): BackupSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = []
  let size = 0
  return {
    async write(c) { chunks.push(c.slice()); size += c.byteLength },
    async close() { return { name, size } },
    async abort() { chunks.length = 0 },
    bytes() {
      const out = new Uint8Array(size)
      let o = 0
      for (const c of chunks) { out.set(c, o); o += c.byteLength }
      return out
    },
  }
}

/** Random access to bytes in memory (tests). */
export function memorySource(bytes: Uint8Array, name = 'backup.mdbak'): BackupSource {
  return { name, size: bytes.byteLength, read: async (offset, length) => bytes.slice(offset, offset + length) }
}

/** Random access to a File the clerk chose in a browser. */
export function fileSource(file: Blob & { name?: string }): BackupSource {
  return {
    name: file.name ?? 'backup.mdbak', size: file.size,
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  }
}

/** `MarketDesk-20261127-093015-A7.mdbak` in this PC's local time (BACKUP_FILE_NAME). */
export function backupFileName(at: Date, pcCode: string, n = 1): string {
  const p = (x: number, w = 2) => String(x).padStart(w, '0')
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`
  const name = `MarketDesk-${stamp}${isPcCode(pcCode) ? `-${pcCode}` : ''}${n > 1 ? `-${n}` : ''}${BACKUP_EXT}`
  if (!BACKUP_FILE_NAME.test(name)) throw new Error(`bad backup name ${name}`)
  return name
}

// ------------------------------------------------------------------------------------- reading

/** zip.js reads the file through this: blocks of IO_CHUNK, so each IPC call moves a few MB. */
class SourceReader extends Reader<BackupSource> {
  private block: { at: number; bytes: Uint8Array } | undefined
  private queue: Promise<unknown> = Promise.resolve()
  constructor(private readonly source: BackupSource) {
    super(source)
  }

  override async init(): Promise<void> {
    this.size = this.source.size
  }

  override readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const run = this.queue.then(() => this.readNow(index, length))
    this.queue = run.catch(() => undefined)
    return run
  }

  private async readNow(index: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, index + length)
    if (length > IO_CHUNK) return this.source.read(index, end - index)
    const b = this.block
    if (b && index >= b.at && end <= b.at + b.bytes.byteLength) return b.bytes.subarray(index - b.at, end - b.at)
    const bytes = await this.source.read(index, Math.min(IO_CHUNK, this.size - index))
    this.block = { at: index, bytes }
    return bytes.subarray(0, end - index)
  }
}

interface Opened { reader: ZipReader<unknown>; entries: Map<string, FileEntry>; manifest: BackupManifest; password?: string }

const zipError = (e: unknown) => (e instanceof Error ? e.message : String(e))
const isPasswordError = (e: unknown) => /invalid password/i.test(zipError(e))

/** Opens a backup and reads its manifest; refuses anything that is not a readable backup. */
async function openBackup(source: BackupSource, password?: string): Promise<Opened> {
  const reader = new ZipReader(new SourceReader(source), { checkSignature: true })
  let list: Entry[]
  try {
    list = await reader.getEntries()
  } catch (e) {
    // No end-of-zip record: a copy that stopped early, or not a zip at all.
    if (source.size > 4 && !(await looksLikeZip(source))) throw refuse.notBackup()
    throw refuse.damaged('文件末尾缺失，可能复制或下载时中断', e)
  }
  const entries = new Map<string, FileEntry>()
  for (const e of list) if (!e.directory) entries.set(e.filename, e as FileEntry)
  const m = entries.get('manifest.json')
  if (!m) throw refuse.notBackup()
  if (m.encrypted && !password) throw refuse.needPassword()
  let text: string
  try {
    text = new TextDecoder().decode(await entryBytes(m, password))
  } catch (e) {
    if (isPasswordError(e)) throw refuse.wrongPassword()
    throw refuse.damaged('清单无法读取', e)
  }
  let manifest: BackupManifest
  try {
    manifest = JSON.parse(text) as BackupManifest
  } catch (e) {
    throw refuse.damaged('清单无法解析', e)
  }
  if (manifest?.format !== BACKUP_FORMAT || !Array.isArray(manifest.parts) || !manifest.office) throw refuse.notBackup()
  if (!(manifest.version <= BACKUP_VERSION)) throw refuse.newer()
  return { reader, entries, manifest, ...(password ? { password } : {}) }
}

async function looksLikeZip(source: BackupSource): Promise<boolean> {
  const head = await source.read(0, 4)
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
}

/**
 * Streams an entry's content to `onChunk`. zip.js checks the AES authentication code of an
 * encrypted entry; `crc` also has it compute and check the CRC-32, which a part does not need
 * (its SHA-256 from the manifest is checked instead) but the manifest itself does.
 */
async function streamEntry(entry: FileEntry, password: string | undefined, onChunk: (c: Uint8Array) => void | Promise<void>, crc = true): Promise<void> {
  await entry.getData(new WritableStream<Uint8Array>({ write: (c) => onChunk(c) }), { checkSignature: crc, ...(password ? { password } : {}) })
}

async function entryBytes(entry: FileEntry, password?: string, crc = true): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let n = 0
  await streamEntry(entry, password, (c) => { chunks.push(c.slice()); n += c.byteLength }, crc)
  const out = new Uint8Array(n)
  let o = 0
  for (const c of chunks) { out.set(c, o); o += c.byteLength }
  return out
}

/** What the restore page shows before the clerk confirms: the manifest (its password checked). */
export async function inspectBackup(source: BackupSource, password?: string): Promise<BackupManifest> {
  const opened = await openBackup(source, password)
  await opened.reader.close()
  return opened.manifest
}

/** Reads a whole backup and checks every part against its manifest, writing nothing (校验). */
export async function verifyBackup(source: BackupSource, password?: string, onProgress?: (p: BackupProgress) => void): Promise<BackupManifest> {
  const opened = await openBackup(source, password)
  try {
    await verifyParts(opened, onProgress ?? (() => undefined))
    return opened.manifest
  } finally {
    await opened.reader.close().catch(() => undefined)
  }
}

/**
 * Reads every part and compares its size, row count and SHA-256 with the manifest (and a blob's
 * hash with its name). Throws a BackupError naming the first part that differs.
 */
async function verifyParts(o: Opened, progress: (p: BackupProgress) => void): Promise<void> {
  const { manifest, entries } = o
  const listed = new Set(manifest.parts.map((p) => p.path))
  for (const name of entries.keys()) {
    if (name !== 'manifest.json' && !listed.has(name)) throw refuse.damaged(`多出未登记的部分 ${name}`)
  }
  let done = 0
  for (const part of manifest.parts) {
    const entry = entries.get(part.path)
    if (!entry) throw refuse.damaged(`缺少 ${part.path}`)
    if (part.kind === 'table' && !TABLE_NAMES.has(part.table ?? '')) throw refuse.damaged(`未知的表 ${part.table}`)
    if (part.kind === 'blob' && part.path !== `blobs/${part.sha256}`) throw refuse.damaged(`附件名称与内容不符 ${part.path}`)
    let bytes = 0
    let lines = 0
    let digest: string
    try {
      if (part.kind === 'blob') {
        // One attachment at a time, hashed natively (WebCrypto); a table is hashed as it streams.
        const all = await entryBytes(entry, o.password, false)
        bytes = all.byteLength
        digest = await sha256Hex(all)
      } else {
        const h = sha256.create()
        await streamEntry(entry, o.password, (c) => {
          h.update(c)
          bytes += c.byteLength
          for (let i = 0; i < c.length; i++) if (c[i] === 10) lines++
        }, false)
        digest = hex(h.digest())
      }
    } catch (e) {
      if (isPasswordError(e)) throw refuse.wrongPassword()
      throw refuse.damaged(`${part.path} 无法读取`, e)
    }
    if (bytes !== part.bytes || digest !== part.sha256) throw refuse.damaged(`${part.path} 的校验值不符`)
    if (part.kind === 'table' && lines !== part.rows) throw refuse.damaged(`${part.path} 的行数不符`)
    done++
    if (done % 20 === 0 || done === manifest.parts.length) progress({ phase: 'verify', done, total: manifest.parts.length })
  }
}

// ------------------------------------------------------------------------------------- restore

export interface RestoreOptions {
  password?: string
  /** This PC's name (客服3号机); the backup's own PC name when empty. */
  pcName?: string
  onProgress?: (p: BackupProgress) => void
  identity?: IdentityDbOptions
  random?: () => number
}

export interface RestoreResult {
  manifest: BackupManifest
  pcCode: string
  /** True when this profile's identity database held the backed-up PC's keys and they were dropped. */
  identityReset: boolean
}

/** A profile that holds no office and no business rows (a restore cut short leaves only its marker). */
async function assertFresh(layer: BackupLayer): Promise<void> {
  if ((await layer.directory.office()).kind !== 'none') throw refuse.notFresh()
  const db = layer.db
  const interrupted = !!(await db.meta.get(RESTORE_MARK))
  if (interrupted) return
  for (const t of [db.docs, db.directory, db.audit, db.attachments, db.lines]) {
    if ((await t.limit(1).count()) > 0) throw refuse.notFresh()
  }
}

const RESTORE_MARK = 'restore:inProgress'

/**
 * Restores a backup onto this fresh profile. Everything is verified first; then the rows are
 * written in transactions (marked as the sync adapter's, so the `$sync` cells go in as they were),
 * the blobs one by one, and finally the office, this PC's name and a new PC code. A failure while
 * writing clears what was written, so the profile is fresh again.
 */
export async function restoreBackup(layer: BackupLayer, source: BackupSource, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const { db } = layer
  const progress = opts.onProgress ?? (() => undefined)
  await assertFresh(layer)
  const opened = await openBackup(source, opts.password)
  try {
    const { manifest } = opened
    if (manifest.schema > db.verno) throw refuse.newer()
    await verifyParts(opened, progress)
    await assertFresh(layer)
    const before = await db.settings.toArray()
    try {
      return await writeRestore(layer, opened, before, opts, progress)
    } catch (e) {
      await clearRestore(db, before).catch(() => undefined)
      if (isQuotaError(e)) throw new BackupError('storageFull', `${QUOTA_MESSAGE.zh}（恢复未完成，本机仍是空白配置）`, `${QUOTA_MESSAGE.en} (nothing was restored)`, { cause: e })
      if (e instanceof BackupError) throw e
      throw new BackupError('failed', `恢复失败：${zipError(e)}（本机仍是空白配置，可以重试）`, `Restore failed: ${zipError(e)} (nothing was kept; try again)`, { cause: e })
    }
  } finally {
    await opened.reader.close().catch(() => undefined)
  }
}

async function writeRestore(layer: BackupLayer, o: Opened, before: Array<{ key: string; value: unknown }>, opts: RestoreOptions, progress: (p: BackupProgress) => void): Promise<RestoreResult> {
  const { db } = layer
  const { manifest } = o
  await clearRestore(db, before)
  await db.meta.put({ key: RESTORE_MARK, value: { at: new Date().toISOString(), from: manifest.createdAt } })
  const codes = new Set<string>([DEMO_PC_CODE, manifest.source.pcCode])
  let language: unknown
  const total = manifest.parts.length
  let done = 0
  for (const part of manifest.parts) {
    const entry = o.entries.get(part.path) as FileEntry
    if (part.kind === 'blob') {
      const bytes = await entryBytes(entry, o.password, false)
      // Verified once already; checked again, since the file was read a second time.
      if ((await sha256Hex(bytes)) !== part.sha256) throw refuse.damaged(`${part.path} 第二次读取时校验值不符`)
      await db.transaction('rw', db.blobs, async () => { await db.blobs.put({ hash: part.sha256, bytes, size: bytes.byteLength }) })
    } else if (part.table && TABLE_NAMES.has(part.table)) {
      const table = db.table(part.table)
      const plan = TABLES.find((t) => t.table === part.table)!
      let batch: Array<Record<string, unknown>> = []
      const flush = async () => {
        if (batch.length === 0) return
        const rows = batch
        batch = []
        await db.transaction('rw', table, async () => {
          markSyncTransaction()
          if (part.table === 'outbox') await table.bulkAdd(rows)
          else await table.bulkPut(rows)
        })
      }
      const read = await readLines(entry, o.password, async (row) => {
        if (plan.keep && !plan.keep(row)) return
        if (part.table === 'settings' && (row.key === 'office' || row.key === 'language')) {
          if (row.key === 'language') language = row.value
          return
        }
        if (part.table === 'docs' && typeof row.number === 'string') {
          const pc = parseNumber(row.number)?.pcCode
          if (pc) codes.add(pc)
        }
        // Unpublished changes queue again as this PC's own, in their order, under new outbox numbers.
        if (part.table === 'outbox') delete row.seq
        batch.push(row)
        if (batch.length >= RESTORE_BATCH) await flush()
      })
      await flush()
      // Read a second time: what was written must be what was verified (else all is cleared again).
      if (read !== part.sha256) throw refuse.damaged(`${part.path} 第二次读取时校验值不符`)
    }
    done++
    if (done % 20 === 0 || done === total) progress({ phase: 'restore', done, total })
  }

  // The old PC's sync keys must not come back: a profile whose identity database survived a wipe
  // of the business database would otherwise publish as the PC the backup came from.
  let identityReset = false
  if (manifest.source.syncPc && (await identityPc(opts.identity)) === manifest.source.syncPc) {
    await dropIdentityKeys(opts.identity)
    identityReset = (await identityPc(opts.identity)) === undefined
    if (!identityReset) throw new BackupError('failed', '无法重置本机的同步身份，恢复已取消', 'Could not reset this PC\'s sync identity; restore cancelled')
  }

  // Last: this PC's own facts and the office itself. Until this commits the profile is still fresh.
  const current = before.find((s) => s.key === 'pcCode')?.value
  const pcCode = typeof current === 'string' && isPcCode(current) && !codes.has(current) ? current : newPcCode([...codes], opts.random ?? Math.random)
  const pcName = (opts.pcName ?? '').trim() || manifest.source.pcName
  await db.transaction('rw', db.settings, db.meta, async () => {
    await db.settings.put({ key: 'pcCode', value: pcCode })
    if (pcName) await db.settings.put({ key: 'pcName', value: pcName })
    if (typeof language === 'string' && !before.some((s) => s.key === 'language')) await db.settings.put({ key: 'language', value: language })
    await db.meta.put({ key: 'restore:from', value: { createdAt: manifest.createdAt, pcName: manifest.source.pcName, pcCode: manifest.source.pcCode, at: new Date().toISOString() } })
    await db.meta.delete(RESTORE_MARK)
    await db.settings.put({ key: 'office', value: manifest.office })
  })
  return { manifest, pcCode, identityReset }
}

/** Parses an entry's JSON lines as they stream in; returns the SHA-256 of the bytes read. */
async function readLines(entry: FileEntry, password: string | undefined, onRow: (row: Record<string, unknown>) => Promise<void>): Promise<string> {
  const h = sha256.create()
  const dec = new TextDecoder()
  let rest = ''
  const take = async (text: string) => {
    rest += text
    let nl: number
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl)
      rest = rest.slice(nl + 1)
      if (line) await onRow(JSON.parse(line, fromJson) as Record<string, unknown>)
    }
  }
  await streamEntry(entry, password, (c) => { h.update(c); return take(dec.decode(c, { stream: true })) }, false)
  await take(dec.decode())
  if (rest.trim()) await onRow(JSON.parse(rest, fromJson) as Record<string, unknown>)
  return hex(h.digest())
}

/** Empties what a restore writes and puts back the settings the fresh profile had. */
async function clearRestore(db: DeskDb, before: Array<{ key: string; value: unknown }>): Promise<void> {
  const tables = restoreTables(db)
  await db.transaction('rw', tables, async () => {
    for (const t of tables) await t.clear()
    if (before.length) await db.settings.bulkPut(before)
  })
}

// ------------------------------------------------------------------------------------- the folder

/** A backup folder: the desktop app's chosen folder (backup:*), or nothing in a plain browser. */
export interface BackupFolder {
  root(): Promise<string | null>
  list(): Promise<BackupFileInfo[]>
  /** A sink for a new file of this name (never replacing one). */
  create(name: string): Promise<BackupSink>
  open(name: string): Promise<BackupSource>
  prune(keep: number): Promise<string[]>
}

function ok<T>(e: Envelope<T>): T {
  if (e.ok) return e.value
  throw new BackupError('failed', e.message, e.message)
}

/** The backup folder through `window.desk` (the main process writes and reads the files). */
export function deskBackupFolder(desk: DeskApi): BackupFolder {
  return {
    async root() { return ok(await desk.backupFolder({})).root },
    async list() { return ok(await desk.backupList({})) },
    async create(name) {
      const { token } = ok(await desk.backupBegin({ name }))
      let pending: Uint8Array[] = []
      let pendingBytes = 0
      let size = 0
      const flush = async () => {
        if (pendingBytes === 0) return
        const bytes = new Uint8Array(pendingBytes)
        let o = 0
        for (const c of pending) { bytes.set(c, o); o += c.byteLength }
        pending = []
        pendingBytes = 0
        ok(await desk.backupAppend({ token, bytes }))
      }
      return {
        async write(chunk) {
          pending.push(chunk.slice())
          pendingBytes += chunk.byteLength
          size += chunk.byteLength
          if (pendingBytes >= IO_CHUNK) await flush()
        },
        async close() {
          await flush()
          const r = ok(await desk.backupFinish({ token, size }))
          return { name: r.name, size: r.size }
        },
        async abort() { await desk.backupAbort({ token }) },
      }
    },
    async open(name) {
      const info = (ok(await desk.backupList({}))).find((f) => f.name === name)
      if (!info) throw new BackupError('failed', `备份文件不存在：${name}`, `No such backup: ${name}`)
      return { name, size: info.size, read: async (offset, length) => ok(await desk.backupRead({ source: { name }, offset, length })) }
    },
    async prune(keep) { return ok(await desk.backupPrune({ keep })).removed },
  }
}

/** Lets the clerk pick a backup file anywhere (a USB stick) through the desktop app's dialog. */
export async function pickBackupFile(desk: DeskApi): Promise<BackupSource | null> {
  const r = ok(await desk.backupPick({}))
  if ('cancelled' in r) return null
  const { token, name, size } = r
  return { name, size, read: async (offset, length) => ok(await desk.backupRead({ source: { token }, offset, length })) }
}

/** This PC's backup preferences (local; never in a backup). */
export interface BackupPrefs { keep: number; daily: boolean }

export async function backupPrefs(db: DeskDb): Promise<BackupPrefs> {
  const v = (await db.settings.get('backup'))?.value as Partial<BackupPrefs> | undefined
  const keep = Number.isInteger(v?.keep) && (v!.keep as number) >= 1 && (v!.keep as number) <= 365 ? (v!.keep as number) : DEFAULT_KEEP
  return { keep, daily: v?.daily !== false }
}

export async function saveBackupPrefs(db: DeskDb, prefs: BackupPrefs): Promise<void> {
  if (!Number.isInteger(prefs.keep) || prefs.keep < 1 || prefs.keep > 365) throw new BackupError('failed', '保留份数应为 1–365', 'Keep 1–365 backups')
  await db.settings.put({ key: 'backup', value: { keep: prefs.keep, daily: prefs.daily } })
}

/** One backup at a time on this PC (the daily one and a clerk's never interleave). */
let tail: Promise<unknown> = Promise.resolve()
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = tail.then(fn)
  tail = run.catch(() => undefined)
  return run
}

/**
 * Writes a backup into the folder under a new name, then keeps the newest `keep` backups.
 */
export function backupToFolder(layer: BackupLayer, folder: BackupFolder, opts: BackupOptions & { keep?: number }): Promise<{ manifest: BackupManifest; name: string; size: number; removed: string[] }> {
  return exclusive(async () => {
    const now = opts.now ?? (() => new Date())
    const at = now()
    const code = (await layer.directory.settings()).pcCode
    let sink: BackupSink | undefined
    for (let n = 1; !sink; n++) {
      try {
        sink = await folder.create(backupFileName(at, code, n))
      } catch (e) {
        // Two backups in one second: the next name (the folder never overwrites one).
        if (n >= 20 || !(e instanceof BackupError && /同名/.test(e.zh))) throw e
      }
    }
    const r = await writeBackup(layer, sink, { ...opts, now: () => at })
    const removed = opts.keep ? await folder.prune(opts.keep) : []
    return { ...r, removed }
  })
}

/** When the newest backup in the folder was written (its name's time, else the file's). */
export function newestBackupAt(list: BackupFileInfo[]): number | undefined {
  let best: number | undefined
  for (const f of list) {
    const m = /^MarketDesk-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(f.name)
    const t = m ? new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!).getTime() : Date.parse(f.mtime)
    if (Number.isFinite(t) && (best === undefined || t > best)) best = t
  }
  return best
}

const DAY_MS = 24 * 3600_000

/**
 * The daily backup: when this PC belongs to an office, the clerk chose a folder, daily backups are
 * on, and the newest backup there is older than a day, write one (no password: nobody is there to
 * type it) and keep the newest N.
 */
export async function dailyBackup(layer: BackupLayer, folder: BackupFolder, opts: { app: string; now?: () => Date }): Promise<{ written?: string; skipped?: 'noOffice' | 'off' | 'noFolder' | 'recent' }> {
  if ((await layer.directory.office()).kind === 'none') return { skipped: 'noOffice' }
  const prefs = await backupPrefs(layer.db)
  if (!prefs.daily) return { skipped: 'off' }
  if (!(await folder.root())) return { skipped: 'noFolder' }
  const now = opts.now ?? (() => new Date())
  const newest = newestBackupAt(await folder.list())
  if (newest !== undefined && now().getTime() - newest < DAY_MS) return { skipped: 'recent' }
  const r = await backupToFolder(layer, folder, { app: opts.app, auto: true, now, keep: prefs.keep })
  return { written: r.name }
}

// ------------------------------------------------------------------------------------- storage

/** What the clerk is told when the disk (the browser's quota) is full. */
export const QUOTA_MESSAGE = {
  zh: '磁盘空间不足，本次保存未完成，已保存的数据不受影响；请清理磁盘或联系管理员',
  en: 'The disk is full: this save did not complete. Everything saved before is safe; free some disk space or call your administrator',
} as const

/** True for IndexedDB's QuotaExceededError, however Dexie wrapped it (inner, cause, bulk failures). */
export function isQuotaError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 5) return false
  const o = e as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown }
  if (o.name === 'QuotaExceededError' || o.name === Dexie.errnames.QuotaExceeded) return true
  if (isQuotaError(o.inner, depth + 1) || isQuotaError(o.cause, depth + 1)) return true
  const failures = Array.isArray(o.failures) ? o.failures : o.failures && typeof o.failures === 'object' ? Object.values(o.failures) : []
  return failures.some((f) => isQuotaError(f, depth + 1))
}

let quotaMessages = false

/**
 * Gives every "storage full" failure of the data layer the clerk's message: Dexie's
 * QuotaExceededError, and the AbortError of a transaction IndexedDB aborted for lack of space,
 * read `message` (and `zh`/`en`, which the pages show as they are) as QUOTA_MESSAGE; the browser's
 * own text stays in `detail`. IndexedDB aborts the whole transaction, so nothing of that save is
 * kept and nothing saved before is touched. Installed once, on Dexie's error classes: no promise of
 * any transaction is wrapped (an extra promise in a transaction's chain can make Chromium commit it early).
 */
export function installQuotaMessages(): void {
  if (quotaMessages) return
  quotaMessages = true
  const define = (cls: { prototype: object } | undefined, applies: (self: { inner?: unknown }) => boolean) => {
    if (!cls) return
    const keep = (self: object, v: unknown) => Object.defineProperty(self, 'detail', { value: v, writable: true, configurable: true, enumerable: false })
    Object.defineProperty(cls.prototype, 'message', {
      configurable: true,
      get(this: { detail?: string; inner?: unknown }) { return applies(this) ? QUOTA_MESSAGE.zh : (this.detail ?? '') },
      set(this: object, v: unknown) { keep(this, v) },
    })
    Object.defineProperty(cls.prototype, 'zh', { configurable: true, get(this: { inner?: unknown }) { return applies(this) ? QUOTA_MESSAGE.zh : undefined } })
    Object.defineProperty(cls.prototype, 'en', { configurable: true, get(this: { inner?: unknown }) { return applies(this) ? QUOTA_MESSAGE.en : undefined } })
  }
  const D = Dexie as unknown as Record<string, { prototype: object } | undefined>
  define(D.QuotaExceededError, () => true)
  define(D.AbortError, (self) => isQuotaError(self.inner))
}

/** The answer to `navigator.storage.persist()` at start. */
export type Persistence = 'granted' | 'denied' | 'unsupported' | 'pending'
let persistence: Persistence = 'pending'

/** Asks the browser to keep this profile's storage under disk pressure (once per start). */
export async function requestPersistence(storage: StorageManager | undefined = typeof navigator === 'undefined' ? undefined : navigator.storage): Promise<Persistence> {
  if (!storage?.persist) persistence = 'unsupported'
  else {
    try {
      persistence = (await storage.persisted()) || (await storage.persist()) ? 'granted' : 'denied'
    } catch {
      persistence = 'denied'
    }
  }
  console.info(`[storage] persistent storage: ${persistence}`)
  return persistence
}

/** The last answer of `requestPersistence` (the backup page shows it). */
export function persistenceState(): Persistence { return persistence }

// ------------------------------------------------------------------------------------- blob collection

const BLOB_GC_KEY = 'blobGc'

/**
 * Removes attachment bytes nobody refers to any more, once they have gone unreferenced for
 * `graceMs` (30 days): a live attachment row, an open manual match or a segment of ours still to be
 * published keeps a blob. The first time a blob is seen unreferenced is remembered in `meta`; a
 * blob referenced again is forgotten there. One transaction, so an attachment added meanwhile
 * either is seen or waits for the next run.
 */
export async function collectBlobs(db: DeskDb, opts: { now: number; graceMs?: number }): Promise<{ deleted: string[]; waiting: number }> {
  const grace = opts.graceMs ?? BLOB_GRACE_MS
  return db.transaction('rw', [db.blobs, db.attachments, db.manualMatches, db.syncSegments, db.meta], async () => {
    const used = new Set<string>()
    await db.attachments.each((a) => { if (!a.deleted && typeof a.hash === 'string') used.add(a.hash) })
    await db.manualMatches.each((m) => { if (!m.resolved) used.add(m.fileHash) })
    await db.syncSegments.each((s) => { if (!s.published) for (const h of s.blobs) used.add(h) })
    const since = { ...(((await db.meta.get(BLOB_GC_KEY))?.value as Record<string, number> | undefined) ?? {}) }
    const deleted: string[] = []
    const keys = (await db.blobs.toCollection().primaryKeys()) as string[]
    const present = new Set(keys)
    for (const hash of keys) {
      if (used.has(hash)) { delete since[hash]; continue }
      const first = since[hash]
      if (first === undefined) since[hash] = opts.now
      else if (opts.now - first >= grace) { deleted.push(hash); delete since[hash] }
    }
    for (const hash of Object.keys(since)) if (!present.has(hash)) delete since[hash]
    if (deleted.length) await db.blobs.bulkDelete(deleted)
    await db.meta.put({ key: BLOB_GC_KEY, value: since })
    return { deleted, waiting: Object.keys(since).length }
  })
}

// ------------------------------------------------------------------------------------- start-up

export interface StorageCareOptions {
  layer: () => Promise<BackupLayer>
  /** `window.desk` in the desktop app; undefined in a plain browser (no folder, no daily backup). */
  desk?: DeskApi
  app: string
  /** First check this long after start (default 30 s), then every `everyMs` (default 1 h). */
  firstMs?: number
  everyMs?: number
}

/** What the last daily check did (the backup page shows it). */
export interface DailyState { at?: string; written?: string; error?: string }
let daily: DailyState = {}
export function dailyState(): DailyState { return { ...daily } }

/**
 * At start: turn full-disk failures into the clerk's message, ask for persistent storage, and run
 * the daily care (the backup when one is due, then the blob collection) soon after start and
 * hourly. Returns a function that stops the timers.
 */
export function startStorageCare(opts: StorageCareOptions): () => void {
  installQuotaMessages()
  void requestPersistence()
  let stopped = false
  const run = async () => {
    if (stopped) return
    try {
      const layer = await opts.layer()
      if (opts.desk) {
        const r = await dailyBackup(layer, deskBackupFolder(opts.desk), { app: opts.app })
        daily = { at: new Date().toISOString(), ...(r.written ? { written: r.written } : {}) }
      }
      await collectBlobs(layer.db, { now: Date.now() })
    } catch (e) {
      daily = { at: new Date().toISOString(), error: e instanceof Error ? e.message : String(e) }
      console.warn('[storage] daily care failed:', e)
    }
  }
  const first = setTimeout(() => { void run() }, opts.firstMs ?? 30_000)
  const every = setInterval(() => { void run() }, opts.everyMs ?? 3600_000)
  return () => { stopped = true; clearTimeout(first); clearInterval(every) }
}
