/**
 * 开票申请 ([A] 11, [F], R19): an invoice only once at least 60 % of the contract amount is
 * collected ([A]'s gate, the default), or, where the administrator chose [F]'s practice, 现结
 * customers with the delivery and credit customers when the goods fall due. Never more than the
 * contract leaves uninvoiced. The figures come from the records (gathered), never typed.
 */
import type { DerivedData, FieldValue, FormData, GatherContext, Guard, RefSource, Values } from '../schema/types'
import type { BusinessPolicy } from '../schema/policy'
import { CONFIRMED_PAYMENT, SHIPPED_STATES, sumOf } from '../contract/contract.tally'
import { LEDGER_STATES } from '../contract/contract.ledger'
import { addDays } from '../../renderer/core/validation'
import { formatFen } from '../../renderer/core/money'

/** Requests that count as invoiced or about to be (not drafts, refused or void ones). */
export const INVOICED_STATES = ['review', 'approved', 'issued']

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '')
const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

export interface InvoiceFigures {
  contractAmount: number
  collected: number
  shipped: number
  /** Shipped goods whose credit term has run out by `today`. */
  due: number
  /** Earlier requests of the contract in INVOICED_STATES (not this one). */
  invoicedBefore: number
}

/** What the gate reads about a contract, from its records. */
export async function invoiceFigures(contractId: string, lookup: GatherContext['lookup'], today: string, self?: string): Promise<InvoiceFigures | undefined> {
  const c = await lookup.get('contract', contractId)
  if (!c) return undefined
  const [payments, deliveries, requests] = await Promise.all([
    lookup.findBy('payment', 'contract', contractId), lookup.findBy('delivery', 'contract', contractId), lookup.findBy('invoiceRequest', 'contract', contractId),
  ])
  const days = typeof c.values.creditDays === 'number' ? c.values.creditDays : 0
  const shippedDocs = deliveries.filter((d) => SHIPPED_STATES.includes(d.state))
  return {
    contractAmount: fen(c.values.totalAmount),
    collected: sumOf(payments, 'amount', CONFIRMED_PAYMENT),
    shipped: sumOf(shippedDocs, 'totalAmount', SHIPPED_STATES),
    due: shippedDocs.filter((d) => str(d.values.shipDate) !== '' && addDays(str(d.values.shipDate), days) <= today).reduce((n, d) => n + fen(d.values.totalAmount), 0),
    invoicedBefore: sumOf(requests.filter((r) => r.id !== self), 'amount', INVOICED_STATES),
  }
}

/** The percentage collected, one decimal, for the screen and the message (50.0). */
export function collectedPercent(f: Pick<InvoiceFigures, 'collected' | 'contractAmount'>): number {
  return f.contractAmount > 0 ? Math.floor((f.collected * 1000) / f.contractAmount) / 10 : 0
}

type Refusal = { zh: string; en: string }

/**
 * The gate itself, pure: undefined when `amount` may be invoiced under `policy`, else why not.
 * [A] 11: collected ≥ minPercent % of the contract (compared in integers: collected × 100 ≥ % × amount).
 * [F]: 现结 / 款到发货 customers up to what has shipped; credit customers up to what has fallen due.
 */
export function invoiceRefusal(f: InvoiceFigures, amount: number, paymentMethod: string, policy: BusinessPolicy, number: string): Refusal | undefined {
  const left = f.contractAmount - f.invoicedBefore
  if (amount > left) {
    return { zh: `开票金额 ¥${formatFen(amount)} 超过合同 ${number} 尚未开票的 ¥${formatFen(Math.max(0, left))}，请核对金额`, en: `¥${formatFen(amount)} is more than the ¥${formatFen(Math.max(0, left))} of contract ${number} not yet invoiced` }
  }
  if (policy.invoiceGate === 'collected') {
    if (f.collected * 100 >= policy.invoiceMinPercent * f.contractAmount) return undefined
    const pct = collectedPercent(f)
    return {
      zh: `合同 ${number} 已收款 ¥${formatFen(f.collected)}，占合同金额 ${pct.toFixed(1)}%，未达 ${policy.invoiceMinPercent}%，暂不能开票。请待回款达到后再申请`,
      en: `Contract ${number} has ${pct.toFixed(1)}% collected (¥${formatFen(f.collected)}), under ${policy.invoiceMinPercent}%: no invoice yet`,
    }
  }
  const cash = paymentMethod === 'cash' || paymentMethod === 'prepay'
  const limit = cash ? f.shipped : f.due
  if (f.invoicedBefore + amount <= limit) return undefined
  return cash
    ? { zh: `现结客户随货开票：合同 ${number} 已发货 ¥${formatFen(f.shipped)}，已开票 ¥${formatFen(f.invoicedBefore)}，这次最多可开 ¥${formatFen(Math.max(0, limit - f.invoicedBefore))}`, en: `Cash customers are invoiced with the goods: at most ¥${formatFen(Math.max(0, limit - f.invoicedBefore))} now` }
    : { zh: `账期客户到期开票：合同 ${number} 已到期的货款 ¥${formatFen(f.due)}，已开票 ¥${formatFen(f.invoicedBefore)}，这次最多可开 ¥${formatFen(Math.max(0, limit - f.invoicedBefore))}`, en: `Credit customers are invoiced when due: at most ¥${formatFen(Math.max(0, limit - f.invoicedBefore))} now` }
}

/** R19 at submit and at the finance VP's approval, as the records stand then. */
export const invoiceGate: Guard = async ({ doc, lookup, today, policy }) => {
  const contractId = str(doc.values.contract)
  const c = contractId ? await lookup.get('contract', contractId) : undefined
  const f = c && (await invoiceFigures(contractId, lookup, today, doc.id))
  if (!c || !f) return { ok: false, rule: 'R19', clause: '[A] 11', message: { zh: '请先选择要开票的销售合同', en: 'Choose the contract to invoice' } }
  if (!LEDGER_STATES.includes(c.state)) {
    return { ok: false, rule: 'R19', clause: '[A] 11', message: { zh: `合同 ${c.number} 还没有审批通过，不能开票`, en: `Contract ${c.number} is not approved yet` } }
  }
  const refusal = invoiceRefusal(f, fen(doc.values.amount), str(c.values.paymentMethod), policy, c.number)
  return refusal ? { ok: false, rule: 'R19', clause: policy.invoiceGate === 'collected' ? '[A] 11' : '[F]', message: refusal } : { ok: true }
}

/** The request's figures as the screen shows them (the gate recomputes them itself). */
export async function invoiceContext(data: FormData, { lookup, today, self }: GatherContext): Promise<FormData> {
  const f = await invoiceFigures(str(data.values.contract), lookup, today, self)
  if (!f) return { values: {}, lines: {} }
  return { values: { contractAmount: f.contractAmount, collectedAmount: f.collected, collectedPercent: collectedPercent(f), shippedAmount: f.shipped, invoicedBefore: f.invoicedBefore }, lines: {} }
}

/** 开票申请 from the contract: its customer, the buyer's invoicing details, the salesperson. */
export function invoiceFromContract(c: RefSource): DerivedData {
  return { values: { customer: c.values.customer ?? null, salesperson: c.values.salesperson ?? null } }
}

/** The customer's invoicing details (开票信息) into the request. */
export function invoiceBuyer(customer: RefSource): Values {
  return {
    buyerName: customer.values.fullName ?? null, taxNo: customer.values.taxNo ?? null,
    buyerAddress: [str(customer.values.address), str(customer.values.phone)].filter(Boolean).join(' ') || null,
    bank: customer.values.bank ?? null, bankAccount: customer.values.bankAccount ?? null,
  }
}
