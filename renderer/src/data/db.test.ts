import { describe, expect, it } from 'vitest'
import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { formById } from '@forms/registry'
import { openDb, SCHEMA_V1 } from './db'
import { createDocumentStore } from './documents'
import { createDirectoryStore } from './directory'
import { DEMO_IDS, DEMO_USERS, seedBulk, seedDemo } from './seed'
import { sales, setup, steppingClock } from './test-setup'
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
    expect(db.verno).toBe(4)
    expect((await db.docs.get(evalId))?.refs).toEqual([`customerEvaluation:customer=${DEMO_IDS.customers.huaxing}`])
    const now = steppingClock()
    const documents = createDocumentStore(db, { forms: formById, now, settings: () => createDirectoryStore(db, { now }).settings() })
    const found = await documents.findBy('customerEvaluation', 'customer', DEMO_IDS.customers.huaxing)
    expect(found.map((d) => [d.id, d.state])).toEqual([[evalId, 'develop']])
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

  it('adds and withdraws a proxy grant, both audited and sent to the other PCs', async () => {
    const { directory, db } = await setup()
    const g = await directory.addProxy({ principalId: 'p', proxyId: 'x', role: 'marketingDirector', from: '2026-11-01', to: '2026-11-30' }, sales)
    expect((await directory.proxiesFor('x', '2026-11-15')).map((p) => p.id)).toEqual([g.id])
    expect(await directory.proxiesFor('x', '2026-12-01')).toEqual([])
    await directory.removeProxy(g.id, sales, '出差结束')
    expect(await directory.proxies()).toEqual([])
    const audit = await db.audit.where('docId').equals(g.id).sortBy('at')
    expect(audit.map((e) => e.action)).toEqual(['create', 'delete'])
    expect(audit[1]!.comment).toBe('出差结束')
    expect((await db.outbox.where('table').equals('proxies').toArray()).map((r) => r.op)).toEqual(['put', 'delete'])
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
    expect((await again.directory.users()).length).toBe(6)
  })
})
