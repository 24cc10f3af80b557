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
  fileSave: (req) => ipcRenderer.invoke(Channel.fileSave, req),
  importPick: (req) => ipcRenderer.invoke(Channel.importPick, req),
  importRead: (req) => ipcRenderer.invoke(Channel.importRead, req),
  sharedChoose: (req) => ipcRenderer.invoke(Channel.sharedChoose, req),
  sharedCurrent: (req) => ipcRenderer.invoke(Channel.sharedCurrent, req),
  sharedList: (req) => ipcRenderer.invoke(Channel.sharedList, req),
  sharedRead: (req) => ipcRenderer.invoke(Channel.sharedRead, req),
  sharedWriteIfAbsent: (req) => ipcRenderer.invoke(Channel.sharedWriteIfAbsent, req),
  sharedRemove: (req) => ipcRenderer.invoke(Channel.sharedRemove, req),
  sharedClaimPc: (req) => ipcRenderer.invoke(Channel.sharedClaimPc, req),
  sharedWebdavSet: (req) => ipcRenderer.invoke(Channel.sharedWebdavSet, req),
  sharedWebdavTest: (req) => ipcRenderer.invoke(Channel.sharedWebdavTest, req),
  appInfo: (req) => ipcRenderer.invoke(Channel.appInfo, req),
  secretGet: (req) => ipcRenderer.invoke(Channel.secretGet, req),
  secretSet: (req) => ipcRenderer.invoke(Channel.secretSet, req),
  secretClear: (req) => ipcRenderer.invoke(Channel.secretClear, req),
  backupChooseFolder: (req) => ipcRenderer.invoke(Channel.backupChooseFolder, req),
  backupFolder: (req) => ipcRenderer.invoke(Channel.backupFolder, req),
  backupBegin: (req) => ipcRenderer.invoke(Channel.backupBegin, req),
  backupAppend: (req) => ipcRenderer.invoke(Channel.backupAppend, req),
  backupFinish: (req) => ipcRenderer.invoke(Channel.backupFinish, req),
  backupAbort: (req) => ipcRenderer.invoke(Channel.backupAbort, req),
  backupList: (req) => ipcRenderer.invoke(Channel.backupList, req),
  backupRead: (req) => ipcRenderer.invoke(Channel.backupRead, req),
  backupPick: (req) => ipcRenderer.invoke(Channel.backupPick, req),
  backupPrune: (req) => ipcRenderer.invoke(Channel.backupPrune, req),
}

contextBridge.exposeInMainWorld('desk', desk)
