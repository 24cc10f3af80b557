/**
 * The sync engine's storage port. The app's Dexie adapter implements it on IndexedDB (each
 * `commit` is ONE Dexie transaction over the outbox, the merge state, the visible tables and the
 * cursors); `MemorySyncStore` implements it for tests and the simulator.
 */
import type { OutboxRow } from '../model'
import { materialize, stateDigest, type Conflict, type RecordState } from './merge'
import type { SegmentErrorKind } from './segment'

/** How far one PC's segments have been applied: last seq and the SHA-256 of that file. */
export interface Cursor { seq: number; hash: string }

/** One of our own segments, kept so the same bytes can be published again (faults 3, 4, 23). */
export interface OwnSegment {
  seq: number
  /** The exact file bytes (already encrypted when the vault is). */
  bytes: Uint8Array
  count: number
  /** Attachment blobs its changes refer to; published before the segment (sync.md "Attachments"). */
  blobs: string[]
  published: boolean
}

/** Another PC as this PC knows it. */
export interface PeerInfo {
  pc: string
  name: string
  /** Base64 raw Ed25519 public key. */
  publicKey: string
  fingerprint: string
  trusted: boolean
  approvedBy?: string
  /** Wall ms when we last applied a segment of it, or read its status file. */
  lastSeen?: number
  /** Set when a received HLC was far off our clock (faults 14, 15). */
  clock?: { verdict: 'skewed' | 'ahead'; driftMs: number; at: number }
}

/** A segment file that failed verification; retried every round, quarantined after the grace period. */
export interface FileIssue {
  pc: string
  seq: number
  rel: string
  kind: SegmentErrorKind | 'unreadable'
  firstAt: number
  attempts: number
  quarantined: boolean
  /** For `tooNew`: the file kept unapplied until the app is updated (fault 30). */
  bytes?: Uint8Array
}

/** Everything one atomic commit may contain. */
export interface CommitBatch {
  /** New full merge states of touched records; the adapter also rewrites their visible rows. */
  records?: RecordState[]
  /** Advance these PCs' cursors (a remote segment applied, or our own segment prepared). */
  cursors?: Record<string, Cursor>
  /** Outbox rows now carried by one of our segments, and that segment's bytes. */
  claim?: { outboxSeqs: number[]; segment: OwnSegment }
  /** Persisted HLC so a restart never issues a smaller timestamp. */
  hlc?: string
  /**
   * Refuse the commit (throw `StaleOutboxError`) when the outbox holds unclaimed rows other than
   * `claim.outboxSeqs`: a business write slipped in after we read the records, and rewriting the
   * visible rows now could hide it. The engine retries in the next round.
   */
  guardOutbox?: boolean
}

/** A business write arrived during a sync step; nothing was committed. */
export class StaleOutboxError extends Error {
  constructor() {
    super('outbox changed during sync step')
    this.name = 'StaleOutboxError'
  }
}

/** The engine's storage port. */
export interface SyncStore {
  /** Outbox rows not yet carried by a segment, in seq order. */
  pendingOutbox(limit: number): Promise<OutboxRow[]>
  /** Adds a change the engine itself makes (an approval) as an outbox row. */
  appendOutbox(row: Omit<OutboxRow, 'seq' | 'exported'>): Promise<void>
  getRecords(keys: Array<{ table: string; key: string }>): Promise<Array<RecordState | undefined>>
  allRecords(): Promise<RecordState[]>
  /** Applies everything in the batch atomically, or nothing. */
  commit(batch: CommitBatch): Promise<void>
  ownSegments(): Promise<OwnSegment[]>
  /** The segment is on the share and verified: mark it and its outbox rows exported. */
  markPublished(seq: number): Promise<void>
  /** Drops our stored copies of segments up to `seq` once a snapshot covers them. */
  dropOwnSegments(throughSeq: number): Promise<void>
  /**
   * Forgets every stored own segment, published or not (this PC took a new identity: the old
   * identity's files belong to it, and what was unpublished travels again under the new one). The
   * outbox rows they carried count as sent.
   */
  forgetOwnSegments(): Promise<void>
  cursors(): Promise<Record<string, Cursor>>
  peers(): Promise<PeerInfo[]>
  putPeer(peer: PeerInfo): Promise<void>
  fileIssues(): Promise<FileIssue[]>
  putFileIssue(issue: FileIssue): Promise<void>
  clearFileIssue(pc: string, seq: number): Promise<void>
  getMeta<T>(key: string): Promise<T | undefined>
  setMeta(key: string, value: unknown): Promise<void>
  hasBlob(hash: string): Promise<boolean>
  getBlob(hash: string): Promise<Uint8Array | undefined>
  putBlob(hash: string, bytes: Uint8Array): Promise<void>
  /** Hashes referred to by attachment records whose bytes have not arrived (fault 28). */
  pendingBlobs(): Promise<string[]>
  setPendingBlobs(hashes: string[]): Promise<void>
  /** Digest of the whole merge state (equal on converged PCs). */
  digest(): Promise<string>
}

