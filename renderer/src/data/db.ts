/**
 * The local database of one PC (one profile): every record the office shares, plus this PC's own
 * bookkeeping (number counters, outbox, counts). Every schema version stays declared with its
 * upgrade, so a PC that skipped releases upgrades step by step (Dexie runs them in order).
 */
import Dexie, {
  type DBCore, type DBCoreGetManyRequest, type DBCoreKeyRange, type DBCoreMutateRequest, type DBCoreTable, type Middleware, type Table, type Transaction,
} from 'dexie'
import type {
  AttachmentRecord, AuditEntry, BlobRecord, DocRecord, LineRecord, OutboxRow, PrintLogEntry,
  ProxyGrant, User, VersionSnapshot,
} from '@core/model'
import type { Cursor, FileIssue, OwnSegment, PeerInfo } from '@core/sync/store'
import type { DirEntry } from '@core/trust/directory'
import type { Finding } from '@core/trust/gate'

/** The default database name of a profile. */
export const DEFAULT_DB_NAME = 'marketdesk'

/**
 * A document as stored: the record plus index-only fields derived locally (never synced, never
 * returned to callers). Both are prefixed with the form id so that one index range holds one
 * form's matches and can be counted without reading documents.
 */
export interface StoredDoc extends DocRecord {
  /** `<form>:<word>` for each search word (text, pinyin, pinyin initials). */
  searchWords: string[]
  /** `<form>:<field>=<id>` for each value that references another record (schema v2). */
  refs?: string[]
  /**
   * This PC's write stamp (schema v7): set by `docWatch` on every put, strictly increasing on this
   * PC across restarts. Local bookkeeping: never synced, backed up or shown (stripped where a row
   * leaves this PC); rows not written since v7 have none.
   */
  localSeq?: number
}

/** Last sequence issued under a counter key (`BJ2611-A7`: prefix, yymm, PC code; see numbering.ts). */
export interface CounterRow { key: string; seq: number }

/** Small local facts: per-form document counts (`count:<form>`), seed marker, … */
export interface MetaRow { key: string; value: unknown }

/** One setting: `company`, `pcCode`, `language`, … */
export interface SettingRow { key: string; value: unknown }

/** A scanned page that matched no document: kept with a thumbnail until a clerk assigns it. */
export interface ManualMatch {
  id: string
  /** SHA-256 of the scanned file the page came from. */
  fileHash: string
  fileName: string
  page: number
  /** A small PNG/JPEG of the page, enough to recognise it. */
  thumbnail: Uint8Array
  mime: string
  /** Why it did not match (no QR found, unknown number, content hash differs, …). */
  reason: string
  at: string
  by: string
  /** Set when a clerk attached it to a document or discarded it. */
  resolved?: { at: string; by: string; docId?: string; discarded?: boolean }
}

/** Schema v1, as first shipped. Never edit: add a version below instead. */
export const SCHEMA_V1 = {
  docs: 'id, form, number, state, [form+updatedAt], *searchWords, deleted',
  lines: 'id, docId, [docId+field]',
  attachments: 'id, docId, hash',
  blobs: 'hash',
  audit: 'id, docId, at',
  versions: 'id, [docId+version]',
  outbox: '++seq, exported, table',
  printLog: 'id, docId',
  users: 'id',
  proxies: 'id, proxyId',
  settings: 'key',
  counters: 'key',
  manualMatches: 'id, fileHash',
  meta: 'key',
} as const

/**
 * Schema v2: `*refs` on docs, so `findBy('customerEvaluation', 'customer', id)` (the R1 guard)
 * is an index lookup instead of a scan of every evaluation.
 */
export const SCHEMA_V2 = {
  docs: 'id, form, number, state, [form+updatedAt], *searchWords, *refs, deleted',
} as const

/** Sync merge state of one record (renderer/src/sync/dexie-store.ts), with what the adapter keeps beside it. */
export interface SyncStateRow {
  /** `<table>\u0000<key>`. */
  id: string
  /**
   * The `RecordState` as one string (one string clones and stores far faster than the object
   * tree): canonical JSON before v4, `packState` form since.
   */
  s: string
  /** SHA-256 of the state's canonical JSON ('' while the record has no writes): the digest is the XOR of these. */
  h: string
  /** Whether the record was shown as a live row when last materialized (keeps per-form counts right). */
  alive: boolean
  /** Open conflicts of the record (0 for almost all rows, so the conflicts table is rarely touched). */
  c: number
}

