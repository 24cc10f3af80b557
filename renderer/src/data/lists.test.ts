/**
 * The lists' query in the data layer (issue 10): substring search over the number, the title and a
 * reference's names, filters, sort across every match, `listAll`, and the digest kept in step with
 * writes made outside the store (a sync import writes `docs` rows directly).
 */
import { describe, expect, it } from 'vitest'
import type { FormData } from '@forms/schema/types'
import { formById } from '@forms/registry'
import { DEMO_IDS, seedDemo } from './seed'
import { cs, sales, setup, signInAs } from './test-setup'
import { toFormDataForTest } from './lists.test-helpers'

function quote(customer: string, quoteDate: string, unitPrice = 2380, salesperson: string | null = null): FormData {
  return {
    values: { customer, contact: '何俊', quoteDate, validUntil: '2025-12-31', currency: 'CNY', paymentMethod: 'credit', creditDays: 60, salesperson },
    lines: { items: [{ id: 'r1', values: { productName: '阻燃PC/ABS合金', spec: null, quantity: '1000', unit: 'kg', unitPrice, taxRate: '13' } }] },
  }
}
const customer = (fullName: string, shortName: string | null = null): FormData =>
  ({ values: { fullName, shortName, paymentMethod: 'prepay', traded: false }, lines: { contacts: [] } })

async function office(opts: { searchWaitMs?: number; digestGate?: (form: string) => Promise<void> } = {}) {
  const ctx = await setup(opts)
  await seedDemo(ctx.db, { forms: formById, now: ctx.now })
  const meiyida = (await ctx.documents.create('customer', customer('东莞市美宜达电器有限公司', '美宜达'), cs)).doc
  const q = {
    meiyida: (await ctx.documents.create('quotation', quote(meiyida.id, '2025-11-02', 1000, DEMO_IDS.users.liQiang), sales)).doc,
    huaxing: (await ctx.documents.create('quotation', quote(DEMO_IDS.customers.huaxing, '2025-11-10', 3000), sales)).doc,
    meida: (await ctx.documents.create('quotation', quote(DEMO_IDS.customers.meida, '2025-10-15', 2000, DEMO_IDS.users.liQiang), sales)).doc,
  }
  return { ...ctx, meiyida, q }
}

describe('list search: anywhere in the number, the title and the customer names (issue 10)', () => {
  it('美宜达 by 宜达, 电器 inside names, short names, pinyin and initials', async () => {
    const { documents, q } = await office()
    const numbers = async (form: string, text: string) => (await documents.list(form, { text })).rows.map((r) => r.number).sort()
    expect(await numbers('quotation', '宜达')).toEqual([q.meiyida.number])
    expect(await numbers('quotation', 'myd')).toEqual([q.meiyida.number])
    expect(await numbers('quotation', 'meiyida')).toEqual([q.meiyida.number])
    expect((await documents.list('customer', { text: '电器' })).rows.map((r) => r.values.fullName).sort()).toEqual(['东莞市美宜达电器有限公司', '佛山市美达电器有限公司'])
    // 美达: the demo quotation and q.meida (佛山市美达电器), and 美宜达's as a shorthand
    expect((await documents.list('quotation', { text: '美达' })).total).toBe(3)
    // `-<PC>-0001`: six characters (`M-0001`) would also be the demo PC's `DM-0001` when this PC's random code ends in M
    expect(await numbers('quotation', `电器 ${q.meiyida.number.slice(-7)}`)).toEqual([q.meiyida.number])
    expect((await documents.list('quotation', { text: 'szhx 电器' })).total).toBe(0)
  })

  it('while the digest is still being built, a search answers at once from the word-start index and says the answer is partial; once built, words match anywhere', async () => {
    // The digests wait until the test lets them go: what the clerk sees before, without a race.
    let release = (): void => undefined
    const held = new Promise<void>((r) => { release = r })
    const { documents, q } = await office({ searchWaitMs: 0, digestGate: () => held })
    // 东莞市美宜达 starts the customer's name (the quotation's title): the word-start index finds it.
    const early = await documents.list('quotation', { text: '东莞市美宜达' })
    expect(early.rows.map((r) => r.id)).toEqual([q.meiyida.id])
    // Its initials too (dgsmyd); the short name 美宜达 and its initials myd are not the title: only the digest finds them.
    expect((await documents.list('quotation', { text: 'dgsmyd' })).rows.map((r) => r.id)).toContain(q.meiyida.id)
    // The list is told the answer is partial, so it can say so and ask again once the digest is ready.
    expect(early.partial).toBe(true)
    // 宜达 sits inside the name: only the digest finds that.
    expect(await documents.list('quotation', { text: '宜达' })).toMatchObject({ total: 0, partial: true })
    release()
    await documents.searchReady('quotation')
    const later = await documents.list('quotation', { text: '宜达' })
    expect(later.rows.map((r) => r.id)).toEqual([q.meiyida.id])
    expect(later.partial).toBeUndefined()
  })

  it('a renamed customer is found by its new name on its quotations at once', async () => {
    const { documents, directory, meiyida, q } = await office()
    await signInAs(directory, cs)
    const loaded = (await documents.load(meiyida.id))!
    await documents.update(meiyida.id, toFormDataForTest(loaded, { fullName: '东莞市新宜家电有限公司' }), cs)
    expect((await documents.list('quotation', { text: '新宜家' })).rows.map((r) => r.id)).toEqual([q.meiyida.id])
    expect((await documents.list('quotation', { text: '东莞市美宜达' })).total).toBe(0)
    expect((await documents.list('quotation', { text: '美宜达' })).total).toBe(1) // its short name stays
  })
})

