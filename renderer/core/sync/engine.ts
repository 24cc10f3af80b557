/**
 * The sync engine (sync.md "The design"): exports this PC's outbox as write-once signed segments
 * and imports every trusted PC's segments strictly in sequence order. It never infers anything
 * from a missing file, writes only this PC's own files, takes no lock, and lets one bad file stop
 * only its own PC's stream. All storage and platform access goes through injected ports.
 */
import { sha256Hex } from '../identity'
import { blobFileName, createKdf, decryptFile, encryptFile, jsonBytes, openKdf, type VaultCipher, type VaultKdf } from './cipher'
import { decodeHlc, encodeHlc, HlcClock, hlcPc, type DriftLimits } from './hlc'
import { fingerprint, fromBase64, importPublicKey, toBase64, type SyncKeys } from './keys'
import { applyChange, emptyRecord, materialize, mergeStates, retractChange, seenFor, type Conflict, type RecordState } from './merge'
import { parseName, paths, PC_ID, SMALL_FILE_MAX } from './names'
import { decodeSegment, decodeSnapshot, encodeSegment, encodeSnapshot, SCHEMA, SegmentError, type Change, type SnapshotHeader } from './segment'
import { StaleOutboxError, type CommitBatch, type Cursor, type FileIssue, type OwnSegment, type PeerInfo, type SyncStore } from './store'
import { isTransient, TransportError, type SyncTransport } from './transport'

/** vault.json: written once by the PC that creates the office's vault. */
export interface VaultFile {
  id: string
  format: 1
  minApp: string
  created: string
  /** The first PC; the root of trust for PCs that join. */
  founder: { pc: string; name: string; publicKey: string }
  kdf?: VaultKdf
  /**
   * The office whose directory this vault carries: the id of its founding (genesis) directory entry
   * is the root of trust for users, as `founder` is for PCs. `demo` vaults hold demo data only.
   */
  office?: { id: string; name: string; genesis: string; demo?: boolean }
}

/** What the chosen folder holds, as seen before any sync (fault 2). */
export type FolderState =
  | { kind: 'empty' }
  | { kind: 'notVault'; entries: number }
  | { kind: 'unreadable'; error: string }
  | { kind: 'vault'; vault: VaultFile; ours: boolean; joined: boolean }

/** Problem codes the status panel shows. */
export type ProblemCode =
  | 'folderUnavailable' | 'foreignVault' | 'quarantined' | 'clockSkew' | 'updateRequired' | 'missingData'
  | 'pendingApproval' | 'exportFailed' | 'cannotDecrypt' | 'attachmentPending' | 'seqConflict' | 'revoked' | 'identityRenewed' | 'fork'

/** One problem in plain zh-CN (and English). */
export interface SyncProblem { code: ProblemCode; pc?: string; message: string; messageEn: string }

/** What the 设置 → 同步 status panel shows. */
export interface SyncStatus {
  vault?: string
  paused: boolean
  lastSync?: number
  /** Local changes not yet verified on the share. */
  waiting: number
  conflicts: number
  pendingAttachments: number
  pcs: Array<{ pc: string; name: string; trusted: boolean; fingerprint: string; lastSeen?: number; imported: number; self: boolean }>
  problems: SyncProblem[]
}

/**
 * Authorization on every PC (core/trust/gate.ts): each change, received or our own, is admitted
 * before it is merged; the rest are kept by the gate (never merged, never lost) and offered again
 * by `settle` once they pass (a missing directory entry arrived, an administrator accepted one).
 */
export interface SyncGate {
  /** The changes of one file (or of our own outbox) that may merge now. */
  admit(pc: string, changes: Change[]): Promise<Change[]>
  /**
   * After each round: changes held earlier that may merge now, and merged transitions to take back
   * out (their audit entry and the document state write it signs) because a late directory entry holds them.
   */
  settle(): Promise<{ admit: Change[]; retract: Array<{ auditId: string; docId: string }> }>
  /** A revoked PC's last sequence number still applied; undefined when the PC is not revoked. */
  revokedAfter(pc: string): Promise<number | undefined>
}

/** Ports and settings of one engine. */
export interface EngineOptions {
  /** Authorization of changes before they merge; without one every verified change merges. */
  gate?: SyncGate
  /**
   * A random part of this run's change ids (default: new each start), so two machines that share
   * one identity (a cloned disk, a restored image) never issue the same change id.
   */
  session?: string
  /**
   * Makes and keeps a new identity for this PC (new keys, new id). Called when this database is
   * found not to be the one that last published under its identity (a restored backup, a cloned
   * disk, a copied profile): the PC then goes on under the new identity, approved like a new PC.
   */
  renewIdentity?: () => Promise<SyncKeys>
  transport: SyncTransport
  store: SyncStore
  keys: SyncKeys
  /** Wall clock in ms (injected: tests set clocks minutes or a year off). */
  clock: { now(): number }
  /** This PC's display name (shown on other PCs when approving). */
  name: string
  app: string
  /** Highest schema this build understands (tests lower it to act as an old app, fault 30). */
  schema?: number
  /** A bad file is retried this long before it is quarantined (faults 6, 8). */
  graceMs?: number
  /** A gap in a PC's sequence is reported after this long (fault 12). */
  gapTimeoutMs?: number
  /** Write attempts on EBUSY/EPERM/EACCES and the pause between them (about a minute in total, fault 10). */
  writeAttempts?: number
  retryDelayMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Outbox rows per segment. */
  maxBatch?: number
  /** Records per commit when a new PC starts from a snapshot (progress, bounded transactions). */
  snapshotChunk?: number
  drift?: DriftLimits
}

/** Two different files seen for one (PC, number): both versions' changes are kept. */
export interface ForkRecord { pc: string; seq: number; hashes: string[]; at: number; by: string }

/** Result of one export round. */
export interface ExportResult { ok: boolean; published: number; problem?: SyncProblem }

/** Result of one import round. */
export interface ImportResult { ok: boolean; applied: number; changes: number }

const SELF_TRUST_TABLE = '$trust'

/** Plain zh-CN messages of the status panel (English beside them). */
export const problemText = {
  folderUnavailable: () => ['共享文件夹不可用，同步已暂停（本机数据不受影响）', 'Shared folder unavailable; sync paused (local data untouched)'],
  foreignVault: () => ['该文件夹属于另一个办公室的同步库，请选择新建或加入', 'This folder holds another office\'s vault; choose create or join'],
  quarantined: (pc: string, seq: number) => [`某电脑的文件已隔离：来自电脑 ${pc} 的第 ${seq} 号文件已损坏，已隔离`, `A file from PC ${pc} (#${seq}) is damaged and was set aside`],
  clockSkew: (pc: string, min: number) => [`时钟偏差：电脑 ${pc} 的时钟与本机相差约 ${min} 分钟`, `Clock skew: PC ${pc} differs by about ${min} min`],
  updateRequired: (pc: string) => [`需要更新：电脑 ${pc} 使用了更新版本的数据格式，请更新本软件`, `Update required: PC ${pc} uses a newer data format`],
  missingData: (pc: string) => [`缺少来自电脑 ${pc} 的数据`, `Missing data from PC ${pc}`],
  pendingApproval: (pc: string, fp: string) => [`新电脑 ${pc} 等待批准（指纹 ${fp}）`, `New PC ${pc} awaits approval (fingerprint ${fp})`],
  exportFailed: (code: string) => [`本机更改暂时无法写入共享文件夹（${code}），稍后重试`, `Could not write local changes to the shared folder (${code}); will retry`],
  cannotDecrypt: () => ['暂时无法解密：请输入正确的办公室同步口令', 'Cannot decrypt yet: enter the office passphrase'],
  attachmentPending: (n: number) => [`${n} 个附件待接收`, `${n} attachment(s) pending`],
  identityRenewed: (from: string, to: string) => [`本机的数据与共享文件夹中电脑 ${from} 的记录不一致（可能是恢复了旧备份或复制了电脑），已改用新身份 ${to} 继续同步；未发出的更改都已保留，请管理员批准本机`, `This PC's data is not the copy that last synced as ${from} (an old backup restored, or a copied PC); it now syncs as ${to}, keeping every unsent change; an administrator must approve it`],
  fork: (pc: string, seq: number) => [`电脑 ${pc} 的第 ${seq} 号文件出现了两个不同版本（复制的电脑或网盘的冲突副本）；两个版本的更改都已保留，请管理员检查该电脑`, `PC ${pc} has two different versions of file #${seq} (a copied PC or a cloud conflicted copy); the changes of both are kept; the administrator should check that PC`],
  revoked: (pc: string, seq: number) => [`电脑 ${pc} 已被管理员吊销：第 ${seq} 号起的文件不再接收`, `PC ${pc} was revoked by the administrator; files from #${seq} on are not applied`],
  seqConflict: (seq: number) => [`共享文件夹中本机第 ${seq} 号文件内容不同，请联系管理员`, `Our segment #${seq} on the share differs; contact the admin`],
} as const