/** One open conflict, kept beside the merge state so the inbox never scans every record. */
export interface SyncConflictRow { id: string; rid: string; conflict: unknown }

/** One of this PC's segments as stored: the engine's `OwnSegment` plus the outbox rows it carries. */
export interface SyncSegmentRow extends OwnSegment { outboxFrom?: number; outboxTo?: number }

/**
 * Schema v3: the sync adapter's tables (renderer/src/sync). New tables only; business tables are
 * unchanged. `syncState` and `syncSegments` have no secondary index: they are written on every
 * import and read by key.
 */
export const SCHEMA_V3 = {
  syncState: 'id',
  syncConflicts: 'id, rid',
  syncSegments: 'seq',
  syncCursors: 'pc',
  syncPeers: 'pc',
  syncIssues: '[pc+seq]',
  syncMeta: 'key',
} as const

/**
 * The sync merge state of a record shown in a business table, kept INSIDE its row as `$sync`
 * (schema v4): an import then writes one row per record instead of two. Not indexed.
 */
export interface SyncCell {
  /**
   * The `RecordState` in its stored form (renderer/src/sync/dexie-store.ts `packState`), which may
   * leave values to this row (`cellValueAt`); the guard below writes them out before the row changes.
   */
  s: string
  /** SHA-256 of the state's canonical JSON: the digest is the XOR of these. */
  h: string
  /** Whether the record was shown as a live row when last materialized (keeps per-form counts right). */
  alive: boolean
  /** Open conflicts of the record. */
  c: number
}

/** The row property that holds a record's `SyncCell`. */
export const SYNC_CELL = '$sync'

/**
 * Business tables whose rows carry their record's merge state (`$sync`), with their primary key.
 * Records of other tables (and records with no row here) keep it in `syncState`.
 */
export const SYNC_CELL_TABLES: Record<string, 'id' | 'key'> = {
  docs: 'id', lines: 'id', attachments: 'id', audit: 'id', versions: 'id', printLog: 'id', users: 'id', proxies: 'id', settings: 'key',
  directory: 'id',
}

/**
 * Schema v4: no index changes. A record shown in a `SYNC_CELL_TABLES` row may keep its merge state
 * in that row (`$sync`), written when a remote change or a snapshot rewrites the row. A `syncState`
 * row, when present, is newer and wins: states written before v4, and this PC's own stamped
 * changes (which do not rewrite the business row), stay there until a remote change moves them.
 * So nothing has to move on upgrade (rewriting every business row of a large office at start-up
 * would take about as long as a bootstrap). The version is raised so that a v3 app, which would
 * drop `$sync` on its own writes, cannot open the database.
 */
export const SCHEMA_V4 = {} as const

/**
 * Schema v5 (issue 6, who may do what): `directory` holds the office's signed directory entries
 * (synced, insert-only; users, grants, letterhead and PC approvals are their fold), and `findings`
 * holds the changes this PC's trust gate did not merge (local; the 安全 list).
 */
export const SCHEMA_V5 = {
  directory: 'id, [dev+n]',
  findings: 'id, docId, verdict',
} as const

/**
 * Schema v6 (issue 8, the inbox's 我发起的 / 已办): documents by who created them, audit entries by
 * who made them, newest first, read through an index instead of a scan.
 */
export const SCHEMA_V6 = {
  docs: 'id, form, number, state, [form+updatedAt], *searchWords, *refs, deleted, [createdBy+createdAt]',
  audit: 'id, docId, at, [actor.userId+at]',
} as const

/**
 * A kept list digest (list-digest.ts, digest-store.ts), local to this PC: never synced, never in a
 * backup. Part 0 of a form is the head (format, kept keys' signature, the `localSeq` stamp it was
 * taken at, how many parts and rows); parts 1… hold the rows as JSON arrays of compact arrays. The
 * row of form `''` (`LOCAL_SEQ_MARK`) keeps the highest stamp any digest was taken at.
 */
export interface DigestPart {
  form: string
  part: number
  format?: number
  sig?: string
  stamp?: number
  parts?: number
  rows?: number
  data?: string
}

/** The `digests` row holding the highest stamp a kept digest names (see `initLocalSeq`). */
export const LOCAL_SEQ_MARK: [string, number] = ['', 0]

/**
 * Schema v7 (issues 10 and 11, the lists' digest kept across restarts): `docs.localSeq`, this PC's
 * write stamp of each document row, indexed per form so a kept digest catches up only its own form's
 * rows written since it was taken; and `digests`, the kept digests. No upgrade: rows not written
 * since are not in the index, and a digest is first built from every row anyway.
 */
