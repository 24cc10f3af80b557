/** The Electron implementation of DialogPort: native dialogs and printing a PDF in a hidden window. */
import { BrowserWindow, dialog } from 'electron'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DeskError } from '../shared/ipc'
import type { DialogPort } from './ipc/deps'

export function electronDialogs(owner: () => BrowserWindow | null): DialogPort {
  return {
    async showSaveDialog(opts) {
      const w = owner()
      const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts)
      return { canceled: r.canceled, ...(r.filePath ? { filePath: r.filePath } : {}) }
    },
    async showOpenDialog(opts) {
      const w = owner()
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts)
      return { canceled: r.canceled, filePaths: r.filePaths }
    },
    printPdf: (bytes) => printPdf(bytes, owner()),
  }
}

/**
 * Loads the PDF into a hidden window (Chromium's PDF viewer) and opens the system print dialog.
 * Needs Electron ≥ 32: earlier versions printed a blank page from PDF documents (electron#43309).
 */
async function printPdf(bytes: Uint8Array, parent: BrowserWindow | null): Promise<boolean> {
  const dir = await mkdtemp(path.join(tmpdir(), 'marketdesk-print-'))
  const file = path.join(dir, 'print.pdf')
  const win = new BrowserWindow({
    show: false,
    ...(parent ? { parent } : {}),
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true, spellcheck: false },
  })
  try {
    await writeFile(file, bytes)
    await win.loadFile(file)
    // The PDF plugin finishes loading after the page's load event.
    await new Promise((r) => setTimeout(r, 800))
    return await new Promise<boolean>((resolve, reject) => {
      win.webContents.print({ silent: false, printBackground: true }, (ok, reason) => {
        if (ok || /cancel/i.test(reason)) resolve(ok)
        else reject(new DeskError('PRINT_FAILED', `打印失败：${reason}`))
      })
    })
  } finally {
    if (!win.isDestroyed()) win.destroy()
    await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }
}
