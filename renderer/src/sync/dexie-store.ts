/**
 * The sync engine's storage port (`SyncStore`, renderer/core/sync/store.ts) on the app's Dexie
 * database. The merge state of every record lives in `syncState`; what the app reads lives in the
 * business tables (docs, lines, attachments, audit, …). A commit of a remote segment rewrites the
 * touched business rows from the merge state (`materialize`), keeps search words, refs and the
 * per-form counts right, and advances that PC's cursor, all in ONE Dexie transaction: a crash
 * leaves either all of it or none of it, so a re-import changes nothing (sync.md fault 22).
 */
import type { Table } from 'dexie'
import type { OutboxRow } from '@core/model'
import { canonicalJson, sha256Hex } from '@core/identity'
import { materialize, toRow, type Conflict, type Materialized, type RecordState } from '@core/sync/merge'
import {
  StaleOutboxError, type CommitBatch, type Cursor, type FileIssue, type OwnSegment, type PeerInfo, type SyncStore,
} from '@core/sync/store'
import type { FormDef } from '@forms/schema/types'
import { formById } from '@forms/registry'
import { refsOf, type DeskDb, type StoredDoc, type SyncSegmentRow, type SyncStateRow } from '../data/db'
import { searchWordsFor, titleOfDoc, titleRefId } from '../data/documents'

/**
 * Business tables a remote change may write, and their primary key. Everything else (counters,
 * meta, outbox, manual matches, blobs, the sync tables, `$trust`, tables of a newer app) keeps its
 * merge state only: a change from another PC never touches this PC's bookkeeping.
 */
export const VISIBLE_TABLES: Record<string, 'id' | 'key'> = {
  docs: 'id', lines: 'id', attachments: 'id', audit: 'id', versions: 'id', printLog: 'id', users: 'id', proxies: 'id', settings: 'key',
}
/** Settings rows that are office-wide (the PC code and UI language are this PC's own). */
const SHARED_SETTINGS = new Set(['company'])
/** Tables that know a tombstone (`deleted: true`); the others are immutable or never deleted. */
const TOMBSTONED = new Set(['docs', 'lines', 'attachments', 'proxies'])

/**
 * Bookkeeping fields that every edit writes: two PCs editing different fields of one document
 * both write them, and that must merge silently (fault 17). Their shown value is still the same
 * everywhere (highest HLC); they are just never put in front of a clerk as a conflict.
 */
export const QUIET_FIELDS = new Set(['updatedAt', 'updatedBy'])

/** The conflicts a clerk must see for a record's materialized state. */
export function shownConflicts(m: Materialized): Conflict[] {
  return m.conflicts.filter((c) => !QUIET_FIELDS.has(c.field))
}

const ZERO = '0'.repeat(64)
const rid = (table: string, key: string) => `${table}\u0000${key}`
const countKey = (form: string) => `count:${form}`
const deletedKey = (form: string) => `deleted:${form}`

