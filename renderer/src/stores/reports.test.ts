// @vitest-environment happy-dom
/**
 * The receivable reports through the store and the data layer (fake-indexeddb): 账龄分析 reads what the
 * state index gives, 逾期应收 reaches finance, the marketing head and the contract's salesperson only (R23),
 * 回款与信用分析 per customer ([A] 5), and a month's 合同台帐对账单 is made from the ledger (R24).
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, type DataLayer } from '@app/data'
import { addDays } from '@core/validation'
import type { DocRecord } from '@core/model'
import { setBackend } from './backend'
import { localToday, useSessionStore } from './session'
import { useDocumentsStore } from './documents'

let data: DataLayer
const U = DEMO_IDS.users
const today = localToday()
/** Shipped 95 days before today on 30 days' credit: 65 days overdue. */
const shipped = addDays(today, -95)

beforeEach(async () => {
  localStorage.clear()
  data = await openDataLayer({ name: `reports-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  setBackend(data)
  setActivePinia(createPinia())
  await useSessionStore().load()
  const base = (await data.db.docs.get(DEMO_IDS.customers.huaxing))!
  const rec = (id: string, form: string, number: string, state: string, values: DocRecord['values']): typeof base => ({ ...base, id, form, number, state, values, searchWords: [] })
  const meida = (await data.db.docs.get(DEMO_IDS.customers.meida))!
  await data.db.docs.bulkPut([
    { ...meida, values: { ...meida.values, openingBalance: 3_000_00, openingDate: addDays(today, -10), creditLimit: 1_000_00 } },
    rec('rc1', 'contract', 'HT2608-A7-0001', 'signed', { customer: DEMO_IDS.customers.huaxing, salesperson: U.liQiang, signDate: shipped, paymentMethod: 'credit', creditDays: 30, totalAmount: 50_000_00 }),
    rec('rf1', 'delivery', 'FH2608-A7-0001', 'booked', { contract: 'rc1', customer: DEMO_IDS.customers.huaxing, shipDate: shipped, totalAmount: 20_000_00 }),
    rec('rf2', 'delivery', 'FH2608-A7-0002', 'draft', { contract: 'rc1', customer: DEMO_IDS.customers.huaxing, shipDate: shipped, totalAmount: 5_000_00 }),
    rec('rp1', 'payment', 'SK2608-A7-0001', 'confirmed', { contract: 'rc1', customer: DEMO_IDS.customers.huaxing, receivedDate: shipped, amount: 8_000_00 }),
  ])
})

const signIn = (id: string) => useSessionStore().signIn(id, DEMO_PASSWORD)

describe('receivable reports (R23, R24, [A] 4–5)', () => {
  it('账龄分析: booked deliveries and opening balances, net of confirmed money, on the as-of date', async () => {
    await signIn(U.linJing)
    const { items, titles, contracts } = await useDocumentsStore().ageing(today)
    expect(items.map((i) => [i.id, i.open, i.days, i.bucket])).toEqual([
      [DEMO_IDS.customers.meida, 3_000_00, 10, 'd30'],
      ['rf1', 12_000_00, 65, 'd90'],
    ])
    expect(titles.get(DEMO_IDS.customers.huaxing)).toBeTruthy()
    expect(contracts.get('rc1')).toBe('HT2608-A7-0001')
  })

  it('账龄分析 follows a write at once (digest rows, settled through the session memo the start page shares)', async () => {
    await signIn(U.linJing)
    const docs = useDocumentsStore()
    const open = async () => Object.fromEntries((await docs.ageing(today)).items.map((i) => [i.id, i.open]))
    expect((await open()).rf1).toBe(12_000_00)
    const base = (await data.db.docs.get('rp1'))!
    await data.db.docs.put({ ...base, id: 'rp2', number: 'SK2608-A7-0002', values: { ...base.values, amount: 5_000_00 } })
    expect((await open()).rf1).toBe(7_000_00)
    // The start page's charts settle through the very same memo.
    expect(docs.settleMemo().partition).toBeDefined()
  })

  it('R23 逾期应收 reaches finance, the marketing head and the contract\'s salesperson, with the step the policy gives', async () => {
    await signIn(U.linJing)
    const fin = await useDocumentsStore().overdue()
    expect(fin.map((n) => [n.item.id, n.step.kind, n.contractNumber])).toEqual([['rf1', 'commissionOffset', 'HT2608-A7-0001'], [DEMO_IDS.customers.meida, 'remind', '']])
    await signIn(U.wangHaiyan)
    expect((await useDocumentsStore().overdue()).length).toBe(2)
    await signIn(U.liQiang)
    // The delivery of his contract is his (an opening balance is the customer's salesperson's).
    expect((await useDocumentsStore().overdue()).map((n) => n.item.id)).toContain('rf1')
    await signIn(U.zhengXiuying)
    expect(await useDocumentsStore().overdue()).toEqual([])
  })

  it('回款与信用分析: 美达 over its limit is flagged first', async () => {
    await signIn(U.linJing)
    const rows = await useDocumentsStore().creditAnalysis(today.slice(0, 7))
    expect(rows[0]).toMatchObject({ customer: DEMO_IDS.customers.meida, receivable: 3_000_00, limit: 1_000_00, over: true, usedPercent: 300 })
  })

  it('R24: a month\'s 合同台帐对账单 is made from the ledger\'s rows of that month, as a draft', async () => {
    await signIn(U.linJing)
    const made = await useDocumentsStore().createReconciliation(shipped.slice(0, 7))
    expect(made.doc).toMatchObject({ form: 'reconciliation', state: 'draft', values: expect.objectContaining({ month: shipped.slice(0, 7), differenceCount: 0 }) })
    expect(made.doc.number.startsWith('HD')).toBe(true)
    expect(made.lines.map((l) => l.values)).toEqual([expect.objectContaining({ contract: 'rc1', amount: 50_000_00, delivered: 20_000_00, collected: 8_000_00, outstanding: 12_000_00, diffCollected: null })])
  })
})
