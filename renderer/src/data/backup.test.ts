/**
 * Backup and restore (issue 7) on fake IndexedDB: a seeded office round-trips record for record;
 * a damaged, truncated, foreign or newer file, a wrong password and a profile that is not fresh
 * are refused with nothing written; a full disk gives the clerk's message and keeps what was saved;
 * unreferenced attachment bytes go after the grace period; the daily backup writes when one is due.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { BlobReader, BlobWriter, TextReader, Uint8ArrayReader, ZipReader, ZipWriter } from '@zip.js/zip.js'
import type { FormData } from '@forms/schema/types'
import { formById } from '@forms/registry'
import { sha256Hex } from '@core/identity'
import { parseNumber } from '@core/numbering'
import type { BackupFileInfo } from '@shared/ipc'
import { FAST_KDF } from '@core/trust/password'
import { markSyncTransaction, openDb, type DeskDb } from './db'
import { createDirectoryStore } from './directory'
import { createManualMatchStore } from './manual-matches'
import { DEMO_IDS, seedDemo } from './seed'
import { sales, setup, signInAs, steppingClock, tableCounts } from './test-setup'
import {
  BackupError, backupFileName, collectBlobs, dailyBackup, inspectBackup, installQuotaMessages, isQuotaError, memorySink, memorySource, QUOTA_MESSAGE,
  restoreBackup, writeBackup, type BackupFolder, type BackupSink,
} from './backup'

const APP = '0.1.0'

function quote(customer: string): FormData {
  return {
    values: { customer, contact: '何俊', quoteDate: '2026-11-20', validUntil: '2026-12-20', currency: 'CNY', paymentMethod: 'credit', creditDays: 60 },
    lines: { items: [
      { id: 'i1', values: { productName: '阻燃PC/ABS合金', spec: null, quantity: '1000', unit: 'kg', unitPrice: 2380, taxRate: '13' } },
      { id: 'i2', values: { productName: '玻纤增强PP', spec: null, quantity: '500', unit: 'kg', unitPrice: 1265, taxRate: '13' } },
    ] },
  }
}

/** Pseudo-random bytes (incompressible, like a scan). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 0xff }
  return out
}

/** An office with documents, lines, audit, versions, attachments with bytes and a manual match. */
async function seededOffice() {
  const ctx = await setup()
  await seedDemo(ctx.db, { forms: formById, now: ctx.now })
  const q1 = await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
  const q2 = await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
  const scan = noise(300_000, 7)
  await ctx.documents.addAttachment(q1.doc.id, { name: '签回件.pdf', mime: 'application/pdf', bytes: scan }, { kind: 'signedScan', version: 1 }, sales)
  await ctx.documents.addAttachment(q2.doc.id, { name: '补充.png', mime: 'image/png', bytes: noise(40_000, 9) }, { kind: 'file' }, sales)
  const loose = noise(5_000, 11)
  await ctx.db.blobs.add({ hash: await sha256Hex(loose), bytes: loose, size: loose.byteLength })
  await createManualMatchStore(ctx.db, { now: ctx.now }).add({
    fileHash: await sha256Hex(loose), fileName: '供应商送货单.pdf', page: 1, thumbnail: noise(800, 3), mime: 'image/png', reason: '未找到二维码',
  }, sales)
  return { ...ctx, q1, q2, scan }
}

/** A fresh profile, as the app opens it on a new PC. */
async function freshProfile(idb = new IDBFactory()) {
  const db = await openDb('marketdesk', idb, IDBKeyRange)
  const directory = createDirectoryStore(db, { now: steppingClock(), kdf: FAST_KDF })
  // The app makes the PC code on first start (the setup page reads the settings).
  await directory.settings()
  return { idb, db, directory }
}

/**
 * Every row of every table, with `$sync`, by primary key; without the documents' `localSeq`, each
 * PC's own write stamp (a restore's puts stamp the rows anew, in the restore's order).
 */
async function dump(db: DeskDb): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {}
  await db.transaction('r', db.tables, async () => {
    markSyncTransaction()
    for (const t of db.tables) out[t.name] = (await t.toArray()) as Array<Record<string, unknown>>
  })
  for (const d of out.docs ?? []) delete d.localSeq
  return out
}

