/**
 * Browser side of bench/lists.bench.ts (issue 10): the office of bench/lib/search-page.ts (its
 * `open`, `seed`, `close`), with states and 业务员 spread over the quotations, and timings of
 * `DocumentStore.list` exactly as FormList.vue calls it: words, filters and sort in one `ListQuery`.
 */
import type { ListQuery } from '@core/list-query'
import { DEMO_IDS, openDataLayer, type DataLayer } from '@app/data/index'
import { HUAXING } from './search-page'

export { close as closeSeeder, open as openSeeder, seed, HUAXING } from './search-page'

let layer: DataLayer | undefined
const L = (): DataLayer => {
  if (!layer) throw new Error('start() first')
  return layer
}

/** The states and 业务员 the seed spreads over the quotations (one in four of each). */
export const VARY = {
  states: ['draft', 'pending', 'approved', 'sent'],
  salespeople: [DEMO_IDS.users.liQiang, DEMO_IDS.users.wangHaiyan, DEMO_IDS.users.zhaoLei, DEMO_IDS.users.chenZhiyuan],
}

export interface StartResult {
  openMs: number; firstScreenMs: number; rows: number; total: number
  /** IndexedDB's own open of the profile's database (a bare `indexedDB.open`, no Dexie), cold. */
  idbOpenMs: number
  /** `openDataLayer` after it (Dexie's open and our stores, IndexedDB's backing store already open). */
  layerMs: number
  /** What the router's guard awaits before any screen (`session.load`: office, directory, settings). */
  sessionMs: number
  /** The list's own part: 20 rows with the count, and their customers' names. */
  listMs: number
}

/** A bare IndexedDB open of an existing database (no upgrade), resolved with the connection. */
function idbOpen(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('indexedDB.open failed'))
  })
}

/**
 * An app start on a seeded profile, as the list page sees it: open the database, then the first
 * screen of the 报价单 list (20 rows newest first with the count, and each customer's name for
 * the page, as FormList's reload reads them). The digest is not built yet. The open is split:
 * IndexedDB's own (a bare open, kept open until the data layer has its connection), then the data
 * layer, then the session's directory reads the router waits for, then the list.
 */
export async function start(name = 'marketdesk'): Promise<StartResult> {
  const t0 = performance.now()
  const bare = await idbOpen(name)
  const tIdb = performance.now()
  layer = await openDataLayer({ name })
  bare.close()
  const t1 = performance.now()
  const { documents, directory } = layer
  await Promise.all([directory.office(), directory.users(), directory.proxies(), directory.settings(), directory.officeSettings()])
  const tSession = performance.now()
  const res = await documents.list('quotation', { limit: 20, offset: 0 })
  // Each customer's name for the page, read together (as FormList's reload reads them since 2026-12-01).
  const ids = new Set(res.rows.map((d) => d.values.customer).filter((id): id is string => typeof id === 'string'))
  await Promise.all([...ids].map((id) => documents.get('customer', id)))
  const t2 = performance.now()
  return {
    openMs: t1 - t0, firstScreenMs: t2 - t0, rows: res.rows.length, total: res.total,
    idbOpenMs: tIdb - t0, layerMs: t1 - tIdb, sessionMs: tSession - t1, listMs: t2 - tSession,
  }
}

/** The id of a customer by its full name (through the list's own search). */
export async function customerId(fullName: string = HUAXING): Promise<string> {
  const res = await L().documents.list('customer', { text: fullName, limit: 5 })
  const hit = res.rows.find((r) => r.values.fullName === fullName)
  if (!hit) throw new Error(`no customer ${fullName}`)
  return hit.id
}

export interface TimedQuery { times: number[]; total: number; rows: number; first?: string }

/** Times `documents.list('quotation', { ...query, limit: 20 })` `reps` times in a row. */
export async function timeQuery(query: ListQuery, reps: number, limit = 20): Promise<TimedQuery> {
  const { documents } = L()
  const times: number[] = []
  let total = 0, rows = 0
  let first: string | undefined
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    const res = await documents.list('quotation', { ...query, limit, offset: 0 })
    times.push(performance.now() - t0)
    total = res.total
    rows = res.rows.length
    first = res.rows[0]?.number
  }
  return { times, total, rows, first }
}

/**
 * Times `documents.list('quotation', { ...query, limit: 20 })` `reps` times, each after an untimed
 * `between` query: no query follows itself, so none is answered by narrowing the one before (the
 * full scan every time; the words' matches per customer stay remembered until a write, as in use).
 */