export const SCHEMA_V7 = {
  docs: 'id, form, number, state, [form+updatedAt], *searchWords, *refs, deleted, [createdBy+createdAt], [form+localSeq]',
  digests: '[form+part]',
} as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The `refs` index entries of a document: every value that is a record id. */
export function refsOf(form: string, values: DocRecord['values']): string[] {
  const out: string[] = []
  for (const [field, v] of Object.entries(values)) {
    if (typeof v === 'string' && UUID.test(v)) out.push(`${form}:${field}=${v.toLowerCase()}`)
  }
  return out
}

/** v1 → v2: fill `refs` for the documents already stored. */
async function upgradeV2(tx: Transaction): Promise<void> {
  await tx.table('docs').toCollection().modify((d: StoredDoc) => { d.refs = refsOf(d.form, d.values ?? {}) })
}

/**
 * v2 → v3: the sync tables start empty. Every business write since v1 already left an unexported
 * outbox row, so a PC that had data before it joined a vault publishes all of it on its first sync.
 * The digest accumulator starts at zero (the XOR of no record hashes).
 */
async function upgradeV3(tx: Transaction): Promise<void> {
  await tx.table('syncMeta').put({ key: 'digestAcc', value: '0'.repeat(64) })
}

/**
 * The value a business row holds for a merge-state field (`values.customer` → row.values.customer,
 * the nesting `toRow` makes). A cell's packed state may leave such values to the row: a write
 * `[-i-1, seen?]` means "value as in this row". Undefined when the path is absent.
 */
export function cellValueAt(row: Record<string, unknown>, field: string): unknown {
  let o: unknown = row
  for (const part of field.split('.')) {
    if (o === null || typeof o !== 'object') return undefined
    o = (o as Record<string, unknown>)[part]
  }
  return o
}

/** The cell with every value it left to `row` written out, for a row about to change under it. */
function expandCell(cell: SyncCell, row: Record<string, unknown>): SyncCell {
  if (typeof cell.s !== 'string' || cell.s.charCodeAt(0) !== 91 /* [ */) return cell
  const packed = JSON.parse(cell.s) as [string, string, string[], Array<[string, unknown[]]>]
  let changed = false
  for (const f of packed[3]) {
    f[1] = f[1].map((w) => {
      const ws = w as unknown[]
      if (typeof ws[0] !== 'number' || ws[0] >= 0) return ws
      changed = true
      const at = -ws[0] - 1
      const v = cellValueAt(row, f[0])
      return ws.length > 1 ? [at, v ?? null, ws[1]] : [at, v ?? null]
    })
  }
  return changed ? { ...cell, s: JSON.stringify(packed) } : cell
}

/** IndexedDB transactions of the sync adapter: they read and write `$sync`; no one else does. */
const syncTransactions = new WeakSet<object>()

/**
 * Marks the current Dexie transaction as the sync adapter's (call first inside its scope). Rows
 * read in it keep `$sync`, and rows it puts keep the `$sync` they carry.
 */
export function markSyncTransaction(tx: Transaction | null = Dexie.currentTransaction): void {
  const idb = (tx as (Transaction & { idbtrans?: IDBTransaction }) | null)?.idbtrans
  if (!idb) throw new Error('markSyncTransaction outside a transaction')
  syncTransactions.add(idb)
}

function withoutCell(v: unknown): unknown {
  if (v && typeof v === 'object' && SYNC_CELL in v) delete (v as Record<string, unknown>)[SYNC_CELL]
  return v
}

/**
 * Guards `$sync` for every other writer, at the DBCore level so no repository can forget it:
 * reads outside a sync transaction never see it, and a put outside one keeps the `$sync` the
 * stored row has (a business write rewrites the row it read without `$sync`; without this the
 * record would lose its merge state and its next edit would conflict with its own past).
 */
