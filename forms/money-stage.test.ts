/**
 * The money stage's rules (§5.9, [A] 5, 9, 11, 12), each blocked and allowed, through the workflow
 * engine with the forms' own guards: R16 (collections through a statement the customer confirmed),
 * R19 (the invoice gate, [A]'s 60 % or [F]'s practice); and the statement's figures in integer fen.
 */
import { describe, expect, it } from 'vitest'
import type { DocSnapshot } from './schema/types'
import { withGathered } from '../renderer/core/gather'
import { dueItemsOf } from '../renderer/core/workflow'
import { toCapital } from '../renderer/core/money'
import { policyOf } from './schema/policy'
import { checker, doc, lookupOf, user, type Row } from './stage-testing'
import { statement } from './statement/statement.form'
import { accountEntries, statementFigures } from './statement/statement.rules'
import { payment } from './payment/payment.form'
import { delivery } from './delivery/delivery.form'
import { adjustment } from './adjustment/adjustment.form'
import { contract } from './contract/contract.form'
import { invoiceRequest } from './invoice-request/invoice-request.form'

const sales = user('s', '李强', ['salesperson'])
const cs = user('c', '张敏', ['csAssistant'])
const fin = user('f', '林静', ['finance'])
const vp = user('v', '何雪梅', ['financeVP'])
const users = [sales, cs, fin, vp]
const today = '2026-11-30'
const check = checker(users, today)

const customer = { id: 'co', form: 'customer', number: 'KH7', state: '', version: 1, values: { fullName: '佛山市美宜达电器有限公司', openingBalance: 1_000_000, openingDate: '2026-09-30', creditDays: 30 }, lines: {} } satisfies DocSnapshot
const item = (qty: string, price: number): Row => ({ productName: '阻燃 PC/ABS 合金', spec: 'FR3010 黑色', quantity: qty, unit: 'kg', unitPrice: price, taxRate: '13' })
const ht = doc(contract, 'ht1', 'approved', { customer: 'co', signDate: '2026-10-08', deliveryDate: '2026-11-10', paymentMethod: 'credit', creditDays: 30 }, [item('4000', 3250)])
const fh = (id: string, state: string, shipDate: string, qty: string) => doc(delivery, id, state, { contract: 'ht1', customer: 'co', shipDate, carrier: '德邦物流', waybill: 'DP1' }, [item(qty, 3250)])
const tz = (id: string, state: string, adjustDate: string, amount: number, kind = 'return') => doc(adjustment, id, state, { customer: 'co', contract: 'ht1', kind, amount, adjustDate, reason: '退货' })
const sk = (id: string, state: string, receivedDate: string, amount: number, kind = 'goods') => doc(payment, id, state, { customer: 'co', contract: 'ht1', kind, receivedDate, amount, method: 'wire' })
const dz = (id: string, state: string, periodTo: string) => doc(statement, id, state, { customer: 'co', periodFrom: '2026-10-01', periodTo })

describe('对账单: entries and balances from the records, in integer fen', () => {
  const records = [customer, ht,
    fh('fh1', 'booked', '2026-10-12', '2000'), fh('fh2', 'booked', '2026-11-03', '1000'), fh('fh3', 'shipped', '2026-11-20', '1000'),
    tz('tz1', 'confirmed', '2026-11-05', 1_300_000), tz('tz2', 'draft', '2026-11-06', 999),
    sk('sk0', 'confirmed', '2026-09-20', 500_000), sk('sk1', 'confirmed', '2026-11-10', 3_000_000), sk('sk2', 'draft', '2026-11-11', 77)]

  it('counts booked deliveries (R22), confirmed adjustments (R15) and payments only; the opening balance carries what came before', () => {
    const entries = accountEntries({ deliveries: records.filter((d) => d.form === 'delivery'), adjustments: records.filter((d) => d.form === 'adjustment'), payments: records.filter((d) => d.form === 'payment') })
    const f = statementFigures(customer.values, entries, '2026-11-01', '2026-11-30')
    // The opening balance ¥10,000.00 (30 Sep) + October's delivery ¥65,000.00; the September payment is already in it.
    expect(f.opening).toBe(1_000_000 + 6_500_000)
    expect(f.entries.map((e) => [e.number, e.debit, e.credit, e.balance])).toEqual([
      ['FH2', 3_250_000, 0, 10_750_000], ['TZ1', 0, 1_300_000, 9_450_000], ['SK1', 0, 3_000_000, 6_450_000],
    ])
    expect(f).toMatchObject({ delivered: 3_250_000, adjusted: 1_300_000, collected: 3_000_000, closing: 6_450_000 })
    expect(toCapital(f.closing)).toBe('陆万肆仟伍佰元整')
  })

  it('the data layer\'s gather writes them on the statement, whatever the screen sent', async () => {
    const typed = { values: { customer: 'co', periodFrom: '2026-11-01', periodTo: '2026-11-30', closingBalance: 1 }, lines: { entries: [{ id: 'x', values: { docNumber: 'FAKE', debit: 1 } }] } }
    const g = await withGathered(statement, typed, { lookup: lookupOf(records), today, policy: policyOf(undefined) })
    expect(g.values).toMatchObject({ openingBalance: 7_500_000, deliveredTotal: 3_250_000, adjustedTotal: 1_300_000, collectedTotal: 3_000_000, closingBalance: 6_450_000 })
    expect(g.lines.entries!.map((r) => r.values.docNumber)).toEqual(['FH2', 'TZ1', 'SK1'])
    // Without a period there is nothing to gather: the entries are cleared, not left as typed.
    const none = await withGathered(statement, { values: { customer: 'co' }, lines: typed.lines }, { lookup: lookupOf(records), today, policy: policyOf(undefined) })
    expect(none.lines.entries).toEqual([])
    expect(none.values.closingBalance).toBeNull()
  })
})

