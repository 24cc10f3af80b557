/**
 * 测试连接 on the 设置 → 同步 page (issue 11): what main's shared:webdavTest answered, in the
 * clerk's words. A failure says what is wrong (wrong password, no permission, not a WebDAV
 * address, unreachable, certificate); a success says what the folder holds, by the same rules as
 * the folder inspection (engine.inspectFolder): empty, this office's vault, another office's, or
 * other files.
 */
import type { Envelope, Results } from '@shared/ipc'
import type { FolderState, VaultFile } from '@core/sync/engine'
import { paths } from '@core/sync/names'

/** One line in both languages. */
export interface Line { zh: string; en: string }

/** The connection test's outcome for the page. */
export type WebdavVerdict =
  | { ok: true; state: FolderState; line: Line; insecure: boolean }
  | { ok: false; code: string; line: Line }

/** The folder state of a WebDAV folder from its entries and its vault.json, as engine.inspectFolder decides it. */
export function folderStateOf(entries: readonly string[], vaultText: string | null, mine: VaultFile | undefined): FolderState {
  if (entries.length === 0) return { kind: 'empty' }
  if (!entries.includes(paths.vault) || vaultText === null) return { kind: 'notVault', entries: entries.length }
  try {
    const vault = JSON.parse(vaultText) as VaultFile
    if (typeof vault.id !== 'string' || typeof vault.founder?.publicKey !== 'string') return { kind: 'unreadable', error: 'vault.json malformed' }
    return { kind: 'vault', vault, joined: !!mine, ours: mine?.id === vault.id }
  } catch {
    return { kind: 'unreadable', error: 'vault.json malformed' }
  }
}

/** English for the codes main answers in zh-CN (the zh line is main's own, more precise message). */
const EN: Record<string, string> = {
  AUTH_FAILED: 'The user name or password is wrong. Enter them again.',
  ACCESS_DENIED: 'This account has no permission on that folder.',
  READ_ONLY: 'This account may not write there (a read-only account?).',
  NOT_WEBDAV: 'This address is not a WebDAV folder. Check the address (Nextcloud: …/remote.php/dav/files/<user>/).',
  NOT_FOUND: 'There is no such folder on the server. Create it first (e.g. MarketDesk) or check the address.',
  UNREACHABLE: 'The server cannot be reached (wrong address or port, server off, or no network).',
  CERT_INVALID: 'The server’s certificate is not trusted (self-signed, expired, or for another name).',
  BAD_REQUEST: 'The address is not valid: it must start with https:// or http://, without a user name in it.',
  BUSY: 'The server is busy; try again in a moment.',
}

/** The page's line for a connection test; `mine` is the vault this PC belongs to, if any. */
export function testVerdict(r: Envelope<Results['shared:webdavTest']>, mine: VaultFile | undefined): WebdavVerdict {
  if (!r.ok) return { ok: false, code: r.code, line: { zh: r.message, en: EN[r.code] ?? `The test failed (${r.code}).` } }
  const state = folderStateOf(r.value.entries, r.value.vault, mine)
  const insecure = r.value.insecure
  const line = ((): Line => {
    switch (state.kind) {
      case 'empty':
        return { zh: '连接成功：文件夹是空的，可以在这里新建办公室的同步库', en: 'Connected: the folder is empty; the office’s vault can be created here' }
      case 'notVault':
        return { zh: `连接成功，但文件夹中已有 ${state.entries} 个其他文件或文件夹，不是同步库：建议使用一个空文件夹`, en: `Connected, but the folder holds ${state.entries} other item(s) and no vault: better use an empty folder` }
      case 'unreadable':
        return { zh: '连接成功，但其中的 vault.json 无法识别：请检查是否选对了文件夹', en: 'Connected, but its vault.json cannot be read: check the folder' }
      case 'vault':
        if (state.ours) return { zh: '连接成功：这里是本办公室的同步库', en: 'Connected: this is this office’s vault' }
        if (state.joined) return { zh: '连接成功，但这里是另一个办公室的同步库：两个同步库不会合并，请检查地址', en: 'Connected, but this is another office’s vault: vaults never merge; check the address' }
        return { zh: `连接成功：这里已有办公室的同步库（由“${state.vault.founder.name}”创建），可以加入`, en: `Connected: an office vault is here (created by "${state.vault.founder.name}"); this PC can join it` }
    }
  })()
  return { ok: true, state, line, insecure }
}
