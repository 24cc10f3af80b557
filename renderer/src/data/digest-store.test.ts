/**
 * The lists' digest kept across restarts (issues 10 and 11): a restart loads the kept digest and
 * catches up what was written since through the `localSeq` stamps — this PC's writes, another PC's
 * changes arriving by sync, deletions — and answers exactly as a digest built from every document.
 * A changed form definition or a damaged kept digest builds anew; a restore drops the kept digests.
 */
import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import type { FormData, FormDef } from '@forms/schema/types'
import { formById } from '@forms/registry'
import { applyChange, emptyRecord } from '@core/sync/merge'
import { FAST_KDF } from '@core/trust/password'
import { DexieSyncStore } from '../sync/dexie-store'
import { memorySink, memorySource, restoreBackup, writeBackup } from './backup'
import { loadDigest, PART_ROWS, saveDigest } from './digest-store'
import type { ListRow } from '@core/list-query'
import { openDb, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7, type DeskDb } from './db'
import { createDirectoryStore, type DeskDirectoryStore } from './directory'
import { createDocumentStore } from './documents'
import { DASHBOARD_FIELDS } from '@core/dashboard/charts'
import { DEMO_IDS, seedDemo } from './seed'
import { sales, setup } from './test-setup'

function quote(customer: string, contact: string, quoteDate = '2026-11-02'): FormData {
  return {
    values: { customer, contact, quoteDate, validUntil: '2026-12-31', currency: 'CNY', paymentMethod: 'credit', creditDays: 60, salesperson: null },
    lines: { items: [{ id: 'r1', values: { productName: '阻燃PC/ABS合金', spec: null, quantity: '1000', unit: 'kg', unitPrice: 2380, taxRate: '13' } }] },
  }
}

/** The document store as the app wires it, on an open database (a new window: a new digest). */
function storeOn(db: DeskDb, directory: DeskDirectoryStore, forms: (id: string) => FormDef = formById) {
  return createDocumentStore(db, { forms, now: () => new Date().toISOString(), settings: () => directory.settings(), signer: () => directory.current(), searchWaitMs: Number.POSITIVE_INFINITY })
}

/** A restart: the window's database closed, the profile opened again with new stores. */
async function restart(ctx: { idb: IDBFactory; db: DeskDb }) {
  ctx.db.close()
  return setup({ idb: ctx.idb })
}

/** What the lists answer for a form: every row, and a few queries' ids in order. */
async function answers(documents: ReturnType<typeof storeOn>) {
  const ids = async (form: string, q: Parameters<typeof documents.listAll>[1]) => (await documents.listAll(form, q)).map((d) => d.id)
  return {
    quotations: await documents.digestRows('quotation'),
    customers: await documents.digestRows('customer'),
    byText: await ids('quotation', { text: '电器' }),
    byContact: await ids('quotation', { text: '远航' }),
    sorted: await ids('quotation', { sort: { key: 'grandTotal', dir: 'desc' } }),
    imported: await ids('customer', { text: '远方塑料' }),
  }
}

/** An office with quotations, its lists used once (the digests built) and kept. */
async function keptOffice() {
  const ctx = await setup()
  await seedDemo(ctx.db, { forms: formById, now: ctx.now })
  const meida = (await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida, '何俊'), sales)).doc
  const huaxing = (await ctx.documents.create('quotation', quote(DEMO_IDS.customers.huaxing, '刘芳', '2026-10-15'), sales)).doc
  await answers(ctx.documents)
  await ctx.documents.saveListDigests()
  return { ...ctx, meida, huaxing }
}

const REMOTE = '0f0e0d0c-0000-4000-8000-0000000000b2'

