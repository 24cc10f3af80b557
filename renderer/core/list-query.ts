/**
 * The generic list's query (issue 10): what a clerk searched, filtered and sorted, the filters a
 * form offers (derived from its definition, never named per form), and the pure matching, filtering
 * and ordering of list rows. The data layer keeps the rows (a compact digest per form) and pages
 * them; the list component and the Excel export read the same `ListQuery`.
 */
import { pinyin } from 'pinyin-pro'
import type { DeadlineDef, FieldDef, FormDef, Values } from '../../forms/schema/types'
import { addDays } from './validation'

/** A sortable column: `number`, `state`, `updatedAt`, `createdAt` or a field key of the list. */
export interface ListSort { key: string; dir: 'asc' | 'desc' }

/** Filters that combine with each other and with the text (AND). Dates are ISO `YYYY-MM-DD`, inclusive. */
export interface ListFilters {
  states?: string[]
  from?: string
  to?: string
  /** Record id of the form's title reference (the customer of a quotation). */
  ref?: string
  /** User id of the form's user field (业务员). */
  user?: string
  /**
   * Rows whose deadline `deadline` (one of the form's `deadlines`, e.g. R6) is late on `asOf`
   * (its date before that day, as the inbox says 已逾期) or `soon` (from `asOf` to the end of the
   * deadline's notice window: a delivery due this week). The dashboard's drill-downs carry it.
   */
  due?: { deadline: string; status: 'late' | 'soon'; asOf: string }
}

/**
 * Everything that decides which rows a list shows and in which order. The list exposes it, the
 * saved filters (我的常用) store it, and `listAll(form, query)` returns exactly those rows.
 */
export interface ListQuery {
  /** Whitespace-separated words; a row matches when every word is found (AND). */
  text?: string
  filters?: ListFilters
  /** Default: the newest change first. */
  sort?: ListSort
}

/** The filters and sort keys a form's list offers, derived from the form definition. */
export interface ListFacets {
  /** The main date: `list.date`, else the first `date` field among the columns, else `createdAt`. */
  date: string
  /** Whether `date` is a field of the form (else a record timestamp). */
  dateIsField: boolean
  /** The title field when it is a reference (the customer of a quotation): filtered by a picker. */
  ref?: { key: string; to: string }
  /** The first `user` field (业务员), or `list.user`. */
  user?: string
  /** The workflow's states in their declared order; none without a workflow. */
  states: string[]
  /** Keys that may be sorted on: number, title, dates, money, numbers, state, updatedAt. */
  sortable: Set<string>
  /** The form's deadlines (R5, R14 …), by id: what a `due` filter evaluates. */
  deadlines: ReadonlyMap<string, DeadlineDef>
}

const SORTABLE_TYPES = new Set<FieldDef['type']>(['date', 'money', 'number', 'decimal'])

/** What a form's list can filter and sort on. */
export function listFacets(def: FormDef): ListFacets {
  const field = (key: string | undefined) => (key ? def.fields.find((f) => f.key === key) : undefined)
  const named = field(def.list.date)
  const firstDate = def.list.columns.map((k) => field(k)).find((f) => f?.type === 'date')
  const dateField = named?.type === 'date' ? named : firstDate
  const title = field(def.titleField)
  const user = field(def.list.user)?.type === 'user' ? def.list.user : def.fields.find((f) => f.type === 'user')?.key
  const sortable = new Set<string>(['number', 'updatedAt', 'createdAt'])
  if (def.workflow) sortable.add('state')
  for (const key of def.list.columns) {
    const f = field(key)
    if (key === def.titleField || (f && SORTABLE_TYPES.has(f.type))) sortable.add(key)
  }
  const facets: ListFacets = {
    date: dateField?.key ?? 'createdAt', dateIsField: !!dateField,
    states: def.workflow ? Object.keys(def.workflow.states).filter((s) => !def.workflow!.states[s]!.void) : [], sortable,
    deadlines: new Map((def.deadlines ?? []).map((d) => [d.id, d])),
  }
  if (title?.type === 'reference') facets.ref = { key: title.key, to: title.to }
  if (user) facets.user = user
  return facets
}

/** True when the query asks for nothing beyond the default list (newest change first, everything). */
export function isPlainQuery(q: ListQuery): boolean {
  const f = q.filters ?? {}
  return !listTerms(q.text).length && !f.states?.length && !f.from && !f.to && !f.ref && !f.user && !f.due
    && (!q.sort || (q.sort.key === 'updatedAt' && q.sort.dir === 'desc'))
}

