import { describe, expect, it } from 'vitest'
import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { formById } from '@forms/registry'
import { durabilityFor, openDb, SCHEMA_V1 } from './db'
import { customerData, quotationData } from '../sync/test-office'
import { createDocumentStore } from './documents'
import { createDirectoryStore } from './directory'
import { DEMO_IDS, DEMO_USERS, seedBulk, seedDemo } from './seed'
import { cs, sales, setup, steppingClock } from './test-setup'
import { signInAs } from './test-setup'
import { createManualMatchStore } from './manual-matches'
import { openDataLayer } from './index'

describe('schema versions', () => {
  it('opens a database written by the v1 schema and upgrades it in place', async () => {
    const idb = new IDBFactory()
    const old = new Dexie('marketdesk', { indexedDB: idb, IDBKeyRange })
    old.version(1).stores(SCHEMA_V1)
    await old.open()
    const evalId = crypto.randomUUID()
    // A v1 row: no `refs` yet.
    await old.table('docs').add({
      id: evalId, form: 'customerEvaluation', number: 'PG2611-A1-0001', state: 'develop', version: 1,
      values: { customer: DEMO_IDS.customers.huaxing, demandProduct: '阻燃PC/ABS' }, createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'u',
      updatedAt: '2026-11-01T00:00:00.000Z', updatedBy: 'u', searchWords: ['customerEvaluation:pg2611-a1-0001'],
    })
    old.close()

    const db = await openDb('marketdesk', idb, IDBKeyRange)
    expect(db.verno).toBe(7)
    expect((await db.docs.get(evalId))?.refs).toEqual([`customerEvaluation:customer=${DEMO_IDS.customers.huaxing}`])
    const now = steppingClock()
    const documents = createDocumentStore(db, { forms: formById, now, settings: () => createDirectoryStore(db, { now }).settings(), signer: () => null })
    const found = await documents.findBy('customerEvaluation', 'customer', DEMO_IDS.customers.huaxing)
    expect(found.map((d) => [d.id, d.state])).toEqual([[evalId, 'develop']])
  })
})

describe('durability', () => {
  it('an approval\'s audit entry is written in a transaction that asks for strict durability (flushed to disk before it completes)', async () => {
    const { db, documents } = await setup()
    const customer = await documents.create('customer', customerData('佛山市美达电器有限公司'), cs)
    const quote = await documents.create('quotation', quotationData(customer.doc.id), sales)
    const seen: Array<[string, string]> = []
    db.audit.hook('creating', (_key, entry, trans) => { seen.push([entry.action, (trans as unknown as { idbtrans: IDBTransaction }).idbtrans.durability]) })
    await documents.transition(quote.doc.id, 'submit', 'pending', {}, sales)
    expect(seen).toEqual([['transition:submit', 'strict']])
    expect(durabilityFor(['docs', 'lines'], 'readwrite')).toBe('default')
    expect(durabilityFor(['syncSegments', 'syncMeta'], 'readwrite')).toBe('strict')
    expect(durabilityFor(['audit'], 'readonly')).toBe('default')
  })
})

describe('DirectoryStore', () => {
  it('makes this PC’s code once and keeps it', async () => {
    const { directory, db } = await setup()
    const a = await directory.settings()
    const b = await directory.settings()
    expect(a.pcCode).toMatch(/^[A-Z0-9]{2,3}$/)
    expect(b.pcCode).toBe(a.pcCode)
    // Local to this PC: never in the outbox.
    expect(await db.outbox.where('table').equals('settings').count()).toBe(0)
  })

  it('adds and withdraws a proxy grant as entries signed by the administrator, sent to the other PCs', async () => {
    const { directory, db } = await setup()
    await signInAs(directory, { userId: DEMO_IDS.users.zhangMin, name: '张敏' })
    const g = await directory.addProxy({ principalId: DEMO_IDS.users.liuJianguo, proxyId: DEMO_IDS.users.liQiang, role: 'generalManager', from: '2026-11-01', to: '2026-11-30' })
    expect((await directory.proxies()).map((p) => p.id)).toContain(g.id)
    await directory.removeProxy(g.id, '出差结束')
    expect((await directory.proxies()).map((p) => p.id)).not.toContain(g.id)
    const mine = (await directory.entries()).filter((e) => (e.body.kind === 'grant' && e.body.grant.id === g.id) || (e.body.kind === 'ungrant' && e.body.grantId === g.id))
    expect(mine.map((e) => e.body.kind).sort()).toEqual(['grant', 'ungrant'])
    expect((await db.outbox.where('table').equals('directory').toArray()).map((r) => r.key)).toEqual(expect.arrayContaining(mine.map((e) => e.id)))
    // Users and grants are never sent as rows: only the signed entries travel.
    expect(await db.outbox.where('table').anyOf('users', 'proxies').count()).toBe(0)
  })

  it('refuses a clerk who tries to add a proxy grant; nothing is written', async () => {
    const { directory, db } = await setup()
    const before = await db.directory.count()
    await expect(directory.addProxy({ principalId: DEMO_IDS.users.chenZhiyuan, proxyId: DEMO_IDS.users.liQiang, role: 'marketingDirector', from: '2026-11-01', to: '2026-11-30' }))
      .rejects.toThrow('只有管理员')
    expect(await db.directory.count()).toBe(before)
  })
})

