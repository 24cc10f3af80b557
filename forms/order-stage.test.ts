/**
 * The order-to-delivery stage's rules, each blocked and allowed, through the workflow engine
 * (checkTransition with the forms' own guards, conditions and countersigns): R4 (the order side),
 * R8, R9 (the order and production side), R11, R12, R13, R14, R15, R21, R22, R25 (the order side),
 * and partial deliveries within the contract.
 */
import { describe, expect, it } from 'vitest'
import type { DocSnapshot, FormDef } from './schema/types'
import { checker, doc, user, type Row } from './stage-testing'
import type { User } from '../renderer/core/model'
import { countersignOf, dueItemsOf, signoffKey, withApprovals } from '../renderer/core/workflow'
import { applyComputed, validateForm } from '../renderer/core/validation'
import { printedDoc } from '../renderer/core/pdf/printed'
import { mirrorValues, termDifferences } from '../renderer/core/compare'
import { contract } from './contract/contract.form'
import { AGREED_TERMS } from './contract/contract.rules'
import { productionNotice } from './production-notice/production-notice.form'
import { deliveryDelay } from './delivery-delay/delivery-delay.form'
import { delivery } from './delivery/delivery.form'
import { payment } from './payment/payment.form'
import { salesReturn } from './sales-return/sales-return.form'
import { sampleShipment } from './sample-shipment/sample-shipment.form'
import { techSupport } from './tech-support/tech-support.form'

const u = user
const sales = u('s', '李强', ['salesperson'])
const cs = u('c', '张敏', ['csAssistant'])
const head = u('h', '王海燕', ['marketingHead'])
const director = u('d', '陈志远', ['marketingDirector'])
const gm = u('g', '刘建华', ['generalManager'])
const qa = u('q', '郑秀英', ['qa'])
const rd = u('r', '周伟', ['rdEngineer'])
const pmc = u('p', '黄丽', ['pmc'])
const fin = u('f', '林静', ['finance'])
const users = [sales, cs, head, director, gm, qa, rd, pmc, fin]
const today = '2026-11-30'
const check = checker(users, today)

const newCo = { id: 'newCo', form: 'customer', number: 'KH1', state: '', version: 1, values: { fullName: '苏州明辉光电科技有限公司', traded: false }, lines: {} } satisfies DocSnapshot
const oldCo = { id: 'oldCo', form: 'customer', number: 'KH2', state: '', version: 1, values: { fullName: '佛山市美宜达电器有限公司', traded: true }, lines: {} } satisfies DocSnapshot
const filed = { id: 'e1', form: 'customerEvaluation', number: 'PG1', state: 'filed', version: 1, values: { customer: 'newCo' }, lines: {} } satisfies DocSnapshot
const confirmedSample = { id: 'yq1', form: 'sampleConfirmation', number: 'YQ1', state: 'qaReceived', version: 1, values: { customer: 'newCo', colourCard: 1, specSheets: 1 }, lines: {} } satisfies DocSnapshot

const line = (qty: string, price = 3250): Row => ({ productName: 'PC 阻燃料 PC-FR110', spec: '黑色 BK001', quantity: qty, unit: 'kg', unitPrice: price, taxRate: '13' })
const quote = doc(contract, 'q1', 'approved', {})
/** A contract with the quotation's agreed terms mirrored in, as the data layer keeps them. */
function contractDoc(state: string, values: Row = {}, items: Row[] = [line('1000')], agreed: { values?: Row; items?: Row[] } = {}): DocSnapshot {
  const base: Row = { customer: 'newCo', signDate: today, deliveryDate: '2026-12-20', paymentMethod: 'credit', creditDays: 30, deliveryPlace: '苏州吴中', ...values }
  const raw = { values: base, lines: { items: items.map((v, i) => ({ id: `c-l${i}`, values: v })) } }
  const withAgreed = mirrorValues(contract, raw, (k) => (k === 'quotation' && typeof base.quotation === 'string'
    ? { values: { paymentMethod: 'credit', creditDays: 30, deliveryPlace: '苏州吴中', ...agreed.values }, lines: { items: agreed.items ?? [line('1000')] } }
    : undefined))
  return doc(contract, 'c1', state, withAgreed.values, withAgreed.lines.items!.map((r) => r.values))
}
void quote

