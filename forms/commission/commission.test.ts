/**
 * R20 ([A] 9, 12) through the workflow engine: the commission slip's guard, its workflow and
 * 生成提成单 (commissionLines, the lines worked out from the records) over a fake lookup, each rule
 * blocked and allowed; figures by hand.
 */
import { describe, expect, it } from 'vitest'
import type { DocSnapshot, FieldValue, FormDef, RecordLookup } from '../schema/types'
import type { User } from '../../renderer/core/model'
import { checkTransition, type ActorContext, type PriorActors } from '../../renderer/core/workflow'
import { applyComputed } from '../../renderer/core/validation'
import { withGathered } from '../../renderer/core/gather'
import { policyOf, type BusinessPolicy, type CommissionRate } from '../schema/policy'
import { contract } from '../contract/contract.form'
import { commission } from './commission.form'
import { commissionLines, commissionOn, holdOf, policyRate, rateUnits } from './commission.rules'

type Row = Record<string, FieldValue | undefined>
const lookupOf = (docs: DocSnapshot[]): RecordLookup => ({
  get: async (form, id) => docs.find((d) => d.form === form && d.id === id),
  findBy: async (form, field, value: FieldValue) => docs.filter((d) => d.form === form && d.values[field] === value),
})
function doc(form: FormDef, id: string, state: string, values: Row, items: Row[] = []): DocSnapshot {
  const data = applyComputed(form, { values, lines: { items: items.map((v, i) => ({ id: `${id}-l${i}`, values: v })) } })
  return { id, form: form.id, number: id.toUpperCase(), state, version: 1, values: data.values, lines: data.lines }
}
const plain = (form: string, id: string, state: string, values: Row): DocSnapshot => ({ id, form, number: id.toUpperCase(), state, version: 1, values, lines: {} })

const u = (id: string, name: string, roles: User['roles']): User => ({ id, name, dept: '营销部', roles, active: true })
const sales = u('s', '李强', ['salesperson'])
const other = u('s2', '王磊', ['salesperson'])
const cs = u('c', '张敏', ['csAssistant'])
const fin = u('f', '陈丽', ['finance'])
const vp = u('v', '何雪梅', ['financeVP'])
const gm = u('g', '刘建华', ['generalManager'])
const users = [sales, other, cs, fin, vp, gm]

const rates: CommissionRate[] = [
  { basisPoints: 100 },
  { productGroup: 'masterbatch', basisPoints: 80 },
  { salesperson: 's', basisPoints: 120 },
  { salesperson: 's', productGroup: 'flameRetardant', basisPoints: 150 },
]
const policy: BusinessPolicy = policyOf({ commissionRates: rates })
const today = '2026-11-30'
const check = (d: DocSnapshot, t: string, user: User, docs: DocSnapshot[], prior?: PriorActors) =>
  checkTransition(commission, d, t, { user, grants: [], users, policy } satisfies ActorContext, lookupOf(docs), today, undefined, prior)

const fr = plain('product', 'p-fr', '', { code: 'PC-FR110', group: 'flameRetardant' })
const mb = plain('product', 'p-mb', '', { code: 'MB-BK01', group: 'masterbatch' })
const co = plain('customer', 'co', '', { fullName: '佛山市顺德区美宜达电器有限公司' })
/** ¥100,000.00: 1,000 kg of the flame-retardant grade at ¥100.00/kg. */
const item = (product: string, qty: string, price: number): Row => ({ product, productName: 'PC 阻燃料', quantity: qty, unit: 'kg', unitPrice: price, taxRate: '13' })
const c1 = doc(contract, 'c1', 'approved', { customer: 'co', salesperson: 's', signDate: '2026-10-08', deliveryDate: '2026-10-20', paymentMethod: 'credit' }, [item('p-fr', '1000', 10000)])
const pay = (id: string, values: Row, state = 'confirmed') => plain('payment', id, state, { customer: 'co', kind: 'goods', method: 'wire', ...values })
/** 60 % of the contract, received and confirmed in November. */
const pay60 = pay('k1', { contract: 'c1', receivedDate: '2026-11-10', amount: 6_000_000 })
const base = [fr, mb, co, c1, pay60]

