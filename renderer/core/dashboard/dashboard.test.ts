import { describe, expect, it } from 'vitest'
import { formById } from '../../../forms/registry'
import { ageingReport, receivables } from '../../../forms/contract/contract.ageing'
import { listFacets, passesFilters, queryFromParams, queryToParams, type ListRow } from '../list-query'
import { ageingInputOf, deliveriesDue, forecastByMonth, pipeline, receivablesAgeing, samplesOverdue, topCustomers, type ChartFigures, type DashData, type Drill } from './dashboard'
import { DASHBOARD_CHARTS, dashboardFor, tilesOf } from './charts'

const TODAY = '2026-12-01'
const rows: Record<string, ListRow[]> = {}
let seq = 0
/** A digest row: the number, state and the values the digest keeps. */
function add(form: string, state: string, values: ListRow['values'], id = `${form}-${++seq}`): string {
  const at = '2026-11-02T04:00:00.000Z'
  ;(rows[form] ??= []).push({ id, number: `N${seq}`, state, createdAt: at, updatedAt: at, values })
  return id
}
const data: DashData = { today: TODAY, rows: (f) => rows[f] ?? [], form: formById }

// Customers k1–k4; salespeople s1, s2.
add('customer', '', { fullName: '佛山市美达电器有限公司', salesperson: 's1', paymentMethod: 'credit', creditDays: 30, openingBalance: 100000, openingDate: '2026-08-01' }, 'k1')
add('customer', '', { fullName: '深圳华兴塑胶制品有限公司', salesperson: 's1', paymentMethod: 'credit', creditDays: 30 }, 'k2')
add('customer', '', { fullName: '东莞市宏达科技有限公司', salesperson: 's2', paymentMethod: 'credit', creditDays: 60 }, 'k3')
add('customer', '', { fullName: '中山市新新塑料厂', salesperson: 's2', paymentMethod: 'cash' }, 'k4')
// The pipeline (evaluations are dated by creation, 2026-11-02).
add('customerEvaluation', 'submitted', { customer: 'k1', salesperson: 's1' })
add('customerEvaluation', 'develop', { customer: 'k2', salesperson: 's1' })
add('customerEvaluation', 'develop', { customer: 'k3', salesperson: 's2' })
add('customerEvaluation', 'draft', { customer: 'k4', salesperson: 's2' })
add('sampleApplication', 'review', { customer: 'k1', salesperson: 's1', applyDate: '2026-11-05' })
add('sampleApplication', 'scheduled', { customer: 'k2', salesperson: 's1', applyDate: '2026-11-10' })
add('sampleApplication', 'draft', { customer: 'k2', salesperson: 's1', applyDate: '2026-11-11' })
add('sampleConfirmation', 'signed', { customer: 'k1', salesperson: 's1', confirmDate: '2026-11-20' })
add('quotation', 'approved', { customer: 'k1', salesperson: 's1', quoteDate: '2026-11-25', grandTotal: 1234567 })
add('quotation', 'pending', { customer: 'k3', salesperson: 's2', quoteDate: '2026-10-01', grandTotal: 500000 })
// Contracts: k1 1,234,567 + 765,433 fen, k2 2,000,000 (a tie with k1), k3 one under review and one in September.
const ct1 = add('contract', 'signed', { customer: 'k1', salesperson: 's1', signDate: '2026-11-03', totalAmount: 1234567, paymentMethod: 'credit', creditDays: 30 })
add('contract', 'approved', { customer: 'k2', salesperson: 's1', signDate: '2026-11-10', totalAmount: 2000000 })
add('contract', 'closed', { customer: 'k1', salesperson: 's1', signDate: '2026-11-15', totalAmount: 765433 })
add('contract', 'review', { customer: 'k3', salesperson: 's2', signDate: '2026-11-16', totalAmount: 9999999 })
add('contract', 'signed', { customer: 'k3', salesperson: 's2', signDate: '2026-09-01', totalAmount: 500000 })
// Samples out: dispatched 11-10 (late on R5 only), 10-20 (both), 10-20 on site (R6 only), fed back, 11-25 (nothing yet).
add('sampleShipment', 'shipped', { customer: 'k1', salesperson: 's1', dispatchDate: '2026-11-10' })
add('sampleShipment', 'shipped', { customer: 'k2', salesperson: 's1', dispatchDate: '2026-10-20' })
add('sampleShipment', 'shipped', { customer: 'k3', salesperson: 's2', dispatchDate: '2026-10-20', onSiteTrial: true })
add('sampleShipment', 'fedBack', { customer: 'k3', salesperson: 's2', dispatchDate: '2026-10-01' })
add('sampleShipment', 'shipped', { customer: 'k3', salesperson: 's2', dispatchDate: '2026-11-25' })
// Promised dates: late, in 4 days, in 7 days (the last day of the week), in 8 days, produced.
add('productionNotice', 'scheduled', { customer: 'k1', salesperson: 's1', requiredDate: '2026-11-20', promisedDate: '2026-11-28' })
add('productionNotice', 'replied', { customer: 'k2', salesperson: 's1', requiredDate: '2026-11-25', promisedDate: '2026-12-05' })
add('productionNotice', 'replied', { customer: 'k3', salesperson: 's2', requiredDate: '2026-11-25', promisedDate: '2026-12-08' })
add('productionNotice', 'replied', { customer: 'k3', salesperson: 's2', requiredDate: '2026-11-25', promisedDate: '2026-12-09' })
add('productionNotice', 'produced', { customer: 'k3', salesperson: 's2', requiredDate: '2026-10-25', promisedDate: '2026-11-01' })
// Receivables of k1 on contract ct1 (30 days): see the ageing test for the worked figures.
add('delivery', 'booked', { contract: ct1, customer: 'k1', salesperson: 's1', shipDate: '2026-10-15', totalAmount: 500000 })
add('delivery', 'booked', { contract: ct1, customer: 'k1', salesperson: 's1', shipDate: '2026-09-01', totalAmount: 300000 })
add('delivery', 'shipped', { contract: ct1, customer: 'k1', salesperson: 's1', shipDate: '2026-09-02', totalAmount: 999900 })
add('delivery', 'booked', { contract: ct1, customer: 'k1', salesperson: 's1', shipDate: '2026-11-20', totalAmount: 70000 })
add('payment', 'confirmed', { contract: ct1, customer: 'k1', amount: 200000, receivedDate: '2026-10-10' })
add('adjustment', 'confirmed', { contract: ct1, customer: 'k1', amount: 50000, adjustDate: '2026-11-05' })
// 销售预估: s1's November reviewed (a draft does not count), s2's November submitted and September reviewed.
add('salesForecast', 'reviewed', { salesperson: 's1', month: '2026-11', forecastTotal: 3000000 })
add('salesForecast', 'draft', { salesperson: 's1', month: '2026-11', forecastTotal: 999999 })
add('salesForecast', 'submitted', { salesperson: 's2', month: '2026-11', forecastTotal: 100000 })
add('salesForecast', 'reviewed', { salesperson: 's2', month: '2026-09', forecastTotal: 400000 })