function problem(code: ProblemCode, pc: string | undefined, text: readonly string[]): SyncProblem {
  return pc === undefined ? { code, message: text[0] as string, messageEn: text[1] as string } : { code, pc, message: text[0] as string, messageEn: text[1] as string }
}

/** The change that wrote `h` into a record, rebuilt from its state, and its writes taken out of the state. */
function takeBack(st: RecordState, h: string): Change {
  const fields: Record<string, unknown> = {}
  const seen: Record<string, string[]> = {}
  let deleted = false
  for (const [f, ws] of Object.entries(st.fields)) {
    const w = ws.find((x) => x.h === h)
    if (!w) continue
    if (f === '$deleted') deleted = w.v === true
    else fields[f] = w.v
    if (w.p?.length) seen[f] = [...w.p]
  }
  const c: Change = { table: st.table, key: st.key, op: deleted ? 'delete' : 'put', fields, hlc: h, pc: hlcPc(h) }
  if (Object.keys(seen).length) c.seen = seen
  retractChange(st, c)
  return c
}

/** 8 random hex digits. */
function randomTag(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('')
}

const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

/** One PC's sync engine. */
export class SyncEngine {
  private hlc: HlcClock
  private cipher: VaultCipher | undefined
  private keyCache = new Map<string, CryptoKey>()
  private roundProblems: SyncProblem[] = []
  private hlcLoaded = false
  private gapEvidence = new Set<string>()
  private compactionGap = false
  private readonly session: string
  private keys: SyncKeys
  /** This PC's id (it changes once if the PC takes a new identity after a clone or restore). */
  pc: string

  constructor(private readonly o: EngineOptions) {
    this.keys = o.keys
    this.pc = o.keys.pc
    if (!PC_ID.test(this.pc)) throw new Error(`PC id not file-name safe: ${this.pc}`)
    this.session = o.session ?? randomTag()
    this.hlc = new HlcClock(`${this.pc}~${this.session}`, () => o.clock.now(), o.drift)
  }

  private get schema() { return this.o.schema ?? SCHEMA }
  private get now() { return this.o.clock.now() }

  // ---------------------------------------------------------------- vault: create / join (fault 2)

  /** Looks at the chosen folder without changing anything. */
  async inspectFolder(): Promise<FolderState> {
    let names: string[]
    try {
      names = await this.o.transport.list('')
    } catch (e) {
      return { kind: 'unreadable', error: String(e) }
    }
    if (names.length === 0) return { kind: 'empty' }
    if (!names.includes(paths.vault)) return { kind: 'notVault', entries: names.length }
    try {
      const vault = JSON.parse(new TextDecoder().decode(await this.o.transport.read(paths.vault))) as VaultFile
      if (typeof vault.id !== 'string' || typeof vault.founder?.publicKey !== 'string') return { kind: 'unreadable', error: 'vault.json malformed' }
      const mine = await this.o.store.getMeta<VaultFile>('vault')
      return { kind: 'vault', vault, joined: !!mine, ours: mine?.id === vault.id }
    } catch (e) {
      return { kind: 'unreadable', error: String(e) }
    }
  }

  /** Creates a new vault in an empty folder (never over another one); optional office passphrase. */
  async createVault(opts: { passphrase?: string; iterations?: number; office?: VaultFile['office'] } = {}): Promise<VaultFile> {
    const state = await this.inspectFolder()
    if (state.kind === 'vault' || state.kind === 'unreadable') throw new Error('folder already holds a vault or cannot be read')
    const vault: VaultFile = {
      id: crypto.randomUUID(), format: 1, minApp: this.o.app, created: new Date(this.now).toISOString(),
      founder: { pc: this.pc, name: this.o.name, publicKey: toBase64(this.keys.publicRaw) },
    }
    if (opts.office) vault.office = { ...opts.office }
    if (opts.passphrase !== undefined) {
      const { kdf, cipher } = await createKdf(opts.passphrase, opts.iterations)
      vault.kdf = kdf
      this.cipher = cipher
    }
    const { written } = await this.o.transport.writeIfAbsent(paths.vault, jsonBytes(vault))
    if (!written) throw new Error('another PC created a vault in this folder at the same time; join it instead')
    await this.adopt(vault)
    return vault
  }

  /** Joins the vault found in the folder (the user confirmed its id and the founder's fingerprint). */
  async joinVault(passphrase?: string): Promise<VaultFile> {
    const state = await this.inspectFolder()
    if (state.kind !== 'vault') throw new Error('no vault in this folder')
    const mine = await this.o.store.getMeta<VaultFile>('vault')
    if (mine && mine.id !== state.vault.id) throw new Error('this PC belongs to another vault; vaults never merge')
    await this.adopt(state.vault)
    if (passphrase !== undefined) await this.unlock(passphrase)
    return state.vault
  }

  /** Enters the office passphrase; false when wrong (fault 27: nothing is lost, sync waits). */
  async unlock(passphrase: string): Promise<boolean> {
    const vault = await this.o.store.getMeta<VaultFile>('vault')
    if (!vault?.kdf) return true
    const cipher = await openKdf(vault.kdf, passphrase)
    if (!cipher) return false
    this.cipher = cipher
    return true
  }

  private async adopt(vault: VaultFile): Promise<void> {
    await this.o.store.setMeta('vault', vault)
    const raw = fromBase64(vault.founder.publicKey)
    await this.o.store.putPeer({ pc: vault.founder.pc, name: vault.founder.name, publicKey: vault.founder.publicKey, fingerprint: await fingerprint(raw), trusted: true, approvedBy: 'vault' })
    await this.ensureSelfPeer()
  }

  private async ensureSelfPeer(): Promise<void> {
    const me = toBase64(this.keys.publicRaw)
    const peers = await this.o.store.peers()
    const self = peers.find((p) => p.pc === this.pc)
    if (self?.trusted && self.publicKey === me) return
    await this.o.store.putPeer({ pc: this.pc, name: this.o.name, publicKey: me, fingerprint: await fingerprint(this.keys.publicRaw), trusted: true, approvedBy: self?.approvedBy ?? 'self' })
  }

  /** Approves a PC that appeared in the folder; the approval syncs to every PC as a signed change (fault 25). */
  async approve(pc: string, extra: Record<string, unknown> = {}): Promise<void> {
    let peer = (await this.o.store.peers()).find((p) => p.pc === pc)
    if (!peer) {
      await this.discoverPeers()
      peer = (await this.o.store.peers()).find((p) => p.pc === pc)
    }
    if (!peer) throw new Error(`unknown PC ${pc}`)
    await this.o.store.putPeer({ ...peer, trusted: true, approvedBy: this.pc })
    await this.o.store.appendOutbox({ table: SELF_TRUST_TABLE, key: pc, op: 'put', fields: { ...extra, publicKey: peer.publicKey, name: peer.name, approvedBy: this.pc }, at: new Date(this.now).toISOString() })
  }

