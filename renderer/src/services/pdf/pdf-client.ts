/**
 * The UI's PDF API. One long-lived worker renders every document (fonts are loaded once, ~0.4 s;
 * documents then take ~0.1 s, pdf.md). Only plain data crosses: the worker builds the definition.
 */
import type { RenderRequest, RenderResult, WarmUpResult, WorkerCall, WorkerRequest, WorkerResponse } from './protocol'
import type { MergedPdf } from './merge'

export type { RenderRequest, RenderResult, WarmUpResult } from './protocol'

let worker: Worker | undefined
let nextId = 1
const pending = new Map<number, { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void }>()

function getWorker(): Worker {
  if (worker) return worker
  const w = new Worker(new URL('./pdf.worker.ts', import.meta.url), { type: 'module', name: 'pdf' })
  w.onmessage = (e: MessageEvent<WorkerResponse>) => {
    const p = pending.get(e.data.id)
    if (!p) return
    pending.delete(e.data.id)
    p.resolve(e.data)
  }
  w.onerror = (e: ErrorEvent) => {
    // A crashed worker fails everything in flight; the next call starts a fresh one.
    const err = new Error(`PDF 生成进程出错 / PDF worker failed: ${e.message}`)
    for (const p of pending.values()) p.reject(err)
    pending.clear()
    w.terminate()
    if (worker === w) worker = undefined
  }
  worker = w
  return w
}

function call(msg: WorkerCall, transfer: Transferable[] = []): Promise<WorkerResponse> {
  const id = nextId++
  return new Promise<WorkerResponse>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    getWorker().postMessage({ ...msg, id } satisfies WorkerRequest, transfer)
  })
}

/** Plain, structured-clone-safe copy: no reactive proxies or database objects reach the worker. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** Renders a form document to PDF in the worker. */
export async function renderPdf(input: RenderRequest): Promise<RenderResult> {
  const res = await call({ kind: 'render', input: plain(input) })
  if (!res.ok) throw new Error(res.error)
  if (!res.result) throw new Error('PDF worker returned no result')
  return res.result
}

/**
 * Joins separately rendered PDFs into one in the worker (batch print). The parts' buffers are
 * transferred, not copied: they are unusable here afterwards.
 */
export async function mergePdfParts(parts: Uint8Array[], title: string): Promise<MergedPdf> {
  const buffers = [...new Set(parts.map((p) => p.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)
  const res = await call({ kind: 'merge', input: { parts, title } }, buffers)
  if (!res.ok) throw new Error(res.error)
  if (!res.merged) throw new Error('PDF worker returned no merged file')
  return res.merged
}

/**
 * Starts the worker, loads the fonts and prints a throwaway document of `formId` in it (once per
 * worker), so the first real print meets compiled code and decoded fonts (issue 9). Optional; call
 * after the app has shown. Resolves with what the warm-up cost in the worker.
 */
export async function warmUpPdf(formId?: string): Promise<WarmUpResult | undefined> {
  const res = await call({ kind: 'warmUp', ...(formId ? { input: { formId } } : {}) })
  if (!res.ok) throw new Error(res.error)
  return res.warmed
}

/**
 * Warms the worker (warmUpPdf) at the window's next idle moment, at the latest `timeout` ms later:
 * at sign-in on a PC that prints, so the first print of the session is not the slow one.
 */
export function warmUpPdfWhenIdle(formId?: string, timeout = 3000): void {
  if (typeof Worker === 'undefined') return
  const go = () => { warmUpPdf(formId).catch(() => undefined) }
  if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout })
  else setTimeout(go, 500)
}
