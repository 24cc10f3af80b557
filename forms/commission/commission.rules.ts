/**
 * 业务员个人提成单 (R20, [A] 9, 12): commission on money collected under an approved contract in one
 * month, at the office's rate (BusinessPolicy.commissionRates), less what a later return or claim
 * takes back (追回). Pure functions over the documents a lookup gives; the data layer runs the guard
 * on every step, so a figure typed over the computed one is refused however it got there.
 *
 * Choices, written down once:
 * - 本期回款: payments finance confirmed, recorded against the contract, received in the month
 *   (goods or a prepayment once tied to the contract — the same money the 合同台帐 counts as
 *   collected). A payment without a contract earns nothing until it is tied to one.
 * - 提成比例: per contract, the most specific policy rate of the contract's salesperson for each
 *   line's product group, weighted by the line amounts (a contract mixing groups pays the blend);
 *   a line without a product record takes the salesperson's (or the general) rate. The blended rate
 *   is rounded half up to 0.0001 % and printed; the commission is the collected amount times the
 *   printed rate, rounded half up to the fen, so anyone can check the slip by hand.
 * - 追回: a confirmed return or claim (账款调整单) on a contract whose commission was paid on an
 *   approved or paid slip is taken back on the next slip at the rate last paid on that contract,
 *   capped at the commission paid on it and not yet taken back; each adjustment once.
 * - 逾期暂扣 (R23, [A] 5 "逾期货款采取计息、抵扣提成"): once the office's business rules have a
 *   抵扣提成 step, the salesperson's receivables overdue past it at the end of the month are held
 *   back from the commission, up to what the slips would pay; what was held on earlier signed slips
 *   counts, and is handed back (暂扣返还) on the next slip once the money is in. The salesperson is
 *   never held more than the overdue amount, and never more than the slips earned.
 */
import type { DocSnapshot, FieldError, FieldValue, FormData, GatherContext, Guard, GuardResult, LineRow, RecordLookup, Values } from '../schema/types'
import type { BusinessPolicy } from '../schema/policy'
import { CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT } from '../contract/contract.tally'
import { overdueOffsetFor, type AgeingInput } from '../contract/contract.ageing'
import { formatFen } from '../../renderer/core/money'
import { uuidv7 } from '../../renderer/core/uuid'

/** Contracts on which commission may accrue (没有合同的不预提成): approved, signed back or closed. */
export const COMMISSION_CONTRACT_STATES = ['approved', 'signed', 'closed']
/** Slips whose commission counts as paid (the GM signed it, or finance paid it out): what a clawback takes back. */
export const PAID_SLIP_STATES = ['approved', 'paid']
/** Slips that no longer count at all. */
const VOID_SLIP_STATES = ['voided']
/** Adjustments that take commission back: a return credit or a claim deduction (replacement material is not money). */
export const CLAWBACK_KINDS = ['return', 'claim']

const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '')

/** The first and last day of a 'YYYY-MM' month, or null for anything else. */
export function monthRange(period: FieldValue | undefined): { start: string; end: string } | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(str(period))
  if (!m) return null
  const days = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
  return { start: `${m[1]}-${m[2]}-01`, end: `${m[1]}-${m[2]}-${String(days).padStart(2, '0')}` }
}

/** R20: the most specific rate in basis points for a salesperson and product group (salesperson and group, salesperson, group, any; 0 when none). */
export function policyRate(policy: BusinessPolicy, salesperson: string, group: string | undefined): number {
  const rates = policy.commissionRates
  const pick = (sp: boolean, g: boolean) => rates.find((r) => (sp ? r.salesperson === salesperson : r.salesperson === undefined)
    && (g ? group !== undefined && r.productGroup === group : r.productGroup === undefined))
  return (pick(true, true) ?? pick(true, false) ?? pick(false, true) ?? pick(false, false))?.basisPoints ?? 0
}

