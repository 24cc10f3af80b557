/**
 * The lists' digest (issue 10): per form, the few values a list searches, filters and sorts on,
 * for every live document, held in memory. A query (substring search, filters, sort) then runs over
 * the digest in a few milliseconds and only the page shown is read from IndexedDB.
 *
 * Why in memory and not an index: substring matching ("美达" inside 佛山市美达电器) and sorting
 * across every match by any column cannot be answered by IndexedDB's prefix ranges without reading
 * every matching record; 100,000 small rows take a few megabytes here.
 *
 * In step with every write: `db.docWrites` (db.ts, a DBCore middleware) names the documents each
 * write touches, whoever writes (the stores, a sync import from another PC, conflict resolution, a
 * restore); they are re-read before the next query. A reference's names (the customer of a
 * quotation) are read from the referenced form's digest at query time, so renaming a customer is
 * found at once on every quotation. Built on first use per form, in chunks (no long task).
 *
 * Kept across restarts (digest-store.ts): a form's digest is saved 5 s after it last changed (at
 * most once a minute, and when the page is hidden) with the `localSeq` stamp it was taken at (db.ts:
 * every document row put gets the next stamp). At the first use after a start the kept digest is
 * loaded and only the rows stamped above it are read (`[form+localSeq]`): this PC's writes, sync
 * imports of other PCs' changes, deletions (a tombstone is a put). A changed form definition (kept
 * keys, void states), an unknown format or a damaged kept digest builds from the documents as before.
 */
import type { DocRecord } from '@core/model'
import type { FormDef } from '@forms/schema/types'
import {
  compileText, createListSearch, listFacets, listTerms, passesFilters, sortRows,
  type CompiledText, type ListSearch, type ListFacets, type ListQuery, type ListRow, type ListSort, type RowTexts,
} from '@core/list-query'
import { voidStates } from '@core/workflow'
import type { DeskDb, StoredDoc } from './db'
import { dropDigest, loadDigest, saveDigest, yieldTask, type KeptDigest } from './digest-store'

/** Rows read per transaction while building (each chunk is a short task). */
const CHUNK = 1000
const DEFAULT_SORT: ListSort = { key: 'updatedAt', dir: 'desc' }
/** A changed digest is kept this long after its last change… */
const SAVE_DELAY_MS = 5000
/** …and at most this often (a save writes every row of the form; catching up a minute's writes at the next start costs little). */
const SAVE_GAP_MS = 60_000

interface DigestRow extends ListRow {
  lower: string
  /** The row's searched values besides the number, joined: rows sharing it share their texts. */
  sig: string
}

interface FormDigest {
  def: FormDef
  facets: ListFacets
  keys: string[]
  /** The searched keys besides the number (and the title or its reference): what `sig` joins. */
  sigKeys: string[]
  rows: Map<string, DigestRow>
  /** Written since last applied (filled from the moment the digest is created, before its build). */
  pending: Set<string>
  reset: boolean
  built: Promise<void>
  /** `built` has settled successfully. */
  done: boolean
  /** Orders computed on the rows as they are now, by sort key. */
  sorted: Map<string, DigestRow[]>
  /** What a kept digest must match to be loaded: the kept keys and the void states. */
  keptSig: string
  /** Loading, building or applying writes: no snapshot is taken meanwhile. */
  busy: number
  /** The last application of written rows still running (each waits for the one before it). */
  applying: Promise<void> | undefined
  /** Rows changed since the digest was last kept (0: the kept one is current). */
  unsaved: number
  savedAt: number
  saving: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}

export interface ListDigest {
  /** The rows matching `query`, in its order (every match, no paging). */
  query(form: string, query: ListQuery): Promise<ListRow[]>
  /** Starts building a form's digest (and its title reference's) without waiting for it. */
  warm(form: string): void
  /**
   * Whether a query of `form` can be answered from the digest within `ms`: builds it (and its title
   * reference's) if needed and waits at most `ms` for that (0: says whether it is built already).
   */
  builtWithin(form: string, ms: number): Promise<boolean>
  /** Keeps every digest that changed since it was last kept, now (otherwise 5 s after a change). */
  keep(): Promise<void>
}

/**
 * Creates the digest of a database; it listens to `db.docWrites` for as long as the database lives.
 * `extraKeys`: values kept per form beyond what its list reads (the start page's figures read
 * 信用期, 期初余额, the amount of a payment …, core/dashboard). `gate`: awaited before a form's digest is
 * loaded or built (a test holds it to see a search answered while the digest is not ready).
 */