describe('R25 §5.6.1 (order side): the first order waits for the evaluation completed and filed by CS', () => {
  it('R25 blocked: a new customer whose evaluation is only decided 开发', async () => {
    const developed = { ...filed, state: 'develop' }
    expect(await check(contract, contractDoc('draft'), 'submit', sales, [newCo, developed, confirmedSample]))
      .toMatchObject({ ok: false, rule: 'R25', message: { zh: expect.stringContaining('存档') } })
  })
  it('R25 allowed: once filed, and for a trading customer without one', async () => {
    expect((await check(contract, contractDoc('draft'), 'submit', sales, [newCo, filed, confirmedSample])).ok).toBe(true)
    expect((await check(contract, contractDoc('draft', { customer: 'oldCo' }), 'submit', sales, [oldCo])).ok).toBe(true)
  })
})

describe('R8 §5.5.1 (order side): no order without the signed colour card and confirmation', () => {
  it('R8 blocked: a new customer without a signed confirmation, or signed without the colour card', async () => {
    expect(await check(contract, contractDoc('draft'), 'submit', sales, [newCo, filed])).toMatchObject({ ok: false, rule: 'R8' })
    const noCard = { ...confirmedSample, state: 'signed', values: { customer: 'newCo', colourCard: 0 } }
    expect(await check(contract, contractDoc('draft'), 'submit', sales, [newCo, filed, noCard])).toMatchObject({ ok: false, rule: 'R8', message: { zh: expect.stringContaining('色卡') } })
  })
  it('R8 allowed: with the signed confirmation and colour card, or the director-approved special case', async () => {
    expect((await check(contract, contractDoc('draft'), 'submit', sales, [newCo, filed, confirmedSample])).ok).toBe(true)
    const special = { ...confirmedSample, state: 'specialApproved', values: { customer: 'newCo' } }
    expect((await check(contract, contractDoc('draft'), 'submit', sales, [newCo, filed, special])).ok).toBe(true)
  })
})

describe('R4 §5.2 (order side): a charged sample comes through the order flow', () => {
  const charged = { id: 'yp1', form: 'sampleApplication', number: 'YP1', state: 'scheduled', version: 1, values: { customer: 'newCo', sampleType: 'charged', orderNo: 'PO-7781' }, lines: {} } satisfies DocSnapshot
  const shipment = doc(sampleShipment, 'yf1', 'draft', { customer: 'newCo', application: 'yp1', carrier: '顺丰速运', waybill: 'SF1', dispatchDate: today }, [{ productName: 'PC-FR110', quantity: '50', unit: 'pcs' }])
  it('R4 blocked: the charged sample is not dispatched before its order is approved; a free sample is not ordered by contract', async () => {
    expect(await check(sampleShipment, shipment, 'dispatch', cs, [charged])).toMatchObject({ ok: false, rule: 'R4' })
    const pending = contractDoc('review', { sampleApplication: 'yp1' })
    expect(await check(sampleShipment, shipment, 'dispatch', cs, [charged, pending])).toMatchObject({ ok: false, rule: 'R4' })
    const free = { ...charged, values: { ...charged.values, sampleType: 'free' } }
    expect(await check(contract, contractDoc('draft', { sampleApplication: 'yp1' }), 'submit', sales, [newCo, filed, free])).toMatchObject({ ok: false, rule: 'R4' })
  })
  it('R4 allowed: the charged sample\'s order goes through without a confirmation (R8 is for after the sample), then the sample ships', async () => {
    expect((await check(contract, contractDoc('draft', { sampleApplication: 'yp1' }), 'submit', sales, [newCo, filed, charged])).ok).toBe(true)
    const approved = contractDoc('approved', { sampleApplication: 'yp1' })
    expect((await check(sampleShipment, shipment, 'dispatch', cs, [charged, approved])).ok).toBe(true)
  })
})