/** The query's words: half-width (NFKC), lowercase, split on whitespace. */
export function listTerms(text: string | undefined): string[] {
  return (text ?? '').normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean)
}

/** A text compiled once for matching: folded, full pinyin with its syllable starts, initials. */
export interface CompiledText { folded: string; full: string; starts: number[]; initials: string }

/** Compiles a text (a number, a name) for `textMatches`. */
export function compileText(text: string): CompiledText {
  const folded = text.normalize('NFKC').toLowerCase().replace(/\s+/g, '')
  if (!/[^\x00-\x7f]/.test(folded)) return { folded, full: '', starts: [], initials: '' }
  const syllables = pinyin(folded, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).map((s) => s.replace(/\s+/g, '').toLowerCase())
  const starts: number[] = []
  let full = ''
  for (const s of syllables) { starts.push(full.length); full += s }
  return { folded, full, starts, initials: syllables.map((s) => s.charAt(0)).join('') }
}

/**
 * Whether one query word is found in a text: anywhere in the text itself (美达 in 佛山市美达电器),
 * as a shorthand of Chinese characters (美达 in 美宜达: see `gapped`),
 * anywhere in its pinyin initials (szhx, mddq), or in its full pinyin from the start of a syllable
 * (meida, dianqi; not `eida`, which would match across syllables by accident).
 */
export function textMatches(t: CompiledText, word: string): boolean {
  if (t.folded.includes(word)) return true
  if (HAN2.test(word) && gapped(t.folded, word)) return true
  if (!t.full || /[^a-z0-9]/.test(word)) return false
  if (t.initials.includes(word)) return true
  for (const s of t.starts) if (t.full.startsWith(word, s)) return true
  return false
}

const HAN2 = /^\p{Script=Han}{2,}$/u

/**
 * Chinese characters in order with at most one character between each two: a clerk's shorthand
 * for a name (美达 for 美宜达, 华塑 for 华兴塑胶), not any scattering across a long name.
 */
function gapped(text: string, word: string): boolean {
  const w = [...word]
  for (let start = text.indexOf(w[0]!); start !== -1; start = text.indexOf(w[0]!, start + 1)) {
    let at = start, ok = true
    for (let i = 1; i < w.length && ok; i++) {
      const c = w[i]!
      if (text.startsWith(c, at + 1)) at += 1
      else if (text.startsWith(c, at + 2)) at += 2
      else ok = false
    }
    if (ok) return true
  }
  return false
}

/** A list row as the data layer keeps it: the record's own fields and the values the list reads. */
export interface ListRow {
  id: string; number: string; state: string; createdAt: string; updatedAt: string; values: Values
  /** The number lowercased, when the keeper of the rows has it at hand. */
  lower?: string
}

/** What matching and ordering need beyond the row: the texts it is found by and its title. */
export interface RowTexts {
  /** Texts searched besides the number (the list's search fields, the title, a reference's names). */
  texts(row: ListRow): string[]
  /** The title shown (a reference resolved to the referenced record's title), for sorting. */
  title(row: ListRow): string
  /** Compiled text, memoised by the caller (most names repeat across thousands of rows). */
  compiled(text: string): CompiledText
  /**
   * A key equal for rows whose `texts` are equal (the same customer and contact): a query then
   * matches each distinct set of texts once, not every row's (optional).
   */
  key?(row: ListRow): string
}

/** Whether a row passes the filters. */
export function passesFilters(facets: ListFacets, f: ListFilters | undefined, row: ListRow): boolean {
  if (!f) return true
  if (f.states?.length && !f.states.includes(row.state)) return false
  if (f.from || f.to) {
    const raw = facets.dateIsField ? row.values[facets.date] : (row as unknown as Record<string, unknown>)[facets.date]
    if (typeof raw !== 'string' || raw === '') return false
    const day = facets.dateIsField ? raw : localDay(raw)
    if (f.from && day < f.from) return false
    if (f.to && day > f.to) return false
  }
  if (f.ref && facets.ref && row.values[facets.ref.key] !== f.ref) return false
  if (f.user && facets.user && row.values[facets.user] !== f.user) return false
  if (f.due && dueStatus(facets, f.due.deadline, row, f.due.asOf) !== f.due.status) return false
  return true
}

/**
 * Where a row stands against one of its form's deadlines on `asOf`: `late` (the date has passed),
 * `soon` (within the deadline's notice window, or any time ahead when it declares none), or
 * undefined (not in the deadline's states, no date, or not yet in its window). Same reading as the inbox.
 */