  /** Folder check before a round: the vault must be ours; otherwise sync pauses (faults 1, 2). */
  private async checkFolder(): Promise<VaultFile | null> {
    const vault = await this.o.store.getMeta<VaultFile>('vault')
    if (!vault) {
      this.roundProblems.push(problem('foreignVault', undefined, problemText.foreignVault()))
      return null
    }
    const state = await this.inspectFolder()
    if (state.kind === 'vault' && state.ours) {
      if (vault.kdf && !this.cipher) {
        this.roundProblems.push(problem('cannotDecrypt', undefined, problemText.cannotDecrypt()))
        return null
      }
      return vault
    }
    if (state.kind === 'vault') this.roundProblems.push(problem('foreignVault', undefined, problemText.foreignVault()))
    else this.roundProblems.push(problem('folderUnavailable', undefined, problemText.folderUnavailable()))
    return null
  }

  // ---------------------------------------------------------------- stamping: outbox → own segment

  private async loadHlc(): Promise<void> {
    if (this.hlcLoaded) return
    const saved = await this.o.store.getMeta<string>('hlc')
    const h = saved ? decodeHlc(saved) : null
    // Never clamped to the wall clock: a clock set back must not make the HLC go backwards (fork clock).
    if (h) this.hlc.resume(h)
    this.hlcLoaded = true
  }

  /**
   * Turns unclaimed outbox rows into our next segment, stored locally before anything is written
   * (so a crash republishes the same bytes, fault 23). Runs before every import so a local write
   * records exactly the field values its writer saw (merge.ts `seen`).
   */
  private async stamp(vault: VaultFile): Promise<number> {
    await this.loadHlc()
    if (!(await this.o.store.getMeta<boolean>('ownChecked'))) return 0
    let total = 0
    for (let round = 0; round < 1000; round++) {
      const rows = await this.o.store.pendingOutbox(this.o.maxBatch ?? 2000)
      if (rows.length === 0) break
      const keys = [...new Map(rows.map((r) => [`${r.table}\u0000${r.key}`, { table: r.table, key: r.key }])).values()]
      const loaded = await this.o.store.getRecords(keys)
      const states = new Map<string, RecordState>()
      keys.forEach((k, i) => states.set(`${k.table}\u0000${k.key}`, loaded[i] ?? emptyRecord(k.table, k.key)))
      const changes: Change[] = []
      const blobs = new Set<string>()
      for (const row of rows) {
        const st = states.get(`${row.table}\u0000${row.key}`) as RecordState
        const fields = row.op === 'delete' ? {} : row.fields
        const touched = row.op === 'delete' ? ['$deleted'] : [...Object.keys(fields), '$deleted']
        const seen = seenFor(st, touched)
        const change: Change = { table: row.table, key: row.key, op: row.op, fields, hlc: encodeHlc(this.hlc.tick()), pc: this.pc }
        if (Object.keys(seen).length > 0) change.seen = seen
        applyChange(st, change)
        changes.push(change)
        if (row.table === 'attachments' && typeof fields.hash === 'string') blobs.add(fields.hash)
      }
      if (this.o.gate) {
        // Our own changes pass the same gate: one it refuses still goes out (every PC then shows
        // the same finding) but is not merged here either, so all PCs keep the same state.
        const ok = new Set(await this.o.gate.admit(this.pc, changes))
        for (const c of changes) if (!ok.has(c)) retractChange(states.get(`${c.table}\u0000${c.key}`) as RecordState, c)
      }
      const cursors = await this.o.store.cursors()
      const prev = cursors[this.pc] ?? { seq: 0, hash: '' }
      const seg = await encodeSegment({ vault: vault.id, keys: this.keys, seq: prev.seq + 1, prevHash: prev.hash, changes, app: this.o.app, schema: this.schema })
      const fileBytes = this.cipher ? await encryptFile(this.cipher, seg.bytes) : seg.bytes
      const own: OwnSegment = { seq: prev.seq + 1, bytes: fileBytes, count: changes.length, blobs: [...blobs].sort(), published: false }
      try {
        await this.o.store.commit({
          records: [...states.values()], cursors: { [this.pc]: { seq: own.seq, hash: seg.fileHash } },
          claim: { outboxSeqs: rows.map((r) => r.seq as number), segment: own }, hlc: encodeHlc(this.hlc.current()), guardOutbox: rows.length < (this.o.maxBatch ?? 2000),
        })
      } catch (e) {
        if (e instanceof StaleOutboxError) continue
        throw e
      }
      total += changes.length
    }
    return total
  }

  // ---------------------------------------------------------------- export

  /** Publishes our segments not yet verified on the share (and republishes any that vanished, faults 3, 4). */
  async exportOnce(): Promise<ExportResult> {
    this.roundProblems = this.roundProblems.filter((p) => p.code !== 'exportFailed' && p.code !== 'folderUnavailable' && p.code !== 'foreignVault' && p.code !== 'cannotDecrypt')
    const vault = await this.checkFolder()
    if (!vault) return { ok: false, published: 0, problem: this.roundProblems[this.roundProblems.length - 1] }
    await this.ensureOwnChecked()
    await this.checkLineage(vault)
    await this.stamp(vault)
    const t = this.o.transport
    try {
      await this.ensureIdentity()
      const listed = new Set((await t.list(paths.segDir(this.pc))).map((n) => parseName(`${paths.segDir(this.pc)}/${n}`)).flatMap((p) => (p?.kind === 'segment' ? [p.seq] : [])))
      const repair = await this.repairRequests()
      let published = 0
      for (const seg of await this.o.store.ownSegments()) {
        if (seg.published && listed.has(seg.seq) && !repair.has(seg.seq)) continue
        for (const hash of seg.blobs) {
          const b = await this.o.store.getBlob(hash)
          if (b) await this.publishFile(paths.blob(await blobFileName(this.cipher, hash)), this.cipher ? await encryptFile(this.cipher, b) : b, false)
        }
        const r = await this.publishFile(paths.segment(this.pc, seg.seq), seg.bytes, true)
        if (r === 'conflict' && this.o.renewIdentity && !seg.published) {
          // Another copy of this PC (a cloned disk) published this number first: this one goes on
          // under a new identity, and its unpublished changes with it.
          await this.renew(vault, 'twin', seg.seq)
          return this.exportOnce()
        }
        if (r !== 'ok') {
          const p = r === 'conflict' ? problem('seqConflict', undefined, problemText.seqConflict(seg.seq)) : problem('exportFailed', undefined, problemText.exportFailed(r))
          this.roundProblems.push(p)
          return { ok: false, published, problem: p }
        }
        if (!seg.published) await this.o.store.markPublished(seg.seq)
        published++
      }
      await this.writeStatus()
      return { ok: true, published }
    } catch (e) {
      const code = e instanceof TransportError ? e.code : String(e)
      const p = problem('exportFailed', undefined, problemText.exportFailed(code))
      this.roundProblems.push(p)
      return { ok: false, published: 0, problem: p }
    }
  }

  /**
   * Write-if-absent with bounded retries, then read back and compare (faults 10, 13). A damaged
   * copy of our own file (killed writer) is removed and written again; a different VALID file under
   * our name is never touched and reported.
   */
  private async publishFile(rel: string, bytes: Uint8Array, isSegment: boolean): Promise<'ok' | 'conflict' | string> {
    const t = this.o.transport
    const attempts = this.o.writeAttempts ?? 5
    let lastCode = 'EIO'
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await (this.o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(this.o.retryDelayMs ?? 12_000)
      try {
        await t.writeIfAbsent(rel, bytes)
      } catch (e) {
        if (isTransient(e)) { lastCode = (e as TransportError).code; continue }
        return e instanceof TransportError ? e.code : 'EIO'
      }
      let back: Uint8Array
      try {
        back = await t.read(rel)
      } catch (e) {
        // Written but not readable: a dropped delayed write or a stale share. Next round retries.
        lastCode = e instanceof TransportError ? e.code : 'EIO'
        return `verify:${lastCode}`
      }
      if (bytesEqual(back, bytes)) return 'ok'
      if (isSegment && (await this.isValidOwnSegment(rel, back))) return 'conflict'
      if (!isSegment && (await sha256Hex(back)) === rel.slice(rel.indexOf('/') + 1, rel.indexOf('.blob')) && !this.cipher) return 'ok'
      try {
        await t.remove(rel)
      } catch (e) {
        if (!isTransient(e)) return e instanceof TransportError ? e.code : 'EIO'
      }
      lastCode = 'verify'
    }
    return lastCode
  }