const byKey = (rows: Array<Record<string, unknown>>, key = 'id') => [...rows].sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : 1))

/** The tables a restored profile must hold exactly as the original did. */
const SAME = ['docs', 'lines', 'attachments', 'audit', 'versions', 'printLog', 'users', 'proxies', 'directory', 'manualMatches', 'findings', 'syncState', 'syncConflicts']

async function expectSameOffice(from: DeskDb, to: DeskDb) {
  const a = await dump(from)
  const b = await dump(to)
  for (const t of SAME) expect(byKey(b[t]!), t).toEqual(byKey(a[t]!))
  // Attachment bytes: every blob, and its hash is its content's.
  expect(byKey(b.blobs!, 'hash')).toEqual(byKey(a.blobs!, 'hash'))
  for (const blob of b.blobs! as Array<{ hash: string; bytes: Uint8Array }>) expect(await sha256Hex(blob.bytes)).toBe(blob.hash)
  // The office, and the counts the lists read.
  const setting = (d: typeof a, k: string) => d.settings!.find((s) => s.key === k)?.value
  expect(setting(b, 'office')).toEqual(setting(a, 'office'))
  const counts = (d: typeof a) => d.meta!.filter((m) => /^(count|deleted):/.test(String(m.key)))
  expect(byKey(counts(b), 'key')).toEqual(byKey(counts(a), 'key'))
  // Unpublished work queued again, in order, under new outbox numbers.
  const queued = (d: typeof a) => d.outbox!.filter((r) => r.exported === 0).map(({ seq: _s, ...r }) => r)
  expect(queued(b)).toEqual(queued(a))
  return { a, b }
}

describe('backup and restore round trip', () => {
  it('restores every record, line, audit entry, attachment and its bytes, the directory and the manual matches onto a fresh profile', async () => {
    const src = await seededOffice()
    const sink = memorySink()
    const { manifest } = await writeBackup({ db: src.db, directory: src.directory }, sink, { app: APP, by: { userId: sales.userId, name: sales.name } })
    expect(manifest.office).toEqual(await src.directory.office())
    expect(manifest.tables.docs).toBe(await src.db.docs.count())
    expect(manifest.blobs.count).toBe(3)
    expect(manifest.parts.every((p) => /^[0-9a-f]{64}$/.test(p.sha256))).toBe(true)

    const dst = await freshProfile()
    const before = (await dst.db.settings.get('pcCode'))!.value
    const r = await restoreBackup(dst, memorySource(sink.bytes()), { pcName: '客服3号机' })
    const { a, b } = await expectSameOffice(src.db, dst.db)
    expect(a.docs!.length).toBeGreaterThan(3)
    expect(b.lines!.length).toBe(a.lines!.length)

    // This PC's own facts are its own: a new PC code (never the old one, nor any code in a number),
    // no device id or audit chain of the old PC, no counters, its own name.
    const oldCode = (await src.directory.settings()).pcCode
    const codes = new Set(b.docs!.map((d) => parseNumber(String(d.number))?.pcCode))
    expect(r.pcCode).not.toBe(oldCode)
    expect(codes.has(r.pcCode)).toBe(false)
    expect(r.pcCode).toBe(before === oldCode || codes.has(before as string) ? r.pcCode : before)
    expect((await dst.directory.settings()).pcCode).toBe(r.pcCode)
    expect(await dst.directory.pcName()).toBe('客服3号机')
    expect(await dst.db.settings.get('deviceId')).toBeUndefined()
    expect(await dst.db.meta.get('auditChain')).toBeUndefined()
    expect(await dst.db.counters.count()).toBe(0)

    // The users sign in with their own passwords, and the next number uses the new code.
    const docs = await import('./documents')
    await signInAs(dst.directory, sales)
    const store = docs.createDocumentStore(dst.db, { forms: formById, now: steppingClock('2026-11-28T02:00:00.000Z'), settings: () => dst.directory.settings(), signer: () => dst.directory.current() })
    const next = await store.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    expect(parseNumber(next.doc.number)?.pcCode).toBe(r.pcCode)
    // Its audit entry starts a new chain on a new device.
    const entry = (await store.timeline(next.doc.id))[0]!
    expect(entry.n).toBe(1)
    expect(a.audit!.some((x) => x.dev === entry.dev)).toBe(false)
  })

  it('an encrypted backup needs its password; a wrong one is refused and nothing is written', async () => {
    const src = await seededOffice()
    const sink = memorySink()
    await writeBackup(src, sink, { app: APP, password: '备份密码-2026' })
    const bytes = sink.bytes()
    // Nothing of the office is readable without the password (the names of parts are, not their content).
    expect(Buffer.from(bytes).includes(Buffer.from(DEMO_IDS.customers.meida))).toBe(false)

    const dst = await freshProfile()
    const fresh = await tableCounts(dst.db)
    await expect(restoreBackup(dst, memorySource(bytes))).rejects.toMatchObject({ code: 'needPassword', zh: '此备份已加密，请输入备份密码' })
    await expect(restoreBackup(dst, memorySource(bytes), { password: 'wrong' })).rejects.toMatchObject({ code: 'wrongPassword', zh: '备份密码不正确，未写入任何数据' })
    expect(await tableCounts(dst.db)).toEqual(fresh)
    expect((await dst.directory.office()).kind).toBe('none')

    expect((await inspectBackup(memorySource(bytes), '备份密码-2026')).encrypted).toBe(true)
    await restoreBackup(dst, memorySource(bytes), { password: '备份密码-2026' })
    await expectSameOffice(src.db, dst.db)
  })
})