export async function timeQueryAfter(query: ListQuery, between: ListQuery, reps: number, limit = 20): Promise<TimedQuery> {
  const { documents } = L()
  const times: number[] = []
  let total = 0, rows = 0
  for (let i = 0; i < reps; i++) {
    await documents.list('quotation', { ...between, limit, offset: 0 })
    const t0 = performance.now()
    const res = await documents.list('quotation', { ...query, limit, offset: 0 })
    times.push(performance.now() - t0)
    total = res.total
    rows = res.rows.length
  }
  return { times, total, rows }
}

/**
 * A clerk typing ahead: `texts` (美, 美达, 美达电) searched in sequence, `reps` times over, each
 * sequence after an untimed `between` query. Per step: the times and the last total.
 */
export async function timeTyping(texts: string[], between: ListQuery, reps: number, limit = 20): Promise<TimedQuery[]> {
  const { documents } = L()
  const out: TimedQuery[] = texts.map(() => ({ times: [], total: 0, rows: 0 }))
  for (let i = 0; i < reps; i++) {
    await documents.list('quotation', { ...between, limit, offset: 0 })
    for (const [k, text] of texts.entries()) {
      const t0 = performance.now()
      const res = await documents.list('quotation', { text, limit, offset: 0 })
      out[k]!.times.push(performance.now() - t0)
      out[k]!.total = res.total
      out[k]!.rows = res.rows.length
    }
  }
  return out
}

/** Waits until the quotation list's digest is built (a search that needs it, reading no document): ms waited. */
export async function waitForDigest(): Promise<number> {
  const t0 = performance.now()
  await L().documents.listAll('quotation', { text: 'qqqzz-none' })
  return performance.now() - t0
}

/** Times `listAll` (what an Excel export reads): every matching document, in the list's order. */
export async function timeListAll(query: ListQuery): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now()
  const rows = await L().documents.listAll('quotation', query)
  return { ms: performance.now() - t0, rows: rows.length }
}

/** Longest main-thread task seen since `watchLongTasks` (ms), e.g. during the digest's build. */
export function watchLongTasks(): () => number {
  let longest = 0
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration) })
  obs.observe({ type: 'longtask', buffered: false })
  return () => { obs.disconnect(); return longest }
}

export interface KeepResult { ms: number; longTask: number; parts: number; chars: number }

/**
 * Keeps the lists' digests on disk now (the app does it 5 s after a change): time, the longest
 * main-thread task meanwhile (0: none over 50 ms), and what was stored (parts, JSON characters).
 */
export async function keepDigests(): Promise<KeepResult> {
  const { documents, db } = L()
  const stop = watchLongTasks()
  const t0 = performance.now()
  await documents.saveListDigests()
  const ms = performance.now() - t0
  const longTask = stop()
  let parts = 0, chars = 0
  await db.digests.each((p) => { if (p.data) { parts++; chars += p.data.length } })
  return { ms, longTask, parts, chars }
}

export interface FirstSearch { ms: number; total: number; digestMs: number; digestTotal: number; longTask: number; longTaskTyped: number }

/**
 * The first search after a start: `美达` as typed (answered from the digest if it is ready within
 * the list's one-second wait, else from the word-start index), then the same with a sort, which
 * waits for the digest: both times from the first call. `longTask` as in `keepDigests`.
 */
export async function firstSearch(): Promise<FirstSearch> {
  const stop = watchLongTasks()
  const stopTyped = watchLongTasks()
  const t0 = performance.now()
  const plain = await timeQuery({ text: '美达' }, 1)
  const ms = performance.now() - t0
  const longTaskTyped = stopTyped()
  const digest = await timeQuery({ text: '美达', sort: { key: 'updatedAt', dir: 'desc' } }, 1)
  return { ms, total: plain.total, digestMs: performance.now() - t0, digestTotal: digest.total, longTask: stop(), longTaskTyped }
}

/** Rewrites the `n` newest quotations as they are (a sync import touching them): they get new stamps to catch up. */
export async function touch(n: number): Promise<number> {
  const { db } = L()
  const rows = await db.docs.where('[form+updatedAt]').between(['quotation', ''], ['quotation', '\uffff']).reverse().limit(n).toArray()
  await db.transaction('rw', db.docs, async () => { await db.docs.bulkPut(rows) })
  return rows.length
}

/** Drops the kept digests (the first search then builds, as before they were kept). */
export async function dropDigests(): Promise<void> {
  await L().db.digests.clear()
}

export function stop(): void {
  layer?.db.close()
  layer = undefined
}
