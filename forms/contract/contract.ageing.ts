/**
 * 应收账款账龄 and its escalation (R23, [A] 5: 销售、财务部门每月进行货款回收分析 … 逾期货款采取计息、
 * 抵扣提成直至经济诉讼). A report over the documents, not a form: pure functions over snapshots, with
 * the states the 合同台帐 counts (contract.tally.ts). Integer fen throughout.
 *
 * What is a receivable item, and when is it due:
 * - each delivery finance booked (BOOKED_STATES, R22), for its 发货金额, due on its 发货日期 plus the
 *   contract's 信用期 (the customer's when the contract has none; 0 for 现结 and 款到发货);
 * - a customer's 期初应收余额, due on its 期初日期 (money owed before the system was kept).
 * Settling (FIFO): the contract's confirmed payments and confirmed adjustments pay its items, the one
 * due first first; what a contract's money leaves over (paid ahead) and the customer's payments not
 * tied to a contract then pay the customer's items still open, the opening balance and the oldest due
 * first. Only what happened on or before the as-of date counts (ship, receive and adjust dates).
 * Buckets by days past due: 0 or less is 未到期 (due today is not late yet), then 1–30, 31–60, 61–90
 * and more than 90 (the "0–30 / 31–60 / 61–90 / 90+", each range inclusive of its upper day).
 */
import type { DocSnapshot, FieldValue, RecordLookup } from '../schema/types'
import type { BusinessPolicy, OverdueStep } from '../schema/policy'
import { BOOKED_STATES, CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT, SHIPPED_STATES } from './contract.tally'
import { LEDGER_STATES } from './contract.ledger'

export const BUCKETS = ['current', 'd30', 'd60', 'd90', 'over90'] as const
export type Bucket = typeof BUCKETS[number]

/** One receivable: a booked delivery or a customer's opening balance, with what is still open on it. */
export interface ReceivableItem {
  kind: 'delivery' | 'opening'
  /** The delivery's id, or the customer's for an opening balance. */
  id: string
  number: string
  customer: string
  /** The contract ('' for an opening balance). */
  contract: string
  salesperson: string
  /** 发货日期 or 期初日期. */
  date: string
  due: string
  /** Its amount (fen). */
  amount: number
  /** Still open after settling (fen). */
  open: number
  /** Days past due on the as-of date (0 or less: not yet due). */
  days: number
  bucket: Bucket
}

/**
 * A record as the receivables read it: a document's snapshot, or a row of the lists' digest (the same
 * id, number, state and values), so the start page and 账龄分析 settle the digest's rows as they are.
 */
export type AgeingDoc = Pick<DocSnapshot, 'id' | 'number' | 'state' | 'values'>

export interface AgeingInput {
  customers: readonly AgeingDoc[]
  contracts: readonly AgeingDoc[]
  deliveries: readonly AgeingDoc[]
  payments: readonly AgeingDoc[]
  adjustments: readonly AgeingDoc[]
}

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '')
const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0)
const whole = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined)

