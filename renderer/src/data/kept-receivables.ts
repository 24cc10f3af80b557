/**
 * The office's receivables as last settled, kept across restarts (issue 10: 账龄分析 opened right
 * after a start within 1 s at 100,000 documents). Loading the five forms' list digests and settling
 * every customer again takes 1.4–1.6 s there.
 *
 * Kept only when they can be trusted later:
 * - with the `localSeq` stamp taken before the rows they were settled from were read: a document of
 *   the five forms stamped above it (this PC's write, another PC's change arriving by sync, a
 *   deletion's tombstone) is brought in, up to 500 of them; more, or a contract that left the 台帐,
 *   and the caller settles afresh;
 * - settled on an as-of date on or after the last date any record they count is dated
 *   (`datedThrough`): on any later as-of date the same records count, so the items are served
 *   `reaged` to it (the next morning's start too); an earlier date settles afresh;
 * - with a signature of the settling's version and the five forms' void states and kept fields.
 * Kept part by part (core/dashboard/settled.ts `SettledParts`): one row of `digests` holds every
 * part's items and the ids of what it was settled from; one more row per part holds those rows'
 * values, read only when a document written since touches that part. So documents of the five forms
 * written since the stamp (this PC's writes, other PCs' arriving by sync, deletions) do not make the
 * whole office settle again: only the parts they touch are (`patchSettled`).
 * Rows of `digests` (db.ts, local to this PC, never synced nor in a backup; a restore's wipe drops
 * them with the digests). A damaged or foreign one is dropped and settled afresh, without a message.
 */
import Dexie from 'dexie'
import { datedThrough, reaged, dayOf, type AgeingDoc, type ReceivableItem } from '@forms/contract/contract.ageing'
import { patchSettled, RECEIVABLE_FORMS, type RowNow, type SettledParts } from '@core/dashboard/settled'
import { DASHBOARD_FIELDS } from '@core/dashboard/charts'
import { LOCAL_SEQ_MARK, type DeskDb, type DigestPart, type StoredDoc } from './db'

/** The `digests` row holding the kept receivables (no form is named so). */
export const KEPT_RECEIVABLES: [string, number] = ['~receivables', 0]
/** Raised when the stored layout changes. */
const FORMAT = 3
/** More documents of the five forms written since than this: everything is settled afresh (a sync of a busy week). */
const PATCH_LIMIT = 500

/** What 账龄分析 shows: every receivable item, the customers' titles and the contracts' numbers. */
export interface SettledOffice {
  items: ReceivableItem[]
  titles: Map<string, string>
  contracts: Map<string, string>
}

/** Settled receivables to keep: `stamp` taken before their rows were read, settled part by part on `parts.asOf`, their records dated through `through`. */
export interface ReceivablesToKeep { stamp: number; through: number; parts: SettledParts; titles: Map<string, string>; contracts: Map<string, string> }

/** How the documents read since are seen: their row as settling reads it (none when void), and a customer's title. */
export interface KeptReading {
  rowOf(doc: StoredDoc): AgeingDoc | undefined
  titleOf(doc: StoredDoc): string
}

const KINDS = ['delivery', 'opening'] as const

function pack(k: ReceivablesToKeep): string {
  const parts = k.parts.parts.map((p) => [p.customers, p.contracts, p.rows,
    p.items.map((i) => [KINDS.indexOf(i.kind), i.id, i.number, i.customer, i.contract, i.salesperson, i.date, i.due, i.amount, i.open])])
  return JSON.stringify({ through: Number.isFinite(k.through) ? k.through : null, asOf: k.parts.asOf, ledger: k.parts.ledger, parts, titles: [...k.titles], contracts: [...k.contracts] })
}

/** The values settling reads of a row of each form (the lists' digest keeps them: `DASHBOARD_FIELDS`). */
const FIELDS = RECEIVABLE_FORMS.map((f) => DASHBOARD_FIELDS[f] ?? [])

/** A part's rows as compact arrays `[source, id, number, state, updatedAt, ...values]` (stored apart: read only when a write touches the part). */
function packRows(rows: readonly RowNow[]): string {
  return JSON.stringify(rows.map((r) => [r.source, r.row!.id, r.row!.number, r.row!.state, r.updatedAt, ...FIELDS[r.source]!.map((k) => r.row!.values[k] ?? null)]))
}

function unpackRows(data: unknown): RowNow[] {
  if (typeof data !== 'string') throw new Error('kept receivables: part missing')
  const rows: unknown = JSON.parse(data)
  if (!Array.isArray(rows)) throw new Error('kept receivables: bad part rows')
  return rows.map((a: unknown) => {
    const source = Array.isArray(a) ? a[0] : undefined
    const keys = typeof source === 'number' ? FIELDS[source] : undefined
    if (!keys || !Array.isArray(a) || a.length !== 5 + keys.length || ![a[1], a[2], a[3], a[4]].every(isStr)) throw new Error('kept receivables: bad row')
    const values: AgeingDoc['values'] = {}
    keys.forEach((k, i) => { const v = a[5 + i] as AgeingDoc['values'][string]; if (v !== null && v !== undefined) values[k] = v })
    return { source: source as number, row: { id: a[1] as string, number: a[2] as string, state: a[3] as string, values }, updatedAt: a[4] as string }
  })
}

