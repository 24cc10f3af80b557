/** The Dexie adapter and the data layer's sync conventions, on one PC's database. */
import { DEMO_COMPANY } from '../data/seed'
import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { applyChange, emptyRecord, type RecordState } from '@core/sync/merge'
import { canonicalJson } from '@core/identity'
import { formById } from '@forms/registry'
import { markSyncTransaction, openDb, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SYNC_CELL, type DeskDb, type StoredDoc } from '../data/db'
import { DocumentError, searchWordsFor } from '../data/documents'
import { cs, sales, setup } from '../data/test-setup'
import { DexieSyncStore, packState, searchWordsMemo, stateJson, unpackState } from './dexie-store'
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
    const customer = await documents.create('customer', customerData('佛山市美达电器有限公司'), cs)
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
    const customer = await documents.create('customer', customerData('佛山市美达电器有限公司'), cs)
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
    expect(db.verno).toBe(7)
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
    // Rows as the office sees them: `localSeq` is this PC's write stamp, new on every put (db.ts v7).
    const docs = async () => (await a.db.docs.toArray()).map(({ localSeq: _s, ...d }) => d)
    const once = { docs: await docs(), lines: await a.db.lines.toArray(), digest: await sa.digest(), count: await a.documents.count('customer') }
    await sa.commit({ records: [cust, line], cursors: { B2: { seq: 1, hash: 'h1' } } })
    expect({ docs: await docs(), lines: await a.db.lines.toArray(), digest: await sa.digest(), count: await a.documents.count('customer') }).toEqual(once)
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

  it('settings rows never set anything from another PC: the PC code stays this PC\'s own, the letterhead comes only from signed directory entries', async () => {
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
    expect(now.company.name).toBe(DEMO_COMPANY.name)
    expect(await db.counters.get('BJ2611-A1')).toBeUndefined()
  })

  it('keeps a record\'s merge state inside its business row: one row per imported record, hidden from the app', async () => {
    const { db } = await setup()
    const s = new DexieSyncStore(db)
    const cust = record('docs', DOC, [{ fields: customerFields, hlc: '0000000001000.0000.B2' }])
    await s.commit({ records: [cust], cursors: { B2: { seq: 1, hash: 'h1' } } })
    expect(await db.syncState.count()).toBe(0)
    const row = (await rawRow(db, DOC))!
    expect(row).toMatchObject({ number: 'KH2611-B2-0001', [SYNC_CELL]: { alive: true, c: 0 } })
    // The cell leaves to the row the values the row shows: far smaller than the state on its own.
    const cell = row[SYNC_CELL] as { s: string }
    expect(unpackState(cell.s, row)).toEqual(cust)
    expect(cell.s.length).toBeLessThan(packState(cust).length * 0.75)
    // What the app reads never carries it.
    expect(await db.docs.get(DOC)).not.toHaveProperty(SYNC_CELL)
    expect((await db.docs.toArray())[0]).not.toHaveProperty(SYNC_CELL)
    expect(await s.getRecords([{ table: 'docs', key: DOC }])).toEqual([cust])
    // A snapshot written here finds it, and a state of this PC's own (syncState) beside it.
    const own = record('$trust', 'PC02', [{ fields: { publicKey: 'k' }, hlc: '0000000001001.0000.A1' }])
    await s.commit({ records: [own] })
    expect((await new DexieSyncStore(db).allRecords()).sort((a, b) => a.table.localeCompare(b.table))).toEqual([own, cust])
  })

  it('a clerk\'s edit of an imported document keeps its merge state, and a copied row cannot take it along', async () => {
    const { db, documents } = await setup()
    const s = new DexieSyncStore(db)
    const values = Object.fromEntries(Object.entries(customerData('佛山市美达电器有限公司').values).map(([k, v]) => [`values.${k}`, v]))
    const cust = record('docs', DOC, [{ fields: { ...customerFields, ...values }, hlc: '0000000001000.0000.B2' }])
    await s.commit({ records: [cust] })
    const loaded = await documents.load(DOC)
    await documents.update(DOC, { values: { ...loaded!.doc.values, fullName: '佛山市美达电器股份有限公司' }, lines: {} }, sales)
    expect((await documents.load(DOC))?.doc.values.fullName).toBe('佛山市美达电器股份有限公司')
    // The merge state still holds the remote write, so the clerk's edit is stamped as having seen it.
    expect(await s.getRecords([{ table: 'docs', key: DOC }])).toEqual([cust])

    const OTHER = '0f0e0d0c-0000-4000-8000-0000000000ff'
    const withCell = await rawRow(db, DOC)
    await db.docs.put({ ...withCell, id: OTHER } as unknown as StoredDoc)
    expect(await rawRow(db, OTHER)).not.toHaveProperty(SYNC_CELL)
    expect(await s.getRecords([{ table: 'docs', key: OTHER }])).toEqual([undefined])
  })

  it('a v3 database opens as v4: its merge states still count, and a remote change moves one into its row', async () => {
    const idb = new IDBFactory()
    const v3 = new Dexie('marketdesk', { indexedDB: idb, IDBKeyRange })
    v3.version(1).stores(SCHEMA_V1)
    v3.version(2).stores(SCHEMA_V2)
    v3.version(3).stores(SCHEMA_V3)
    await v3.open()
    const cust = record('docs', DOC, [{ fields: customerFields, hlc: '0000000001000.0000.B2' }])
    // What the v3 adapter left: the visible row and its merge state beside it.
    const ref = await setup({ name: 'ref' })
    const refStore = new DexieSyncStore(ref.db)
    await refStore.commit({ records: [cust] })
    const cell = (await rawRow(ref.db, DOC))![SYNC_CELL] as { s: string; h: string; alive: boolean; c: number }
    await v3.table('docs').add((await ref.db.docs.get(DOC))!)
    await v3.table('syncState').add({ id: `docs\u0000${DOC}`, ...cell, s: canonicalJson(cust) })
    await v3.table('syncMeta').put({ key: 'digestAcc', value: await refStore.digest() })
    v3.close()

    const db = await openDb('marketdesk', idb, IDBKeyRange)
    expect(db.verno).toBe(7)
    const s = new DexieSyncStore(db)
    expect(await s.getRecords([{ table: 'docs', key: DOC }])).toEqual([cust])
    expect(await s.allRecords()).toEqual([cust])
    // A re-import of what it already has changes nothing.
    await s.commit({ records: [cust] })
    expect(await s.digest()).toBe(await refStore.digest())
    expect(await db.meta.get('count:customer')).toBeUndefined()

    const edited = structuredClone(cust)
    applyChange(edited, { table: 'docs', key: DOC, op: 'put', fields: { 'values.paymentMethod': 'credit' }, hlc: '0000000002000.0000.B2', pc: 'B2', seen: { 'values.paymentMethod': ['0000000001000.0000.B2'] } })
    expect(await s.getRecords([{ table: 'docs', key: DOC }])).toEqual([cust])
    await s.commit({ records: [edited] })
    expect(await db.syncState.count()).toBe(0)
    expect(await s.getRecords([{ table: 'docs', key: DOC }])).toEqual([edited])
    expect((await db.docs.get(DOC))?.values.paymentMethod).toBe('credit')
    await refStore.commit({ records: [edited] })
    expect(await s.digest()).toBe(await refStore.digest())
  })

  it('a new PC reads nothing it knows is absent, yet sees states another writer committed meanwhile', async () => {
    const { db } = await setup()
    const mine = new DexieSyncStore(db)
    const other = new DexieSyncStore(db)
    const cust = record('docs', DOC, [{ fields: customerFields, hlc: '0000000001000.0000.B2' }])
    const line = record('lines', 'l1', [{ fields: { id: 'l1', docId: DOC, field: 'contacts', seq: 0 }, hlc: '0000000001001.0000.B2' }])
    expect(await mine.getRecords([{ table: 'docs', key: DOC }])).toEqual([undefined])
    await mine.commit({ records: [line] })
    expect(await mine.getRecords([{ table: 'lines', key: 'l1' }, { table: 'docs', key: DOC }])).toEqual([line, undefined])
    await other.commit({ records: [cust] })
    expect(await mine.getRecords([{ table: 'docs', key: DOC }, { table: 'lines', key: 'l1' }])).toEqual([cust, line])
  })

  it('stamping our own segment commits even when another read of the store came between its read and its commit', async () => {
    const { db } = await setup()
    const s = new DexieSyncStore(db)
    const cust = record('docs', DOC, [{ fields: customerFields, hlc: '0000000001000.0000.B2' }])
    await s.commit({ records: [cust] })
    // The engine reads the record it stamps; meanwhile the conflicts panel (or any page) reads another.
    const [mine] = await s.getRecords([{ table: 'docs', key: DOC }])
    await s.getRecords([{ table: 'lines', key: 'l9' }])
    applyChange(mine!, { table: 'docs', key: DOC, op: 'put', fields: { 'values.shortName': '美达' }, hlc: '0000000002000.0000.A1', pc: 'A1' })
    const seg = { seq: 1, bytes: new Uint8Array([1]), count: 1, blobs: [], published: false }
    await s.commit({ records: [mine!], claim: { outboxSeqs: [], segment: seg } })
    expect(await s.getRecords([{ table: 'docs', key: DOC }])).toEqual([mine])
    // And when another commit (a received batch) came between them.
    const [again] = await s.getRecords([{ table: 'docs', key: DOC }])
    await s.commit({ records: [record('lines', 'l1', [{ fields: { id: 'l1', docId: DOC, field: 'contacts', seq: 0 }, hlc: '0000000001001.0000.B2' }])] })
    applyChange(again!, { table: 'docs', key: DOC, op: 'put', fields: { 'values.shortName': '美达电器' }, hlc: '0000000003000.0000.A1', pc: 'A1' })
    await s.commit({ records: [again!], claim: { outboxSeqs: [], segment: { ...seg, seq: 2 } } })
    expect(await s.getRecords([{ table: 'docs', key: DOC }])).toEqual([again])
    expect((await s.ownSegments()).map((x) => x.seq)).toEqual([1, 2])
  })

  it('the status panel\'s waiting segments are the stored ones not yet verified on the share', async () => {
    const { db } = await setup()
    const s = new DexieSyncStore(db)
    const seg = (seq: number) => ({ seq, bytes: new Uint8Array([seq]), count: 10 * seq, blobs: [], published: false })
    await s.commit({ claim: { outboxSeqs: [], segment: seg(1) } })
    expect((await s.unpublishedSegments()).map((x) => x.seq)).toEqual([1])
    await s.commit({ claim: { outboxSeqs: [], segment: seg(2) } })
    await s.commit({ claim: { outboxSeqs: [], segment: seg(3) } })
    await s.markPublished(2)
    expect((await s.unpublishedSegments()).map((x) => [x.seq, x.count])).toEqual([[1, 10], [3, 30]])
    await s.markPublished(1)
    await s.markPublished(3)
    expect(await s.unpublishedSegments()).toEqual([])
    expect((await s.ownSegments()).map((x) => x.published)).toEqual([true, true, true])
  })

  it('writes merge states as canonical JSON, byte for byte (the digest of every PC depends on it)', () => {
    const r = record('docs', DOC, [
      { fields: { ...customerFields, 'values.tags': ['a', { z: 1, a: [null, 2.5, '引号"'] }], 'values.note': null, 'values.n': -0.1 }, hlc: '0000000001000.0000.B2' },
      { fields: { 'values.note': '备注' }, hlc: '0000000001001.0000.C3' },
    ])
    applyChange(r, { table: 'docs', key: DOC, op: 'delete', fields: {}, hlc: '0000000001002.0000.C3', pc: 'C3', seen: { $deleted: ['0000000001000.0000.B2'] } })
    expect(stateJson(r)).toBe(canonicalJson(r))
    const odd = structuredClone(r) as unknown as { fields: Record<string, Array<Record<string, unknown>>> }
    odd.fields['values.note']![0]!.x = 1
    expect(stateJson(odd as never)).toBe(canonicalJson(odd))
    expect(stateJson(emptyRecord('lines', 'l1'))).toBe(canonicalJson(emptyRecord('lines', 'l1')))
  })

  it('stores a merge state in about half its canonical size and reads back exactly the same state', () => {
    const r = record('docs', DOC, [
      { fields: { ...customerFields, 'values.tags': ['a', { z: 1, a: [null, 2.5] }], 'values.note': null }, hlc: '0000000001000.0000.B2' },
      { fields: { 'values.note': '备注' }, hlc: '0000000001001.0000.C3' },
    ])
    // A write that saw one write we hold and one we never received.
    applyChange(r, { table: 'docs', key: DOC, op: 'put', fields: { 'values.note': '合并' }, hlc: '0000000001002.0000.B2', pc: 'B2', seen: { 'values.note': ['0000000001000.0000.B2', '0000000000999.0000.D4'] } })
    for (const st of [r, emptyRecord('lines', 'l1'), record('$trust', 'PC02', [{ fields: { publicKey: 'k' }, hlc: '0000000000001.0000.A1' }])]) {
      expect(unpackState(packState(st))).toEqual(st)
    }
    expect(packState(r).length).toBeLessThan(canonicalJson(r).length * 0.75)
    // States written before v4 (canonical JSON) and odd writes still read back.
    expect(unpackState(canonicalJson(r))).toEqual(r)
    const odd = structuredClone(r) as unknown as { fields: Record<string, Array<Record<string, unknown>>> }
    odd.fields['values.note']![0]!.x = 1
    expect(unpackState(packState(odd as never))).toEqual(odd)
  })

  it('search words with remembered parts are the same words in the same order', () => {
    const memo = new Map<string, string[]>()
    const q = formById('quotation')
    const c = formById('customer')
    for (const [def, number, values, title] of [
      [q, 'BJ2611-A1-00001', { contact: '何俊' }, '佛山市美达电器有限公司'],
      [q, 'BJ2611-A1-00002', { contact: '何俊' }, '佛山市美达电器有限公司'],
      [q, 'BJ2611-A1-00003', { contact: '' }, undefined],
      [c, 'KH2611-A1-0001', { fullName: '华兴塑胶', shortName: '华兴', phone: '0757' }, '华兴塑胶'],
      [c, 'KH2611-A1-0002', { fullName: '华兴塑胶二厂', shortName: '华兴', phone: '' }, '华兴塑胶二厂'],
    ] as const) {
      expect(searchWordsMemo(def, number, values as never, title, memo)).toEqual(searchWordsFor(def, number, values as never, title))
    }
    // 何俊, 佛山市美达电器有限公司, 华兴, 0757, 华兴塑胶, 华兴塑胶二厂: each made once.
    expect(memo.size).toBe(6)
  })
})

/** A business row as stored, `$sync` included (read the way the sync adapter reads it). */
async function rawRow(db: DeskDb, id: string): Promise<Record<string, unknown> | undefined> {
  return db.transaction('r', db.docs, () => {
    markSyncTransaction()
    return db.docs.get(id) as Promise<Record<string, unknown> | undefined>
  })
}
