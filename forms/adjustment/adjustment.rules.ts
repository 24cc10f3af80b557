import type { DerivedData, RefSource } from '../schema/types'

/** 账款调整 from a return QA confirmed: the returned goods' value is credited to the customer. */
export function adjustmentFromReturn(r: RefSource): DerivedData {
  return {
    values: {
      customer: r.values.customer ?? null, contract: r.values.contract ?? null, complaint: r.values.complaint ?? null, kind: 'return',
      amount: r.values.totalAmount ?? null, reason: r.values.reason ?? null,
    },
  }
}

/** 账款调整 from a complaint settled by a claim or replacement material (R15). */
export function adjustmentFromComplaint(c: RefSource): DerivedData {
  return {
    values: {
      customer: c.values.customer ?? null, contract: c.values.contract ?? null, kind: c.values.outcome === 'replacement' ? 'replacement' : 'claim',
      amount: c.values.claimAmount ?? null, reason: c.values.plan ?? null,
    },
  }
}

/** A complaint whose outcome is a claim or replacement material. */
export const settledByClaim = (c: RefSource) => c.values.outcome === 'claim' || c.values.outcome === 'replacement'
