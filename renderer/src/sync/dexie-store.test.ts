/** The Dexie adapter and the data layer's sync conventions, on one PC's database. */
import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { applyChange, emptyRecord, type RecordState } from '@core/sync/merge'
import { openDb, SCHEMA_V1, SCHEMA_V2 } from '../data/db'
import { DocumentError } from '../data/documents'
import { sales, setup } from '../data/test-setup'
import { DexieSyncStore } from './dexie-store'
import { customerData, quotationData } from './test-office'

function record(table: string, key: string, changes: Array<{ fields: Record<string, unknown>; hlc: string; op?: 'put' | 'delete' }>): RecordState {
  const r = emptyRecord(table, key)
  for (const c of changes) applyChange(r, { table, key, op: c.op ?? 'put', fields: c.fields, hlc: c.hlc, pc: c.hlc.split('.').at(-1)! })
  return r
}

const DOC = '0f0e0d0c-0000-4000-8000-000000000001'
const customerFields = {
  id: DOC, form: 'customer', number: 'KH2611-B2-0001', state: 'active', version: 1, createdAt: '2026-11-20T02:00:00.000Z', createdBy: 'u',
  updatedAt: '2026-11-20T02:00:00.000Z', updatedBy: 'u', 'values.fullName': '佛山市美达电器有限公司', 'values.paymentMethod': 'cash',
}

describe('data layer conventions for sync', () => {
  it('fault 20: a quotation writes an empty put on its live customer, and none on a deleted one', async () => {
    const { db, documents } = await setup()
    const customer = await documents.create('customer', customerData('佛山市美达电器有限公司'), sales)
    const before = await db.outbox.count()
    await documents.create('quotation', quotationData(customer.doc.id), sales)
    const rows = (await db.outbox.toArray()).slice(before)
    expect(rows.filter((r) => r.key === customer.doc.id)).toEqual([expect.objectContaining({ table: 'docs', op: 'put', fields: {} })])

    await documents.remove(customer.doc.id, sales)
    const mark = await db.outbox.count()
    await documents.create('quotation', quotationData(customer.doc.id), sales)
    expect((await db.outbox.toArray()).slice(mark).filter((r) => r.key === customer.doc.id)).toEqual([])
  })

  it('a transition re-checks inside its transaction that the document is still in a from-state', async () => {
    const { db, documents } = await setup()
    const customer = await documents.create('customer', customerData('佛山市美达电器有限公司'), sales)
    const quote = await documents.create('quotation', quotationData(customer.doc.id), sales)
    await documents.transition(quote.doc.id, 'submit', 'pending', {}, sales)
    const audit = await db.audit.count()
    // A second window (or a sync import) already submitted it: the stale click changes nothing.
    const err = await documents.transition(quote.doc.id, 'submit', 'pending', {}, sales).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DocumentError)
    expect((err as DocumentError).code).toBe('stateChanged')
    expect((err as DocumentError).message).toContain('单据状态已变为')
    expect(await db.audit.count()).toBe(audit)
  })

  it('a v2 database upgrades to v3 with its rows and its unexported outbox kept', async () => {
    const idb = new IDBFactory()
    const old = new Dexie('marketdesk', { indexedDB: idb, IDBKeyRange })
    old.version(1).stores(SCHEMA_V1)
    old.version(2).stores(SCHEMA_V2)
    await old.open()
    await old.table('docs').add({ id: DOC, form: 'customer', number: 'KH2611-A1-0001', state: 'active', version: 1, values: { fullName: '美达' }, searchWords: [], refs: [] })
    await old.table('outbox').add({ table: 'docs', key: DOC, op: 'put', fields: { form: 'customer' }, at: '2026-11-01T00:00:00.000Z', exported: 0 })
    old.close()

    const db = await openDb('marketdesk', idb, IDBKeyRange)
    expect(db.verno).toBe(3)
    expect((await db.docs.get(DOC))?.number).toBe('KH2611-A1-0001')
    const store = new DexieSyncStore(db)
    expect((await store.pendingOutbox(10)).map((r) => r.key)).toEqual([DOC])
    expect(await store.digest()).toBe('0'.repeat(64))
  })
})

describe('DexieSyncStore', () => {
  it('fault 22: applying the same remote batch twice changes nothing; the digest does not depend on order', async () => {
    const a = await setup({ name: 'a' })
    const b = await setup({ name: 'b' })
    const sa = new DexieSyncStore(a.db)
    const sb = new DexieSyncStore(b.db)
    const cust = record('docs', DOC, [{ fields: customerFields, hlc: '0000000001000.0000.B2' }])
    const line = record('lines', 'l1', [{ fields: { id: 'l1', docId: DOC, field: 'contacts', seq: 0, 'values.name': '何俊' }, hlc: '0000000001001.0000.B2' }])
    await sa.commit({ records: [cust, line], cursors: { B2: { seq: 1, hash: 'h1' } } })
    const once = { docs: await a.db.docs.toArray(), lines: await a.db.lines.toArray(), digest: await sa.digest(), count: await a.documents.count('customer') }
    await sa.commit({ records: [cust, line], cursors: { B2: { seq: 1, hash: 'h1' } } })
    expect({ docs: await a.db.docs.toArray(), lines: await a.db.lines.toArray(), digest: await sa.digest(), count: await a.documents.count('customer') }).toEqual(once)
    expect(once.count).toBe(1)
    expect(once.docs[0]?.searchWords).toContain('customer:佛山市美达电器有限公司')

    await sb.commit({ records: [line] })
    await sb.commit({ records: [cust] })
    expect(await sb.digest()).toBe(once.digest)
  })

  it('a tombstone from another PC hides the document from lists and counts; a later restore shows it again', async () => {
    const { db, documents } = await setup()
    const s = new DexieSyncStore(db)
    await s.commit({ records: [record('docs', DOC, [{ fields: customerFields, hlc: '0000000001000.0000.B2' }])] })
    expect(await documents.count('customer')).toBe(1)
    const deleted = record('docs', DOC, [{ fields: customerFields, hlc: '0000000001000.0000.B2' }])
    applyChange(deleted, { table: 'docs', key: DOC, op: 'delete', fields: {}, hlc: '0000000002000.0000.B2', pc: 'B2', seen: { $deleted: ['0000000001000.0000.B2'] } })
    await s.commit({ records: [deleted] })
    expect(await documents.count('customer')).toBe(0)
    expect((await documents.list('customer', {})).rows).toEqual([])
    expect((await documents.load(DOC))?.doc.deleted).toBe(true)
  })

  it('settings other than the company never come from another PC (the PC code stays this PC\'s own)', async () => {
    const { db, directory } = await setup()
    const mine = (await directory.settings()).pcCode
    const s = new DexieSyncStore(db)
    await s.commit({ records: [
      record('settings', 'pcCode', [{ fields: { value: 'ZZ' }, hlc: '0000000001000.0000.B2' }]),
      record('settings', 'company', [{ fields: { 'value.name': '华泰新材料', 'value.address': '深圳', 'value.phone': '0755' }, hlc: '0000000001001.0000.B2' }]),
      record('counters', 'BJ2611-A1', [{ fields: { seq: 999 }, hlc: '0000000001002.0000.B2' }]),
    ] })
    const now = await directory.settings()
    expect(now.pcCode).toBe(mine)
    expect(now.company.name).toBe('华泰新材料')
    expect(await db.counters.get('BJ2611-A1')).toBeUndefined()
  })
})