const slip = (id: string, state: string, values: Row, lines: Row[]) => doc(commission, id, state, { salesperson: 's', period: '2026-11', ...values }, lines)
/** The slip as 生成提成单 makes it: its lines from the records, then the computed fields (as the data layer stores it). */
const generate = async (docs: DocSnapshot[], values: Row = {}, self?: string) => {
  const data = { values: { salesperson: 's', period: '2026-11', ...values }, lines: { items: [] } }
  const { lines } = await commissionLines(data, { lookup: lookupOf(docs), today, policy, ...(self ? { self } : {}) })
  return applyComputed(commission, { values: data.values, lines })
}
const asDoc = (id: string, state: string, data: { values: Row; lines: Record<string, Array<{ values: Row }>> }) =>
  slip(id, state, data.values, (data.lines.items ?? []).map((r) => r.values))

describe('R20 [A] 9: commission only on collected money, under an approved contract', () => {
  it('R20 allowed: 生成提成单 on the collected 60 % of a contract at the policy rate (1.5 % = 150 bp → exact fen)', async () => {
    const made = await generate(base)
    expect(made.lines.items!.map((r) => r.values)).toEqual([
      expect.objectContaining({ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5', commission: 90_000 }),
    ])
    // ¥60,000.00 × 1.5 % = ¥900.00; nothing taken back; paid to the salesperson.
    expect(made.values).toMatchObject({ commissionTotal: 90_000, clawbackTotal: 0, netTotal: 90_000, settlement: 'due' })
    expect((await check(asDoc('t1', 'draft', made), 'submit', cs, base)).ok).toBe(true)
  })

  it('R20: the lines are gathered, never typed: what a screen sent is replaced, and an unchanged recomputation keeps each row', async () => {
    const typed = { values: { salesperson: 's', period: '2026-11' }, lines: { items: [{ id: 'x', values: { kind: 'commission', contract: 'c1', customer: 'co', collected: 9_999_999, rate: '9' } }] } }
    const gathered = applyComputed(commission, await withGathered(commission, typed, { lookup: lookupOf(base), today, policy }))
    expect(gathered.lines.items!.map((r) => [r.values.collected, r.values.rate, r.values.commission])).toEqual([[6_000_000, '1.5', 90_000]])
    const again = await withGathered(commission, gathered, { lookup: lookupOf(base), today, policy, self: 't1' })
    expect(again.lines.items!.map((r) => r.id)).toEqual(gathered.lines.items!.map((r) => r.id))
  })

  it('R20 allowed: half a fen rounds up, once per line (¥12,345.67 × 1.5 % = ¥185.185 → ¥185.19)', () => {
    expect(commissionOn(1_234_567, rateUnits('1.5')!)).toBe(18_519)
    expect(commissionOn(1_234_500, rateUnits('1.5')!)).toBe(18_518) // 18,517.5 fen → 18,518
  })

  it('R20 blocked: a line without a contract (没有合同的不预提成)', async () => {
    const d = slip('t1', 'draft', {}, [{ kind: 'commission', customer: 'co', collected: 6_000_000, rate: '1.5' }])
    const res = await check(d, 'submit', cs, base)
    expect(res).toMatchObject({ ok: false, reason: 'invalid' })
    expect(!res.ok && res.errors).toEqual([expect.objectContaining({ rule: 'R20', row: 0, column: 'contract', message: expect.objectContaining({ zh: expect.stringContaining('没有合同的不预提成') }) })])
  })

  it('R20 blocked: a line on a contract not yet approved', async () => {
    const draft = { ...c1, state: 'review' }
    const d = slip('t1', 'draft', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }])
    expect(await check(d, 'submit', cs, [fr, co, draft, pay60]))
      .toMatchObject({ ok: false, rule: 'R20', message: { zh: expect.stringContaining('尚未批准，没有合同的不预提成') } })
    // … and 生成提成单 leaves it out.
    expect((await generate([fr, co, draft, pay60])).lines.items).toEqual([])
  })

  it('R20 blocked: a collected figure above the confirmed payments of the month (typed over the computed one)', async () => {
    const unconfirmed = pay('k2', { contract: 'c1', receivedDate: '2026-11-20', amount: 1_000_000 }, 'draft')
    const october = pay('k3', { contract: 'c1', receivedDate: '2026-10-31', amount: 1_000_000 })
    const docs = [...base, unconfirmed, october]
    const typed = slip('t1', 'draft', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_001, rate: '1.5' }])
    expect(await check(typed, 'submit', cs, docs)).toMatchObject({ ok: false, rule: 'R20', message: { zh: expect.stringContaining('超过合同 C1 本月财务已确认的收款 ¥60,000.00') } })
    expect((await check(slip('t1', 'draft', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }]), 'submit', cs, docs)).ok).toBe(true)
    // The same money twice: another live slip of the month already holds it.
    const first = slip('t0', 'financeCheck', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }])
    expect(await check(slip('t1', 'draft', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }]), 'submit', cs, [...docs, first]))
      .toMatchObject({ ok: false, rule: 'R20' })
    expect((await generate([...docs, first])).lines.items).toEqual([])
  })

  it('R20 blocked: a rate typed over the policy’s', async () => {
    const d = slip('t1', 'draft', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '3' }])
    expect(await check(d, 'submit', cs, base)).toMatchObject({ ok: false, rule: 'R20', message: { zh: expect.stringContaining('提成比例应为 1.5%') } })
  })

  it('R20: a prepayment without a contract gives nothing', async () => {
    const prepay = pay('k4', { kind: 'prepay', receivedDate: '2026-11-03', amount: 5_000_000 })
    const made = await generate([fr, co, c1, prepay])
    expect(made.lines.items).toEqual([])
    expect(made.values.netTotal).toBe(0)
    // Nor can a line claim it: the contract's confirmed money this month is nil.
    const d = slip('t1', 'draft', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 5_000_000, rate: '1.5' }])
    expect(await check(d, 'submit', cs, [fr, co, c1, prepay])).toMatchObject({ ok: false, rule: 'R20' })
  })

  it('R20 blocked: another salesperson’s contract', async () => {
    const d = slip('t1', 'draft', { salesperson: 's2' }, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }])
    expect(await check(d, 'submit', cs, base)).toMatchObject({ ok: false, rule: 'R20', message: { zh: expect.stringContaining('不是该业务员的合同') } })
  })
})

