/** Messages between scan-client (UI thread) and scan.worker. */
import type { ReadProgress, ScanFileResult } from '@core/scan/read'

export interface ScanRequest { id: number; name: string; bytes: Uint8Array; thumbnails: boolean }
export type ScanResponse =
  | { id: number; ok: true; result: ScanFileResult }
  | { id: number; ok: false; message: string }
  /** Sent when the page count is known and after every page: the client's watchdog follows it. */
  | { id: number; progress: ReadProgress }
