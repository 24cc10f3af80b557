/**
 * The receivables' FIFO settling kept per customer between calls (issue 11: charts within 300 ms at
 * 100,000 documents). Settling one customer reads only that customer's records: its opening balance,
 * its contracts, the deliveries on them and the money paid on them or to it. So the rows split into
 * independent parts (a customer with its contracts, or a few customers a contract or delivery ties
 * together), each part is settled by the same `receivables` as the 账龄分析 page, and a part whose rows
 * are the very same row objects as last time keeps its items. A document written makes a new digest
 * row (the digest never changes a row in place), so a write re-settles only the part it touches, and
 * the parts themselves are updated from what changed in the rows (a few rows replaced, added or
 * removed), not rebuilt from every row: a write costs a scan of the rows for what changed, one
 * customer's settling, and gathering the items. When many parts need settling at once (the first
 * open of a session, a new as-of date), the whole office is settled in one pass over the rows in
 * their order and the items handed to their parts (the same items: parts share nothing).
 */
import { receivables, receivablesByContract, type AgeingDoc, type AgeingInput, type ReceivableItem, type SettledItems } from '../../../forms/contract/contract.ageing'
import { LEDGER_STATES } from '../../../forms/contract/contract.ledger'
import { BOOKED_STATES, CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT } from '../../../forms/contract/contract.tally'
import type { ListRow } from '../list-query'

/** The forms settling reads, in `AgeingInput`'s order, with the states it counts (customers: all). */
const SOURCES = [
  ['customer', undefined], ['contract', LEDGER_STATES], ['delivery', BOOKED_STATES], ['payment', CONFIRMED_PAYMENT], ['adjustment', CONFIRMED_ADJUSTMENT],
] as const

/** The forms the receivables are settled from. */
export const RECEIVABLE_FORMS: readonly string[] = SOURCES.map(([form]) => form)

/** One part: its rows (by `SOURCES` index, in the rows' order), an order key per row, the ids it holds, and its items per as-of date. */
interface Part {
  key: string
  rows: ListRow[][]
  ranks: number[][]
  customers: string[]
  contracts: string[]
  items: Map<string, ReceivableItem[]>
}

/** The rows last seen (each form's whole list, an order key per row) and the parts they split into. */
interface Partition {
  seen: ListRow[][]
  ranks: number[][]
  parts: Set<Part>
  customerPart: Map<string, Part>
  contractPart: Map<string, Part>
  /** Contracts in the 台帐's states (a delivery with no customer of its own takes its contract's). */
  ledger: Set<string>
}

/** What is kept between calls; owned by the caller (the start page keeps one for the session). */
export interface SettleMemo { partition?: Partition }

/** How many as-of dates a part keeps (today and a few period ends looked at). */
const AS_OF_KEPT = 4
/** More rows changed than this in one form since the last call: the parts are rebuilt from every row. */
const PATCH_LIMIT = 200

/** An empty memo. */
export function settleMemo(): SettleMemo {
  return {}
}

/** What the last call did: parts in all, how many were settled again (the rest kept), whether the parts were rebuilt, and whether those settled were settled as the whole office in one pass. */
export interface SettleStats { parts: number; settled: number; rebuilt?: boolean; whole?: boolean }

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const passes = (source: number, row: ListRow) => { const states = SOURCES[source]![1]; return !states || states.includes(row.state) }

/**
 * The ids a row ties together, exactly as `receivables` follows them: a contract to its customer; a
 * delivery to its contract and its customer (its own, else its contract's, else none); money on a
 * contract to that contract, money on none to its customer. The first is the row's own place.
 */
function tiesOf(source: number, row: ListRow, ledger: ReadonlySet<string>): { customers: string[]; contracts: string[] } {
  const v = row.values
  if (source === 0) return { customers: [row.id], contracts: [] }
  if (source === 1) return { customers: [str(v.customer)], contracts: [row.id] }
  if (source === 2) {
    const contract = str(v.contract), c = str(v.customer)
    return { customers: c || !ledger.has(contract) ? [c] : [], contracts: [contract] }
  }
  const contract = str(v.contract)
  return contract ? { customers: [], contracts: [contract] } : { customers: [str(v.customer)], contracts: [] }
}

const newPart = (key: string): Part => ({ key, rows: [[], [], [], [], []], ranks: [[], [], [], [], []], customers: [], contracts: [], items: new Map() })