describe('R11 §5.6.2: director-or-above approval; an environmental agreement needs QA, R&D and marketing', () => {
  const docs = [newCo, filed, confirmedSample]
  it('R11 blocked: the salesperson or QA cannot approve; with an environmental agreement the director alone does not complete it', async () => {
    const review = contractDoc('review', { envAgreement: true })
    expect(await check(contract, review, 'sign-review-director', sales, docs)).toMatchObject({ ok: false, reason: 'role' })
    expect(await check(contract, review, 'sign-review-director', qa, docs)).toMatchObject({ ok: false, reason: 'role' })
    const r = await check(contract, review, 'sign-review-director', director, docs)
    expect(r).toMatchObject({ ok: true, to: 'review' })
    expect(countersignOf(contract, review)!.missing.map((m) => m.key)).toEqual(['envQa', 'envRd', 'envMarketing', 'director'])
  })
  it('R11 allowed: without an agreement the director (or the GM) approves; with one, the last of QA, R&D, marketing and the director completes it', async () => {
    expect(await check(contract, contractDoc('review'), 'sign-review-director', director, docs)).toMatchObject({ ok: true, to: 'approved' })
    expect(await check(contract, contractDoc('review'), 'sign-review-director', gm, docs)).toMatchObject({ ok: true, to: 'approved' })
    const signed = (k: string) => ({ [signoffKey('review', k)]: `x ${today}` })
    const almost = contractDoc('review', { envAgreement: true, ...signed('envQa'), ...signed('envRd'), ...signed('director') })
    expect(await check(contract, almost, 'sign-review-envMarketing', head, docs)).toMatchObject({ ok: true, to: 'approved' })
  })
  it('R11: the GM signs above an amount only once the administrator sets one; [A]\'s finance countersign likewise', async () => {
    const big = contractDoc('review', {}, [line('10000')]) // ¥325,000.00
    expect(countersignOf(contract, big)!.missing.map((m) => m.key)).toEqual(['director'])
    const office = withApprovals(contract, undefined, { contract: { 'review.gm': 200_000_00, 'review.finance': 0 } })
    expect(countersignOf(office, big)!.missing.map((m) => m.key)).toEqual(['director', 'gm', 'finance'])
    expect(await check(office, big, 'sign-review-director', director, docs)).toMatchObject({ ok: true, to: 'review' })
    const small = contractDoc('review', {}, [line('100')])
    expect(countersignOf(office, small)!.missing.map((m) => m.key)).toEqual(['director', 'finance'])
  })
})