describe('list filters and sort, in the data layer across every match', () => {
  it('sorts by money, date and number over all rows, then pages', async () => {
    const { documents, q } = await office()
    const all = await documents.list('quotation', { sort: { key: 'grandTotal', dir: 'desc' }, limit: 2 })
    expect(all.total).toBe(4)
    const totals = (await documents.listAll('quotation', { sort: { key: 'grandTotal', dir: 'desc' } })).map((r) => Number(r.values.grandTotal))
    expect(totals).toEqual([...totals].sort((a, b) => b - a))
    expect(all.rows.map((r) => Number(r.values.grandTotal))).toEqual(totals.slice(0, 2))
    expect(totals.at(-1)).toBe(q.meiyida.values.grandTotal)
    const asc = await documents.listAll('quotation', { sort: { key: 'quoteDate', dir: 'asc' } })
    const dates = asc.map((r) => String(r.values.quoteDate))
    expect(dates).toEqual([...dates].sort())
    const page2 = await documents.list('quotation', { sort: { key: 'number', dir: 'asc' }, limit: 2, offset: 2 })
    const numbers = (await documents.listAll('quotation', { sort: { key: 'number', dir: 'asc' } })).map((r) => r.number)
    expect(page2.rows.map((r) => r.number)).toEqual(numbers.slice(2, 4))
    expect(numbers).toEqual([...numbers].sort())
  })

  it('combines state, customer, date range and 业务员 with the search words', async () => {
    const { documents, q } = await office()
    const ids = async (query: Parameters<typeof documents.listAll>[1]) => (await documents.listAll('quotation', query)).map((r) => r.id).sort()
    expect(await ids({ filters: { from: '2025-11-01', to: '2025-11-30' } })).toEqual([q.meiyida.id, q.huaxing.id].sort())
    expect(await ids({ filters: { user: DEMO_IDS.users.liQiang } })).toEqual([q.meiyida.id, q.meida.id].sort())
    expect(await ids({ filters: { ref: DEMO_IDS.customers.meida, from: '2025-10-01', to: '2025-10-31' } })).toEqual([q.meida.id])
    expect(await ids({ text: '电器', filters: { user: DEMO_IDS.users.liQiang, from: '2025-11-01', to: '2025-12-31' } })).toEqual([q.meiyida.id])
    expect(await ids({ filters: { states: ['approved'] } })).toEqual([])
    expect((await ids({ filters: { states: ['draft'] } })).length).toBe(4)
  })

  it('sees rows written straight into docs (a sync import from another PC), and tombstones leave', async () => {
    const { db, documents, q } = await office()
    expect((await documents.list('quotation', { text: '美宜达' })).total).toBe(1) // the digest is built
    const row = (await db.docs.get(q.huaxing.id))!
    await db.docs.put({ ...row, id: '01900000-0000-7000-8000-0000000000aa', number: 'BJ2611-K9-0042', updatedAt: '2026-11-21T00:00:00.000Z' })
    expect((await documents.list('quotation', { text: 'k9-0042' })).total).toBe(1)
    await documents.remove(q.meiyida.id, sales)
    expect((await documents.list('quotation', { text: '美宜达' })).total).toBe(0)
    expect((await documents.listAll('quotation', { text: 'szhx' })).map((r) => r.number).sort()).toEqual([q.huaxing.number, 'BJ2611-K9-0042'].sort())
  })

  it('two lists read at once after a write both see it: the second waits for the first\'s reading of the written rows', async () => {
    const { db, documents, q } = await office()
    expect((await documents.list('quotation', { text: '美宜达' })).total).toBe(1) // the digest is built
    const row = (await db.docs.get(q.huaxing.id))!
    await db.docs.put({ ...row, id: '01900000-0000-7000-8000-0000000000bb', number: 'BJ2611-K9-0043', updatedAt: '2026-11-21T00:00:00.000Z' })
    // The first reader's read of the written row is held (a slow disk): the second asks meanwhile.
    let release!: () => void
    const held = new Promise<void>((r) => { release = r })
    const bulkGet = db.docs.bulkGet.bind(db.docs)
    let first = true
    db.docs.bulkGet = (async (keys: string[]) => { if (first) { first = false; await held } return bulkGet(keys) }) as typeof db.docs.bulkGet
    const a = documents.digestRows('quotation')
    await new Promise((r) => setTimeout(r, 20))
    const b = documents.digestRows('quotation').then((rows) => rows.some((r) => r.number === 'BJ2611-K9-0043'))
    let bDone = false
    void b.then(() => { bDone = true })
    await new Promise((r) => setTimeout(r, 50))
    expect(bDone).toBe(false) // not answered without the row the first reader is still reading
    release()
    expect(await b).toBe(true)
    expect((await a).some((r) => r.number === 'BJ2611-K9-0043')).toBe(true)
  })

  it('typed ahead (美 → 美达 → 美达电), a quotation written in between is found by the next word', async () => {
    const { db, documents, q } = await office()
    const ids = async (text: string) => (await documents.listAll('quotation', { text })).map((r) => r.id).sort()
    expect(await ids('美')).toContain(q.meida.id)
    const before = await ids('美达')
    expect(before).toEqual(expect.arrayContaining([q.meida.id, q.meiyida.id]))
    expect(before).not.toContain(q.huaxing.id)
    // Another PC moves 华兴's quotation to 美达 (a sync import writes docs directly), between two keys.
    const row = (await db.docs.get(q.huaxing.id))!
    await db.docs.put({ ...row, values: { ...row.values, customer: DEMO_IDS.customers.meida }, updatedAt: '2026-11-21T00:00:00.000Z' })
    expect(await ids('美达电')).toContain(q.huaxing.id)
    expect(await ids('美达电 华兴')).toEqual([])
  })
})