describe('a damaged or foreign file is refused before anything is written', () => {
  async function backupBytes(password?: string) {
    const src = await seededOffice()
    const sink = memorySink()
    await writeBackup(src, sink, { app: APP, ...(password ? { password } : {}) })
    return { src, bytes: sink.bytes() }
  }

  async function expectRefused(bytes: Uint8Array, code: string, opts: { password?: string } = {}) {
    const dst = await freshProfile()
    const fresh = await tableCounts(dst.db)
    const settings = await dst.db.settings.toArray()
    const err = await restoreBackup(dst, memorySource(bytes), opts).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(BackupError)
    expect((err as BackupError).code).toBe(code)
    expect(await tableCounts(dst.db)).toEqual(fresh)
    expect(await dst.db.settings.toArray()).toEqual(settings)
    return err as BackupError
  }

  it('one byte flipped inside an attachment, inside a table and inside the encrypted file', async () => {
    const { src, bytes } = await backupBytes()
    // The scan is stored as it is (level 0): find its bytes in the file and flip one in the middle.
    const at = Buffer.from(bytes).indexOf(Buffer.from(src.scan.subarray(1000, 1064)))
    expect(at).toBeGreaterThan(0)
    const flipped = bytes.slice()
    flipped[at + 32]! ^= 0x01
    const e = await expectRefused(flipped, 'damaged')
    expect(e.zh).toMatch(/^备份文件不完整或已损坏（.*blobs\/[0-9a-f]{64}.*），未写入任何数据/)

    const docsAt = Buffer.from(bytes).indexOf(Buffer.from('tables/docs.jsonl'))
    const inTable = bytes.slice()
    inTable[docsAt + 'tables/docs.jsonl'.length + 40]! ^= 0x40
    await expectRefused(inTable, 'damaged')

    const enc = (await backupBytes('pw-123456')).bytes
    const encFlipped = enc.slice()
    encFlipped[Math.floor(enc.length / 2)]! ^= 0x01
    await expectRefused(encFlipped, 'damaged', { password: 'pw-123456' })
  })

  it('a part that differs from the manifest (a well-formed zip with other content) is caught by its SHA-256', async () => {
    const { bytes } = await backupBytes()
    // Re-zip with one row of the documents table changed and the original manifest kept.
    const reader = new ZipReader(new Uint8ArrayReader(bytes))
    const out = new BlobWriter()
    const writer = new ZipWriter(out)
    for (const e of await reader.getEntries()) {
      if (e.directory) continue
      const blob = await e.getData(new BlobWriter())
      if (e.filename === 'tables/docs.jsonl') {
        const text = (await blob.text()).replace('"何俊"', '"何俊杰"')
        expect(text).toContain('何俊杰')
        await writer.add(e.filename, new TextReader(text))
      } else await writer.add(e.filename, new BlobReader(blob))
    }
    await writer.close()
    const forged = new Uint8Array(await (await out.getData()).arrayBuffer())
    const err = await expectRefused(forged, 'damaged')
    expect(err.zh).toContain('tables/docs.jsonl 的校验值不符')
  })

  it('a truncated copy (the copy stopped early) and a file that is not a backup', async () => {
    const { bytes } = await backupBytes()
    const cut = await expectRefused(bytes.slice(0, Math.floor(bytes.length * 0.6)), 'damaged')
    expect(cut.zh).toContain('可能复制或下载时中断')
    await expectRefused(new TextEncoder().encode('%PDF-1.7 not a backup'), 'notBackup')
    // A zip that is not ours.
    const w = new BlobWriter()
    const z = new ZipWriter(w)
    await z.add('readme.txt', new TextReader('hello'))
    await z.close()
    await expectRefused(new Uint8Array(await (await w.getData()).arrayBuffer()), 'notBackup')
  })

  it('a backup of a newer format is refused and says to update', async () => {
    const { bytes } = await backupBytes()
    const reader = new ZipReader(new Uint8ArrayReader(bytes))
    const w = new BlobWriter()
    const z = new ZipWriter(w)
    for (const e of await reader.getEntries()) {
      if (e.directory) continue
      const blob = await e.getData(new BlobWriter())
      if (e.filename === 'manifest.json') await z.add(e.filename, new TextReader((await blob.text()).replace('"version": 1', '"version": 2')))
      else await z.add(e.filename, new BlobReader(blob))
    }
    await z.close()
    const err = await expectRefused(new Uint8Array(await (await w.getData()).arrayBuffer()), 'newer')
    expect(err.zh).toContain('请先升级本机程序')
  })
})

