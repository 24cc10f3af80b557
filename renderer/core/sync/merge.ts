/**
 * Per-field merge with a conflict register (sync.md "Merge").
 *
 * Choice: every field write carries the ids (HLCs) of the writes of that field its writer had seen
 * (`Change.seen`), i.e. a per-field causal history instead of per-record version vectors. The
 * state of a field is the SET of all writes ever made to it; its "heads" are the writes no other
 * write has seen. One head → a plain value. Several heads with different values → a conflict; the
 * shown value is the head with the highest HLC (then PC id), the same on every PC. A resolution is
 * an ordinary write that has seen all heads, so it supersedes them and the conflict closes
 * everywhere. Why not version vectors: they grow with the number of PCs per record and still need
 * per-field bookkeeping; explicit predecessors are exact per field, cost one id per write in the
 * common case, and make the state a pure function of the set of changes (order and duplicates do
 * not matter), which fault 32's property test checks. They also let a causally later write win
 * even when the earlier writer's clock was a year ahead (fault 15).
 *
 * Deletes are writes of the hidden field `$deleted`. Every put also writes `$deleted: false`, so a
 * delete that had not seen a concurrent edit leaves two heads (true, false): the record stays
 * alive and an edit-versus-delete conflict offers restore (fault 19). Nothing is ever dropped:
 * every overwritten value stays in the field's write set (the record's history).
 */
import { canonicalJson, sha256Hex } from '../identity'
import type { Change } from './segment'
import { hlcPc } from './hlc'

/** The liveness field; true = deleted. */
export const DELETED = '$deleted'

/** One write of one field: value, its HLC id, and the writes of this field its writer had seen. */
export interface FieldWrite { v: unknown; h: string; p?: string[] }

/** The merge state of one record: every write of every field, sorted by HLC. */
export interface RecordState { table: string; key: string; fields: Record<string, FieldWrite[]> }

/** An open conflict as the conflicts inbox shows it; `values[0]` is the one shown. */
export interface Conflict {
  table: string
  key: string
  field: string
  kind: 'value' | 'editDelete'
  values: Array<{ value: unknown; hlc: string; pc: string }>
}

/** What the app stores as the visible row, plus the open conflicts. */
export interface Materialized { alive: boolean; values: Record<string, unknown>; conflicts: Conflict[] }

const UNSAFE_SEGMENT = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * True for a field path that is safe to store and to nest (`values.customer`): non-empty segments,
 * none of them `__proto__`, `constructor` or `prototype` (issue 7: a synced field `__proto__.x`
 * polluted Object.prototype on the importing PC). The merge skips other paths, and the data layer
 * should refuse them when a row is written.
 */
export function safeFieldPath(path: string): boolean {
  if (path === '') return false
  for (const seg of path.split('.')) if (seg === '' || UNSAFE_SEGMENT.has(seg)) return false
  return true
}

/** An own property of `o`, never one inherited from its prototype (`toString`, `__proto__`). */
const own = (o: object, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined)

/**
 * Sets an own property of a plain object. Only called with keys `safeFieldPath` accepts (or
 * `$deleted`): the one setter a plain object inherits is `__proto__`, so a plain assignment here
 * can only ever make an own property (and stays as fast as before).
 */
function define(o: object, k: string, v: unknown): void {
  ;(o as Record<string, unknown>)[k] = v
}

/** Splits a change into its field writes (a put also writes `$deleted: false`); unsafe field paths are skipped. */
export function writesOf(change: Change): Array<[string, FieldWrite]> {
  const out: Array<[string, FieldWrite]> = []
  const mk = (field: string, v: unknown): FieldWrite => {
    const p = change.seen ? own(change.seen, field) : undefined
    return Array.isArray(p) && p.length > 0 ? { v, h: change.hlc, p: [...(p as string[])].sort() } : { v, h: change.hlc }
  }
  if (change.op === 'delete') {
    out.push([DELETED, mk(DELETED, true)])
  } else {
    for (const [f, v] of Object.entries(change.fields)) if (f !== DELETED && v !== undefined && safeFieldPath(f)) out.push([f, mk(f, v)])
    out.push([DELETED, mk(DELETED, false)])
  }
  return out
}

/** An empty state for a record. */
export function emptyRecord(table: string, key: string): RecordState {
  return { table, key, fields: {} }
}

/**
 * Adds a change to a record's state, in place; true when anything new was added.
 * Commutative and idempotent: the result depends only on the set of changes applied.
 */
export function applyChange(state: RecordState, change: Change): boolean {
  let changed = false
  for (const [field, w] of writesOf(change)) {
    let list = own(state.fields, field) as FieldWrite[] | undefined
    if (!list) define(state.fields, field, (list = []))
    // Binary search by HLC id; an id already present is a duplicate delivery.
    let lo = 0, hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((list[mid] as FieldWrite).h < w.h) lo = mid + 1
      else hi = mid
    }
    if (list[lo]?.h === w.h) continue
    list.splice(lo, 0, w)
    changed = true
  }
  return changed
}