  private async isValidOwnSegment(rel: string, bytes: Uint8Array): Promise<boolean> {
    const vault = await this.o.store.getMeta<VaultFile>('vault')
    try {
      await decodeSegment(bytes, { rel, vault: vault?.id ?? '', publicKey: this.keys.publicKey, prevHash: undefined, schema: 1e9, cipher: this.cipher })
      return true
    } catch {
      return false
    }
  }

  private async ensureIdentity(): Promise<void> {
    const rel = paths.identity(this.pc)
    const body = jsonBytes({ pc: this.pc, name: this.o.name, publicKey: toBase64(this.keys.publicRaw) })
    try {
      const back = await this.o.transport.read(rel)
      if (bytesEqual(back, body)) return
      await this.o.transport.remove(rel)
    } catch (e) {
      if (!(e instanceof TransportError && e.code === 'ENOENT')) throw e
    }
    await this.o.transport.writeIfAbsent(rel, body)
  }

  /** Seqs of ours that some PC quarantined: we rewrite them if the share's copy is damaged. */
  private async repairRequests(): Promise<Set<number>> {
    const out = new Set<number>()
    for (const s of await this.readStatuses()) for (const q of s.quarantined ?? []) if (q.pc === this.pc) out.add(q.seq)
    return out
  }

  /** After a wipe, learn our last published seq from the share before writing a new one (fault 24). */
  private async ensureOwnChecked(): Promise<void> {
    if (await this.o.store.getMeta<boolean>('ownChecked')) return
    const cursors = await this.o.store.cursors()
    if (Object.keys(cursors).length === 0) await this.bootstrapFromSnapshot()
    await this.importPc(this.pc, await this.peerKey(this.pc))
    const listed = (await this.o.transport.list(paths.segDir(this.pc))).map((n) => parseName(`${paths.segDir(this.pc)}/${n}`)).flatMap((p) => (p?.kind === 'segment' ? [p.seq] : []))
    const mine = (await this.o.store.cursors())[this.pc]?.seq ?? 0
    if (listed.every((s) => s <= mine)) await this.o.store.setMeta('ownChecked', true)
  }

  // ---------------------------------------------------------------- forks (issue 7)

  /** Records that PC `pc` has two versions of file `seq` (seen by `by`: a file name or a peer's status). */
  private async noteFork(pc: string, seq: number, hashes: string[], by: string): Promise<void> {
    const forks = (await this.o.store.getMeta<ForkRecord[]>('forks')) ?? []
    const f = forks.find((x) => x.pc === pc && x.seq === seq)
    if (f) {
      const all = [...new Set([...f.hashes, ...hashes])].sort()
      if (all.length === f.hashes.length) return
      f.hashes = all
    } else forks.push({ pc, seq, hashes: [...new Set(hashes)].sort(), at: this.now, by })
    await this.o.store.setMeta('forks', forks)
  }

  /** True when this PC already applied that version of the file (the main one or a kept fork). */
  private async knownVersion(pc: string, seq: number, hash: string): Promise<boolean> {
    return ((await this.o.store.getMeta<ForkRecord[]>('forks')) ?? []).some((f) => f.pc === pc && f.seq === seq && f.hashes.includes(hash))
  }

  /**
   * Other versions of one of `pc`'s files under names a cloud client makes (`0000000007 (conflicted
   * copy …).seg`, `0000000007-PC01 (…).seg`): never written by us, read only to keep their changes.
   */
  private forkNames(names: string[], seq: number): string[] {
    const base = String(seq).padStart(10, '0')
    return names.filter((n) => n.startsWith(base) && n.endsWith('.seg') && n !== `${base}.seg` && !/^\d/.test(n.slice(10, 11)))
  }

  // ---------------------------------------------------------------- copies of this PC (issue 7)

  /**
   * Is this database the one that last published under this PC's identity? Not when the share
   * holds a valid file of ours beyond the last one we made: a backup restored later, a cloned disk
   * or a copied profile went on without us. Then this PC takes a new identity (`renew`).
   */
  private async checkLineage(vault: VaultFile): Promise<boolean> {
    if (!this.o.renewIdentity) return false
    const mine = (await this.o.store.cursors())[this.pc]?.seq ?? 0
    const dir = paths.segDir(this.pc)
    const beyond = (await this.o.transport.list(dir)).map((n) => parseName(`${dir}/${n}`)).flatMap((p) => (p?.kind === 'segment' && p.pc === this.pc && p.seq > mine ? [p.seq] : []))
    if (beyond.length === 0) {
      // The files may be gone (compacted after a snapshot): other PCs' status files still say how
      // far they applied us. Further than we ever went means a copy of us went on without us.
      const reported = (await this.readStatuses()).reduce((m, st) => Math.max(m, typeof st.cursors[this.pc] === 'number' ? st.cursors[this.pc]! : 0), 0)
      if (reported <= mine) return false
      await this.renew(vault, 'behind', mine + 1)
      return true
    }
    const first = Math.min(...beyond)
    let bytes: Uint8Array
    try { bytes = await this.o.transport.read(paths.segment(this.pc, first)) } catch { return false }
    // A damaged or replayed file is not evidence of a copy (export removes it or readers set it aside).
    if (!(await this.isValidOwnSegment(paths.segment(this.pc, first), bytes))) return false
    await this.renew(vault, 'behind', first)
    return true
  }

  /**
   * Takes a new identity: what this PC had not published (its unpublished segments) is taken back
   * out of the merge and made again, in one commit, as changes of the new identity; the old
   * identity becomes an ordinary peer whose files (written by the copy that went on) are imported
   * from the last one this PC had published. Nothing is lost; the new PC waits for approval.
   */
  private async renew(vault: VaultFile, reason: 'behind' | 'twin', atSeq: number): Promise<void> {
    const oldPc = this.pc
    const oldKeys = this.keys
    const own = await this.o.store.ownSegments()
    // What the share holds as ours up to the fork point stays ours (the copies share that past).
    const kept = own.filter((g) => g.published && g.seq < atSeq).sort((a, b) => a.seq - b.seq)
    const redo = own.filter((g) => !kept.includes(g)).sort((a, b) => a.seq - b.seq)
    const last = kept[kept.length - 1]
    const oldCursor: Cursor = last ? { seq: last.seq, hash: await sha256Hex(last.bytes) } : { seq: 0, hash: '' }
    const old: Change[] = []
    for (const g of redo) {
      const seg = await decodeSegment(g.bytes, { rel: paths.segment(oldPc, g.seq), vault: vault.id, publicKey: oldKeys.publicKey, prevHash: undefined, schema: 1e9, cipher: this.cipher })
      old.push(...seg.changes)
    }
    const keys = await this.o.renewIdentity!()
    this.keys = keys
    this.pc = keys.pc
    const before = this.hlc.current()
    this.hlc = new HlcClock(`${this.pc}~${this.session}`, () => this.o.clock.now(), this.o.drift)
    this.hlc.resume(before)
    const recordKeys = [...new Map(old.map((c) => [`${c.table}\u0000${c.key}`, { table: c.table, key: c.key }])).values()]
    const loaded = await this.o.store.getRecords(recordKeys)
    const states = new Map<string, RecordState>()
    recordKeys.forEach((k, i) => states.set(`${k.table}\u0000${k.key}`, loaded[i] ?? emptyRecord(k.table, k.key)))
    for (const c of old) retractChange(states.get(`${c.table}\u0000${c.key}`) as RecordState, c)
    const fresh: Change[] = []
    const blobs = new Set<string>()
    for (const c of old) {
      const st = states.get(`${c.table}\u0000${c.key}`) as RecordState
      const touched = c.op === 'delete' ? ['$deleted'] : [...Object.keys(c.fields), '$deleted']
      const seen = seenFor(st, touched)
      const n: Change = { table: c.table, key: c.key, op: c.op, fields: c.fields, hlc: encodeHlc(this.hlc.tick()), pc: this.pc }
      if (Object.keys(seen).length > 0) n.seen = seen
      applyChange(st, n)
      fresh.push(n)
      if (c.table === 'attachments' && typeof c.fields.hash === 'string') blobs.add(c.fields.hash)
    }
    if (this.o.gate && fresh.length) {
      const ok = new Set(await this.o.gate.admit(this.pc, fresh))
      for (const c of fresh) if (!ok.has(c)) retractChange(states.get(`${c.table}\u0000${c.key}`) as RecordState, c)
    }
    await this.o.store.forgetOwnSegments()
    const batch: CommitBatch = { records: [...states.values()], cursors: { [oldPc]: oldCursor, [this.pc]: { seq: 0, hash: '' } }, hlc: encodeHlc(this.hlc.current()) }
    if (fresh.length) {
      const seg = await encodeSegment({ vault: vault.id, keys: this.keys, seq: 1, prevHash: '', changes: fresh, app: this.o.app, schema: this.schema })
      const fileBytes = this.cipher ? await encryptFile(this.cipher, seg.bytes) : seg.bytes
      batch.cursors![this.pc] = { seq: 1, hash: seg.fileHash }
      batch.claim = { outboxSeqs: [], segment: { seq: 1, bytes: fileBytes, count: fresh.length, blobs: [...blobs].sort(), published: false } }
    }
    await this.o.store.commit(batch)
    // The old identity is a peer like any other now (trusted: the same office PC made its files).
    const oldPeer = (await this.o.store.peers()).find((p) => p.pc === oldPc)
    if (oldPeer) await this.o.store.putPeer({ ...oldPeer, trusted: true })
    await this.ensureSelfPeer()
    await this.o.store.setMeta('ownChecked', true)
    const renewed = { from: oldPc, to: this.pc, reason, at: this.now, seq: atSeq }
    await this.o.store.setMeta('renewed', renewed)
    this.roundProblems.push(problem('identityRenewed', undefined, problemText.identityRenewed(oldPc, this.pc)))
  }