describe('restore only onto a fresh profile', () => {
  it('a profile that belongs to an office (or holds its rows) is refused and keeps everything', async () => {
    const src = await seededOffice()
    const sink = memorySink()
    await writeBackup(src, sink, { app: APP })
    const other = await seededOffice()
    const before = await dump(other.db)
    await expect(restoreBackup(other, memorySource(sink.bytes()))).rejects.toMatchObject({ code: 'notFresh' })
    expect(await dump(other.db)).toEqual(before)
    // Nothing to back up on a profile without an office.
    const fresh = await freshProfile()
    await expect(writeBackup(fresh, memorySink(), { app: APP })).rejects.toMatchObject({ code: 'noOffice' })
  })

  it('a restore cut short by a full disk leaves the profile fresh, with the clerk told why', async () => {
    const src = await seededOffice()
    const sink = memorySink()
    await writeBackup(src, sink, { app: APP })
    const dst = await freshProfile()
    const settings = await dst.db.settings.toArray()
    installQuotaMessages()
    let n = 0
    dst.db.audit.hook('creating', () => { if (++n > 3) throw new DOMException('quota', 'QuotaExceededError') })
    const err = await restoreBackup(dst, memorySource(sink.bytes())).then(() => null, (e: unknown) => e)
    expect(err).toMatchObject({ code: 'storageFull' })
    expect((err as BackupError).zh).toContain(QUOTA_MESSAGE.zh)
    expect((await dst.directory.office()).kind).toBe('none')
    for (const t of ['docs', 'lines', 'audit', 'directory', 'blobs', 'outbox']) expect(await dst.db.table(t).count(), t).toBe(0)
    expect(await dst.db.settings.toArray()).toEqual(settings)
  })
})

