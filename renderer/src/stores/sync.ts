import { defineStore } from 'pinia'
import { createProblem, joinProblem, vaultOffice } from '@app/sync/office-check'
import { NotAllowed } from '@app/data'
import { computed, ref, shallowRef } from 'vue'
import {
  chooseSharedFolder, currentSharedTarget, openAppSync, testVerdict, testWebdav, useWebdavServer,
  type ConflictItem, type FolderState, type SyncPanelStatus, type SyncService, type VaultFile, type WebdavForm, type WebdavInfo, type WebdavVerdict,
} from '@app/sync'
import { hasDesk } from '@app/services/platform'
import { backend } from './backend'
import { useDocumentsStore } from './documents'
import { useSessionStore } from './session'

const NAME_KEY = 'marketdesk.pcName'
const APP_VERSION = '0.1.0'

function savedName(): string | null {
  try { return localStorage.getItem(NAME_KEY) } catch { return null }
}

/**
 * Orchestrates this PC's sync for the pages: opens the service once a user is in, starts it when
 * this PC belongs to the vault in the chosen folder, and keeps the panel's status and the
 * conflicts inbox current. No sync rule lives here: the engine decides, this store shows.
 */
export const useSyncStore = defineStore('sync', () => {
  /** False in a plain browser: the shared folder needs the desktop app. */
  const available = hasDesk()
  const service = shallowRef<SyncService | undefined>()
  /** The shared folder's path, or the WebDAV server's address. */
  const folder = ref<string | null>(null)
  /** Set when the sync files are on a WebDAV server (issue 11): user, password known, what stops sync. */
  const webdav = shallowRef<WebdavInfo | undefined>()
  const folderState = shallowRef<FolderState | undefined>()
  /** The vault this PC belongs to (from its own database), if any. */
  const myVault = shallowRef<VaultFile | undefined>()
  /** True once a trusted PC's signed approval of this PC has arrived (or this PC founded the vault). */
  const approved = ref(false)
  const status = shallowRef<SyncPanelStatus | undefined>()
  const conflicts = shallowRef<ConflictItem[]>([])
  const digest = ref('')
  /** Bumped whenever a round changed this PC's data, so open lists and documents reload. */
  const remoteRevision = ref(0)
  const pcName = ref('')
  const running = ref(false)
  const error = ref('')
  /** 立即同步 rounds finished on this page view (tests and the panel wait for the next one). */
  const rounds = ref(0)

  let opening: Promise<SyncService | undefined> | undefined
  let unsubscribe: (() => void) | undefined
  let refreshing: Promise<void> | undefined
  let again = false
  let lastDigest = ''
  let unloadHooked = false
  let serialTail: Promise<unknown> = Promise.resolve()

  /** Folder and vault steps run one after another (a rename before a create must finish first). */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = serialTail.then(fn)
    serialTail = run.catch(() => undefined)
    return run
  }

  const joined = computed(() => !!myVault.value)
  const badge = computed(() => conflicts.value.length)

  async function defaultName(): Promise<string> {
    const session = useSessionStore()
    const code = session.settings.pcCode || (await (await backend()).directory.settings()).pcCode
    return savedName() ?? `客服电脑 ${code}`
  }

  /** Opens the service (keys made on first use); undefined in a plain browser. */
  async function open(): Promise<SyncService | undefined> {
    if (!available) return undefined
    opening ??= (async () => {
      const { db, directory } = await backend()
      pcName.value ||= await defaultName()
      const s = await openAppSync(db, { name: pcName.value, app: APP_VERSION, pcHint: (await directory.settings()).pcCode, signer: () => directory.current() })
      if (!s) return undefined
      service.value = s
      unsubscribe = s.onChange(() => { void refresh() })
      return s
    })()
    return opening
  }

  /** After login: opens the service and, when this PC belongs to the folder's vault, starts syncing. */
  async function init(): Promise<void> {
    const s = await open()
    if (!s) return
    await readTarget()
    myVault.value = await s.store.getMeta<VaultFile>('vault')
    if (folder.value && myVault.value) s.start()
    running.value = !!(folder.value && myVault.value)
    if (!unloadHooked && typeof window !== 'undefined') {
      unloadHooked = true
      window.addEventListener('beforeunload', () => shutdown())
    }
    await refresh()
  }

  /** On logout or unload: timers stop; a round in progress finishes. */
  function shutdown(): void {
    service.value?.stop()
    running.value = false
  }

  /** Reloads the panel and the inbox; calls coalesce (one in flight, at most one queued). */
  function refresh(): Promise<void> {
    if (refreshing) { again = true; return refreshing }
    refreshing = (async () => {
      try {
        do {
          again = false
          await load()
        } while (again)
      } finally {
        refreshing = undefined
      }
    })()
    return refreshing
  }

  async function readTarget(): Promise<void> {
    const cur = await currentSharedTarget()
    folder.value = cur.root
    webdav.value = cur.webdav
  }

  async function load(): Promise<void> {
    const s = service.value
    if (!s) return
    // A WebDAV server's own problem (wrong password, unreachable) shows beside the panel's notices.
    await readTarget()
    myVault.value = await s.store.getMeta<VaultFile>('vault')
    const [st, cs, dg] = await Promise.all([s.status(), s.conflicts(), s.store.digest()])
    status.value = st
    conflicts.value = cs
    digest.value = dg
    approved.value = await isApproved(s)
    // A round that changed our data (remote changes applied, a resolution) reloads lists and documents.
    if (lastDigest && dg !== lastDigest && !st.progress) {
      remoteRevision.value++
      useDocumentsStore().revision++
    }
    if (!st.progress) lastDigest = dg
  }

  async function isApproved(s: SyncService): Promise<boolean> {
    const vault = myVault.value
    if (!vault) return false
    if (vault.founder.pc === s.pc) return true
    // An approval is a signed `$trust` change from a trusted PC; it arrives with that PC's segment.
    const [trust] = await s.store.getRecords([{ table: '$trust', key: s.pc }])
    return !!trust
  }

  /** Lets the clerk pick the folder, then looks at what it holds. */
  async function chooseFolder(): Promise<boolean> {
    const chosen = await chooseSharedFolder()
    if (!chosen) return false
    folder.value = chosen
    webdav.value = undefined
    await inspect()
    return true
  }

  /** 测试连接: what is wrong with this server, or what its folder holds (nothing is saved). */
  async function checkWebdav(form: WebdavForm): Promise<WebdavVerdict> {
    return testVerdict(await testWebdav(form), myVault.value)
  }

  /** Syncs through this WebDAV server from now on (also: the password entered again after a 401). */
  async function chooseWebdav(form: WebdavForm): Promise<{ remembered: boolean; insecure: boolean }> {
    const r = await useWebdavServer(form)
    await readTarget()
    await inspect()
    if (running.value) void service.value?.syncNow().then(() => refresh())
    else if (myVault.value && service.value) {
      service.value.start()
      running.value = true
    }
    await refresh()
    return r
  }

  async function inspect(): Promise<FolderState | undefined> {
    const s = await open()
    if (!s) return undefined
    folderState.value = await s.inspectFolder()
    myVault.value = await s.store.getMeta<VaultFile>('vault')
    return folderState.value
  }

  /** Renames this PC before it creates or joins a vault (the name travels in its identity file). */
  function setPcName(name: string): Promise<void> {
    return serial(() => rename(name))
  }

  async function rename(name: string): Promise<void> {
    const n = name.trim()
    if (!n || n === pcName.value) return
    try { localStorage.setItem(NAME_KEY, n) } catch { /* kept for this session */ }
    pcName.value = n
    // A service still opening (the app opens it at start) would come up under the old name.
    if (opening) await opening.catch(() => undefined)
    if (service.value) {
      service.value.stop()
      unsubscribe?.()
      service.value = undefined
      opening = undefined
      await open()
    }
  }

  /** The vault carries the office's founding entry, the root every joining PC trusts for users. */
  function createVault(passphrase?: string): Promise<void> {
    return serial(async () => {
      const s = await open()
      if (!s) return
      const { directory } = await backend()
      const office = await directory.office()
      const problem = createProblem(office)
      if (problem || office.kind === 'none') throw new NotAllowed(problem!.zh, problem!.en)
      await s.createVault({ ...(passphrase === undefined ? {} : { passphrase }), office: vaultOffice(office) })
      await afterVault(s)
    })
  }

  /** Joins the folder's vault; false when the passphrase was wrong (nothing lost, sync waits). */
  function joinVault(passphrase?: string): Promise<boolean> {
    return serial(async () => {
      const s = await open()
      if (!s) return false
      const { directory } = await backend()
      const st = await s.inspectFolder()
      const theirs = st.kind === 'vault' ? st.vault.office : undefined
      const mine = await directory.office()
      // Demo data never meets a real office, either way round (issue 6).
      const problem = joinProblem(mine, theirs)
      if (problem) throw new NotAllowed(problem.zh, problem.en)
      if (mine.kind === 'none') await directory.joinOffice(theirs!, pcName.value)
      const { unlocked } = await s.joinVault(passphrase)
      await afterVault(s)
      return unlocked
    })
  }

  async function unlock(passphrase: string): Promise<boolean> {
    const s = await open()
    if (!s) return false
    const ok = await s.unlock(passphrase)
    await refresh()
    return ok
  }

  async function afterVault(s: SyncService): Promise<void> {
    myVault.value = await s.store.getMeta<VaultFile>('vault')
    folderState.value = await s.inspectFolder()
    s.start()
    running.value = true
    await refresh()
  }

  /** Only an administrator approves a PC: a signed directory entry names it and its key. */
  async function approve(pc: string): Promise<void> {
    const s = service.value
    if (!s) return
    const peer = (await s.store.peers()).find((p) => p.pc === pc)
    if (!peer) throw new Error(`unknown PC ${pc}`)
    const { directory } = await backend()
    const entry = await directory.approvePc({ pc, name: peer.name, publicKey: peer.publicKey })
    await s.approvePc(pc, { entry: entry.id })
    await refresh()
  }

  /** A lost or stolen PC: its files after what this PC has imported of it are no longer applied anywhere. */
  async function revoke(pc: string, reason?: string): Promise<void> {
    const s = service.value
    const upTo = s ? await s.engine.highestApplied(pc) : 0
    const { directory } = await backend()
    await directory.revokePc(pc, upTo, reason)
    await refresh()
  }

  /** 立即同步: one round now; the panel shows progress while it runs. */
  async function syncNow(): Promise<void> {
    const s = service.value
    if (!s) return
    error.value = ''
    try {
      await s.syncNow()
    } catch (e) {
      error.value = (e as Error).message
    }
    await refresh()
    rounds.value++
  }

  /** The clerk's choice for a conflict, recorded as an audited edit by the current user. */
  async function resolve(conflict: ConflictItem, value: unknown): Promise<void> {
    const s = service.value
    const session = useSessionStore()
    if (!s || !session.actor) throw new Error('请先选择用户')
    await s.resolve(conflict, value, session.actor)
    useDocumentsStore().revision++
    remoteRevision.value++
    await refresh()
  }

  /** Open conflicts of one document (its own fields and its lines). */
  function conflictsOf(docId: string): ConflictItem[] {
    return conflicts.value.filter((c) => c.docId === docId)
  }

  /** True while an attachment's bytes have not arrived from the folder (附件待接收). */
  async function blobPending(hash: string): Promise<boolean> {
    const s = service.value
    return s ? s.blobPending(hash) : false
  }

  return {
    available, service, folder, webdav, checkWebdav, chooseWebdav, folderState, myVault, approved, status, conflicts, digest, remoteRevision, pcName, running, error, rounds,
    joined, badge, open, init, shutdown, refresh, chooseFolder, inspect, setPcName, createVault, joinVault, unlock, approve, revoke, syncNow,
    resolve, conflictsOf, blobPending,
  }
})
