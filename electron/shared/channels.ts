/**
 * Channel names and size limits, free of zod so the sandboxed preload bundle stays tiny.
 * The schemas and result types live in ipc.ts, which re-exports all of this.
 */
export const Channel = {
  pdfSave: 'pdf:save',
  pdfPrint: 'pdf:print',
  // Any exported file the clerk saves (issue 10: 导出 Excel), by kind; pdf:save stays for the PDF pages.
  fileSave: 'file:save',
  importPick: 'import:pick',
  importRead: 'import:read',
  sharedChoose: 'shared:choose',
  sharedCurrent: 'shared:current',
  sharedList: 'shared:list',
  sharedRead: 'shared:read',
  sharedWriteIfAbsent: 'shared:writeIfAbsent',
  sharedRemove: 'shared:remove',
  sharedClaimPc: 'shared:claimPc',
  // Issue 11: the sync files on a WebDAV server (NAS, Nextcloud, 坚果云) instead of a folder.
  sharedWebdavSet: 'shared:webdavSet',
  sharedWebdavTest: 'shared:webdavTest',
  appInfo: 'app:info',
  // Remembered secrets (issue 7): kept encrypted by the OS (Electron safeStorage), never in IndexedDB.
  secretGet: 'secret:get',
  secretSet: 'secret:set',
  secretClear: 'secret:clear',
  // Backups (issue 7): one .mdbak file per backup, written in chunks into a folder the clerk chose.
  backupChooseFolder: 'backup:chooseFolder',
  backupFolder: 'backup:folder',
  backupBegin: 'backup:begin',
  backupAppend: 'backup:append',
  backupFinish: 'backup:finish',
  backupAbort: 'backup:abort',
  backupList: 'backup:list',
  backupRead: 'backup:read',
  backupPick: 'backup:pick',
  backupPrune: 'backup:prune',
} as const

/** Name of a function on `window.desk` (the keys of `Channel`). */
export type ApiName = keyof typeof Channel
/** A channel string such as `'pdf:save'`. */
export type ChannelName = (typeof Channel)[ApiName]

/** Largest scan/PDF the import accepts (clear error above it). */
export const MAX_IMPORT_BYTES = 60 * 1024 * 1024
/** Largest PDF the renderer may hand to save/print. */
export const MAX_PDF_BYTES = 100 * 1024 * 1024
/** Largest file moved through the shared folder (segments, blobs, snapshots). */
export const MAX_SHARED_BYTES = 200 * 1024 * 1024
/**
 * Largest piece of a backup file moved in one call (backup:append, backup:read): a backup of an
 * office with hundreds of MB of scans is streamed, never sent whole.
 */
export const MAX_BACKUP_CHUNK = 16 * 1024 * 1024

/** Query flag the main process adds when it reopens the window after the renderer crashed or hung. */
export const RECOVERED_QUERY = 'recovered'

/** What the clerk is told after such a reload (issue 7). */
export const RECOVERED_MESSAGE = {
  zh: '程序刚才意外中断，已自动重新打开；已保存的数据不受影响，未保存的修改需要重新填写',
  en: 'The program stopped unexpectedly and was reopened. Saved data is safe; unsaved changes must be entered again.',
} as const

/** The localStorage key where the document page names the form being edited while it has unsaved changes. */
export const UNSAVED_KEY = 'marketdesk.unsaved'

/**
 * The message to show for a page opened with `search` (location.search), or null after a normal
 * start. `unsaved` names what was being edited and not saved when the page went (UNSAVED_KEY).
 */
export function recoveredNotice(search: string, unsaved?: string | null): { zh: string; en: string } | null {
  if (!new URLSearchParams(search).has(RECOVERED_QUERY)) return null
  if (!unsaved) return RECOVERED_MESSAGE
  return {
    zh: `程序刚才意外中断，已自动重新打开；已保存的数据不受影响。“${unsaved}”中未保存的修改没有保留下来，请重新打开并填写`,
    en: `The program stopped unexpectedly and was reopened. Saved data is safe; the unsaved changes in "${unsaved}" were lost: open it and enter them again.`,
  }
}
