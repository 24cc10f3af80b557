import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { DocSnapshot } from '../schema/types'
import { DEFAULT_POLICY, policyOf } from '../schema/policy'
import {
  ageingFigures, ageingReport, bucketOf, creditAnalysis, creditDaysOf, creditExposure, creditExposureFor, dayOf, escalationOf, isoOf, overdueInterest, overdueNotices, overdueOffsetFor, receivables, datedThrough, reaged,
  type AgeingInput,
} from './contract.ageing'
import { referenceReceivables } from './fixtures/ageing-reference'

const d = (form: string, id: string, state: string, values: DocSnapshot['values']): DocSnapshot => ({ id, form, number: id.toUpperCase(), state, version: 1, values, lines: {} })
const asOf = '2026-11-30'
const k1 = d('customer', 'k1', '', { fullName: '佛山市美宜达电器有限公司', salesperson: 's1', paymentMethod: 'credit', creditDays: 45, creditLimit: 200_000_00 })
const k2 = d('customer', 'k2', '', { fullName: '苏州明辉光电科技有限公司', salesperson: 's2', paymentMethod: 'credit', creditDays: 30, openingBalance: 8_000_00, openingDate: '2026-06-30' })
/** c1: 30 days' credit; c2: no term on the contract, so the customer's 30; c3: 现结. */
const c1 = d('contract', 'c1', 'signed', { customer: 'k1', salesperson: 's1', signDate: '2026-07-01', paymentMethod: 'credit', creditDays: 30, totalAmount: 100_000_00 })
const c2 = d('contract', 'c2', 'signed', { customer: 'k2', salesperson: 's2', signDate: '2026-08-01', paymentMethod: 'credit', totalAmount: 50_000_00 })
const c3 = d('contract', 'c3', 'approved', { customer: 'k1', salesperson: 's3', signDate: '2026-11-01', paymentMethod: 'cash', creditDays: 60, totalAmount: 10_000_00 })
const ship = (id: string, contract: string, customer: string, shipDate: string, totalAmount: number, state = 'booked') => d('delivery', id, state, { contract, customer, shipDate, totalAmount })
const pay = (id: string, contract: string, customer: string, receivedDate: string, amount: number, state = 'confirmed') => d('payment', id, state, { contract, customer, receivedDate, amount })
const input = (over: Partial<AgeingInput> = {}): AgeingInput => ({ customers: [k1, k2], contracts: [c1, c2, c3], deliveries: [], payments: [], adjustments: [], ...over })

