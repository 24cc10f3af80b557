/**
 * R24 ([A] 12 每月盘点销售与财务部对合同台帐进行对帐) through the workflow engine: the reconciliation's
 * lines come from the 合同台帐, differences are computed per line and each needs its explanation, and
 * sales and finance both sign, never the same person for both sides.
 */
import { describe, expect, it } from 'vitest'
import type { DocSnapshot, FieldValue, RecordLookup } from '../schema/types'
import type { User } from '../../renderer/core/model'
import { checkTransition, countersignOf, type ActorContext, type PriorActors, type TransitionCheck } from '../../renderer/core/workflow'
import { applyComputed } from '../../renderer/core/validation'
import { contractLedger } from '../contract/contract.ledger'
import { reconciliation } from './reconciliation.form'
import { differences, reconciliationLines } from './reconciliation.rules'

type Row = Record<string, FieldValue | undefined>
const u = (id: string, name: string, roles: User['roles']): User => ({ id, name, dept: '营销部', roles, active: true })
const fin = u('f', '林静', ['finance'])
const mm = u('m', '赵国栋', ['marketingManager'])
const both = u('b', '孙丽', ['finance', 'marketingManager'])
const sales = u('s', '李强', ['salesperson'])
const users = [fin, mm, both, sales]
const as = (user: User): ActorContext => ({ user, grants: [], users })
const today = '2026-12-02'
/** The refusal's message (empty when allowed). */
const msg = (r: TransitionCheck) => (r.ok ? '' : r.message.zh)
const check = (d: DocSnapshot, t: string, user: User, prior?: PriorActors) => checkTransition(reconciliation, d, t, as(user), lookup, today, undefined, prior)

const snap = (id: string, form: string, state: string, values: Row): DocSnapshot => ({ id, form, number: id.toUpperCase(), state, version: 1, values, lines: {} })
const records: DocSnapshot[] = [
  snap('c1', 'contract', 'signed', { customer: 'k1', signDate: '2026-11-03', totalAmount: 100_000_00 }), snap('c2', 'contract', 'approved', { customer: 'k2', signDate: '2026-11-20', totalAmount: 30_000_00 }),
  snap('f1', 'delivery', 'booked', { contract: 'c1', totalAmount: 60_000_00 }),
  snap('p1', 'payment', 'confirmed', { contract: 'c1', amount: 20_000_00 }),
]
let stored = records
const lookup: RecordLookup = {
  get: async (form, id) => stored.find((d) => d.form === form && d.id === id),
  findBy: async (form, field, value) => stored.filter((d) => d.form === form && d.values[field] === value),
}
const of = (form: string) => records.filter((d) => d.form === form)
const ledger = contractLedger({ contracts: of('contract'), deliveries: of('delivery'), payments: of('payment'), adjustments: [] }, { month: '2026-11' })

/** A reconciliation of November with finance's figures per line (in the ledger's order: c2, c1). */
function doc(state: string, books: Row[], values: Row = {}): DocSnapshot {
  const lines = reconciliationLines(ledger).map((v, i) => ({ id: `l${i}`, values: { ...v, ...books[i] } }))
  const data = applyComputed(reconciliation, { values: { month: '2026-11', reconcileDate: today, ...values }, lines: { items: lines } })
  return { id: 'hd1', form: 'reconciliation', number: 'HD2612-A7-0001', state, version: 1, values: data.values, lines: data.lines }
}
const agree: Row[] = [{ financeCollected: 0, financeOutstanding: 0 }, { financeCollected: 20_000_00, financeOutstanding: 40_000_00 }]
const differ: Row[] = [{ financeCollected: 0, financeOutstanding: 0 }, { financeCollected: 25_000_00, financeOutstanding: 35_000_00 }]

