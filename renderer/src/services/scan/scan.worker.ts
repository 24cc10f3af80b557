/**
 * Web Worker that reads scans off the UI thread: sniff, render (pdf.js → OffscreenCanvas),
 * decode the QR codes with the same pure pipeline as Node (renderer/core/scan), thumbnails,
 * SHA-256. Reports its progress so scan-client can stop it when a file takes too long.
 */
import { readScanBytes } from '@core/scan/read'
import { browserScanPlatform } from './browser-platform'
import type { ScanRequest, ScanResponse } from './protocol'

const platform = browserScanPlatform()
const scope = self as unknown as DedicatedWorkerGlobalScope

// One file at a time: pages are big bitmaps, and two cores are shared with the UI.
let queue: Promise<void> = Promise.resolve()

scope.onmessage = (event: MessageEvent<ScanRequest>) => {
  const req = event.data
  queue = queue.then(async () => {
    let response: ScanResponse
    const onProgress = (progress: { pages: number; done: number }) => scope.postMessage({ id: req.id, progress } satisfies ScanResponse)
    // Started: the client's clock for this file begins now, not while the worker was loading.
    onProgress({ pages: 0, done: 0 })
    try {
      const result = await readScanBytes({ name: req.name, bytes: req.bytes }, platform, { thumbnails: req.thumbnails, onProgress })
      response = { id: req.id, ok: true, result }
    } catch (e) {
      response = { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) }
    }
    const transfer = 'ok' in response && response.ok ? response.result.pages.flatMap((p) => (p.thumbnail ? [p.thumbnail.buffer as ArrayBuffer] : [])) : []
    scope.postMessage(response, transfer)
  })
}