/** The parts of every row: union-find over integers, in tight loops (it runs over every row). */
function build(rows: (form: string) => readonly ListRow[]): Partition {
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
  const lists = SOURCES.map(([form]) => rows(form))
  const seen = lists.map((list) => list.slice())
  const ranks = lists.map((list) => Array.from({ length: list.length }, (_, i) => i))
  // Per row kept: its form, its place in its form's list and its node, in typed arrays sized once.
  const total = lists.reduce((n, list) => n + list.length, 0)
  const sources = new Uint8Array(total)
  const rankOf = new Int32Array(total)
  const nodes = new Int32Array(total)
  let picked = 0
  for (let source = 0; source < lists.length; source++) {
    const list = lists[source]!
    for (let i = 0; i < list.length; i++) {
      const row = list[i]!
      if (!passes(source, row)) continue
      const v = row.values
      let n: number
      if (source === 0) n = node(customers, row.id)
      else if (source === 1) { n = node(contracts, row.id); union(n, node(customers, str(v.customer))); ledger.add(row.id) }
      else if (source === 2) {
        const contract = str(v.contract), c = str(v.customer)
        n = node(contracts, contract)
        if (c || !ledger.has(contract)) union(n, node(customers, c))
      } else {
        const contract = str(v.contract)
        n = contract ? node(contracts, contract) : node(customers, str(v.customer))
      }
      sources[picked] = source; rankOf[picked] = i; nodes[picked] = n; picked++
    }
  }
  const byRoot: Array<Part | undefined> = new Array(parent.length)
  const parts = new Set<Part>()
  for (let k = 0; k < picked; k++) {
    const root = find(nodes[k]!)
    const source = sources[k]!, i = rankOf[k]!
    const row = lists[source]![i]!
    let part = byRoot[root]
    if (!part) { part = newPart(row.id); byRoot[root] = part; parts.add(part) }
    part.rows[source]!.push(row)
    part.ranks[source]!.push(i)
  }
  const customerPart = new Map<string, Part>()
  const contractPart = new Map<string, Part>()
  for (const [id, n] of customers) { const p = byRoot[find(n)]!; customerPart.set(id, p); p.customers.push(id) }
  for (const [id, n] of contracts) { const p = byRoot[find(n)]!; contractPart.set(id, p); p.contracts.push(id) }
  return { seen, ranks, parts, customerPart, contractPart, ledger }
}

/** The index at which `rank` goes in the ascending `ranks`. */
function insertAt(ranks: readonly number[], rank: number): number {
  let lo = 0, hi = ranks.length
  while (lo < hi) { const mid = (lo + hi) >> 1; if (ranks[mid]! < rank) lo = mid + 1; else hi = mid }
  return lo
}

/** `b` joined into `a`, each form's rows kept in the rows' order. */
function merge(p: Partition, a: Part, b: Part): void {
  for (let s = 0; s < SOURCES.length; s++) {
    const rows: ListRow[] = [], ranks: number[] = []
    const ar = a.rows[s]!, ak = a.ranks[s]!, br = b.rows[s]!, bk = b.ranks[s]!
    let i = 0, j = 0
    while (i < ar.length || j < br.length) {
      if (j >= br.length || (i < ar.length && ak[i]! < bk[j]!)) { rows.push(ar[i]!); ranks.push(ak[i++]!) } else { rows.push(br[j]!); ranks.push(bk[j++]!) }
    }
    a.rows[s] = rows; a.ranks[s] = ranks
  }
  for (const id of b.customers) { p.customerPart.set(id, a); a.customers.push(id) }
  for (const id of b.contracts) { p.contractPart.set(id, a); a.contracts.push(id) }
  a.items.clear()
  p.parts.delete(b)
}

/**
 * The partition brought up to `rows` from what changed since it was last seen: per form, the rows
 * between the first and the last difference (a document replaced, added or deleted). False when that
 * is too much, or when a contract left the 台帐 (a delivery with no customer may then belong
 * elsewhere): the caller rebuilds.
 */
