import type { DerivedData, Guard, GuardResult, RecordLookup, RefSource, Values } from '../schema/types'

/** Picking the company fills what the customer record already says (地址, 负责人, 电话, 行业, 规模, 付款方式, 业务员). */
export function fromCustomer(customer: RefSource): Values {
  const v = customer.values
  return {
    address: v.address ?? null, legalPerson: v.legalPerson ?? null, phone: v.phone ?? null,
    industry: v.industry ?? null, scale: v.scale ?? null, paymentMethod: v.paymentMethod ?? null,
    salesperson: v.salesperson ?? null,
  }
}

/** 新建评估表 from a customer: the same facts, and the customer itself as the link. */
export function evaluationFromCustomer(customer: RefSource): DerivedData {
  return { values: fromCustomer(customer) }
}

/** States of an evaluation that mean the marketing head decided 开发 (filed later by CS, R25). */
export const DEVELOP_STATES = ['develop', 'filed']

/**
 * R1, §5.1: a new customer (never traded) needs an evaluation decided 开发 by the marketing head
 * before a sample application or a quotation; 不开发 ends the flow. `what` names the document
 * (样品申请 / 报价) in the message.
 */
export async function customerDeveloped(lookup: RecordLookup, customerId: unknown, what: string): Promise<GuardResult> {
  if (typeof customerId !== 'string') {
    return { ok: false, rule: 'R1', clause: '§5.1', message: { zh: '请先选择客户', en: 'Choose the customer first' } }
  }
  const cust = await lookup.get('customer', customerId)
  if (cust?.values.traded === true) return { ok: true }
  const evaluations = await lookup.findBy('customerEvaluation', 'customer', customerId)
  if (evaluations.some((e) => DEVELOP_STATES.includes(e.state))) return { ok: true }
  const refused = evaluations.some((e) => e.state === 'notDevelop')
  return {
    ok: false, rule: 'R1', clause: '§5.1',
    message: refused
      ? { zh: `该客户的《客户资料评估表》结论为“不开发”，不能${what}`, en: 'The customer evaluation decided “do not develop”' }
      : { zh: `新客户须先填写《客户资料评估表》，由营销部负责人决定“开发”后才能${what}：请先为该客户新建评估表`, en: 'A new customer needs a customer evaluation decided “develop” by the marketing head first: create one for this customer' },
  }
}

/** The fields the salesperson completes after 开发, before the first order (R25, §5.6.1). */
export const COMPLETION_FIELDS = ['deliveryAddress', 'invoiceTitle', 'taxNo', 'accountContact'] as const

/** R25: CS files the evaluation only once the salesperson has completed the rest of it. */
export const completedBeforeFiling: Guard = ({ doc }) => {
  const missing = COMPLETION_FIELDS.filter((k) => typeof doc.values[k] !== 'string' || (doc.values[k] as string).trim() === '')
  if (missing.length === 0) return { ok: true }
  return {
    ok: false, rule: 'R25', clause: '§5.6.1',
    message: { zh: `请业务员先完善“下单前补充资料”（还缺 ${missing.length} 项）再存档`, en: `The salesperson must complete the pre-order details first (${missing.length} missing)` },
  }
}

/**
 * R25, §5.6.1: before a customer's first order the evaluation is completed and filed by CS. A
 * traded customer (老客户) has no such evaluation to file. For the order stage's guards.
 */
export async function evaluationFiledForOrder(lookup: RecordLookup, customerId: string): Promise<GuardResult> {
  const cust = await lookup.get('customer', customerId)
  if (cust?.values.traded === true) return { ok: true }
  const evaluations = await lookup.findBy('customerEvaluation', 'customer', customerId)
  if (evaluations.some((e) => e.state === 'filed')) return { ok: true }
  return {
    ok: false, rule: 'R25', clause: '§5.6.1',
    message: evaluations.some((e) => e.state === 'develop')
      ? { zh: '首单前，业务员须完善该客户的《客户资料评估表》并交客服存档', en: 'Before the first order the evaluation must be completed and filed by CS' }
      : { zh: '该客户还没有决定开发的《客户资料评估表》，不能下单', en: 'The customer has no evaluation decided “develop”: no order' },
  }
}
