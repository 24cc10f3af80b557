import type { DeadlineDef, DerivedData, RefSource } from '../schema/types'

/** 客诉 from the delivery complained about: its customer, contract and the goods' names. */
export function complaintFromDelivery(d: RefSource): DerivedData {
  const goods = (d.lines.items ?? []).map((r) => [r.productName, r.spec, r.batchNo ? `批号 ${String(r.batchNo)}` : ''].filter(Boolean).join(' ')).join('；')
  return { values: { customer: d.values.customer ?? null, contract: d.values.contract ?? null, salesperson: d.values.salesperson ?? null, products: goods || null } }
}

/** 客诉 from the customer's page. */
export function complaintFromCustomer(c: RefSource): DerivedData {
  return { values: { salesperson: c.values.salesperson ?? null } }
}

/** §5.8: a complaint is reported to QA at once: one still being recorded is due the day it came in. */
export const reportAtOnce: DeadlineDef = {
  id: 'complaintReport', states: ['draft'],
  due: (doc) => (typeof doc.values.complaintDate === 'string'
    ? { date: doc.values.complaintDate, rule: '', clause: '§5.8', roles: ['csAssistant', 'salesperson'], message: { zh: '客诉须立即报品质部', en: 'Report the complaint to QA at once' } }
    : null),
}
