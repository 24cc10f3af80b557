/**
 * The start page's figures (issue 11): named pure functions over the lists' digest rows (every live
 * document's few values, kept in memory by the data layer), never over full documents, so the
 * dashboard opens without reading the office's history again. Each chart gives a headline and its
 * segments, and each segment says which documents stand behind it (`Drill`): the list of a form
 * with a query, or the 账龄分析 page with a bucket. Money in integer fen, counts in documents.
 */
import type { DocSnapshot, FormDef } from '../../../forms/schema/types'
import { listFacets, passesFilters, dueStatus, type ListFacets, type ListFilters, type ListQuery, type ListRow } from '../list-query'
import { ageingFigures, BUCKETS, type AgeingInput, type Bucket } from '../../../forms/contract/contract.ageing'
import { LEDGER_STATES } from '../../../forms/contract/contract.ledger'
import { CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT, SHIPPED_STATES } from '../../../forms/contract/contract.tally'
import { settledReceivables, type SettleMemo } from './settled'
import { COUNTED_FORECASTS, forecastVsActual } from '../../../forms/sales-forecast/sales-forecast.rules'
import { monthAfter } from '../validation'

/** The dashboard's filter bar: the lists' own filters (period on each form's list date, customer, salesperson). */
export interface DashFilters { from?: string; to?: string; customer?: string; salesperson?: string }

/** What the figures are computed from: the digest rows of a form (live, not void) and its definition. */
export interface DashData {
  /** The office's calendar day. */
  today: string
  rows(form: string): readonly ListRow[]
  form(form: string): FormDef
  /**
   * Keeps a result while the rows stay the same (the page makes a new one when a document changes):
   * the receivables' FIFO settling then runs once per as-of date, not on every filter change.
   */
  memo?: <T>(key: string, make: () => T) => T
  /**
   * The receivables settled per customer, kept across row changes (the page keeps one for the
   * session): a write re-settles only the customers whose rows changed (settled.ts).
   */
  settled?: SettleMemo
}

const memo = <T>(d: DashData, key: string, make: () => T): T => (d.memo ? d.memo(key, make) : make())

/** The documents behind a segment: a form's list opened with a query, or 账龄分析 with a bucket selected. */
export type Drill =
  | { kind: 'list'; form: string; query: ListQuery }
  | { kind: 'ageing'; asOf: string; bucket: Bucket; customer?: string; salesperson?: string }

/** One bar, stage or slice: its key (a stage's form, a bucket, a customer id), its figure, and where it opens. */
export interface Segment {
  key: string
  value: number
  drill: Drill
  /** A name the key alone does not give (a customer's title). */
  label?: string
  /** Pipeline: distinct customers at this stage. */
  customers?: number
  /** Pipeline: customers of this stage also at the next one, in basis points of this stage's (undefined at the last stage or with none here). */
  rateToNext?: number
  /** Forecast against actual: the month's forecast (fen), drawn beside `value` (the contracts signed). */
  forecast?: number
  /** Forecast against actual: the deliveries shipped in the month (fen). */
  shipped?: number
}

/** A chart's figures: the headline shown large on its card, and the segments drawn. */
export interface ChartFigures { headline: number; unit: 'count' | 'fen'; segments: Segment[] }

// ---------- shared ----------

/** The list filters a form's list would need to show what the dashboard's filters select. */
export function listFiltersOf(facets: ListFacets, f: DashFilters): ListFilters {
  const out: ListFilters = {}
  if (f.from) out.from = f.from
  if (f.to) out.to = f.to
  if (f.customer && facets.ref?.to === 'customer') out.ref = f.customer
  if (f.salesperson && facets.user) out.user = f.salesperson
  return out
}

/** The rows of `form` the dashboard's filters select (plus `extra` list filters), as the list would show them. */
function selected(data: DashData, form: string, f: DashFilters, extra: ListFilters = {}): { rows: ListRow[]; filters: ListFilters; facets: ListFacets } {
  const facets = listFacets(data.form(form))
  const filters = { ...listFiltersOf(facets, f), ...extra }
  return { rows: data.rows(form).filter((r) => passesFilters(facets, filters, r)), filters, facets }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const fen = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0)
