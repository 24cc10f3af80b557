/**
 * Browser side of bench/batch-print.bench.ts: runs in Chromium (real IndexedDB, the real PDF
 * worker), imported from the Vite dev server by URL. The batch is the app's own path: the list's
 * `printBatch` with `appBatchDeps` (documents from the data layer, requests as the print preview
 * makes them, pdfmake in the worker, pdf-lib joining there) and `logPrinted` after the save.
 *
 * The office: the demo office (seeded as the setup wizard's 试用演示数据 does), 李强 signed in, and
 * 50 quotations for 佛山市美达电器 made through `documents.create` with 3–8 lines each. With
 * `warmUp`, the PDF worker is warmed right after the sign-in as App.vue does it (warmUpFormFor the
 * signed-in roles, then warmUpPdf), while the quotations are being made.
 *
 * The main thread is watched while a batch runs: every long task (PerformanceObserver 'longtask',
 * ≥ 50 ms) and the lateness of a 10 ms timer chain (what a click or keystroke would wait).
 */
import { createPinia, setActivePinia } from 'pinia'
import type { FormData } from '@forms/schema/types'
import { formById, forms } from '@forms/registry'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, type DataLayer } from '@app/data/index'
import { setBackend } from '@app/stores/backend'
import { useSessionStore } from '@app/stores/session'
import { printBatch } from '@app/services/pdf/batch'
import { appBatchDeps, logPrinted } from '@app/services/pdf/app-print'
import { warmUpPdf, type WarmUpResult } from '@app/services/pdf/pdf-client'
import { warmUpFormFor } from '@app/services/pdf/warm-up'

const PRODUCTS = [
  ['阻燃PC/ABS合金', 'HT-8130 黑色 UL94 V-0'], ['玻纤增强PP', 'HT-PP30G 本色 30%GF'], ['增韧PA66', 'HT-PA66T 黑色'],
  ['阻燃ABS', 'HT-ABS-V0 白色 色卡 W-102'], ['透明PC', 'HT-PC110 透明'], ['耐候ASA', 'HT-ASA20 灰色'],
  ['改性PBT', 'HT-PBT15G 黑色'], ['高光HIPS', 'HT-HIPS825 白色'],
] as const

let layer: DataLayer | undefined
let ids: string[] = []
let warming: Promise<WarmedUp> | undefined

function quotation(i: number, day: string): FormData {
  const n = 3 + (i % 6)
  const items = Array.from({ length: n }, (_, k) => {
    const [productName, spec] = PRODUCTS[(i + k) % PRODUCTS.length]!
    return { id: `i${k + 1}`, values: { productName, spec, quantity: String(500 * (1 + ((i * 7 + k) % 20))), unit: 'kg', unitPrice: 1000 + ((i * 131 + k * 17) % 2000), taxRate: '13' } }
  })
  return {
    values: {
      customer: DEMO_IDS.customers.meida, contact: '梁美玲', quoteDate: day, validUntil: day, currency: 'CNY',
      tradeMethod: '送货上门', paymentMethod: 'credit', creditDays: 60, deliveryPlace: '客户仓库',
      packaging: '25kg/袋，汽运', qualityRequirement: '按双方确认的样品及色卡，符合 RoHS', remarks: null,
    },
    lines: { items },
  }
}

export interface SeedResult { ms: number; docs: number; lines: number }

/** The app's warm-up at sign-in: the form it printed and when it was done, counted from the sign-in. */
export interface WarmedUp extends WarmUpResult { form: string; sinceSignInMs: number }