/** A rate kept as a decimal percent string ("1.5" = 1.5 %) in units of 0.0001 % (15000); null when not such a string. */
export function rateUnits(v: FieldValue | undefined): bigint | null {
  const m = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(str(v))
  if (!m) return null
  return BigInt(m[1]!) * 10000n + BigInt((m[2] ?? '').padEnd(4, '0'))
}

/** The decimal percent string of a rate in 0.0001 % units (15000 → "1.5"). */
export function rateText(units: bigint): string {
  const whole = units / 10000n
  const frac = (units % 10000n).toString().padStart(4, '0').replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : `${whole}`
}

/** a / b rounded half up, for a ≥ 0, b > 0. */
const roundDiv = (a: bigint, b: bigint) => (a * 2n + b) / (2n * b)

/** Commission in fen on `base` fen at `rate` (0.0001 % units), rounded half up to the fen. */
export function commissionOn(base: number, rate: bigint): number {
  if (base <= 0 || rate <= 0n) return 0
  return Number(roundDiv(BigInt(base) * rate, 1_000_000n))
}

/**
 * R20: a contract's commission rate (0.0001 % units) for its salesperson: each line's group rate
 * weighted by the line amounts, rounded half up; the salesperson's rate without a group when the
 * contract has no amounts.
 */
export async function contractRate(contract: DocSnapshot, salesperson: string, policy: BusinessPolicy, lookup: RecordLookup): Promise<bigint> {
  let weighted = 0n
  let total = 0n
  for (const row of contract.lines.items ?? []) {
    const amount = BigInt(Math.max(0, fen(row.values.amount)))
    const product = str(row.values.product) ? await lookup.get('product', str(row.values.product)) : undefined
    const group = product && str(product.values.group) ? str(product.values.group) : undefined
    weighted += amount * BigInt(policyRate(policy, salesperson, group)) * 100n
    total += amount
  }
  if (total === 0n) return BigInt(policyRate(policy, salesperson, undefined)) * 100n
  return roundDiv(weighted, total)
}

// ---------- line and totals ----------

/** 提成金额 of a line: collected × rate; a clawback line: −(adjusted × rate), at most what is left of the commission paid. */
export function lineCommission(row: Values): FieldValue {
  const rate = rateUnits(row.rate)
  if (rate === null) return null
  if (row.kind === 'clawback') return -Math.min(commissionOn(fen(row.adjusted), rate), Math.max(0, fen(row.paidBefore)))
  return commissionOn(fen(row.collected), rate)
}

const commissions = (d: FormData) => (d.lines.items ?? []).map((r) => fen(lineCommission(r.values)))
/** 本期提成合计: the month's commission lines. */
export const commissionTotal = (d: FormData): FieldValue => (d.lines.items ?? []).filter((r) => r.values.kind !== 'clawback').reduce((n, r) => n + fen(lineCommission(r.values)), 0)
/** 追回合计: what returns and claims take back (negative). */
export const clawbackTotal = (d: FormData): FieldValue => (d.lines.items ?? []).filter((r) => r.values.kind === 'clawback').reduce((n, r) => n + fen(lineCommission(r.values)), 0)
/** 实发提成: the lines together, less what R23 holds back this month, plus what it hands back; negative when the salesperson owes commission back. */
export const netTotal = (d: FormData): FieldValue => commissions(d).reduce((n, x) => n + x, 0) - fen(d.values.withheld) + fen(d.values.released)
/** 结算方向: 应发 or, when the net is negative, 应退回 (owed back), so nobody misreads a minus sign. */
export const settlement = (d: FormData): FieldValue => (fen(netTotal(d)) < 0 ? 'owed' : 'due')