describe('R20: the rate from the business settings, the most specific match winning', () => {
  it('R20: salesperson and group, then salesperson, then group, then any', () => {
    expect(policyRate(policy, 's', 'flameRetardant')).toBe(150)
    expect(policyRate(policy, 's', 'masterbatch')).toBe(120) // the salesperson's own rate beats the group's
    expect(policyRate(policy, 's2', 'masterbatch')).toBe(80)
    expect(policyRate(policy, 's2', 'flameRetardant')).toBe(100)
    expect(policyRate(policyOf({}), 's', 'flameRetardant')).toBe(0)
  })

  it('R20: a contract mixing groups pays the line-amount-weighted rate', async () => {
    // ¥60,000 flame-retardant at 1.5 % and ¥20,000 masterbatch at the salesperson's 1.2 %:
    // (60,000 × 150 + 20,000 × 120) / 80,000 = 142.5 bp = 1.425 %; on ¥40,000 collected = ¥570.00.
    const mixed = doc(contract, 'c2', 'signed', { ...c1.values }, [item('p-fr', '600', 10000), item('p-mb', '200', 10000)])
    const made = await generate([fr, mb, co, mixed, pay('k5', { contract: 'c2', receivedDate: '2026-11-30', amount: 4_000_000 })])
    expect(made.lines.items!.map((r) => r.values)).toEqual([expect.objectContaining({ contract: 'c2', rate: '1.425', commission: 57_000 })])
  })
})

