/**
 * The page side of bench/excel.bench.ts: 10,000 quotation records (as the list's store returns
 * them) mapped by exportListRows and written by buildWorkbook, the path of the list's 导出 Excel
 * after its rows are read. Runs in Chromium, bundled by Vite from the app's own modules.
 */
import type { DocRecord } from '@core/model'
import { formById } from '@forms/registry'
import { exportListRows } from '@app/services/excel/list-export'
import { buildWorkbook } from '@app/services/excel/workbook'
import { buildWorkbookOffThread } from '@app/services/excel/excel-client'

export interface ExcelRun { rows: number; mapMs: number; writeMs: number; ms: number; bytes: number; longestTask: number }

const customers = ['深圳华兴塑胶制品有限公司', '佛山市美达电器有限公司', '东莞市宏达模具有限公司', '中山市远航灯饰有限公司', '江门市新锐五金有限公司']

function records(n: number): DocRecord[] {
  const out: DocRecord[] = []
  for (let i = 0; i < n; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    out.push({
      id: `q${i}`, form: 'quotation', number: `BJ2611-A7-${String(i + 1).padStart(5, '0')}`, state: ['draft', 'pending', 'approved'][i % 3]!, version: 1 + (i % 2),
      values: { customer: `c${i % customers.length}`, quoteDate: `2026-11-${day}`, validUntil: `2026-12-${day}`, grandTotal: 1_000_000 + ((i * 7919) % 9_000_000) },
      createdAt: '2026-11-30T01:00:00.000Z', createdBy: 'u', updatedAt: `2026-11-${day}T08:30:00.000Z`, updatedBy: 'u',
    })
  }
  return out
}

/** One export of `n` rows: map, then write the workbook (in the Excel worker, as the app does, or on the main thread); the longest main-thread task meanwhile. */
export async function run(n: number, where: 'worker' | 'main' = 'worker'): Promise<ExcelRun> {
  const docs = records(n)
  let longestTask = 0
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longestTask = Math.max(longestTask, e.duration) })
  try { obs.observe({ type: 'longtask', buffered: false }) } catch { /* no long-task API */ }
  const t0 = performance.now()
  const sheet = exportListRows(formById('quotation'), docs, (_f, id) => customers[Number(id.slice(1))])
  const t1 = performance.now()
  const bytes = await (where === 'worker' ? buildWorkbookOffThread : buildWorkbook)([sheet])
  const t2 = performance.now()
  await new Promise((r) => setTimeout(r, 50))
  obs.disconnect()
  return { rows: n, mapMs: t1 - t0, writeMs: t2 - t1, ms: t2 - t0, bytes: bytes.byteLength, longestTask }
}
