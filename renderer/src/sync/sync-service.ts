/**
 * Sync as the app runs it: the pure engine (renderer/core/sync) wired to this PC's Dexie database
 * (`DexieSyncStore`), the shared folder (`createFolderTransport`) and this PC's keys
 * (`IdentityStore`). It syncs soon after a local change and at an interval, one round at a time,
 * and gives the 设置 → 同步 page everything it shows. Pure TypeScript + Dexie: no Vue.
 */
import type { Actor } from '@core/model'
import { SyncEngine, type EngineOptions, type FolderState, type SyncGate, type SyncStatus, type VaultFile } from '@core/sync/engine'
import type { SignedIn } from '../data/directory'
import { decodeHlc } from '@core/sync/hlc'
import type { SyncKeys } from '@core/sync/keys'
import { history, type Conflict } from '@core/sync/merge'
import type { SyncStore } from '@core/sync/store'
import type { SyncTransport } from '@core/sync/transport'
import type { FormDef } from '@forms/schema/types'
import { formById } from '@forms/registry'
import type { DeskDb } from '../data/db'
import { DexieSyncStore } from './dexie-store'
import { IdentityStore } from './identity'
import { writeResolution } from './resolve'

/** Engine settings a caller may override (tests shorten waits; the app keeps the defaults). */
export type EngineTuning = Partial<Pick<EngineOptions, 'graceMs' | 'gapTimeoutMs' | 'writeAttempts' | 'retryDelayMs' | 'sleep' | 'maxBatch' | 'schema' | 'drift'>>

export interface SyncServiceOptions {
  db: DeskDb
  transport: SyncTransport
  /** This PC's display name, shown on other PCs when they approve it (e.g. `客服1号机`). */
  name: string
  /** App version written into segments (package.json version). */
  app: string
  /** Where the keys live; defaults to the `marketdesk-identity` IndexedDB database. */
  identity?: IdentityStore
  /** Readable start of a new PC id (the PC's number code, e.g. `A7`). */
  pcHint?: string
  forms?: (id: string) => FormDef
  clock?: { now(): number }
  /** Sync this long after the last local change (default 3 s). */
  debounceMs?: number
  /** Sync at this interval while started (default 60 s). */
  intervalMs?: number
  engine?: EngineTuning
  /** Who is signed in (signs a conflict's resolution); the app passes its directory's `current`. */
  signer?: () => SignedIn | null
  /** Checks every change before it merges (the app passes its TrustGate; tests may leave it out). */
  gate?: SyncGate
}

/** Progress of the round in work, for long imports (a new PC, a week offline). */
export interface SyncProgress {
  phase: 'export' | 'import' | 'snapshot'
  /** Records committed so far in this round. */
  records: number
  /** zh-CN line for the panel. */
  message: string
}

/** What the status panel shows. */
export interface SyncPanelStatus extends SyncStatus {
  /** This PC's id (as other PCs list it). */
  pc: string
  running: boolean
  progress?: SyncProgress
  /** An unexpected failure of the last round, in zh-CN (the folder's own problems are in `problems`). */
  error?: string
}

/** One value of a conflict, with who, when and which PC. */
export interface ConflictValue {
  value: unknown
  hlc: string
  pc: string
  /** The PC's display name ('' when unknown). */
  pcName: string
  /** When it was written (ISO, from the writer's clock). */
  at: string
  /** User id of the writer, when the record keeps one (documents: `updatedBy`). */
  by?: string
}

/** A conflict as the conflicts inbox shows it; `values[0]` is the value shown now on every PC. */
export interface ConflictItem extends Omit<Conflict, 'values'> {
  /** Stable id for lists: table, key and field. */
  id: string
  values: ConflictValue[]
  /** The document it belongs to (documents and their lines), to show its number and open it. */
  docId?: string
  number?: string
  form?: string
}

const PHASE_TEXT: Record<SyncProgress['phase'], string> = {
  export: '正在发送本机更改',
  import: '正在接收其他电脑的更改',
  snapshot: '正在写入快照',
}

/** The running sync of one PC. Create with `createSyncService`. */
export class SyncService {
  readonly engine: SyncEngine
  readonly store: DexieSyncStore
  /** This PC's sync id (it changes once if the PC takes a new identity after a clone or restore). */
  get pc(): string { return this.engine.pc }
  private light = 0
  private full = 0
  private tail: Promise<unknown> = Promise.resolve()
  private queued: Promise<void> | null = null
  private busy = false
  private progress: SyncProgress | undefined
  private error: string | undefined
  private debounce: ReturnType<typeof setTimeout> | undefined
  private interval: ReturnType<typeof setInterval> | undefined
  private readonly listeners = new Set<() => void>()
  private readonly onOutbox = () => { this.soon() }
  private started = false