function patch(p: Partition, rows: (form: string) => readonly ListRow[]): boolean {
  const removed: Array<[number, ListRow]> = []
  const added: Array<[number, ListRow, number]> = []
  const next: Array<[ListRow[], number[]]> = []
  for (let s = 0; s < SOURCES.length; s++) {
    const now = rows(SOURCES[s]![0]), was = p.seen[s]!, wasRank = p.ranks[s]!
    const min = Math.min(now.length, was.length)
    let head = 0
    while (head < min && now[head] === was[head]) head++
    let tail = 0
    while (tail < min - head && now[now.length - 1 - tail] === was[was.length - 1 - tail]) tail++
    const gone = was.length - tail - head, come = now.length - tail - head
    if (gone === 0 && come === 0) { next.push([was, wasRank]); continue }
    if (gone > PATCH_LIMIT || come > PATCH_LIMIT) return false
    for (let i = head; i < was.length - tail; i++) removed.push([s, was[i]!])
    // Order keys for the new rows: a replaced row keeps its place's; rows added go between their neighbours.
    const lo = head > 0 ? wasRank[head - 1]! : (wasRank[0] ?? 0) - 1
    const hi = tail > 0 ? wasRank[was.length - tail]! : Math.max(lo, wasRank[was.length - 1] ?? lo) + come + 1
    const keys: number[] = []
    for (let k = 0; k < come; k++) keys.push(come === gone ? wasRank[head + k]! : lo + ((hi - lo) * (k + 1)) / (come + 1))
    if (come && !(keys[0]! > lo && keys[come - 1]! < hi) && come !== gone) return false // order keys worn too fine
    for (let k = 0; k < come; k++) added.push([s, now[head + k]!, keys[k]!])
    next.push([now.slice(), [...wasRank.slice(0, head), ...keys, ...wasRank.slice(was.length - tail)]])
  }
  if (!removed.length && !added.length) return true
  // A contract leaving the 台帐: rebuild (its deliveries without a customer of their own now tie elsewhere).
  const stays = new Set(added.filter(([s, r]) => s === 1 && passes(1, r)).map(([, r]) => r.id))
  if (removed.some(([s, r]) => s === 1 && passes(1, r) && !stays.has(r.id))) return false
  for (const [s, row] of removed) {
    if (!passes(s, row)) continue
    const ties = tiesOf(s, row, p.ledger)
    const part = ties.contracts.length ? p.contractPart.get(ties.contracts[0]!) : p.customerPart.get(ties.customers[0]!)
    const at = part ? part.rows[s]!.indexOf(row) : -1
    if (!part || at < 0) return false
    part.rows[s]!.splice(at, 1); part.ranks[s]!.splice(at, 1)
    part.items.clear()
  }
  for (const [s, row] of added) if (s === 1 && passes(1, row)) p.ledger.add(row.id)
  for (const [s, row, rank] of added) {
    if (!passes(s, row)) continue
    const ties = tiesOf(s, row, p.ledger)
    let part: Part | undefined
    const join = (other: Part | undefined) => { if (!other || other === part) return; if (!part) part = other; else merge(p, part, other) }
    for (const id of ties.contracts) join(p.contractPart.get(id))
    for (const id of ties.customers) join(p.customerPart.get(id))
    if (!part) { part = newPart(row.id); p.parts.add(part) }
    const home = part
    for (const id of ties.contracts) if (!p.contractPart.has(id)) { p.contractPart.set(id, home); home.contracts.push(id) }
    for (const id of ties.customers) if (!p.customerPart.has(id)) { p.customerPart.set(id, home); home.customers.push(id) }
    const at = insertAt(home.ranks[s]!, rank)
    home.rows[s]!.splice(at, 0, row); home.ranks[s]!.splice(at, 0, rank)
    home.items.clear()
  }
  next.forEach(([seen, ranks], s) => { p.seen[s] = seen; p.ranks[s] = ranks })
  return true
}

function sameRows(a: Part, b: Part): boolean {
  for (let s = 0; s < a.rows.length; s++) {
    const x = a.rows[s]!, y = b.rows[s]!
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  }
  return true
}

/**
 * Every receivable item on `asOf` with what is still open, as `receivables` gives it for the same
 * rows (the same items and open amounts to the fen; parts follow one another), re-settling only the
 * parts whose rows changed since `memo` last saw them. Without a memo: everything settled.
 */