const syncCellGuard: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'syncCellGuard',
  create(down) {
    return {
      ...down,
      table(name) {
        const table = down.table(name)
        const pk = SYNC_CELL_TABLES[name]
        if (!pk) return table
        const ours = (trans: unknown) => syncTransactions.has(trans as object)
        const guarded: DBCoreTable = {
          ...table,
          get: (req) => table.get(req).then((v) => (ours(req.trans) ? v : withoutCell(v))),
          getMany: (req: DBCoreGetManyRequest) => table.getMany(req).then((vs) => (ours(req.trans) ? vs : vs.map(withoutCell))),
          query: (req) => table.query(req).then((res) => {
            if (!ours(req.trans) && req.values) res.result.forEach(withoutCell)
            return res
          }),
          mutate: (req: DBCoreMutateRequest) => {
            if (ours(req.trans) || (req.type !== 'put' && req.type !== 'add')) return table.mutate(req)
            const values = req.values.map((v) => {
              const { [SYNC_CELL]: _drop, ...rest } = v as Record<string, unknown>
              return rest
            })
            if (req.type === 'add') return table.mutate({ ...req, values })
            const keys = req.keys ?? values.map((v) => v[pk])
            return table.getMany({ trans: req.trans, keys }).then((old) => {
              old.forEach((o, i) => {
                const cell = (o as Record<string, unknown> | undefined)?.[SYNC_CELL] as SyncCell | undefined
                // The row changes: values the cell left to it are written into the cell first.
                if (cell !== undefined) values[i]![SYNC_CELL] = expandCell(cell, o as Record<string, unknown>)
              })
              return table.mutate({ ...req, values })
            })
          },
        }
        return guarded
      },
    }
  },
}

/**
 * Stores whose writes must survive a power cut the moment the clerk is told they are done
 * (issue 7): signed approvals and every other audit entry, the signed directory, and this PC's own
 * stamped segments (republished byte for byte after a crash). A write transaction over any of them
 * asks IndexedDB for `strict` durability (flushed to disk before it completes); the rest keep the
 * browser's default, which may lose the last second of writes on a power cut but not corrupt them.
 */
export const STRICT_STORES: ReadonlySet<string> = new Set(['audit', 'directory', 'syncSegments'])

/** The durability a transaction over `stores` in `mode` asks for. */
export function durabilityFor(stores: readonly string[], mode: 'readonly' | 'readwrite'): 'strict' | 'default' {
  return mode === 'readwrite' && stores.some((s) => STRICT_STORES.has(s)) ? 'strict' : 'default'
}

const strictDurability: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'strictDurability',
  create(down) {
    return {
      ...down,
      transaction(stores, mode, options) {
        const durability = durabilityFor(stores, mode)
        return down.transaction(stores, mode, durability === 'strict' ? { ...options, durability } : options)
      },
    }
  },
}

/** Told the ids of the documents a write puts or deletes (`null`: any number of them, e.g. a clear). */
export type DocWriteListener = (ids: readonly string[] | null) => void

/** Every key of a table (a DBCore `deleteRange` over everything). */
const ANY_RANGE = { type: 3, lower: -Infinity, lowerOpen: false, upper: [[]], upperOpen: false } as unknown as DBCoreKeyRange

/** The last `localSeq` issued in this window (`DeskDb.localSeq`). */
interface LocalSeq { last: number }

/**
 * Tells `db.docWrites` listeners which documents every write touches, at the DBCore level, so no
 * writer can forget it: the stores, the sync import, conflict resolution, a restore. Called inside
 * the write transaction; a read started afterwards sees the write (IndexedDB orders transactions
 * over the same store), so a listener may simply mark the ids and read them later. Issue 10: the
 * lists' digest (list-digest.ts) stays in step this way.
 *
 * Also (schema v7) stamps every document row put with the next `localSeq`, and makes a hard delete
 * of documents (a restore's wipe) drop the kept digests in the same transaction: a kept digest
 * catches up through the stamps, which a row that is gone no longer has. A hard delete in a
 * transaction without `digests` is refused rather than left to go stale.
 */
function docWatch(listeners: Set<DocWriteListener>, seq: LocalSeq): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'docWatch',
    create(down) {
      return {
        ...down,
        table(name) {
          const table = down.table(name)
          if (name !== 'docs') return table
          return {
            ...table,
            mutate: (req: DBCoreMutateRequest) => {
              let ids: readonly string[] | null
              if (req.type === 'deleteRange') ids = null
              else if (req.type === 'delete') ids = req.keys as string[]
              else ids = (req.keys as string[] | undefined) ?? req.values.map((v) => (v as { id: string }).id)
              for (const l of listeners) l(ids)
              if (req.type === 'put' || req.type === 'add') {
                const values = req.values.map((v) => ({ ...(v as object), localSeq: ++seq.last }))
                return table.mutate({ ...req, values })
              }
              const stores = (req.trans as unknown as IDBTransaction).objectStoreNames
              if (!stores.contains('digests')) {
                return Promise.reject(new Error('A hard delete of documents must include db.digests in its transaction (the kept list digests would go stale)'))
              }
              return down.table('digests').mutate({ type: 'deleteRange', trans: req.trans, range: ANY_RANGE }).then(() => table.mutate(req))
            },
          }
        },
      }
    },
  }
}

