/**
 * The sample stage's rules, R1–R9 and R25, each blocked and allowed, through the workflow engine
 * (checkTransition) or, for the rules the order and production stages will call, the named pure
 * functions they will use.
 */
import { describe, expect, it } from 'vitest'
import type { DocSnapshot, FieldValue, RecordLookup } from './schema/types'
import type { User } from '../renderer/core/model'
import { availableTransitions, checkTransition, countersignOf, dueItemsOf, signoffKey, type ActorContext } from '../renderer/core/workflow'
import { applyComputed } from '../renderer/core/validation'
import { customerEvaluation } from './customer-evaluation/customer-evaluation.form'
import { evaluationFiledForOrder } from './customer-evaluation/customer-evaluation.rules'
import { sampleApplication } from './sample-application/sample-application.form'
import { sampleShipment } from './sample-shipment/sample-shipment.form'
import { sampleConfirmation } from './sample-confirmation/sample-confirmation.form'
import { qaHasSampleRecords, sampleConfirmedForOrder } from './sample-confirmation/sample-confirmation.rules'

const lookupOf = (docs: DocSnapshot[]): RecordLookup => ({
  get: async (form, id) => docs.find((d) => d.form === form && d.id === id),
  findBy: async (form, field, value: FieldValue) => docs.filter((d) => d.form === form && d.values[field] === value),
})
const snap = (form: string, id: string, state: string, values: DocSnapshot['values'], lines: DocSnapshot['lines'] = {}): DocSnapshot =>
  ({ id, form, number: `${id.toUpperCase()}`, state, version: 1, values, lines })
const u = (id: string, name: string, roles: User['roles']): User => ({ id, name, dept: '营销部', roles, active: true })
const sales = u('s', '李强', ['salesperson'])
const cs = u('c', '张敏', ['csAssistant'])
const head = u('h', '王海燕', ['marketingHead'])
const manager = u('m', '赵磊', ['marketingManager'])
const director = u('d', '陈志远', ['marketingDirector'])
const pgh = u('p', '孙立新', ['productGroupHead'])
const rd = u('r', '周工', ['rdEngineer'])
const rd2 = u('r2', '吴工', ['rdEngineer'])
const qa = u('q', '郑秀英', ['qa'])
const users = [sales, cs, head, manager, director, pgh, rd, rd2, qa]
const as = (user: User): ActorContext => ({ user, grants: [], users })
const today = '2026-11-30'

const newCo = snap('customer', 'newCo', '', { fullName: '苏州明辉光电科技有限公司', traded: false })
const oldCo = snap('customer', 'oldCo', '', { fullName: '佛山市美宜达电器有限公司', traded: true })

/** A sample application with computed fields filled, as the data layer stores it. */
function application(state: string, values: DocSnapshot['values'], items: Array<Record<string, FieldValue>> = [{ productName: 'PC-FR110D', quantity: '5', unit: 'kg', newFormula: false }]): DocSnapshot {
  const data = applyComputed(sampleApplication, {
    values: { customer: 'newCo', applyDate: '2026-11-30', sampleType: 'free', ...values },
    lines: { items: items.map((v, i) => ({ id: `l${i}`, values: v })) },
  })
  return snap('sampleApplication', 'yp1', state, data.values, data.lines)
}
const submit = (doc: DocSnapshot, docs: DocSnapshot[], user: User = sales) => checkTransition(sampleApplication, doc, 'submit', as(user), lookupOf(docs), today)

describe('R1 §5.1: a new customer needs an evaluation decided 开发 before a sample application', () => {
  it('R1 blocked: new customer without an evaluation, and after 不开发', async () => {
    const r = await submit(application('draft', {}), [newCo])
    expect(r).toMatchObject({ ok: false, rule: 'R1', clause: '§5.1', message: { zh: expect.stringContaining('新建评估表') } })
    const refused = snap('customerEvaluation', 'e1', 'notDevelop', { customer: 'newCo' })
    expect(await submit(application('draft', {}), [newCo, refused])).toMatchObject({ ok: false, rule: 'R1', message: { zh: expect.stringContaining('不开发') } })
  })
  it('R1 allowed: after 开发 (and once filed), and for a traded customer without any evaluation', async () => {
    for (const state of ['develop', 'filed']) {
      const e = snap('customerEvaluation', 'e1', state, { customer: 'newCo' })
      expect((await submit(application('draft', {}), [newCo, e])).ok, state).toBe(true)
    }
    expect((await submit(application('draft', { customer: 'oldCo' }), [oldCo])).ok).toBe(true)
  })
})