const listDrill = (form: string, filters: ListFilters): Drill => ({ kind: 'list', form, query: Object.keys(filters).length ? { filters } : {} })

// ---------- the pipeline ----------

/** The stages of the sales pipeline (§5.1 → §5.6.2), each a form. */
export const PIPELINE = ['customerEvaluation', 'sampleApplication', 'sampleConfirmation', 'quotation', 'contract'] as const

/**
 * 销售漏斗: per stage, the documents of its form past draft (submitted or further, not void) that the
 * filters select (period on the form's list date: 评估 created, 申请日期, 确认日期, 报价日期, 签订日期);
 * the conversion to the next stage per customer: of the customers with a document at this stage,
 * the share that also have one at the next stage in the same selection. The headline: contracts.
 */
export function pipeline(data: DashData, f: DashFilters): ChartFigures {
  const sets: Array<Set<string>> = []
  const segments: Segment[] = PIPELINE.map((form) => {
    const facets = listFacets(data.form(form))
    const states = facets.states.filter((s) => s !== data.form(form).workflow?.initial)
    const { rows, filters } = selected(data, form, f, { states })
    const ref = facets.ref?.key
    const customers = new Set(ref ? rows.map((r) => str(r.values[ref])).filter(Boolean) : [])
    sets.push(customers)
    return { key: form, value: rows.length, customers: customers.size, drill: listDrill(form, filters) }
  })
  segments.forEach((s, i) => {
    const here = sets[i]!, next = sets[i + 1]
    if (!next || here.size === 0) return
    let both = 0
    for (const c of here) if (next.has(c)) both++
    s.rateToNext = Math.round((both * 10_000) / here.size)
  })
  return { headline: segments[segments.length - 1]!.value, unit: 'count', segments }
}

// ---------- deadlines: samples without feedback (R5, R6), deliveries due (R14) ----------

/**
 * The documents of `form` late on (or due soon for) each of `deadlines` on `today`, within the
 * filters; the period's end does not apply (what is due this week may be dated after it).
 */
function deadlineFigures(data: DashData, form: string, f: DashFilters, parts: Array<{ deadline: string; status: 'late' | 'soon' }>): ChartFigures {
  const { to: _end, ...open } = f
  const { rows, filters, facets } = selected(data, form, open)
  const anyHit = new Set<string>()
  const segments = parts.map(({ deadline, status }) => {
    let n = 0
    for (const r of rows) if (dueStatus(facets, deadline, r, data.today) === status) { n++; anyHit.add(r.id) }
    return { key: `${deadline}:${status}`, value: n, drill: listDrill(form, { ...filters, due: { deadline, status, asOf: data.today } }) }
  })
  return { headline: anyHit.size, unit: 'count', segments }
}

/**
 * 样品逾期未反馈: sample shipments still 已发出 whose R5 date (2 weeks after dispatch, not for an
 * on-site trial) or R6 date (30 days) has passed, as the inbox reads the form's deadlines. A sample
 * 30 days out is late on both: the headline counts each sample once.
 */
export function samplesOverdue(data: DashData, f: DashFilters): ChartFigures {
  return deadlineFigures(data, 'sampleShipment', f, [{ deadline: 'R5', status: 'late' }, { deadline: 'R6', status: 'late' }])
}

/**
 * 交期 (R14): production notices 已排产 / 已回复交期 whose promised date has passed (已逾期) or falls in
 * the coming week (本周到期: today to 7 days ahead, the inbox's notice window). Headline: both.
 */
export function deliveriesDue(data: DashData, f: DashFilters): ChartFigures {
  return deadlineFigures(data, 'productionNotice', f, [{ deadline: 'R14', status: 'late' }, { deadline: 'R14', status: 'soon' }])
}