describe('the lists’ digest kept across a restart (issues 10 and 11)', () => {
  it('after a restart it answers as a digest built from every document, with what was written since: a save, another PC’s change, a deletion', async () => {
    const ctx = await keptOffice()
    expect(await ctx.db.digests.where('[form+part]').between(['quotation', 0], ['quotation', Infinity]).count()).toBeGreaterThan(1)

    // Written after the digests were kept, and not kept again before the restart.
    const yuanhang = (await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida, '远航'), sales)).doc
    await ctx.documents.remove(ctx.huaxing.id, sales)
    const r = emptyRecord('docs', REMOTE)
    applyChange(r, {
      table: 'docs', key: REMOTE, op: 'put', hlc: '0000000001000.0000.B2', pc: 'B2',
      fields: { id: REMOTE, form: 'customer', number: 'KH2611-B2-0001', state: 'active', version: 1, createdAt: '2026-11-20T02:00:00.000Z', createdBy: 'u', updatedAt: '2026-11-20T02:00:00.000Z', updatedBy: 'u', 'values.fullName': '佛山市远方塑料有限公司', 'values.paymentMethod': 'cash' },
    })
    await new DexieSyncStore(ctx.db).commit({ records: [r], cursors: { B2: { seq: 1, hash: 'h1' } } })

    const after = await restart(ctx)
    const kept = await answers(after.documents)
    expect(kept.byContact).toEqual([yuanhang.id])
    expect(kept.imported).toEqual([REMOTE])
    expect(kept.quotations.map((q) => q.id)).not.toContain(ctx.huaxing.id)
    expect(kept.sorted).toContain(ctx.meida.id)

    // The same answers from a digest built from every document.
    await after.db.digests.clear()
    expect(await answers(storeOn(after.db, after.directory))).toEqual(kept)
  })

  it('a restart reads the kept digest, not every document: a row changed behind its stamp is not read again', async () => {
    const ctx = await keptOffice()
    ctx.db.close()
    // Another program rewrites a row keeping its stamp (the app never does): only a build would see it.
    const raw = new Dexie('marketdesk', { indexedDB: ctx.idb, IDBKeyRange })
    for (const [v, s] of [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7].entries()) raw.version(v + 1).stores(s)
    const row = await raw.table('docs').get(ctx.meida.id)
    await raw.table('docs').put({ ...row, values: { ...row.values, contact: '暗改' } })
    raw.close()

    const after = await setup({ idb: ctx.idb })
    expect((await after.documents.listAll('quotation', { text: '暗改' })).length).toBe(0)
    await after.db.digests.clear()
    expect((await storeOn(after.db, after.directory).listAll('quotation', { text: '暗改' })).map((d) => d.id)).toEqual([ctx.meida.id])
  })

  it('a form whose kept values changed (a list column swapped for another) is built anew, with the new column’s values', async () => {
    const ctx = await keptOffice()
    ctx.db.close()
    const after = await setup({ idb: ctx.idb })
    // 付款方式 instead of 有效期至: as many kept values as before, so only the signature tells them apart.
    const swapped = (id: string): FormDef => {
      const def = formById(id)
      return id === 'quotation' ? { ...def, list: { ...def.list, columns: def.list.columns.map((c) => (c === 'validUntil' ? 'paymentMethod' : c)) } } : def
    }
    expect(formById('quotation').list.columns).toContain('validUntil')
    expect(DASHBOARD_FIELDS.quotation ?? []).not.toContain('paymentMethod')
    const rows = await storeOn(after.db, after.directory, swapped).digestRows('quotation')
    expect(rows.length).toBeGreaterThan(2)
    for (const r of rows) expect(r.values.paymentMethod).toBe((await after.db.docs.get(r.id))!.values.paymentMethod)
  })

  it('a damaged kept digest is built anew without a word to the clerk', async () => {
    const ctx = await keptOffice()
    const expected = await answers(ctx.documents)
    await ctx.db.digests.put({ form: 'quotation', part: 1, data: '[["not', })
    await ctx.db.digests.update(['customer', 0], { rows: 999 })
    const after = await restart(ctx)
    expect(await answers(after.documents)).toEqual(expected)
    // The next save replaces it.
    await after.documents.saveListDigests()
    const again = await restart(after)
    expect(await answers(again.documents)).toEqual(expected)
  })

  it('a hard delete of documents drops the kept digests in its transaction, and is refused without them', async () => {
    const ctx = await keptOffice()
    await expect(ctx.db.docs.delete(ctx.meida.id)).rejects.toThrow(/db\.digests/)
    expect(await ctx.db.docs.get(ctx.meida.id)).toBeDefined()
    await ctx.db.transaction('rw', ctx.db.docs, ctx.db.digests, () => ctx.db.docs.delete(ctx.meida.id))
    expect(await ctx.db.digests.count()).toBe(0)
  })

  it('a restore drops the kept digests of the profile it restores onto', async () => {
    const src = await keptOffice()
    const sink = memorySink()
    await writeBackup(src, sink, { app: '0.1.0' })
    const srcIds = (await src.documents.listAll('quotation', {})).map((d) => d.id)

    // A fresh profile whose lists were opened (empty digests kept), and one left over claiming a row.
    const idb = new IDBFactory()
    const db = await openDb('marketdesk', idb, IDBKeyRange)
    const directory = createDirectoryStore(db, { now: () => new Date().toISOString(), kdf: FAST_KDF })
    await directory.settings()
    const fresh = storeOn(db, directory)
    expect(await fresh.listAll('quotation', {})).toEqual([])
    await fresh.saveListDigests()
    const kept = await db.digests.get(['quotation', 0])
    expect(kept?.rows).toBe(0)
    // The leftover: one of the source's kept rows under another id and number, taken "later" than any stamp here.
    const [first] = JSON.parse((await src.db.digests.get(['quotation', 1]))!.data!) as unknown[][]
    const ghost = crypto.randomUUID()
    await db.digests.bulkPut([
      { ...kept!, stamp: 1e9, rows: 1, parts: 1 },
      { form: 'quotation', part: 1, data: JSON.stringify([[ghost, 'BJ0000-ZZ-0001', ...first!.slice(2)]]) },
    ])
    expect((await storeOn(db, directory).listAll('quotation', {})).length).toBe(0) // read, but the ghost has no document to show
    expect((await storeOn(db, directory).digestRows('quotation')).map((r) => r.id)).toEqual([ghost])

    await restoreBackup({ db, directory }, memorySource(sink.bytes()))
    expect(await db.digests.count()).toBe(0)
    db.close()
    const after = await setup({ idb })
    expect((await after.documents.digestRows('quotation')).map((r) => r.id).sort()).toEqual([...srcIds].sort())
  })
})