/** XOR of two 64-digit hex strings (the digest of a set of records is the XOR of their hashes). */
function xorHex(a: string, b: string): string {
  if (!b) return a
  let out = ''
  for (let i = 0; i < 64; i += 8) out += ((parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0).toString(16).padStart(8, '0')
  return out
}

const plain = (r: RecordState): RecordState => ({ table: r.table, key: r.key, fields: r.fields })
const parse = (row: SyncStateRow): RecordState => JSON.parse(row.s) as RecordState

/** What one commit changed, for the progress line of the status panel. */
export interface CommitInfo { records: number; remote: boolean }

export interface DexieSyncStoreOptions {
  forms?: (id: string) => FormDef
  /** Called after each successful commit (progress during long imports). */
  onCommit?: (info: CommitInfo) => void
}

/** `SyncStore` on the app's DeskDb (schema v3 tables). */
export class DexieSyncStore implements SyncStore {
  private readonly forms: (id: string) => FormDef
  onCommit: ((info: CommitInfo) => void) | undefined

  constructor(readonly db: DeskDb, opts: DexieSyncStoreOptions = {}) {
    this.forms = opts.forms ?? formById
    this.onCommit = opts.onCommit
  }

  // ------------------------------------------------------------------ outbox

  /**
   * Outbox rows are claimed in seq order (the engine claims every row it was given), so the
   * claimed rows are always a prefix: `claimedThrough` marks its end and pending rows are read
   * from there by primary key, never by scanning rows already in a segment.
   */
  private async claimedThrough(): Promise<number> {
    return ((await this.db.syncMeta.get('claimedThrough'))?.value as number | undefined) ?? 0
  }

  async pendingOutbox(limit: number): Promise<OutboxRow[]> {
    const db = this.db
    for (;;) {
      const from = await this.claimedThrough()
      const rows = await db.outbox.where(':id').above(from).filter((r) => r.exported === 0).limit(limit).toArray()
      // `blobs` rows only say "copy these bytes": the engine publishes a blob from the attachment
      // record that names its hash (sync.md "Attachments"), so they are done here.
      const blobRows = rows.filter((r) => r.table === 'blobs')
      if (blobRows.length === 0) return rows
      await db.transaction('rw', db.outbox, async () => {
        for (const r of blobRows) await db.outbox.update(r.seq as number, { exported: 1 })
      })
      if (blobRows.length < rows.length) return rows.filter((r) => r.table !== 'blobs')
    }
  }

  /** Local changes not yet in a segment (a conflict resolved here but not yet stamped, for one). */
  async unclaimedOutbox(): Promise<OutboxRow[]> {
    return this.db.outbox.where(':id').above(await this.claimedThrough()).filter((r) => r.exported === 0).toArray()
  }

  async appendOutbox(row: Omit<OutboxRow, 'seq' | 'exported'>): Promise<void> {
    await this.db.outbox.add({ ...row, exported: 0 })
  }

  // ------------------------------------------------------------------ merge state

  async getRecords(keys: Array<{ table: string; key: string }>): Promise<Array<RecordState | undefined>> {
    const rows = await this.db.syncState.bulkGet(keys.map((k) => rid(k.table, k.key)))
    return rows.map((r) => (r ? parse(r) : undefined))
  }

  async allRecords(): Promise<RecordState[]> {
    return (await this.db.syncState.toArray()).filter((r) => r.h !== '').map(parse)
  }

  /** Only the records with an open conflict (what the status count and the conflicts inbox need). */
  async conflictedRecords(): Promise<RecordState[]> {
    const ids = [...new Set((await this.db.syncConflicts.toArray()).map((c) => c.rid))]
    return (await this.db.syncState.bulkGet(ids)).flatMap((r) => (r ? [parse(r)] : []))
  }

  /** Open conflicts as stored beside the merge state (no scan of every record). */
  async openConflicts(): Promise<Conflict[]> {
    return (await this.db.syncConflicts.toArray()).map((c) => c.conflict as Conflict)
  }

  async commit(batch: CommitBatch): Promise<void> {
    const db = this.db
    const records = batch.records ?? []
    // Hashes first: an await on WebCrypto inside a Dexie transaction would commit it early.
    const prepared = await Promise.all(records.map(async (r) => {
      const state = plain(r)
      const m = materialize(state)
      const s = canonicalJson(state)
      const h = Object.keys(state.fields).length === 0 ? '' : await sha256Hex(new TextEncoder().encode(s))
      return { state, m, s, h, id: rid(r.table, r.key), conflicts: shownConflicts(m) }
    }))
    // Our own segment carries changes whose business rows were written by the business write
    // itself; only a remote change (or a snapshot) rewrites what the app reads.
    const remote = !batch.claim
    const tables: Table[] = [db.syncState, db.syncConflicts, db.syncSegments, db.syncCursors, db.syncMeta, db.outbox]
    if (remote) tables.push(db.docs, db.lines, db.attachments, db.audit, db.versions, db.printLog, db.users, db.proxies, db.settings, db.meta)
    await db.transaction('rw', tables, async () => {
      const through = ((await db.syncMeta.get('claimedThrough'))?.value as number | undefined) ?? 0
      if (batch.guardOutbox) {
        const claimed = new Set(batch.claim?.outboxSeqs ?? [])
        const stale = await db.outbox.where(':id').above(through)
          .filter((r) => r.exported === 0 && !claimed.has(r.seq as number) && r.table !== 'blobs').first()
        if (stale) throw new StaleOutboxError()
      }
      if (prepared.length > 0) {
        const old = await db.syncState.bulkGet(prepared.map((p) => p.id))
        let acc = ((await db.syncMeta.get('digestAcc'))?.value as string | undefined) ?? ZERO
        const rows: SyncStateRow[] = []
        const visible: Array<{ p: (typeof prepared)[number]; wasAlive: boolean }> = []
        for (let i = 0; i < prepared.length; i++) {
          const p = prepared[i]!
          const before = old[i]
          acc = xorHex(xorHex(acc, before?.h ?? ''), p.h)
          const alive = shownAlive(p.state, p.m)
          rows.push({ id: p.id, s: p.s, h: p.h, alive, c: p.conflicts.length })
          if ((before?.c ?? 0) > 0) await db.syncConflicts.where('rid').equals(p.id).delete()
          if (p.conflicts.length > 0) {
            await db.syncConflicts.bulkPut(p.conflicts.map((c) => ({ id: `${p.id}\u0000${c.field}`, rid: p.id, conflict: c })))
          }
          if (remote) visible.push({ p, wasAlive: before?.alive ?? false })
        }
        await db.syncState.bulkPut(rows)
        await db.syncMeta.put({ key: 'digestAcc', value: acc })
        if (visible.length > 0) await this.writeVisible(visible)
      }
      if (batch.cursors) {
        const cs = Object.entries(batch.cursors).map(([pc, c]) => ({ pc, seq: c.seq, hash: c.hash }))
        if (cs.length) await db.syncCursors.bulkPut(cs)
      }
      if (batch.claim) {
        const seg = batch.claim.segment
        const seqs = batch.claim.outboxSeqs
        const row: SyncSegmentRow = { ...seg, blobs: [...seg.blobs] }
        if (seqs.length > 0) {
          row.outboxFrom = Math.min(...seqs)
          row.outboxTo = Math.max(...seqs)
          if (row.outboxTo > through) await db.syncMeta.put({ key: 'claimedThrough', value: row.outboxTo })
        }
        await db.syncSegments.put(row)
      }
      if (batch.hlc !== undefined) await db.syncMeta.put({ key: 'hlc', value: batch.hlc })
    })
    this.onCommit?.({ records: records.length, remote })
  }

  /**
   * Materializes merge states into the business tables, inside the commit's transaction. Only
   * Dexie operations are awaited here (a native promise awaited inside a Dexie transaction lets
   * Chromium commit it early): search words are computed synchronously from titles fetched in one
   * bulkGet, with documents of this same batch taking precedence (a quotation arriving with its
   * customer finds the customer's name).
   */
  private async writeVisible(items: Array<{ p: { state: RecordState; m: Materialized }; wasAlive: boolean }>): Promise<void> {
    const db = this.db
    const byTable = new Map<string, Array<Record<string, unknown>>>()
    const docs: Array<{ row: StoredDoc; wasAlive: boolean; alive: boolean; def?: FormDef }> = []
    for (const { p, wasAlive } of items) {
      const { table, key } = p.state
      const pk = VISIBLE_TABLES[table]
      if (!pk) continue
      if (table === 'settings' && !SHARED_SETTINGS.has(key)) continue
      // A record known only from an empty put (a reference, fault 20) has nothing to show yet.
      if (Object.keys(p.m.values).length === 0) continue
      const row = toRow(p.m.values)
      if (table === 'docs' && typeof row.form !== 'string') continue
      row[pk] = key
      if (TOMBSTONED.has(table)) {
        if (p.m.alive) delete row.deleted
        else row.deleted = true
      }
      if (table === 'settings') {
        if (p.m.alive) byTable.set(table, [...(byTable.get(table) ?? []), { key, value: (row.value as object | undefined) ?? {} }])
        continue
      }
      if (table === 'docs') {
        let def: FormDef | undefined
        try { def = this.forms(row.form as string) } catch { def = undefined }
        row.values ??= {}
        const doc: StoredDoc = { ...(row as unknown as StoredDoc), searchWords: [], refs: refsOf(row.form as string, row.values as StoredDoc['values']) }
        docs.push(def ? { row: doc, wasAlive, alive: p.m.alive, def } : { row: doc, wasAlive, alive: p.m.alive })
        continue
      }
      const list = byTable.get(table) ?? []
      list.push(row)
      byTable.set(table, list)
    }
    for (const [table, rows] of byTable) await db.table(table).bulkPut(rows)
    if (docs.length === 0) return

    const inBatch = new Map(docs.map((d) => [d.row.id, d.row]))
    const wanted = new Set<string>()
    for (const d of docs) {
      const ref = d.def ? titleRefId(d.def, d.row.values) : undefined
      if (ref !== undefined && !inBatch.has(ref)) wanted.add(ref)
    }
    // Tombstones of documents never shown here still mark the form as having deletions.
    const unseenDead = docs.filter((d) => !d.alive && !d.wasAlive).map((d) => d.row.id)
    const wantedIds = [...wanted]
    const fetched = await db.docs.bulkGet([...wantedIds, ...unseenDead])
    const titles = new Map<string, { form: string; values: StoredDoc['values'] }>()
    wantedIds.forEach((id, i) => { const f = fetched[i]; if (f) titles.set(id, f) })
    const existedDead = new Set(unseenDead.filter((_, i) => fetched[wantedIds.length + i] !== undefined))

    const counts = new Map<string, number>()
    const deletions = new Map<string, number>()
    const bump = (m: Map<string, number>, form: string, by: number) => m.set(form, (m.get(form) ?? 0) + by)
    for (const d of docs) {
      if (d.alive && d.def) {
        const ref = titleRefId(d.def, d.row.values)
        const source = ref === undefined ? d.row : inBatch.get(ref) ?? titles.get(ref)
        d.row.searchWords = searchWordsFor(d.def, String(d.row.number ?? ''), d.row.values, source ? titleOfDoc(this.forms, source) : undefined)
      }
      const form = d.row.form
      if (d.alive && !d.wasAlive) bump(counts, form, 1)
      if (!d.alive && d.wasAlive) { bump(counts, form, -1); bump(deletions, form, 1) }
      if (!d.alive && !d.wasAlive && !existedDead.has(d.row.id)) bump(deletions, form, 1)
    }
    await db.docs.bulkPut(docs.map((d) => d.row))
    const metaKeys: Array<[string, number]> = []
    for (const [form, by] of counts) if (by !== 0) metaKeys.push([countKey(form), by])
    for (const [form, by] of deletions) if (by !== 0) metaKeys.push([deletedKey(form), by])
    if (metaKeys.length === 0) return
    const current = await db.meta.bulkGet(metaKeys.map(([k]) => k))
    await db.meta.bulkPut(metaKeys.map(([key, by], i) => ({ key, value: Math.max(0, ((current[i]?.value as number | undefined) ?? 0) + by) })))
  }

  // ------------------------------------------------------------------ own segments

  async ownSegments(): Promise<OwnSegment[]> {
    return this.db.syncSegments.toArray()
  }

  /** Our segments not yet verified on the share (the status panel's "waiting" needs only these). */
  async unpublishedSegments(): Promise<OwnSegment[]> {
    return this.db.syncSegments.filter((s) => !s.published).toArray()
  }

  async markPublished(seq: number): Promise<void> {
    const db = this.db
    await db.transaction('rw', db.syncSegments, db.outbox, async () => {
      const seg = await db.syncSegments.get(seq)
      if (seg && !seg.published) await db.syncSegments.put({ ...seg, published: true })
      if (seg?.outboxFrom !== undefined && seg.outboxTo !== undefined) {
        await db.outbox.where(':id').between(seg.outboxFrom, seg.outboxTo, true, true).filter((r) => r.exported === 0).modify({ exported: 1 })
      }
    })
  }

  async dropOwnSegments(throughSeq: number): Promise<void> {
    await this.db.syncSegments.where('seq').belowOrEqual(throughSeq).filter((s) => s.published).delete()
  }

  // ------------------------------------------------------------------ cursors, peers, issues, meta

  async cursors(): Promise<Record<string, Cursor>> {
    const out: Record<string, Cursor> = {}
    for (const c of await this.db.syncCursors.toArray()) out[c.pc] = { seq: c.seq, hash: c.hash }
    return out
  }

  async peers(): Promise<PeerInfo[]> {
    return this.db.syncPeers.toArray()
  }

  async putPeer(peer: PeerInfo): Promise<void> {
    await this.db.syncPeers.put(peer)
  }

  async fileIssues(): Promise<FileIssue[]> {
    return this.db.syncIssues.toArray()
  }

  async putFileIssue(issue: FileIssue): Promise<void> {
    await this.db.syncIssues.put(issue)
  }

  async clearFileIssue(pc: string, seq: number): Promise<void> {
    await this.db.syncIssues.delete([pc, seq])
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.syncMeta.get(key))?.value as T | undefined
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.syncMeta.put({ key, value })
  }

  // ------------------------------------------------------------------ blobs (faults 28, 29)

  async hasBlob(hash: string): Promise<boolean> {
    return (await this.db.blobs.where(':id').equals(hash).primaryKeys()).length > 0
  }

  async getBlob(hash: string): Promise<Uint8Array | undefined> {
    return (await this.db.blobs.get(hash))?.bytes
  }

  /** Stored once under its hash (the engine verified the bytes against it); never replaced. */
  async putBlob(hash: string, bytes: Uint8Array): Promise<void> {
    const db = this.db
    await db.transaction('rw', db.blobs, async () => {
      if (!(await db.blobs.get(hash))) await db.blobs.add({ hash, bytes, size: bytes.byteLength })
    })
  }

  async pendingBlobs(): Promise<string[]> {
    return ((await this.db.syncMeta.get('pendingBlobs'))?.value as string[] | undefined) ?? []
  }

  async setPendingBlobs(hashes: string[]): Promise<void> {
    await this.db.syncMeta.put({ key: 'pendingBlobs', value: [...new Set(hashes)].sort() })
  }

  /** XOR of the SHA-256 of every record's merge state, kept up to date by each commit. */
  async digest(): Promise<string> {
    return ((await this.db.syncMeta.get('digestAcc'))?.value as string | undefined) ?? ZERO
  }
}

/** Whether the record shows as a live row (a document needs its form; an empty put shows nothing). */
function shownAlive(state: RecordState, m: Materialized): boolean {
  if (!m.alive || Object.keys(m.values).length === 0) return false
  return state.table !== 'docs' || typeof m.values.form === 'string'
}
