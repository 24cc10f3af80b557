// @vitest-environment happy-dom
/**
 * R20 through the data layer (fake-indexeddb): 生成提成单 (commissionLines) reads the records through
 * the data layer's lookup, the data layer refuses a slip whose figure was typed over, and the store's
 * 单据链 links a clawback line's adjustment and contract to the slip both ways.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, TransitionRefused, type DataLayer } from '@app/data'
import { setBackend } from './backend'
import { useSessionStore } from './session'
import { useDocumentsStore } from './documents'
import { commission } from '@forms/commission/commission.form'
import { commissionLines } from '@forms/commission/commission.rules'
import { policyOf } from '@forms/schema/policy'
import { applyComputed } from '@core/validation'
import type { FormData } from '@forms/schema/types'

let data: DataLayer
const U = DEMO_IDS.users
const zhang = { userId: U.zhangMin, name: '张敏' }

beforeEach(async () => {
  localStorage.clear()
  data = await openDataLayer({ name: `commission-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  setBackend(data)
  setActivePinia(createPinia())
  await useSessionStore().load()
  await useSessionStore().signIn(U.zhangMin, DEMO_PASSWORD)
})

/** A record saved through the data layer, then put in `state` directly (this test is about what follows from it). */
async function stored(form: string, state: string, d: FormData): Promise<string> {
  const out = await data.documents.create(form, d, zhang)
  await data.db.docs.update(out.doc.id, { state })
  return out.doc.id
}

/** 生成提成单 for 李强 and a month, read through the data layer (the seeded office has no rates set: 0 %). */
async function generate(period: string): Promise<FormData> {
  const typed = { values: { salesperson: U.liQiang, period }, lines: { items: [] } }
  const { lines } = await commissionLines(typed, { lookup: data.documents, today: '2026-11-30', policy: policyOf(undefined) })
  return applyComputed(commission, { values: typed.values, lines })
}

async function contractOfLiQiang(): Promise<string> {
  return stored('contract', 'approved', {
    values: { customer: DEMO_IDS.customers.meida, salesperson: U.liQiang, signDate: '2026-10-08', deliveryDate: '2026-10-20', paymentMethod: 'credit', creditDays: 30 },
    lines: { items: [{ id: 'l1', values: { productName: 'PC/ABS 合金', quantity: '1000', unit: 'kg', unitPrice: 10000, taxRate: '13' } }] },
  })
}

describe('R20 业务提成单 through the data layer', () => {
  it('R20 clawback: 生成提成单 takes back a confirmed return on a paid slip, and the adjustment’s 单据链 shows the slip', async () => {
    const docs = useDocumentsStore()
    const contract = await contractOfLiQiang()
    await stored('payment', 'confirmed', { values: { customer: DEMO_IDS.customers.meida, contract, kind: 'goods', receivedDate: '2026-10-10', amount: 6_000_000, method: 'wire' }, lines: {} })
    // October's slip, made from the records and paid out.
    const october = await generate('2026-10')
    expect(october.lines.items!.map((r) => r.values)).toEqual([expect.objectContaining({ kind: 'commission', contract, collected: 6_000_000, rate: '0', commission: 0 })])
    // With no commission paid there is nothing to take back; pay 1.5 % instead (as a slip printed under that rate would say).
    october.lines.items![0]!.values.rate = '1.5'
    const paid = await stored('commission', 'paid', october)
    const adjustment = await stored('adjustment', 'confirmed', { values: { customer: DEMO_IDS.customers.meida, contract, kind: 'return', amount: 1_000_000, adjustDate: '2026-11-05', reason: '色差退货' }, lines: {} })

    const november = await generate('2026-11')
    expect(november.lines.items!.map((r) => r.values)).toEqual([expect.objectContaining({ kind: 'clawback', contract, adjustment, adjusted: 1_000_000, paidBefore: 90_000, rate: '1.5', commission: -15_000 })])
    expect(november.values).toMatchObject({ netTotal: -15_000, settlement: 'owed' })
    const slip = await data.documents.create('commission', november, zhang)

    const chain = await docs.chain(adjustment)
    expect(chain.filter((n) => n.form.id === 'commission').map((n) => [n.doc.id, n.depth])).toEqual([[slip.doc.id, 1]])
    const fromSlip = await docs.chain(slip.doc.id)
    expect(fromSlip.filter((n) => n.depth === -1).map((n) => n.form.id).sort()).toEqual(['adjustment', 'contract'])
    // The contract's chain reaches both slips through their lines.
    expect((await docs.chain(contract)).filter((n) => n.form.id === 'commission').map((n) => n.doc.id).sort()).toEqual([paid, slip.doc.id].sort())
  })

  it('R20 blocked in the data layer: a collected figure typed above the confirmed payments', async () => {
    const contract = await contractOfLiQiang()
    await stored('payment', 'confirmed', { values: { customer: DEMO_IDS.customers.meida, contract, kind: 'goods', receivedDate: '2026-11-10', amount: 6_000_000, method: 'wire' }, lines: {} })
    const slip = await data.documents.create('commission', {
      values: { salesperson: U.liQiang, period: '2026-11' },
      lines: { items: [{ id: 'l1', values: { kind: 'commission', contract, customer: DEMO_IDS.customers.meida, collected: 7_000_000, rate: '0' } }] },
    }, zhang)
    const refused = await data.documents.transition(slip.doc.id, 'submit', 'financeCheck', {}, zhang).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(TransitionRefused)
    expect((refused as TransitionRefused).check).toMatchObject({ ok: false, rule: 'R20' })
  })
})
