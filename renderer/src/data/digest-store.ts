/**
 * The lists' digests kept on disk (issues 10 and 11): a restart loads a form's digest in a few
 * short tasks instead of reading every document, then catches up what was written since.
 *
 * A kept digest is rows of `digests` (db.ts, schema v7, local to this PC): a head (format, the kept
 * keys' signature, the `localSeq` stamp it was taken at, counts) and parts of `PART_ROWS` rows, each
 * one JSON string of compact arrays `[id, number, state, createdAt, updatedAt, ...values by key]`
 * (a value absent: null). One string per part stores and loads as a copy, and parsing one part is a
 * short task. Parts are written one request after another in one transaction, so each part's
 * serialisation is its own main-thread task and the digest is replaced whole or not at all; they are
 * loaded a few parts per request (`loadDigest`), still one part parsed per task.
 */
import type { ListRow } from '@core/list-query'
import { LOCAL_SEQ_MARK, type DeskDb, type DigestPart } from './db'

/** Raised when the stored layout changes; an older kept digest is then rebuilt. */
export const DIGEST_FORMAT = 1
/** Rows per stored part (one JSON string; a few milliseconds to write or parse). */
export const PART_ROWS = 1000

/** A kept digest, loaded: its stamp and how many rows were given to `take`. */
export interface KeptDigest { stamp: number; rows: number }

const FIXED = 5

function pack(row: ListRow, keys: readonly string[]): unknown[] {
  const out: unknown[] = [row.id, row.number, row.state, row.createdAt, row.updatedAt]
  for (const k of keys) out.push(row.values[k] ?? null)
  return out
}

function unpack(a: unknown, keys: readonly string[]): ListRow {
  if (!Array.isArray(a) || a.length !== FIXED + keys.length || typeof a[0] !== 'string' || typeof a[1] !== 'string') throw new Error('kept digest: bad row')
  const values: ListRow['values'] = {}
  keys.forEach((k, i) => { const v = a[FIXED + i] as ListRow['values'][string]; if (v !== null && v !== undefined) values[k] = v })
  return { id: a[0], number: a[1], state: String(a[2]), createdAt: String(a[3]), updatedAt: String(a[4]), values }
}

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0))

/**
 * The next task, without the 4 ms that nested timeouts are held to: `scheduler.yield()` where the
 * browser has it (Chromium 129+, the app's Electron), else a timeout (Node in the tests).
 */
export const yieldTask = (): Promise<void> => {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  return typeof s?.yield === 'function' ? s.yield() : nextTask()
}

/**
 * Keeps `rows` of `form` as taken at `stamp`. The parts are encoded first, one per task (the rows
 * must not change meanwhile: pass a copy), then written in one transaction, the head last.
 */
export async function saveDigest(db: DeskDb, form: string, sig: string, stamp: number, rows: readonly ListRow[], keys: readonly string[]): Promise<void> {
  const parts: string[] = []
  for (let i = 0; i < rows.length; i += PART_ROWS) {
    parts.push(JSON.stringify(rows.slice(i, i + PART_ROWS).map((r) => pack(r, keys))))
    await yieldTask()
  }
  await db.transaction('rw', db.digests, async () => {
    await db.digests.where('[form+part]').between([form, 0], [form, Infinity]).delete()
    for (let i = 0; i < parts.length; i++) await db.digests.put({ form, part: i + 1, data: parts[i]! })
    await db.digests.put({ form, part: 0, format: DIGEST_FORMAT, sig, stamp, parts: parts.length, rows: rows.length })
    const mark = await db.digests.get(LOCAL_SEQ_MARK)
    if ((mark?.stamp ?? 0) < stamp) await db.digests.put({ form: LOCAL_SEQ_MARK[0], part: LOCAL_SEQ_MARK[1], stamp })
  })
}

/** Parts read per request when loading (a few MB: one request instead of one per part). */
const READ_PARTS = 8

/**
 * The kept digest of `form` if there is one of this format and signature (undefined: build it),
 * each row given to `take` as its part is parsed (one part per task). Throws when it is damaged (a
 * part missing or unreadable; some rows may have been taken): the caller builds it then too.
 *
 * The parts are read `READ_PARTS` at a time, the next request sent before the parts in hand are
 * parsed, each read in its own transaction: the reads are what a start waits for (one request per
 * part was about a quarter slower at 100,000 rows). Only this PC's own digest writes the parts, and
 * never while the form is loading; a head re-read at the end still catches one replaced meanwhile.
 */
export async function loadDigest(db: DeskDb, form: string, sig: string, keys: readonly string[], take: (row: ListRow) => void): Promise<KeptDigest | undefined> {
  const head: DigestPart | undefined = await db.digests.get([form, 0])
  if (!head || head.format !== DIGEST_FORMAT || head.sig !== sig) return undefined
  const { stamp, parts, rows: count } = head
  if (typeof stamp !== 'number' || typeof parts !== 'number' || typeof count !== 'number') throw new Error('kept digest: bad head')
  const read = (from: number): Promise<DigestPart[]> => db.digests.where('[form+part]').between([form, from], [form, Math.min(from + READ_PARTS, parts + 1)], true, false).toArray()
  let rows = 0
  let next = parts >= 1 ? read(1) : undefined
  for (let from = 1; from <= parts; from += READ_PARTS) {
    const batch = await next!
    next = from + READ_PARTS <= parts ? read(from + READ_PARTS) : undefined
    for (let i = 0; i < Math.min(READ_PARTS, parts - from + 1); i++) {
      const part = batch[i]
      if (part?.part !== from + i || typeof part.data !== 'string') throw new Error(`kept digest: part ${from + i} missing`)
      const arrays: unknown = JSON.parse(part.data)
      if (!Array.isArray(arrays)) throw new Error(`kept digest: part ${from + i} unreadable`)
      for (const a of arrays) take(unpack(a, keys))
      rows += arrays.length
      await yieldTask()
    }
  }
  if (rows !== count) throw new Error('kept digest: row count differs')
  const again: DigestPart | undefined = await db.digests.get([form, 0])
  if (again?.stamp !== stamp || again.parts !== parts) throw new Error('kept digest: replaced while loading')
  return { stamp, rows }
}

/** Drops the kept digest of `form` (a damaged one, so it is not read again before the next save). */
export async function dropDigest(db: DeskDb, form: string): Promise<void> {
  await db.digests.where('[form+part]').between([form, 0], [form, Infinity]).delete()
}
