/**
 * Customer credit ([A] 4–5: 建立客户信用管理) on the contract: the customer's exposure (contract.ageing.ts:
 * open receivables, shipped but unbooked, approved orders not yet shipped) against its credit limit.
 * An order that takes the customer over it is warned at submit and needs the marketing head in the
 * contract review.
 */
import type { Condition, FieldValue, FormData, GatherContext, Guard, RecordLookup } from '../schema/types'
import { creditExposureFor, type CreditExposure } from './contract.ageing'
import { formatFen } from '../../renderer/core/money'

const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** The customer's exposure as its records stand, leaving out the contract being judged (`self`). */
async function exposureOf(customerId: string, lookup: RecordLookup, today: string, self?: string): Promise<CreditExposure | undefined> {
  const others: RecordLookup = { get: (form, id) => lookup.get(form, id), findBy: async (form, field, value) => (await lookup.findBy(form, field, value)).filter((d) => d.id !== self) }
  return creditExposureFor(customerId, others, today)
}

/** The contract's 信用额度 and 已占用 as the customer's records stand (gathered: shown, never typed). */
export async function contractCredit(data: FormData, { lookup, today, self }: GatherContext): Promise<FormData> {
  const e = await exposureOf(String(data.values.customer), lookup, today, self)
  return { values: e ? { creditLimit: e.limit ?? null, creditExposure: e.exposure } : {}, lines: {} }
}

/** The order takes the customer over a limit that is set (no limit set: never over). */
export const overCreditLimit: Condition = (data) =>
  typeof data.values.creditLimit === 'number' && fen(data.values.creditExposure) + fen(data.values.totalAmount) > data.values.creditLimit

/** [A] 5 at submit: a warning with the figures, as the records stand now; the marketing head then confirms in the review. */
export const withinCreditLimit: Guard = async ({ doc, lookup, today }) => {
  const e = typeof doc.values.customer === 'string' ? await exposureOf(doc.values.customer, lookup, today, doc.id) : undefined
  if (!e || e.limit === undefined) return { ok: true }
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