const values = (c: ChartFigures) => c.segments.map((s) => s.value)
/** The rows a drill-down's list shows: the form's list filters over the same rows. */
function drilled(d: Drill): ListRow[] {
  if (d.kind !== 'list') throw new Error('not a list drill')
  const facets = listFacets(formById(d.form))
  // Through the URL, as the page opens it.
  const q = queryFromParams(queryToParams(d.query))
  return (rows[d.form] ?? []).filter((r) => passesFilters(facets, q.filters, r))
}

describe('pipeline: documents past draft per stage, conversion per customer', () => {
  it('counts each stage and the share of its customers reaching the next', () => {
    const p = pipeline(data, {})
    expect(p.segments.map((s) => s.key)).toEqual(['customerEvaluation', 'sampleApplication', 'sampleConfirmation', 'quotation', 'contract'])
    expect(values(p)).toEqual([3, 2, 1, 2, 5])
    expect(p.segments.map((s) => s.customers)).toEqual([3, 2, 1, 2, 3])
    // k1 k2 k3 → k1 k2: 2/3; k1 k2 → k1: 1/2; k1 → k1: 1/1; k1 k3 → (k1 k2 k3): 2/2; last stage: none.
    // A contract under review counts (past draft); the 台帐's states are the ranking's.
    expect(p.segments.map((s) => s.rateToNext)).toEqual([6667, 5000, 10000, 10000, undefined])
    expect(p.headline).toBe(5)
  })
  it('follows the period (each form by its list date) and the salesperson', () => {
    const nov = pipeline(data, { from: '2026-11-01', to: '2026-11-30' })
    expect(values(nov)).toEqual([3, 2, 1, 1, 4])
    expect(nov.segments[3]!.rateToNext).toBe(10000)
    const s2 = pipeline(data, { salesperson: 's2' })
    expect(values(s2)).toEqual([1, 0, 0, 1, 2])
    expect(s2.segments[0]!.rateToNext).toBe(0)
    expect(s2.segments[1]!.rateToNext).toBeUndefined()
    expect(values(pipeline(data, { customer: 'k1' }))).toEqual([1, 1, 1, 1, 2])
  })
  it('each stage opens the list of exactly the documents it counts', () => {
    for (const f of [{}, { from: '2026-11-01', to: '2026-11-30' }, { salesperson: 's2' }, { customer: 'k1' }]) {
      for (const s of pipeline(data, f).segments) expect(drilled(s.drill).length, `${s.key} ${JSON.stringify(f)}`).toBe(s.value)
    }
  })
})