describe('a full disk during any write of the data layer', () => {
  it('fails with the clerk\'s message, writes nothing of that save and keeps everything saved before', async () => {
    const ctx = await setup()
    await seedDemo(ctx.db, { forms: formById, now: ctx.now })
    installQuotaMessages()
    const saved = await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const before = await dump(ctx.db)
    // IndexedDB answers QuotaExceededError when the disk (or the browser's share of it) is full.
    const full = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError') }
    ctx.db.lines.hook('creating', full)
    const err = await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales).then(() => null, (e: unknown) => e)
    expect(isQuotaError(err)).toBe(true)
    // What the pages show: the message (发生错误：…) or zh/en as they are.
    expect((err as Error).message).toBe('磁盘空间不足，本次保存未完成，已保存的数据不受影响；请清理磁盘或联系管理员')
    expect(err).toMatchObject({ zh: QUOTA_MESSAGE.zh, en: QUOTA_MESSAGE.en })
    ctx.db.lines.hook('creating').unsubscribe(full)
    // Nothing of the failed save, nothing lost of the saved one; the number was not consumed either.
    expect(await dump(ctx.db)).toEqual(before)
    expect((await ctx.documents.load(saved.doc.id))?.lines).toHaveLength(2)
    // A write outside a transaction (this PC's language) is covered too.
    ctx.db.settings.hook('updating', full)
    ctx.db.settings.hook('creating', full)
    await expect(ctx.directory.setLanguage('en')).rejects.toMatchObject({ message: QUOTA_MESSAGE.zh })
    // A transaction IndexedDB aborts at commit for lack of space says the same; other aborts keep their words.
    const { default: Dexie } = await import('dexie')
    expect(new Dexie.AbortError(new DOMException('The quota has been exceeded.', 'QuotaExceededError')).message).toBe(QUOTA_MESSAGE.zh)
    expect(new Dexie.AbortError('Transaction aborted').message).toBe('Transaction aborted')
    // Once there is room again, saving works.
    ctx.db.settings.hook('updating').unsubscribe(full)
    ctx.db.settings.hook('creating').unsubscribe(full)
    const again = await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    expect(parseNumber(again.doc.number)!.seq).toBe(parseNumber(saved.doc.number)!.seq + 1)
  })
})

describe('unreferenced attachment bytes', () => {
  it('are removed 30 days after they were last referenced; referenced ones, open manual matches and unpublished segments keep theirs', async () => {
    const src = await seededOffice()
    const { db } = src
    const day = 24 * 3600_000
    const t0 = Date.parse('2026-12-01T00:00:00Z')
    const hashes = (await db.blobs.toCollection().primaryKeys()) as string[]
    expect(hashes).toHaveLength(3)
    expect((await collectBlobs(db, { now: t0 })).deleted).toEqual([])
    // The second quotation's attachment is deleted (a tombstone): its bytes are now unreferenced.
    const att = (await db.attachments.toArray()).find((a) => a.name === '补充.png')!
    await db.attachments.update(att.id, { deleted: true })
    // An orphan blob of an unpublished segment of ours stays too.
    const pending = noise(1000, 5)
    const pendingHash = await sha256Hex(pending)
    await db.blobs.add({ hash: pendingHash, bytes: pending, size: 1000 })
    await db.syncSegments.add({ seq: 1, bytes: new Uint8Array(), count: 1, blobs: [pendingHash], published: false })
    expect(await collectBlobs(db, { now: t0 + day })).toEqual({ deleted: [], waiting: 1 })
    expect(await collectBlobs(db, { now: t0 + 30 * day })).toEqual({ deleted: [], waiting: 1 })
    // Referenced again (restored) before the grace ran out: kept, and the clock starts over.
    await db.attachments.update(att.id, { deleted: false })
    expect(await collectBlobs(db, { now: t0 + 30 * day + 1 })).toEqual({ deleted: [], waiting: 0 })
    await db.attachments.update(att.id, { deleted: true })
    expect(await collectBlobs(db, { now: t0 + 40 * day })).toEqual({ deleted: [], waiting: 1 })
    expect(await collectBlobs(db, { now: t0 + 70 * day - 1 })).toEqual({ deleted: [], waiting: 1 })
    expect(await collectBlobs(db, { now: t0 + 70 * day })).toEqual({ deleted: [att.hash], waiting: 0 })
    expect(await db.blobs.get(att.hash)).toBeUndefined()
    // The rest are still there: the live attachment's, the open manual match's, the segment's.
    expect((await db.blobs.count())).toBe(3)
    // The segment published: its blob is no longer kept by it.
    await db.syncSegments.update(1, { published: true })
    await collectBlobs(db, { now: t0 + 71 * day })
    expect((await collectBlobs(db, { now: t0 + 101 * day })).deleted).toEqual([pendingHash])
  })
})