export function settledReceivables(rows: (form: string) => readonly ListRow[], asOf: string, memo?: SettleMemo, stats?: SettleStats): ReceivableItem[] {
  if (!memo) {
    if (stats) { stats.parts = 0; stats.settled = 0; stats.rebuilt = true; stats.whole = true }
    return receivables(wholeInput(rows), asOf)
  }
  let partition = memo.partition
  let rebuilt = false
  if (!partition || !patch(partition, rows)) {
    const fresh = build(rows)
    // Parts with the very same rows as before keep their items (found by their first row's id).
    if (partition) {
      const before = new Map([...partition.parts].map((p) => [p.key, p]))
      for (const part of fresh.parts) { const old = before.get(part.key); if (old && sameRows(old, part)) part.items = old.items }
    }
    partition = fresh
    rebuilt = true
    memo.partition = fresh
  }
  const missing: Part[] = []
  for (const part of partition.parts) if (!part.items.has(asOf)) missing.push(part)
  if (stats) { stats.parts = partition.parts.size; stats.settled = missing.length; stats.rebuilt = rebuilt; stats.whole = false }
  // Many parts to settle (the first open, another as-of date): the whole office in one pass over
  // the rows in their order, then its items handed to their parts; a part's are the very items it
  // would get alone (parts share no customer, contract or money), in the same order.
  if (missing.length > WHOLE_AT * partition.parts.size && split(partition, missing, receivablesByContract(wholeInput(rows), asOf), asOf)) {
    if (stats) stats.whole = true
    return gather(partition, asOf)
  }
  for (const part of missing) {
    // The digest's rows are what `receivables` reads (id, number, state, values): no copies made.
    const input: AgeingInput = { customers: part.rows[0]!, contracts: part.rows[1]!, deliveries: part.rows[2]!, payments: part.rows[3]!, adjustments: part.rows[4]! }
    keep(part, asOf, receivables(input, asOf))
  }
  return gather(partition, asOf)
}

/** Above this share of the parts to settle, the whole office is settled in one pass (rows read in order, not part by part). */
const WHOLE_AT = 0.25

/** What settling the whole office reads: every row (the contracts in the 台帐's states, as the parts hold them). */
function wholeInput(rows: (form: string) => readonly ListRow[]): AgeingInput {
  return { customers: rows('customer'), contracts: rows('contract').filter((r) => passes(1, r)), deliveries: rows('delivery'), payments: rows('payment'), adjustments: rows('adjustment') }
}

/** A part's items on `asOf`, the oldest as-of date forgotten beyond `AS_OF_KEPT`. */
function keep(part: Part, asOf: string, items: ReceivableItem[]): void {
  part.items.set(asOf, items)
  while (part.items.size > AS_OF_KEPT) part.items.delete(part.items.keys().next().value!)
}

/**
 * The whole office's items handed to the `missing` parts, in `receivables`' order (opening balances
 * by their customer, then contract by contract); false, and nothing kept, if one has no part (never expected).
 */
function split(p: Partition, missing: readonly Part[], all: SettledItems, asOf: string): boolean {
  const got = new Map<Part, ReceivableItem[]>()
  for (const part of missing) got.set(part, [])
  for (const i of all.openings) { const part = p.customerPart.get(i.id); if (!part) return false; got.get(part)?.push(i) }
  for (const [contract, items] of all.contracts) {
    const part = p.contractPart.get(contract)
    if (!part) return false
    const list = got.get(part)
    if (list) for (const i of items) list.push(i)
  }
  for (const [part, items] of got) keep(part, asOf, items)
  return true
}

/** Every part's items on `asOf`, part after part. */
function gather(p: Partition, asOf: string): ReceivableItem[] {
  const out: ReceivableItem[] = []
  for (const part of p.parts) for (const i of part.items.get(asOf)!) out.push(i)
  return out
}

// ---------- kept across restarts: the parts' ids and items, brought up to a few rows written since ----------

/**
 * The settled receivables in a form that outlives the session (data/kept-receivables.ts): each part's
 * customers, contracts and rows (by id) with its items on `asOf`, and the contracts in the 台帐.
 */
export interface SettledParts {
  asOf: string
  ledger: string[]
  parts: Array<{ customers: string[]; contracts: string[]; rows: string[]; items: ReceivableItem[]; held?: RowNow[] }>
}

