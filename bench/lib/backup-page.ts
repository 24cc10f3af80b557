/**
 * Browser side of bench/backup.bench.ts: runs in Chromium (real, on-disk IndexedDB), imported from
 * the Vite dev server by URL. The backup and restore are the app's own (`renderer/src/data/backup.ts`).
 * The file is written to and read from disk in the page (the origin-private file system), so the
 * figures are the app's work; `target: 'folder'` goes through `window.desk` instead, which the bench
 * installs with the e2e bridge (the real main-process handlers, bytes crossing as base64 over the
 * DevTools protocol: the test harness's cost, which Electron's IPC does not have).
 *
 * The office: the demo directory, 60 customers and N quotations with 2 lines each (`seedBulk`), one
 * ~0.6 KB audit entry per quotation, and A attachments of S KB of incompressible bytes (scans).
 */
import type { AttachmentRecord, AuditEntry } from '@core/model'
import { openDataLayer, seedBulk, DEMO_OFFICE, demoDirectory, type DataLayer } from '@app/data/index'
import { backupToFolder, deskBackupFolder, fileSource, restoreBackup, writeBackup, type BackupManifest, type BackupSink, type BackupSource } from '@app/data/backup'

let src: DataLayer | undefined

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff; out[i + 1] = (x >>> 8) & 0xff; out[i + 2] = (x >>> 16) & 0xff; out[i + 3] = (x >>> 24) & 0xff
  }
  return out
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)), (b) => b.toString(16).padStart(2, '0')).join('')
}

export interface SeedResult { ms: number; docs: number; lines: number; audit: number; attachments: number; blobBytes: number }

/** Seeds the source profile (once per run of the bench). */
export async function seed(n: number, attachments: number, attachmentKB: number): Promise<SeedResult> {
  const t0 = performance.now()
  src = await openDataLayer({ name: 'bench-backup-src' })
  await src.directory.installEntries(await demoDirectory(), DEMO_OFFICE)
  const db = src.db
  await seedBulk(db, n, { pcCode: 'B1' })
  const quotes = await db.docs.where('form').equals('quotation').primaryKeys()
  const at = new Date().toISOString()
  for (let i = 0; i < quotes.length; i += 2000) {
    const audit = quotes.slice(i, i + 2000).map((docId, j) => ({
      id: crypto.randomUUID(), docId, at, action: 'create', actor: { userId: '5e1f0a10-0000-4000-8000-000000000002', name: '李强' },
      changes: [{ field: 'customer', from: null, to: 'x' }, { field: 'grandTotal', from: null, to: 3012500 }], day: at.slice(0, 10), dev: 'bench', n: i + j + 1, prev: '0'.repeat(64), view: {}, sig: 'x'.repeat(88),
    }) as unknown as AuditEntry)
    await db.audit.bulkAdd(audit)
  }
  let blobBytes = 0
  for (let i = 0; i < attachments; i++) {
    const bytes = noise(attachmentKB * 1024, i + 1)
    const hash = await sha256Hex(bytes)
    const att: AttachmentRecord = { id: crypto.randomUUID(), docId: String(quotes[i % quotes.length]), hash, name: `签回件-${i + 1}.pdf`, mime: 'application/pdf', size: bytes.byteLength, kind: 'signedScan', importedAt: at, importedBy: 'bench' }
    await db.transaction('rw', db.blobs, db.attachments, async () => {
      await db.blobs.add({ hash, bytes, size: bytes.byteLength })
      await db.attachments.add(att)
    })
    blobBytes += bytes.byteLength
  }
  return { ms: performance.now() - t0, docs: await db.docs.count(), lines: await db.lines.count(), audit: await db.audit.count(), attachments: await db.attachments.count(), blobBytes }
}

export interface BackupRun { ms: number; name: string; size: number; manifest: Pick<BackupManifest, 'tables' | 'blobs'> }

/** A file on disk in the page's origin-private file system, written as a stream. */
async function diskSink(name: string): Promise<BackupSink> {
  const root = await navigator.storage.getDirectory()
  const w = await (await root.getFileHandle(name, { create: true })).createWritable()
  let size = 0
  return {
    write: async (c) => { await w.write(c as Uint8Array<ArrayBuffer>); size += c.byteLength },
    close: async () => { await w.close(); return { name, size } },
    abort: async () => { await w.abort() },
  }
}

async function diskSource(name: string): Promise<BackupSource> {
  const root = await navigator.storage.getDirectory()
  const file = await (await root.getFileHandle(name)).getFile()
  return { ...fileSource(file), name }
}

/** Removes a file written by `backup` (disk) so the next run starts with the same free space. */
export async function drop(name: string): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(name).catch(() => undefined)
}

/** One backup to disk in the page, or into the backup folder through window.desk (`folder`). */
export async function backup(password: string | undefined, target: 'disk' | 'folder', run: number): Promise<BackupRun> {
  if (!src) throw new Error('seed first')
  const opts = { app: 'bench', ...(password ? { password } : {}) }
  const t0 = performance.now()
  const r = target === 'folder'
    ? await backupToFolder(src, deskBackupFolder(window.desk!), opts)
    : await writeBackup(src, await diskSink(`bench-${run}.mdbak`), opts)
  return { ms: performance.now() - t0, name: r.name, size: r.size, manifest: { tables: r.manifest.tables, blobs: r.manifest.blobs } }
}

export interface RestoreRun { ms: number; docs: number; lines: number; audit: number; attachments: number; blobs: number; blobsMatch: boolean }

/** Restores the backup `name` (on disk, or in the folder) onto a fresh profile, and checks what arrived. */
export async function restore(name: string, password: string | undefined, run: number, from: 'disk' | 'folder' = 'disk'): Promise<RestoreRun> {
  const dst = await openDataLayer({ name: `bench-backup-dst-${run}` })
  const source = from === 'folder' ? await deskBackupFolder(window.desk!).open(name) : await diskSource(name)
  const t0 = performance.now()
  await restoreBackup(dst, source, { ...(password ? { password } : {}), pcName: 'bench' })
  const ms = performance.now() - t0
  const db = dst.db
  // Spot-check the bytes: every 20th attachment's blob hashes to its name.
  let blobsMatch = true
  const atts = await db.attachments.toArray()
  for (const a of atts.filter((_, i) => i % 20 === 0)) {
    const b = await db.blobs.get(a.hash)
    if (!b || (await sha256Hex(b.bytes)) !== a.hash) blobsMatch = false
  }
  const out = { ms, docs: await db.docs.count(), lines: await db.lines.count(), audit: await db.audit.count(), attachments: atts.length, blobs: await db.blobs.count(), blobsMatch }
  dst.db.close()
  await (await import('dexie')).default.delete(`bench-backup-dst-${run}`)
  return out
}