/** R20: a slip has lines, each naming its contract (没有合同的不预提成); a clawback line names its adjustment. */
export function linesNameContracts(d: FormData): FieldError[] {
  const out: FieldError[] = []
  if (!(d.lines.items ?? []).length && str(d.values.salesperson) && monthRange(d.values.period)) {
    out.push({ field: 'items', rule: 'R20', message: { zh: '该业务员本月没有财务已确认的合同回款，也没有待追回的提成', en: 'Nothing collected under a contract this month, and nothing to take back' } })
  }
  ;(d.lines.items ?? []).forEach((r, row) => {
    if (!str(r.values.contract)) {
      out.push({ field: 'items', row, column: 'contract', rule: 'R20', message: { zh: '没有合同的不预提成：请选择销售合同', en: 'No contract, no commission: choose the contract' } })
    }
    if (r.values.kind === 'clawback' && !str(r.values.adjustment)) {
      out.push({ field: 'items', row, column: 'adjustment', rule: 'R20', message: { zh: '追回行请选择账款调整单', en: 'A clawback line names its adjustment' } })
    }
  })
  return out
}

// ---------- what the records say ----------

/** Payments finance confirmed against the contract, received within the month. */
export function collectedIn(payments: readonly DocSnapshot[], range: { start: string; end: string }): number {
  return payments
    .filter((p) => CONFIRMED_PAYMENT.includes(p.state) && str(p.values.contract) !== '')
    .filter((p) => str(p.values.receivedDate) >= range.start && str(p.values.receivedDate) <= range.end)
    .reduce((n, p) => n + fen(p.values.amount), 0)
}

/** What the salesperson's other slips (not void, not this one) already hold, read once. */
interface OtherSlips { live: DocSnapshot[]; paid: DocSnapshot[] }
async function otherSlips(lookup: RecordLookup, salesperson: string, self: string | undefined): Promise<OtherSlips> {
  const live = (await lookup.findBy('commission', 'salesperson', salesperson)).filter((s) => s.id !== self && !VOID_SLIP_STATES.includes(s.state))
  return { live, paid: live.filter((s) => PAID_SLIP_STATES.includes(s.state)) }
}
const rowsOf = (slips: readonly DocSnapshot[], contract: string, kind: 'commission' | 'clawback'): Array<{ slip: DocSnapshot; row: LineRow }> =>
  slips.flatMap((slip) => (slip.lines.items ?? []).filter((r) => str(r.values.contract) === contract && (r.values.kind === 'clawback') === (kind === 'clawback')).map((row) => ({ slip, row })))

/** Collected on the contract in the month that other slips of the same month already pay commission on. */
function claimedElsewhere(others: OtherSlips, contract: string, period: string): number {
  return rowsOf(others.live.filter((s) => s.values.period === period), contract, 'commission').reduce((n, x) => n + fen(x.row.values.collected), 0)
}

/**
 * The commission paid on a contract (approved or paid slips), less what every other live slip
 * already takes back, the rate last paid on it (the latest month's line), and the end of the first
 * month it was paid for (a return or claim dated after it is "later": [A] 9 paid on money that the
 * return then took back); null when none was paid.
 */
function paidOn(others: OtherSlips, contract: string): { left: number; rate: string; since: string } | null {
  const paid = rowsOf(others.paid, contract, 'commission').filter((x) => fen(lineCommission(x.row.values)) > 0)
  if (!paid.length) return null
  const latest = [...paid].sort((a, b) => str(a.slip.values.period).localeCompare(str(b.slip.values.period)))[paid.length - 1]!
  const total = paid.reduce((n, x) => n + fen(lineCommission(x.row.values)), 0)
  const taken = rowsOf(others.live, contract, 'clawback').reduce((n, x) => n - fen(lineCommission(x.row.values)), 0)
  const first = [...paid].sort((a, b) => str(a.slip.values.period).localeCompare(str(b.slip.values.period)))[0]!
  return { left: Math.max(0, total - taken), rate: str(latest.row.values.rate), since: monthRange(first.slip.values.period)?.end ?? '' }
}

/** Adjustments other live slips already take back. */
const clawedElsewhere = (others: OtherSlips) => new Set(others.live.flatMap((s) => (s.lines.items ?? []).map((r) => str(r.values.adjustment)).filter(Boolean)))

/**
 * A return or claim finance and CS confirmed, dated after the first month commission was paid on
 * the contract (one before it already lowered what was collected) and within or before this month.
 */