/** Opens the demo office, signs 李强 in (warming the PDF worker as the app does when `warmUp`) and makes `n` quotations. */
export async function seed(n: number, warmUp = false): Promise<SeedResult> {
  const t0 = performance.now()
  layer = await openDataLayer({ name: 'bench-batch-print', seed: true })
  setBackend(layer)
  setActivePinia(createPinia())
  const session = useSessionStore()
  await session.load()
  await session.signIn(DEMO_IDS.users.liQiang, DEMO_PASSWORD)
  const actor = session.actor
  if (!actor) throw new Error('李强 is not signed in')
  if (warmUp) {
    const t0 = performance.now()
    const form = warmUpFormFor(session.roles.map((h) => h.role), forms)
    if (!form) throw new Error('李强 does not print for customers: the app would not warm up')
    // A worker without figures (before issue 9's warm-up print) only loaded its fonts.
    warming = warmUpPdf(form.id).then((w) => ({ fontsMs: NaN, renderMs: NaN, sharedFonts: false, ...w, form: form.id, sinceSignInMs: performance.now() - t0 }))
  }
  const day = new Date().toISOString().slice(0, 10)
  let lines = 0
  ids = []
  for (let i = 0; i < n; i++) {
    const data = quotation(i, day)
    const made = await layer.documents.create('quotation', data, actor)
    ids.push(made.doc.id)
    lines += data.lines.items?.length ?? 0
  }
  return { ms: performance.now() - t0, docs: ids.length, lines }
}

/** Waits for the warm-up seed() started (the clerk still choosing rows) and returns its figures. */
export async function warmedUp(): Promise<WarmedUp> {
  if (!warming) throw new Error('seed(n, true) did not start a warm-up')
  return warming
}

export interface RunResult {
  /** From 批量打印 to the joined file in hand. */
  ms: number
  /** Until the first 正在生成 1 / N (worker start and fonts on a cold run). */
  firstMs: number
  /** From the last document rendered to the joined file (pdf-lib in the worker). */
  mergeMs: number
  /** The 50 print-log entries written after 保存PDF (logPrinted). */
  logMs: number
  docs: number
  pages: number
  bytes: number
  longTasks: number
  longestTask: number
  /** The largest lateness of a 10 ms timer during the batch. */
  maxTimerLate: number
  /** The same two while the print log is written. */
  logLongestTask: number
  logMaxTimerLate: number
}

/** One batch print of every seeded quotation, watching the main thread. */
export async function run(): Promise<RunResult> {
  const long: number[] = []
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration) })
  obs.observe({ type: 'longtask' })
  let maxLate = 0
  let stop = false
  const tick = () => {
    const t = performance.now()
    setTimeout(() => { maxLate = Math.max(maxLate, performance.now() - t - 10); if (!stop) tick() }, 10)
  }
  tick()
  const t0 = performance.now()
  let first = 0, last = 0
  const result = await printBatch(ids, appBatchDeps(formById('quotation')), {
    title: `报价单 ×${ids.length}`,
    onProgress: (p) => { const now = performance.now(); if (p.done === 1) first = now - t0; if (p.done === p.total) last = now - t0 },
  })
  const ms = performance.now() - t0
  // Let the observer deliver the last entries before reading them.
  await new Promise((r) => setTimeout(r, 50))
  const batchLong = long.splice(0)
  const batchLate = maxLate
  maxLate = 0
  const l0 = performance.now()
  await logPrinted(result.docs, result.bytes)
  const logMs = performance.now() - l0
  await new Promise((r) => setTimeout(r, 50))
  stop = true
  obs.disconnect()
  return {
    ms, firstMs: first, mergeMs: ms - last, logMs, docs: result.docs.length, pages: result.pages, bytes: result.bytes.length,
    longTasks: batchLong.length, longestTask: batchLong.length ? Math.max(...batchLong) : 0, maxTimerLate: batchLate,
    logLongestTask: long.length ? Math.max(...long) : 0, logMaxTimerLate: maxLate,
  }
}

/** The long-task probe's self-check: a deliberate 80 ms busy loop must come back as a long task (its duration; 0 if unseen). */
export async function probeCheck(): Promise<number> {
  const seen: number[] = []
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) seen.push(e.duration) })
  obs.observe({ type: 'longtask' })
  await new Promise((r) => setTimeout(r, 0))
  const end = performance.now() + 80
  while (performance.now() < end) { /* busy */ }
  await new Promise((r) => setTimeout(r, 100))
  obs.disconnect()
  return seen.length ? Math.max(...seen) : 0
}