describe('R2 §5.2: marketing head approval, then product-group head feasibility; an engineer replies the lead time', () => {
  const developed = snap('customerEvaluation', 'e1', 'develop', { customer: 'newCo' })
  it('R2 blocked: feasibility is not the salesperson\'s, the engineer must be named, and only the assigned engineer replies', async () => {
    const doc = application('feasibility', {})
    expect(await checkTransition(sampleApplication, doc, 'feasible', as(sales), lookupOf([]), today)).toMatchObject({ ok: false, reason: 'role' })
    expect(await checkTransition(sampleApplication, doc, 'feasible', as(pgh), lookupOf([]), today)).toMatchObject({ ok: false, reason: 'asks' })
    const making = application('making', { engineer: 'r' })
    expect(availableTransitions(sampleApplication, making, rd2, [], users, today)).toEqual([])
    expect(await checkTransition(sampleApplication, making, 'replyLeadTime', as(rd2), lookupOf([]), today, undefined, undefined, { answers: { leadTime: '2026-12-08' } }))
      .toMatchObject({ ok: false, reason: 'assignee' })
  })
  it('R2 allowed: head signs (with the director), the product-group head assigns, the engineer replies; not feasible ends it with the reply', async () => {
    expect((await submit(application('draft', {}), [newCo, developed])).ok).toBe(true)
    const review = application('review', { [signoffKey('review', 'director')]: `陈志远 ${today}` })
    expect(await checkTransition(sampleApplication, review, 'sign-review-head', as(head), lookupOf([]), today)).toMatchObject({ ok: true, to: 'feasibility' })
    const assigned = await checkTransition(sampleApplication, application('feasibility', {}), 'feasible', as(pgh), lookupOf([]), today, undefined, undefined, { answers: { engineer: 'r' } })
    expect(assigned).toMatchObject({ ok: true, to: 'making', sets: { engineer: 'r' } })
    expect(await checkTransition(sampleApplication, application('making', { engineer: 'r' }), 'replyLeadTime', as(rd), lookupOf([]), today, undefined, undefined, { answers: { leadTime: '2026-12-08' } }))
      .toMatchObject({ ok: true, to: 'scheduled', sets: { leadTime: '2026-12-08' } })
    expect(await checkTransition(sampleApplication, application('feasibility', {}), 'infeasible', as(pgh), lookupOf([]), today, undefined, undefined, { answers: { feasibilityReply: '现有配方无法同时满足 V-0 与透光率 60%' } }))
      .toMatchObject({ ok: true, to: 'infeasible' })
  })
  it('R2: 电话确认代签 — CS records the head\'s phone approval with who agreed, shown as such', async () => {
    const review = application('review', { [signoffKey('review', 'director')]: `陈志远 ${today}` })
    expect(await checkTransition(sampleApplication, review, 'phone-review-head', as(cs), lookupOf([]), today)).toMatchObject({ ok: false, reason: 'comment' })
    const r = await checkTransition(sampleApplication, review, 'phone-review-head', as(cs), lookupOf([]), today, '王海燕出差，电话同意')
    expect(r).toMatchObject({ ok: true, to: 'feasibility' })
    expect(r.ok && r.sets[signoffKey('review', 'head')]).toContain('电话确认代签（王海燕出差，电话同意）')
  })
})