const takesBack = (a: DocSnapshot, range: { end: string }, since: string) =>
  CONFIRMED_ADJUSTMENT.includes(a.state) && CLAWBACK_KINDS.includes(str(a.values.kind)) && str(a.values.adjustDate) > since && str(a.values.adjustDate) <= range.end

// ---------- 生成提成单 ----------

/**
 * 生成提成单 (R20): the salesperson's lines for the month, worked out from the records — one
 * commission line per approved contract with confirmed money received in the month and not yet on
 * another slip of the month, then one clawback line per confirmed return or claim on a contract whose
 * commission was paid, not yet taken back. The form's gatherer: the data layer writes the lines on
 * every save while the slip is a draft, the screen as soon as the salesperson and month are filled.
 */
export async function commissionLines(data: FormData, ctx: GatherContext): Promise<FormData> {
  const salesperson = str(data.values.salesperson)
  const period = str(data.values.period)
  const range = monthRange(period)
  if (!salesperson || !range) return { values: {}, lines: { items: [] } }
  const others = await otherSlips(ctx.lookup, salesperson, ctx.self)
  const contracts = (await ctx.lookup.findBy('contract', 'salesperson', salesperson))
    .filter((c) => COMMISSION_CONTRACT_STATES.includes(c.state))
    .sort((a, b) => a.number.localeCompare(b.number))
  const items: Values[] = []
  const clawbacks: Values[] = []
  const taken = clawedElsewhere(others)
  for (const c of contracts) {
    const collected = collectedIn(await ctx.lookup.findBy('payment', 'contract', c.id), range) - claimedElsewhere(others, c.id, period)
    if (collected > 0) {
      const rate = await contractRate(c, salesperson, ctx.policy, ctx.lookup)
      items.push({ kind: 'commission', contract: c.id, customer: c.values.customer ?? null, collected, rate: rateText(rate) })
    }
    const paid = paidOn(others, c.id)
    if (!paid) continue
    let left = paid.left
    const adjustments = (await ctx.lookup.findBy('adjustment', 'contract', c.id))
      .filter((a) => takesBack(a, range, paid.since) && !taken.has(a.id))
      .sort((a, b) => str(a.values.adjustDate).localeCompare(str(b.values.adjustDate)) || a.number.localeCompare(b.number))
    for (const a of adjustments) {
      if (left <= 0) break
      const row: Values = { kind: 'clawback', contract: c.id, customer: c.values.customer ?? null, adjustment: a.id, adjusted: fen(a.values.amount), paidBefore: left, rate: paid.rate }
      clawbacks.push(row)
      left += fen(lineCommission(row))
    }
  }
  // Row ids are the engine's: a gathered row keeps the id of an identical stored one.
  const rows: LineRow[] = [...items, ...clawbacks].map((values) => ({ id: uuidv7(), values: { ...values, commission: lineCommission(values) } }))
  const gross = rows.reduce((n, r) => n + fen(r.values.commission), 0)
  const hold = await overdueHold(salesperson, range, gross, others, ctx.lookup, ctx.policy)
  return { values: { ...hold }, lines: { items: rows } }
}

// ---------- R23: 逾期抵扣提成 ----------

/** R23 on one slip: the overdue receivables that call for a hold, what the slip holds back and what it hands back (fen, ≥ 0). */
export interface OverdueHold { overdueOpen: number; withheld: number; released: number }

/** Held on the salesperson's signed slips (approved or paid) so far: what they held less what they handed back. */
const heldBefore = (others: OtherSlips) => Math.max(0, others.paid.reduce((n, s) => n + fen(s.values.withheld) - fen(s.values.released), 0))

/**
 * The hold after this slip: the overdue amount, but no more than was held before plus what this
 * slip earns (a slip owing money back earns nothing to hold). Its change from the hold before is
 * 本期暂扣 when it grows and 暂扣返还 when it shrinks.
 */
export function holdOf(overdue: number, before: number, gross: number): { withheld: number; released: number } {
  const after = Math.min(Math.max(0, overdue), before + Math.max(0, gross))
  return { withheld: Math.max(0, after - before), released: Math.max(0, before - after) }
}