export function dueStatus(facets: ListFacets, deadline: string, row: ListRow, asOf: string): 'late' | 'soon' | undefined {
  const d = facets.deadlines.get(deadline)
  if (!d || !d.states.includes(row.state)) return undefined
  const item = d.due({ id: row.id, form: '', number: row.number, state: row.state, version: 0, values: row.values, lines: {} })
  if (!item) return undefined
  if (item.date < asOf) return 'late'
  return d.notice === undefined || item.date <= addDays(asOf, d.notice) ? 'soon' : undefined
}

// ---------- a query in a URL (the dashboard's drill-downs; a list opened from a link) ----------

const DAY = /^\d{4}-\d{2}-\d{2}$/
const one = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' && x !== '' ? x : undefined
}

/** A query as URL parameters (`states=a,b&from=…&to=…&ref=…&user=…&due=R6:late:2026-12-01&q=…&sort=key:dir`). */
export function queryToParams(q: ListQuery): Record<string, string> {
  const out: Record<string, string> = {}
  const f = q.filters ?? {}
  if (q.text?.trim()) out.q = q.text.trim()
  if (f.states?.length) out.states = f.states.join(',')
  if (f.from) out.from = f.from
  if (f.to) out.to = f.to
  if (f.ref) out.ref = f.ref
  if (f.user) out.user = f.user
  if (f.due) out.due = `${f.due.deadline}:${f.due.status}:${f.due.asOf}`
  if (q.sort) out.sort = `${q.sort.key}:${q.sort.dir}`
  return out
}

/** The query of URL parameters (`queryToParams`'s); what is malformed is left out, never guessed. */
export function queryFromParams(params: Record<string, unknown>): ListQuery {
  const filters: ListFilters = {}
  const states = one(params.states)?.split(',').filter(Boolean)
  if (states?.length) filters.states = states
  const from = one(params.from); if (from && DAY.test(from)) filters.from = from
  const to = one(params.to); if (to && DAY.test(to)) filters.to = to
  const ref = one(params.ref); if (ref) filters.ref = ref
  const user = one(params.user); if (user) filters.user = user
  const due = one(params.due)?.split(':')
  if (due?.length === 3 && (due[1] === 'late' || due[1] === 'soon') && DAY.test(due[2]!)) filters.due = { deadline: due[0]!, status: due[1], asOf: due[2]! }
  const q: ListQuery = {}
  const text = one(params.q); if (text) q.text = text
  if (Object.keys(filters).length) q.filters = filters
  const sort = one(params.sort)?.split(':')
  if (sort?.length === 2 && (sort[1] === 'asc' || sort[1] === 'desc')) q.sort = { key: sort[0]!, dir: sort[1] }
  return q
}

/** The office's calendar day of an ISO instant. */
function localDay(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * A matcher for the query's words: a row matches when every word is in its number or in one of its
 * texts. Results per distinct text are memoised for the query (names repeat across rows).
 */
export function rowMatcher(words: string[], texts: RowTexts): (row: ListRow) => boolean {
  if (!words.length) return () => true
  const memo = words.map(() => new Map<string, boolean>())
  const inTexts = (i: number, own: string[]): boolean => {
    for (const t of own) {
      let hit = memo[i]!.get(t)
      if (hit === undefined) { hit = textMatches(texts.compiled(t), words[i]!); memo[i]!.set(t, hit) }
      if (hit) return true
    }
    return false
  }
  const byKey = words.map(() => new Map<string, boolean>())
  return (row) => {
    const number = row.lower ?? row.number.toLowerCase()
    const key = texts.key?.(row)
    let own: string[] | undefined
    for (let i = 0; i < words.length; i++) {
      if (number.includes(words[i]!)) continue
      let found: boolean | undefined = key === undefined ? undefined : byKey[i]!.get(key)
      if (found === undefined) {
        found = inTexts(i, (own ??= texts.texts(row)))
        if (key !== undefined) byKey[i]!.set(key, found)
      }
      if (!found) return false
    }
    return true
  }
}

/**
 * The rows in a sort's order: numbers and money by value, dates and numbers as text, the title by
 * its pinyin (the order a clerk finds names in), the state in the workflow's order. Empty values go
 * last in either direction; ties fall back to the newest change first, then the id, so pages never
 * overlap. Each row's key is computed once (decorate, sort, undecorate).
 */
export function sortRows(def: FormDef, facets: ListFacets, sort: ListSort, texts: RowTexts, rows: readonly ListRow[]): ListRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1
  const stateOrder = new Map(facets.states.map((s, i) => [s, i]))
  const field = def.fields.find((f) => f.key === sort.key)
  const numeric = field?.type === 'decimal' || field?.type === 'number' || field?.type === 'money'
  const key = (r: ListRow): string | number | undefined => {
    if (sort.key === 'number') return r.number
    if (sort.key === 'state') return stateOrder.get(r.state) ?? Number.MAX_SAFE_INTEGER
    if (sort.key === 'updatedAt' || sort.key === 'createdAt') return r[sort.key]
    if (sort.key === def.titleField) { const t = texts.title(r); return t ? texts.compiled(t).full || t.toLowerCase() : undefined }
    const v = r.values[sort.key]
    if (v === null || v === undefined || v === '') return undefined
    if (numeric) { const n = Number(v); return Number.isFinite(n) ? n : undefined }
    return String(v)
  }
  const decorated = rows.map((r) => ({ k: key(r), r }))
  decorated.sort((p, q) => {
    const x = p.k, y = q.k
    if (x !== y) {
      if (x === undefined) return 1
      if (y === undefined) return -1
      if (x < y) return -sign
      if (x > y) return sign
    }
    const a = p.r, b = q.r
    if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
  })
  return decorated.map((d) => d.r)
}