describe('R12 §5.6.3: terms that differ from the agreed quotation are flagged and need re-agreement and the marketing head', () => {
  const docs = [newCo, filed, confirmedSample]
  it('R12 blocked: a changed credit term and price are shown side by side; no submit without the re-agreement; the head must confirm', async () => {
    const changed = contractDoc('draft', { quotation: 'q1', creditDays: 60 }, [line('1000', 3100)], { values: { creditDays: 30 }, items: [line('1000', 3250)] })
    const diffs = termDifferences(contract, AGREED_TERMS, changed)
    expect(diffs.map((d) => [d.label.zh, d.row ?? '', d.agreed, d.now])).toEqual([
      ['信用期（天）', '', 30, 60], ['含税单价', 'PC 阻燃料 PC-FR110', 3250, 3100],
    ])
    expect(await check(contract, changed, 'submit', sales, docs)).toMatchObject({ ok: false, rule: 'R12', message: { zh: expect.stringContaining('重新协商') } })
    const inReview = contractDoc('review', { quotation: 'q1', creditDays: 60, reagreement: '客户同意 60 天，单价按量调整' }, [line('1000', 3100)], { values: { creditDays: 30 }, items: [line('1000', 3250)] })
    expect(countersignOf(contract, inReview)!.missing.map((m) => m.key)).toEqual(['terms', 'director'])
    expect(await check(contract, inReview, 'sign-review-terms', director, docs)).toMatchObject({ ok: false, reason: 'role' })
    const directorSigned = { ...inReview, values: { ...inReview.values, [signoffKey('review', 'director')]: `陈志远 ${today}` } }
    expect(await check(contract, directorSigned, 'sign-review-director', director, docs)).toMatchObject({ ok: false, reason: 'signed' })
  })
  it('R12 allowed: the same terms need no confirmation; changed ones go once re-agreed and the head confirms', async () => {
    const same = contractDoc('draft', { quotation: 'q1' })
    expect(termDifferences(contract, AGREED_TERMS, same)).toEqual([])
    expect((await check(contract, same, 'submit', sales, docs)).ok).toBe(true)
    const reagreed = contractDoc('draft', { quotation: 'q1', creditDays: 60, reagreement: '客户同意 60 天' }, [line('1000')], { values: { creditDays: 30 } })
    expect((await check(contract, reagreed, 'submit', sales, docs)).ok).toBe(true)
    const review = { ...reagreed, state: 'review', values: { ...reagreed.values, [signoffKey('review', 'director')]: `陈志远 ${today}` } }
    expect(await check(contract, review, 'sign-review-terms', head, docs)).toMatchObject({ ok: true, to: 'approved' })
  })
})

const approved = contractDoc('approved')
const shipped = (id: string, qty: string, state = 'shipped') => doc(delivery, id, state, { contract: 'c1', customer: 'newCo', carrier: '德邦物流', waybill: 'DB1', shipDate: today }, [{ ...line(qty) }])

describe('Partial deliveries within the contract (§5.7)', () => {
  it('blocked: more than is left after earlier deliveries, or goods the contract does not order', async () => {
    const second = shipped('fh2', '500', 'draft')
    const r = await check(delivery, second, 'ship', cs, [approved, shipped('fh1', '600'), second])
    expect(r).toMatchObject({ ok: false, message: { zh: expect.stringContaining('合同 1000 kg，已发 600 kg，本次最多 400 kg') } })
    const other = doc(delivery, 'fh3', 'draft', { contract: 'c1', customer: 'newCo', carrier: '德邦物流', waybill: 'DB1', shipDate: today }, [{ productName: 'PA66 GF30', quantity: '1', unit: 'kg' }])
    expect(await check(delivery, other, 'ship', cs, [approved])).toMatchObject({ ok: false, message: { zh: expect.stringContaining('没有订') } })
  })
  it('allowed: two partial deliveries up to the whole; drafts and void ones do not count', async () => {
    const second = shipped('fh2', '400', 'draft')
    expect((await check(delivery, second, 'ship', cs, [approved, shipped('fh1', '600'), shipped('fh9', '900', 'draft'), shipped('fh8', '900', 'voided'), second])).ok).toBe(true)
  })
})