  // ---------------------------------------------------------------- status files

  private async writeStatus(): Promise<void> {
    const cursors = await this.o.store.cursors()
    const issues = await this.o.store.fileIssues()
    const status = {
      pc: this.pc, at: this.now, digest: await this.o.store.digest(),
      cursors: Object.fromEntries(Object.entries(cursors).map(([k, c]) => [k, c.seq])),
      // The hash of each PC's last applied file: a peer that applied another file under the same
      // number (a fork) learns it from here (issue 7).
      hashes: Object.fromEntries(Object.entries(cursors).map(([k, c]) => [k, c.hash])),
      quarantined: issues.filter((i) => i.quarantined).map((i) => ({ pc: i.pc, seq: i.seq })),
    }
    const rel = paths.status(this.pc)
    // Status is advisory and only ever written by its owner, so remove + write is acceptable here.
    try { await this.o.transport.remove(rel) } catch { /* absent or busy: write below decides */ }
    try { await this.o.transport.writeIfAbsent(rel, jsonBytes(status)) } catch { /* next round */ }
  }

  /**
   * The highest sequence number of `pc` that any PC says it has applied (its status file), or we
   * have: a revocation cuts there, so no PC has applied more of the revoked PC than the rest will.
   */
  async highestApplied(pc: string): Promise<number> {
    let top = (await this.o.store.cursors())[pc]?.seq ?? 0
    try {
      for (const st of await this.readStatuses()) {
        const seq = st.cursors[pc]
        if (typeof seq === 'number' && Number.isInteger(seq) && seq > top) top = seq
      }
    } catch { /* folder unavailable: our own cursor */ }
    return top
  }

  private async readStatuses(): Promise<Array<{ pc: string; at: number; cursors: Record<string, number>; hashes?: Record<string, string>; quarantined?: Array<{ pc: string; seq: number }>; digest?: string }>> {
    const out = []
    for (const pc of await this.o.transport.list(paths.pcsDir)) {
      if (!PC_ID.test(pc) || pc === this.pc) continue
      try {
        const s = JSON.parse(new TextDecoder().decode(await this.o.transport.read(paths.status(pc), { maxBytes: SMALL_FILE_MAX })))
        if (s && s.pc === pc && typeof s.cursors === 'object') out.push(s)
      } catch { /* missing or half-written status: ignore, it is advisory */ }
    }
    return out
  }

  // ---------------------------------------------------------------- import

  /** Applies every trusted PC's new segments in sequence order. */
  async importOnce(): Promise<ImportResult> {
    this.roundProblems = this.roundProblems.filter((p) => p.code === 'exportFailed' || p.code === 'seqConflict')
    const vault = await this.checkFolder()
    if (!vault) return { ok: false, applied: 0, changes: 0 }
    let applied = 0, changes = 0
    try {
      await this.ensureOwnChecked()
      await this.checkLineage(vault)
      await this.stamp(vault)
      await this.discoverPeers()
      // Approvals inside segments can trust further PCs; a few passes reach them in one round.
      for (let pass = 0; pass < 4; pass++) {
        let progress = 0
        for (const peer of (await this.o.store.peers()).filter((p) => p.trusted)) {
          const r = await this.importPc(peer.pc, await this.peerKey(peer.pc))
          progress += r.applied
          changes += r.changes
        }
        applied += progress
        if (progress === 0) break
      }
      if (this.compactionGap) {
        this.compactionGap = false
        if (await this.bootstrapFromSnapshot()) {
          for (const peer of (await this.o.store.peers()).filter((p) => p.trusted)) {
            const r = await this.importPc(peer.pc, await this.peerKey(peer.pc))
            applied += r.applied
            changes += r.changes
          }
        }
      }
      if (this.o.gate) {
        const late = await this.o.gate.settle()
        if (late.admit.length) {
          await this.applyChanges('', late.admit, undefined)
          changes += late.admit.length
        }
        for (const r of late.retract) changes += await this.retract(r.auditId, r.docId)
      }
      await this.checkGapsFromStatuses()
      await this.fetchPendingBlobs()
      await this.o.store.setMeta('lastSync', this.now)
      return { ok: true, applied, changes }
    } catch (e) {
      if (e instanceof TransportError) {
        this.roundProblems.push(problem('folderUnavailable', undefined, problemText.folderUnavailable()))
        return { ok: false, applied, changes }
      }
      throw e
    }
  }

  /** One full round: export, import, then export again so status and new approvals go out. */
  async syncOnce(): Promise<SyncStatus> {
    await this.exportOnce()
    await this.importOnce()
    await this.exportOnce()
    return this.status()
  }

  private async peerKey(pc: string): Promise<CryptoKey | undefined> {
    const peer = (await this.o.store.peers()).find((p) => p.pc === pc)
    if (!peer?.trusted) return undefined
    const cached = this.keyCache.get(`${pc}:${peer.publicKey}`)
    if (cached) return cached
    const key = pc === this.pc ? this.keys.publicKey : await importPublicKey(fromBase64(peer.publicKey))
    this.keyCache.set(`${pc}:${peer.publicKey}`, key)
    return key
  }

  /** New PC folders become peers awaiting approval; their files are left where they are (fault 25). */
  private async discoverPeers(): Promise<void> {
    const known = new Set((await this.o.store.peers()).map((p) => p.pc))
    for (const pc of await this.o.transport.list(paths.pcsDir)) {
      if (!PC_ID.test(pc) || known.has(pc)) continue
      try {
        const id = JSON.parse(new TextDecoder().decode(await this.o.transport.read(paths.identity(pc), { maxBytes: SMALL_FILE_MAX }))) as { pc: string; name: string; publicKey: string }
        if (id.pc !== pc || typeof id.publicKey !== 'string') continue
        const raw = fromBase64(id.publicKey)
        if (raw.length !== 32) continue
        await this.o.store.putPeer({ pc, name: String(id.name ?? pc).slice(0, 60), publicKey: id.publicKey, fingerprint: await fingerprint(raw), trusted: false })
      } catch { /* identity not there yet or junk: look again next round */ }
    }
  }

