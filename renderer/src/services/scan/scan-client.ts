/**
 * UI-side entry to scan reading: `readScan(file)` sends the bytes to the scan worker and resolves
 * with what each page says about itself (identities, or why none), a thumbnail per page and the
 * SHA-256 of the file. Decide what to do with the result with decideFile (@core/scan/match).
 *
 * A hostile or broken file must not hold the import (issue 7): files go to the worker one at a
 * time, and the worker is terminated (a fresh one reads the next file) when
 * - it has not started on the file within BOOT_MS (loading the worker is not the file's time:
 *   on a busy PC the first file once waited 7.6 s for pdf.js to load and parse);
 * - the file is not read within FILE_MS plus PAGE_MS for every page to read, counted from when
 *   the worker began on it;
 * - no page is finished for STALL_MS (a page that hangs the renderer);
 * - or the worker dies (out of memory).
 * Each case answers the file with its own message; the next file goes on.
 */
import type { Label } from '@forms/schema/types'
import { sha256Hex } from '@core/identity'
import type { ScanFileResult } from '@core/scan/read'
import type { ScanRequest, ScanResponse } from './protocol'

export type { ScanFileResult, ScanPageResult } from '@core/scan/read'

/** Time a file may take besides its pages (hashing, opening the PDF), from when the worker began on it. */
export const FILE_MS = 60_000
/**
 * Time allowed per page to read, on average over the file (a page takes 0.1–0.5 s, the first
 * one up to 4 s while pdf.js warms up; several times that on a busy PC).
 */
export const PAGE_MS = 15_000
/** Longest time without a page finished (or the page count known) before the file is stopped. */
export const STALL_MS = 60_000
/** Time for the worker to load and start on the file (its scripts are a few MB). */
export const BOOT_MS = 60_000
/**
 * Test hook, as `marketdesk.idleMs` (stores/session.ts): `localStorage['marketdesk.scanLimitMs']`
 * = "fileMs,pageMs" shortens the limits so an e2e test sees a file stopped. A clerk never needs it.
 */
export const SCAN_LIMIT_KEY = 'marketdesk.scanLimitMs'

/** The part of a Worker the client uses (a fake in unit tests). */
export interface WorkerLike {
  postMessage(message: ScanRequest): void
  terminate(): void
  onmessage: ((event: MessageEvent<ScanResponse>) => void) | null
  onerror: ((event: ErrorEvent) => void) | null
}

export interface ScanClientOptions {
  /** Starts a scan worker. */
  spawn?: () => WorkerLike
  fileMs?: number
  pageMs?: number
  stallMs?: number
  bootMs?: number
}

export interface ScanClient {
  /** Reads one scanned file (PDF, JPEG, PNG) in the worker. Bad, slow or fatal files resolve with `error`. */
  readScan(file: { name: string; bytes: Uint8Array }, options?: { thumbnails?: boolean }): Promise<ScanFileResult>
  /** Stops the worker; what is queued or being read fails; the next readScan starts a new worker. */
  dispose(): void
}

interface Job { id: number; file: { name: string; bytes: Uint8Array }; thumbnails: boolean; resolve: (r: ScanFileResult) => void; reject: (e: Error) => void }