describe('R16 §5.9: collections go through a statement the customer confirmed', () => {
  const booked = [customer, ht, fh('fh1', 'booked', '2026-10-12', '2000'), fh('fh2', 'booked', '2026-11-03', '1000')]
  const pay = sk('sk9', 'draft', '2026-11-28', 3_000_000)

  it('R16 blocked: no statement, one still awaiting the customer, or one ending before the last booked delivery', async () => {
    for (const statements of [[], [dz('dz1', 'issued', '2026-11-30')], [dz('dz1', 'confirmed', '2026-10-31')]]) {
      const r = await check(payment, pay, 'confirm', fin, [...booked, ...statements, pay])
      expect(r).toMatchObject({ ok: false, rule: 'R16', clause: '§5.9', message: { zh: expect.stringContaining('FH2') } })
    }
  })

  it('R16 allowed: the customer signed back a statement to the end of November; a prepayment, or money before anything was booked (款到发货)', async () => {
    expect((await check(payment, pay, 'confirm', fin, [...booked, dz('dz1', 'confirmed', '2026-11-30'), pay])).ok).toBe(true)
    const prepay = sk('sk8', 'draft', '2026-11-28', 100_000, 'prepay')
    expect((await check(payment, prepay, 'confirm', fin, [...booked, prepay])).ok).toBe(true)
    expect((await check(payment, pay, 'confirm', fin, [customer, ht, fh('fh1', 'shipped', '2026-10-12', '2000'), pay])).ok).toBe(true)
  })

  it('R16: an issued statement is due back by its 回签 date in the inbox; a confirmed one is not', () => {
    const issued = doc(statement, 'dz3', 'issued', { customer: 'co', periodFrom: '2026-11-01', periodTo: '2026-11-30', replyBy: '2026-12-07' })
    expect(dueItemsOf(statement, issued, today)).toMatchObject([{ date: '2026-12-07', rule: 'R16', message: { zh: expect.stringContaining('待客户签回') } }])
    expect(dueItemsOf(statement, { ...issued, state: 'confirmed' }, today)).toEqual([])
  })

  it('a statement is issued by finance or CS, and its figures freeze: the signed copy moves it to 客户已确认', async () => {
    const draft = dz('dz2', 'draft', '2026-11-30')
    expect(await check(statement, draft, 'issue', sales, [draft])).toMatchObject({ ok: false, reason: 'role' })
    expect((await check(statement, draft, 'issue', fin, [draft])).ok).toBe(true)
    expect(statement.workflow!.states.issued!.editable).toBe(false)
    expect((await check(statement, dz('dz2', 'issued', '2026-11-30'), 'signedReturn', cs, [])).ok).toBe(true)
    expect(await check(statement, dz('dz2', 'issued', '2026-11-30'), 'dispute', cs, [])).toMatchObject({ ok: false, reason: 'comment' })
  })
})


