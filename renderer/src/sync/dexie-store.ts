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
import { materialize, toRow, type Conflict, type FieldWrite, type Materialized, type RecordState } from '@core/sync/merge'
import {
  StaleOutboxError, type CommitBatch, type Cursor, type FileIssue, type OwnSegment, type PeerInfo, type SyncStore,
} from '@core/sync/store'
import type { FormDef } from '@forms/schema/types'
import { formById } from '@forms/registry'
import {
  cellValueAt, markSyncTransaction, refsOf, SYNC_CELL, SYNC_CELL_TABLES, type DeskDb, type StoredDoc, type SyncCell, type SyncSegmentRow, type SyncStateRow,
} from '../data/db'
import { searchWordsFor, titleOfDoc, titleRefId } from '../data/documents'

/**
 * Business tables a remote change may write, and their primary key. Everything else (counters,
 * meta, outbox, manual matches, blobs, the sync tables, `$trust`, tables of a newer app) keeps its
 * merge state only: a change from another PC never touches this PC's bookkeeping.
 */
export const VISIBLE_TABLES: Record<string, 'id' | 'key'> = SYNC_CELL_TABLES
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
/** Ids remembered by a fresh store (about 100 bytes each) before it falls back to reading. */
const FRESH_LIMIT = 300_000
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

/** What a record had before a commit: its hash, liveness and conflicts, and where its state lives. */
interface OldInfo { h: string; alive: boolean; c: number; inState: boolean; rowExists: boolean }
const NONE: OldInfo = { h: '', alive: false, c: 0, inState: false, rowExists: false }

/** One record of a commit, prepared before the transaction. */
interface Prepared {
  state: RecordState
  m: Materialized
  fast: ReturnType<typeof plainState>
  /** Canonical JSON (hashed). */
  s: string
  /** What is stored (`packState`). */
  packed: string
  h: string
  id: string
  conflicts: Conflict[]
  alive: boolean
  /** The business row a remote change shows (absent: the state goes to `syncState`). */
  row?: Record<string, unknown>
  /** The form of a document row (per-form counts). */
  form?: string
}

/** Field names V8 would reorder in an object (integer-like) cannot take the one-call path. */
const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/

/**
 * The state's fields as an object whose plain `JSON.stringify` IS the canonical JSON (sorted
 * names, `{h, p?, v}` writes, primitive values), or undefined when a value is an object or a
 * write has other keys: one native call instead of one per value.
 */
function plainState(r: RecordState): Record<string, Array<{ h: string; p?: string[]; v: unknown }>> | undefined {
  const names = Object.keys(r.fields).sort()
  const out: Record<string, Array<{ h: string; p?: string[]; v: unknown }>> = {}
  for (const name of names) {
    const ws = r.fields[name]
    if (ws === undefined) continue
    if (INTEGER_LIKE.test(name)) return undefined
    const list: Array<{ h: string; p?: string[]; v: unknown }> = []
    for (const w of ws) {
      for (const k in w) if (k !== 'h' && k !== 'p' && k !== 'v') return undefined
      if (typeof w.h !== 'string' || (w.v !== null && typeof w.v === 'object') || w.v === undefined || typeof w.v === 'function') return undefined
      if (w.p === undefined) list.push({ h: w.h, v: w.v })
      else if (Array.isArray(w.p) && w.p.every((x) => typeof x === 'string')) list.push({ h: w.h, p: w.p, v: w.v })
      else return undefined
    }
    out[name] = list
  }
  return out
}

/**
 * `canonicalJson(state)` of a merge state, written directly: a state is always
 * `{fields: {name: [{h, p?, v}]}, key, table}`, so only values need the general encoder. Writes
 * with other keys (from a newer app) fall back to it. Same bytes, so the same hashes and digest.
 */