describe('R24 月度合同台帐对账', () => {
  it('R24 the lines are the month\'s ledger rows with its figures; differences are computed per line', () => {
    expect(reconciliationLines(ledger)).toEqual([
      { contract: 'c2', customer: 'k2', amount: 30_000_00, delivered: 0, collected: 0, invoiced: 0, outstanding: 0 },
      { contract: 'c1', customer: 'k1', amount: 100_000_00, delivered: 60_000_00, collected: 20_000_00, invoiced: 0, outstanding: 40_000_00 },
    ])
    const d = doc('draft', differ)
    expect(d.lines.items!.map((l) => [l.values.diffCollected, l.values.diffOutstanding])).toEqual([[0, 0], [5_000_00, -5_000_00]])
    expect(differences(d).map((x) => x.index)).toEqual([1])
    expect(d.values.differenceCount).toBe(1)
    expect(doc('draft', agree).values.differenceCount).toBe(0)
    // Before finance has entered its books there is no difference yet, and nothing to sign.
    expect(doc('draft', []).lines.items!.map((l) => l.values.diffCollected)).toEqual([null, null])
  })

  it('R24 blocked: a line with a difference and no 差异说明 blocks the submit', async () => {
    const r = await check(doc('draft', differ), 'submit', fin)
    expect(r).toMatchObject({ ok: false, reason: 'guard', rule: 'R24' })
    expect(msg(r)).toBe('第 2 行台帐与财务账面有差异，请填写差异说明')
  })

  it('R24 blocked: finance\'s figures missing on a line', async () => {
    const r = await check(doc('draft', [agree[0]!]), 'submit', fin)
    expect(r).toMatchObject({ ok: false, rule: 'R24' })
    expect(msg(r)).toBe('第 2 行还没有填写财务账面数')
  })

  it('R24 blocked: finance alone cannot complete it; the sales side is still missing', async () => {
    const d = doc('review', agree)
    const r = await check(d, 'sign-review-finance', fin, { submit: 'f' })
    expect(r).toMatchObject({ ok: true, to: 'review' })
    if (!r.ok) return
    const signed = { ...d, values: { ...d.values, ...r.sets } }
    expect(countersignOf(reconciliation, signed)?.missing.map((m) => m.key)).toEqual(['sales'])
    // Finance cannot sign the sales side either.
    expect(await check(signed, 'sign-review-sales', fin, { submit: 'f', 'sign-review-finance': 'f' })).toMatchObject({ ok: false, reason: 'role' })
    // Nor can a salesperson: the ledger is the department's (its manager or the marketing head signs).
    expect(await check(signed, 'sign-review-sales', sales, { submit: 'f', 'sign-review-finance': 'f' })).toMatchObject({ ok: false, reason: 'role' })
  })

  it('R24 blocked: the same person cannot sign both sides, whichever they sign first', async () => {
    const d = doc('review', agree)
    const first = await check(d, 'sign-review-finance', both, { submit: 'f' })
    expect(first.ok).toBe(true)
    if (!first.ok) return
    const signed = { ...d, values: { ...d.values, ...first.sets } }
    const barred = await check(signed, 'sign-review-sales', both, { submit: 'f', 'sign-review-finance': 'b' })
    expect(barred).toMatchObject({ ok: false, reason: 'separation' })
    expect(msg(barred)).toBe('您已签过这张单据的另一方，不能再由您会签：销售部确认，请由其他有权限的人签')
    const other = await check(d, 'sign-review-sales', both, { submit: 'f' })
    expect(other.ok).toBe(true)
    if (!other.ok) return
    expect(await check({ ...d, values: { ...d.values, ...other.sets } }, 'sign-review-finance', both, { submit: 'f', 'sign-review-sales': 'b' })).toMatchObject({ ok: false, reason: 'separation' })
  })

  it('R24 allowed: differences explained, submitted, both sides signed → 已对账', async () => {
    const explained = differ.map((b, i) => (i === 1 ? { ...b, explanation: '11 月 30 日承兑汇票 ¥5,000.00 财务已入账，台帐 12 月 1 日登记' } : b))
    expect(await check(doc('draft', explained), 'submit', fin)).toMatchObject({ ok: true, to: 'review' })
    expect(await check(doc('draft', agree), 'submit', mm)).toMatchObject({ ok: true, to: 'review' })
    const d = doc('review', explained)
    const a = await check(d, 'sign-review-sales', mm, { submit: 'f' })
    if (!a.ok) throw new Error(msg(a))
    const half = { ...d, values: { ...d.values, ...a.sets } }
    const b = await check(half, 'sign-review-finance', fin, { submit: 'f', 'sign-review-sales': 'm' })
    expect(b).toMatchObject({ ok: true, to: 'reconciled' })
  })

  it('R24 warns (confirmable, audited) when a line\'s 台帐 figures are not the ledger\'s now: typed over, or money came in since', async () => {
    // 已收款 typed over in the 台帐 column, finance's figure the same: no difference to explain, but not the ledger's.
    const typedOver = doc('draft', [agree[0]!, { collected: 25_000_00, financeCollected: 25_000_00, financeOutstanding: 40_000_00 }])
    const r = await check(typedOver, 'submit', fin)
    expect(r).toMatchObject({ ok: false, reason: 'warning', rule: 'R24' })
    expect(msg(r)).toContain('第 2 行的台帐数与当前合同台帐不一致')
    expect(await checkTransition(reconciliation, typedOver, 'submit', as(fin), lookup, today, undefined, undefined, { confirmed: true })).toMatchObject({ ok: true })
    stored = [...records, snap('p2', 'payment', 'confirmed', { contract: 'c1', amount: 1_00 })]
    try {
      expect(msg(await check(doc('draft', agree), 'submit', fin))).toContain('第 2 行')
    } finally { stored = records }
  })
})
