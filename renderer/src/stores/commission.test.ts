// @vitest-environment happy-dom
/**
 * R20 through the data layer (fake-indexeddb): the slip's lines are gathered from the records on
 * save at the rate the administrator set (what a screen sends for them is replaced), the data layer
 * refuses a slip whose stored figure no longer matches, and the store's 单据链 links a clawback
 * line's adjustment and contract to the slip both ways.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, TransitionRefused, type DataLayer } from '@app/data'
import { setBackend } from './backend'
import { useSessionStore } from './session'
import { useDocumentsStore } from './documents'
import type { FormData } from '@forms/schema/types'

let data: DataLayer
const U = DEMO_IDS.users
const zhang = { userId: U.zhangMin, name: '张敏' }
const meida = DEMO_IDS.customers.meida

beforeEach(async () => {
  localStorage.clear()
  data = await openDataLayer({ name: `commission-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  setBackend(data)
  setActivePinia(createPinia())
  await useSessionStore().load()
  // 张敏 is the demo office's administrator: 设置 → 业务规则 sets a 1.5 % commission for everyone.
  await useSessionStore().signIn(U.zhangMin, DEMO_PASSWORD)
  const settings = await data.directory.officeSettings()
  // R17: the change cites an approved 内部联络函 (approved directly here: this test is about commissions).
  const memo = await data.documents.create('memo', { values: {
    subject: '业务提成比例统一为 1.5%', applicant: U.zhangMin, fromDept: '客服部', toDepts: '营销部、财务部', concerns: 'policy', effectiveDate: '2026-11-01',
    currentPractice: '未设提成比例', change: '所有业务员按回款 1.5% 提成', reason: '按第一篇第 9 条执行',
  }, lines: {} }, zhang)
  await data.db.docs.update(memo.doc.id, { state: 'approved' })
  await data.directory.saveOfficeSettings({ ...settings, policy: { ...settings.policy, commissionRates: [{ basisPoints: 150 }] }, policyMemo: { id: memo.doc.id, number: memo.doc.number } })
})

/** A record saved through the data layer, then put in `state` directly (this test is about what follows from it). */
async function stored(form: string, state: string, d: FormData): Promise<string> {
  const out = await data.documents.create(form, d, zhang)
  await data.db.docs.update(out.doc.id, { state })
  return out.doc.id
}

/** 李强's approved contract for ¥100,000.00, and ¥60,000.00 of it collected and confirmed on `received`. */
async function collected60(received: string): Promise<string> {
  const contract = await stored('contract', 'approved', {
    values: { customer: meida, salesperson: U.liQiang, signDate: '2026-10-08', deliveryDate: '2026-10-20', paymentMethod: 'credit', creditDays: 30 },
    lines: { items: [{ id: 'l1', values: { productName: 'PC/ABS 合金', quantity: '1000', unit: 'kg', unitPrice: 10000, taxRate: '13' } }] },
  })
  await stored('payment', 'confirmed', { values: { customer: meida, contract, kind: 'goods', receivedDate: received, amount: 6_000_000, method: 'wire' }, lines: {} })
  return contract
}

const slip = (period: string, lines: FormData['lines'] = {}): FormData => ({ values: { salesperson: U.liQiang, period }, lines })
const rowsOf = (l: { lines: Array<{ field: string; values: Record<string, unknown> }> }) => l.lines.filter((r) => r.field === 'items').map((r) => r.values)

describe('R20 业务提成单 through the data layer', () => {
  it('R20 clawback: the slip after a paid one takes back a confirmed return, and the adjustment’s 单据链 shows the slip', async () => {
    const contract = await collected60('2026-10-10')
    // October: the lines come from the records, whatever the screen sent.
    const typed = slip('2026-10', { items: [{ id: 'x', values: { kind: 'commission', contract, customer: meida, collected: 9_999_999, rate: '9' } }] })
    const october = await data.documents.create('commission', typed, zhang)
    expect(rowsOf(october)).toEqual([expect.objectContaining({ kind: 'commission', contract, collected: 6_000_000, rate: '1.5', commission: 90_000 })])
    await data.db.docs.update(october.doc.id, { state: 'paid' })
    const adjustment = await stored('adjustment', 'confirmed', { values: { customer: meida, contract, kind: 'return', amount: 1_000_000, adjustDate: '2026-11-05', reason: '色差退货' }, lines: {} })

    // November: nothing collected, ¥10,000.00 returned → −¥150.00, owed back.
    const november = await data.documents.create('commission', slip('2026-11'), zhang)
    expect(rowsOf(november)).toEqual([expect.objectContaining({ kind: 'clawback', contract, adjustment, adjusted: 1_000_000, paidBefore: 90_000, rate: '1.5', commission: -15_000 })])
    expect(november.doc.values).toMatchObject({ commissionTotal: 0, clawbackTotal: -15_000, netTotal: -15_000, settlement: 'owed' })
    await data.documents.transition(november.doc.id, 'submit', 'financeCheck', {}, zhang)

    const docs = useDocumentsStore()
    expect((await docs.chain(adjustment)).filter((n) => n.form.id === 'commission').map((n) => [n.doc.id, n.depth])).toEqual([[november.doc.id, 1]])
    expect((await docs.chain(november.doc.id)).filter((n) => n.depth === -1).map((n) => n.form.id).sort()).toEqual(['adjustment', 'contract'])
    // The contract's chain reaches both slips through their lines.
    expect((await docs.chain(contract)).filter((n) => n.form.id === 'commission').map((n) => n.doc.id).sort()).toEqual([october.doc.id, november.doc.id].sort())
  })

  it('R20 blocked in the data layer: a stored 本期回款 above the confirmed payments (changed behind the screen) is refused at submission', async () => {
    await collected60('2026-11-10')
    const made = await data.documents.create('commission', slip('2026-11'), zhang)
    const line = made.lines.find((l) => l.field === 'items')!
    await data.db.lines.update(line.id, { values: { ...line.values, collected: 7_000_000 } })
    const refused = await data.documents.transition(made.doc.id, 'submit', 'financeCheck', {}, zhang).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(TransitionRefused)
    expect((refused as TransitionRefused).check).toMatchObject({ ok: false, rule: 'R20', message: { zh: expect.stringContaining('超过合同') } })
  })
})