export function stateJson(r: RecordState, fast = plainState(r)): string {
  if (fast) return JSON.stringify({ fields: fast, key: r.key, table: r.table })
  const names = Object.keys(r.fields).filter((k) => r.fields[k] !== undefined).sort()
  let out = '{"fields":{'
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    const ws = r.fields[name]!
    out += (i ? ',' : '') + JSON.stringify(name) + ':['
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!
      if (j) out += ','
      let n = 0
      for (const k in w) { if (k !== 'h' && k !== 'p' && k !== 'v') { n = -1; break } n++ }
      if (n < 0 || typeof w.h !== 'string') { out += canonicalJson(w); continue }
      out += '{"h":' + JSON.stringify(w.h)
      if (w.p !== undefined) out += ',"p":' + canonicalJson(w.p)
      if (w.v !== undefined) out += ',"v":' + (w.v === null || typeof w.v !== 'object' ? JSON.stringify(w.v) : canonicalJson(w.v))
      out += '}'
    }
    out += ']'
  }
  return out + '},"key":' + JSON.stringify(r.key) + ',"table":' + JSON.stringify(r.table) + '}'
}

/**
 * The stored form of a merge state (`SyncCell.s`, `SyncStateRow.s`): about half the bytes of its
 * canonical JSON, because the HLC of a write, repeated in every field a put wrote, is stored once:
 * `[table, key, [hlc…], [[field, [[hlcIndex, value, [seen…]?]…]]…]]`, a `seen` id being an index
 * when it names a write already listed. Deterministic (fields sorted, writes kept in HLC order,
 * values canonical). A state that does not fit this shape (a write with other keys, from a newer
 * app) is stored as its canonical JSON, and so are states written before v4: `unpackState`
 * reads both. The digest still hashes the canonical JSON (`stateJson`).
 */
export function packState(r: RecordState, fast = plainState(r), row?: Record<string, unknown>): string {
  const hlcs: string[] = []
  const index = new Map<string, number>()
  if (fast) {
    const hi = (h: string) => {
      let at = index.get(h)
      if (at === undefined) { at = hlcs.length; hlcs.push(h); index.set(h, at) }
      return at
    }
    const fields = Object.keys(fast).map((name) => {
      // In a cell, a value the row itself holds at the field's path is not stored twice (db.ts `cellValueAt`).
      const shown = row ? cellValueAt(row, name) : undefined
      return [name, fast[name]!.map((w) => {
        const at = hi(w.h)
        if (shown !== undefined && w.v === shown) return w.p === undefined ? [-at - 1] : [-at - 1, w.p.map((x) => index.get(x) ?? x)]
        return w.p === undefined ? [at, w.v] : [at, w.v, w.p.map((x) => index.get(x) ?? x)]
      })]
    })
    return JSON.stringify([r.table, r.key, hlcs, fields])
  }
  let body = ''
  const names = Object.keys(r.fields).filter((k) => r.fields[k] !== undefined).sort()
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    let ws = ''
    for (const w of r.fields[name]!) {
      for (const k in w) if (k !== 'h' && k !== 'p' && k !== 'v') return stateJson(r)
      if (typeof w.h !== 'string' || w.v === undefined) return stateJson(r)
      let at = index.get(w.h)
      if (at === undefined) { at = hlcs.length; hlcs.push(w.h); index.set(w.h, at) }
      ws += (ws ? ',[' : '[') + at + ',' + (w.v === null || typeof w.v !== 'object' ? JSON.stringify(w.v) : canonicalJson(w.v))
      if (w.p !== undefined) {
        if (!Array.isArray(w.p) || w.p.some((x) => typeof x !== 'string')) return stateJson(r)
        ws += ',[' + w.p.map((x) => index.get(x) ?? JSON.stringify(x)).join(',') + ']'
      }
      ws += ']'
    }
    body += (i ? ',[' : '[') + JSON.stringify(name) + ',[' + ws + ']]'
  }
  return '[' + JSON.stringify(r.table) + ',' + JSON.stringify(r.key) + ',' + JSON.stringify(hlcs) + ',[' + body + ']]'
}

type PackedWrite = [number, unknown?, Array<number | string>?]

/**
 * Reads a stored merge state (`packState` output, or canonical JSON from before v4). A cell's
 * state may leave values to its row (`[-index-1, seen?]`): pass the row it was read from.
 */