export function createListDigest(
  db: DeskDb,
  forms: (id: string) => FormDef,
  extraKeys: (form: string) => readonly string[] = () => [],
  gate: (form: string) => Promise<void> = () => Promise.resolve(),
): ListDigest {
  const digests = new Map<string, FormDigest>()
  /** Bumped when any digest changes: orders depending on another form's titles are recomputed. */
  let generation = 0
  let sortedAt = 0
  /** Each form's search memory (`ListSearch`: signatures matched per word, the last query's rows), kept per generation. */
  const searches = new WeakMap<FormDigest, ListSearch>()

  db.docWrites.add((ids) => {
    for (const d of digests.values()) {
      if (ids === null) d.reset = true
      else for (const id of ids) d.pending.add(id)
    }
  })

  const compiledMemo = new Map<string, CompiledText>()
  const compiled = (text: string): CompiledText => {
    let c = compiledMemo.get(text)
    if (!c) {
      if (compiledMemo.size > 200_000) compiledMemo.clear()
      c = compileText(text)
      compiledMemo.set(text, c)
    }
    return c
  }

  function keysOf(def: FormDef, facets: ListFacets): string[] {
    const keys = new Set<string>([...def.list.columns, ...def.list.search, def.titleField])
    if (facets.dateIsField) keys.add(facets.date)
    if (facets.user) keys.add(facets.user)
    for (const k of extraKeys(def.id)) keys.add(k)
    keys.delete('number')
    return [...keys]
  }

  function rowOf(d: FormDigest, doc: StoredDoc | undefined, voids: Set<string>): DigestRow | undefined {
    if (!doc || doc.deleted || doc.form !== d.def.id || voids.has(doc.state)) return undefined
    const values: DigestRow['values'] = {}
    for (const k of d.keys) { const v = doc.values?.[k]; if (v !== undefined && v !== null) values[k] = v }
    return derived(d, { id: doc.id, number: doc.number, state: doc.state, createdAt: doc.createdAt, updatedAt: doc.updatedAt, values })
  }

  /** A row with what the query derives from it (a kept digest stores only the row). */
  function derived(d: FormDigest, row: ListRow): DigestRow {
    let sig = ''
    d.sigKeys.forEach((k, i) => { sig += (i ? '\u0001' : '') + String(row.values[k] ?? '') })
    // One literal of a fixed shape (a spread costs a second copy of each of 100,000 rows at a start).
    return { id: row.id, number: row.number, state: row.state, createdAt: row.createdAt, updatedAt: row.updatedAt, values: row.values, lower: row.number.toLowerCase(), sig }
  }

  /**
   * The digest at its first use: the kept one and the rows written since it was taken, or, when
   * none fits (or it is damaged: no message, the clerk only waits as before), built from every row.
   */
  async function start(d: FormDigest): Promise<void> {
    d.busy++
    try {
      await gate(d.def.id)
      let kept: KeptDigest | undefined
      try {
        kept = await loadDigest(db, d.def.id, d.keptSig, d.keys, (row) => { d.rows.set(row.id, derived(d, row)) })
      } catch {
        kept = undefined
        d.rows.clear()
        await dropDigest(db, d.def.id).catch(() => undefined)
      }
      if (kept) {
        d.unsaved += await keptSince(d, kept.stamp)
      } else {
        await build(d)
        d.unsaved += d.rows.size + 1
      }
    } finally {
      d.busy--
    }
    schedule(d)
  }

  /** Applies the rows of the form stamped above `stamp` (written since a kept digest was taken); returns how many. */
  async function keptSince(d: FormDigest, stamp: number): Promise<number> {
    const voids = new Set(voidStates(d.def))
    const form = d.def.id
    let from = stamp
    let n = 0
    for (;;) {
      const docs = await db.docs.where('[form+localSeq]').between([form, from], [form, Infinity], false, true).limit(CHUNK).toArray()
      for (const doc of docs) {
        const row = rowOf(d, doc, voids)
        if (row) d.rows.set(doc.id, row)
        else d.rows.delete(doc.id)
      }
      n += docs.length
      if (docs.length < CHUNK) return n
      from = docs[docs.length - 1]!.localSeq!
      await yieldTask()
    }
  }

  /** Keeps `d` 5 s after its last change (at most once a minute). */
  function schedule(d: FormDigest): void {
    if (!d.unsaved) return
    if (d.timer !== undefined) clearTimeout(d.timer)
    const delay = Math.max(SAVE_DELAY_MS, d.savedAt + SAVE_GAP_MS - Date.now())
    d.timer = setTimeout(() => { d.timer = undefined; void save(d) }, delay)
    ;(d.timer as { unref?: () => void }).unref?.() // Node (tests, benches): a pending save keeps nothing alive
  }

  /**
   * Keeps a snapshot of `d`: its rows and the last stamp issued, taken when nothing is pending or
   * being applied (so every row stamped up to it is in the rows). Later changes are kept next time,
   * or caught up through the stamps at the next start.
   */
  async function save(d: FormDigest): Promise<void> {
    if (digests.get(d.def.id) !== d || !d.unsaved) return
    if (d.saving || d.busy || d.pending.size || d.reset) { schedule(d); return }
    const stamp = db.localSeq()
    const rows = [...d.rows.values()]
    const changed = d.unsaved
    d.unsaved = 0
    d.saving = true
    d.savedAt = Date.now()
    try {
      await saveDigest(db, d.def.id, d.keptSig, stamp, rows, d.keys)
    } catch {
      d.unsaved += changed // kept next time (a closed database: never; the next start builds or catches up)
    } finally {
      d.saving = false
    }
  }

  async function build(d: FormDigest): Promise<void> {
    const voids = new Set(voidStates(d.def))
    const add = (docs: StoredDoc[]) => {
      for (const doc of docs) {
        const row = rowOf(d, doc, voids)
        if (row) d.rows.set(row.id, row)
      }
    }
    const form = d.def.id
    // Newest first, by key ranges (no offsets: a write meanwhile shifts no position we rely on).
    // A document written meanwhile is in `pending` too: its latest state is applied after the build.
    let upper = '\uffff'
    for (;;) {
      const chunk = await db.docs.where('[form+updatedAt]').between([form, ''], [form, upper], true, false).reverse().limit(CHUNK).toArray()
      add(chunk)
      if (chunk.length < CHUNK) break
      // Rows sharing the last timestamp may straddle the chunk's end: read them all, go on below it.
      upper = chunk[chunk.length - 1]!.updatedAt
      add(await db.docs.where('[form+updatedAt]').equals([form, upper]).toArray())
      await yieldTask() // let the page paint and handle input between chunks
    }
  }

  function digestOf(form: string): FormDigest {
    let d = digests.get(form)
    if (!d) {
      const def = forms(form)
      const facets = listFacets(def)
      const sigKeys = [...new Set([...def.list.search.filter((k) => k !== 'number'), def.titleField])]
      const keys = keysOf(def, facets)
      const keptSig = JSON.stringify([keys, voidStates(def)])
      const created: FormDigest = {
        def, facets, keys, sigKeys, rows: new Map(), pending: new Set(), reset: false, built: Promise.resolve(), done: false, sorted: new Map(),
        keptSig, busy: 0, applying: undefined, unsaved: 0, savedAt: 0, saving: false, timer: undefined,
      }
      created.built = start(created).then(() => { created.done = true }, (e: unknown) => { digests.delete(form); throw e })
      digests.set(form, created)
      d = created
    }
    return d
  }

  /** Applies what was written since the last query (one bulkGet of the changed documents). */
  async function catchUp(d: FormDigest): Promise<void> {
    await d.built
    if (d.reset) {
      digests.delete(d.def.id)
      generation++
      await digestOf(d.def.id).built
      return catchUp(digests.get(d.def.id)!)
    }
    // Nothing new, but another caller may still be applying what it took: its rows are not in yet.
    if (!d.pending.size) { await d.applying; return }
    const ids = [...d.pending]
    d.pending.clear()
    const prior = d.applying
    const run = (async () => {
      await prior?.catch(() => undefined)
      const voids = new Set(voidStates(d.def))
      d.busy++
      try {
        const docs = await db.docs.bulkGet(ids)
        ids.forEach((id, i) => {
          const row = rowOf(d, docs[i], voids)
          if (row) d.rows.set(id, row)
          else d.rows.delete(id)
        })
      } catch (e) {
        for (const id of ids) d.pending.add(id) // read again next time
        throw e
      } finally {
        d.busy--
      }
      generation++
      d.unsaved += ids.length
      schedule(d)
    })()
    d.applying = run
    try {
      await run
    } finally {
      if (d.applying === run) d.applying = undefined
    }
  }

  async function ready(form: string): Promise<FormDigest> {
    const d = digestOf(form)
    await catchUp(d)
    return digests.get(form)!
  }

  function rowTexts(d: FormDigest, ref: FormDigest | undefined): RowTexts {
    const search = d.def.list.search.filter((k) => k !== 'number' && k !== d.def.titleField)
    const refSearch = ref ? ref.def.list.search.filter((k) => k !== 'number' && k !== ref.def.titleField) : []
    const refTitle = (row: ListRow): DigestRow | undefined => {
      const id = d.facets.ref ? row.values[d.facets.ref.key] : undefined
      return ref && typeof id === 'string' ? ref.rows.get(id) : undefined
    }
    const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v))
    return {
      compiled,
      key: (row) => (row as DigestRow).sig,
      title(row) {
        if (!d.facets.ref) return str(row.values[d.def.titleField]) ?? ''
        const r = refTitle(row)
        return r ? str(r.values[ref!.def.titleField]) ?? r.number : ''
      },
      texts(row) {
        const out: string[] = []
        for (const k of search) { const v = str(row.values[k]); if (v) out.push(v) }
        if (!d.facets.ref) { const t = str(row.values[d.def.titleField]); if (t) out.push(t); return out }
        const r = refTitle(row)
        if (r) {
          const t = str(r.values[ref!.def.titleField]); if (t) out.push(t)
          for (const k of refSearch) { const v = str(r.values[k]); if (v) out.push(v) }
        }
        return out
      },
    }
  }

  // A page being closed keeps what changed (best effort: the next start catches up what it missed).
  if (typeof window !== 'undefined') window.addEventListener('pagehide', () => { for (const d of digests.values()) void save(d) })

  return {
    async keep() {
      for (const form of [...digests.keys()]) {
        const d = await ready(form).catch(() => undefined)
        if (!d) continue
        if (d.timer !== undefined) { clearTimeout(d.timer); d.timer = undefined }
        await save(d)
      }
    },

    async builtWithin(form, ms) {
      if (ms <= 0) {
        // No wait at all: built already, or not.
        const d = digestOf(form)
        return d.done && (!d.facets.ref || digestOf(d.facets.ref.to).done)
      }
      const both = (async () => {
        const d = digestOf(form)
        await d.built
        if (d.facets.ref) await digestOf(d.facets.ref.to).built
        return true
      })().catch(() => true) // a failed build is reported by the query itself
      if (!Number.isFinite(ms)) return both
      return Promise.race([both, new Promise<boolean>((r) => setTimeout(() => r(false), ms))])
    },

    warm(form) {
      void ready(form).then((d) => (d.facets.ref ? ready(d.facets.ref.to) : undefined)).catch(() => undefined)
    },

    async query(form, q) {
      const d = await ready(form)
      const ref = d.facets.ref ? await ready(d.facets.ref.to) : undefined
      const texts = rowTexts(d, ref)
      const sort = q.sort && d.facets.sortable.has(q.sort.key) ? q.sort : DEFAULT_SORT
      if (sortedAt !== generation) { for (const x of digests.values()) x.sorted.clear(); sortedAt = generation }
      const sortKey = `${sort.key}:${sort.dir}`
      let ordered = d.sorted.get(sortKey)
      if (!ordered) {
        ordered = sortRows(d.def, d.facets, sort, texts, [...d.rows.values()]) as DigestRow[]
        d.sorted.set(sortKey, ordered)
      }
      const words = listTerms(q.text)
      const f = q.filters
      const filtered = !!(f && (f.states?.length || f.from || f.to || f.ref || f.user || f.due))
      if (!words.length && !filtered) return ordered
      if (!words.length) return ordered.filter((r) => passesFilters(d.facets, f, r))
      let search = searches.get(d)
      if (!search) { search = createListSearch(); searches.set(d, search) }
      return search.find(generation, ordered, words, texts, filtered ? { key: JSON.stringify(f), test: (r) => passesFilters(d.facets, f, r) } : undefined)
    },
  }
}

/** The stored documents of `rows`, in their order (deleted since: left out), read `CHUNK` at a time. */
export async function readRows(db: DeskDb, rows: readonly ListRow[], strip: (d: StoredDoc) => DocRecord): Promise<DocRecord[]> {
  const out: DocRecord[] = []
  for (let i = 0; i < rows.length; i += CHUNK) {
    const docs = await db.docs.bulkGet(rows.slice(i, i + CHUNK).map((r) => r.id))
    for (const d of docs) if (d && !d.deleted) out.push(strip(d))
  }
  return out
}
