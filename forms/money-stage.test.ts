/**
 * The money stage's rules (§5.9, [A] 5, 9, 11, 12), each blocked and allowed, through the workflow
 * engine with the forms' own guards: R16 (collections through a statement the customer confirmed),
 * R19 (the invoice gate, [A]'s 60 % or [F]'s practice); and the statement's figures in integer fen.
 */
import { describe, expect, it } from 'vitest'
import type { DocSnapshot } from './schema/types'
import { withGathered } from '../renderer/core/gather'
import { toCapital } from '../renderer/core/money'
import { policyOf } from './schema/policy'
import { checker, doc, lookupOf, user, type Row } from './stage-testing'
import { statement } from './statement/statement.form'
import { accountEntries, statementFigures } from './statement/statement.rules'
import { payment } from './payment/payment.form'
import { delivery } from './delivery/delivery.form'
import { adjustment } from './adjustment/adjustment.form'
import { contract } from './contract/contract.form'

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

  it('a statement is issued by finance or CS, and its figures freeze: the signed copy moves it to 客户已确认', async () => {
    const draft = dz('dz2', 'draft', '2026-11-30')
    expect(await check(statement, draft, 'issue', sales, [draft])).toMatchObject({ ok: false, reason: 'role' })
    expect((await check(statement, draft, 'issue', fin, [draft])).ok).toBe(true)
    expect(statement.workflow!.states.issued!.editable).toBe(false)
    expect((await check(statement, dz('dz2', 'issued', '2026-11-30'), 'signedReturn', cs, [])).ok).toBe(true)
    expect(await check(statement, dz('dz2', 'issued', '2026-11-30'), 'dispute', cs, [])).toMatchObject({ ok: false, reason: 'comment' })
  })
})

void vp