/** A scan client over its own worker, with the per-file time limit. */
export function createScanClient(options: ScanClientOptions = {}): ScanClient {
  const spawn = options.spawn ?? (() => new Worker(new URL('./scan.worker.ts', import.meta.url), { type: 'module', name: 'scan' }) as unknown as WorkerLike)
  let worker: WorkerLike | null = null
  let nextId = 1
  const waiting: Job[] = []
  /** The file being read; `started` once the worker said it began on it, `deadline` once the page count is known. */
  let current: { job: Job; started?: number; deadline?: number; timer?: ReturnType<typeof setTimeout> } | null = null

  const limits = () => {
    const [f, p] = String(readLocal(SCAN_LIMIT_KEY) ?? '').split(',').map(Number)
    return { fileMs: f! > 0 ? f! : options.fileMs ?? FILE_MS, pageMs: p! > 0 ? p! : options.pageMs ?? PAGE_MS }
  }

  function ensureWorker(): WorkerLike {
    if (worker) return worker
    const w = spawn()
    w.onmessage = (event) => {
      const res = event.data
      if (!current || res.id !== current.job.id) return
      if ('progress' in res) {
        // The file's clock starts when the worker begins on it; once the page count is known the
        // file may take FILE_MS plus PAGE_MS per page from then, and each step at most STALL_MS.
        const { fileMs, pageMs } = limits()
        const now = Date.now()
        current.started ??= now
        if (res.progress.pages > 0) current.deadline ??= current.started + fileMs + res.progress.pages * pageMs
        arm(Math.min(current.deadline ?? current.started + fileMs, now + (options.stallMs ?? STALL_MS)) - now)
        return
      }
      const { job } = current
      finish()
      if (res.ok) job.resolve(res.result)
      else job.reject(new Error(res.message))
    }
    w.onerror = (event) => {
      // The worker died (out of memory on a huge page, failed to load): this file fails with a
      // message, the next one gets a fresh worker.
      event.preventDefault?.()
      stop(`扫描读取进程出错（${event.message || 'unknown'}），已跳过此文件，请拆分文件或降低扫描分辨率后再导入`, `the scan reader failed (${event.message || 'unknown'}); the file was skipped`)
    }
    worker = w
    return w
  }

  function arm(ms: number) {
    if (!current) return
    clearTimeout(current.timer)
    current.timer = setTimeout(() => {
      if (current?.started === undefined) {
        stop('扫描读取进程未能启动，已跳过此文件，请重新导入', 'the scan reader did not start; import the file again')
        return
      }
      const seconds = Math.round((Date.now() - current.started) / 1000)
      stop(`读取超时（${seconds} 秒），已停止读取此文件，请拆分文件或降低扫描分辨率后再导入`, `reading took too long (${seconds} s) and was stopped; split the file or scan at a lower resolution`)
    }, Math.max(0, ms))
  }

  /** Kills the worker and answers the current file with a message; the queue goes on. */
  function stop(zh: string, en: string) {
    if (worker) { worker.onmessage = null; worker.onerror = null; worker.terminate() }
    worker = null
    if (!current) return
    const { job } = current
    finish()
    void failed(job.file, { zh, en }).then(job.resolve, job.reject)
  }

  function finish() {
    if (current) clearTimeout(current.timer)
    current = null
    pump()
  }

  function pump() {
    if (current || waiting.length === 0) return
    const job = waiting.shift()!
    current = { job }
    arm(options.bootMs ?? BOOT_MS)
    const req: ScanRequest = { id: job.id, name: job.file.name, bytes: job.file.bytes, thumbnails: job.thumbnails }
    // The caller keeps its bytes (they are stored as received): the worker gets a copy.
    ensureWorker().postMessage(req)
  }

  return {
    readScan(file, opts = {}) {
      return new Promise((resolve, reject) => {
        waiting.push({ id: nextId++, file, thumbnails: opts.thumbnails ?? true, resolve, reject })
        pump()
      })
    },
    dispose() {
      if (worker) { worker.onmessage = null; worker.onerror = null; worker.terminate() }
      worker = null
      const jobs = [...(current ? [current.job] : []), ...waiting.splice(0)]
      if (current) clearTimeout(current.timer)
      current = null
      for (const j of jobs) j.reject(new Error('scan worker stopped'))
    },
  }
}

/** The result for a file the worker could not finish: its hash and size, and why. */
async function failed(file: { name: string; bytes: Uint8Array }, reason: Label): Promise<ScanFileResult> {
  return { name: file.name, size: file.bytes.length, sha256: await sha256Hex(file.bytes), error: reason, pages: [] }
}

function readLocal(key: string): string | null {
  try { return globalThis.localStorage?.getItem(key) ?? null } catch { return null }
}

let shared: ScanClient | null = null

/** Reads one scanned file (PDF, JPEG, PNG) in the app's scan worker. Bad files resolve with `error`. */
export function readScan(file: { name: string; bytes: Uint8Array }, options: { thumbnails?: boolean } = {}): Promise<ScanFileResult> {
  return (shared ??= createScanClient()).readScan(file, options)
}

/** Stops the scan worker (e.g. when leaving the import page); the next readScan starts a new one. */
export function disposeScanWorker(): void {
  shared?.dispose()
}