/**
 * What a list's search keeps between queries (issue 10), for one form. Answers exactly what
 * `rows.filter((r) => filter(r) && rowMatcher(words, texts)(r))` answers, faster:
 * - each distinct text (a customer's name, a contact) is matched once per word, and each distinct
 *   set of texts (a row's `key`, its *signature*: the same customer and contact) answers as the OR
 *   of its texts; both are remembered as long as `stamp` is unchanged;
 * - per order, the rows' signature ids are one `Uint32Array` and their numbers one string, so a
 *   scan costs a few typed-array reads per row and a word found in no number is ruled out at once;
 * - typed ahead (美 → 美达 → 美达电): when every word of the previous query is the start of a word
 *   of this one, over the same order, filters and stamp, only the previous query's rows are read.
 *   (A row matching `美达电` matches `美达`: in the text, the shorthand, the initials, the pinyin from
 *   a syllable start and the number alike. A mere substring would not do: `meida` matches from a
 *   syllable start where `ida` does not.)
 * `stamp` must change whenever any row or any text may have (a write): everything kept is dropped.
 */
export interface ListSearch {
  /**
   * The rows of `ordered` (one order, unchanged while `stamp` is) that match every word and
   * `filter`, in that order. `filter.key` names the filter (equal keys, equal filters).
   */
  find(stamp: unknown, ordered: readonly ListRow[], words: readonly string[], texts: RowTexts, filter?: RowFilter): ListRow[]
}

/** A filter on rows with a key naming it (two filters with one key pass the same rows). */
export interface RowFilter { key: string; test(row: ListRow): boolean }

/** One order's rows as columns for the scan. */
interface SearchColumns {
  /** Each row's signature id. */
  sig: Uint32Array
  /** The rows' numbers lowercased, each followed by a line feed (no word holds whitespace). */
  numbers: string
  /** Where each row's number starts in `numbers`, and `numbers.length` last. */
  starts: Uint32Array
}