  private async importPc(pc: string, key: CryptoKey | undefined): Promise<{ applied: number; changes: number }> {
    const vault = (await this.o.store.getMeta<VaultFile>('vault')) as VaultFile
    const dir = paths.segDir(pc)
    const names = await this.o.transport.list(dir)
    const listed = new Set(names.map((n) => parseName(`${dir}/${n}`)).flatMap((p) => (p?.kind === 'segment' && p.pc === pc ? [p.seq] : [])))
    let cursor: Cursor = (await this.o.store.cursors())[pc] ?? { seq: 0, hash: '' }
    let applied = 0, changes = 0
    let blockedByFile = false
    type Fetched = { kind: 'seg'; seg: Awaited<ReturnType<typeof decodeSegment>> } | { kind: 'unreadable' } | { kind: 'bad'; e: SegmentError; bytes: Uint8Array }
    const fetch = async (seq: number, prevHash: string): Promise<Fetched> => {
      const rel = paths.segment(pc, seq)
      let bytes: Uint8Array
      try {
        bytes = await this.o.transport.read(rel)
      } catch (e) {
        // Too large to be one of ours (a hostile file): a bad file, set aside after the grace period.
        if (e instanceof TransportError && (e.code === 'EFBIG' || e.code === 'EREFUSED')) return { kind: 'bad', e: new SegmentError('malformed', `file too large or refused (a link?): ${rel}`), bytes: new Uint8Array() }
        // Listed but not readable (stale listing, fault 11): try again next round; infer nothing.
        if (e instanceof TransportError) return { kind: 'unreadable' }
        throw e
      }
      try {
        return { kind: 'seg', seg: await decodeSegment(bytes, { rel, vault: vault.id, publicKey: key, prevHash, schema: this.schema, cipher: this.cipher }) }
      } catch (e) {
        if (!(e instanceof SegmentError)) throw e
        // A file that follows the OTHER version of a forked file continues that branch: take it too.
        const follows = e.kind === 'chainBreak' && e.header ? e.header.prevHash : undefined
        if (follows && (await this.knownVersion(pc, seq - 1, follows))) {
          try {
            return { kind: 'seg', seg: await decodeSegment(bytes, { rel, vault: vault.id, publicKey: key, prevHash: follows, schema: this.schema, cipher: this.cipher }) }
          } catch { /* bad in another way: as below */ }
        }
        return { kind: 'bad', e, bytes }
      }
    }
    /** Every other valid version of file `seq` kept under a cloud client's name: a fork, whose changes are kept too. */
    const otherVersions = async (seq: number, mainHash: string): Promise<void> => {
      for (const n of this.forkNames(names, seq)) {
        let seg: Awaited<ReturnType<typeof decodeSegment>>
        try {
          seg = await decodeSegment(await this.o.transport.read(`${dir}/${n}`), { rel: paths.segment(pc, seq), vault: vault.id, publicKey: key, prevHash: undefined, schema: this.schema, cipher: this.cipher })
        } catch { continue }
        if (seg.fileHash === mainHash) continue
        await this.noteFork(pc, seq, [mainHash, seg.fileHash], `${dir}/${n}`)
        const admitted = this.o.gate ? await this.o.gate.admit(pc, seg.changes) : seg.changes
        await this.applyChanges(pc, admitted, seg.header.hlcTo)
      }
    }
    const start = (seq: number, prevHash: string) => {
      const p = fetch(seq, prevHash)
      p.catch(() => undefined) // awaited below, or dropped when the loop stops first
      return p
    }
    const cut = await this.o.gate?.revokedAfter(pc)
    let next = listed.has(cursor.seq + 1) ? start(cursor.seq + 1, cursor.hash) : undefined
    while (next) {
      const seq = cursor.seq + 1
      if (cut !== undefined && seq > cut) {
        this.roundProblems.push(problem('revoked', pc, problemText.revoked(pc, seq)))
        break
      }
      const got = await next
      next = undefined
      if (got.kind === 'unreadable') { blockedByFile = true; break }
      if (got.kind === 'bad') {
        await this.noteBadFile(pc, seq, paths.segment(pc, seq), got.e, got.bytes)
        blockedByFile = true
        break
      }
      const seg = got.seg
      // Read and verify the next file while this one is applied: its chain link is this file's hash.
      if (listed.has(seq + 1)) next = start(seq + 1, seg.fileHash)
      if (!(await this.applySegment(pc, seg.header.seq, seg.fileHash, seg.changes, seg.header.hlcTo))) break
      await otherVersions(seq, seg.fileHash)
      await this.o.store.clearFileIssue(pc, seq)
      cursor = { seq, hash: seg.fileHash }
      applied++
      changes += seg.changes.length
    }
    const ahead = [...listed].some((s) => s > cursor.seq + 1)
    if (ahead && !blockedByFile && !listed.has(cursor.seq + 1)) {
      this.gapEvidence.add(pc)
      // Files before the first one listed were removed after a snapshot covered them (compaction):
      // this PC catches up from that snapshot (a restored or long-offline PC), then goes on.
      if (Math.min(...listed) > cursor.seq + 1) this.compactionGap = true
    }
    return { applied, changes }
  }

  /** Applies one verified segment and advances the PC's cursor in ONE store commit (fault 22). */
  private async applySegment(pc: string, seq: number, fileHash: string, received: Change[], hlcTo: string): Promise<boolean> {
    const changes = this.o.gate ? await this.o.gate.admit(pc, received) : received
    return this.applyChanges(pc, changes, hlcTo, { seq, hash: fileHash })
  }