describe('R20 [A] 9: finance, then the finance VP check, the GM signs, finance pays out', () => {
  const made = slip('t1', 'draft', {}, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }])
  it('R20 blocked: the finance VP cannot check before finance', async () => {
    expect(await check({ ...made, state: 'financeCheck' }, 'vpCheck', vp, base)).toMatchObject({ ok: false, reason: 'state' })
    expect(await check({ ...made, state: 'financeCheck' }, 'financeCheck', vp, base)).toMatchObject({ ok: false, reason: 'role' })
  })
  it('R20 blocked: whoever prepared and submitted it does not check it', async () => {
    const both = u('cf', '兼任', ['csAssistant', 'finance'])
    const res = await checkTransition(commission, { ...made, state: 'financeCheck' }, 'financeCheck', { user: both, grants: [], users: [...users, both], policy }, lookupOf(base), today, undefined, { submit: 'cf' })
    expect(res).toMatchObject({ ok: false, reason: 'separation' })
  })
  it('R20 allowed: each in turn', async () => {
    expect((await check({ ...made, state: 'financeCheck' }, 'financeCheck', fin, base, { submit: 'c' })).ok).toBe(true)
    expect((await check({ ...made, state: 'vpCheck' }, 'vpCheck', vp, base, { submit: 'c' })).ok).toBe(true)
    expect((await check({ ...made, state: 'gmApproval' }, 'gmApprove', gm, base, { submit: 'c' })).ok).toBe(true)
    expect((await check({ ...made, state: 'approved' }, 'pay', fin, base)).ok).toBe(true)
  })
})

describe('R20 clawback: a return or claim after the commission was paid is taken back on the next slip', () => {
  // October: ¥60,000 collected, ¥900.00 commission paid on slip t-oct.
  const octPay = pay('k1', { contract: 'c1', receivedDate: '2026-10-10', amount: 6_000_000 })
  const paidSlip = slip('t-oct', 'paid', { period: '2026-10' }, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }])
  const ret = (id: string, amount: number, state = 'confirmed', kind = 'return') => plain('adjustment', id, state, { customer: 'co', contract: 'c1', kind, amount, adjustDate: '2026-11-05', reason: '色差退货' })

  it('R20 clawback after a return: slip 1 paid on ¥60,000, a confirmed return of ¥10,000 → the next slip has −¥10,000 × 1.5 % = −¥150.00, net owed back', async () => {
    const docs = [fr, co, c1, octPay, paidSlip, ret('a1', 1_000_000)]
    const made = await generate(docs)
    expect(made.lines.items!.map((r) => r.values)).toEqual([
      expect.objectContaining({ kind: 'clawback', contract: 'c1', customer: 'co', adjustment: 'a1', adjusted: 1_000_000, paidBefore: 90_000, rate: '1.5', commission: -15_000 }),
    ])
    // Nothing else is due in November: the salesperson owes ¥150.00 back, and the slip says so.
    expect(made.values).toMatchObject({ commissionTotal: 0, clawbackTotal: -15_000, netTotal: -15_000, settlement: 'owed' })
    const next = asDoc('t-nov', 'draft', made)
    expect((await check(next, 'submit', cs, docs)).ok).toBe(true)
    // Once on a slip, the return is not taken back again.
    expect((await generate([...docs, { ...next, state: 'financeCheck' }])).lines.items).toEqual([])
  })

  it('R20 clawback: capped at the commission paid on the contract; nothing before it is paid; only confirmed returns and claims', async () => {
    const big = await generate([fr, co, c1, octPay, paidSlip, ret('a2', 100_000_000, 'confirmed', 'claim')])
    expect(big.lines.items!.map((r) => r.values.commission)).toEqual([-90_000])
    expect((await generate([fr, co, c1, octPay, { ...paidSlip, state: 'gmApproval' }, ret('a1', 1_000_000)])).lines.items).toEqual([])
    expect((await generate([fr, co, c1, octPay, paidSlip, ret('a1', 1_000_000, 'review')])).lines.items).toEqual([])
    expect((await generate([fr, co, c1, octPay, paidSlip, ret('a1', 1_000_000, 'confirmed', 'replacement')])).lines.items).toEqual([])
  })

  it('R20 clawback: a return dated in or before the month commission was paid for is not taken back (it lowered what was collected, not what was paid)', async () => {
    const early = { ...ret('a0', 1_000_000), values: { ...ret('a0', 1_000_000).values, adjustDate: '2026-10-20' } }
    expect((await generate([fr, co, c1, octPay, paidSlip, early])).lines.items).toEqual([])
  })

  it('R20 clawback blocked: a clawback figure typed over the computed one', async () => {
    const docs = [fr, co, c1, octPay, paidSlip, ret('a1', 1_000_000)]
    const typed = slip('t-nov', 'draft', {}, [{ kind: 'clawback', contract: 'c1', customer: 'co', adjustment: 'a1', adjusted: 500_000, paidBefore: 90_000, rate: '1.5' }])
    expect(await check(typed, 'submit', cs, docs)).toMatchObject({ ok: false, rule: 'R20' })
  })
})

