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

/** Splits a change into its field writes (a put also writes `$deleted: false`). */
export function writesOf(change: Change): Array<[string, FieldWrite]> {
  const out: Array<[string, FieldWrite]> = []
  const mk = (field: string, v: unknown): FieldWrite => {
    const p = change.seen?.[field]
    return p && p.length > 0 ? { v, h: change.hlc, p: [...p].sort() } : { v, h: change.hlc }
  }
  if (change.op === 'delete') {
    out.push([DELETED, mk(DELETED, true)])
  } else {
    for (const [f, v] of Object.entries(change.fields)) if (f !== DELETED && v !== undefined) out.push([f, mk(f, v)])
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
    const list = (state.fields[field] ??= [])
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
    const list = (into.fields[field] ??= [])
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
    const ws = state.fields[f]
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
    const hs = heads(ws)
    if (field === DELETED) continue
    values[field] = (hs[0] as FieldWrite).v
    if (distinct(hs)) {
      conflicts.push({ table: state.table, key: state.key, field, kind: 'value', values: hs.map((w) => ({ value: w.v, hlc: w.h, pc: pcOf(w.h) })) })
    }
  }
  const del = heads(state.fields[DELETED] ?? [])
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
  return (state.fields[field] ?? []).map((w) => ({ value: w.v, hlc: w.h, pc: pcOf(w.h) }))
}

/** Builds a nested row from flat field names: `values.customer` → `{ values: { customer } }`. */
export function toRow(values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) {
    const parts = k.split('.')
    let o = row
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>
    o[parts[parts.length - 1] as string] = v
  }
  return row
}

/** SHA-256 over the canonical form of all record states: equal digests = converged (fault 32). */
export async function stateDigest(records: Iterable<RecordState>): Promise<string> {
  const sorted = [...records].filter((r) => Object.keys(r.fields).length > 0)
    .sort((a, b) => (a.table + '\u0000' + a.key < b.table + '\u0000' + b.key ? -1 : 1))
  return sha256Hex(new TextEncoder().encode(canonicalJson(sorted)))
}
