/**
 * The registry of the start page's charts (issue 11): adding a chart is one entry here (its figures
 * from a named pure function, the roles that see it, the forms it reads, how it is drawn) plus its
 * labels in the locales (`dashboard.<id>.*`). The page draws whatever this list gives a user.
 */
import type { Role } from '../vocabulary'
import { deliveriesDue, forecastByMonth, pipeline, receivablesAgeing, samplesOverdue, topCustomers, type ChartFigures, type DashData, type DashFilters, type Segment } from './dashboard'

/** How a chart is drawn: a funnel of stages, vertical bars, horizontal bars (a ranking), or two bars per segment (its `forecast` beside its value). */
export type ChartKind = 'funnel' | 'bar' | 'rank' | 'versus'

export interface DashboardChart {
  /** Also its i18n key (`dashboard.<id>.title` …) and its test id. */
  id: string
  kind: ChartKind
  /** Who sees it on their start page (any of these roles, own or by proxy). */
  roles: readonly Role[]
  /** The forms whose digest rows it reads (the data layer builds those before computing). */
  forms: readonly string[]
  /** A segment is coloured as a warning (late, overdue) when this says so. */
  alarm?: (key: string) => boolean
  /**
   * The segments (by key) shown as headline tiles, a number and a word each, above the to-do list of
   * a start page whose charts come after it (a clerk's, a salesperson's); a tile opens what its segment opens.
   */
  tiles?: readonly string[]
  compute: (data: DashData, filters: DashFilters) => ChartFigures
}

/** Those who see the office's whole picture, the dashboard before their to-do list. */
export const OFFICE_ROLES: readonly Role[] = ['marketingDirector', 'generalManager', 'marketingHead', 'marketingManager', 'viceGM']
/** Finance: receivables first. */
export const FINANCE_ROLES: readonly Role[] = ['finance', 'financeVP']

const office = OFFICE_ROLES
export const DASHBOARD_CHARTS: readonly DashboardChart[] = [
  { id: 'pipeline', kind: 'funnel', roles: [...office, 'salesperson', 'csAssistant'], forms: ['customerEvaluation', 'sampleApplication', 'sampleConfirmation', 'quotation', 'contract', 'customer'], tiles: ['quotation', 'contract'], compute: pipeline },
  { id: 'ageing', kind: 'bar', roles: [...office, ...FINANCE_ROLES, 'salesperson'], forms: ['customer', 'contract', 'delivery', 'payment', 'adjustment'], alarm: (k) => k !== 'current', tiles: ['d90', 'over90'], compute: receivablesAgeing },
  { id: 'samplesOverdue', kind: 'bar', roles: [...office, 'salesperson', 'csAssistant'], forms: ['sampleShipment', 'customer'], alarm: () => true, tiles: ['R5:late', 'R6:late'], compute: samplesOverdue },
  { id: 'deliveriesDue', kind: 'bar', roles: [...office, 'salesperson', 'csAssistant', 'pmc', 'productionHead'], forms: ['productionNotice', 'customer'], alarm: (k) => k.endsWith(':late'), tiles: ['R14:late', 'R14:soon'], compute: deliveriesDue },
  { id: 'topCustomers', kind: 'rank', roles: [...office, ...FINANCE_ROLES, 'salesperson'], forms: ['contract', 'customer'], compute: topCustomers },
  { id: 'forecast', kind: 'versus', roles: [...office, 'salesperson'], forms: ['salesForecast', 'contract', 'delivery', 'customer'], compute: forecastByMonth },
]

/**
 * Values the charts read beyond what each form's list keeps (the digest keeps these too):
 * 账龄 needs 信用期 / 付款方式 / 期初余额 and the money of payments and adjustments; R5 reads 现场试样.
 */
export const DASHBOARD_FIELDS: Readonly<Record<string, readonly string[]>> = {
  customer: ['salesperson', 'paymentMethod', 'creditDays', 'openingBalance', 'openingDate'],
  contract: ['customer', 'salesperson', 'paymentMethod', 'creditDays', 'totalAmount', 'signDate'],
  delivery: ['contract', 'customer', 'salesperson', 'shipDate', 'totalAmount'],
  payment: ['contract', 'customer', 'amount', 'receivedDate'],
  adjustment: ['contract', 'customer', 'amount', 'adjustDate'],
  sampleShipment: ['dispatchDate', 'onSiteTrial'],
  productionNotice: ['promisedDate'],
  salesForecast: ['salesperson', 'month', 'forecastTotal'],
}

/** A user's start page: which charts, whether they come before the to-do list, and a salesperson fixed to the user. */
export interface DashboardPlan {
  charts: DashboardChart[]
  /** The dashboard above the to-do list (the office's picture, receivables); else below it. */
  first: boolean
  /** A salesperson (without an office or finance role) sees their own documents: the filter is fixed to them. */
  ownSalesperson?: string
}

/** The plan for a user holding `roles` (own and proxy). */
export function dashboardFor(roles: readonly Role[], userId: string, charts: readonly DashboardChart[] = DASHBOARD_CHARTS): DashboardPlan {
  const has = (list: readonly Role[]) => roles.some((r) => list.includes(r))
  const wide = has(OFFICE_ROLES) || has(FINANCE_ROLES)
  const plan: DashboardPlan = { charts: charts.filter((c) => has(c.roles)), first: wide }
  if (!wide && roles.includes('salesperson')) plan.ownSalesperson = userId
  return plan
}

/** One headline tile: its chart, the segment's index in the chart's figures, and that segment. */
export interface DashTile { chart: DashboardChart; index: number; segment: Segment }

/**
 * The tiles of the charts (each chart's `tiles`, in order) from their figures, the charts that warn
 * (late, overdue) first; a segment a chart does not give is left out.
 */
export function tilesOf(figures: ReadonlyArray<{ chart: DashboardChart; figures: ChartFigures }>): DashTile[] {
  const warns = [...figures].sort((a, b) => Number(!!b.chart.alarm) - Number(!!a.chart.alarm))
  return warns.flatMap(({ chart, figures: f }) => (chart.tiles ?? []).flatMap((key) => {
    const index = f.segments.findIndex((s) => s.key === key)
    return index < 0 ? [] : [{ chart, index, segment: f.segments[index]! }]
  }))
}

/** The forms whose rows the plan's charts read. */
export function formsOf(charts: readonly DashboardChart[]): string[] {
  return [...new Set(charts.flatMap((c) => c.forms))]
}