describe('R13 §5.7.1: cash in advance ships only against recorded money; cash customers on the agreed condition', () => {
  const prepay = { ...contractDoc('approved', { paymentMethod: 'prepay' }) }
  const pay = (id: string, amount: number, state = 'confirmed') => doc(payment, id, state, { customer: 'newCo', contract: 'c1', kind: 'prepay', receivedDate: today, amount, method: 'wire' })
  it('R13 blocked: no payment, an unconfirmed one, or less than shipped so far plus this delivery', async () => {
    const d = shipped('fh1', '600', 'draft') // ¥19,500.00
    expect(await check(delivery, d, 'ship', cs, [prepay, d])).toMatchObject({ ok: false, rule: 'R13', message: { zh: expect.stringContaining('还差 ¥19,500.00') } })
    expect(await check(delivery, d, 'ship', cs, [prepay, d, pay('sk1', 1_950_000, 'draft')])).toMatchObject({ ok: false, rule: 'R13' })
    const second = shipped('fh2', '400', 'draft')
    expect(await check(delivery, second, 'ship', cs, [prepay, shipped('fh1', '600'), second, pay('sk1', 1_950_000)])).toMatchObject({ ok: false, rule: 'R13' })
  })
  it('R13 allowed: a confirmed prepayment covering it; a 现结 customer after confirming the reminder', async () => {
    const d = shipped('fh1', '600', 'draft')
    expect((await check(delivery, d, 'ship', cs, [prepay, d, pay('sk1', 1_950_000)])).ok).toBe(true)
    const cash = contractDoc('approved', { paymentMethod: 'cash' })
    expect(await check(delivery, d, 'ship', cs, [cash, d])).toMatchObject({ ok: false, reason: 'warning', rule: 'R13' })
    expect((await check(delivery, d, 'ship', cs, [cash, d], undefined, true)).ok).toBe(true)
  })
})

describe('R22 [A] 8: finance books a delivery only once the signed receipt is back', () => {
  const d = shipped('fh1', '600')
  it('R22 blocked: no receipt, or one not yet signed; and only finance books', async () => {
    expect(await check(delivery, d, 'book', fin, [approved, d])).toMatchObject({ ok: false, rule: 'R22', message: { zh: expect.stringContaining('签收单') } })
    const issued = { id: 'qs1', form: 'deliveryReceipt', number: 'QS1', state: 'issued', version: 1, values: { delivery: 'fh1' }, lines: {} } satisfies DocSnapshot
    expect(await check(delivery, d, 'book', fin, [approved, d, issued])).toMatchObject({ ok: false, rule: 'R22', message: { zh: expect.stringContaining('导入') } })
    expect(await check(delivery, d, 'book', cs, [approved, d, { ...issued, state: 'signed' }])).toMatchObject({ ok: false, reason: 'role' })
  })
  it('R22 allowed: the signed receipt imported, finance books', async () => {
    const signed = { id: 'qs1', form: 'deliveryReceipt', number: 'QS1', state: 'signed', version: 1, values: { delivery: 'fh1' }, lines: {} } satisfies DocSnapshot
    expect(await check(delivery, d, 'book', fin, [approved, d, signed])).toMatchObject({ ok: true, to: 'booked' })
  })
})

describe('R14 §5.7.2: a missed date is reported with its reason before the promise moves', () => {
  const notice = doc(productionNotice, 'sc1', 'replied', { contract: 'c1', customer: 'newCo', noticeDate: today, requiredDate: '2026-12-20', promisedDate: '2026-12-05' }, [{ productName: 'PC-FR110', quantity: '1000', unit: 'kg' }])
  const delay = (state: string, values: Row) => doc(deliveryDelay, 'yw1', state, { productionNotice: 'sc1', customer: 'newCo', salesperson: 's', originalDate: '2026-12-05', ...values })
  it('R14 blocked: no reschedule without a delay notice sent with that date; a notice needs a later date and a reason', async () => {
    expect(await check(productionNotice, notice, 'reschedule', pmc, [notice], { promisedDate: '2026-12-12', pmcNote: '原料晚到' })).toMatchObject({ ok: false, rule: 'R14' })
    expect(await check(productionNotice, notice, 'reschedule', pmc, [notice, delay('draft', { newDate: '2026-12-12', reason: '原料 PC 粒子晚到 5 天' })], { promisedDate: '2026-12-12', pmcNote: '原料晚到' }))
      .toMatchObject({ ok: false, rule: 'R14' })
    expect(await check(deliveryDelay, delay('draft', { newDate: '2026-12-04', reason: '原料 PC 粒子晚到 5 天' }), 'notify', cs, [], { notifiedVia: 'phone', customerContact: '刘经理' }))
      .toMatchObject({ ok: false, rule: 'R14', message: { zh: expect.stringContaining('晚于') } })
  })
  it('R14 allowed: the notice sent to the customer (and waiting on the salesperson), then the new date; the inbox shows this week\'s and late dates', async () => {
    const sent = delay('draft', { newDate: '2026-12-12', reason: '原料 PC 粒子晚到 5 天' })
    expect(await check(deliveryDelay, sent, 'notify', cs, [], { notifiedVia: 'phone', customerContact: '刘经理' })).toMatchObject({ ok: true, to: 'notified' })
    expect(await check(deliveryDelay, { ...sent, state: 'notified' }, 'acknowledge', sales, [])).toMatchObject({ ok: true, to: 'acknowledged' })
    expect(await check(productionNotice, notice, 'reschedule', pmc, [notice, { ...sent, state: 'notified' }], { promisedDate: '2026-12-12', pmcNote: '原料晚到' }))
      .toMatchObject({ ok: true, to: 'scheduled' })
    expect(dueItemsOf(productionNotice, notice, today).map((d) => d.date)).toEqual(['2026-12-05'])
    expect(dueItemsOf(productionNotice, { ...notice, values: { ...notice.values, promisedDate: '2027-01-20' } }, today)).toEqual([])
    expect(dueItemsOf(productionNotice, { ...notice, values: { ...notice.values, promisedDate: '2026-11-20' } }, today).map((d) => d.rule)).toEqual(['R14'])
  })
})

