/**
 * UI-side entry to scan reading: `readScan(file)` sends the bytes to the scan worker and resolves
 * with what each page says about itself (identity, or why none), a thumbnail per page and the
 * SHA-256 of the file. Decide what to do with the result with decideFile (@core/scan/match).
 */
import type { ScanFileResult } from '@core/scan/read'
import type { ScanRequest, ScanResponse } from './protocol'

export type { ScanFileResult, ScanPageResult } from '@core/scan/read'

let worker: Worker | null = null
let nextId = 1
const pending = new Map<number, { resolve: (r: ScanFileResult) => void; reject: (e: Error) => void }>()

function getWorker(): Worker {
  if (worker) return worker
  const w = new Worker(new URL('./scan.worker.ts', import.meta.url), { type: 'module', name: 'scan' })
  w.onmessage = (event: MessageEvent<ScanResponse>) => {
    const res = event.data
    const p = pending.get(res.id)
    if (!p) return
    pending.delete(res.id)
    if (res.ok) p.resolve(res.result)
    else p.reject(new Error(res.message))
  }
  w.onerror = (event) => {
    // The worker died (out of memory on a huge page, failed to load): fail what is pending, start
    // a fresh worker on the next call.
    const error = new Error(`扫描读取进程出错：${event.message || 'unknown'}`)
    for (const p of pending.values()) p.reject(error)
    pending.clear()
    w.terminate()
    worker = null
  }
  worker = w
  return w
}

/** Reads one scanned file (PDF, JPEG, PNG) in the scan worker. Bad files resolve with `error`. */
export function readScan(file: { name: string; bytes: Uint8Array }, options: { thumbnails?: boolean } = {}): Promise<ScanFileResult> {
  const id = nextId++
  const req: ScanRequest = { id, name: file.name, bytes: file.bytes, thumbnails: options.thumbnails ?? true }
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    // The caller keeps its bytes (they are stored as received): the worker gets a copy.
    getWorker().postMessage(req)
  })
}

/** Stops the scan worker (e.g. when leaving the import page); the next readScan starts a new one. */
export function disposeScanWorker(): void {
  worker?.terminate()
  worker = null
  for (const p of pending.values()) p.reject(new Error('scan worker stopped'))
  pending.clear()
}
