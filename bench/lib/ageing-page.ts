/**
 * Browser side of bench/ageing.bench.ts: runs in Chromium, imported from the Vite dev server by URL.
 * Opens the data layer the app opens, bulk-writes an office's receivable history (customers,
 * contracts, deliveries, payments, adjustments: `n` documents in all), and times the ageing page's
 * own path: the documents store's `ageing(asOf)` (the lists' digest of five forms, settled through the
 * session's memo, as the start page's chart) and then `ageingReport` grouped by customer, as the
 * page's computed does; and the old path (every document read through the state index) once.
 */
import { createPinia, setActivePinia } from 'pinia'
import type { DocRecord } from '@core/model'
import { formatNumber } from '@core/numbering'
import { addDays } from '@core/validation'
import { ageingReport, receivables } from '@forms/contract/contract.ageing'
import { LEDGER_STATES } from '@forms/contract/contract.ledger'
import { CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT, SHIPPED_STATES } from '@forms/contract/contract.tally'
import { toSnapshot } from '@core/records'
import { openDataLayer, type DataLayer, type StoredDoc } from '@app/data/index'
import { refsOf } from '@app/data/db'
import { setBackend } from '@app/stores/backend'
import { useDocumentsStore } from '@app/stores/documents'
import { mulberry32 } from '@core/testing/random'

let layer: DataLayer | undefined
export const AS_OF = '2026-11-30'

/** Opens the profile's database as the app does; installs it as the stores' backend. */
export async function open(name = 'marketdesk'): Promise<{ docs: number }> {
  layer = await openDataLayer({ name })
  setBackend(layer)
  setActivePinia(createPinia())
  return { docs: await layer.db.docs.count() }
}

export interface SeedResult { customers: number; contracts: number; deliveries: number; payments: number; adjustments: number; totalMs: number }

/** About `n` documents: 1 % customers, 9 % contracts, 50 % deliveries, 32 % payments, 8 % adjustments, over two years. */
export async function seed(n: number): Promise<SeedResult> {
  const { db } = layer!
  const rand = mulberry32(20261130)
  const t0 = performance.now()
  const counts = { customers: Math.round(n * 0.01), contracts: Math.round(n * 0.09), deliveries: Math.round(n * 0.5), payments: Math.round(n * 0.32), adjustments: 0 }
  counts.adjustments = n - counts.customers - counts.contracts - counts.deliveries - counts.payments
  const sales = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']
  const seq = new Map<string, number>()
  const numberOf = (prefix: string, day: string) => { const k = `${prefix}${day.slice(0, 7)}`; const s = (seq.get(k) ?? 0) + 1; seq.set(k, s); return formatNumber(prefix, day, 'A7', s) }
  const day = () => addDays(AS_OF, -Math.floor(rand() * 730))
  const rec = (form: string, state: string, date: string, values: DocRecord['values'], prefix: string): StoredDoc => {
    const at = `${date}T02:00:00.000Z`
    return { id: crypto.randomUUID(), form, number: numberOf(prefix, date), state, version: 1, values, createdAt: at, createdBy: 'bench', updatedAt: at, updatedBy: 'bench', searchWords: [], refs: refsOf(form, values) }
  }
  const customers: StoredDoc[] = []
  for (let i = 0; i < counts.customers; i++) {
    const opening = i % 4 === 0
    customers.push(rec('customer', '', '2024-12-01', { fullName: `基准客户${i}有限公司`, salesperson: sales[i % 8]!, paymentMethod: 'credit', creditDays: [30, 45, 60, 90][i % 4]!,
      creditLimit: 500_000_00, ...(opening ? { openingBalance: 10_000_00 + Math.floor(rand() * 90_000_00), openingDate: '2024-12-31' } : {}) }, 'KH'))
  }
  const contracts: StoredDoc[] = []
  for (let i = 0; i < counts.contracts; i++) {
    const c = customers[Math.floor(rand() * customers.length)]!
    const signDate = day()
    contracts.push(rec('contract', rand() < 0.8 ? 'signed' : 'approved', signDate, { customer: c.id, salesperson: c.values.salesperson as string, signDate,
      paymentMethod: rand() < 0.85 ? 'credit' : 'cash', creditDays: [30, 60, 90][i % 3]!, totalAmount: 100_000_00 + Math.floor(rand() * 900_000_00) }, 'HT'))
  }
  const after = (d: string, max: number) => { const x = addDays(d, Math.floor(rand() * max)); return x > AS_OF ? AS_OF : x }
  const pickContract = () => contracts[Math.floor(rand() * contracts.length)]!
  const deliveries: StoredDoc[] = []
  for (let i = 0; i < counts.deliveries; i++) {
    const c = pickContract()
    const shipDate = after(c.values.signDate as string, 120)
    deliveries.push(rec('delivery', rand() < 0.85 ? 'booked' : 'shipped', shipDate, { contract: c.id, customer: c.values.customer as string, shipDate, totalAmount: 5_000_00 + Math.floor(rand() * 95_000_00) }, 'FH'))
  }
  const payments: StoredDoc[] = []
  for (let i = 0; i < counts.payments; i++) {
    const c = pickContract()
    const receivedDate = after(c.values.signDate as string, 200)
    payments.push(rec('payment', 'confirmed', receivedDate, { contract: rand() < 0.95 ? c.id : null, customer: c.values.customer as string, kind: 'goods', receivedDate, amount: 5_000_00 + Math.floor(rand() * 60_000_00), method: 'wire' }, 'SK'))
  }
  const adjustments: StoredDoc[] = []
  for (let i = 0; i < counts.adjustments; i++) {
    const c = pickContract()
    const adjustDate = after(c.values.signDate as string, 200)
    adjustments.push(rec('adjustment', 'confirmed', adjustDate, { contract: c.id, customer: c.values.customer as string, kind: 'claim', adjustDate, amount: 100_00 + Math.floor(rand() * 5_000_00), reason: '基准' }, 'TZ'))
  }
  const all = [...customers, ...contracts, ...deliveries, ...payments, ...adjustments]
  for (let i = 0; i < all.length; i += 5000) await db.docs.bulkAdd(all.slice(i, i + 5000))
  return { ...counts, totalMs: performance.now() - t0 }
}