describe('R9 §5.5.2 (production side): no production until QA holds the signed sample records', () => {
  const notice = (customer: string) => doc(productionNotice, 'sc1', 'draft', { contract: 'c1', customer, noticeDate: today, requiredDate: '2026-12-20' }, [{ productName: 'PC-FR110', quantity: '1000', unit: 'kg' }])
  it('R9 blocked: the confirmation signed (R8 met) but not handed to QA; R8 blocked without it', async () => {
    const signedOnly = { ...confirmedSample, state: 'signed' }
    expect(await check(productionNotice, notice('newCo'), 'issue', cs, [newCo, approved, signedOnly])).toMatchObject({ ok: false, rule: 'R9' })
    expect(await check(productionNotice, notice('newCo'), 'issue', cs, [newCo, approved])).toMatchObject({ ok: false, rule: 'R8' })
  })
  it('R9 allowed: QA received the records; a trading customer\'s repeat order', async () => {
    expect((await check(productionNotice, notice('newCo'), 'issue', cs, [newCo, approved, confirmedSample])).ok).toBe(true)
    expect((await check(productionNotice, notice('oldCo'), 'issue', cs, [oldCo, contractDoc('approved', { customer: 'oldCo' })])).ok).toBe(true)
  })
})

describe('R15 §5.8.2: a return needs the QA head; its value and claims become adjustments', () => {
  const d = shipped('fh1', '600')
  const ret = (state: string, qty: string) => doc(salesReturn, 'th1', state, { customer: 'newCo', contract: 'c1', delivery: 'fh1', returnDate: today, reason: '黑点超标' }, [{ ...line(qty) }])
  it('R15 blocked: CS or the salesperson cannot confirm a return; more than delivered is refused', async () => {
    expect(await check(salesReturn, ret('pending', '50'), 'confirm', cs, [d])).toMatchObject({ ok: false, reason: 'role' })
    expect(await check(salesReturn, ret('pending', '50'), 'confirm', sales, [d])).toMatchObject({ ok: false, reason: 'role' })
    expect(await check(salesReturn, ret('draft', '700'), 'submit', cs, [d])).toMatchObject({ ok: false, rule: 'R15' })
  })
  it('R15 allowed: the QA head confirms, and the goods come back', async () => {
    expect((await check(salesReturn, ret('draft', '50'), 'submit', cs, [d])).ok).toBe(true)
    expect(await check(salesReturn, ret('pending', '50'), 'confirm', qa, [d])).toMatchObject({ ok: true, to: 'confirmed' })
    expect(await check(salesReturn, ret('confirmed', '50'), 'receive', cs, [d])).toMatchObject({ ok: true, to: 'received' })
  })
})