describe('R3 §5.2: a free sample of 10 kg or more also needs the marketing manager or above', () => {
  it('R3 blocked: 10 kg free (10 counts) — the head and director signed, the state waits for the manager', async () => {
    const doc = application('review', { [signoffKey('review', 'director')]: `陈志远 ${today}` }, [{ productName: 'PC-FR110D', quantity: '7.5', unit: 'kg' }, { productName: 'PC-FR115D', quantity: '2.5', unit: 'kg' }])
    expect(doc.values.totalKg).toBe('10.000')
    const r = await checkTransition(sampleApplication, doc, 'sign-review-head', as(head), lookupOf([]), today)
    expect(r).toMatchObject({ ok: true, to: 'review' })
    const after = { ...doc, values: { ...doc.values, ...(r.ok ? r.sets : {}) } }
    expect(countersignOf(sampleApplication, after)?.missing.map((m) => m.key)).toEqual(['manager'])
    expect(await checkTransition(sampleApplication, after, 'sign-review-manager', as(sales), lookupOf([]), today)).toMatchObject({ ok: false, reason: 'role' })
  })
  it('R3 allowed: the manager completes it; 9.999 kg free or any charged sample needs no manager', async () => {
    const doc = application('review', { [signoffKey('review', 'director')]: `陈志远 ${today}`, [signoffKey('review', 'head')]: `王海燕 ${today}` }, [{ productName: 'PC-FR110D', quantity: '0.01', unit: 't' }])
    expect(await checkTransition(sampleApplication, doc, 'sign-review-manager', as(manager), lookupOf([]), today)).toMatchObject({ ok: true, to: 'feasibility' })
    const light = application('review', {}, [{ productName: 'PC-FR110D', quantity: '9.999', unit: 'kg' }])
    expect(countersignOf(sampleApplication, light)?.missing.map((m) => m.key)).toEqual(['head', 'director'])
    const charged = application('review', { sampleType: 'charged', orderNo: 'PO-2611-088' }, [{ productName: 'PC-FR110D', quantity: '50', unit: 'kg' }])
    expect(countersignOf(sampleApplication, charged)?.missing.map((m) => m.key)).toEqual(['head', 'director'])
  })
})

describe('R4 §5.2: a charged sample needs a formal order', () => {
  it('R4 blocked: 计价样品 without the customer\'s order number', async () => {
    expect(await submit(application('draft', { customer: 'oldCo', sampleType: 'charged' }), [oldCo])).toMatchObject({ ok: false, rule: 'R4', clause: '§5.2' })
  })
  it('R4 allowed: with the order number; over 200 PCS it warns, and goes on once confirmed', async () => {
    expect((await submit(application('draft', { customer: 'oldCo', sampleType: 'charged', orderNo: 'PO-2611-088' }), [oldCo])).ok).toBe(true)
    const many = application('draft', { customer: 'oldCo', sampleType: 'charged', orderNo: 'PO-2611-089' }, [{ productName: '色板', quantity: '300', unit: 'pcs' }])
    expect(await submit(many, [oldCo])).toMatchObject({ ok: false, reason: 'warning', rule: 'R4' })
    expect(await checkTransition(sampleApplication, many, 'submit', as(sales), lookupOf([oldCo]), today, undefined, undefined, { confirmed: true })).toMatchObject({ ok: true, warnings: [{ rule: 'R4' }] })
  })
})

const shipment = (state: string, dispatchDate: string, values: DocSnapshot['values'] = {}) =>
  snap('sampleShipment', 'yf1', state, { customer: 'oldCo', application: 'yp1', carrier: '顺丰速运', waybill: 'SF1', dispatchDate, ...values })

describe('R5 §5.4: the confirmation is due within 2 weeks of dispatch, unless engineering trialled on site', () => {
  it('R5 due: 14 days after dispatch, for the salesperson and CS', () => {
    expect(dueItemsOf(sampleShipment, shipment('shipped', '2026-11-20'))).toContainEqual(expect.objectContaining({ rule: 'R5', date: '2026-12-04', roles: ['salesperson', 'csAssistant'] }))
  })
  it('R5 not due: an on-site trial by engineering, or feedback already recorded', () => {
    expect(dueItemsOf(sampleShipment, shipment('shipped', '2026-11-20', { onSiteTrial: true })).map((d) => d.rule)).toEqual(['R6'])
    expect(dueItemsOf(sampleShipment, shipment('fedBack', '2026-11-20'))).toEqual([])
  })
})