export function unpackState(s: string, row?: Record<string, unknown>): RecordState {
  if (s.charCodeAt(0) === 123 /* { */) return JSON.parse(s) as RecordState
  const [table, key, hlcs, packed] = JSON.parse(s) as [string, string, string[], Array<[string, PackedWrite[]]>]
  const fields: Record<string, FieldWrite[]> = {}
  for (const [name, ws] of packed) {
    fields[name] = ws.map((w) => {
      let out: FieldWrite
      let seen: Array<number | string> | undefined
      if (w[0] < 0) {
        if (!row) throw new Error(`merge state of ${table}/${key} needs its row`)
        out = { v: cellValueAt(row, name), h: hlcs[-w[0] - 1]! }
        seen = w[1] as Array<number | string> | undefined
      } else {
        out = { v: w[1], h: hlcs[w[0]]! }
        seen = w[2]
      }
      if (seen) out.p = seen.map((x) => (typeof x === 'number' ? hlcs[x]! : x))
      return out
    })
  }
  return { table, key, fields }
}

/**
 * `searchWordsFor(def, number, values, title)`, the same words in the same order, with the words
 * of each searched value and of the title taken from `memo`: searchWordsFor adds the words of its
 * texts in `def.list.search` order, title last, so the union of the parts in that order is the
 * same set. Across a batch the contact and the customer's name repeat and their pinyin is made
 * once; only the document number's words are new for each document.
 */