describe('应收账款账龄 (R23, [A] 5)', () => {
  it('buckets by days past due: 0 not yet due, 30 | 31, 60 | 61, 90 | 91', () => {
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(bucketOf)).toEqual(['current', 'current', 'd30', 'd30', 'd60', 'd60', 'd90', 'd90', 'over90', 'over90'])
  })

  it('a booked delivery is due on its ship date plus the contract\'s term; the customer\'s when the contract has none; 0 for 现结', () => {
    expect(creditDaysOf(c1, k1)).toBe(30)
    expect(creditDaysOf(c2, k2)).toBe(30)
    expect(creditDaysOf(c3, k1)).toBe(0)
    expect(creditDaysOf(d('contract', 'x', 'signed', { paymentMethod: 'prepay', creditDays: 30 }), k1)).toBe(0)
    // Days past due on 11-30 of a delivery shipped N+30 days before: exactly at each bucket's edge.
    const shipped = [['f30', '2026-10-01'], ['f31', '2026-09-30'], ['f60', '2026-09-01'], ['f61', '2026-08-31'], ['f90', '2026-08-02'], ['f91', '2026-08-01']] as const
    const items = receivables(input({ deliveries: shipped.map(([id, date]) => ship(id, 'c1', 'k1', date, 1_000_00)) }), asOf)
    expect(Object.fromEntries(items.filter((i) => i.kind === 'delivery').map((i) => [i.id, [i.days, i.bucket]]))).toEqual({
      f30: [30, 'd30'], f31: [31, 'd60'], f60: [60, 'd60'], f61: [61, 'd90'], f90: [90, 'd90'], f91: [91, 'over90'],
    })
    expect(items.find((i) => i.id === 'f30')).toMatchObject({ date: '2026-10-01', due: '2026-10-31', salesperson: 's1', customer: 'k1', contract: 'c1' })
  })

  it('only booked deliveries are receivable items, and only those shipped by the as-of date', () => {
    const items = receivables(input({ deliveries: [
      ship('f1', 'c1', 'k1', '2026-11-01', 1_000_00), ship('f2', 'c1', 'k1', '2026-11-01', 2_000_00, 'shipped'),
      ship('f3', 'c1', 'k1', '2026-11-01', 3_000_00, 'draft'), ship('f4', 'c1', 'k1', '2026-12-01', 4_000_00),
    ] }), asOf)
    expect(items.filter((i) => i.kind === 'delivery').map((i) => i.id)).toEqual(['f1'])
  })

  it('payments and adjustments of the contract settle the oldest item first (FIFO), partly paid items keep their rest', () => {
    const items = receivables(input({
      deliveries: [ship('f2', 'c1', 'k1', '2026-10-15', 30_000_00), ship('f1', 'c1', 'k1', '2026-08-01', 20_000_00), ship('f3', 'c1', 'k1', '2026-11-20', 10_000_00)],
      payments: [pay('p1', 'c1', 'k1', '2026-09-10', 15_000_00), pay('p2', 'c1', 'k1', '2026-11-10', 12_000_00), pay('p3', 'c1', 'k1', '2026-11-10', 99_000_00, 'draft'),
        pay('p4', 'c1', 'k1', '2026-12-02', 50_000_00)],
      adjustments: [d('adjustment', 'a1', 'confirmed', { contract: 'c1', customer: 'k1', adjustDate: '2026-11-12', amount: 3_000_00 }),
        d('adjustment', 'a2', 'review', { contract: 'c1', customer: 'k1', adjustDate: '2026-11-12', amount: 5_000_00 })],
    }), asOf)
    // 15 000 + 12 000 + 3 000 = 30 000 confirmed by 11-30: f1 (20 000) paid, f2 has 20 000 open; the
    // draft payment, the adjustment under review and the payment after the as-of date do not count.
    expect(Object.fromEntries(items.map((i) => [i.id, i.open]))).toEqual({ k2: 8_000_00, f1: 0, f2: 20_000_00, f3: 10_000_00 })
    expect(ageingFigures(items.filter((i) => i.customer === 'k1'))).toEqual({ current: 10_000_00, d30: 20_000_00, d60: 0, d90: 0, over90: 0, total: 30_000_00, overdue: 20_000_00 })
  })

  it('the opening balance is an item due on its date; money tied to no contract and a contract\'s surplus pay it first', () => {
    const only = receivables(input(), asOf)
    expect(only).toEqual([expect.objectContaining({ kind: 'opening', id: 'k2', customer: 'k2', salesperson: 's2', due: '2026-06-30', days: 153, bucket: 'over90', open: 8_000_00 })])
    const items = receivables(input({
      deliveries: [ship('f1', 'c2', 'k2', '2026-10-01', 10_000_00)],
      payments: [pay('p1', '', 'k2', '2026-07-15', 5_000_00), pay('p2', 'c2', 'k2', '2026-11-01', 12_000_00)],
    }), asOf)
    // c2 pays f1 in full and leaves 2 000 over: with the 5 000 not tied to a contract, 7 000 of the 8 000 opening balance.
    expect(Object.fromEntries(items.map((i) => [i.id, i.open]))).toEqual({ k2: 1_000_00, f1: 0 })
  })

  it('groups by customer or by salesperson with subtotals and a grand total (the grouped export\'s shape)', () => {
    const items = receivables(input({ deliveries: [ship('f1', 'c1', 'k1', '2026-09-01', 20_000_00), ship('f2', 'c3', 'k1', '2026-11-30', 5_000_00), ship('f3', 'c2', 'k2', '2026-10-20', 7_000_00)] }), asOf)
    const byCustomer = ageingReport(items, 'customer')
    expect(byCustomer.groups.map((g) => [g.key, g.figures.total, g.items.map((i) => i.id)])).toEqual([['k1', 25_000_00, ['f1', 'f2']], ['k2', 15_000_00, ['k2', 'f3']]])
    // f3 (c2 takes k2's 30 days) was due 11-19: 11 days late.
    expect(byCustomer.totals).toEqual({ current: 5_000_00, d30: 7_000_00, d60: 20_000_00, d90: 0, over90: 8_000_00, total: 40_000_00, overdue: 35_000_00 })
    const bySales = ageingReport(items, 'salesperson', { customer: 'k1' })
    expect(bySales.groups.map((g) => [g.key, g.figures.total])).toEqual([['s1', 20_000_00], ['s3', 5_000_00]])
    expect(ageingReport(items, 'customer', { salesperson: 's2' }).totals.total).toBe(15_000_00)
  })
})