describe('R6 §5.4: 30 days without feedback blocks the customer\'s next sample application until the explanation is filed', () => {
  it('R6 blocked: a sample dispatched 30 days ago with no feedback', async () => {
    const late = shipment('shipped', '2026-10-31')
    expect(await submit(application('draft', { customer: 'oldCo' }), [oldCo, late])).toMatchObject({ ok: false, rule: 'R6', message: { zh: expect.stringContaining('书面说明') } })
    // The explanation is only for a sample 30 days without feedback.
    expect(await checkTransition(sampleShipment, shipment('shipped', '2026-11-20'), 'explain', as(sales), lookupOf([]), today, undefined, undefined, { answers: { explanation: '客户未试料' } }))
      .toMatchObject({ ok: false, rule: 'R6' })
  })
  it('R6 allowed: 29 days, once the explanation is filed, or after feedback', async () => {
    expect((await submit(application('draft', { customer: 'oldCo' }), [oldCo, shipment('shipped', '2026-11-01')])).ok).toBe(true)
    const late = shipment('shipped', '2026-10-31')
    expect(await checkTransition(sampleShipment, late, 'explain', as(sales), lookupOf([]), today, undefined, undefined, { answers: { explanation: '客户产线停线检修，试料推迟至 12 月中旬' } }))
      .toMatchObject({ ok: true, to: 'explained' })
    expect((await submit(application('draft', { customer: 'oldCo' }), [oldCo, { ...late, state: 'explained' }])).ok).toBe(true)
    expect((await submit(application('draft', { customer: 'oldCo' }), [oldCo, { ...late, state: 'fedBack' }])).ok).toBe(true)
  })
})

const confirmation = (state: string, values: DocSnapshot['values'] = {}) => snap('sampleConfirmation', 'yq1', state, {
  customer: 'oldCo', confirmDate: '2026-11-30', physical: 'pass', processing: 'pass', appearance: 'pass', colourOk: 'pass',
  colourCard: 0, customerReport: 0, specSheets: 0, ...values,
}, { items: [{ id: 'l1', values: { productName: 'PC-FR115D' } }] })

describe('R7 §5.4: a new formula must be trialled on site', () => {
  it('R7 blocked: a new-formula sample confirmed without an on-site trial', async () => {
    expect(await checkTransition(sampleConfirmation, confirmation('draft', { newFormula: true }), 'issue', as(sales), lookupOf([]), today)).toMatchObject({ ok: false, rule: 'R7', clause: '§5.4' })
  })
  it('R7 allowed: trialled on site, or not a new formula', async () => {
    expect((await checkTransition(sampleConfirmation, confirmation('draft', { newFormula: true, onSiteTrial: true }), 'issue', as(sales), lookupOf([]), today)).ok).toBe(true)
    expect((await checkTransition(sampleConfirmation, confirmation('draft', { newFormula: false }), 'issue', as(sales), lookupOf([]), today)).ok).toBe(true)
  })
})

describe('R8 §5.5.1: no order or production without the signed colour card and confirmation', () => {
  it('R8 blocked: nothing signed; signed but no colour card; a special case not yet approved by the director', async () => {
    expect(await sampleConfirmedForOrder(lookupOf([]), 'oldCo')).toMatchObject({ ok: false, rule: 'R8' })
    expect(await sampleConfirmedForOrder(lookupOf([confirmation('signed')]), 'oldCo')).toMatchObject({ ok: false, rule: 'R8', message: { zh: expect.stringContaining('色卡') } })
    expect(await sampleConfirmedForOrder(lookupOf([confirmation('specialPending', { specialReason: '客户急单' })]), 'oldCo')).toMatchObject({ ok: false, rule: 'R8' })
    expect(await checkTransition(sampleConfirmation, confirmation('signed'), 'handOver', as(cs), lookupOf([]), today)).toMatchObject({ ok: false, rule: 'R8' })
  })
  it('R8 allowed: the signed colour card (a scan), or the customer\'s own report, or the special case approved by the director (not by the salesperson who proxy-signed)', async () => {
    expect((await sampleConfirmedForOrder(lookupOf([confirmation('signed', { colourCard: 1 })]), 'oldCo')).ok).toBe(true)
    expect((await sampleConfirmedForOrder(lookupOf([confirmation('signed', { customerReport: 1 })]), 'oldCo')).ok).toBe(true)
    expect((await sampleConfirmedForOrder(lookupOf([confirmation('specialApproved', { specialReason: '客户急单' })]), 'oldCo')).ok).toBe(true)
    const pending = confirmation('specialPending', { specialReason: '客户急单' })
    expect(await checkTransition(sampleConfirmation, pending, 'approveSpecial', as(sales), lookupOf([]), today)).toMatchObject({ ok: false, reason: 'role' })
    expect(await checkTransition(sampleConfirmation, pending, 'approveSpecial', as(director), lookupOf([]), today)).toMatchObject({ ok: true, to: 'specialApproved' })
  })
})