describe('a kept digest of many parts, read a few parts per request', () => {
  const keys = ['customer', 'grandTotal', 'contact']
  const rowsOf = (n: number): ListRow[] => Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, number: `BJ2611-A7-${String(i).padStart(5, '0')}`, state: i % 3 ? 'sent' : 'draft',
    createdAt: '2026-11-02T01:30:00.000Z', updatedAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T02:00:00.000Z`,
    values: i % 5 ? { customer: `c${i % 97}`, grandTotal: i * 100, contact: `联系人${i}` } : { customer: `c${i % 97}`, grandTotal: 0 },
  }))

  it('loads every row of every part in order, across several reads', async () => {
    const { db } = await setup()
    const rows = rowsOf(PART_ROWS * 19 + 7) // 20 parts: three reads
    await saveDigest(db, 'quotation', 'sig', 42, rows, keys)
    const got: ListRow[] = []
    expect(await loadDigest(db, 'quotation', 'sig', keys, (r) => got.push(r))).toEqual({ stamp: 42, rows: rows.length })
    expect(got).toEqual(rows)
  })

  it('a part missing far into the digest, or a head whose count is off, refuses it', async () => {
    const { db } = await setup()
    const rows = rowsOf(PART_ROWS * 19 + 7)
    await saveDigest(db, 'quotation', 'sig', 42, rows, keys)
    await db.digests.delete(['quotation', 13])
    await expect(loadDigest(db, 'quotation', 'sig', keys, () => undefined)).rejects.toThrow(/part 13 missing/)
    await saveDigest(db, 'quotation', 'sig', 43, rows, keys)
    await db.digests.update(['quotation', 0], { rows: rows.length + 1 })
    await expect(loadDigest(db, 'quotation', 'sig', keys, () => undefined)).rejects.toThrow(/row count/)
    // Another signature (the form's kept values changed): not loaded, built anew.
    expect(await loadDigest(db, 'quotation', 'other', keys, () => undefined)).toBeUndefined()
  })
})