/**
 * At open: the last `localSeq` issued on this PC, so stamps keep increasing across restarts. The
 * highest stamp per form is one step down the `[form+localSeq]` index (forms found by jumping along
 * the `form` index); a kept digest may name a higher one (its stamp counts writes that were
 * rolled back), kept in `LOCAL_SEQ_MARK`.
 */
async function initLocalSeq(db: Dexie, seq: LocalSeq): Promise<void> {
  const docs = db.table('docs')
  let last = seq.last
  // The distinct forms by jumping from one to the next (a short cursor each), never walking the
  // `form` index's 100,000 entries (`uniqueKeys` did: about 0.7 s at every start).
  const forms: string[] = []
  for (let k = await docs.orderBy('form').limit(1).keys(); k.length; k = await docs.where('form').above(k[0]).limit(1).keys()) forms.push(String(k[0]))
  for (const form of forms) {
    const key = await docs.where('[form+localSeq]').between([form, Dexie.minKey], [form, Dexie.maxKey]).lastKey() as [string, number] | undefined
    if (key) last = Math.max(last, key[1])
  }
  const mark = await db.table('digests').get(LOCAL_SEQ_MARK) as DigestPart | undefined
  seq.last = Math.max(last, mark?.stamp ?? 0)
}

/** Options for opening a database outside a browser (tests pass fake-indexeddb). */
export interface DbDeps { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange }

export class DeskDb extends Dexie {
  docs!: Table<StoredDoc, string>
  lines!: Table<LineRecord, string>
  attachments!: Table<AttachmentRecord, string>
  blobs!: Table<BlobRecord, string>
  audit!: Table<AuditEntry, string>
  versions!: Table<VersionSnapshot, string>
  outbox!: Table<OutboxRow, number>
  printLog!: Table<PrintLogEntry, string>
  users!: Table<User, string>
  proxies!: Table<ProxyGrant, string>
  settings!: Table<SettingRow, string>
  counters!: Table<CounterRow, string>
  manualMatches!: Table<ManualMatch, string>
  meta!: Table<MetaRow, string>
  syncState!: Table<SyncStateRow, string>
  syncConflicts!: Table<SyncConflictRow, string>
  syncSegments!: Table<SyncSegmentRow, number>
  syncCursors!: Table<Cursor & { pc: string }, string>
  syncPeers!: Table<PeerInfo, string>
  syncIssues!: Table<FileIssue, [string, number]>
  syncMeta!: Table<MetaRow, string>
  directory!: Table<DirEntry, string>
  findings!: Table<Finding, string>
  digests!: Table<DigestPart, [string, number]>
  /** Listeners told which documents each write touches (see `docWatch`); local to this window. */
  readonly docWrites = new Set<DocWriteListener>()
  private readonly stamps: LocalSeq = { last: 0 }

  constructor(name: string = DEFAULT_DB_NAME, deps: DbDeps = {}) {
    super(name, deps.indexedDB && deps.IDBKeyRange ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : undefined)
    this.version(1).stores(SCHEMA_V1)
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeV2)
    this.version(3).stores(SCHEMA_V3).upgrade(upgradeV3)
    this.version(4).stores(SCHEMA_V4)
    this.version(5).stores(SCHEMA_V5)
    this.version(6).stores(SCHEMA_V6)
    this.version(7).stores(SCHEMA_V7)
    this.use(syncCellGuard)
    this.use(strictDurability)
    this.use(docWatch(this.docWrites, this.stamps))
    // Sticky: again on every open (a closed database may be opened anew).
    this.on('ready', (vip: Dexie) => initLocalSeq(vip, this.stamps), true)
  }

  /**
   * The last `localSeq` issued in this window. Every document row put since the open has a stamp up
   * to it, and the write's `docWrites` listeners were told when the stamp was issued.
   */
  localSeq(): number {
    return this.stamps.last
  }
}

/** Opens (creating or upgrading) the profile's database. */
export async function openDb(name: string = DEFAULT_DB_NAME, indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): Promise<DeskDb> {
  const db = new DeskDb(name, { indexedDB, IDBKeyRange: keyRange })
  await db.open()
  return db
}

/** Every table a business write touches, for one rw transaction. */
export function writeTables(db: DeskDb): Table[] {
  return [db.docs, db.lines, db.attachments, db.blobs, db.audit, db.versions, db.outbox, db.printLog, db.counters, db.meta, db.directory, db.settings]
}
