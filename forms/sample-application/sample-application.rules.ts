import type { Condition, DerivedData, FieldValue, FormData, Guard, RefSource, Values } from '../schema/types'
import { customerDeveloped } from '../customer-evaluation/customer-evaluation.rules'
import { addDays } from '../../renderer/core/validation'
import { firstContact } from '../customer/customer.rules'
import { milli as thousandths } from '../../renderer/core/quantity'

/** 样品总重（kg）: the kg and 吨 lines added exactly ("12.5" kg + "0.01" 吨 = "22.500"); PCS lines do not weigh. */
export function totalKg(data: FormData): FieldValue {
  let grams = 0n
  for (const row of data.lines.items ?? []) {
    const q = thousandths(row.values.quantity)
    if (q === null) continue
    if (row.values.unit === 'kg') grams += q
    else if (row.values.unit === 't') grams += q * 1000n
  }
  const s = grams.toString().padStart(4, '0')
  return `${s.slice(0, -3)}.${s.slice(-3)}`
}

/**
 * R3, §5.2: a free sample of 10 kg or more ("10公斤以上": 以上 includes 10) needs the marketing
 * manager or above as well.
 */
export const freeTenKgOrMore: Condition = (data) => {
  if (data.values.sampleType !== 'free') return false
  const kg = thousandths(typeof data.values.totalKg === 'string' ? data.values.totalKg : String(totalKg(data) ?? ''))
  return kg !== null && kg >= 10_000n
}

/** Any sample line is of a product with a new formula (全新配方): R7 then needs an on-site trial. */
export function hasNewFormula(data: FormData): FieldValue {
  return (data.lines.items ?? []).some((r) => r.values.newFormula === true)
}

/** R1, §5.1: a new customer needs an evaluation decided 开发 before any sample application. */
export const customerMayBeSampled: Guard = ({ doc, lookup }) => customerDeveloped(lookup, doc.values.customer, '申请样品')

/**
 * R4, §5.2: a charged sample (计价样品, normally ≤ 200 PCS) needs the customer's formal order and
 * then follows the order flow: its number is required here (the order stage links it).
 */
export const chargedSampleHasOrder: Guard = ({ doc }) => {
  if (doc.values.sampleType !== 'charged') return { ok: true }
  if (typeof doc.values.orderNo === 'string' && doc.values.orderNo.trim() !== '') {
    const pcs = (doc.lines.items ?? []).filter((r) => r.values.unit === 'pcs').reduce((n, r) => n + Number(thousandths(r.values.quantity) ?? 0n) / 1000, 0)
    return pcs > 200
      ? { ok: true, warning: { rule: 'R4', clause: '§5.2', message: { zh: `计价样品一般不超过 200 PCS，本单 ${pcs} PCS`, en: `A charged sample is normally at most 200 PCS; this one is ${pcs}` } } }
      : { ok: true }
  }
  return {
    ok: false, rule: 'R4', clause: '§5.2',
    message: { zh: '计价样品须客户下正式订单后按订单流程处理：请填写客户订单号', en: 'A charged sample needs the customer’s formal order: enter its number' },
  }
}

/**
 * R6, §5.4: 30 days after a sample was dispatched to this customer with no feedback of any kind,
 * the salesperson must file a written explanation before the next sample application.
 */
export const noSampleWithoutFeedback: Guard = async ({ doc, lookup, today }) => {
  if (typeof doc.values.customer !== 'string') return { ok: true }
  const shipments = await lookup.findBy('sampleShipment', 'customer', doc.values.customer)
  const late = shipments.find((s) => s.state === 'shipped' && typeof s.values.dispatchDate === 'string' && addDays(s.values.dispatchDate, 30) <= today)
  if (!late) return { ok: true }
  return {
    ok: false, rule: 'R6', clause: '§5.4',
    message: {
      zh: `该客户的样品 ${late.number} 于 ${String(late.values.dispatchDate)} 发出，30 天仍无检验结果反馈：请业务员先在该发运单上提交书面说明，再申请新样品`,
      en: `Sample ${late.number} was dispatched on ${String(late.values.dispatchDate)} with no feedback for 30 days: file the written explanation on it first`,
    },
  }
}

/** Picking the customer fills 联系人 and 业务员 from its record. */
export function fromCustomer(customer: RefSource): Values {
  const first = firstContact(customer)
  return { contact: first?.name ?? null, salesperson: customer.values.salesperson ?? null }
}

/** 新建样品申请 from a decided evaluation: its customer and the needs already written there. */
export function fromEvaluation(e: RefSource): DerivedData {
  const v = e.values
  return {
    values: {
      customer: v.customer ?? null, salesperson: v.salesperson ?? null, flameRetardant: v.flameRetardant ?? null,
      environmental: v.environmental ?? null, targetPrice: v.targetPrice ?? null,
    },
    lines: typeof v.demandProduct === 'string' && v.demandProduct ? { items: [{ productName: v.demandProduct, unit: 'kg' }] } : {},
  }
}

/** 新建样品申请单 from the customer's page: what picking the customer would fill. */
export function applicationFromCustomer(customer: RefSource): DerivedData {
  return { values: fromCustomer(customer) }
}