interface OutboxEntry { row: OutboxRow; claimedBy?: number }

/** In-memory `SyncStore`, with crash switches for faults 22 and 23. */
export class MemorySyncStore implements SyncStore {
  private outbox: OutboxEntry[] = []
  private nextOutbox = 1
  private records = new Map<string, RecordState>()
  private own = new Map<number, OwnSegment>()
  private curs: Record<string, Cursor> = {}
  private peerMap = new Map<string, PeerInfo>()
  private issues = new Map<string, FileIssue>()
  private meta = new Map<string, unknown>()
  private blobs = new Map<string, Uint8Array>()
  private pending: string[] = []
  /** Fault 22: throw (and commit nothing) on the Nth next commit. */
  crashOnCommit = 0
  /** Fault 23: throw before marking a segment published. */
  crashOnMarkPublished = false

  /** A business write: the app's record write and its outbox row, in one step (model.ts OutboxRow). */
  localWrite(table: string, key: string, op: 'put' | 'delete', fields: Record<string, unknown>, at = new Date(0).toISOString()): void {
    this.outbox.push({ row: { seq: this.nextOutbox++, table, key, op, fields: clone(fields), at, exported: 0 } })
  }

  /** Stores an attachment's bytes locally (as the scan import does before writing the record). */
  putLocalBlob(hash: string, bytes: Uint8Array): void {
    this.blobs.set(hash, bytes.slice())
  }

  /** The merged state of one record. */
  record(table: string, key: string): RecordState | undefined {
    return this.records.get(rk(table, key))
  }

  /** The visible row and conflicts of one record (what the app shows). */
  view(table: string, key: string) {
    const r = this.records.get(rk(table, key))
    return r ? materialize(r) : undefined
  }

  /** All open conflicts (the conflicts inbox). */
  conflicts(): Conflict[] {
    return [...this.records.values()].flatMap((r) => materialize(r).conflicts)
  }

  /** Outbox rows of any state, for assertions. */
  outboxRows(): OutboxRow[] {
    return this.outbox.map((e) => clone(e.row))
  }

  /** Fault 24: IndexedDB wiped; only the identity (keys, kept by the app elsewhere) survives. */
  wipe(): void {
    this.outbox = []
    this.records.clear()
    this.own.clear()
    this.curs = {}
    this.peerMap.clear()
    this.issues.clear()
    this.meta.clear()
    this.blobs.clear()
    this.pending = []
  }

  async pendingOutbox(limit: number): Promise<OutboxRow[]> {
    return this.outbox.filter((e) => e.row.exported === 0 && e.claimedBy === undefined).slice(0, limit).map((e) => clone(e.row))
  }

  async appendOutbox(row: Omit<OutboxRow, 'seq' | 'exported'>): Promise<void> {
    this.localWrite(row.table, row.key, row.op, row.fields, row.at)
  }

  async getRecords(keys: Array<{ table: string; key: string }>): Promise<Array<RecordState | undefined>> {
    return keys.map((k) => {
      const r = this.records.get(rk(k.table, k.key))
      return r ? clone(r) : undefined
    })
  }

  async allRecords(): Promise<RecordState[]> {
    return [...this.records.values()].map(clone)
  }