describe('R21 [A] 10: no follow-on service before the first payment', () => {
  const req = doc(techSupport, 'js1', 'draft', { customer: 'newCo', contract: 'c1', requestDate: today, neededBy: '2026-12-03', kind: 'install', siteAddress: '苏州吴中区木渎镇', description: '注塑机上料调试' })
  it('R21 blocked: service under a contract whose first payment is not confirmed', async () => {
    expect(await check(techSupport, req, 'submit', sales, [approved])).toMatchObject({ ok: false, rule: 'R21' })
    const unconfirmed = doc(payment, 'sk1', 'draft', { customer: 'newCo', contract: 'c1', kind: 'goods', receivedDate: today, amount: 100_000, method: 'wire' })
    expect(await check(techSupport, req, 'submit', sales, [approved, unconfirmed])).toMatchObject({ ok: false, rule: 'R21' })
  })
  it('R21 allowed: once finance confirmed a payment; pre-sale support without a contract', async () => {
    const paid = doc(payment, 'sk1', 'confirmed', { customer: 'newCo', contract: 'c1', kind: 'goods', receivedDate: today, amount: 100_000, method: 'wire' })
    expect((await check(techSupport, req, 'submit', sales, [approved, paid])).ok).toBe(true)
    expect((await check(techSupport, { ...req, values: { ...req.values, contract: null } }, 'submit', sales, [])).ok).toBe(true)
  })
})

describe('收款登记: an over-payment is kept as the customer\'s credit', () => {
  it('warns with the amount kept as credit, and is taken once confirmed', async () => {
    const c = contractDoc('approved', {}, [line('100')]) // ¥3,250.00
    const earlier = doc(payment, 'sk1', 'confirmed', { customer: 'newCo', contract: 'c1', kind: 'goods', receivedDate: today, amount: 300_000, method: 'wire' })
    const now = doc(payment, 'sk2', 'draft', { customer: 'newCo', contract: 'c1', kind: 'goods', receivedDate: today, amount: 50_000, method: 'wire' })
    expect(await check(payment, now, 'confirm', fin, [c, earlier, now])).toMatchObject({ ok: false, reason: 'warning', message: { zh: expect.stringContaining('¥250.00') } })
    expect((await check(payment, now, 'confirm', fin, [c, earlier, now], undefined, true)).ok).toBe(true)
    expect(await check(payment, now, 'confirm', cs, [c, earlier, now])).toMatchObject({ ok: false, reason: 'role' })
  })
})

describe('销售合同 or 订单: signed as a contract only when the customer asks for one ("如客户要求签订")', () => {
  const print = (values: Row) => printedDoc({
    form: contract, record: { number: 'HT2611-A7-0001', version: 1, state: 'approved', values: contractDoc('approved', values).values, lines: {} },
    refs: { customer: { values: { fullName: '苏州明辉光电科技有限公司' } }, quotation: { values: { customer: 'newCo' }, number: 'BJ2611-A7-0007' } },
    company: { name: '东莞市华塑新材料科技有限公司', address: '东莞', phone: '0769' }, released: true, users: { d: '陈志远' },
  })
  it('prints 订单确认书 without a contract asked for, and 销售合同 with its authorised signatory when asked', () => {
    expect(print({}).title).toBe('订单确认书')
    const signedContract = print({ contractRequested: true, signatory: 'd' })
    expect(signedContract.title).toBe('销售合同')
    expect(JSON.stringify(signedContract.blocks)).toContain('陈志远')
  })
  it('refuses to save a contract the customer asked for without the signatory', () => {
    const errors = validateForm(contract, applyComputed(contract, { values: { ...contractDoc('draft').values, contractRequested: true }, lines: contractDoc('draft').lines }))
    expect(errors.map((e) => e.field)).toEqual(['signatory'])
  })
})