export interface AgeingTiming {
  /** The lists' digest of the five forms built after the restart (what the page waits for first). */
  digestMs: number
  /** The page's path once the digest is built: the first settle of the session, then `reps` more (nothing written). */
  firstMs: number
  times: number[]
  /** The page's path on another as-of date each time (the date picker): the office settled again. */
  otherDateMs: number[]
  /** The old path (every document read through the state index, then `receivables`), once, and whether its figures equal the new path's. */
  oldMs: number
  equal: boolean
  items: number; groups: number; total: number; overdue: number
}

const FORMS = ['customer', 'contract', 'delivery', 'payment', 'adjustment']

/** Times the page's path after a restart: the digest build, the first `store.ageing(asOf)` + grouped report, `reps` more, `reps` other dates, and the old path once. */
export async function timeAgeing(reps: number): Promise<AgeingTiming> {
  const docs = useDocumentsStore()
  const t0 = performance.now()
  await docs.digestRows(FORMS)
  const digestMs = performance.now() - t0
  const page = async (asOf: string) => { const { items } = await docs.ageing(asOf); return { items, report: ageingReport(items, 'customer') } }
  const t1 = performance.now()
  const first = await page(AS_OF)
  const firstMs = performance.now() - t1
  const times: number[] = []
  const otherDateMs: number[] = []
  for (let r = 0; r < reps; r++) {
    const s = performance.now()
    await page(AS_OF)
    times.push(performance.now() - s)
  }
  for (let r = 0; r < reps; r++) {
    const s = performance.now()
    await page(addDays(AS_OF, -7 * (r + 1)))
    otherDateMs.push(performance.now() - s)
  }
  // The old path, once: every document read through the state index, then receivables; the figures must be the same.
  const t2 = performance.now()
  const old = await oldReport(AS_OF)
  const oldMs = performance.now() - t2
  return { digestMs, firstMs, times, otherDateMs, oldMs, equal: sameReport(old, first.report), items: first.items.length, groups: first.report.groups.length, total: first.report.totals.total, overdue: first.report.totals.overdue }
}

