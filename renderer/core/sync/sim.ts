/**
 * A simulated office: several PCs, each with its own store, keys, clock and view of one shared
 * folder (in memory unless the office is given another share: a real folder, WebDAV). Used by the
 * fault tests, the property test and `npm run sync:sim`.
 */
import { SyncEngine, type EngineOptions } from './engine'
import { FaultyTransport, type FolderHandle } from './fault-injection'
import { generateKeys, type SyncKeys } from './keys'
import { MemorySyncStore } from './store'
import { MemoryFolder, MemoryTransport, type SyncTransport } from './transport'

/**
 * Where a simulated office's shared folder lives: the folder as the tests touch it from outside,
 * and one plain transport per PC view on it (the office wraps each in a `FaultyTransport`).
 */
export interface SimShare {
  readonly folder: FolderHandle
  /** A plain transport for one view (a real stack gives each view its own main process). */
  transport(viewId: string): SyncTransport
  /** Releases what the share holds (temp folders, servers). */
  close(): Promise<void>
}

/** Makes a fresh, empty share (one per office; fault 2 asks for a second one). */
export type ShareFactory = () => Promise<SimShare>

/** A share in memory: a `MemoryFolder` and plain `MemoryTransport` views. */
export function memoryShare(): SimShare {
  const folder = new MemoryFolder()
  return { folder, transport: () => new MemoryTransport(folder), close: async () => {} }
}

/** One simulated PC. `offsetMs` shifts its wall clock (faults 14, 15). */
export interface SimPc {
  id: string
  keys: SyncKeys
  store: MemorySyncStore
  transport: FaultyTransport
  engine: SyncEngine
  offsetMs: number
}

/** A simulated office sharing one folder and one (settable) real time. */
export class SimOffice {
  readonly folder: FolderHandle
  readonly pcs: SimPc[] = []
  /** The real time of the simulation in ms; each PC's clock adds its own offset. */
  time = Date.UTC(2026, 0, 5, 9, 0, 0)

  constructor(readonly defaults: Partial<EngineOptions> = {}, readonly share: SimShare = memoryShare()) {
    this.folder = share.folder
  }

  /** One PC's view of this office's share, with its fault switches. */
  view(viewId: string): FaultyTransport {
    return new FaultyTransport(this.share.transport(viewId), this.folder, viewId)
  }

  /** Adds a PC (its engine is not yet in a vault). */
  async addPc(id: string, opts: Partial<EngineOptions> & { offsetMs?: number; keys?: SyncKeys; store?: MemorySyncStore } = {}): Promise<SimPc> {
    const keys = opts.keys ?? (await generateKeys(id))
    const store = opts.store ?? new MemorySyncStore()
    const transport = this.view(id)
    const pc: SimPc = { id, keys, store, transport, engine: undefined as unknown as SyncEngine, offsetMs: opts.offsetMs ?? 0 }
    pc.engine = this.makeEngine(pc, opts)
    const at = this.pcs.findIndex((p) => p.id === id)
    if (at >= 0) this.pcs[at] = pc
    else this.pcs.push(pc)
    return pc
  }

  /** A fresh engine for an existing PC (a restart after a crash: memory gone, store and keys kept). */
  restart(pc: SimPc, opts: Partial<EngineOptions> = {}): SyncEngine {
    pc.engine = this.makeEngine(pc, opts)
    return pc.engine
  }

  private makeEngine(pc: SimPc, opts: Partial<EngineOptions>): SyncEngine {
    return new SyncEngine({
      transport: pc.transport, store: pc.store, keys: pc.keys, name: `电脑${pc.id}`, app: '0.1.0',
      clock: { now: () => this.time + pc.offsetMs }, sleep: async () => {}, retryDelayMs: 0, graceMs: 60_000, gapTimeoutMs: 5 * 60_000,
      // A copy of this PC (restored backup, cloned disk) goes on under a new id, as the app does.
      renewIdentity: async () => {
        pc.keys = await generateKeys(`${pc.id.split('_')[0]}_${++this.renewals}`)
        pc.id = pc.keys.pc
        return pc.keys
      },
      ...this.defaults, ...opts,
    })
  }

  private renewals = 0

  /**
   * A second machine with this PC's identity and a copy of its database as it is now (a cloned
   * disk or virtual machine, a copied profile). `restoreOf` instead keeps the copy for later: a
   * backup that is restored after the original went on working.
   */
  clonePc(of: SimPc, opts: Partial<EngineOptions> = {}): SimPc {
    const pc: SimPc = { id: of.id, keys: of.keys, store: of.store.clone(), transport: this.view(`${of.id}-copy${this.pcs.length}`), engine: undefined as unknown as SyncEngine, offsetMs: of.offsetMs }
    pc.engine = this.makeEngine(pc, opts)
    this.pcs.push(pc)
    return pc
  }

  /** Puts a saved copy of a PC's database back on that PC (a restored backup): same identity, old data. */
  restorePc(pc: SimPc, saved: MemorySyncStore, opts: Partial<EngineOptions> = {}): void {
    pc.store = saved.clone()
    pc.engine = this.makeEngine(pc, opts)
  }

  /**
   * The administrator goes round the office approving every PC that waits (on each PC, so the
   * approval also comes from a PC the others trust when the usual one is itself a copy that renewed).
   */
  async approveWaiting(): Promise<number> {
    const approved = new Set<string>()
    for (const pc of this.pcs) {
      await pc.engine.importOnce()
      const waiting = (await pc.store.peers()).filter((p) => !p.trusted)
      for (const p of waiting) { await pc.engine.approve(p.pc); approved.add(p.pc) }
      if (waiting.length) await pc.engine.exportOnce()
    }
    return approved.size
  }

  /** Creates an office of `n` PCs: the first creates the vault, the others join and are approved. */
  static async create(n: number, defaults: Partial<EngineOptions> = {}, share?: SimShare): Promise<SimOffice> {
    const office = new SimOffice(defaults, share)
    for (let i = 0; i < n; i++) await office.addPc(`PC${String(i + 1).padStart(2, '0')}`)
    const [first, ...rest] = office.pcs as [SimPc, ...SimPc[]]
    await first.engine.createVault()
    await first.engine.exportOnce()
    for (const pc of rest) {
      await pc.engine.joinVault()
      await pc.engine.exportOnce()
    }
    await first.engine.importOnce()
    for (const pc of rest) await first.engine.approve(pc.id)
    await first.engine.exportOnce()
    await office.syncAll()
    return office
  }

  pc(id: string): SimPc {
    const p = this.pcs.find((x) => x.id === id)
    if (!p) throw new Error(`no PC ${id}`)
    return p
  }

  /** Every PC syncs `rounds` times in turn (enough rounds for changes to reach everyone). */
  async syncAll(rounds = 2): Promise<void> {
    for (let r = 0; r < rounds; r++) for (const pc of this.pcs) await pc.engine.syncOnce()
  }

  /** Digests of all PCs. */
  async digests(): Promise<string[]> {
    return Promise.all(this.pcs.map((p) => p.store.digest()))
  }

  /** True when all PCs hold the same merge state. */
  async converged(): Promise<boolean> {
    return new Set(await this.digests()).size === 1
  }

  advance(ms: number): void {
    this.time += ms
  }
}