describe('the daily backup', () => {
  /** A folder in memory with the backup:* semantics (names never reused, newest first). */
  function memoryFolder(): BackupFolder & { files: Map<string, Uint8Array>; times: Map<string, string> } {
    const files = new Map<string, Uint8Array>()
    const times = new Map<string, string>()
    return {
      files, times,
      async root() { return '/backups' },
      async list(): Promise<BackupFileInfo[]> {
        return [...files.keys()].sort().reverse().map((name) => ({ name, size: files.get(name)!.byteLength, mtime: times.get(name) ?? new Date().toISOString() }))
      },
      async create(name): Promise<BackupSink> {
        if (files.has(name)) throw new BackupError('failed', `已有同名备份文件，不会覆盖：${name}`, 'exists')
        const sink = memorySink(name)
        return { write: (c) => sink.write(c), abort: () => sink.abort(), close: async () => { files.set(name, sink.bytes()); return sink.close() } }
      },
      async open(name) { return memorySource(files.get(name)!, name) },
      async prune(keep) {
        const names = [...files.keys()].sort().reverse().slice(keep)
        for (const n of names) files.delete(n)
        return names
      },
    }
  }

  it('writes one when the newest is older than a day, keeps the newest N, and skips when one is recent', async () => {
    const src = await seededOffice()
    const folder = memoryFolder()
    const code = (await src.directory.settings()).pcCode
    let now = new Date('2026-12-01T09:00:00+08:00')
    const clock = () => now
    const first = await dailyBackup(src, folder, { app: APP, now: clock })
    expect(first.written).toBe(backupFileName(now, code))
    expect((await dailyBackup(src, folder, { app: APP, now: () => new Date(now.getTime() + 3600_000) })).skipped).toBe('recent')
    await src.db.settings.put({ key: 'backup', value: { keep: 3, daily: true } })
    for (let d = 1; d <= 5; d++) {
      now = new Date(now.getTime() + 25 * 3600_000)
      expect((await dailyBackup(src, folder, { app: APP, now: clock })).written).toBeDefined()
    }
    expect(folder.files.size).toBe(3)
    expect([...folder.files.keys()].sort()[2]).toBe(backupFileName(now, code))
    // The newest daily backup restores (unencrypted: nobody is there to type a password).
    const latest = await folder.open(backupFileName(now, code))
    expect((await inspectBackup(latest)).auto).toBe(true)
    // Off: nothing written.
    await src.db.settings.put({ key: 'backup', value: { keep: 3, daily: false } })
    now = new Date(now.getTime() + 48 * 3600_000)
    expect((await dailyBackup(src, folder, { app: APP, now: clock })).skipped).toBe('off')
    // The local preference is not in the backup.
    const dst = await freshProfile()
    await restoreBackup(dst, latest)
    expect(await dst.db.settings.get('backup')).toBeUndefined()
  })
})

