/**
 * A DialogPort with scripted answers, for unit tests and the Playwright bridge: each dialog call
 * takes the next queued answer (or cancels when none is queued) and is recorded.
 */
import type { DialogPort, OpenDialogOptions, SaveDialogOptions } from './deps'

export interface ScriptedDialogs extends DialogPort {
  /** Next save dialog returns this absolute path (or cancels with null). */
  queueSave(path: string | null): void
  /** Next open dialog returns these absolute paths (or cancels with null). */
  queueOpen(paths: string[] | null): void
  /** Next print dialog returns this (default true). */
  queuePrint(printed: boolean): void
  readonly calls: Array<{ kind: 'save'; opts: SaveDialogOptions } | { kind: 'open'; opts: OpenDialogOptions } | { kind: 'print'; size: number }>
}

export function scriptedDialogs(): ScriptedDialogs {
  const saves: Array<string | null> = []
  const opens: Array<string[] | null> = []
  const prints: boolean[] = []
  const calls: ScriptedDialogs['calls'] = []
  return {
    calls,
    queueSave: (p) => void saves.push(p),
    queueOpen: (p) => void opens.push(p),
    queuePrint: (p) => void prints.push(p),
    async showSaveDialog(opts) {
      calls.push({ kind: 'save', opts })
      const p = saves.shift()
      return p ? { canceled: false, filePath: p } : { canceled: true }
    },
    async showOpenDialog(opts) {
      calls.push({ kind: 'open', opts })
      const p = opens.shift()
      return p ? { canceled: false, filePaths: p } : { canceled: true, filePaths: [] }
    },
    async printPdf(bytes) {
      calls.push({ kind: 'print', size: bytes.byteLength })
      return prints.shift() ?? true
    },
  }
}
