/**
 * Customer credit ([A] 4–5: 建立客户信用管理): what a customer owes or has on order, against the
 * credit limit the administrator keeps on the customer. An order that takes the customer over it is
 * warned at submit and needs the marketing head in the contract review.
 */
import type { Condition, DocSnapshot, FieldValue, FormData, GatherContext, Guard } from '../schema/types'
import { CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT, sumOf } from './contract.tally'
import { LEDGER_STATES } from './contract.ledger'
import { formatFen } from '../../renderer/core/money'

const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/**
 * A customer's exposure: the opening balance, plus each live contract's amount not yet collected or
 * credited (what is delivered and unpaid, and what is still to deliver). `except` leaves one contract
 * out (the one being judged). Integer fen.
 */
export function creditExposure(customer: DocSnapshot, contracts: readonly DocSnapshot[], payments: readonly DocSnapshot[], adjustments: readonly DocSnapshot[], except?: string): number {
  let owed = fen(customer.values.openingBalance)
  for (const c of contracts) {
    if (c.id === except || !LEDGER_STATES.includes(c.state) || c.state === 'closed') continue
    const mine = (docs: readonly DocSnapshot[]) => docs.filter((d) => d.values.contract === c.id)
    owed += Math.max(0, fen(c.values.totalAmount) - sumOf(mine(payments), 'amount', CONFIRMED_PAYMENT) - sumOf(mine(adjustments), 'amount', CONFIRMED_ADJUSTMENT))
  }
  return owed
}

async function exposureOf(customerId: string, lookup: GatherContext['lookup'], self?: string) {
  const customer = await lookup.get('customer', customerId)
  if (!customer) return undefined
  const [contracts, payments, adjustments] = await Promise.all([
    lookup.findBy('contract', 'customer', customerId), lookup.findBy('payment', 'customer', customerId), lookup.findBy('adjustment', 'customer', customerId),
  ])
  const limit = typeof customer.values.creditLimit === 'number' ? customer.values.creditLimit : null
  return { limit, exposure: creditExposure(customer, contracts, payments, adjustments, self) }
}

/** The contract's 信用额度 and 已占用 as the customer's records stand (gathered: shown, never typed). */
export async function contractCredit(data: FormData, { lookup, self }: GatherContext): Promise<FormData> {
  const e = await exposureOf(String(data.values.customer), lookup, self)
  return { values: e ? { creditLimit: e.limit, creditExposure: e.exposure } : {}, lines: {} }
}

/** The order takes the customer over a limit that is set (no limit set: never over). */
export const overCreditLimit: Condition = (data) =>
  typeof data.values.creditLimit === 'number' && fen(data.values.creditExposure) + fen(data.values.totalAmount) > data.values.creditLimit

/** [A] 5 at submit: a warning with the figures, as the records stand now; the marketing head then confirms in the review. */
export const withinCreditLimit: Guard = async ({ doc, lookup }) => {
  const e = typeof doc.values.customer === 'string' ? await exposureOf(doc.values.customer, lookup, doc.id) : undefined
  if (!e || e.limit === null) return { ok: true }
  const total = e.exposure + fen(doc.values.totalAmount)
  if (total <= e.limit) return { ok: true }
  return {
    ok: true,
    warning: {
      rule: '', clause: '[A] 5',
      message: {
        zh: `客户信用额度 ¥${formatFen(e.limit)}，未收货款及未完成订单 ¥${formatFen(e.exposure)}，加上本单 ¥${formatFen(fen(doc.values.totalAmount))} 超出 ¥${formatFen(total - e.limit)}。提交后需营销部负责人确认`,
        en: `Credit limit ¥${formatFen(e.limit)}: with this order the customer would owe ¥${formatFen(total)}, ¥${formatFen(total - e.limit)} over; the marketing head must confirm`,
      },
    },
  }
}