// ---------- receivables ageing (R23) ----------

const snap = (form: string) => (r: ListRow): DocSnapshot => ({ id: r.id, form, number: r.number, state: r.state, version: 0, values: r.values, lines: {} })

/**
 * The 账龄分析's input from the digest rows (the values it reads are kept there: `DASHBOARD_FIELDS`),
 * in the states the page reads (documents store `receivableInput`).
 */
export function ageingInputOf(data: DashData): AgeingInput {
  const of = (form: string, states: readonly string[] | undefined) => {
    const out: DocSnapshot[] = []
    for (const r of data.rows(form)) if (!states || states.includes(r.state)) out.push(snap(form)(r))
    return out
  }
  return {
    customers: of('customer', undefined), contracts: of('contract', LEDGER_STATES), deliveries: of('delivery', SHIPPED_STATES),
    payments: of('payment', CONFIRMED_PAYMENT), adjustments: of('adjustment', CONFIRMED_ADJUSTMENT),
  }
}

/**
 * 应收账龄: the open receivables on the period's end (today when none or later), by bucket, exactly
 * the 账龄分析 page's 合计 for that date, customer and salesperson (forms/contract/contract.ageing.ts:
 * FIFO settling, buckets 未到期 / 1–30 / 31–60 / 61–90 / 90+). The period's start does not apply:
 * a receivable is open whenever it was shipped. Headline: the total open. Settled per customer
 * (settled.ts), the same items as `receivables(ageingInputOf(data), asOf)` to the fen.
 */
export function receivablesAgeing(data: DashData, f: DashFilters): ChartFigures {
  const asOf = f.to && f.to < data.today ? f.to : data.today
  const filter = { ...(f.customer ? { customer: f.customer } : {}), ...(f.salesperson ? { salesperson: f.salesperson } : {}) }
  const items = memo(data, `receivables:${asOf}`, () => settledReceivables(data.rows, asOf, data.settled))
  // ageingReport's 合计 without its groups (the chart draws none): the open items the filters select.
  const totals = ageingFigures(filter.customer || filter.salesperson ? items.filter((i) => (!filter.customer || i.customer === filter.customer) && (!filter.salesperson || i.salesperson === filter.salesperson)) : items)
  const segments = BUCKETS.map((bucket) => ({ key: bucket, value: totals[bucket], drill: { kind: 'ageing' as const, asOf, bucket, ...filter } }))
  return { headline: totals.total, unit: 'fen', segments }
}

// ---------- top customers ----------

/** How many customers the 客户排行 shows. */
export const TOP_CUSTOMERS = 8

/**
 * 客户合同额排行: contracts approved, signed or closed (the 合同台帐's) signed in the period, summed per
 * customer (合同金额), the largest first (ties: by customer id), the first `TOP_CUSTOMERS`. Headline:
 * every selected contract's amount, not only the top ones'.
 */
export function topCustomers(data: DashData, f: DashFilters, n = TOP_CUSTOMERS): ChartFigures {
  const { rows, filters } = selected(data, 'contract', f, { states: [...LEDGER_STATES] })
  const sums = new Map<string, number>()
  let total = 0
  for (const r of rows) {
    const amount = fen(r.values.totalAmount)
    const c = str(r.values.customer)
    sums.set(c, (sums.get(c) ?? 0) + amount)
    total += amount
  }
  const names = new Map(data.rows('customer').map((c) => [c.id, str(c.values[data.form('customer').titleField]) || c.number]))
  const segments = [...sums].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n)
    .map(([customer, value]) => ({ key: customer, value, label: names.get(customer) ?? '', drill: listDrill('contract', { ...filters, ref: customer }) }))
  return { headline: total, unit: 'fen', segments }
}

// ---------- forecast against actual (R18, §5.10.3) ----------

/** How many months the forecast chart shows at most (the period's last ones). */
export const FORECAST_MONTHS = 12

