/**
 * 销售预估 (§5.10.3, R18): the month's forecast per customer and product, due by the 25th of the
 * month before, and what became of it: approved contracts signed and deliveries shipped in the
 * month (`forecastVsActual`, also charted by month on the start page).
 */
import type { DocSnapshot, DutyDef, FieldValue, FormData, GatherContext, Guard, LineRow, Values } from '../schema/types'
import { SHIPPED_STATES } from '../contract/contract.tally'
import { LEDGER_STATES } from '../contract/contract.ledger'
import { dutyDueDate, monthAfter } from '../../renderer/core/duties'

/** R18, §5.10.3: every salesperson's forecast for next month, shown from the 20th, due on the 25th. */
export const FORECAST_DUTY: DutyDef = {
  id: 'monthlyForecast',
  roles: ['salesperson'],
  periodField: 'month',
  userField: 'salesperson',
  states: ['submitted', 'reviewed'],
  ahead: 1,
  showFrom: 20,
  dueDay: 25,
  overseers: ['marketingManager', 'marketingHead'],
  note: { rule: 'R18', clause: '§5.10.3', message: { zh: '每月25日前提交下月销售预估', en: 'Submit next month’s sales forecast by the 25th' } },
}

/** Forecasts that count (submitted for review, or reviewed). */
export const COUNTED_FORECASTS = FORECAST_DUTY.states

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '')
const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const isMonth = (m: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m)

/** The day a forecast for `month` is due (the 25th of the month before), or null for no month. */
export function forecastDueDate(month: FieldValue | undefined): string | null {
  const m = str(month)
  return isMonth(m) ? dutyDueDate(FORECAST_DUTY, m) : null
}

/** A new forecast is for next month. */
export function nextMonth(today: string): string { return monthAfter(today, 1) }

/** R18: submitting after the due date is allowed, but warned (and the document is marked 逾期提交). */
export const forecastOnTime: Guard = ({ doc, today }) => {
  const due = forecastDueDate(doc.values.month)
  if (!due || today <= due) return { ok: true }
  return {
    ok: true,
    warning: {
      rule: 'R18', clause: '§5.10.3',
      message: {
        zh: `${str(doc.values.month)} 的销售预估应在 ${due} 前提交，今天提交将标记为“逾期提交”`,
        en: `The forecast for ${str(doc.values.month)} was due by ${due}; it will be marked as submitted late`,
      },
    },
  }
}

/** Written by 提交: the day it was submitted and whether that was after the due date (R18). */
export function markSubmission(data: FormData, today: string): Values {
  const due = forecastDueDate(data.values.month)
  return { submittedOn: today, lateSubmitted: !!due && today > due }
}

/** 预估金额合计. */
export function forecastTotal(data: FormData): number {
  return (data.lines.items ?? []).reduce((n, r) => n + fen(r.values.amount), 0)
}

/** 达成率 in percent with one decimal, rounded half up ("95.2"), or null without a forecast. */
export function achievement(actual: number, forecast: number): string | null {
  if (forecast <= 0) return null
  const tenths = (BigInt(actual) * 2000n + BigInt(forecast)) / (2n * BigInt(forecast))
  return `${tenths / 10n}.${tenths % 10n}`
}

/** One line of the comparison: a forecast line (or a customer's business nobody forecast) and what happened. */
export interface ForecastRow {
  customer: string
  product: string
  productGroup: string
  forecast: number
  contracted: number
  shipped: number
  /** 实际合同 / 预估, percent with one decimal; null when nothing was forecast. */
  rate: string | null
}

export interface ForecastVsActual {
  month: string
  rows: ForecastRow[]
  total: { forecast: number; contracted: number; shipped: number; rate: string | null }
}

export interface ForecastVsActualInput {
  /** YYYY-MM. */
  month: string
  salesperson?: string
  customer?: string
  /** 销售预估 documents (only submitted or reviewed ones for `month` count). */
  forecasts: readonly Pick<DocSnapshot, 'state' | 'values' | 'lines'>[]
  contracts: readonly Pick<DocSnapshot, 'state' | 'values' | 'lines'>[]
  deliveries: readonly Pick<DocSnapshot, 'state' | 'values' | 'lines'>[]
  /** The product group of a product record id (product.group). */
  groups?: Readonly<Record<string, string>>
}

/**
 * Forecast against actual for a month (R18, §5.10.3): each forecast line's amount against the
 * approved contracts (合同台帐 states) signed in the month and the deliveries shipped in the month,
 * of the same customer and product (a line naming only a product group takes the group's products,
 * a line naming neither the customer's rest; goods typed without a product record count for the
 * customer's forecast when it has only one line). Each actual line counts once, for the most specific
 * forecast line; a customer's business nobody forecast is a row of its own with no forecast.
 * Optionally only one salesperson's or one customer's.
 */