describe('samples without feedback (R5, R6) and deliveries due (R14): the forms\' deadlines, as the inbox reads them', () => {
  it('R5 late (2 weeks, not for an on-site trial), R6 late (30 days); the headline counts each sample once', () => {
    const s = samplesOverdue(data, {})
    expect(s.segments.map((x) => x.key)).toEqual(['R5:late', 'R6:late'])
    expect(values(s)).toEqual([2, 2])
    expect(s.headline).toBe(3)
    expect(values(samplesOverdue(data, { salesperson: 's2' }))).toEqual([0, 1])
    for (const x of s.segments) expect(drilled(x.drill).length).toBe(x.value)
  })
  it('R14: promised dates passed, and those due in the coming 7 days (the 7th included)', () => {
    const d = deliveriesDue(data, {})
    expect(values(d)).toEqual([1, 2])
    expect(d.headline).toBe(3)
    expect(values(deliveriesDue(data, { customer: 'k3' }))).toEqual([0, 1])
    for (const x of d.segments) expect(drilled(x.drill).map((r) => r.values.promisedDate).sort()).toEqual(x.key.endsWith('late') ? ['2026-11-28'] : ['2026-12-05', '2026-12-08'])
  })
})

describe('receivables ageing: the 账龄分析 page\'s figures', () => {
  it('today: FIFO settling, to the fen', () => {
    // d2 (due 10-01) takes the payment 2,000.00 and the claim 500.00: 500.00 open, 61 days → 61–90;
    // d1 (due 11-14) 5,000.00, 17 days → 1–30; d4 (due 12-20) 700.00 未到期; the opening 1,000.00 is 122 days old.
    const a = receivablesAgeing(data, {})
    expect(a.segments.map((s) => s.key)).toEqual(['current', 'd30', 'd60', 'd90', 'over90'])
    expect(values(a)).toEqual([70000, 500000, 0, 50000, 100000])
    expect(a.headline).toBe(720000)
    const page = ageingReport(receivables(ageingInputOf(data), TODAY), 'customer').totals
    expect(a.headline).toBe(page.total)
  })
  it('on the period\'s end: only what happened by then', () => {
    const a = receivablesAgeing(data, { from: '2026-10-01', to: '2026-10-31' })
    expect(values(a)).toEqual([500000, 100000, 0, 0, 100000])
    expect(a.segments[1]!.drill).toEqual({ kind: 'ageing', asOf: '2026-10-31', bucket: 'd30' })
  })
  it('by salesperson and customer', () => {
    expect(receivablesAgeing(data, { salesperson: 's2' }).headline).toBe(0)
    expect(receivablesAgeing(data, { customer: 'k1', salesperson: 's1' }).segments[3]!.drill).toEqual({ kind: 'ageing', asOf: TODAY, bucket: 'd90', customer: 'k1', salesperson: 's1' })
  })
})

