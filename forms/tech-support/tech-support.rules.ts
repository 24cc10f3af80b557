import type { RefSource, Values } from '../schema/types'
import { firstContact } from '../customer/customer.rules'

/** Picking the customer fills its address, contact and phone. */
export function fromCustomer(c: RefSource): Values {
  const first = firstContact(c)
  return { siteAddress: c.values.address ?? null, contact: first?.name ?? null, contactPhone: first?.phone ?? c.values.phone ?? null, salesperson: c.values.salesperson ?? null }
}
