/**
 * Preload (sandboxed): exposes `window.desk`, one named function per channel and nothing else —
 * never ipcRenderer itself, never Electron's event object. Imports only the zod-free channel list.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { Channel } from '../shared/channels'
import type { DeskApi } from '../shared/ipc'

export const desk: DeskApi = {
  pdfSave: (req) => ipcRenderer.invoke(Channel.pdfSave, req),
  pdfPrint: (req) => ipcRenderer.invoke(Channel.pdfPrint, req),
  importPick: (req) => ipcRenderer.invoke(Channel.importPick, req),
  importRead: (req) => ipcRenderer.invoke(Channel.importRead, req),
  sharedChoose: (req) => ipcRenderer.invoke(Channel.sharedChoose, req),
  sharedCurrent: (req) => ipcRenderer.invoke(Channel.sharedCurrent, req),
  sharedList: (req) => ipcRenderer.invoke(Channel.sharedList, req),
  sharedRead: (req) => ipcRenderer.invoke(Channel.sharedRead, req),
  sharedWriteIfAbsent: (req) => ipcRenderer.invoke(Channel.sharedWriteIfAbsent, req),
  sharedRemove: (req) => ipcRenderer.invoke(Channel.sharedRemove, req),
  appInfo: (req) => ipcRenderer.invoke(Channel.appInfo, req),
}

contextBridge.exposeInMainWorld('desk', desk)
