import type { DerivedData, FieldError, FormData, Guard, RefSource } from '../schema/types'
import { formatFen } from '../../renderer/core/money'
import { CONFIRMED_PAYMENT, sumOf } from '../contract/contract.tally'

/** 收款登记 from the contract: its customer, and the contract the money is for. */
export function paymentFromContract(c: RefSource): DerivedData {
  return { values: { customer: c.values.customer ?? null, kind: 'goods' } }
}

/** 收款登记 from the statement the customer signed back (R16): its customer, the closing balance as the amount due. */
export function paymentFromStatement(s: RefSource): DerivedData {
  const due = typeof s.values.closingBalance === 'number' && s.values.closingBalance > 0 ? s.values.closingBalance : null
  return { values: { customer: s.values.customer ?? null, kind: 'goods', amount: due, collectedBy: s.values.salesperson ?? null } }
}

/** 收款登记 from the customer's page. */
export function paymentFromCustomer(_c: RefSource): DerivedData {
  return { values: { kind: 'goods' } }
}

/** §5.9: a bank acceptance (承兑汇票) is recorded with its number and due date. */
export function acceptanceHasDueDate(data: FormData): FieldError[] {
  if (data.values.method !== 'acceptance') return []
  const out: FieldError[] = []
  if (typeof data.values.billDueDate !== 'string' || data.values.billDueDate === '') {
    out.push({ field: 'billDueDate', message: { zh: '承兑汇票请填写到期日', en: 'Enter the acceptance bill’s due date' } })
  }
  if (typeof data.values.billNo !== 'string' || data.values.billNo.trim() === '') {
    out.push({ field: 'billNo', message: { zh: '承兑汇票请填写票号', en: 'Enter the bill number' } })
  }
  return out
}

/**
 * An over-payment is kept, not refused: what exceeds the contract's unpaid amount becomes the
 * customer's credit (预收款余额), which the statement of account carries. The clerk confirms it.
 */
export const overpaymentNoted: Guard = async ({ doc, lookup }) => {
  if (typeof doc.values.contract !== 'string') return { ok: true }
  const contract = await lookup.get('contract', doc.values.contract)
  if (!contract) return { ok: true }
  const paid = sumOf((await lookup.findBy('payment', 'contract', contract.id)).filter((p) => p.id !== doc.id), 'amount', CONFIRMED_PAYMENT)
  const amount = typeof contract.values.totalAmount === 'number' ? contract.values.totalAmount : 0
  const thisOne = typeof doc.values.amount === 'number' ? doc.values.amount : 0
  const over = paid + thisOne - amount
  if (over <= 0) return { ok: true }
  return {
    ok: true,
    warning: {
      rule: '', clause: '§5.9',
      message: { zh: `这笔收款比合同 ${contract.number} 未收金额多 ¥${formatFen(over)}，多出部分记为客户的预收款余额`, en: `¥${formatFen(over)} more than the contract’s unpaid amount: kept as the customer’s credit` },
    },
  }
}