describe('forecast against actual by month (R18)', () => {
  it('per month: forecasts counted for it, contracts signed and deliveries shipped in it, to the fen', () => {
    const f = forecastByMonth(data, { from: '2026-09-01', to: '2026-11-30' })
    expect(f.segments.map((s) => [s.key, s.forecast, s.value, s.shipped])).toEqual([
      // September: s2's 4,000.00 against k3's contract 5,000.00; shipped 3,000.00 booked + 9,999.00 not yet booked.
      ['2026-09', 400000, 500000, 1299900],
      ['2026-10', 0, 0, 500000],
      // November: 30,000.00 + 1,000.00 forecast; contracts 12,345.67 + 20,000.00 + 7,654.33 (the one under review does not count).
      ['2026-11', 3100000, 4000000, 70000],
    ])
    expect(f.headline).toBe(4500000)
    expect(forecastByMonth(data, { from: '2026-09-01', to: '2026-11-30', salesperson: 's2' }).segments.map((s) => [s.forecast, s.value, s.shipped])).toEqual([[400000, 500000, 0], [0, 0, 0], [100000, 0, 0]])
  })
  it('at most the period\'s last 12 months; a month opens its counted forecasts', () => {
    const f = forecastByMonth(data, { from: '2024-01-01', to: TODAY })
    expect(f.segments.map((s) => s.key)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'])
    const nov = f.segments[10]!.drill
    expect(nov).toEqual({ kind: 'list', form: 'salesForecast', query: { text: '2026-11', filters: { states: ['submitted', 'reviewed'] } } })
    expect(drilled(nov).filter((r) => r.values.month === '2026-11').map((r) => r.values.forecastTotal)).toEqual([3000000, 100000])
  })
})

describe('top customers: the 合同台帐\'s contracts signed in the period', () => {
  it('sums per customer, the largest first (ties by customer), the headline over all', () => {
    const t = topCustomers(data, { from: '2026-11-01', to: '2026-11-30' })
    expect(t.segments.map((s) => [s.key, s.value, s.label])).toEqual([['k1', 2000000, '佛山市美达电器有限公司'], ['k2', 2000000, '深圳华兴塑胶制品有限公司']])
    expect(t.headline).toBe(4000000)
    const all = topCustomers(data, {})
    expect(values(all)).toEqual([2000000, 2000000, 500000])
    expect(all.headline).toBe(4500000)
    expect(topCustomers(data, {}, 1).segments.map((s) => s.key)).toEqual(['k1'])
    for (const s of t.segments) expect(drilled(s.drill).reduce((n, r) => n + (r.values.totalAmount as number), 0)).toBe(s.value)
  })
})

describe('dashboardFor: by role', () => {
  const ids = (roles: Parameters<typeof dashboardFor>[0]) => dashboardFor(roles, 'u1').charts.map((c) => c.id)
  it('the director sees the office first; finance its receivables; a clerk or salesperson their inbox first', () => {
    expect(ids(['marketingDirector'])).toEqual(DASHBOARD_CHARTS.map((c) => c.id))
    expect(dashboardFor(['generalManager'], 'u1').first).toBe(true)
    expect(ids(['finance'])).toEqual(['ageing', 'topCustomers'])
    expect(dashboardFor(['finance'], 'u1').first).toBe(true)
    expect(ids(['csAssistant'])).toEqual(['pipeline', 'samplesOverdue', 'deliveriesDue'])
    expect(dashboardFor(['csAssistant'], 'u1').first).toBe(false)
    expect(dashboardFor(['csAssistant'], 'u1').ownSalesperson).toBeUndefined()
    expect(dashboardFor(['salesperson'], 'u1')).toMatchObject({ first: false, ownSalesperson: 'u1' })
    expect(dashboardFor(['salesperson', 'marketingHead'], 'u1').ownSalesperson).toBeUndefined()
    expect(ids(['qa'])).toEqual([])
  })
  it('a clerk\'s headline tiles: the warning charts\' first, each the figure and drill-down of its segment', () => {
    const figures = dashboardFor(['csAssistant'], 'u1').charts.map((chart) => ({ chart, figures: chart.compute(data, {}) }))
    const tiles = tilesOf(figures)
    expect(tiles.map((t) => `${t.chart.id} ${t.segment.key} ${t.segment.value}`)).toEqual([
      'samplesOverdue R5:late 2', 'samplesOverdue R6:late 2', 'deliveriesDue R14:late 1', 'deliveriesDue R14:soon 2', 'pipeline quotation 2', 'pipeline contract 5',
    ])
    for (const t of tiles) expect(t.segment).toBe(figures.find((f) => f.chart === t.chart)!.figures.segments[t.index])
  })
})

describe('a list query in a URL', () => {
  it('goes there and back; what is malformed is left out', () => {
    const q = { text: '美达 HT', filters: { states: ['approved', 'signed'], from: '2026-11-01', to: '2026-11-30', ref: 'k1', user: 's1', due: { deadline: 'R6', status: 'late' as const, asOf: TODAY } }, sort: { key: 'signDate', dir: 'asc' as const } }
    expect(queryFromParams(queryToParams(q))).toEqual(q)
    expect(queryFromParams({ from: '11/01/2026', due: 'R6:later:2026-12-01', sort: 'x', states: '' })).toEqual({})
    expect(queryFromParams({ to: ['2026-11-30', '2026-12-31'] })).toEqual({ filters: { to: '2026-11-30' } })
  })
})

describe('deadlines ignore the period\'s end', () => {
  it('a promised date after the period is still due this week', () => {
    const d = deliveriesDue(data, { from: '2026-11-01', to: '2026-11-24' })
    // requiredDate 11-20 and 11-25 (two): the period's start applies, not its end.
    expect(values(d)).toEqual([1, 2])
    for (const x of d.segments) expect(drilled(x.drill).length).toBe(x.value)
  })
})