describe('R9 §5.5.2: QA receives the signed sample and its records before production', () => {
  it('R9 blocked: no hand-over without the 承认书/规格书, and production stays blocked until QA has received them', async () => {
    expect(await checkTransition(sampleConfirmation, confirmation('signed', { colourCard: 1 }), 'handOver', as(cs), lookupOf([]), today)).toMatchObject({ ok: false, rule: 'R9' })
    expect(await qaHasSampleRecords(lookupOf([confirmation('handedOver', { colourCard: 1, specSheets: 1 })]), 'oldCo')).toMatchObject({ ok: false, rule: 'R9' })
  })
  it('R9 allowed: CS hands them over, QA receives them, production may go ahead', async () => {
    expect(await checkTransition(sampleConfirmation, confirmation('signed', { colourCard: 1, specSheets: 1 }), 'handOver', as(cs), lookupOf([]), today)).toMatchObject({ ok: true, to: 'handedOver' })
    expect(await checkTransition(sampleConfirmation, confirmation('handedOver', { colourCard: 1, specSheets: 1 }), 'qaReceive', as(qa), lookupOf([]), today)).toMatchObject({ ok: true, to: 'qaReceived' })
    expect((await qaHasSampleRecords(lookupOf([confirmation('qaReceived', { colourCard: 1, specSheets: 1 })]), 'oldCo')).ok).toBe(true)
  })
})

describe('R25 §5.6.1: before the first order the evaluation is completed and filed by CS', () => {
  const evaluation = (state: string, values: DocSnapshot['values'] = {}) => snap('customerEvaluation', 'e1', state, {
    customer: 'newCo', evaluationDate: '2026-11-02', industry: 'lighting', scale: 'small', demandProduct: 'PC-FR115D', salesOpinion: '建议开发', decision: 'develop', ...values,
  })
  const complete = { deliveryAddress: '苏州市吴中区木渎镇金枫南路 1258 号', invoiceTitle: '苏州明辉光电科技有限公司', taxNo: '91320506MA1MXXXX3K', accountContact: '财务 沈丽 0512-6651 0930' }
  it('R25 blocked: filing an incomplete evaluation, and an order before it is filed', async () => {
    expect(await checkTransition(customerEvaluation, evaluation('develop'), 'file', as(cs), lookupOf([]), today)).toMatchObject({ ok: false, rule: 'R25', clause: '§5.6.1' })
    expect(await evaluationFiledForOrder(lookupOf([newCo, evaluation('develop', complete)]), 'newCo')).toMatchObject({ ok: false, rule: 'R25' })
  })
  it('R25 allowed: CS files the completed evaluation; then the order may follow (a traded customer needs none)', async () => {
    expect(await checkTransition(customerEvaluation, evaluation('develop', complete), 'file', as(cs), lookupOf([]), today)).toMatchObject({ ok: true, to: 'filed' })
    expect((await evaluationFiledForOrder(lookupOf([newCo, evaluation('filed', complete)]), 'newCo')).ok).toBe(true)
    expect((await evaluationFiledForOrder(lookupOf([oldCo]), 'oldCo')).ok).toBe(true)
  })
})
