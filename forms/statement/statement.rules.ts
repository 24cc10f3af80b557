/**
 * 对账单 (§5.9, R16): a customer's account for a period, taken from the records (never typed):
 * the opening balance, each delivery finance booked on the signed receipt (R22), each confirmed
 * return / claim / replacement adjustment (R15), each confirmed payment, and the closing balance.
 * Collections go through a statement the customer confirmed: finance confirms a payment for goods
 * only once the customer has signed back a statement covering what was booked (R16).
 */
import type { DerivedData, DocSnapshot, DueItem, FieldValue, FormData, GatherContext, Guard, RefSource, Values } from '../schema/types'
import { BOOKED_STATES, CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT } from '../contract/contract.tally'

/** States of a statement the customer has signed back. */
export const CUSTOMER_CONFIRMED = ['confirmed']

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '')
const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** One movement on a customer's account. */
export interface AccountEntry {
  date: string
  kind: 'delivery' | 'return' | 'claim' | 'replacement' | 'payment'
  number: string
  summary: string
  /** 应收增加 (fen). */
  debit: number
  /** 应收减少 (fen). */
  credit: number
}

export interface AccountRecords {
  deliveries: readonly DocSnapshot[]
  adjustments: readonly DocSnapshot[]
  payments: readonly DocSnapshot[]
  /** Contract numbers by id, for the entries' summaries. */
  contractNumbers?: ReadonlyMap<string, string>
}

const METHOD: Record<string, string> = { wire: '电汇', acceptance: '承兑汇票', cash: '现金', cheque: '支票' }

/** Every counted movement of the account, oldest first (same day: deliveries before what reduces them). */
export function accountEntries(r: AccountRecords): AccountEntry[] {
  const contract = (d: DocSnapshot) => r.contractNumbers?.get(str(d.values.contract)) ?? ''
  const out: AccountEntry[] = []
  for (const d of r.deliveries) {
    if (!BOOKED_STATES.includes(d.state)) continue
    const goods = (d.lines.items ?? []).map((l) => str(l.values.productName)).filter(Boolean)
    out.push({ date: str(d.values.shipDate), kind: 'delivery', number: d.number, summary: ['发货', contract(d), [...new Set(goods)].join('、')].filter(Boolean).join(' '), debit: fen(d.values.totalAmount), credit: 0 })
  }
  for (const a of r.adjustments) {
    if (!CONFIRMED_ADJUSTMENT.includes(a.state)) continue
    const kind = (['return', 'claim', 'replacement'] as const).find((k) => k === a.values.kind) ?? 'claim'
    const word = { return: '退货冲减', claim: '索赔扣款', replacement: '补料 / 换货' }[kind]
    out.push({ date: str(a.values.adjustDate), kind, number: a.number, summary: [word, contract(a)].filter(Boolean).join(' '), debit: 0, credit: fen(a.values.amount) })
  }
  for (const p of r.payments) {
    if (!CONFIRMED_PAYMENT.includes(p.state)) continue
    const how = METHOD[str(p.values.method)] ?? ''
    out.push({ date: str(p.values.receivedDate), kind: 'payment', number: p.number, summary: ['收款', how, contract(p)].filter(Boolean).join(' '), debit: 0, credit: fen(p.values.amount) })
  }
  const order = { delivery: 0, return: 1, claim: 1, replacement: 1, payment: 2 }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : order[a.kind] - order[b.kind] || (a.number < b.number ? -1 : 1)))
}

export interface StatementFigures {
  opening: number
  entries: Array<AccountEntry & { balance: number }>
  delivered: number
  adjusted: number
  collected: number
  closing: number
}

/**
 * A period's statement: the customer's opening balance (as of its date) plus everything before
 * `from`, then each entry of [from, to] with the running balance. All in integer fen.
 */
export function statementFigures(customer: Values, all: readonly AccountEntry[], from: string, to: string): StatementFigures {
  const openingDate = str(customer.openingDate)
  // Entries before the opening balance's date are already in it.
  const counted = all.filter((e) => !openingDate || e.date >= openingDate)
  let balance = fen(customer.openingBalance)
  for (const e of counted) if (e.date < from) balance += e.debit - e.credit
  const opening = balance
  const entries: StatementFigures['entries'] = []
  let delivered = 0, adjusted = 0, collected = 0
  for (const e of counted) {
    if (e.date < from || e.date > to) continue
    balance += e.debit - e.credit
    entries.push({ ...e, balance })
    if (e.kind === 'delivery') delivered += e.debit
    else if (e.kind === 'payment') collected += e.credit
    else adjusted += e.credit
  }
  return { opening, entries, delivered, adjusted, collected, closing: balance }
}

