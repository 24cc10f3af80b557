import type { DeadlineDef, DerivedData, Guard, GuardContext, RefSource } from '../schema/types'
import { qaHasSampleRecords } from '../sample-confirmation/sample-confirmation.rules'
import { orderSampleConfirmed } from '../contract/contract.rules'

/** 生产通知单 from the contract (§5.7.1, [A] 6): customer, order number, required date, terms for the shop floor, lines. */
export function noticeFromContract(c: RefSource): DerivedData {
  return {
    values: {
      customer: c.values.customer ?? null, salesperson: c.values.salesperson ?? null, customerOrderNo: c.values.customerOrderNo ?? null,
      requiredDate: c.values.deliveryDate ?? null, packaging: c.values.packaging ?? null, qualityRequirement: c.values.qualityRequirement ?? null,
      envRequirement: c.values.envAgreement === true ? c.values.envRequirement ?? null : null,
    },
    lines: { items: (c.lines.items ?? []).map((r) => ({ productName: r.productName, spec: r.spec, quantity: r.quantity, unit: r.unit })) },
  }
}

/** The contract a notice (or any order document) names, as guards see it. */
async function contractOf({ doc, lookup }: GuardContext) {
  return typeof doc.values.contract === 'string' ? lookup.get('contract', doc.values.contract) : undefined
}

/** R8, §5.5.1: no production scheduled without the signed colour card and confirmation (as for the order). */
export const sampleConfirmedForProduction: Guard = async (ctx) => {
  const c = await contractOf(ctx)
  return orderSampleConfirmed(ctx.lookup, c ?? ctx.doc)
}

/**
 * R9, §5.5.2: until QA holds the signed sample and its 承认书/规格书, a new customer's product is not
 * produced. A trading customer's repeat order and a charged sample's own order do not wait on it.
 */
export const qaHoldsSampleRecords: Guard = async (ctx) => {
  const c = await contractOf(ctx)
  const customer = ctx.doc.values.customer
  if (typeof customer !== 'string') return { ok: true }
  if (typeof c?.values.sampleApplication === 'string' && c.values.sampleApplication !== '') return { ok: true }
  if ((await ctx.lookup.get('customer', customer))?.values.traded === true) return { ok: true }
  return qaHasSampleRecords(ctx.lookup, customer)
}

/**
 * R14, §5.7.2: a promised date is moved only to a date already reported to the customer and the
 * salesperson with its reason (a 交期延误通知 sent for this notice with that new date).
 */
export const delayReported: Guard = async ({ doc, lookup }) => {
  const notices = await lookup.findBy('deliveryDelay', 'productionNotice', doc.id)
  if (notices.some((n) => ['notified', 'acknowledged'].includes(n.state) && n.values.newDate === doc.values.promisedDate)) return { ok: true }
  return {
    ok: false, rule: 'R14', clause: '§5.7.2',
    message: {
      zh: `新交期 ${String(doc.values.promisedDate ?? '')} 还没有通知客户：改期前须先发出《交期延误通知》，向客户和业务员说明原因和这个新交期`,
      en: 'Report the delay and the new date to the customer and the salesperson first',
    },
  }
}

/**
 * R14: the promised date shows in the inbox from a week before (deliveries due this week) and as
 * late once passed, for CS and the salesperson, until the goods are produced.
 */
export const promisedDateDue: DeadlineDef = {
  id: 'R14', states: ['scheduled', 'replied'], notice: 7,
  due: (doc) => (typeof doc.values.promisedDate === 'string'
    ? {
      date: doc.values.promisedDate, rule: 'R14', clause: '§5.7.2', roles: ['csAssistant', 'salesperson', 'pmc'],
      message: { zh: '承诺交期：不能按期交货时，须及时向客户和业务员发出交期延误通知并说明原因', en: 'Promised delivery date: report a delay to the customer and salesperson with its reason' },
    }
    : null),
}