describe('R23 [A] 5: overdue money is held back from the commission (逾期货款抵扣提成), handed back once collected', () => {
  // The whole contract (¥100,000.00) shipped and booked on 15 August on a credit of 0 days; ¥60,000.00
  // collected in November: ¥40,000.00 is 107 days overdue at 30 November, past the 60-day 抵扣提成 step.
  const d1 = plain('delivery', 'd1', 'booked', { customer: 'co', contract: 'c1', shipDate: '2026-08-15', totalAmount: 10_000_000 })
  const offsetPolicy = policyOf({ commissionRates: rates, overdueSteps: [{ kind: 'remind', afterDays: 1 }, { kind: 'commissionOffset', afterDays: 60 }] })
  const make = async (docs: DocSnapshot[], period: string, p: BusinessPolicy = offsetPolicy) => {
    const data = { values: { salesperson: 's', period }, lines: { items: [] } }
    const gathered = await commissionLines(data, { lookup: lookupOf(docs), today, policy: p })
    return applyComputed(commission, { values: { ...data.values, ...gathered.values }, lines: gathered.lines })
  }
  const checkWith = (d: DocSnapshot, docs: DocSnapshot[], p: BusinessPolicy = offsetPolicy) =>
    checkTransition(commission, d, 'submit', { user: cs, grants: [], users, policy: p } satisfies ActorContext, lookupOf(docs), today)

  it('R23 blocked: ¥40,000.00 overdue 107 days holds back all of November’s ¥900.00; a slip that leaves the hold out is refused', async () => {
    const docs = [...base, d1]
    const made = await make(docs, '2026-11')
    expect(made.values).toMatchObject({ commissionTotal: 90_000, overdueOpen: 4_000_000, withheld: 90_000, released: 0, netTotal: 0, settlement: 'due' })
    expect((await checkWith(asDoc('t-nov', 'draft', made), docs)).ok).toBe(true)
    const forged = asDoc('t-nov', 'draft', { ...made, values: { ...made.values, withheld: 0 } })
    expect(await checkWith(forged, docs)).toMatchObject({ ok: false, rule: 'R23', message: { zh: expect.stringContaining('逾期暂扣应为 ¥900.00') } })
  })

  it('R23 allowed: the ¥40,000.00 collected in December, the next slip hands the ¥900.00 back with December’s own ¥600.00', async () => {
    const novSlip = slip('t-nov', 'paid', { period: '2026-11', withheld: 90_000 }, [{ kind: 'commission', contract: 'c1', customer: 'co', collected: 6_000_000, rate: '1.5' }])
    const dec = pay('k2', { contract: 'c1', receivedDate: '2026-12-05', amount: 4_000_000 })
    const docs = [...base, d1, novSlip, dec]
    const made = await make(docs, '2026-12')
    expect(made.values).toMatchObject({ commissionTotal: 60_000, overdueOpen: 0, withheld: 0, released: 90_000, netTotal: 150_000 })
    expect((await checkWith(asDoc('t-dec', 'draft', made), docs)).ok).toBe(true)
    // Still unpaid in December: the ¥900.00 stays held and December's ¥0 adds nothing to hand back.
    const unpaid = await make([...base, d1, novSlip], '2026-12')
    expect(unpaid.values).toMatchObject({ overdueOpen: 4_000_000, withheld: 0, released: 0 })
  })

  it('R23 allowed: without a 抵扣提成 step in the business rules nothing is held; never more than the overdue amount', async () => {
    const legalOnly = policyOf({ commissionRates: rates, overdueSteps: [{ kind: 'legal', afterDays: 90 }] })
    expect((await make([...base, d1], '2026-11', legalOnly)).values).toMatchObject({ overdueOpen: 0, withheld: 0, netTotal: 90_000 })
    expect(holdOf(30_000, 0, 90_000)).toEqual({ withheld: 30_000, released: 0 })
    expect(holdOf(30_000, 50_000, 0)).toEqual({ withheld: 0, released: 20_000 })
    expect(holdOf(500_000, 10_000, -3_000)).toEqual({ withheld: 0, released: 0 })
  })
})