/** The number in `s` from `from` to `to` if every character there is a digit, else -1 (no slicing, no allocation). */
function digits(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/**
 * Days since 1970 of an ISO date (NaN for anything else): `Date.UTC` of its year, month and day
 * (a day past the month's end rolls over, as there). Plain "YYYY-MM-DD" is counted in integers
 * (the civil calendar's day number, H. Hinnant's `days_from_civil`); anything else goes through
 * `Date.UTC` (years below 100, which it reads as 19xx; signs or spaces `Number` accepts).
 */
export function dayOf(iso: string): number {
  if (iso.length < 10) return NaN
  let y = digits(iso, 0, 4)
  const m = digits(iso, 5, 7), d = digits(iso, 8, 10)
  if (y < 100 || m < 1 || m > 12 || d < 0) return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000
  if (m <= 2) y--
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468
}

/** The ISO dates of day numbers 2000-01-01 … 2099-12-31, made once each (a due date is one of a few hundred days). */
const ISO_FROM = 10_957
const ISO_DAYS: Array<string | undefined> = new Array(36_525)
/** The ISO date ("YYYY-MM-DD") of a day number. */
export function isoOf(day: number): string {
  const i = day - ISO_FROM
  if (i >= 0 && i < ISO_DAYS.length && Number.isInteger(i)) return ISO_DAYS[i] ??= new Date(day * 86_400_000).toISOString().slice(0, 10)
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}

/** The bucket of a number of days past due. */
export function bucketOf(days: number): Bucket {
  return days <= 0 ? 'current' : days <= 30 ? 'd30' : days <= 60 ? 'd60' : days <= 90 ? 'd90' : 'over90'
}

/** The credit term a delivery of this contract gets: none for 现结 / 款到发货, else the contract's, else the customer's. */
export function creditDaysOf(contract: Pick<AgeingDoc, 'values'> | undefined, customer: Pick<AgeingDoc, 'values'> | undefined): number {
  const method = str(contract?.values.paymentMethod) || str(customer?.values.paymentMethod)
  if (method === 'cash' || method === 'prepay') return 0
  return whole(contract?.values.creditDays) ?? whole(customer?.values.creditDays) ?? 0
}

/**
 * Adds the money of `docs` in `states` dated on or before `asOf` (day number): on its contract into
 * `byContract`, tied to none into its customer's `loose`. Only sums are kept (the settling reads no more).
 */
function addMoney(docs: readonly AgeingDoc[], states: readonly string[], date: string, asOf: number, byContract: Map<string, number>, loose: Map<string, number>): void {
  for (const d of docs) {
    if (!states.includes(d.state)) continue
    const v = d.values
    if (!(dayOf(str(v[date])) <= asOf)) continue
    const k = str(v.contract)
    if (k) byContract.set(k, (byContract.get(k) ?? 0) + fen(v.amount))
    else { const c = str(v.customer); loose.set(c, (loose.get(c) ?? 0) + fen(v.amount)) }
  }
}

const byDue = (a: ReceivableItem, b: ReceivableItem) => (a.due === b.due ? (a.date === b.date ? (a.number < b.number ? -1 : a.number > b.number ? 1 : 0) : a.date < b.date ? -1 : 1) : a.due < b.due ? -1 : 1)

/** Pays `money` into the items' open amounts, the first due first; returns what is left over. */
function settle(items: readonly ReceivableItem[], money: number): number {
  for (const it of items) {
    if (money <= 0) break
    const take = Math.min(it.open, money)
    it.open -= take
    money -= take
  }
  return money
}

/**
 * Every receivable item on `asOf` (ISO date) with what is still open, settled FIFO as the module
 * comment says; items fully paid are kept (open 0) so a figure's deliveries can be listed. Opening
 * balances first (in the customers' order), then each contract's deliveries, the first due first.
 */
export function receivables(input: AgeingInput, asOf: string): ReceivableItem[] {
  const { openings, contracts } = receivablesByContract(input, asOf)
  const all = openings.slice()
  for (const items of contracts.values()) for (const i of items) all.push(i)
  return all
}

/** `receivables`' items as it orders them: the opening balances, and each contract's items under its id. */
export interface SettledItems { openings: ReceivableItem[]; contracts: Map<string, ReceivableItem[]> }

/** The deliveries of one contract being settled, with what they share (its customer's term and salesperson, looked up once). */
interface ContractItems { contract: AgeingDoc | undefined; customer: string; salesperson: string; items: ReceivableItem[]; termOf: string | undefined; days: number; customerSalesperson: string }

/**
 * `receivables` grouped: the same items, in the same order, the opening balances apart and each
 * contract's under its id (the start page hands them to the parts it keeps, settled.ts). Equal to the
 * fen to the settling as first written (fixtures/ageing-reference.ts, property-tested); this one sums
 * the money instead of grouping documents, counts days in integers and looks a contract's customer
 * up once per customer, not per delivery: the start page settles 100,000 documents with it.
 */
export function receivablesByContract(input: AgeingInput, asOf: string): SettledItems {
  const today = dayOf(asOf)
  const customers = new Map<string, AgeingDoc>()
  for (const c of input.customers) customers.set(c.id, c)
  const contracts = new Map<string, AgeingDoc>()
  for (const c of input.contracts) contracts.set(c.id, c)
  // The confirmed money on each contract, and a customer's tied to no contract (a prepayment, a
  // payment of the opening balance).
  const contractMoney = new Map<string, number>()
  const loose = new Map<string, number>()
  addMoney(input.payments, CONFIRMED_PAYMENT, 'receivedDate', today, contractMoney, loose)
  addMoney(input.adjustments, CONFIRMED_ADJUSTMENT, 'adjustDate', today, contractMoney, loose)

  const byContract = new Map<string, ContractItems>()
  for (const d of input.deliveries) {
    if (!BOOKED_STATES.includes(d.state)) continue
    const v = d.values
    const date = str(v.shipDate)
    const shipped = dayOf(date)
    if (!(shipped <= today)) continue
    const contractId = str(v.contract)
    let g = byContract.get(contractId)
    if (!g) {
      const contract = contracts.get(contractId)
      g = { contract, customer: str(contract?.values.customer), salesperson: str(contract?.values.salesperson), items: [], termOf: undefined, days: 0, customerSalesperson: '' }
      byContract.set(contractId, g)
    }
    const customerId = str(v.customer) || g.customer
    if (customerId !== g.termOf) {
      // The term and salesperson this contract's deliveries get from this customer (most name one).
      const customer = customers.get(customerId)
      g.termOf = customerId
      g.days = creditDaysOf(g.contract, customer)
      g.customerSalesperson = str(customer?.values.salesperson)
    }
    const dueDay = shipped + g.days
    const amount = fen(v.totalAmount)
    g.items.push({
      kind: 'delivery', id: d.id, number: d.number, customer: customerId, contract: contractId,
      salesperson: g.salesperson || str(v.salesperson) || g.customerSalesperson,
      date, due: isoOf(dueDay), amount, open: amount, days: today - dueDay, bucket: bucketOf(today - dueDay),
    })
  }

  // Per customer, its items in groups (its opening balance, then contract by contract): what its
  // loose money pays, the first due first.
  const byCustomer = new Map<string, ReceivableItem[][]>()
  const openings: ReceivableItem[] = []
  for (const c of input.customers) {
    const amount = fen(c.values.openingBalance)
    if (amount <= 0) continue
    const date = str(c.values.openingDate)
    const day = dayOf(date)
    if (!(day <= today)) continue
    const days = today - day
    const item: ReceivableItem = {
      kind: 'opening', id: c.id, number: c.number, customer: c.id, contract: '', salesperson: str(c.values.salesperson),
      date, due: date, amount, open: amount, days, bucket: bucketOf(days),
    }
    byCustomer.set(c.id, [[item]])
    openings.push(item)
  }
  const out = new Map<string, ReceivableItem[]>()
  for (const [contractId, { items }] of byContract) {
    if (items.length > 1) items.sort(byDue)
    const money = contractMoney.get(contractId)
    const left = money === undefined ? 0 : settle(items, money)
    contractMoney.delete(contractId)
    const customerId = items[0]!.customer
    if (left > 0) loose.set(customerId, (loose.get(customerId) ?? 0) + left)
    const groups = byCustomer.get(customerId)
    if (groups) groups.push(items); else byCustomer.set(customerId, [items])
    out.set(contractId, items)
  }
  // A contract's money with nothing booked on it yet is the customer's too (paid ahead).
  for (const [contractId, n] of contractMoney) {
    const c = str(contracts.get(contractId)?.values.customer)
    if (c) loose.set(c, (loose.get(c) ?? 0) + n)
  }
  for (const [customerId, money] of loose) {
    if (!(money > 0)) continue
    const groups = byCustomer.get(customerId)
    if (!groups) continue
    const open: ReceivableItem[] = []
    for (const items of groups) for (const i of items) if (i.open > 0) open.push(i)
    if (open.length > 1) open.sort(byDue)
    settle(open, money)
  }
  return { openings, contracts: out }
}

/**
 * Raised whenever what the settling gives for the same records changes: here (`receivables`, the
 * states it counts, a new field read) or in the start page's per-customer settling
 * (renderer/core/dashboard/settled.ts, its `SOURCES`): items settled by an older version and kept
 * across a restart (renderer/src/data/kept-receivables.ts) are then settled again.
 */
export const SETTLING_VERSION = 1

/**
 * The latest day (a day number) a record `receivables` counts is dated: a booked delivery's 发货日期,
 * confirmed money's date, an opening balance's 期初日期; -Infinity when none is. On every as-of date
 * from that day on the very same records count, so items settled on one such date are the items of
 * any other, only older (`reaged`): what a restart shows before the records are read again (issue 10).
 */
export function datedThrough(input: AgeingInput): number {
  let last = -Infinity
  const see = (date: FieldValue | undefined) => { const day = dayOf(str(date)); if (day > last) last = day }
  for (const c of input.customers) if (fen(c.values.openingBalance) > 0) see(c.values.openingDate)
  for (const d of input.deliveries) if (BOOKED_STATES.includes(d.state)) see(d.values.shipDate)
  for (const p of input.payments) if (CONFIRMED_PAYMENT.includes(p.state)) see(p.values.receivedDate)
  for (const a of input.adjustments) if (CONFIRMED_ADJUSTMENT.includes(a.state)) see(a.values.adjustDate)
  return last
}

/**
 * `items` settled on an as-of date on or after their records' `datedThrough`, as on `asOf` (on or after
 * it too): the same items and open amounts, their days past due and bucket counted to `asOf`.
 */
export function reaged(items: readonly ReceivableItem[], asOf: string): ReceivableItem[] {
  const today = dayOf(asOf)
  return items.map((i) => { const days = today - dayOf(i.due); return { ...i, days, bucket: bucketOf(days) } })
}

// ---------- the report: groups with subtotals ----------

export type AgeingFigures = Record<Bucket, number> & { total: number; overdue: number }

/** One group of the report (a customer or a salesperson) with its items still open and subtotals. */
export interface AgeingGroup { key: string; items: ReceivableItem[]; figures: AgeingFigures }

const zero = (): AgeingFigures => ({ current: 0, d30: 0, d60: 0, d90: 0, over90: 0, total: 0, overdue: 0 })

/** Open amounts per bucket, the total and the overdue part, of `items`. */
export function ageingFigures(items: readonly ReceivableItem[]): AgeingFigures {
  const f = zero()
  for (const i of items) {
    if (i.open <= 0) continue
    f[i.bucket] += i.open
    f.total += i.open
    if (i.bucket !== 'current') f.overdue += i.open
  }
  return f
}

export interface AgeingFilter { customer?: string; salesperson?: string }

/**
 * The ageing report: the open items grouped by customer or by salesperson, each group with its
 * subtotals, the largest total first, and the grand total (the shape a grouped export takes).
 */
export function ageingReport(items: readonly ReceivableItem[], by: 'customer' | 'salesperson', filter: AgeingFilter = {}): { groups: AgeingGroup[]; totals: AgeingFigures } {
  const groups = new Map<string, ReceivableItem[]>()
  const kept: ReceivableItem[] = []
  for (const i of items) {
    if (i.open <= 0) continue
    if (filter.customer && i.customer !== filter.customer) continue
    if (filter.salesperson && i.salesperson !== filter.salesperson) continue
    kept.push(i)
    const k = by === 'customer' ? i.customer : i.salesperson
    const list = groups.get(k)
    if (list) list.push(i); else groups.set(k, [i])
  }
  const out = [...groups].map(([key, list]) => ({ key, items: list.sort(byDue), figures: ageingFigures(list) }))
  out.sort((a, b) => b.figures.total - a.figures.total || (a.key < b.key ? -1 : 1))
  return { groups: out, totals: ageingFigures(kept) }
}

// ---------- R23: escalation ----------

/** The furthest escalation step an item `days` past due has reached (none when not yet at the first). */
export function escalationOf(days: number, policy: Pick<BusinessPolicy, 'overdueSteps'>): OverdueStep | undefined {
  let hit: OverdueStep | undefined
  for (const s of policy.overdueSteps) if (days > 0 && days >= s.afterDays && (!hit || s.afterDays >= hit.afterDays)) hit = s
  return hit
}

/**
 * R23's interest (计息) on an overdue amount: the policy's monthly rate (basis points), a month counted
 * as 30 days, from the due date, rounded to the fen once (exact in BigInt).
 */
export function overdueInterest(open: number, days: number, basisPoints: number): number {
  if (open <= 0 || days <= 0 || basisPoints <= 0) return 0
  const num = BigInt(open) * BigInt(basisPoints) * BigInt(days)
  const den = 300_000n // 10 000 basis points × 30 days
  return Number((num * 2n + den) / (2n * den))
}

/** One flagged overdue receivable (R23): the item, the step reached, and the interest where it applies. */
export interface OverdueNotice { item: ReceivableItem; step: OverdueStep; interest: number }

/** The open items past due far enough for a step of the policy, the most overdue first. */
export function overdueNotices(items: readonly ReceivableItem[], policy: BusinessPolicy): OverdueNotice[] {
  const out: OverdueNotice[] = []
  for (const item of items) {
    if (item.open <= 0) continue
    const step = escalationOf(item.days, policy)
    if (!step) continue
    const interest = policy.overdueSteps.some((s) => s.kind === 'interest' && item.days >= s.afterDays)
      ? overdueInterest(item.open, item.days, policy.overdueInterestBasisPoints) : 0
    out.push({ item, step, interest })
  }
  return out.sort((a, b) => b.item.days - a.item.days || b.item.open - a.item.open)
}

/**
 * R23's commission offset (抵扣提成): the overdue receivables of `salesperson` on `asOf` that have reached
 * the policy's commissionOffset step. The commission slip withholds up to `amount` from what it would pay;
 * with no such step in the policy nothing is offset.
 */
export function overdueOffsetFor(salesperson: string, asOf: string, input: AgeingInput, policy: BusinessPolicy): { amount: number; items: ReceivableItem[] } {
  const step = policy.overdueSteps.filter((s) => s.kind === 'commissionOffset').sort((a, b) => a.afterDays - b.afterDays)[0]
  if (!step) return { amount: 0, items: [] }
  const items = receivables(input, asOf).filter((i) => i.salesperson === salesperson && i.open > 0 && i.days > 0 && i.days >= step.afterDays)
  return { amount: items.reduce((n, i) => n + i.open, 0), items }
}

// ---------- [A] 4–5: customer credit ----------

/** What a customer's credit is used by: open receivables, shipped but not yet booked, and approved contracts not yet shipped. */
export interface CreditExposure { receivable: number; unbooked: number; undelivered: number; exposure: number; limit: number | undefined; over: boolean; usedPercent: number | undefined }

/**
 * [A] 5 信用管理: a customer's exposure against its 信用额度: the open receivable (booked deliveries and
 * the opening balance, net of money, as `receivables`), deliveries shipped but not yet booked, and what
 * approved or signed contracts have still to ship. `usedPercent` in whole percent (rounded); no limit
 * set: never over. The contract form may warn 订单超出信用额度 with it (`extra`: the order at hand).
 */
export function creditExposure(customer: AgeingDoc, input: AgeingInput, asOf: string, extra = 0): CreditExposure {
  const mine = receivables(input, asOf).filter((i) => i.customer === customer.id)
  const contracts = input.contracts.filter((c) => str(c.values.customer) === customer.id)
  return exposureOf(customer, mine, contracts, deliveriesByContract(input.deliveries), dayOf(asOf), extra)
}

/**
 * `creditExposure` for a guard: the customer's records read through the RecordLookup guards get (its
 * contracts, deliveries, payments and adjustments by `customer`), `extra` the order at hand. Undefined
 * when the customer is not found. The contract form's 订单超出信用额度 warning calls this.
 */
export async function creditExposureFor(customerId: string, lookup: RecordLookup, today: string, extra = 0): Promise<CreditExposure | undefined> {
  const customer = await lookup.get('customer', customerId)
  if (!customer) return undefined
  const [contracts, deliveries, payments, adjustments] = await Promise.all(['contract', 'delivery', 'payment', 'adjustment'].map((f) => lookup.findBy(f, 'customer', customerId)))
  return creditExposure(customer, { customers: [customer], contracts: contracts!, deliveries: deliveries!, payments: payments!, adjustments: adjustments! }, today, extra)
}

function deliveriesByContract(deliveries: readonly AgeingDoc[]): Map<string, AgeingDoc[]> {
  const out = new Map<string, AgeingDoc[]>()
  for (const d of deliveries) {
    if (!SHIPPED_STATES.includes(d.state)) continue
    const c = str(d.values.contract)
    const list = out.get(c)
    if (list) list.push(d); else out.set(c, [d])
  }
  return out
}

function exposureOf(customer: AgeingDoc, mine: readonly ReceivableItem[], contracts: readonly AgeingDoc[], deliveries: Map<string, AgeingDoc[]>, today: number, extra: number): CreditExposure {
  const receivable = mine.reduce((n, i) => n + i.open, 0)
  let unbooked = 0
  let undelivered = 0
  for (const c of contracts) {
    if (!LEDGER_STATES.includes(c.state)) continue
    let shipped = 0
    for (const d of deliveries.get(c.id) ?? []) {
      shipped += fen(d.values.totalAmount)
      if (!BOOKED_STATES.includes(d.state) && dayOf(str(d.values.shipDate)) <= today) unbooked += fen(d.values.totalAmount)
    }
    if (c.state !== 'closed') undelivered += Math.max(0, fen(c.values.totalAmount) - shipped)
  }
  const exposure = receivable + unbooked + undelivered + extra
  const limit = typeof customer.values.creditLimit === 'number' && customer.values.creditLimit > 0 ? customer.values.creditLimit : undefined
  return { receivable, unbooked, undelivered, exposure, limit, over: limit !== undefined && exposure > limit, usedPercent: limit ? Math.round((exposure * 100) / limit) : undefined }
}

/** One customer's line of the monthly 回款与信用分析. */
export interface CreditRow {
  customer: string
  salesperson: string
  /** 本月发货: deliveries shipped in the month (fen). */
  shipped: number
  /** 本月回款: payments confirmed with a received date in the month. */
  collected: number
  /** 回款率 in basis points of 本月发货 (undefined when nothing shipped). */
  collectionRate: number | undefined
  /** 应收余额 and 逾期金额 at the month's end. */
  receivable: number
  overdue: number
  limit: number | undefined
  exposure: number
  usedPercent: number | undefined
  over: boolean
}

/** The last day of a "YYYY-MM" month. */
export function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4)); const m = Number(month.slice(5, 7))
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