/** A new search memory for one form's list (see `ListSearch`). */
export function createListSearch(): ListSearch {
  let stamp: unknown = {}
  /** Signature → id, and one row per id (rows sharing a signature share their texts). */
  let sigIds = new Map<string, number>()
  /**
   * The distinct texts (a customer's name, a contact: a few hundred where signatures are tens of
   * thousands, every customer with every contact) and, per signature, its texts' ids
   * (`sigTexts[sigStart[id]] …` up to the next signature's start).
   */
  let textIds = new Map<string, number>()
  let textList: string[] = []
  let sigStart: number[] = [0]
  let sigTexts: number[] = []
  /** Per word: per text id, 1 when the text matches; per signature id, 1 when any of its texts does. */
  let wordHits = new Map<string, { text: Uint8Array; sig: Uint8Array }>()
  let columns = new WeakMap<readonly ListRow[], SearchColumns>()
  let last: { ordered: readonly ListRow[]; filter: string; words: readonly string[]; hits: Uint32Array } | undefined

  const keyOf = (texts: RowTexts, row: ListRow): string => texts.key?.(row) ?? texts.texts(row).join('\u0001')

  function addSig(key: string, row: ListRow, texts: RowTexts): number {
    const id = sigStart.length - 1
    sigIds.set(key, id)
    for (const t of texts.texts(row)) {
      let tid = textIds.get(t)
      if (tid === undefined) { tid = textList.length; textIds.set(t, tid); textList.push(t) }
      sigTexts.push(tid)
    }
    sigStart.push(sigTexts.length)
    return id
  }

  function columnsOf(ordered: readonly ListRow[], texts: RowTexts): SearchColumns {
    let c = columns.get(ordered)
    if (c) return c
    const n = ordered.length
    const sig = new Uint32Array(n)
    const starts = new Uint32Array(n + 1)
    const parts: string[] = new Array<string>(n)
    let at = 0
    for (let i = 0; i < n; i++) {
      const row = ordered[i]!
      const key = keyOf(texts, row)
      sig[i] = sigIds.get(key) ?? addSig(key, row, texts)
      const number = row.lower ?? row.number.toLowerCase()
      parts[i] = number
      starts[i] = at
      at += number.length + 1
    }
    starts[n] = at
    c = { sig, numbers: parts.join('\n') + (n ? '\n' : ''), starts }
    columns.set(ordered, c)
    return c
  }

  /**
   * Per signature: whether its texts match `word`. Each distinct text is matched once per word;
   * a signature is the OR of its texts' answers. Texts and signatures added since are matched now.
   */
  function sigHitsOf(word: string, texts: RowTexts): Uint8Array {
    const sigCount = sigStart.length - 1
    const had = wordHits.get(word)
    if (had && had.sig.length === sigCount) return had.sig
    const text = new Uint8Array(textList.length)
    if (had) text.set(had.text)
    for (let t = had?.text.length ?? 0; t < textList.length; t++) text[t] = textMatches(texts.compiled(textList[t]!), word) ? 1 : 0
    const sig = new Uint8Array(sigCount)
    if (had) sig.set(had.sig)
    for (let id = had?.sig.length ?? 0; id < sigCount; id++) {
      for (let k = sigStart[id]!, end = sigStart[id + 1]!; k < end; k++) if (text[sigTexts[k]!]) { sig[id] = 1; break }
    }
    wordHits.set(word, { text, sig })
    return sig
  }

  /** Per row of the order: 1 when its number holds `word` (one pass over the joined numbers). */
  function numberHits(c: SearchColumns, word: string): Uint8Array {
    const n = c.sig.length
    const hits = new Uint8Array(n)
    let r = 0
    for (let p = c.numbers.indexOf(word); p !== -1; p = r < n ? c.numbers.indexOf(word, c.starts[r]!) : -1) {
      while (c.starts[r + 1]! <= p) r++
      hits[r] = 1
      r++
    }
    return hits
  }

  return {
    find(at, ordered, words, texts, filter) {
      if (at !== stamp) {
        stamp = at
        sigIds = new Map(); textIds = new Map(); textList = []; sigStart = [0]; sigTexts = []
        wordHits = new Map(); columns = new WeakMap(); last = undefined
      }
      const filterKey = filter?.key ?? ''
      const c = columnsOf(ordered, texts)
      const sig = c.sig
      const bySig = words.map((w) => sigHitsOf(w, texts))
      const narrowed = last && last.ordered === ordered && last.filter === filterKey
        && last.words.every((old) => words.some((w) => w.startsWith(old)))
      const out: ListRow[] = []
      const hits: number[] = []
      if (narrowed) {
        // Only the previous query's rows can match: check their numbers one by one.
        for (const i of last!.hits) {
          const row = ordered[i]!
          let ok = true
          for (let k = 0; k < words.length && ok; k++) {
            if (!bySig[k]![sig[i]!] && !(row.lower ?? row.number.toLowerCase()).includes(words[k]!)) ok = false
          }
          if (ok) { hits.push(i); out.push(row) }
        }
      } else {
        const byNumber = words.map((w) => numberHits(c, w))
        const n = ordered.length
        for (let i = 0; i < n; i++) {
          const s = sig[i]!
          let ok = true
          for (let k = 0; k < words.length && ok; k++) if (!bySig[k]![s] && !byNumber[k]![i]) ok = false
          if (!ok) continue
          const row = ordered[i]!
          if (filter && !filter.test(row)) continue
          hits.push(i)
          out.push(row)
        }
      }
      last = { ordered, filter: filterKey, words: [...words], hits: Uint32Array.from(hits) }
      return out
    },
  }
}
