/**
 * The start page's figures (issue 11) over 100,000 documents (`BENCH_N`), in Node: every chart of
 * the director's dashboard computed by its pure function (renderer/core/dashboard) from digest rows,
 * the rows the lists' digest keeps in memory (list-digest.ts with `DASHBOARD_FIELDS`), plus the
 * ECharts options built from them. Median of `BENCH_REPS` (default 11) after one warm-up.
 * Run: npm run bench -- dashboard
 *
 * Not measured here: drawing in Chromium (the harness has no page for it yet), and the digest's
 * first build, which reads every document from IndexedDB once per session (bench/lists.bench.ts).
 */
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { formById } from '../forms/registry'
import { addDays } from '../renderer/core/validation'
import { mulberry32 } from '../renderer/core/testing/random'
import type { ListRow } from '../renderer/core/list-query'
import { DASHBOARD_CHARTS, dashboardFor } from '../renderer/core/dashboard/charts'
import { ageingInputOf, receivablesAgeing, type DashData, type DashFilters } from '../renderer/core/dashboard/dashboard'
import { ageingReport, BUCKETS, receivables } from '../forms/contract/contract.ageing'
import { settleMemo, type SettleMemo } from '../renderer/core/dashboard/settled'
import { chartOption } from '../renderer/src/components/dashboard/chart-option'
import { machine, machineLine, median, quantile } from './lib/chromium'

const N = Number(process.env.BENCH_N ?? 100_000)
const REPS = Number(process.env.BENCH_REPS ?? 11)
const TODAY = '2026-11-30'
const TARGET_MS = 300

/** About `n` digest rows: the ageing bench's office (customers, contracts, deliveries, payments, adjustments) and the pipeline's forms. */
function office(n: number): Map<string, ListRow[]> {
  const rand = mulberry32(20261201)
  const share: Record<string, number> = {
    customer: 0.01, customerEvaluation: 0.02, sampleApplication: 0.03, sampleShipment: 0.03, sampleConfirmation: 0.02, quotation: 0.06,
    contract: 0.06, productionNotice: 0.05, delivery: 0.4, payment: 0.26, adjustment: 0.06,
  }
  const out = new Map<string, ListRow[]>()
  const sales = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']
  const day = () => addDays(TODAY, -Math.floor(rand() * 730))
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
  let seq = 0
  const row = (form: string, state: string, values: ListRow['values']): ListRow => {
    const at = `${day()}T02:00:00.000Z`
    const r = { id: `${form}-${++seq}`, number: `N${seq}`, state, createdAt: at, updatedAt: at, values }
    ;(out.get(form) ?? out.set(form, []).get(form)!).push(r)
    return r
  }
  const count = (f: string) => Math.round(n * share[f]!)
  const customers = Array.from({ length: count('customer') }, (_, i) => row('customer', '', {
    fullName: `基准客户${i}有限公司`, salesperson: sales[i % 8]!, paymentMethod: 'credit', creditDays: [30, 45, 60, 90][i % 4]!,
    ...(i % 4 === 0 ? { openingBalance: 10_000_00 + Math.floor(rand() * 90_000_00), openingDate: '2024-12-31' } : {}),
  }))
  const who = () => { const c = pick(customers); return { customer: c.id, salesperson: c.values.salesperson as string } }
  const stateOf = (form: string) => pick(Object.keys(formById(form).workflow!.states))
  for (let i = 0; i < count('customerEvaluation'); i++) row('customerEvaluation', stateOf('customerEvaluation'), who())
  for (let i = 0; i < count('sampleApplication'); i++) row('sampleApplication', stateOf('sampleApplication'), { ...who(), applyDate: day() })
  for (let i = 0; i < count('sampleShipment'); i++) row('sampleShipment', stateOf('sampleShipment'), { ...who(), dispatchDate: day(), onSiteTrial: rand() < 0.1 })
  for (let i = 0; i < count('sampleConfirmation'); i++) row('sampleConfirmation', stateOf('sampleConfirmation'), { ...who(), confirmDate: day() })
  for (let i = 0; i < count('quotation'); i++) row('quotation', stateOf('quotation'), { ...who(), quoteDate: day(), grandTotal: Math.floor(rand() * 900_000_00) })
  const contracts = Array.from({ length: count('contract') }, (_, i) => row('contract', rand() < 0.8 ? 'signed' : stateOf('contract'), {
    ...who(), signDate: day(), paymentMethod: rand() < 0.85 ? 'credit' : 'cash', creditDays: [30, 60, 90][i % 3]!, totalAmount: 100_000_00 + Math.floor(rand() * 900_000_00),
  }))
  const onContract = () => { const c = pick(contracts); return { contract: c.id, customer: c.values.customer as string, salesperson: c.values.salesperson as string } }
  for (let i = 0; i < count('productionNotice'); i++) { const d = day(); row('productionNotice', stateOf('productionNotice'), { ...onContract(), requiredDate: d, promisedDate: addDays(d, Math.floor(rand() * 20)) }) }
  for (let i = 0; i < count('delivery'); i++) row('delivery', rand() < 0.85 ? 'booked' : 'shipped', { ...onContract(), shipDate: day(), totalAmount: 5_000_00 + Math.floor(rand() * 95_000_00) })
  for (let i = 0; i < count('payment'); i++) row('payment', 'confirmed', { ...onContract(), receivedDate: day(), amount: 5_000_00 + Math.floor(rand() * 60_000_00) })
  for (let i = 0; i < count('adjustment'); i++) row('adjustment', 'confirmed', { ...onContract(), adjustDate: day(), amount: 100_00 + Math.floor(rand() * 5_000_00) })
  return out
}