describe('a restored PC joins the office under a new identity', () => {
  it('gets a new sync id, publishes what the old PC had not sent, and the other PC receives its next change', async () => {
    const { approveAsAdmin, clerkA, csClerk, customerData, edit, formOffice, makePc, officeClock, quotationData, sharedFolder, syncAll } = await import('../sync/test-office')
    const folder = await sharedFolder()
    const clock = officeClock()
    const a = await makePc(folder.dir, '客服1号机', 'A1', clock)
    const b = await makePc(folder.dir, '客服2号机', 'B2', clock)
    const pcs = [a, b]
    try {
      await formOffice([a, b])
      const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
      await syncAll([a, b])
      const q = await b.documents.create('quotation', quotationData(customer.doc.id), clerkA)
      const scan = noise(120_000, 21)
      await b.documents.addAttachment(q.doc.id, { name: '签回件.pdf', mime: 'application/pdf', bytes: scan }, { kind: 'signedScan', version: 1 }, clerkA)
      await syncAll([a, b])
      // B goes on working with the share out of reach: this edit never leaves B.
      await edit(b, q.doc.id, { contact: '梁美玲' })

      const sink = memorySink()
      const { manifest } = await writeBackup(b, sink, { app: APP, identity: { name: 'identity-B2', indexedDB: b.idb, IDBKeyRange } })
      expect(manifest.source.syncPc).toBe(b.sync.pc)
      // B's disk dies.
      b.sync.stop()
      await b.sync.idle()
      b.db.close()
      pcs.splice(1, 1)

      // A new PC: a fresh profile, the backup restored, then the app started on it.
      const idbR = new IDBFactory()
      const dbR = await openDb('marketdesk-R9', idbR, IDBKeyRange)
      const dirR = createDirectoryStore(dbR, { now: clock.iso, kdf: FAST_KDF })
      const restored = await restoreBackup({ db: dbR, directory: dirR }, memorySource(sink.bytes()), { pcName: '客服2号机（新）', identity: { name: 'identity-R9', indexedDB: idbR, IDBKeyRange } })
      expect(restored.identityReset).toBe(false)
      const copy = await dump(dbR)
      dbR.close()
      const r = await makePc(folder.dir, '客服2号机（新）', 'R9', clock, {}, idbR)
      pcs.push(r)
      // Its identity database is new: a new PC id, never B's.
      expect(r.sync.pc).not.toBe(b.sync.pc)
      expect(r.sync.pc).toMatch(/^R9-/)
      // Before it joins, it shows what B showed (the unsent edit included).
      expect((await r.documents.load(q.doc.id))!.doc.values.contact).toBe('梁美玲')
      expect(copy.docs!.length).toBeGreaterThan(0)

      await r.sync.joinVault()
      await r.sync.syncNow()
      await a.sync.syncNow()
      await approveAsAdmin(a, r.sync.pc)
      await syncAll([a, r])
      // What B never sent reached A through R, without a conflict.
      expect((await a.documents.load(q.doc.id))!.doc.values.contact).toBe('梁美玲')
      // R's next change reaches A.
      await edit(r, q.doc.id, { contact: '黄志华' })
      await syncAll([a, r])
      expect((await a.documents.load(q.doc.id))!.doc.values.contact).toBe('黄志华')
      expect(await a.sync.conflicts()).toEqual([])
      expect(await r.sync.conflicts()).toEqual([])
      expect(await r.sync.store.digest()).toBe(await a.sync.store.digest())
      // The scan's bytes are on both, under their hash.
      const att = (await r.documents.attachments(q.doc.id))[0]!
      expect(await sha256Hex((await r.documents.readBlob(att.hash))!)).toBe(att.hash)
      expect(await sha256Hex((await a.documents.readBlob(att.hash))!)).toBe(await sha256Hex(scan))
      // R's segments go out under R's own name; nothing was written under B's.
      const { readdir } = await import('node:fs/promises')
      const bSegs = await readdir(`${folder.dir}/pcs/${b.sync.pc}/seg`)
      const rSegs = await readdir(`${folder.dir}/pcs/${r.sync.pc}/seg`)
      expect(rSegs.length).toBeGreaterThan(0)
      expect(bSegs.length).toBe((await a.sync.store.cursors())[b.sync.pc]!.seq)
    } finally {
      await folder.cleanup(pcs)
    }
  })

  it('a profile whose identity database survived a wipe of its data does not come back as the backed-up PC', async () => {
    const { formOffice, makePc, officeClock, sharedFolder } = await import('../sync/test-office')
    const { IdentityStore } = await import('../sync/identity')
    const folder = await sharedFolder()
    const clock = officeClock()
    const a = await makePc(folder.dir, '客服1号机', 'A1', clock)
    const b = await makePc(folder.dir, '客服2号机', 'B2', clock)
    try {
      await formOffice([a, b])
      const sink = memorySink()
      const identity = { name: 'identity-B2', indexedDB: b.idb, IDBKeyRange }
      await writeBackup(b, sink, { app: APP, identity })
      // The business database is wiped (a new one under another name); the identity database stays.
      const dbW = await openDb('marketdesk-wiped', b.idb, IDBKeyRange)
      const dirW = createDirectoryStore(dbW, { now: clock.iso, kdf: FAST_KDF })
      const r = await restoreBackup({ db: dbW, directory: dirW }, memorySource(sink.bytes()), { identity })
      expect(r.identityReset).toBe(true)
      const ids = new IdentityStore(identity)
      expect((await ids.keys('B2')).pc).not.toBe(b.sync.pc)
      ids.close()
      dbW.close()
    } finally {
      await folder.cleanup([a, b])
    }
  })
})