const isStr = (v: unknown): v is string => typeof v === 'string'
const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)
const isStrs = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr)
const isPairs = (v: unknown): v is Array<[string, string]> => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && isStr(p[0]) && isStr(p[1]))

function unpackItem(a: unknown): ReceivableItem {
  if (!Array.isArray(a) || a.length !== 10) throw new Error('kept receivables: bad item')
  const [kind, id, number, customer, contract, salesperson, date, due, amount, open] = a as unknown[]
  if (!(kind === 0 || kind === 1) || ![id, number, customer, contract, salesperson, date, due].every(isStr) || !isFen(amount) || !isFen(open)) throw new Error('kept receivables: bad item')
  // days and bucket: counted by `reaged` for the as-of date asked.
  return { kind: KINDS[kind], id: id as string, number: number as string, customer: customer as string, contract: contract as string, salesperson: salesperson as string, date: date as string, due: due as string, amount, open, days: 0, bucket: 'current' }
}

/** The parts kept (their items' days and bucket still to count), or throws when the stored string is not what `pack` writes. */
function unpack(data: string): { through: number; parts: SettledParts; titles: Map<string, string>; contracts: Map<string, string> } {
  const o: unknown = JSON.parse(data)
  if (!o || typeof o !== 'object') throw new Error('kept receivables: unreadable')
  const { through, asOf, ledger, parts, titles, contracts } = o as Record<string, unknown>
  if (!(through === null || typeof through === 'number') || !isStr(asOf) || !isStrs(ledger) || !Array.isArray(parts) || !isPairs(titles) || !isPairs(contracts)) throw new Error('kept receivables: bad shape')
  const out: SettledParts['parts'] = parts.map((p: unknown) => {
    if (!Array.isArray(p) || p.length !== 4 || !isStrs(p[0]) || !isStrs(p[1]) || !isStrs(p[2]) || !Array.isArray(p[3])) throw new Error('kept receivables: bad part')
    return { customers: p[0], contracts: p[1], rows: p[2], items: (p[3] as unknown[]).map(unpackItem) }
  })
  return { through: through ?? -Infinity, parts: { asOf, ledger, parts: out }, titles: new Map(titles), contracts: new Map(contracts) }
}

/** Drops what is kept (damaged: not read again). */
async function dropKept(db: DeskDb): Promise<void> {
  await db.digests.where('[form+part]').between([KEPT_RECEIVABLES[0], 0], [KEPT_RECEIVABLES[0], Infinity]).delete().catch(() => undefined)
}

/**
 * Keeps `k` in place of what was kept, unless it cannot be trusted later (settled before its records'
 * last date). Raises the stamp mark as a kept digest does, so no later write gets a stamp at or below it.
 */
export async function keepReceivables(db: DeskDb, sig: string, k: ReceivablesToKeep): Promise<boolean> {
  if (!(dayOf(k.parts.asOf) >= k.through) || k.parts.parts.some((p) => !p.held)) return false
  const data = pack(k)
  const rows = k.parts.parts.map((p) => packRows(p.held!))
  await db.transaction('rw', db.digests, async () => {
    await db.digests.where('[form+part]').between([KEPT_RECEIVABLES[0], 0], [KEPT_RECEIVABLES[0], Infinity]).delete()
    await db.digests.put({ form: KEPT_RECEIVABLES[0], part: KEPT_RECEIVABLES[1], format: FORMAT, sig, stamp: k.stamp, data })
    for (let i = 0; i < rows.length; i++) await db.digests.put({ form: KEPT_RECEIVABLES[0], part: i + 1, data: rows[i]! })
    const mark = await db.digests.get(LOCAL_SEQ_MARK)
    if ((mark?.stamp ?? 0) < k.stamp) await db.digests.put({ form: LOCAL_SEQ_MARK[0], part: LOCAL_SEQ_MARK[1], stamp: k.stamp })
  })
  return true
}

/**
 * The receivables kept, as on `asOf`, brought up to the documents of the five forms written since
 * their stamp (this PC's writes, other PCs' arriving by sync, deletions): only the customers those
 * touch are settled again (`patchSettled`). Undefined (settle afresh) when the signature differs,
 * more than `PATCH_LIMIT` were written, a contract left the 台帐, or `asOf` is before the last date a
 * counted record carries; a damaged row is dropped first.
 */