describe('R19 [A] 11: an invoice only once 60 % of the contract is collected, approved by the finance VP', () => {
  // Contract ¥130,000.00 (4,000 kg at ¥32.50); two deliveries shipped, the first due after 30 days.
  const base = [customer, ht, fh('fh1', 'booked', '2026-10-12', '2000'), fh('fh2', 'shipped', '2026-11-20', '1000')]
  const kp = (id: string, state: string, amount: number) => doc(invoiceRequest, id, state, { contract: 'ht1', customer: 'co', invoiceType: 'special', amount, buyerName: '佛山市美宜达电器有限公司' })
  const req = kp('kp1', 'draft', 7_800_000)

  it('R19 blocked: 50 % collected is under the office\'s 60 %; the finance VP cannot approve it either', async () => {
    const docs = [...base, sk('sk1', 'confirmed', '2026-11-10', 6_500_000), req]
    const r = await check(invoiceRequest, req, 'submit', cs, docs)
    expect(r).toMatchObject({ ok: false, rule: 'R19', clause: '[A] 11', message: { zh: expect.stringContaining('占合同金额 50.0%，未达 60%') } })
    expect(await check(invoiceRequest, kp('kp1', 'review', 7_800_000), 'approve', vp, docs)).toMatchObject({ ok: false, rule: 'R19' })
    // An unconfirmed payment is not collected money.
    expect(await check(invoiceRequest, req, 'submit', cs, [...docs, sk('sk2', 'draft', '2026-11-11', 1_300_000)])).toMatchObject({ ok: false, rule: 'R19' })
  })

  it('R19 allowed: at 60 % (¥78,000.00 of ¥130,000.00, to the fen), and only the finance VP approves', async () => {
    const docs = [...base, sk('sk1', 'confirmed', '2026-11-10', 6_500_000), sk('sk2', 'confirmed', '2026-11-25', 1_300_000), req]
    expect((await check(invoiceRequest, req, 'submit', cs, docs)).ok).toBe(true)
    const inReview = kp('kp1', 'review', 7_800_000)
    expect((await check(invoiceRequest, inReview, 'approve', vp, docs)).ok).toBe(true)
    expect(await check(invoiceRequest, inReview, 'approve', fin, docs)).toMatchObject({ ok: false, reason: 'role' })
    // One fen short of 60 % is still refused.
    const short = [...base, sk('sk1', 'confirmed', '2026-11-10', 6_500_000), sk('sk2', 'confirmed', '2026-11-25', 1_299_999), req]
    expect(await check(invoiceRequest, req, 'submit', cs, short)).toMatchObject({ ok: false, rule: 'R19' })
  })

  it('R19 blocked: a contract not yet approved', async () => {
    const draftContract = { ...ht, state: 'review' }
    const docs = [customer, draftContract, sk('sk1', 'confirmed', '2026-11-10', 13_000_000), req]
    expect(await check(invoiceRequest, req, 'submit', cs, docs)).toMatchObject({ ok: false, rule: 'R19', message: { zh: expect.stringContaining('还没有审批通过') } })
  })

  it('R19 blocked: never more than the contract leaves uninvoiced', async () => {
    const docs = [...base, sk('sk1', 'confirmed', '2026-11-10', 13_000_000), kp('kp0', 'issued', 10_000_000), kp('kp1', 'draft', 3_000_001)]
    expect(await check(invoiceRequest, docs.at(-1)!, 'submit', cs, docs)).toMatchObject({ ok: false, rule: 'R19', message: { zh: expect.stringContaining('尚未开票的 ¥30,000.00') } })
  })

  it('R19 [F] practice as the office setting: credit customers when due, 现结 customers with the delivery', async () => {
    const practice = checker(users, today, { invoiceGate: 'practice' })
    // Nothing collected; fh1 (¥65,000.00, shipped 12 Oct, 30 days) is due, fh2 (20 Nov) is not.
    const due = kp('kp1', 'draft', 6_500_000)
    expect((await practice(invoiceRequest, due, 'submit', cs, [...base, due])).ok).toBe(true)
    const more = kp('kp1', 'draft', 6_500_001)
    expect(await practice(invoiceRequest, more, 'submit', cs, [...base, more])).toMatchObject({ ok: false, rule: 'R19', clause: '[F]', message: { zh: expect.stringContaining('账期客户到期开票') } })
    const cashContract = { ...ht, values: { ...ht.values, paymentMethod: 'cash' } }
    const shipped = kp('kp1', 'draft', 9_750_000)
    expect((await practice(invoiceRequest, shipped, 'submit', cs, [customer, cashContract, ...base.slice(2), shipped])).ok).toBe(true)
  })
})

describe('customer credit [A] 5: an order over the credit limit is warned and needs the marketing head', () => {
  const limited = { ...customer, values: { ...customer.values, traded: true, creditLimit: 15_000_000 } }
  // Exposure: ht1's ¥130,000.00 still to ship (the ¥30,000.00 received first settles the ¥10,000.00 opening balance; the rest is credit, not shipped goods).
  const records = [limited, ht, sk('sk1', 'confirmed', '2026-11-10', 3_000_000)]
  const order = (qty: string) => doc(contract, 'ht2', 'draft', { customer: 'co', signDate: today, deliveryDate: '2026-12-20', paymentMethod: 'credit', creditDays: 30, creditLimit: 15_000_000, creditExposure: 13_000_000 }, [item(qty, 3250)])

  it('credit limit: ¥130,000.00 more takes the customer ¥110,000.00 over: a warning to confirm, and the marketing head joins the review', async () => {
    const big = order('4000')
    expect(await check(contract, big, 'submit', sales, [...records, big])).toMatchObject({ ok: false, reason: 'warning', message: { zh: expect.stringContaining('超出 ¥110,000.00') } })
    expect(contract.conditions!.overCreditLimit!({ values: big.values, lines: big.lines })).toBe(true)
  })

  it('credit limit: within it (¥19,500.00 more), or no limit set: no warning, no extra step', async () => {
    const small = order('600')
    expect((await check(contract, small, 'submit', sales, [...records, small])).ok).toBe(true)
    const unlimited = { ...limited, values: { ...limited.values, creditLimit: null } }
    expect((await check(contract, order('9000'), 'submit', sales, [unlimited, ht, order('9000')])).ok).toBe(true)
    expect(contract.conditions!.overCreditLimit!({ values: small.values, lines: small.lines })).toBe(false)
    expect(contract.conditions!.overCreditLimit!({ values: { ...order('9000').values, creditLimit: null }, lines: {} })).toBe(false)
  })
})