describe('R23 逾期应收的升级 (计息、抵扣提成、诉讼)', () => {
  const policy = DEFAULT_POLICY
  it('R23 flagged: each escalation step by days past due (remind, interest after 30, commission offset after 60, legal after 90)', () => {
    expect([0, 1, 29, 30, 35, 59, 60, 65, 89, 90, 95].map((n) => escalationOf(n, policy)?.kind ?? null)).toEqual([
      null, 'remind', 'remind', 'interest', 'interest', 'interest', 'commissionOffset', 'commissionOffset', 'commissionOffset', 'legal', 'legal',
    ])
  })
  it('R23 follows the office\'s own steps and rate', () => {
    const own = policyOf({ overdueSteps: [{ kind: 'interest', afterDays: 15 }, { kind: 'legal', afterDays: 180 }], overdueInterestBasisPoints: 100 })
    expect([10, 15, 179, 180].map((n) => escalationOf(n, own)?.kind ?? null)).toEqual([null, 'interest', 'interest', 'legal'])
    // 1 % a month on ¥10 000.00 for 45 days: ¥150.00.
    expect(overdueInterest(10_000_00, 45, 100)).toBe(150_00)
  })
  it('R23 interest: 0.5 % a month, rounded to the fen once; nothing before due', () => {
    expect(overdueInterest(12_345_67, 35, 50)).toBe(7_202) // 1 234 567 × 50 × 35 / 300 000 = 7 201.64 → 7 202
    expect(overdueInterest(12_345_67, 0, 50)).toBe(0)
    expect(overdueInterest(Number.MAX_SAFE_INTEGER, 3650, 10_000)).toBeGreaterThan(0)
  })
  it('R23 notices: open overdue items are flagged with their step and interest; paid or not yet due ones are not', () => {
    const items = receivables(input({
      deliveries: [ship('f35', 'c1', 'k1', '2026-09-26', 10_000_00), ship('f65', 'c1', 'k1', '2026-08-27', 10_000_00), ship('f95', 'c1', 'k1', '2026-07-28', 10_000_00),
        ship('fnew', 'c1', 'k1', '2026-11-25', 10_000_00), ship('fpaid', 'c2', 'k2', '2026-07-01', 3_000_00)],
      payments: [pay('p1', 'c2', 'k2', '2026-08-01', 11_000_00)],
    }), asOf)
    const notices = overdueNotices(items, policy)
    expect(notices.map((n) => [n.item.id, n.item.days, n.step.kind, n.interest])).toEqual([
      ['f95', 95, 'legal', overdueInterest(10_000_00, 95, 50)],
      ['f65', 65, 'commissionOffset', overdueInterest(10_000_00, 65, 50)],
      ['f35', 35, 'interest', 5_833],
    ])
  })
  it('R23 commission offset: what the salesperson\'s overdue items past the offset step come to (for the commission slip)', () => {
    const data = input({ deliveries: [ship('f65', 'c1', 'k1', '2026-08-27', 10_000_00), ship('f35', 'c1', 'k1', '2026-09-26', 4_000_00), ship('x', 'c2', 'k2', '2026-07-01', 9_000_00)] })
    expect(overdueOffsetFor('s1', asOf, data, policy)).toMatchObject({ amount: 10_000_00, items: [expect.objectContaining({ id: 'f65' })] })
    expect(overdueOffsetFor('s1', '2026-10-25', data, policy).amount).toBe(0)
    expect(overdueOffsetFor('s1', asOf, data, policyOf({ overdueSteps: [{ kind: 'legal', afterDays: 90 }] })).amount).toBe(0)
  })
})

