import type { RefSource, Values } from '../schema/types'

/** Picking the company fills what the customer record already says (地址, 负责人, 电话, 行业, 规模, 付款方式, 业务员). */
export function fromCustomer(customer: RefSource): Values {
  const v = customer.values
  return {
    address: v.address ?? null, legalPerson: v.legalPerson ?? null, phone: v.phone ?? null,
    industry: v.industry ?? null, scale: v.scale ?? null, paymentMethod: v.paymentMethod ?? null,
    salesperson: v.salesperson ?? null,
  }
}