function main(): void {
  const rows = office(N)
  const total = [...rows.values()].reduce((k, r) => k + r.length, 0)
  const fresh = (settled: SettleMemo): DashData => {
    const kept = new Map<string, unknown>()
    return { today: TODAY, rows: (f) => rows.get(f) ?? [], form: formById, memo: <T>(k: string, make: () => T) => { if (!kept.has(k)) kept.set(k, make()); return kept.get(k) as T }, settled }
  }
  // The page keeps the receivables settled per customer for the session (`settled`) and every figure
  // while the rows stay the same (`memo`): "opened" has neither yet; "a document written" keeps the
  // settled customers but not the rest (a confirmed payment on one contract: its customer is settled
  // again); "filter changed" keeps both.
  const session = settleMemo()
  const changed = fresh(session)
  const payments = rows.get('payment')!
  const contract = rows.get('contract')!.find((c) => c.state === 'signed')!
  let written = 0
  const write = () => {
    const at = `${TODAY}T03:00:00.000Z`
    payments.push({ id: `payment-new-${++written}`, number: `SK${written}`, state: 'confirmed', createdAt: at, updatedAt: at, values: { contract: contract.id, customer: contract.values.customer!, amount: 1_000_00, receivedDate: TODAY } })
  }
  const plan = dashboardFor(['marketingDirector'], 'u')
  const year = { from: addDays(TODAY, -364), to: TODAY }
  const cases: Array<[string, DashFilters, () => DashData]> = [
    ['opened (first time in the session): last 12 months, whole office', year, () => fresh(settleMemo())],
    ['opened again (nothing written since)', year, () => fresh(session)],
    ['a document written (one payment confirmed): last 12 months, whole office', year, () => { write(); return fresh(session) }],
    ['filter changed: one salesperson', { ...year, salesperson: 's3' }, () => changed],
    ['filter changed: one customer, last 3 months', { from: addDays(TODAY, -90), to: TODAY, customer: 'customer-5' }, () => changed],
  ]
  const loadBefore = loadavg().map((x) => x.toFixed(1)).join(' ')
  console.log(`Dashboard figures over ${total.toLocaleString('en')} digest rows — ${machineLine(machine())}`)
  console.log(`load average before measuring: ${loadBefore}; ${REPS} runs after one warm-up`)
  console.log('| case | chart | median | p90 |')
  console.log('|---|---|---:|---:|')
  for (const [name, f, next] of cases) {
    const per = new Map<string, number[]>(DASHBOARD_CHARTS.map((c) => [c.id, []]))
    const all: number[] = []
    const options: number[] = []
    for (let r = 0; r <= REPS; r++) {
      const data = next()
      const t0 = performance.now()
      const figs = plan.charts.map((c) => {
        const s = performance.now()
        const fig = c.compute(data, f)
        if (r) per.get(c.id)!.push(performance.now() - s)
        return { c, fig }
      })
      const t1 = performance.now()
      for (const { c, fig } of figs) chartOption(c.kind, fig, { names: fig.segments.map((s) => s.key), value: String, lang: 'zh' }, c.alarm)
      const t2 = performance.now()
      if (r) { all.push(t1 - t0); options.push(t2 - t1) }
    }
    for (const c of plan.charts) console.log(`| ${name} | ${c.id} | ${median(per.get(c.id)!).toFixed(1)} ms | ${quantile(per.get(c.id)!, 0.9).toFixed(1)} ms |`)
    const m = median(all)
    console.log(`| ${name} | **every chart's figures** | **${m.toFixed(1)} ms** | ${quantile(all, 0.9).toFixed(1)} ms | ${m <= TARGET_MS ? 'within' : 'OVER'} ${TARGET_MS} ms`)
    console.log(`| ${name} | ECharts options of every chart | ${median(options).toFixed(2)} ms | ${quantile(options, 0.9).toFixed(2)} ms |`)
  }
  // The kept figures after the writes against settling everything afresh (the property test proves it in general).
  const b = receivablesAgeing(fresh(session), year).segments.map((s) => s.value)
  const c = ageingReport(receivables(ageingInputOf(fresh(session)), TODAY), 'customer').totals
  console.log(`ageing after ${written} writes, kept vs settled afresh: ${b.join(' ')} vs ${BUCKETS.map((k) => c[k]).join(' ')} — ${b.every((v, i) => v === c[BUCKETS[i]!]) ? 'equal to the fen' : 'DIFFERENT'}`)
}

main()
