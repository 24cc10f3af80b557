/**
 * The office's receivables as last settled, kept across restarts (issue 10: 账龄分析 opened right
 * after a start within 1 s at 100,000 documents). Loading the five forms' list digests and settling
 * every customer again takes 1.4–1.6 s there; these items are one stored string.
 *
 * Kept only when they can be trusted later:
 * - with the `localSeq` stamp taken before the rows they were settled from were read: a document of
 *   the five forms stamped above it (this PC's write, another PC's change arriving by sync, a
 *   deletion's tombstone) means they are not the office's any more, and the caller settles afresh;
 * - settled on an as-of date on or after the last date any record they count is dated
 *   (`datedThrough`): on any later as-of date the same records count, so the items are served
 *   `reaged` to it (the next morning's start too); an earlier date settles afresh;
 * - with a signature of the settling's version and the five forms' void states and kept fields.
 * A row of `digests` (db.ts, local to this PC, never synced nor in a backup; a restore's wipe drops
 * it with the digests). A damaged or foreign one is dropped and settled afresh, without a message.
 */
import Dexie from 'dexie'
import { reaged, dayOf, type ReceivableItem } from '@forms/contract/contract.ageing'
import { LOCAL_SEQ_MARK, type DeskDb, type DigestPart } from './db'

/** The `digests` row holding the kept receivables (no form is named so). */
export const KEPT_RECEIVABLES: [string, number] = ['~receivables', 0]
/** Raised when the stored layout changes. */
const FORMAT = 1

/** What 账龄分析 shows: every receivable item, the customers' titles and the contracts' numbers. */
export interface SettledOffice {
  items: ReceivableItem[]
  titles: Map<string, string>
  contracts: Map<string, string>
}

/** Settled receivables to keep: `stamp` taken before their rows were read, settled on `asOf`, their records dated through `through`. */
export interface ReceivablesToKeep extends SettledOffice { stamp: number; asOf: string; through: number }

const KINDS = ['delivery', 'opening'] as const

function pack(k: ReceivablesToKeep): string {
  const items = k.items.map((i) => [KINDS.indexOf(i.kind), i.id, i.number, i.customer, i.contract, i.salesperson, i.date, i.due, i.amount, i.open])
  return JSON.stringify({ through: Number.isFinite(k.through) ? k.through : null, items, titles: [...k.titles], contracts: [...k.contracts] })
}

const isStr = (v: unknown): v is string => typeof v === 'string'
const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)
const isPairs = (v: unknown): v is Array<[string, string]> => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && isStr(p[0]) && isStr(p[1]))

/** The items kept (days and bucket still to count), or throws when the stored string is not what `pack` writes. */
function unpack(data: string): { through: number; office: SettledOffice } {
  const o: unknown = JSON.parse(data)
  if (!o || typeof o !== 'object') throw new Error('kept receivables: unreadable')
  const { through, items, titles, contracts } = o as Record<string, unknown>
  if (!(through === null || typeof through === 'number') || !Array.isArray(items) || !isPairs(titles) || !isPairs(contracts)) throw new Error('kept receivables: bad shape')
  const out: ReceivableItem[] = []
  for (const a of items) {
    if (!Array.isArray(a) || a.length !== 10) throw new Error('kept receivables: bad item')
    const [kind, id, number, customer, contract, salesperson, date, due, amount, open] = a as unknown[]
    if (!(kind === 0 || kind === 1) || ![id, number, customer, contract, salesperson, date, due].every(isStr) || !isFen(amount) || !isFen(open)) throw new Error('kept receivables: bad item')
    // days and bucket: counted by `reaged` for the as-of date asked.
    out.push({ kind: KINDS[kind], id: id as string, number: number as string, customer: customer as string, contract: contract as string, salesperson: salesperson as string, date: date as string, due: due as string, amount, open, days: 0, bucket: 'current' })
  }
  return { through: through ?? -Infinity, office: { items: out, titles: new Map(titles), contracts: new Map(contracts) } }
}

/**
 * Keeps `k` in place of what was kept, unless it cannot be trusted later (settled before its records'
 * last date). Raises the stamp mark as a kept digest does, so no later write gets a stamp at or below it.
 */
export async function keepReceivables(db: DeskDb, sig: string, k: ReceivablesToKeep): Promise<boolean> {
  if (!(dayOf(k.asOf) >= k.through)) return false
  const data = pack(k)
  await db.transaction('rw', db.digests, async () => {
    await db.digests.put({ form: KEPT_RECEIVABLES[0], part: KEPT_RECEIVABLES[1], format: FORMAT, sig, stamp: k.stamp, data })
    const mark = await db.digests.get(LOCAL_SEQ_MARK)
    if ((mark?.stamp ?? 0) < k.stamp) await db.digests.put({ form: LOCAL_SEQ_MARK[0], part: LOCAL_SEQ_MARK[1], stamp: k.stamp })
  })
  return true
}

/**
 * The receivables kept, as on `asOf`, when they are still the office's: same signature, nothing of
 * `forms` written since their stamp, `asOf` on or after their records' last date. Otherwise undefined
 * (settle afresh); a damaged row is dropped first.
 */
export async function loadReceivables(db: DeskDb, sig: string, forms: readonly string[], asOf: string): Promise<(SettledOffice & { stamp: number }) | undefined> {
  const head: DigestPart | undefined = await db.digests.get(KEPT_RECEIVABLES)
  if (!head || head.format !== FORMAT || head.sig !== sig || typeof head.stamp !== 'number' || typeof head.data !== 'string') return undefined
  const stamp = head.stamp
  for (const form of forms) {
    const since = await db.docs.where('[form+localSeq]').between([form, stamp], [form, Dexie.maxKey], false, true).limit(1).primaryKeys()
    if (since.length) return undefined
  }
  let kept: ReturnType<typeof unpack>
  try {
    kept = unpack(head.data)
  } catch {
    await db.digests.delete(KEPT_RECEIVABLES).catch(() => undefined)
    return undefined
  }
  if (!(dayOf(asOf) >= kept.through)) return undefined
  return { ...kept.office, items: reaged(kept.office.items, asOf), stamp }
}

/** After settling, the items are kept this long later (a few dates looked at in a row write once). */
const KEEP_DELAY_MS = 5000

/** Keeps the office's settled receivables for the next start: loads them, takes new ones, writes them a little later. */
export interface ReceivablesKeeper {
  /** The kept receivables as on `asOf`, if still the office's (see `loadReceivables`). */
  load(asOf: string): Promise<SettledOffice | undefined>
  /** Settled receivables to keep 5 s from now (replacing any offered before; not kept if they cannot be trusted later). */
  offer(k: ReceivablesToKeep): void
  /** Keeps what was offered, now. */
  flush(): Promise<void>
}

/** The keeper of a database; `sig` names the settling's version and the forms' definitions it reads. */
export function createReceivablesKeeper(db: DeskDb, sig: string, forms: readonly string[]): ReceivablesKeeper {
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
      const kept = await loadReceivables(db, sig, forms, asOf)
      if (kept) keptStamp = kept.stamp
      return kept && { items: kept.items, titles: kept.titles, contracts: kept.contracts }
    },
    offer(k) {
      if (k.stamp === keptStamp || !(dayOf(k.asOf) >= k.through)) return
      offered = k
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => { timer = undefined; void flush() }, KEEP_DELAY_MS)
      ;(timer as { unref?: () => void }).unref?.()
    },
    flush,
  }
}