export function searchWordsMemo(def: FormDef, number: string, values: StoredDoc['values'], title: string | undefined, memo: Map<string, string[]>): string[] {
  const words = new Set<string>()
  const cached = (mk: string, make: () => string[]) => {
    let ws = memo.get(mk)
    if (!ws) { ws = make(); memo.set(mk, ws) }
    for (const w of ws) words.add(w)
  }
  for (const key of def.list.search) {
    if (key === 'number') {
      for (const w of searchWordsFor(def, number, {}, undefined)) words.add(w)
    } else if (key !== def.titleField) {
      const v = values[key]
      if (v === undefined || v === null || v === '') continue
      cached(`${def.id}\u0000${key}\u0000${String(v)}`, () => searchWordsFor(def, '', { [key]: v }, undefined))
    }
  }
  if (title) cached(`${def.id}\u0000\u0000${title}`, () => searchWordsFor(def, '', {}, title))
  return [...words]
}

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
  /** Bumped by every commit: what `getRecords` read is reused only if no commit ran since. */
  private gen = 0
  private seen: { gen: number; info: Map<string, OldInfo> } | undefined
  /** True once this store knows some business row carries a cell (`syncMeta.hasCells`). */
  private hasCells = false
  /** When set, each commit adds its ms per phase here (bench/lib/sync-page.ts reads it). */
  phases: Record<string, number> | undefined
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

  /**
   * Up to `limit` unexported rows after `from`, in seq order. Read in pages with `getAll` (a JS
   * filter would make Dexie walk a cursor, one round trip per row); almost every row after the
   * claimed prefix is unexported, so one page is usually enough.
   */
  private async unexportedAfter(from: number, limit: number): Promise<OutboxRow[]> {
    const out: OutboxRow[] = []
    let after = from
    while (out.length < limit) {
      const want = limit - out.length
      const page = await this.db.outbox.where(':id').above(after).limit(Math.min(want, 5000)).toArray()
      for (const r of page) if (r.exported === 0) out.push(r)
      if (page.length < Math.min(want, 5000)) break
      after = page[page.length - 1]!.seq as number
    }
    return out.slice(0, limit)
  }

  async pendingOutbox(limit: number): Promise<OutboxRow[]> {
    const db = this.db
    for (;;) {
      const from = await this.claimedThrough()
      const rows = await this.unexportedAfter(from, limit)
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
    return this.unexportedAfter(await this.claimedThrough(), Number.MAX_SAFE_INTEGER)
  }

  async appendOutbox(row: Omit<OutboxRow, 'seq' | 'exported'>): Promise<void> {
    await this.db.outbox.add({ ...row, exported: 0 })
  }

  // ------------------------------------------------------------------ merge state

  /**
   * Reads merge states: a `syncState` row wins (this PC's own stamped changes, states from before
   * v4); otherwise the `$sync` cell of the record's business row. What was found is remembered
   * for the next commit, which then needs no read inside its transaction when no other commit
   * ran in between (business writes never change a cell or `syncState`, db.ts `syncCellGuard`).
   */
  async getRecords(keys: Array<{ table: string; key: string }>): Promise<Array<RecordState | undefined>> {
    const gen = this.gen
    const t0 = performance.now()
    const ids = keys.map((k) => rid(k.table, k.key))
    const fresh = await this.freshIds()
    const unread = fresh ? keys.flatMap((k, i) => (fresh.has(ids[i]!) ? [i] : [])) : keys.map((_, i) => i)
    const read = await this.readCells(unread.map((i) => keys[i]!), unread.map((i) => ids[i]!))
    const found: Array<{ s?: string; row?: Record<string, unknown>; info: OldInfo }> = ids.map(() => ({ info: NONE }))
    unread.forEach((i, j) => { found[i] = read[j]! })
    const seen = new Map<string, OldInfo>()
    const out = found.map((f, i) => {
      seen.set(ids[i]!, f.info)
      return f.s === undefined ? undefined : unpackState(f.s, f.row)
    })
    // Several readers may come between a read and its commit (the engine, a page): keep what each found.
    if (this.seen?.gen === gen && this.gen === gen) for (const [id, info] of this.seen.info) if (!seen.has(id)) seen.set(id, info)
    this.seen = { gen, info: seen }
    if (this.phases) this.phases['read states'] = (this.phases['read states'] ?? 0) + performance.now() - t0
    return out
  }

  /**
   * While this store has seen the database without any merge state (a new PC joining, or one
   * starting from a snapshot), the ids it has committed since: any other id is known to have no
   * state, so a first import reads nothing. Dropped as soon as the digest accumulator shows a
   * commit by someone else (every commit that changes a state changes it), or when it grows large.
   */
  private fresh: { ids: Set<string>; acc: string } | undefined
  private freshChecked = false

  private async freshIds(): Promise<Set<string> | undefined> {
    if (!this.fresh && this.freshChecked) return undefined
    const acc = await this.digest()
    if (!this.fresh) {
      this.freshChecked = true
      if (acc !== ZERO || (await this.db.syncState.limit(1).count()) > 0) return undefined
      this.fresh = { ids: new Set(), acc }
    } else if (this.fresh.acc !== acc) {
      this.fresh = undefined
      return undefined
    }
    return this.fresh.ids
  }

  /** Merge-state strings and bookkeeping of records, in one read-only sync transaction. */
  private async readCells(keys: Array<{ table: string; key: string }>, ids: string[]): Promise<Array<{ s?: string; row?: Record<string, unknown>; info: OldInfo }>> {
    const db = this.db
    const out: Array<{ s?: string; row?: Record<string, unknown>; info: OldInfo }> = ids.map(() => ({ info: NONE }))
    if (ids.length === 0) return out
    const tables = [...new Set(keys.map((k) => k.table).filter((t) => t in SYNC_CELL_TABLES))]
    await db.transaction('r', [db.syncState, ...tables.map((t) => db.table(t))], async () => {
      markSyncTransaction()
      const states = await db.syncState.bulkGet(ids)
      const byTable = new Map<string, number[]>()
      states.forEach((st, i) => {
        if (st) out[i] = { s: st.s, info: { h: st.h, alive: st.alive, c: st.c, inState: true, rowExists: false } }
        const t = keys[i]!.table
        // A row's existence matters for tombstones of docs (counts); its cell only when no state row.
        if (!st || (t === 'docs')) if (t in SYNC_CELL_TABLES) byTable.set(t, [...(byTable.get(t) ?? []), i])
      })
      for (const [table, idx] of byTable) {
        const rows = await db.table(table).bulkGet(idx.map((i) => keys[i]!.key)) as Array<Record<string, unknown> | undefined>
        rows.forEach((row, j) => {
          if (!row) return
          const i = idx[j]!
          const prev = out[i]!
          if (prev.info.inState) { out[i] = { ...prev, info: { ...prev.info, rowExists: true } }; return }
          const cell = row[SYNC_CELL] as SyncCell | undefined
          out[i] = cell ? { s: cell.s, row, info: { h: cell.h, alive: cell.alive, c: cell.c, inState: false, rowExists: true } } : { info: { ...NONE, rowExists: true } }
        })
      }
    })
    return out
  }

  async allRecords(): Promise<RecordState[]> {
    const db = this.db
    const out = new Map<string, { s: string; row?: Record<string, unknown> }>()
    await db.transaction('r', [db.syncState, db.syncMeta, ...Object.keys(SYNC_CELL_TABLES).map((t) => db.table(t))], async () => {
      markSyncTransaction()
      const cells = (await db.syncMeta.get('hasCells'))?.value === true
      for (const [table, pk] of cells ? Object.entries(SYNC_CELL_TABLES) : []) {
        for (const row of await db.table(table).toArray() as Array<Record<string, unknown>>) {
          const cell = row[SYNC_CELL] as SyncCell | undefined
          if (cell && cell.h !== '') out.set(rid(table, String(row[pk])), { s: cell.s, row })
        }
      }
      // A syncState row is newer than a cell of the same record.
      for (const st of await db.syncState.toArray()) {
        if (st.h !== '') out.set(st.id, { s: st.s })
        else out.delete(st.id)
      }
    })
    return [...out.values()].map((x) => unpackState(x.s, x.row))
  }

  /** Only the records with an open conflict (what the status count and the conflicts inbox need). */
  async conflictedRecords(): Promise<RecordState[]> {
    const ids = [...new Set((await this.db.syncConflicts.toArray()).map((c) => c.rid))]
    const keys = ids.map((id) => ({ table: id.slice(0, id.indexOf('\u0000')), key: id.slice(id.indexOf('\u0000') + 1) }))
    return (await this.readCells(keys, ids)).flatMap((f) => (f.s === undefined ? [] : [unpackState(f.s, f.row)]))
  }

  /** Open conflicts as stored beside the merge state (no scan of every record). */
  async openConflicts(): Promise<Conflict[]> {
    return (await this.db.syncConflicts.toArray()).map((c) => c.conflict as Conflict)
  }

  /**
   * Everything CPU-bound happens before the transaction: materialize, the state's canonical JSON,
   * its SHA-256, the business rows and their search words. The transaction then does a fixed
   * number of bulk operations whatever the batch size (one `bulkPut` per table), so it stays
   * short and never awaits anything but Dexie.
   */
  async commit(batch: CommitBatch): Promise<void> {
    const db = this.db
    const records = batch.records ?? []
    // Our own segment carries changes whose business rows were written by the business write
    // itself; only a remote change (or a snapshot) rewrites what the app reads.
    const remote = !batch.claim
    const seen = this.seen && this.seen.gen === this.gen ? this.seen.info : undefined
    this.gen++
    this.seen = undefined
    const clock = phaseClock(this.phases)
    const prepared: Prepared[] = records.map((r) => {
      const state = plain(r)
      const m = materialize(state)
      const fast = plainState(state)
      return { state, m, fast, s: stateJson(state, fast), packed: packState(state, fast), h: '', id: rid(r.table, r.key), conflicts: shownConflicts(m), alive: shownAlive(state, m) }
    })
    clock('materialize + JSON')
    // Hashes before the transaction: an await on WebCrypto inside a Dexie transaction would commit it early.
    const enc = new TextEncoder()
    await Promise.all(prepared.map(async (p) => { if (Object.keys(p.state.fields).length > 0) p.h = await sha256Hex(enc.encode(p.s)) }))
    clock('SHA-256')
    if (remote) {
      await this.buildRows(prepared)
      // A cell leaves to its row the values the row holds anyway (about a third of the bytes).
      for (const p of prepared) if (p.row) p.packed = packState(p.state, p.fast, p.row)
    }
    clock('rows + search words')
    const tables: Table[] = [db.syncState, db.syncConflicts, db.syncSegments, db.syncCursors, db.syncMeta, db.outbox]
    if (remote) tables.push(db.docs, db.lines, db.attachments, db.audit, db.versions, db.printLog, db.users, db.proxies, db.settings, db.meta, db.directory)
    // A record not read since the last commit has its old cell read inside the transaction, from its business row.
    else if (prepared.some((p) => !seen?.has(p.id))) tables.push(...new Set(prepared.flatMap((p) => (p.state.table in SYNC_CELL_TABLES ? [db.table(p.state.table)] : []))))
    let acc: string | undefined
    const fresh = this.fresh
    await db.transaction('rw', tables, async () => {
      markSyncTransaction()
      const through = ((await db.syncMeta.get('claimedThrough'))?.value as number | undefined) ?? 0
      if (batch.guardOutbox) {
        const claimed = new Set(batch.claim?.outboxSeqs ?? [])
        const stale = await db.outbox.where(':id').above(through)
          .filter((r) => r.exported === 0 && !claimed.has(r.seq as number) && r.table !== 'blobs').first()
        if (stale) throw new StaleOutboxError()
      }
      if (prepared.length > 0) acc = await this.writeStates(prepared, remote, seen)
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
        const list = (await db.syncMeta.get('unpublished'))?.value as number[] | undefined
        if (list && !row.published && !list.includes(row.seq)) await db.syncMeta.put({ key: 'unpublished', value: [...list, row.seq] })
      }
      if (batch.hlc !== undefined) await db.syncMeta.put({ key: 'hlc', value: batch.hlc })
    })
    clock('transaction')
    if (fresh && fresh === this.fresh && acc !== undefined) {
      for (const p of prepared) fresh.ids.add(p.id)
      fresh.acc = acc
      if (fresh.ids.size > FRESH_LIMIT) this.fresh = undefined
    }
    this.onCommit?.({ records: records.length, remote })
  }

  /** Inside the commit's transaction: merge states, conflicts, digest, business rows, counts. */
  private async writeStates(prepared: Prepared[], remote: boolean, seen: Map<string, OldInfo> | undefined): Promise<string> {
    const db = this.db
    // What each record had before: remembered from getRecords, or read now (another commit ran since).
    const unknown = prepared.filter((p) => !seen?.has(p.id))
    const old = new Map(seen ?? [])
    if (unknown.length > 0) {
      const ks = unknown.map((p) => ({ table: p.state.table, key: p.state.key }))
      const found = await this.readCellsInTx(ks, unknown.map((p) => p.id))
      unknown.forEach((p, i) => old.set(p.id, found[i]!))
    }
    let acc = ((await db.syncMeta.get('digestAcc'))?.value as string | undefined) ?? ZERO
    const stateRows: SyncStateRow[] = []
    const dropState: string[] = []
    const clearConflicts: string[] = []
    const conflicts: Array<{ id: string; rid: string; conflict: Conflict }> = []
    const byTable = new Map<string, Array<Record<string, unknown>>>()
    const counts = new Map<string, number>()
    const deletions = new Map<string, number>()
    const bump = (m: Map<string, number>, form: string, by: number) => m.set(form, (m.get(form) ?? 0) + by)
    for (const p of prepared) {
      const before = old.get(p.id) ?? NONE
      acc = xorHex(xorHex(acc, before.h), p.h)
      const cell: SyncCell = { s: p.packed, h: p.h, alive: p.alive, c: p.conflicts.length }
      if (before.c > 0) clearConflicts.push(p.id)
      for (const c of p.conflicts) conflicts.push({ id: `${p.id}\u0000${c.field}`, rid: p.id, conflict: c })
      if (p.row) {
        // One write per record: the business row carries its merge state.
        p.row[SYNC_CELL] = cell
        const list = byTable.get(p.state.table) ?? []
        list.push(p.row)
        byTable.set(p.state.table, list)
        if (before.inState) dropState.push(p.id)
      } else {
        stateRows.push({ id: p.id, ...cell })
      }
      if (remote && p.form !== undefined) {
        const wasAlive = before.alive
        if (p.alive && !wasAlive) bump(counts, p.form, 1)
        if (!p.alive && wasAlive) { bump(counts, p.form, -1); bump(deletions, p.form, 1) }
        // Tombstones of documents never shown here still mark the form as having deletions.
        if (!p.alive && !wasAlive && !before.rowExists) bump(deletions, p.form, 1)
      }
    }
    if (clearConflicts.length > 0) await db.syncConflicts.where('rid').anyOf(clearConflicts).delete()
    if (conflicts.length > 0) await db.syncConflicts.bulkPut(conflicts)
    if (stateRows.length > 0) await db.syncState.bulkPut(stateRows)
    if (dropState.length > 0) await db.syncState.bulkDelete(dropState)
    for (const [table, rows] of byTable) await db.table(table).bulkPut(rows)
    // Lets allRecords skip reading every business row on a PC that never stored a cell.
    if (byTable.size > 0 && !this.hasCells) {
      await db.syncMeta.put({ key: 'hasCells', value: true })
      this.hasCells = true
    }
    await db.syncMeta.put({ key: 'digestAcc', value: acc })
    const metaKeys: Array<[string, number]> = []
    for (const [form, by] of counts) if (by !== 0) metaKeys.push([countKey(form), by])
    for (const [form, by] of deletions) if (by !== 0) metaKeys.push([deletedKey(form), by])
    if (metaKeys.length === 0) return acc
    const current = await db.meta.bulkGet(metaKeys.map(([k]) => k))
    await db.meta.bulkPut(metaKeys.map(([key, by], i) => ({ key, value: Math.max(0, ((current[i]?.value as number | undefined) ?? 0) + by) })))
    return acc
  }

  /** `readCells` inside the current (already marked) transaction. */
  private async readCellsInTx(keys: Array<{ table: string; key: string }>, ids: string[]): Promise<OldInfo[]> {
    const db = this.db
    const out: OldInfo[] = ids.map(() => NONE)
    const states = await db.syncState.bulkGet(ids)
    const byTable = new Map<string, number[]>()
    states.forEach((st, i) => {
      if (st) out[i] = { h: st.h, alive: st.alive, c: st.c, inState: true, rowExists: false }
      const t = keys[i]!.table
      if ((!st || t === 'docs') && t in SYNC_CELL_TABLES) byTable.set(t, [...(byTable.get(t) ?? []), i])
    })
    for (const [table, idx] of byTable) {
      const rows = await db.table(table).bulkGet(idx.map((i) => keys[i]!.key)) as Array<Record<string, unknown> | undefined>
      rows.forEach((row, j) => {
        if (!row) return
        const i = idx[j]!
        if (out[i]!.inState) { out[i] = { ...out[i]!, rowExists: true }; return }
        const cell = row[SYNC_CELL] as SyncCell | undefined
        out[i] = cell ? { h: cell.h, alive: cell.alive, c: cell.c, inState: false, rowExists: true } : { ...NONE, rowExists: true }
      })
    }
    return out
  }

  /**
   * The business rows a remote batch shows (`materialize` → row), before the transaction. Search
   * words are computed here too, with titles from documents of this same batch first (a quotation
   * arriving with its customer finds the customer's name) and from one bulkGet otherwise. A title's
   * own words and those of repeated values (pinyin) are computed once per batch (`searchWordsMemo`).
   */
  private async buildRows(prepared: Prepared[]): Promise<void> {
    const docs: Array<{ p: Prepared; row: StoredDoc; def?: FormDef }> = []
    for (const p of prepared) {
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
        if (p.m.alive) p.row = { key, value: (row.value as object | undefined) ?? {} }
        continue
      }
      if (table === 'docs') {
        let def: FormDef | undefined
        try { def = this.forms(row.form as string) } catch { def = undefined }
        row.values ??= {}
        const doc: StoredDoc = { ...(row as unknown as StoredDoc), searchWords: [], refs: refsOf(row.form as string, row.values as StoredDoc['values']) }
        p.row = doc as unknown as Record<string, unknown>
        p.form = doc.form
        docs.push(def ? { p, row: doc, def } : { p, row: doc })
        continue
      }
      p.row = row
    }
    if (docs.length === 0) return
    const inBatch = new Map(docs.map((d) => [d.row.id, d.row]))
    const wanted = new Set<string>()
    for (const d of docs) {
      const ref = d.def && d.p.m.alive ? titleRefId(d.def, d.row.values) : undefined
      if (ref !== undefined && !inBatch.has(ref)) wanted.add(ref)
    }
    const wantedIds = [...wanted]
    const fetched = wantedIds.length > 0 ? await this.db.docs.bulkGet(wantedIds) : []
    const titles = new Map<string, { form: string; values: StoredDoc['values'] }>()
    wantedIds.forEach((id, i) => { const f = fetched[i]; if (f) titles.set(id, f) })
    const memo = new Map<string, string[]>()
    for (const d of docs) {
      if (!d.p.m.alive || !d.def) continue
      const ref = titleRefId(d.def, d.row.values)
      const source = ref === undefined ? d.row : inBatch.get(ref) ?? titles.get(ref)
      const title = source ? titleOfDoc(this.forms, source) : undefined
      d.row.searchWords = searchWordsMemo(d.def, String(d.row.number ?? ''), d.row.values, title, memo)
    }
  }
  // ------------------------------------------------------------------ own segments

  async ownSegments(): Promise<OwnSegment[]> {
    return this.db.syncSegments.toArray()
  }

  /**
   * Our segments not yet verified on the share (the status panel's "waiting" needs only these).
   * Their seqs are kept in `syncMeta.unpublished` by the commit that stores a segment and by
   * `markPublished`, so the panel never reads every stored segment's bytes; a database from before
   * that list is scanned once.
   */
  async unpublishedSegments(): Promise<OwnSegment[]> {
    const db = this.db
    return db.transaction('rw', db.syncSegments, db.syncMeta, async () => {
      const seqs = (await db.syncMeta.get('unpublished'))?.value as number[] | undefined
      if (seqs === undefined) {
        const rows = await db.syncSegments.filter((s) => !s.published).toArray()
        await db.syncMeta.put({ key: 'unpublished', value: rows.map((r) => r.seq) })
        return rows
      }
      return (await db.syncSegments.bulkGet(seqs)).flatMap((r) => (r && !r.published ? [r] : []))
    })
  }

  async markPublished(seq: number): Promise<void> {
    const db = this.db
    await db.transaction('rw', db.syncSegments, db.outbox, db.syncMeta, async () => {
      const seg = await db.syncSegments.get(seq)
      if (seg && !seg.published) await db.syncSegments.put({ ...seg, published: true })
      const list = (await db.syncMeta.get('unpublished'))?.value as number[] | undefined
      if (list?.includes(seq)) await db.syncMeta.put({ key: 'unpublished', value: list.filter((x) => x !== seq) })
      if (seg?.outboxFrom !== undefined && seg.outboxTo !== undefined) {
        const rows = await db.outbox.where(':id').between(seg.outboxFrom, seg.outboxTo, true, true).toArray()
        const done = rows.filter((r) => r.exported === 0).map((r) => ({ ...r, exported: 1 as const }))
        if (done.length > 0) await db.outbox.bulkPut(done)
      }
    })
  }

  async forgetOwnSegments(): Promise<void> {
    const db = this.db
    await db.transaction('rw', db.syncSegments, db.outbox, db.syncMeta, async () => {
      for (const seg of await db.syncSegments.toArray()) {
        if (!seg.published && seg.outboxFrom !== undefined && seg.outboxTo !== undefined) {
          await db.outbox.where(':id').between(seg.outboxFrom, seg.outboxTo, true, true).modify({ exported: 1 })
        }
      }
      await db.syncSegments.clear()
      await db.syncMeta.put({ key: 'unpublished', value: [] })
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

/** Adds the ms since the last call to `phases[name]` (nothing when not profiling). */
function phaseClock(phases: Record<string, number> | undefined): (name: string) => void {
  if (!phases) return () => undefined
  let t = performance.now()
  return (name) => {
    const now = performance.now()
    phases[name] = (phases[name] ?? 0) + now - t
    t = now
  }
}

/** Whether the record shows as a live row (a document needs its form; an empty put shows nothing). */
function shownAlive(state: RecordState, m: Materialized): boolean {
  if (!m.alive || Object.keys(m.values).length === 0) return false
  return state.table !== 'docs' || typeof m.values.form === 'string'
}