describe('客户信用 ([A] 4–5)', () => {
  it('exposure is the open receivable, shipped but unbooked, and approved contracts not yet shipped, against the limit', () => {
    const data = input({
      deliveries: [ship('f1', 'c1', 'k1', '2026-10-01', 60_000_00), ship('f2', 'c1', 'k1', '2026-11-20', 20_000_00, 'shipped')],
      payments: [pay('p1', 'c1', 'k1', '2026-11-01', 25_000_00)],
    })
    expect(creditExposure(k1, data, asOf)).toEqual({ receivable: 35_000_00, unbooked: 20_000_00, undelivered: 20_000_00 + 10_000_00, exposure: 85_000_00, limit: 200_000_00, over: false, usedPercent: 43 })
    // A new order of ¥120 000.00 would take it over: 订单超出信用额度.
    expect(creditExposure(k1, data, asOf, 120_000_00)).toMatchObject({ exposure: 205_000_00, over: true, usedPercent: 103 })
    // No limit set: never over.
    expect(creditExposure(k2, data, asOf, 1e9)).toMatchObject({ limit: undefined, over: false, usedPercent: undefined })
  })
  it('a guard reads the same exposure through its RecordLookup (for the contract form\'s 订单超出信用额度)', async () => {
    const data = input({
      deliveries: [ship('f1', 'c1', 'k1', '2026-10-01', 60_000_00), ship('f2', 'c1', 'k1', '2026-11-20', 20_000_00, 'shipped')],
      payments: [pay('p1', 'c1', 'k1', '2026-11-01', 25_000_00)],
    })
    const all = [...data.customers, ...data.contracts, ...data.deliveries, ...data.payments] as DocSnapshot[]
    const lookup = {
      get: async (form: string, id: string) => all.find((x) => x.form === form && x.id === id),
      findBy: async (form: string, field: string, value: unknown) => all.filter((x) => x.form === form && x.values[field] === value),
    }
    expect(await creditExposureFor('k1', lookup, asOf, 120_000_00)).toEqual(creditExposure(k1, data, asOf, 120_000_00))
    expect(await creditExposureFor('nobody', lookup, asOf)).toBeUndefined()
  })
  it('the month\'s collections and credit analysis: shipped, collected, rate, receivable and overdue at month end, over-limit first', () => {
    const k3 = d('customer', 'k3', '', { fullName: '东莞市小额客户', salesperson: 's2', creditLimit: 5_000_00 })
    const c4 = d('contract', 'c4', 'signed', { customer: 'k3', salesperson: 's2', paymentMethod: 'credit', creditDays: 30, totalAmount: 9_000_00 })
    const rows = creditAnalysis(input({
      customers: [k1, k2, k3], contracts: [c1, c2, c3, c4],
      deliveries: [ship('f1', 'c1', 'k1', '2026-10-01', 60_000_00), ship('f2', 'c1', 'k1', '2026-11-10', 40_000_00), ship('f3', 'c4', 'k3', '2026-11-03', 9_000_00)],
      payments: [pay('p1', 'c1', 'k1', '2026-11-05', 45_000_00), pay('p2', 'c1', 'k1', '2026-10-05', 1_000_00)],
    }), '2026-11')
    expect(rows.map((r) => [r.customer, r.shipped, r.collected, r.collectionRate, r.receivable, r.overdue, r.over])).toEqual([
      ['k3', 9_000_00, 0, 0, 9_000_00, 0, true],
      ['k1', 40_000_00, 45_000_00, 11_250, 54_000_00, 14_000_00, false],
      ['k2', 0, 0, undefined, 8_000_00, 8_000_00, false],
    ])
    expect(rows[0]).toMatchObject({ usedPercent: 180, exposure: 9_000_00 })
  })
})