  async commit(batch: CommitBatch): Promise<void> {
    if (this.crashOnCommit > 0 && --this.crashOnCommit === 0) throw new Error('simulated power loss during commit')
    if (batch.guardOutbox) {
      const claimed = new Set(batch.claim?.outboxSeqs ?? [])
      if (this.outbox.some((e) => e.row.exported === 0 && e.claimedBy === undefined && !claimed.has(e.row.seq as number))) throw new StaleOutboxError()
    }
    for (const r of batch.records ?? []) this.records.set(rk(r.table, r.key), clone(r))
    for (const [pc, c] of Object.entries(batch.cursors ?? {})) this.curs[pc] = { ...c }
    if (batch.claim) {
      const seg = batch.claim.segment
      this.own.set(seg.seq, { ...seg, bytes: seg.bytes.slice(), blobs: [...seg.blobs] })
      const set = new Set(batch.claim.outboxSeqs)
      for (const e of this.outbox) if (set.has(e.row.seq as number)) e.claimedBy = seg.seq
    }
    if (batch.hlc !== undefined) this.meta.set('hlc', batch.hlc)
  }

  async forgetOwnSegments(): Promise<void> {
    const seqs = new Set(this.own.keys())
    for (const e of this.outbox) if (e.claimedBy !== undefined && seqs.has(e.claimedBy)) e.row.exported = 1
    this.own.clear()
  }

  /** A copy of this store (a cloned disk, a copied profile, a backup restored later: the simulator's forks). */
  clone(): MemorySyncStore {
    const c = new MemorySyncStore()
    const self = this as unknown as Record<string, unknown>
    const other = c as unknown as Record<string, unknown>
    for (const k of ['outbox', 'nextOutbox', 'records', 'own', 'curs', 'peerMap', 'issues', 'meta', 'blobs', 'pending']) other[k] = structuredClone(self[k])
    return c
  }

  async ownSegments(): Promise<OwnSegment[]> {
    return [...this.own.values()].sort((a, b) => a.seq - b.seq).map((s) => ({ ...s, bytes: s.bytes.slice() }))
  }

  async markPublished(seq: number): Promise<void> {
    if (this.crashOnMarkPublished) throw new Error('simulated crash before marking exported')
    const s = this.own.get(seq)
    if (s) s.published = true
    for (const e of this.outbox) if (e.claimedBy === seq) e.row.exported = 1
  }

  async dropOwnSegments(throughSeq: number): Promise<void> {
    for (const seq of [...this.own.keys()]) if (seq <= throughSeq && this.own.get(seq)?.published) this.own.delete(seq)
  }

  async cursors(): Promise<Record<string, Cursor>> {
    return clone(this.curs)
  }

  async peers(): Promise<PeerInfo[]> {
    return [...this.peerMap.values()].map(clone)
  }

  async putPeer(peer: PeerInfo): Promise<void> {
    this.peerMap.set(peer.pc, clone(peer))
  }

  async fileIssues(): Promise<FileIssue[]> {
    return [...this.issues.values()].map((i) => ({ ...i }))
  }

  async putFileIssue(issue: FileIssue): Promise<void> {
    this.issues.set(`${issue.pc}#${issue.seq}`, { ...issue })
  }

  async clearFileIssue(pc: string, seq: number): Promise<void> {
    this.issues.delete(`${pc}#${seq}`)
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    const v = this.meta.get(key)
    return v === undefined ? undefined : (clone(v) as T)
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    this.meta.set(key, clone(value))
  }

  async hasBlob(hash: string): Promise<boolean> {
    return this.blobs.has(hash)
  }

  async getBlob(hash: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(hash)?.slice()
  }

  async putBlob(hash: string, bytes: Uint8Array): Promise<void> {
    this.blobs.set(hash, bytes.slice())
  }

  async pendingBlobs(): Promise<string[]> {
    return [...this.pending]
  }

  async setPendingBlobs(hashes: string[]): Promise<void> {
    this.pending = [...new Set(hashes)].sort()
  }

  /** Number of distinct blobs held (fault 29). */
  blobCount(): number {
    return this.blobs.size
  }

  async digest(): Promise<string> {
    return stateDigest(this.records.values())
  }
}

const rk = (table: string, key: string) => `${table}\u0000${key}`

function clone<T>(v: T): T {
  return structuredClone(v)
}