/** What `memo` settled on `asOf`, part by part, each with the rows it was settled from (`held`); undefined when it has not settled that date. */
export function settledParts(memo: SettleMemo, asOf: string): SettledParts | undefined {
  const p = memo.partition
  if (!p) return undefined
  const parts: SettledParts['parts'] = []
  for (const part of p.parts) {
    const items = part.items.get(asOf)
    if (!items) return undefined
    const held = part.rows.flatMap((rs, source) => rs.map((r): RowNow => ({ source, row: r, updatedAt: r.updatedAt })))
    parts.push({ customers: part.customers.slice(), contracts: part.contracts.slice(), rows: held.map((r) => r.row!.id), items, held })
  }
  return { asOf, ledger: [...p.ledger], parts }
}

/**
 * A row of the five forms as it is now: its form's place in `RECEIVABLE_FORMS`, the row (none:
 * deleted or void) and when it was last changed (the lists' digest orders rows by it, then by id,
 * newest first: settling pays items due the same day in that order).
 */
export interface RowNow { source: number; row: AgeingDoc | undefined; updatedAt: string }

/** The lists' digest's order (list-query.ts `sortRows`, newest change first): by `updatedAt`, then by id, both descending. */
function digestOrder(a: RowNow, b: RowNow): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1
  const x = a.row!.id, y = b.row!.id
  return x < y ? 1 : x > y ? -1 : 0
}

/**
 * The items on `asOf` of what was kept, brought up to the rows written since: `changed` holds every
 * row of the five forms written since, as it is now. Only the parts a change touches are settled
 * again, from their rows as kept (`read`: the rows of those parts; a row not written since is the
 * same now) and the rows written since; the others keep their
 * items, the same as settling every row (parts share no customer, contract or money). Undefined, to
 * settle everything, when a contract left the 台帐 (a delivery with no customer of its own may then
 * belong elsewhere, as `patch` above rebuilds). The items of parts kept are as on `kept.asOf`: the
 * caller re-ages them (`reaged`) when both dates are on or after the records' last one.
 */
export async function patchSettled(
  kept: SettledParts, changed: ReadonlyMap<string, RowNow>, read: (parts: number[]) => Promise<RowNow[]>, asOf: string,
): Promise<{ items: ReceivableItem[]; kept: number; settled: number } | undefined> {
  const customerPart = new Map<string, number>()
  const contractPart = new Map<string, number>()
  const rowPart = new Map<string, number>()
  kept.parts.forEach((p, i) => {
    for (const id of p.customers) customerPart.set(id, i)
    for (const id of p.contracts) contractPart.set(id, i)
    for (const id of p.rows) rowPart.set(id, i)
  })
  const ledger = new Set(kept.ledger)
  for (const [id, now] of changed) {
    if (now.source !== 1) continue
    const stays = !!now.row && passes(1, now.row as ListRow)
    if (ledger.has(id) && !stays) return undefined
    if (stays) ledger.add(id)
  }
  const affected = new Set<number>()
  for (const [id, now] of changed) {
    const was = rowPart.get(id)
    if (was !== undefined) affected.add(was)
    if (!now.row || !passes(now.source, now.row as ListRow)) continue
    const ties = tiesOf(now.source, now.row as ListRow, ledger)
    for (const c of ties.contracts) { const p = contractPart.get(c); if (p !== undefined) affected.add(p) }
    for (const c of ties.customers) { const p = customerPart.get(c); if (p !== undefined) affected.add(p) }
  }
  // The affected parts' rows as kept (those not written since are so now), and the rows written since.
  const lists: RowNow[][] = SOURCES.map(() => [])
  const take = (r: RowNow | undefined) => { if (r?.row && passes(r.source, r.row as ListRow)) lists[r.source]!.push(r) }
  for (const r of await read([...affected])) if (r.row && !changed.has(r.row.id)) take(r)
  for (const r of changed.values()) take(r)
  // In the digest's order, as settling every row reads them.
  const ordered = lists.map((l) => l.sort(digestOrder).map((r) => r.row!))
  const input: AgeingInput = { customers: ordered[0]!, contracts: ordered[1]!, deliveries: ordered[2]!, payments: ordered[3]!, adjustments: ordered[4]! }
  const out: ReceivableItem[] = []
  kept.parts.forEach((p, i) => { if (!affected.has(i)) for (const item of p.items) out.push(item) })
  const settled = receivables(input, asOf)
  for (const item of settled) out.push(item)
  return { items: out, kept: kept.parts.length - affected.size, settled: affected.size }
}