export function forecastVsActual(input: ForecastVsActualInput): ForecastVsActual {
  const { month, salesperson, customer } = input
  const groups = input.groups ?? {}
  const mine = (v: Values) => (!salesperson || str(v.salesperson) === salesperson) && (!customer || str(v.customer) === customer)
  const rows: ForecastRow[] = []
  const at = new Map<string, ForecastRow>()
  const keyOf = (c: string, p: string, g: string) => `${c}|${p}|${g}`
  for (const f of input.forecasts) {
    if (!COUNTED_FORECASTS.includes(f.state) || str(f.values.month) !== month || (salesperson && str(f.values.salesperson) !== salesperson)) continue
    for (const l of f.lines.items ?? []) {
      const c = str(l.values.customer)
      if (!c || (customer && c !== customer)) continue
      const p = str(l.values.product), g = p ? '' : str(l.values.productGroup)
      const k = keyOf(c, p, g)
      let row = at.get(k)
      if (!row) { row = { customer: c, product: p, productGroup: g, forecast: 0, contracted: 0, shipped: 0, rate: null }; at.set(k, row); rows.push(row) }
      row.forecast += fen(l.values.amount)
    }
  }
  const extra = new Map<string, ForecastRow>()
  /** The row an actual line counts for: its product's, else its group's, else its customer's, else a row of its own. */
  const rowFor = (c: string, line: Values): ForecastRow => {
    const p = str(line.product)
    const g = p ? (groups[p] ?? '') : ''
    const hit = (p && at.get(keyOf(c, p, ''))) || (g && at.get(keyOf(c, '', g))) || at.get(keyOf(c, '', ''))
    if (hit) return hit
    // Goods typed without a product record: the customer's only forecast line, when there is just one.
    const theirs = rows.filter((r) => r.customer === c)
    if (!p && theirs.length === 1) return theirs[0]!
    let row = extra.get(c)
    if (!row) { row = { customer: c, product: '', productGroup: '', forecast: 0, contracted: 0, shipped: 0, rate: null }; extra.set(c, row) }
    return row
  }
  const count = (docs: ForecastVsActualInput['contracts'], states: readonly string[], dateField: string, into: 'contracted' | 'shipped') => {
    for (const d of docs) {
      if (!states.includes(d.state) || !str(d.values[dateField]).startsWith(`${month}-`) || !mine(d.values)) continue
      const c = str(d.values.customer)
      for (const l of d.lines.items ?? []) rowFor(c, l.values)[into] += fen(l.values.amount)
    }
  }
  count(input.contracts, LEDGER_STATES, 'signDate', 'contracted')
  count(input.deliveries, SHIPPED_STATES, 'shipDate', 'shipped')
  const all = [...rows, ...[...extra.values()].sort((a, b) => (a.customer < b.customer ? -1 : 1))]
  for (const r of all) r.rate = achievement(r.contracted, r.forecast)
  const sum = (k: 'forecast' | 'contracted' | 'shipped') => all.reduce((n, r) => n + r[k], 0)
  const total = { forecast: sum('forecast'), contracted: sum('contracted'), shipped: sum('shipped'), rate: null as string | null }
  total.rate = achievement(total.contracted, total.forecast)
  return { month, rows: all, total }
}

/** The product groups of the products named in these documents' lines, read through the lookup. */
export async function groupsOf(docs: readonly DocSnapshot[], lookup: GatherContext['lookup']): Promise<Record<string, string>> {
  const ids = new Set(docs.flatMap((d) => (d.lines.items ?? []).map((l) => str(l.values.product)).filter(Boolean)))
  const out: Record<string, string> = {}
  for (const id of ids) {
    const p = await lookup.get('product', id)
    const g = str(p?.values.group)
    if (g) out[id] = g
  }
  return out
}

/**
 * The forecast's 预估与实际 as the records stand now: this document's own lines (as typed, whatever
 * its state) against its salesperson's contracts and deliveries of the month.
 */
export async function forecastActuals(data: FormData, ctx: GatherContext): Promise<FormData> {
  const month = str(data.values.month)
  const salesperson = str(data.values.salesperson)
  const [contracts, deliveries] = await Promise.all([
    ctx.lookup.findBy('contract', 'salesperson', salesperson), ctx.lookup.findBy('delivery', 'salesperson', salesperson),
  ])
  const result = forecastVsActual({
    month, salesperson,
    forecasts: [{ state: COUNTED_FORECASTS[0]!, values: data.values, lines: data.lines }],
    contracts, deliveries, groups: await groupsOf([...contracts, ...deliveries], ctx.lookup),
  })
  const actuals: LineRow[] = result.rows.map((r, i) => ({
    id: `a${i}`,
    values: { customer: r.customer, product: r.product || null, productGroup: r.productGroup || null, forecast: r.forecast, contracted: r.contracted, shipped: r.shipped, rate: r.rate },
  }))
  return {
    values: { contractedTotal: result.total.contracted, shippedTotal: result.total.shipped, achievementRate: result.total.rate },
    lines: { actuals },
  }
}

/** A forecast line names a customer and either a product or a product group. */
export function linesNameGoods(data: FormData) {
  return (data.lines.items ?? []).flatMap((r, row) => (str(r.values.product) || str(r.values.productGroup)
    ? []
    : [{ field: 'items', row, column: 'product', message: { zh: '请选择产品或产品组', en: 'Pick a product or a product group' } }]))
}

/** Picking a product fills its group. */
export function productGroupOf(product: { values: Values }): Values {
  return { productGroup: product.values.group ?? null, unit: product.values.unit ?? null }
}