/**
 * Every record the salesperson's receivables depend on: the customers they look after or hold
 * contracts with, and each of those customers' contracts, deliveries, payments and adjustments (money
 * settles per customer, so another salesperson's records of the same customer count too).
 */
async function ageingInputFor(lookup: RecordLookup, salesperson: string): Promise<AgeingInput> {
  const mine = await lookup.findBy('contract', 'salesperson', salesperson)
  const customerIds = new Set([...(await lookup.findBy('customer', 'salesperson', salesperson)).map((c) => c.id), ...mine.map((c) => str(c.values.customer)).filter(Boolean)])
  const byId = { customer: new Map<string, DocSnapshot>(), contract: new Map<string, DocSnapshot>(), delivery: new Map<string, DocSnapshot>(), payment: new Map<string, DocSnapshot>(), adjustment: new Map<string, DocSnapshot>() }
  const keep = (form: keyof typeof byId, docs: readonly DocSnapshot[]) => { for (const d of docs) byId[form].set(d.id, d) }
  keep('contract', mine)
  for (const id of [...customerIds].sort()) {
    const customer = await lookup.get('customer', id)
    if (customer) keep('customer', [customer])
    for (const form of ['contract', 'delivery', 'payment', 'adjustment'] as const) keep(form, await lookup.findBy(form, 'customer', id))
  }
  // A delivery or payment may name only its contract.
  for (const c of [...byId.contract.values()]) {
    for (const form of ['delivery', 'payment', 'adjustment'] as const) keep(form, await lookup.findBy(form, 'contract', c.id))
  }
  const list = (form: keyof typeof byId) => [...byId[form].values()]
  return { customers: list('customer'), contracts: list('contract'), deliveries: list('delivery'), payments: list('payment'), adjustments: list('adjustment') }
}

/** R23 for a slip of `range`'s month earning `gross`: overdue at the month's end, against what earlier signed slips hold. */
async function overdueHold(salesperson: string, range: { end: string }, gross: number, others: OtherSlips, lookup: RecordLookup, policy: BusinessPolicy): Promise<OverdueHold> {
  const before = heldBefore(others)
  const offset = policy.overdueSteps.some((s) => s.kind === 'commissionOffset')
  const overdueOpen = offset ? overdueOffsetFor(salesperson, range.end, await ageingInputFor(lookup, salesperson), policy).amount : 0
  return { overdueOpen, ...holdOf(overdueOpen, before, gross) }
}

// ---------- R20 guard ----------

const refuse = (row: number, zh: string, en: string): GuardResult => ({ ok: false, rule: 'R20', clause: '[A] 9', message: { zh: `第 ${row + 1} 行：${zh}`, en: `Line ${row + 1}: ${en}` } })

/**
 * R20 ([A] 9): every line on an approved contract of this salesperson; a commission line's 本期回款
 * no more than the confirmed money received on it in the month (less what other slips of the month
 * hold) at the policy's rate; a clawback line on a confirmed return or claim, at the rate paid,
 * capped at the commission left to take back. Run on submission and again at each check.
 */