/** Takes a change's writes back out of a record's state (a change the trust gate did not admit); true when any was there. */
export function retractChange(state: RecordState, change: Pick<Change, 'hlc'>): boolean {
  let changed = false
  for (const [field, list] of Object.entries(state.fields)) {
    const i = list.findIndex((w) => w.h === change.hlc)
    if (i < 0) continue
    list.splice(i, 1)
    if (list.length === 0) delete state.fields[field]
    changed = true
  }
  return changed
}

/** Adds every write of `from` to `into` (union; used when a snapshot meets local state). */
export function mergeStates(into: RecordState, from: RecordState): boolean {
  let changed = false
  for (const [field, ws] of Object.entries(from.fields)) {
    // A snapshot is JSON: it may carry an own `__proto__` key; such a field is never merged.
    if (field !== DELETED && !safeFieldPath(field)) continue
    let list = own(into.fields, field) as FieldWrite[] | undefined
    if (!list) define(into.fields, field, (list = []))
    const have = new Set(list.map((w) => w.h))
    for (const w of ws) if (!have.has(w.h)) { list.push(w); changed = true }
    list.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
  }
  return changed
}

/** The writes of a field that no other write has seen, highest HLC first. */
export function heads(writes: readonly FieldWrite[]): FieldWrite[] {
  if (writes.length === 1) return [writes[0] as FieldWrite]
  const seen = new Set<string>()
  for (const w of writes) for (const p of w.p ?? []) seen.add(p)
  return writes.filter((w) => !seen.has(w.h)).reverse()
}

/** The ids a local write of these fields must carry as `seen` (the current heads). */
export function seenFor(state: RecordState | undefined, fields: Iterable<string>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  if (!state) return out
  for (const f of fields) {
    const ws = own(state.fields, f) as FieldWrite[] | undefined
    if (ws && ws.length > 0) out[f] = heads(ws).map((w) => w.h).sort()
  }
  return out
}

const pcOf = hlcPc

function distinct(ws: FieldWrite[]): boolean {
  if (ws.length < 2) return false
  const first = canonicalJson(ws[0]!.v)
  return ws.some((w) => canonicalJson(w.v) !== first)
}

/** Visible values and open conflicts of a record; the same on every PC that holds the same writes. */
export function materialize(state: RecordState): Materialized {
  const values: Record<string, unknown> = {}
  const conflicts: Conflict[] = []
  for (const field of Object.keys(state.fields).sort()) {
    const ws = state.fields[field] as FieldWrite[]
    if (ws.length === 0) continue
    if (field === DELETED || !safeFieldPath(field)) continue
    const hs = heads(ws)
    define(values, field, (hs[0] as FieldWrite).v)
    if (distinct(hs)) {
      conflicts.push({ table: state.table, key: state.key, field, kind: 'value', values: hs.map((w) => ({ value: w.v, hlc: w.h, pc: pcOf(w.h) })) })
    }
  }
  const del = heads((own(state.fields, DELETED) as FieldWrite[] | undefined) ?? [])
  // Edit beats a delete that did not see it: the record stays, with a conflict offering restore.
  const alive = del.length === 0 ? false : del.some((w) => w.v === false)
  if (del.some((w) => w.v === true) && alive) {
    conflicts.push({
      table: state.table, key: state.key, field: DELETED, kind: 'editDelete',
      values: [...del].sort((a, b) => Number(a.v) - Number(b.v) || (a.h < b.h ? 1 : -1)).map((w) => ({ value: w.v, hlc: w.h, pc: pcOf(w.h) })),
    })
  }
  return { alive, values, conflicts }
}

/** Every value a field ever had, oldest first (the record's history for one field). */
export function history(state: RecordState, field: string): Array<{ value: unknown; hlc: string; pc: string }> {
  return ((own(state.fields, field) as FieldWrite[] | undefined) ?? []).map((w) => ({ value: w.v, hlc: w.h, pc: pcOf(w.h) }))
}

/**
 * Builds a nested row from flat field names: `values.customer` → `{ values: { customer } }`.
 * Paths that `safeFieldPath` refuses are skipped; the walk follows own properties only and writes
 * own data properties only, so no path reaches a prototype (`toString.x` makes `row.toString`, it
 * never writes onto Object.prototype.toString). A path under a plain value (`n` = 5 and `n.x`)
 * is skipped instead of throwing; `materialize` lists fields sorted, so every PC keeps the same one.
 */
export function toRow(values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const k of Object.keys(values)) {
    if (!safeFieldPath(k)) continue
    const parts = k.split('.')
    let o: Record<string, unknown> | undefined = row
    for (const p of parts.slice(0, -1)) {
      let next = own(o, p)
      if (next === undefined) define(o, p, (next = {}))
      if (next === null || typeof next !== 'object') { o = undefined; break }
      o = next as Record<string, unknown>
    }
    if (o) define(o, parts[parts.length - 1] as string, values[k])
  }
  return row
}

/** SHA-256 over the canonical form of all record states: equal digests = converged (fault 32). */
export async function stateDigest(records: Iterable<RecordState>): Promise<string> {
  const sorted = [...records].filter((r) => Object.keys(r.fields).length > 0)
    .sort((a, b) => (a.table + '\u0000' + a.key < b.table + '\u0000' + b.key ? -1 : 1))
  return sha256Hex(new TextEncoder().encode(canonicalJson(sorted)))
}
