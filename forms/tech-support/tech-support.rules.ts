import type { DerivedData, Guard, RefSource, Values } from '../schema/types'
import { CONFIRMED_PAYMENT } from '../contract/contract.tally'
import { firstContact } from '../customer/customer.rules'

/** Picking the customer fills its address, contact and phone. */
export function fromCustomer(c: RefSource): Values {
  const first = firstContact(c)
  return { siteAddress: c.values.address ?? null, contact: first?.name ?? null, contactPhone: first?.phone ?? c.values.phone ?? null, salesperson: c.values.salesperson ?? null }
}

/** 接续服务 under a contract: its customer and salesperson. */
export function supportFromContract(c: RefSource): DerivedData {
  return { values: { customer: c.values.customer ?? null, salesperson: c.values.salesperson ?? null, kind: 'install' } }
}

/**
 * R21, [A] 10: no follow-on service (接续派工) under a contract before its first payment has been
 * received (confirmed by finance). Pre-sale support without a contract is not held back.
 */
export const firstPaymentReceived: Guard = async ({ doc, lookup }) => {
  if (typeof doc.values.contract !== 'string' || doc.values.contract === '') return { ok: true }
  const payments = await lookup.findBy('payment', 'contract', doc.values.contract)
  if (payments.some((p) => CONFIRMED_PAYMENT.includes(p.state))) return { ok: true }
  const c = await lookup.get('contract', doc.values.contract)
  return {
    ok: false, rule: 'R21', clause: '[A] 10',
    message: { zh: `合同 ${c?.number ?? ''} 的首期款还没有到账（财务未确认收款）：不能安排接续服务。请先催收首期款`, en: 'The contract’s first payment has not been received: no follow-on service yet' },
  }
}