/**
 * [A] 5 货款回收分析 for `month` ("YYYY-MM"): each customer with a delivery, a payment, a receivable or
 * a credit limit, its month's shipments and collections, its receivable and overdue at the month's
 * end, and its credit use; customers over their limit first, then by receivable.
 */
export function creditAnalysis(input: AgeingInput, month: string): CreditRow[] {
  const end = monthEnd(month)
  const items = receivables(input, end)
  const shipped = new Map<string, number>()
  const contracts = new Map(input.contracts.map((c) => [c.id, c]))
  for (const d of input.deliveries) {
    if (!SHIPPED_STATES.includes(d.state) || !str(d.values.shipDate).startsWith(month)) continue
    const c = str(d.values.customer) || str(contracts.get(str(d.values.contract))?.values.customer)
    shipped.set(c, (shipped.get(c) ?? 0) + fen(d.values.totalAmount))
  }
  const collected = new Map<string, number>()
  for (const p of input.payments) {
    if (!CONFIRMED_PAYMENT.includes(p.state) || !str(p.values.receivedDate).startsWith(month)) continue
    const c = str(p.values.customer)
    collected.set(c, (collected.get(c) ?? 0) + fen(p.values.amount))
  }
  const itemsOf = new Map<string, ReceivableItem[]>()
  for (const i of items) { const l = itemsOf.get(i.customer); if (l) l.push(i); else itemsOf.set(i.customer, [i]) }
  const contractsOf = new Map<string, AgeingDoc[]>()
  for (const c of input.contracts) { const k = str(c.values.customer); const l = contractsOf.get(k); if (l) l.push(c); else contractsOf.set(k, [c]) }
  const deliveries = deliveriesByContract(input.deliveries)
  const rows: CreditRow[] = []
  for (const c of input.customers) {
    const mine = itemsOf.get(c.id) ?? []
    const figures = ageingFigures(mine)
    const s = shipped.get(c.id) ?? 0
    const k = collected.get(c.id) ?? 0
    const ex = exposureOf(c, mine, contractsOf.get(c.id) ?? [], deliveries, dayOf(end), 0)
    if (!s && !k && !figures.total && ex.limit === undefined) continue
    rows.push({
      customer: c.id, salesperson: str(c.values.salesperson), shipped: s, collected: k,
      collectionRate: s > 0 ? Math.round((k * 10_000) / s) : undefined,
      receivable: figures.total, overdue: figures.overdue, limit: ex.limit, exposure: ex.exposure, usedPercent: ex.usedPercent, over: ex.over,
    })
  }
  return rows.sort((a, b) => Number(b.over) - Number(a.over) || b.receivable - a.receivable || (a.customer < b.customer ? -1 : 1))
}
