/**
 * The receivables' FIFO settling kept per customer between calls (issue 11: charts within 300 ms at
 * 100,000 documents). Settling one customer reads only that customer's records: its opening balance,
 * its contracts, the deliveries on them and the money paid on them or to it. So the rows split into
 * independent parts (a customer with its contracts, or a few customers a contract or delivery ties
 * together), each part is settled by the same `receivables` as the 账龄分析 page, and a part whose rows
 * are the very same row objects as last time keeps its items. A document written makes a new digest
 * row (the digest never changes a row in place), so a write re-settles only the part it touches.
 */
import type { DocSnapshot } from '../../../forms/schema/types'
import { receivables, type AgeingInput, type ReceivableItem } from '../../../forms/contract/contract.ageing'
import { LEDGER_STATES } from '../../../forms/contract/contract.ledger'
import { BOOKED_STATES, CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT } from '../../../forms/contract/contract.tally'
import type { ListRow } from '../list-query'

/** The forms settling reads, in `AgeingInput`'s order, with the states it counts (customers: all). */
const SOURCES = [
  ['customer', undefined], ['contract', LEDGER_STATES], ['delivery', BOOKED_STATES], ['payment', CONFIRMED_PAYMENT], ['adjustment', CONFIRMED_ADJUSTMENT],
] as const

/** One part's rows (by `SOURCES` index) and, once settled, its items. */
interface Part { rows: ListRow[][]; items?: ReceivableItem[] }

/**
 * What is kept between calls: per as-of date, each part's rows and items, by the part's key (the
 * id of its first row). Owned by the caller (the start page keeps one for the session).
 */
export interface SettleMemo { byAsOf: Map<string, Map<string, Part>> }

/** How many as-of dates a memo keeps (today and a few period ends looked at). */
const AS_OF_KEPT = 4

/** An empty memo. */
export function settleMemo(): SettleMemo {
  return { byAsOf: new Map() }
}

/** What the last call did: parts in all, and how many were settled again (the rest kept). */
export interface SettleStats { parts: number; settled: number }

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/**
 * The rows of `rows(form)` settling reads, split into independent parts. Ties, exactly as
 * `receivables` follows them: a contract to its customer; a delivery to its contract and its customer
 * (its own, else its contract's, else none); money on a contract to that contract, money on none to
 * its customer. Tight loops: this runs over every row on each call (union-find over integers).
 */
function partsOf(rows: (form: string) => readonly ListRow[]): Map<string, Part> {
  const parent: number[] = []
  const find = (i: number): number => {
    let r = i
    while (parent[r] !== r) r = parent[r]!
    while (parent[i] !== r) { const n = parent[i]!; parent[i] = r; i = n }
    return r
  }
  const union = (a: number, b: number) => { const ra = find(a), rb = find(b); if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb) }
  const customers = new Map<string, number>()
  const contracts = new Map<string, number>()
  const node = (map: Map<string, number>, id: string) => { let n = map.get(id); if (n === undefined) { n = parent.length; parent.push(n); map.set(id, n) } return n }
  const ledger = new Set<string>()
  const picked: ListRow[] = []
  const sources: number[] = []
  const nodes: number[] = []
  for (let source = 0; source < SOURCES.length; source++) {
    const [form, states] = SOURCES[source]!
    for (const row of rows(form)) {
      if (states && !states.includes(row.state)) continue
      const v = row.values
      let n: number
      if (source === 0) n = node(customers, row.id)
      else if (source === 1) { n = node(contracts, row.id); union(n, node(customers, str(v.customer))); ledger.add(row.id) }
      else if (source === 2) {
        const contract = str(v.contract)
        n = node(contracts, contract)
        // Its customer is its own, else its contract's (tied already), else none ('').
        const c = str(v.customer)
        if (c || !ledger.has(contract)) union(n, node(customers, c))
      } else {
        const contract = str(v.contract)
        n = contract ? node(contracts, contract) : node(customers, str(v.customer))
      }
      picked.push(row); sources.push(source); nodes.push(n)
    }
  }
  const byRoot: Array<Part | undefined> = new Array(parent.length)
  const out = new Map<string, Part>()
  for (let i = 0; i < picked.length; i++) {
    const root = find(nodes[i]!)
    let part = byRoot[root]
    if (!part) { part = { rows: [[], [], [], [], []] }; byRoot[root] = part; out.set(picked[i]!.id, part) }
    part.rows[sources[i]!]!.push(picked[i]!)
  }
  return out
}

function sameRows(a: Part, b: Part): boolean {
  for (let s = 0; s < a.rows.length; s++) {
    const x = a.rows[s]!, y = b.rows[s]!
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  }
  return true
}

const snapshots = (form: string, rows: readonly ListRow[]): DocSnapshot[] =>
  rows.map((r) => ({ id: r.id, form, number: r.number, state: r.state, version: 0, values: r.values, lines: {} }))

/**
 * Every receivable item on `asOf` with what is still open, as `receivables` gives it for the same
 * rows (the same items and open amounts to the fen; parts follow one another), re-settling only the
 * parts whose rows changed since `memo` last saw this as-of date. Without a memo: everything settled.
 */
export function settledReceivables(rows: (form: string) => readonly ListRow[], asOf: string, memo?: SettleMemo, stats?: SettleStats): ReceivableItem[] {
  const parts = partsOf(rows)
  const before = memo?.byAsOf.get(asOf)
  const out: ReceivableItem[] = []
  let settled = 0
  for (const [key, part] of parts) {
    const old = before?.get(key)
    if (old?.items && sameRows(old, part)) part.items = old.items
    else {
      const input: AgeingInput = {
        customers: snapshots('customer', part.rows[0]!), contracts: snapshots('contract', part.rows[1]!), deliveries: snapshots('delivery', part.rows[2]!),
        payments: snapshots('payment', part.rows[3]!), adjustments: snapshots('adjustment', part.rows[4]!),
      }
      part.items = receivables(input, asOf)
      settled++
    }
    for (const i of part.items) out.push(i)
  }
  if (memo) {
    memo.byAsOf.delete(asOf)
    memo.byAsOf.set(asOf, parts)
    while (memo.byAsOf.size > AS_OF_KEPT) memo.byAsOf.delete(memo.byAsOf.keys().next().value!)
  }
  if (stats) { stats.parts = parts.size; stats.settled = settled }
  return out
}