export async function loadReceivables(db: DeskDb, sig: string, reading: KeptReading, asOf: string): Promise<(SettledOffice & { stamp: number; patched: number }) | undefined> {
  const head: DigestPart | undefined = await db.digests.get(KEPT_RECEIVABLES)
  if (!head || head.format !== FORMAT || head.sig !== sig || typeof head.stamp !== 'number' || typeof head.data !== 'string') return undefined
  const stamp = head.stamp
  const written: StoredDoc[] = []
  for (const form of RECEIVABLE_FORMS) {
    written.push(...await db.docs.where('[form+localSeq]').between([form, stamp], [form, Dexie.maxKey], false, true).limit(PATCH_LIMIT + 1).toArray())
    if (written.length > PATCH_LIMIT) return undefined
  }
  let kept: ReturnType<typeof unpack>
  try {
    kept = unpack(head.data)
  } catch {
    await dropKept(db)
    return undefined
  }
  const day = dayOf(asOf)
  if (!(day >= kept.through) || !(dayOf(kept.parts.asOf) >= kept.through)) return undefined
  let items: ReceivableItem[]
  if (!written.length) {
    items = kept.parts.parts.flatMap((p) => p.items)
  } else {
    const now = (doc: StoredDoc | undefined): RowNow | undefined => {
      const source = doc ? RECEIVABLE_FORMS.indexOf(doc.form) : -1
      return doc && source >= 0 ? { source, row: doc.deleted ? undefined : reading.rowOf(doc), updatedAt: doc.updatedAt } : undefined
    }
    const changed = new Map<string, RowNow>()
    for (const doc of written) changed.set(doc.id, now(doc)!)
    // What was written since may carry a later date than the kept ones: on an earlier as-of date, settle afresh.
    const rows = (source: number) => [...changed.values()].flatMap((r) => (r.source === source && r.row ? [r.row] : []))
    if (!(day >= datedThrough({ customers: rows(0), contracts: [], deliveries: rows(2), payments: rows(3), adjustments: rows(4) }))) return undefined
    let patched: Awaited<ReturnType<typeof patchSettled>>
    try {
      // The touched parts' rows as kept, each part one stored string.
      patched = await patchSettled(kept.parts, changed, async (parts) => {
        const stored = await db.digests.bulkGet(parts.map((i): [string, number] => [KEPT_RECEIVABLES[0], i + 1]))
        return stored.flatMap((p) => unpackRows(p?.data))
      }, asOf)
    } catch {
      await dropKept(db)
      return undefined
    }
    if (!patched) return undefined
    items = patched.items
    for (const doc of written) {
      const alive = !doc.deleted && reading.rowOf(doc)
      if (doc.form === 'customer') { if (alive) kept.titles.set(doc.id, reading.titleOf(doc)); else kept.titles.delete(doc.id) }
      if (doc.form === 'contract') { if (alive) kept.contracts.set(doc.id, doc.number); else kept.contracts.delete(doc.id) }
    }
  }
  return { items: reaged(items, asOf), titles: kept.titles, contracts: kept.contracts, stamp, patched: written.length }
}

/** After settling, the items are kept this long later (a few dates looked at in a row write once). */
const KEEP_DELAY_MS = 5000

/** Keeps the office's settled receivables for the next start: loads them, takes new ones, writes them a little later. */
export interface ReceivablesKeeper {
  /** The kept receivables as on `asOf`, brought up to what was written since (`patched`: how many documents), or undefined (see `loadReceivables`). */
  load(asOf: string): Promise<(SettledOffice & { patched: number }) | undefined>
  /** Settled receivables to keep 5 s from now (replacing any offered before; not kept if they cannot be trusted later). */
  offer(k: ReceivablesToKeep): void
  /** Keeps what was offered, now. */
  flush(): Promise<void>
}

/** The keeper of a database; `sig` names the settling's version and the forms' definitions it reads. */
export function createReceivablesKeeper(db: DeskDb, sig: string, reading: KeptReading): ReceivablesKeeper {
  let offered: ReceivablesToKeep | undefined
  /** The stamp of what is kept now (offers settled from the same rows are not written again). */
  let keptStamp: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let writing: Promise<void> = Promise.resolve()

  async function flush(): Promise<void> {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined }
    const k = offered
    offered = undefined
    if (k) writing = writing.then(async () => { if (await keepReceivables(db, sig, k).catch(() => false)) keptStamp = k.stamp })
    await writing
  }

  if (typeof window !== 'undefined') window.addEventListener('pagehide', () => { void flush() })

  return {
    async load(asOf) {
      const kept = await loadReceivables(db, sig, reading, asOf)
      // Brought up to writes since: what is kept is older than what settling now would offer.
      if (kept) keptStamp = kept.patched ? undefined : kept.stamp
      return kept && { items: kept.items, titles: kept.titles, contracts: kept.contracts, patched: kept.patched }
    },
    offer(k) {
      if (k.stamp === keptStamp || !(dayOf(k.parts.asOf) >= k.through)) return
      offered = k
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => { timer = undefined; void flush() }, KEEP_DELAY_MS)
      ;(timer as { unref?: () => void }).unref?.()
    },
    flush,
  }
}