describe('seed', () => {
  it('seeds the demo office once, with 赵磊 acting for the director around today', async () => {
    const { db, directory, documents, now } = await setup({ now: steppingClock('2026-11-20T02:00:00.000Z') })
    expect(await seedDemo(db, { forms: formById, now })).toBe(true)
    expect(await seedDemo(db, { forms: formById, now })).toBe(false)
    expect((await directory.users()).map((u) => u.name).sort()).toEqual(DEMO_USERS.map((u) => u.name).sort())
    const [grant] = await directory.proxies()
    expect(grant).toMatchObject({ proxyId: DEMO_IDS.users.zhaoLei, principalId: DEMO_IDS.users.chenZhiyuan, role: 'marketingDirector' })
    expect(grant!.from <= '2026-11-20' && '2026-11-20' <= grant!.to).toBe(true)
    expect((await directory.settings()).company.name).toBe('东莞市恒泰高分子材料有限公司')
    expect(await documents.count('customer')).toBe(2)
    expect((await documents.get('customer', DEMO_IDS.customers.meida))?.values.traded).toBe(true)
    // Four products after the first documents: the quotation keeps its number, the products follow.
    expect(await documents.count('product')).toBe(4)
    expect((await documents.load(DEMO_IDS.quotation))?.doc.number).toMatch(/^BJ\d{4}-DM-0001$/)
    const pcAbs = await documents.get('product', DEMO_IDS.products.pcAbs)
    expect(pcAbs?.values).toMatchObject({ code: 'HT-PC/ABS-8130', standardPrice: 2380, taxRate: '13' })
    expect((await documents.get('product', DEMO_IDS.products.pcPbt))?.values.newFormula).toBe(true)
  })

  it('bulk-inserts quotations that list, search and count like real ones', async () => {
    const { db, documents } = await setup()
    await seedBulk(db, 500, { chunk: 200, pcCode: 'B1', now: '2026-11-20T02:00:00.000Z' })
    expect(await documents.count('quotation')).toBe(500)
    const page = await documents.list('quotation', { limit: 20 })
    expect(page.total).toBe(500)
    expect(page.rows).toHaveLength(20)
    const hx = await documents.list('quotation', { text: 'szhx', limit: 10 })
    expect(hx.total).toBe(Math.ceil(500 / 12))
    expect(new Set(hx.rows.map((r) => r.values.customer)).size).toBe(1)
    expect((await documents.load(page.rows[0]!.id))?.lines).toHaveLength(2)
  })
})

describe('unmatched scan pages', () => {
  it('queues a page once, and it leaves the queue when a clerk assigns it', async () => {
    const { db, now } = await setup()
    const queue = createManualMatchStore(db, { now })
    const page = { fileHash: 'a'.repeat(64), fileName: '扫描件 2026-11-20.pdf', page: 2, thumbnail: new Uint8Array([137, 80, 78, 71]), mime: 'image/png', reason: '未识别到二维码 / no QR code found' }
    const first = await queue.add(page, sales)
    const again = await queue.add(page, sales)
    expect(again.id).toBe(first.id)
    expect((await queue.pending()).map((m) => m.reason)).toEqual(['未识别到二维码 / no QR code found'])
    await queue.resolve(first.id, DEMO_IDS.quotation, sales)
    expect(await queue.pending()).toEqual([])
    expect((await queue.forFile(page.fileHash))[0]!.resolved?.docId).toBe(DEMO_IDS.quotation)
  })
})

describe('openDataLayer', () => {
  it('wires the stores and seeds the demo office on first run only', async () => {
    const idb = new IDBFactory()
    const first = await openDataLayer({ indexedDB: idb, IDBKeyRange, seed: true, now: steppingClock() })
    expect((await first.documents.list('customer', {})).total).toBe(2)
    first.db.close()
    const again = await openDataLayer({ indexedDB: idb, IDBKeyRange, seed: true, now: steppingClock() })
    expect((await again.documents.list('customer', {})).total).toBe(2)
    expect((await again.directory.users()).length).toBe(DEMO_USERS.length)
  })
})

describe('local write stamps (schema v7)', () => {
  it('keep increasing across a restart whichever form holds the highest stamp (first, middle or last form)', async () => {
    const idb = new IDBFactory()
    const row = (id: string, form: string) => ({ id, form, number: id, state: 'draft', version: 1, values: {}, createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'u', updatedAt: '2026-11-01T00:00:00.000Z', updatedBy: 'u', searchWords: [], refs: [] })
    for (const [i, last] of ['adjustment', 'customer', 'visitRecord'].entries()) {
      const name = `stamps-${i}`
      const db = await openDb(name, idb, IDBKeyRange)
      for (const form of ['adjustment', 'customer', 'visitRecord'].filter((f) => f !== last)) await db.docs.put(row(`${form}-1`, form) as never)
      await db.docs.put(row(`${last}-1`, last) as never)
      const highest = db.localSeq()
      db.close()
      const again = await openDb(name, idb, IDBKeyRange)
      expect(again.localSeq()).toBe(highest)
      await again.docs.put(row('new-1', 'customer') as never)
      expect((await again.docs.get('new-1'))!.localSeq).toBeGreaterThan(highest)
      again.close()
    }
  })
})