describe('the fast settling equals the settling as first written, to the fen', () => {
  const utcDay = (iso: string) => (iso.length < 10 ? NaN : Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000)

  it('counts days as Date.UTC does: every day 1900–2199, days past the month\'s end, and odd strings', () => {
    const wrong: string[] = []
    for (let day = utcDay('1900-01-01'); day <= utcDay('2199-12-31'); day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10)
      if (dayOf(iso) !== day || isoOf(day) !== iso) wrong.push(iso)
    }
    expect(wrong).toEqual([])
    const odd = ['2026-02-29', '2026-02-31', '2026-04-00', '2026-12-99', '2026-13-01', '2026-00-10', '0099-01-01', '0100-03-01', '2026-11-30T08:00:00Z',
      '2026/11/30', '2026-1-301', ' 2026-11-30', '2026-11-3 ', '+026-11-30', '2026-11-', '', 'abcdefghij', '9999-12-31', '1969-12-31']
    for (const iso of odd) expect([iso, dayOf(iso)]).toEqual([iso, utcDay(iso)])
    expect(isoOf(-1)).toBe('1969-12-31')
  })

  const DATES = ['2026-06-30', '2026-08-15', '2026-09-01', '2026-10-10', '2026-11-05', '2026-11-30', '2026-12-20', '2026-02-31', '2026-9-01', '', '2026-11-30T09:00']
  const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs)
  const money = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 500_000 }) }, { weight: 1, arbitrary: fc.integer({ min: -50_000, max: -1 }) }, { weight: 1, arbitrary: pick([1.5, '100', null]) })
  const cust = pick(['k0', 'k1', 'k2', 'k3', '', 'k9'])
  const cont = pick(['c0', 'c1', 'c2', 'c3', 'c4', '', 'cx'])
  const num = fc.integer({ min: 1, max: 3 }).map((n) => `N${n}`) // ties on due, date and number: the order decides
  const docs = (form: string, values: fc.Arbitrary<DocSnapshot['values']>, states: readonly string[], ids?: readonly string[]) =>
    fc.array(fc.record({ number: num, state: pick(states), values }), { maxLength: ids ? ids.length : 14 })
      .map((rs) => rs.map((r, i) => ({ id: ids ? ids[i]! : `${form}${i}`, form, version: 1, lines: {}, ...r })))
  const office: fc.Arbitrary<AgeingInput> = fc.record({
    customers: docs('customer', fc.record({ salesperson: pick(['s1', 's2', '']), paymentMethod: pick(['credit', 'cash', 'prepay', '']), creditDays: pick([0, 30, 45, -5, 2.5]), openingBalance: money, openingDate: pick(DATES) }, { requiredKeys: [] }), [''], ['k0', 'k1', 'k2', 'k3']),
    contracts: docs('contract', fc.record({ customer: cust, salesperson: pick(['s1', 's2', '']), paymentMethod: pick(['credit', 'cash', '']), creditDays: pick([0, 15, 60]) }, { requiredKeys: [] }), ['approved', 'signed'], ['c0', 'c1', 'c2', 'c3', 'c4']),
    deliveries: docs('delivery', fc.record({ contract: cont, customer: cust, salesperson: pick(['s1', 's3']), shipDate: pick(DATES), totalAmount: money }, { requiredKeys: ['shipDate'] }), ['booked', 'booked', 'shipped']),
    payments: docs('payment', fc.record({ contract: cont, customer: cust, receivedDate: pick(DATES), amount: money }, { requiredKeys: [] }), ['confirmed', 'confirmed', 'draft']),
    adjustments: docs('adjustment', fc.record({ contract: cont, customer: cust, adjustDate: pick(DATES), amount: money }, { requiredKeys: [] }), ['confirmed', 'review']),
  })

  it('items settled on a date on or after datedThrough are, reaged, the items of any later date (a restart\'s kept figures)', () => {
    const dates = ['2026-11-30', '2026-12-20', '2026-12-31', '2027-01-01', '2027-03-15', '2026-10-31']
    const seen = { later: 0, apart: 0 }
    fc.assert(fc.property(office, pick(dates), pick(dates), (input, a, b) => {
      const through = datedThrough(input)
      const settled = receivables(input, a)
      if (dayOf(a) >= through && dayOf(b) >= through) {
        seen.later++
        expect(reaged(settled, b)).toEqual(receivables(input, b))
      } else if (JSON.stringify(reaged(settled, b)) !== JSON.stringify(receivables(input, b))) seen.apart++
    }), { numRuns: 1000 })
    // Both sides were reached: kept figures reused, and dates before a record's where they would be wrong.
    expect(seen.later).toBeGreaterThan(100)
    expect(seen.apart).toBeGreaterThan(50)
  })

  it('every item, its order and its open amount, on random offices and as-of dates', () => {
    fc.assert(fc.property(office, pick(['2026-11-30', '2026-10-31', '2026-12-31', '2026-06-30']), (input, asOf) => {
      expect(receivables(input, asOf)).toEqual(referenceReceivables(input, asOf))
    }), { numRuns: 1000 })
  })
})