  constructor(private readonly o: SyncServiceOptions, keys: SyncKeys, private readonly identity: IdentityStore) {
    this.store = new DexieSyncStore(o.db, {
      forms: o.forms ?? formById,
      onCommit: ({ records }) => {
        if (!this.progress) return
        this.progress.records += records
        this.progress.message = `${PHASE_TEXT[this.progress.phase]}：已处理 ${this.progress.records} 条`
        this.emit()
      },
    })
    this.engine = new SyncEngine({
      ...(o.engine ?? {}),
      transport: o.transport, store: this.view(), keys, clock: o.clock ?? { now: () => Date.now() }, name: o.name, app: o.app,
      ...(o.gate ? { gate: o.gate } : {}),
      // A copy of this PC (restored backup, cloned disk) goes on under a new identity (issue 7).
      renewIdentity: () => identity.renew(o.pcHint),
    })
  }

  /**
   * The store as the engine sees it. The engine's status() and conflicts() read every record and
   * every stored segment; for the panel only records with conflicts and unpublished segments
   * matter, so while the panel asks (and no snapshot is being written) it gets just those.
   */
  private view(): SyncStore {
    const store = this.store
    const light = () => this.light > 0 && this.full === 0
    return new Proxy(store, {
      get: (target, prop) => {
        if (prop === 'allRecords' && light()) return () => target.conflictedRecords()
        if (prop === 'ownSegments' && light()) return () => target.unpublishedSegments()
        const v = Reflect.get(target, prop, target) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    }) as SyncStore
  }

  /** Runs engine work one at a time (a round, an approval, a snapshot never interleave). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn)
    this.tail = run.catch(() => undefined)
    return run
  }

  private emit(): void {
    for (const l of this.listeners) {
      try { l() } catch { /* a listener's failure is its own */ }
    }
  }

  /** Calls `listener` after every round and during long work; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  // ------------------------------------------------------------------ folder and vault

  /** What the chosen folder holds (empty, another office's vault, ours, unreadable). */
  inspectFolder(): Promise<FolderState> {
    return this.exclusive(() => this.engine.inspectFolder())
  }

  /** Creates the office's vault in an empty folder; with a passphrase every file is encrypted. */
  async createVault(opts: { passphrase?: string; remember?: boolean; iterations?: number; office?: VaultFile['office'] } = {}): Promise<VaultFile> {
    const vault = await this.exclusive(() => this.engine.createVault({ passphrase: opts.passphrase, iterations: opts.iterations, ...(opts.office ? { office: opts.office } : {}) }))
    if (opts.passphrase !== undefined && opts.remember !== false) await this.identity.rememberPassphrase(opts.passphrase)
    void this.syncNow()
    return vault
  }

  /** Joins the vault in the folder; `unlocked` is false when the passphrase was wrong (fault 27). */
  async joinVault(passphrase?: string, remember = true): Promise<{ vault: VaultFile; unlocked: boolean }> {
    const vault = await this.exclusive(() => this.engine.joinVault())
    const unlocked = !vault.kdf || (passphrase !== undefined && (await this.unlock(passphrase, remember)))
    void this.syncNow()
    return { vault, unlocked }
  }

  /** Enters the office passphrase; false when it is wrong (nothing is lost, sync waits). */
  async unlock(passphrase: string, remember = true): Promise<boolean> {
    const ok = await this.exclusive(() => this.engine.unlock(passphrase))
    if (ok && remember) await this.identity.rememberPassphrase(passphrase)
    if (ok) void this.syncNow()
    return ok
  }

  /** Approves a PC that asked to join (after comparing its fingerprint on both screens). */
  async approvePc(pc: string, extra: Record<string, unknown> = {}): Promise<void> {
    await this.exclusive(() => this.engine.approve(pc, extra))
    void this.syncNow()
  }

  // ------------------------------------------------------------------ running

  /** Starts syncing: soon after each local change, and every `intervalMs`. */
  start(): void {
    if (this.started) return
    this.started = true
    this.o.db.outbox.hook('creating', this.onOutbox)
    this.interval = setInterval(() => { void this.syncNow().catch(() => undefined) }, this.o.intervalMs ?? 60_000)
    this.soon()
  }

  /** Stops the timers; a round in progress finishes. */
  stop(): void {
    if (!this.started) return
    this.started = false
    this.o.db.outbox.hook('creating').unsubscribe(this.onOutbox)
    if (this.interval) clearInterval(this.interval)
    if (this.debounce) clearTimeout(this.debounce)
    this.interval = undefined
    this.debounce = undefined
  }

  /** Waits for the round in progress (if any) to end. */
  async idle(): Promise<void> {
    await this.tail
  }

  private soon(): void {
    if (!this.started) return
    if (this.debounce) clearTimeout(this.debounce)
    this.debounce = setTimeout(() => {
      this.debounce = undefined
      void this.syncNow().catch(() => undefined)
    }, this.o.debounceMs ?? 3_000)
  }

  /** One sync round now (立即同步): send, receive, send again. Rounds asked for meanwhile coalesce. */
  async syncNow(): Promise<SyncPanelStatus> {
    if (!this.queued) {
      const q = this.exclusive(async () => {
        this.queued = null
        await this.round()
      })
      this.queued = q
    }
    await this.queued
    return this.status()
  }

  private async round(): Promise<void> {
    this.busy = true
    this.error = undefined
    try {
      this.progress = { phase: 'export', records: 0, message: PHASE_TEXT.export }
      this.emit()
      await this.engine.exportOnce()
      this.progress = { phase: 'import', records: 0, message: PHASE_TEXT.import }
      this.emit()
      await this.engine.importOnce()
      this.progress = { phase: 'export', records: 0, message: PHASE_TEXT.export }
      await this.engine.exportOnce()
    } catch (e) {
      this.error = `同步出错：${e instanceof Error ? e.message : String(e)}（本机数据未受影响，稍后自动重试）`
    } finally {
      this.busy = false
      this.progress = undefined
      this.emit()
    }
  }

  /** Writes a signed snapshot for new PCs (an admin action, or after a large catch-up). */
  async publishSnapshot(): Promise<string | null> {
    return this.exclusive(async () => {
      this.full++
      this.progress = { phase: 'snapshot', records: 0, message: PHASE_TEXT.snapshot }
      this.emit()
      try {
        return await this.engine.writeSnapshot()
      } finally {
        this.full--
        this.progress = undefined
        this.emit()
      }
    })
  }

  /** Removes our own old segments once a snapshot covers them and every PC has them. */
  compact(): Promise<number> {
    return this.exclusive(() => this.engine.compact())
  }

  // ------------------------------------------------------------------ what the panel shows

  /** The status panel: last sync, waiting changes, PCs, problems (zh-CN), progress. */
  async status(): Promise<SyncPanelStatus> {
    this.light++
    let s: SyncStatus
    try {
      s = await this.engine.status()
    } finally {
      this.light--
    }
    const out: SyncPanelStatus = { ...s, conflicts: (await this.conflicts()).length, pc: this.pc, running: this.busy }
    if (this.progress) out.progress = { ...this.progress }
    if (this.error) out.error = this.error
    return out
  }

  /** Open conflicts, newest value first, with who, when and which PC; resolved-but-unsent ones are left out. */
  async conflicts(): Promise<ConflictItem[]> {
    const db = this.o.db
    const open = await this.store.openConflicts()
    if (open.length === 0) return []
    const pending = await this.store.unclaimedOutbox()
    const peers = new Map((await this.store.peers()).map((p) => [p.pc, p.name]))
    const states = await this.store.getRecords(open.map((c) => ({ table: c.table, key: c.key })))
    const out: ConflictItem[] = []
    for (let i = 0; i < open.length; i++) {
      const c = open[i]!
      const settled = pending.some((r) => r.table === c.table && r.key === c.key && (c.kind === 'editDelete' || c.field in r.fields))
      if (settled) continue
      const byHlc = new Map(states[i] ? history(states[i]!, 'updatedBy').map((h) => [h.hlc, h.value]) : [])
      const item: ConflictItem = {
        id: `${c.table}\u0000${c.key}\u0000${c.field}`, table: c.table, key: c.key, field: c.field, kind: c.kind,
        values: c.values.map((v) => {
          const wall = decodeHlc(v.hlc)?.wall
          const cv: ConflictValue = { value: v.value, hlc: v.hlc, pc: v.pc, pcName: peers.get(v.pc) ?? '', at: wall === undefined ? '' : new Date(wall).toISOString() }
          const by = byHlc.get(v.hlc)
          if (typeof by === 'string') cv.by = by
          return cv
        }),
      }
      const docId = c.table === 'docs' ? c.key : c.table === 'lines' || c.table === 'attachments' ? (await db.table(c.table).get(c.key))?.docId : undefined
      if (typeof docId === 'string') {
        const doc = await db.docs.get(docId)
        item.docId = docId
        if (doc) { item.number = doc.number; item.form = doc.form }
      }
      out.push(item)
    }
    return out
  }

  /**
   * Resolves a conflict as an ordinary edit (audited, synced): `value` is the chosen or edited
   * value; for an edit/delete conflict `false` restores the record and `true` confirms the delete.
   */
  async resolve(conflict: Pick<Conflict, 'table' | 'key' | 'field' | 'kind' | 'values'> | ConflictItem, value: unknown, actor: Actor): Promise<void> {
    const plainConflict: Conflict = { table: conflict.table, key: conflict.key, field: conflict.field, kind: conflict.kind, values: conflict.values.map((v) => ({ value: v.value, hlc: v.hlc, pc: v.pc })) }
    await writeResolution(this.o.db, this.o.forms ?? formById, plainConflict, value, actor, new Date((this.o.clock ?? Date).now()).toISOString(), this.o.signer?.() ?? null)
    this.soon()
  }

  /** True while an attachment's bytes have not arrived from the shared folder (show "附件待接收"). */
  async blobPending(hash: string): Promise<boolean> {
    return !(await this.store.hasBlob(hash))
  }
}

/** Creates the sync service of this PC (keys made on first use); call `start()` once a vault is chosen. */
export async function createSyncService(opts: SyncServiceOptions): Promise<SyncService> {
  const identity = opts.identity ?? new IdentityStore()
  const keys = await identity.keys(opts.pcHint)
  const service = new SyncService(opts, keys, identity)
  const remembered = await identity.passphrase()
  if (remembered !== undefined) await service.engine.unlock(remembered)
  return service
}
