/// <reference lib="webworker" />
/**
 * The Excel worker (issue 10): builds a workbook off the main thread. exceljs writes a 10,000-row
 * sheet in one synchronous stretch of several seconds (docs/performance.md, "Excel"), which on the
 * main thread froze the window; here the clerk can keep working. One worker per export, closed
 * after it answers, so its ~60 MB go with it.
 */
import { buildWorkbook, type XlsxSheet } from './workbook'

declare const self: DedicatedWorkerGlobalScope

self.onmessage = async (e: MessageEvent<{ sheets: XlsxSheet[] }>) => {
  try {
    const bytes = await buildWorkbook(e.data.sheets)
    self.postMessage({ ok: true, bytes }, [bytes.buffer])
  } catch (err) {
    self.postMessage({ ok: false, message: (err as Error).message })
  }
}