export const commissionChecked: Guard = async ({ doc, lookup, policy }) => {
  const salesperson = str(doc.values.salesperson)
  const period = str(doc.values.period)
  const range = monthRange(period)
  if (!salesperson || !range) return { ok: false, rule: 'R20', clause: '[A] 9', message: { zh: '请填写业务员和业绩月份', en: 'Enter the salesperson and the month' } }
  const rows = doc.lines.items ?? []
  if (!rows.length) return { ok: false, rule: 'R20', clause: '[A] 9', message: { zh: '提成单没有明细：请先生成提成单', en: 'The slip has no lines: generate it first' } }
  const others = await otherSlips(lookup, salesperson, doc.id)
  const seen = new Set<string>()
  for (const [i, r] of rows.entries()) {
    const id = str(r.values.contract)
    const c = id ? await lookup.get('contract', id) : undefined
    if (!c) return refuse(i, '没有合同的不预提成', 'no contract, no commission')
    if (!COMMISSION_CONTRACT_STATES.includes(c.state)) return refuse(i, `合同 ${c.number} 尚未批准，没有合同的不预提成`, `contract ${c.number} is not approved: no contract, no commission`)
    if (str(c.values.salesperson) !== salesperson) return refuse(i, `合同 ${c.number} 不是该业务员的合同`, `contract ${c.number} is not this salesperson’s`)
    if (str(r.values.customer) !== str(c.values.customer)) return refuse(i, `客户与合同 ${c.number} 不符，请重新生成提成单`, `the customer differs from contract ${c.number}; generate the slip again`)
    if (r.values.kind === 'clawback') {
      const a = str(r.values.adjustment) ? await lookup.get('adjustment', str(r.values.adjustment)) : undefined
      const paid = paidOn(others, id)
      if (!paid) return refuse(i, `合同 ${c.number} 没有已兑现的提成，无须追回`, `no commission was paid on contract ${c.number}`)
      if (!a || str(a.values.contract) !== id || !takesBack(a, range, paid.since)) return refuse(i, '追回须依据提成兑现后该合同已确认的退货冲减或索赔扣款', 'a clawback needs a confirmed return or claim on the contract after the commission was paid')
      if (seen.has(a.id) || clawedElsewhere(others).has(a.id)) return refuse(i, `账款调整单 ${a.number} 已在其他提成单追回`, `adjustment ${a.number} is already taken back`)
      seen.add(a.id)
      if (fen(r.values.adjusted) !== fen(a.values.amount) || r.values.rate !== paid.rate || fen(r.values.paidBefore) > paid.left) {
        return refuse(i, `追回金额须按调整单金额 ¥${formatFen(fen(a.values.amount))}、已发提成比例 ${paid.rate}% 计算，以可追回的 ¥${formatFen(paid.left)} 为限，请重新生成提成单`,
          `a clawback is the adjustment at the rate paid (${paid.rate} %), at most ¥${formatFen(paid.left)}; generate the slip again`)
      }
      continue
    }
    const key = `c:${id}`
    if (seen.has(key)) return refuse(i, `合同 ${c.number} 重复`, `contract ${c.number} twice`)
    seen.add(key)
    const available = collectedIn(await lookup.findBy('payment', 'contract', id), range) - claimedElsewhere(others, id, period)
    if (fen(r.values.collected) > available) {
      return refuse(i, `本期回款 ¥${formatFen(fen(r.values.collected))} 超过合同 ${c.number} 本月财务已确认的收款 ¥${formatFen(Math.max(0, available))}，提成只按已回款计提`,
        `collected ¥${formatFen(fen(r.values.collected))} is more than the confirmed payments of contract ${c.number} this month (¥${formatFen(Math.max(0, available))})`)
    }
    const rate = rateText(await contractRate(c, salesperson, policy, lookup))
    if (r.values.rate !== rate) return refuse(i, `提成比例应为 ${rate}%（业务规则设置），请重新生成提成单`, `the rate is ${rate} % (business settings); generate the slip again`)
  }
  const gross = rows.reduce((n, r) => n + fen(lineCommission(r.values)), 0)
  const hold = await overdueHold(salesperson, range, gross, others, lookup, policy)
  if (fen(doc.values.withheld) !== hold.withheld || fen(doc.values.released) !== hold.released) {
    const should = hold.released ? `暂扣返还应为 ¥${formatFen(hold.released)}` : `逾期暂扣应为 ¥${formatFen(hold.withheld)}`
    return {
      ok: false, rule: 'R23', clause: '[A] 5',
      message: { zh: `${should}（该业务员月末逾期应收 ¥${formatFen(hold.overdueOpen)}），请退回草稿重新生成提成单`, en: `${hold.released ? `Hand back ¥${formatFen(hold.released)}` : `Hold back ¥${formatFen(hold.withheld)}`} (overdue receivables ¥${formatFen(hold.overdueOpen)} at the month’s end); send the slip back and generate it again` },
    }
  }
  return { ok: true }
}