/**
 * 销售预估 vs 实际 by month: per month of the period (its last `FORECAST_MONTHS`), the forecasts submitted
 * or reviewed for it against the approved contracts signed and the deliveries shipped in it, by
 * `forecastVsActual` (forms/sales-forecast) as the forecast's own 预估与实际 totals it. The digest keeps
 * each document's total, not its lines, so the documents enter by their totals (预估金额合计, 合同金额,
 * 发货金额), summed per salesperson: the month's totals, not the per-product matching. The salesperson
 * filter applies; the customer filter does not (a forecast names its customers on its lines).
 * Segment value: contracts signed; `forecast` beside it; headline: contracts over the months shown.
 */
export function forecastByMonth(data: DashData, f: DashFilters): ChartFigures {
  const to = (f.to && f.to < data.today ? f.to : data.today).slice(0, 7)
  let from = (f.from ?? to).slice(0, 7)
  const floor = monthAfter(`${to}-01`, -(FORECAST_MONTHS - 1))
  if (from < floor) from = floor
  // The month's documents that count, summed per salesperson (sums are all the chart reads, and
  // forecastVsActual's totals add up line by line): one line of the sum each. Kept while the rows and
  // the months stay the same (a salesperson chosen reuses it).
  const months = memo(data, `forecast:${from}:${to}`, () => {
    type Doc = { state: string; values: ListRow['values']; lines: { items: Array<{ id: string; values: ListRow['values'] }> } }
    const out = new Map<string, Map<string, Doc>>()
    const first = `${from}-01`, last = `${to}-31`
    const add = (kind: string, state: string, date: string, day: string, r: ListRow, amount: unknown) => {
      if (day < first || day > last) return
      const m = day.slice(0, 7)
      const sp = str(r.values.salesperson)
      const k = `${kind}|${m}`
      const docs = out.get(k) ?? out.set(k, new Map()).get(k)!
      let d = docs.get(sp)
      if (!d) { d = { state, values: { salesperson: sp, customer: '*', month: m, ...(date === 'month' ? {} : { [date]: `${m}-01` }) }, lines: { items: [{ id: 'sum', values: { customer: '*', amount: 0 } }] } }; docs.set(sp, d) }
      const line = d.lines.items[0]!.values
      line.amount = (line.amount as number) + fen(amount)
    }
    for (const r of data.rows('salesForecast')) if (COUNTED_FORECASTS.includes(r.state)) add('forecasts', r.state, 'month', `${str(r.values.month)}-01`, r, r.values.forecastTotal)
    for (const r of data.rows('contract')) if (LEDGER_STATES.includes(r.state)) add('contracts', r.state, 'signDate', str(r.values.signDate), r, r.values.totalAmount)
    for (const r of data.rows('delivery')) if (SHIPPED_STATES.includes(r.state)) add('deliveries', r.state, 'shipDate', str(r.values.shipDate), r, r.values.totalAmount)
    return out
  })
  const docsOf = (m: string, kind: string) => [...(months.get(`${kind}|${m}`)?.values() ?? [])]
  const facets = listFacets(data.form('salesForecast'))
  const segments: Segment[] = []
  for (let m = from; m <= to; m = monthAfter(`${m}-01`, 1)) {
    const { total } = forecastVsActual({
      month: m, ...(f.salesperson ? { salesperson: f.salesperson } : {}),
      forecasts: docsOf(m, 'forecasts'), contracts: docsOf(m, 'contracts'), deliveries: docsOf(m, 'deliveries'),
    })
    const filters: ListFilters = { states: [...COUNTED_FORECASTS], ...(f.salesperson && facets.user ? { user: f.salesperson } : {}) }
    segments.push({ key: m, value: total.contracted, forecast: total.forecast, shipped: total.shipped, drill: { kind: 'list', form: 'salesForecast', query: { text: m, filters } } })
  }
  return { headline: segments.reduce((n, s) => n + s.value, 0), unit: 'fen', segments }
}
