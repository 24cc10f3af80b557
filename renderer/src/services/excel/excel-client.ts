/**
 * buildWorkbook in a Web Worker (excel.worker.ts), so a large export does not freeze the window;
 * where no Worker exists (Node tests) or it cannot start, the same builder runs in this thread.
 */
import { buildWorkbook, type XlsxSheet } from './workbook'

type Answer = { ok: true; bytes: Uint8Array } | { ok: false; message: string }

/** The .xlsx of these sheets, built off the main thread. */
export async function buildWorkbookOffThread(sheets: XlsxSheet[]): Promise<Uint8Array> {
  if (typeof Worker === 'undefined') return buildWorkbook(sheets)
  let worker: Worker
  try {
    worker = new Worker(new URL('./excel.worker.ts', import.meta.url), { type: 'module', name: 'excel' })
  } catch {
    return buildWorkbook(sheets)
  }
  try {
    const answer = await new Promise<Answer>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<Answer>) => resolve(e.data)
      worker.onerror = (e) => { e.preventDefault(); reject(new Error(e.message || 'Excel worker failed')) }
      // Plain data only (strings, numbers, null): structured clone copies it once.
      worker.postMessage({ sheets })
    })
    if (!answer.ok) throw new Error(answer.message)
    return answer.bytes
  } finally {
    worker.terminate()
  }
}