  /**
   * Takes a merged transition back out: its audit entry's writes and the document's state write
   * that names it. The taken-back changes go to the gate again, which keeps them as findings.
   */
  private async retract(auditId: string, docId: string): Promise<number> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const [audit, doc] = await this.o.store.getRecords([{ table: 'audit', key: auditId }, { table: 'docs', key: docId }])
      const out: Change[] = []
      const touched: RecordState[] = []
      if (audit) {
        for (const h of new Set(Object.values(audit.fields).flat().map((w) => w.h))) out.push(takeBack(audit, h))
        touched.push(audit)
      }
      const w = doc?.fields.stateBy?.find((x) => x.v === auditId)
      if (doc && w) { out.push(takeBack(doc, w.h)); touched.push(doc) }
      if (out.length === 0) return 0
      try {
        await this.o.store.commit({ records: touched, hlc: encodeHlc(this.hlc.current()), guardOutbox: true })
      } catch (e) {
        if (!(e instanceof StaleOutboxError)) throw e
        // A clerk saved meanwhile: stamp it first so its row is not rewritten under it, then retry.
        const vault = await this.o.store.getMeta<VaultFile>('vault')
        if (vault) await this.stamp(vault)
        continue
      }
      const byPc = new Map<string, Change[]>()
      for (const c of out) byPc.set(c.pc, [...(byPc.get(c.pc) ?? []), c])
      for (const [pc, cs] of byPc) {
        const again = await this.o.gate!.admit(pc, cs)
        if (again.length) await this.applyChanges(pc, again, undefined)
      }
      return out.length
    }
    return 0
  }

  /** Merges changes and, for a segment, advances its PC's cursor, in ONE store commit. */
  private async applyChanges(pc: string, changes: Change[], hlcTo: string | undefined, cursor?: Cursor): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const keys = [...new Map(changes.map((c) => [`${c.table}\u0000${c.key}`, { table: c.table, key: c.key }])).values()]
      const loaded = await this.o.store.getRecords(keys)
      const states = new Map<string, RecordState>()
      keys.forEach((k, i) => states.set(`${k.table}\u0000${k.key}`, loaded[i] ?? emptyRecord(k.table, k.key)))
      const touched = new Set<string>()
      for (const c of changes) {
        const id = `${c.table}\u0000${c.key}`
        if (applyChange(states.get(id) as RecordState, c)) touched.add(id)
      }
      const remote = hlcTo ? decodeHlc(hlcTo) : null
      const verdict = remote && pc !== this.pc ? this.hlc.receive(remote) : null
      try {
        await this.o.store.commit({
          records: [...touched].map((id) => states.get(id) as RecordState),
          ...(cursor ? { cursors: { [pc]: cursor } } : {}), hlc: encodeHlc(this.hlc.current()), guardOutbox: true,
        })
      } catch (e) {
        if (!(e instanceof StaleOutboxError)) throw e
        // A clerk saved something meanwhile: stamp it first so its `seen` stays exact, then retry.
        const vault = await this.o.store.getMeta<VaultFile>('vault')
        if (vault) await this.stamp(vault)
        continue
      }
      await this.afterApply(pc, changes, verdict)
      return true
    }
    return false
  }

  private async afterApply(pc: string, changes: Change[], verdict: { verdict: string; driftMs: number } | null): Promise<void> {
    const peers = new Map((await this.o.store.peers()).map((p) => [p.pc, p]))
    const peer = peers.get(pc)
    if (peer) {
      const next: PeerInfo = { ...peer, lastSeen: this.now }
      if (verdict && verdict.verdict !== 'ok') next.clock = { verdict: verdict.verdict as 'skewed' | 'ahead', driftMs: verdict.driftMs, at: this.now }
      else if (verdict) delete next.clock
      await this.o.store.putPeer(next)
    }
    const pending = new Set(await this.o.store.pendingBlobs())
    let blobsChanged = false
    for (const c of changes) {
      if (c.table === SELF_TRUST_TABLE && c.op === 'put' && typeof c.fields.publicKey === 'string') {
        const raw = fromBase64(c.fields.publicKey)
        const existing = (await this.o.store.peers()).find((p) => p.pc === c.key)
        // A trusted PC's key is never replaced: an approval names a PC once, by the key compared on screen.
        if (raw.length === 32 && !existing?.trusted) {
          await this.o.store.putPeer({ ...(existing ?? {}), pc: c.key, name: String(c.fields.name ?? c.key), publicKey: c.fields.publicKey, fingerprint: await fingerprint(raw), trusted: true, approvedBy: String(c.fields.approvedBy ?? pc) })
        }
      }
      if (c.table === 'attachments' && typeof c.fields.hash === 'string' && !(await this.o.store.hasBlob(c.fields.hash))) {
        pending.add(c.fields.hash)
        blobsChanged = true
      }
    }
    if (blobsChanged) await this.o.store.setPendingBlobs([...pending])
  }

  private async noteBadFile(pc: string, seq: number, rel: string, e: SegmentError, bytes: Uint8Array): Promise<void> {
    const issues = await this.o.store.fileIssues()
    const prev = issues.find((i) => i.pc === pc && i.seq === seq)
    const issue: FileIssue = prev ? { ...prev, kind: e.kind, attempts: prev.attempts + 1 } : { pc, seq, rel, kind: e.kind, firstAt: this.now, attempts: 1, quarantined: false }
    if (e.kind === 'tooNew') issue.bytes = bytes
    else if (e.kind !== 'cannotDecrypt') issue.quarantined = issue.attempts >= 2 && this.now - issue.firstAt >= (this.o.graceMs ?? 10 * 60_000)
    await this.o.store.putFileIssue(issue)
  }

  /** Fault 3: another PC has imported more of X than the share now shows → X's data is missing here. */
  private async checkGapsFromStatuses(): Promise<void> {
    const cursors = await this.o.store.cursors()
    const old = (await this.o.store.getMeta<Record<string, number>>('gaps')) ?? {}
    const gaps: Record<string, number> = {}
    const evidence = this.gapEvidence
    this.gapEvidence = new Set()
    const peers = new Map((await this.o.store.peers()).map((p) => [p.pc, p]))
    for (const s of await this.readStatuses()) {
      const peer = peers.get(s.pc)
      if (peer) await this.o.store.putPeer({ ...peer, lastSeen: Math.max(peer.lastSeen ?? 0, Math.min(Number(s.at) || 0, this.now)) })
      for (const [pc, seq] of Object.entries(s.cursors)) {
        if (pc === this.pc || !peers.get(pc)?.trusted) continue
        if (typeof seq === 'number' && seq > (cursors[pc]?.seq ?? 0)) evidence.add(pc)
        // The same file number applied with another hash there: two versions of one file exist.
        const theirs = s.hashes?.[pc]
        if (typeof theirs === 'string' && seq === cursors[pc]?.seq && theirs !== cursors[pc]?.hash && !(await this.knownVersion(pc, seq, theirs))) {
          await this.noteFork(pc, seq, [cursors[pc]!.hash, theirs], s.pc)
        }
      }
    }
    // A gap's age counts from when it was first noticed, as long as the evidence lasts.
    for (const pc of evidence) gaps[pc] = old[pc] ?? this.now
    await this.o.store.setMeta('gaps', gaps)
  }

  /** Attachments: a blob is accepted only when its bytes hash to its name (fault 28). */
  private async fetchPendingBlobs(): Promise<void> {
    const pending = await this.o.store.pendingBlobs()
    if (pending.length === 0) return
    const still: string[] = []
    for (const hash of pending) {
      if (await this.o.store.hasBlob(hash)) continue
      try {
        let bytes = await this.o.transport.read(paths.blob(await blobFileName(this.cipher, hash)))
        if (this.cipher) bytes = (await decryptFile(this.cipher, bytes)) ?? new Uint8Array()
        if ((await sha256Hex(bytes)) === hash) {
          await this.o.store.putBlob(hash, bytes)
          continue
        }
      } catch { /* not there yet */ }
      still.push(hash)
    }
    await this.o.store.setPendingBlobs(still)
  }

  // ---------------------------------------------------------------- snapshots (fault 24, new PCs)

  /** Publishes a signed snapshot of every record and the per-PC cursors it includes. */
  async writeSnapshot(): Promise<string | null> {
    const vault = await this.checkFolder()
    if (!vault) return null
    await this.stamp(vault)
    const cursors = await this.o.store.cursors()
    const seq = cursors[this.pc]?.seq ?? 0
    const records = await this.o.store.allRecords()
    let bytes = await encodeSnapshot({ vault: vault.id, keys: this.keys, seq, cursors, records, app: this.o.app, at: new Date(this.now).toISOString() })
    if (this.cipher) bytes = await encryptFile(this.cipher, bytes)
    const rel = paths.snapshot(this.pc, seq)
    await this.o.transport.writeIfAbsent(rel, bytes)
    return rel
  }

  /**
   * A PC with an empty database starts from the newest snapshot signed by a PC it trusts, then
   * imports later segments. It publishes nothing until it has caught up with its own segments.
   */
  async bootstrapFromSnapshot(): Promise<boolean> {
    const vault = await this.o.store.getMeta<VaultFile>('vault')
    if (!vault) return false
    const names = (await this.o.transport.list(paths.snapshotDir)).map((n) => parseName(`${paths.snapshotDir}/${n}`)).flatMap((p) => (p?.kind === 'snapshot' ? [p] : []))
    let best: { header: SnapshotHeader; records: unknown[] } | null = null
    for (const n of names) {
      try {
        const snap = await decodeSnapshot(await this.o.transport.read(paths.snapshot(n.pc, n.seq)), { vault: vault.id, publicKey: await this.peerKey(n.pc), cipher: this.cipher })
        const total = (h: SnapshotHeader) => Object.values(h.cursors).reduce((a, c) => a + c.seq, 0)
        if (!best || total(snap.header) > total(best.header)) best = snap
      } catch { /* untrusted, damaged or foreign snapshot: ignore */ }
    }
    if (!best) return false
    const incoming = best.records as RecordState[]
    const mine = await this.o.store.cursors()
    const cursors: Record<string, Cursor> = {}
    for (const [pc, c] of Object.entries(best.header.cursors)) if ((mine[pc]?.seq ?? 0) < c.seq) cursors[pc] = c
    // In chunks, so a large office shows progress and no transaction holds 100,000 records. Only
    // the last chunk advances the cursors: after a crash midway the cursors are still empty, the
    // bootstrap runs again, and merging a record with itself changes nothing (fault 22).
    const chunk = Math.max(1, this.o.snapshotChunk ?? 5000)
    for (let i = 0; i < incoming.length || i === 0; i += chunk) {
      const part = incoming.slice(i, i + chunk)
      // A snapshot is a PC's word for what every other PC wrote: each write in it passes the same
      // gate as a received change (a forged approval in a snapshot is kept as a finding, not merged).
      if (this.o.gate) await this.gateRecords(part)
      const local = await this.o.store.getRecords(part.map((r) => ({ table: r.table, key: r.key })))
      const merged = part.map((r, j) => {
        const l = local[j]
        if (!l) return r
        mergeStates(l, r)
        return l
      })
      await this.o.store.commit(i + chunk >= incoming.length ? { records: merged, cursors } : { records: merged })
      // Done with these: let them go (100,000 parsed records otherwise stay in memory to the end).
      incoming.fill(null as unknown as RecordState, i, i + chunk)
      for (const r of merged) {
        if (r.table !== SELF_TRUST_TABLE) continue
        const m = materialize(r)
        if (m.alive && typeof m.values.publicKey === 'string') {
          const raw = fromBase64(m.values.publicKey)
          await this.o.store.putPeer({ pc: r.key, name: String(m.values.name ?? r.key), publicKey: m.values.publicKey, fingerprint: await fingerprint(raw), trusted: true, approvedBy: String(m.values.approvedBy ?? '') })
        }
      }
    }
    return true
  }

  /** Takes every write of `records` apart into its change, admits them by writing PC, and puts back only the admitted ones. */
  private async gateRecords(records: RecordState[]): Promise<void> {
    const byPc = new Map<string, Change[]>()
    const recordOf = new Map<Change, RecordState>()
    for (const r of records) {
      for (const h of new Set(Object.values(r.fields).flat().map((w) => w.h))) {
        const c = takeBack(r, h)
        recordOf.set(c, r)
        byPc.set(c.pc, [...(byPc.get(c.pc) ?? []), c])
      }
    }
    for (const [pc, changes] of byPc) {
      for (const c of await this.o.gate!.admit(pc, changes)) applyChange(recordOf.get(c) as RecordState, c)
    }
  }

  /**
   * Removes our own old segments that a snapshot covers AND every trusted PC reports imported
   * (sync.md: "Old segments are removed only when …"). Only our own files are ever removed.
   */
  async compact(): Promise<number> {
    const vault = await this.checkFolder()
    if (!vault) return 0
    const snaps = (await this.o.transport.list(paths.snapshotDir)).map((n) => parseName(`${paths.snapshotDir}/${n}`)).flatMap((p) => (p?.kind === 'snapshot' ? [p] : []))
    let covered = 0
    for (const s of snaps) {
      try {
        const snap = await decodeSnapshot(await this.o.transport.read(paths.snapshot(s.pc, s.seq)), { vault: vault.id, publicKey: await this.peerKey(s.pc), cipher: this.cipher })
        covered = Math.max(covered, snap.header.cursors[this.pc]?.seq ?? 0)
      } catch { /* ignore */ }
    }
    const statuses = new Map((await this.readStatuses()).map((s) => [s.pc, s]))
    let everyone = covered
    for (const p of (await this.o.store.peers()).filter((x) => x.trusted && x.pc !== this.pc)) everyone = Math.min(everyone, statuses.get(p.pc)?.cursors[this.pc] ?? 0)
    const published = (await this.o.store.ownSegments()).filter((s) => s.published)
    let removed = 0
    for (const name of await this.o.transport.list(paths.segDir(this.pc))) {
      const p = parseName(`${paths.segDir(this.pc)}/${name}`)
      if (p?.kind !== 'segment' || p.seq > everyone) continue
      await this.o.transport.remove(paths.segment(this.pc, p.seq))
      removed++
    }
    if (everyone > 0 && published.some((s) => s.seq <= everyone)) await this.o.store.dropOwnSegments(everyone)
    return removed
  }

  // ---------------------------------------------------------------- status for the UI

  /** The status panel's content. */
  async status(): Promise<SyncStatus> {
    const s = this.o.store
    const vault = await s.getMeta<VaultFile>('vault')
    const peers = await s.peers()
    const cursors = await s.cursors()
    const issues = await s.fileIssues()
    const gaps = (await s.getMeta<Record<string, number>>('gaps')) ?? {}
    const own = await s.ownSegments()
    const problems: SyncProblem[] = [...this.roundProblems]
    for (const i of issues) {
      // A bad file at a number this PC has since applied (a replay the real file replaced, or our
      // own next number, which we then published ourselves) is no longer a problem (issue 7).
      if (i.seq <= (cursors[i.pc]?.seq ?? 0)) { await s.clearFileIssue(i.pc, i.seq); continue }
      if (i.kind === 'tooNew') problems.push(problem('updateRequired', i.pc, problemText.updateRequired(i.pc)))
      else if (i.kind === 'cannotDecrypt') problems.push(problem('cannotDecrypt', i.pc, problemText.cannotDecrypt()))
      else if (i.quarantined) problems.push(problem('quarantined', i.pc, problemText.quarantined(i.pc, i.seq)))
    }
    for (const p of peers) {
      if (!p.trusted) problems.push(problem('pendingApproval', p.pc, problemText.pendingApproval(p.pc, p.fingerprint)))
      if (p.clock) problems.push(problem('clockSkew', p.pc, problemText.clockSkew(p.pc, Math.round(Math.abs(p.clock.driftMs) / 60_000))))
    }
    for (const f of (await s.getMeta<ForkRecord[]>('forks')) ?? []) problems.push(problem('fork', f.pc, problemText.fork(f.pc, f.seq)))
    const renewed = await s.getMeta<{ from: string; to: string }>('renewed')
    if (renewed && !(peers.find((p) => p.pc === this.pc)?.approvedBy ?? '').startsWith('self')) { /* approved: the notice has done its work */ } else if (renewed) problems.push(problem('identityRenewed', undefined, problemText.identityRenewed(renewed.from, renewed.to)))
    for (const [pc, since] of Object.entries(gaps)) {
      if (this.now - since >= (this.o.gapTimeoutMs ?? 30 * 60_000)) problems.push(problem('missingData', pc, problemText.missingData(pc)))
    }
    const pendingBlobs = (await s.pendingBlobs()).length
    if (pendingBlobs > 0) problems.push(problem('attachmentPending', undefined, problemText.attachmentPending(pendingBlobs)))
    const waiting = (await s.pendingOutbox(1e9)).length + own.filter((x) => !x.published).reduce((a, x) => a + x.count, 0)
    const records = await s.allRecords()
    const conflicts = records.reduce((a, r) => a + materialize(r).conflicts.length, 0)
    const lastSync = await s.getMeta<number>('lastSync')
    const dedup = new Map(problems.map((p) => [`${p.code}:${p.pc ?? ''}:${p.message}`, p]))
    const out: SyncStatus = {
      paused: this.roundProblems.some((p) => p.code === 'folderUnavailable' || p.code === 'foreignVault' || p.code === 'cannotDecrypt'),
      waiting, conflicts, pendingAttachments: pendingBlobs,
      pcs: peers.map((p) => ({ pc: p.pc, name: p.name, trusted: p.trusted, fingerprint: p.fingerprint, imported: cursors[p.pc]?.seq ?? 0, self: p.pc === this.pc, ...(p.lastSeen !== undefined ? { lastSeen: p.lastSeen } : {}) })),
      problems: [...dedup.values()],
    }
    if (vault) out.vault = vault.id
    if (lastSync !== undefined) out.lastSync = lastSync
    return out
  }

  /** Open conflicts for the conflicts inbox (resolve by writing the chosen value as a normal edit). */
  async conflicts(): Promise<Conflict[]> {
    return (await this.o.store.allRecords()).flatMap((r) => materialize(r).conflicts)
  }

  /** Digest of this PC's merge state. */
  async digest(): Promise<string> {
    return this.o.store.digest()
  }

}