/** The records of one customer's account, through the lookup. */
export async function accountOf(customerId: string, lookup: GatherContext['lookup']): Promise<AccountRecords> {
  const [deliveries, adjustments, payments] = await Promise.all([
    lookup.findBy('delivery', 'customer', customerId), lookup.findBy('adjustment', 'customer', customerId), lookup.findBy('payment', 'customer', customerId),
  ])
  const contractIds = new Set([...deliveries, ...adjustments, ...payments].map((d) => str(d.values.contract)).filter(Boolean))
  const contractNumbers = new Map<string, string>()
  for (const id of contractIds) {
    const c = await lookup.get('contract', id)
    if (c) contractNumbers.set(id, c.number)
  }
  return { deliveries, adjustments, payments, contractNumbers }
}

/** The statement's gathered part: its entries and totals for the customer and period it names. */
export async function statementEntries(data: FormData, { lookup }: GatherContext): Promise<FormData> {
  const customerId = str(data.values.customer)
  const customer = await lookup.get('customer', customerId)
  if (!customer) return { values: {}, lines: {} }
  const f = statementFigures(customer.values, accountEntries(await accountOf(customerId, lookup)), str(data.values.periodFrom), str(data.values.periodTo))
  return {
    values: { openingBalance: f.opening, deliveredTotal: f.delivered, adjustedTotal: f.adjusted, collectedTotal: f.collected, closingBalance: f.closing },
    lines: { entries: f.entries.map((e, i) => ({ id: String(i), values: { date: e.date, kind: e.kind, docNumber: e.number, summary: e.summary, debit: e.debit || null, credit: e.credit || null, balance: e.balance } })) },
  }
}

/** A period must run forwards. */
export function periodRunsForward(data: FormData): Array<{ field: string; message: { zh: string; en: string } }> {
  const from = str(data.values.periodFrom), to = str(data.values.periodTo)
  return from && to && from > to ? [{ field: 'periodTo', message: { zh: '截止日期不能早于起始日期', en: 'The period ends before it starts' } }] : []
}

/** 对账单 from the customer's page: the month before today, and the salesperson. */
export function statementFromCustomer(c: RefSource): DerivedData {
  return { values: { salesperson: c.values.salesperson ?? null } }
}

/** A statement covers a date when the customer confirmed one running to that date or later (the opening balance carries the rest). */
export function coveredUntil(statements: readonly DocSnapshot[]): string {
  return statements.filter((s) => CUSTOMER_CONFIRMED.includes(s.state)).reduce((max, s) => (str(s.values.periodTo) > max ? str(s.values.periodTo) : max), '')
}

/**
 * R16 (§5.9): finance confirms a payment for goods only once the customer has confirmed a statement
 * covering every delivery booked so far for it (the contract's, or the customer's without a contract).
 * A prepayment, or money received before anything was booked (款到发货), needs none.
 */
export const statementConfirmed: Guard = async ({ doc, lookup }) => {
  if (doc.values.kind !== 'goods') return { ok: true }
  const customer = str(doc.values.customer)
  if (!customer) return { ok: true }
  const contract = str(doc.values.contract)
  const booked = (await lookup.findBy('delivery', 'customer', customer))
    .filter((d) => BOOKED_STATES.includes(d.state) && (!contract || str(d.values.contract) === contract))
  if (booked.length === 0) return { ok: true }
  const until = coveredUntil(await lookup.findBy('statement', 'customer', customer))
  const open = booked.filter((d) => str(d.values.shipDate) > until).sort((a, b) => (str(a.values.shipDate) < str(b.values.shipDate) ? -1 : 1))
  if (open.length === 0) return { ok: true }
  const numbers = open.slice(0, 3).map((d) => d.number).join('、') + (open.length > 3 ? ` 等 ${open.length} 张` : '')
  return {
    ok: false, rule: 'R16', clause: '§5.9',
    message: {
      zh: `客户还没有签回包含发货单 ${numbers} 的对账单。请先生成对账单、打印请客户确认签回，再确认这笔货款`,
      en: `The customer has not confirmed a statement covering delivery ${numbers}: issue a statement and have it signed back before confirming this payment`,
    },
  }
}

/** An issued statement is chased until the customer signs it back: due on its 回签 date (R16). */
export function statementReplyDue(doc: DocSnapshot): DueItem | null {
  const by = str(doc.values.replyBy)
  if (!by) return null
  return {
    date: by, rule: 'R16', clause: '§5.9', roles: ['finance', 'salesperson', 'csAssistant'],
    message: { zh: '对账单待客户签回：请跟进客户确认，签回后再收款', en: 'Statement awaiting the customer’s signature: follow up before collecting' },
  }
}