type Report = ReturnType<typeof ageingReport>

/** The report as first computed: every document read through the state index, then `receivables`. */
async function oldReport(asOf: string): Promise<Report> {
  const read = async (form: string, states: string[]) => (await layer!.documents.byStates(form, states)).map((doc) => toSnapshot({ doc, lines: [] }))
  const input = {
    customers: await read('customer', ['']), contracts: await read('contract', LEDGER_STATES), deliveries: await read('delivery', SHIPPED_STATES),
    payments: await read('payment', CONFIRMED_PAYMENT), adjustments: await read('adjustment', CONFIRMED_ADJUSTMENT),
  }
  return ageingReport(receivables(input, asOf), 'customer')
}

/** Every customer group's figures and the totals equal, to the fen. */
function sameReport(a: Report, b: Report): boolean {
  return JSON.stringify(a.totals) === JSON.stringify(b.totals) && a.groups.length === b.groups.length &&
    a.groups.every((g, i) => g.key === b.groups[i]!.key && JSON.stringify(g.figures) === JSON.stringify(b.groups[i]!.figures))
}

export interface ColdOpen {
  asOf: string
  /** The page's path, the first in the session: `store.ageing(asOf)` + the grouped report. */
  ms: number
  /** Whether the receivables kept at the last close could be used (then the path used them), and how many documents written since they were brought up to. */
  kept: boolean
  patched: number
  /** Figures equal to the old path's on the same date. */
  equal: boolean
  items: number
}

/** 账龄分析 opened as the first thing after a restart, `daysLater` than the seeded as-of date: timed, then checked against the old path. */
export async function timeColdOpen(daysLater: number): Promise<ColdOpen> {
  const asOf = addDays(AS_OF, daysLater)
  const docs = useDocumentsStore()
  const t0 = performance.now()
  const { items } = await docs.ageing(asOf)
  const report = ageingReport(items, 'customer')
  const ms = performance.now() - t0
  const again = await layer!.documents.keptReceivables(asOf)
  return { asOf, ms, kept: again !== undefined, patched: again?.patched ?? 0, equal: sameReport(await oldReport(asOf), report), items: items.length }
}

/** `n` payments confirmed since the last close, on contracts spread over the office (a clerk's entries, or other PCs' by sync). */
export async function writePayments(n: number): Promise<void> {
  const { db } = layer!
  const contracts = await db.docs.where('[form+updatedAt]').between(['contract', ''], ['contract', '\uffff']).limit(Math.max(1, n) * 37).toArray()
  const at = `${AS_OF}T03:00:00.000Z`
  const rows: StoredDoc[] = []
  for (let i = 0; i < n; i++) {
    const contract = contracts[(i * 37) % contracts.length]!
    const values = { contract: contract.id, customer: contract.values.customer as string, kind: 'goods', receivedDate: AS_OF, amount: 1_000_00, method: 'wire' }
    rows.push({ id: crypto.randomUUID(), form: 'payment', number: `SK${AS_OF.slice(2, 4)}${AS_OF.slice(5, 7)}-B8-${String(i + 1).padStart(4, '0')}`, state: 'confirmed', version: 1,
      values, createdAt: at, createdBy: 'bench', updatedAt: at, updatedBy: 'bench', searchWords: [], refs: refsOf('payment', values) })
  }
  await db.docs.bulkAdd(rows)
}

/**
 * Keeps the five forms' digests and the settled receivables on disk now, as the app does 5 s after a change and when it closes;
 * the time it took (a few ms when the app's own 5 s save already kept them during the timings).
 */
export async function keepDigests(): Promise<{ ms: number }> {
  const t0 = performance.now()
  await useDocumentsStore().digestRows(FORMS)
  await layer!.documents.saveListDigests()
  return { ms: performance.now() - t0 }
}

/** Closes the database (before the profile is closed). */
export function close(): void {
  layer?.db.close()
  layer = undefined
}
