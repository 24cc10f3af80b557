/**
 * The Dexie adapter of `DocumentStore`. Every change writes its business rows, its audit entry and
 * one outbox row per changed record in ONE rw transaction (sync.md "Writing"): either all of it is
 * stored or none of it is. Index-only fields (`searchWords`, `refs`) are derived here and never
 * leave this file: callers get plain `DocRecord`s.
 */
import Dexie, { type Table } from 'dexie'
import type {
  Actor, AttachmentRecord, AuditEntry, DocRecord, FieldChange, LineRecord, OutboxRow, PrintLogEntry,
  Settings, VersionSnapshot,
} from '@core/model'
import type { DocumentStore, LoadedDoc } from '@core/ports'
import type { FieldError, FieldValue, FormData, FormDef, LinesField, RefSource, Values } from '@forms/schema/types'
import { applyComputed, defaultValues, validateForm } from '@core/validation'
import { counterKey, formatNumber, nextSeq } from '@core/numbering'
import { searchKeys } from '@core/search'
import { diffDocs, diffValues } from '@core/diff'
import { mirrorRefs, mirrorValues } from '@core/compare'
import { withGathered } from '@core/gather'
import { policyOf } from '@forms/schema/policy'
import { checkTransition, initialState, isReleased, priorActors, reviseOnEdit, transitionsOf, type TransitionCheck, type TransitionInput, voidStates, withApprovals } from '@core/workflow'
import { editRefusal } from '@core/rights'
import { ownFieldRefusal } from '@core/own-field'
import type { Role } from '@core/model'
import { directoryUsers, foldDirectory } from '@core/trust/directory'
import { sha256Hex } from '@core/identity'
import { uuidv7 } from '@core/uuid'
import { groupLines, toSnapshot } from '@core/records'
import { refsOf, writeTables, type DeskDb, type StoredDoc } from './db'
import { createListDigest, readRows } from './list-digest'
import { DASHBOARD_FIELDS } from '@core/dashboard/charts'
import { RECEIVABLE_FORMS } from '@core/dashboard/settled'
import { SETTLING_VERSION } from '@forms/contract/contract.ageing'
import { createReceivablesKeeper, type ReceivablesKeeper, type ReceivablesToKeep, type SettledOffice } from './kept-receivables'
import { isPlainQuery, type ListRow } from '@core/list-query'
import { localDay, sealAudit, type FixedChain } from './audit'
import type { OfficeState, SignedIn } from './directory'

/** Thrown by create/update when the form data does not validate; nothing was written. */
export class ValidationFailed extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`表单校验未通过（${errors.length} 处） / validation failed (${errors.length})`)
    this.name = 'ValidationFailed'
  }
}

/** Thrown when a document is missing or may not be changed in its state. */
export class DocumentError extends Error {
  constructor(readonly code: 'notFound' | 'notEditable' | 'deleted' | 'stateChanged' | 'badTransition' | 'noRight', message: string, readonly zh?: string) {
    super(message)
    this.name = 'DocumentError'
  }
}

export interface DocumentStoreDeps {
  forms: (id: string) => FormDef
  /** ISO timestamp; injected so tests and the sync clock decide what "now" is. */
  now: () => string
  /** This PC's settings; only `pcCode` is used (it goes into every number). */
  settings: () => Settings | Promise<Settings>
  /** Who is signed in, with the key that signs every audit entry; null: nothing can be written. */
  signer: () => SignedIn | null
  /** How long a search waits for a list digest still being built before answering from the index (default 1 s; Infinity: always wait). */
  searchWaitMs?: number
  /** Awaited before a form's list digest is loaded or built (tests hold it; default: none). */
  digestGate?: (form: string) => Promise<void>
}

/** Thrown when the data layer's own check refuses a transition (whatever the caller checked); nothing was written. */
export class TransitionRefused extends Error {
  constructor(readonly check: Extract<TransitionCheck, { ok: false }>) {
    super(`${check.message.zh} / ${check.message.en}`)
    this.name = 'TransitionRefused'
  }
}

export interface AttachmentInput { name: string; mime: string; bytes: Uint8Array }
/** `field`: the form's attachment field the file belongs to (its count is kept in the document's values). */
export interface AttachmentMeta { kind: AttachmentRecord['kind']; version?: number; field?: string }
export type AddAttachmentResult =
  | { duplicate: false; attachment: AttachmentRecord }
  | { duplicate: true; existing: AttachmentRecord }

/** The Dexie document store plus what the UI needs beyond the port. */
export interface DeskDocumentStore extends DocumentStore {
  /** As the port's create; `opts.id` fixes the key (seed data, imports). */
  create(form: string, data: FormData, actor: Actor, opts?: CreateOptions): Promise<LoadedDoc>
  /** As the port's update; `opts.comment` goes into the audit entry (导入自 Excel：file, row). */
  update(id: string, data: FormData, actor: Actor, opts?: UpdateOptions): Promise<LoadedDoc>
  /** Tombstones a document (never a hard delete: sync.md "Never infer a delete from absence"). */
  remove(id: string, actor: Actor, comment?: string): Promise<void>
  addAttachment(docId: string, file: AttachmentInput, meta: AttachmentMeta, actor: Actor): Promise<AddAttachmentResult>
  /** Live attachments with these bytes, on any document. */
  findAttachmentByHash(hash: string): Promise<AttachmentRecord[]>
  readBlob(hash: string): Promise<Uint8Array | undefined>
  /** Same as `logPrint`; `actor` defaults to `entry.by`. */
  recordPrint(entry: PrintLogEntry, actor?: Actor): Promise<void>
  logPrint(entry: PrintLogEntry, actor?: Actor): Promise<void>
  printLog(docId: string): Promise<PrintLogEntry[]>
  /** Starts building a form's list digest in the background (the list calls it once shown). */
  warmList(form: string): void
  /** Resolves once a form's list digest is built (words anywhere, filters and sort answer from then on). */
  searchReady(form: string): Promise<void>
  /** Keeps the lists' digests that changed on disk now (otherwise 5 s after a change; a restart then loads them). */
  saveListDigests(): Promise<void>
  /** Every live row of a form's list digest (the start page's figures, core/dashboard), newest change first. */
  digestRows(form: string): Promise<readonly ListRow[]>
  /** The last `localSeq` stamp issued: taken before the rows to settle are read, so a write after it is seen as one. */
  writeStamp(): number
  /** The office's receivables as last settled and kept (issue 10), as on `asOf`, brought up to the documents written since (`patched`: how many), or undefined: settle afresh. */
  keptReceivables(asOf: string): Promise<(SettledOffice & { patched: number }) | undefined>
  /** Settled receivables to keep for the next start (written 5 s later, or with the digests). */
  keepReceivables(k: ReceivablesToKeep): void
  /** The documents count of a form, from the counter kept in `meta` (no table scan). */
  count(form: string): Promise<number>
  /** Live documents of `form` in any of `states`, newest change first (read through the `state` index). */
  byStates(form: string, states: string[], limit?: number): Promise<DocRecord[]>
  /** Live documents this user created, newest first (我发起的). */
  createdBy(userId: string, limit: number): Promise<DocRecord[]>
  /** This user's workflow actions (transitions and sign-offs), newest first (已办). */
  actionsBy(userId: string, limit: number): Promise<AuditEntry[]>
}

/**
 * Options of `create` beyond the port (seed data uses fixed ids, and a fixed audit id and chain
 * place; an import says where the record came from in the audit entry's `comment`).
 */
export interface CreateOptions { id?: string; auditId?: string; chain?: FixedChain; comment?: string }
/** Options of `update` beyond the port: the audit entry's comment (an Excel import names its file and row). */
export interface UpdateOptions { comment?: string }

const countKey = (form: string): string => `count:${form}`
const deletedKey = (form: string): string => `deleted:${form}`

/** Record fields as the outbox carries them: flat, `values.<key>` per value, so merge is per field. */
export function flatten(record: { values: Values } & Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record)) {
    if (k === 'values' || k === 'searchWords' || k === 'refs' || k === 'localSeq' || v === undefined) continue
    out[k] = v
  }
  for (const [k, v] of Object.entries(record.values)) if (v !== undefined) out[`values.${k}`] = v
  return out
}

function stripIndexFields(d: StoredDoc): DocRecord {
  const { searchWords: _w, refs: _r, localSeq: _s, ...doc } = d
  return doc
}

/**
 * `values` with the fields the data layer owns, never a screen: attachment counts (addAttachment
 * keeps them) and fields written only by a transition (computed without a function: the decision,
 * the engineer assigned, the lead time replied…). As stored (`stored`), or as a new document starts.
 * Not a gathered field (GatherDef.writes): the save computes it anew from the records.
 */
function withOwnFields(def: FormDef, values: Values, stored?: Values): Values {
  const out: Values = { ...values }
  for (const f of def.fields) {
    // Mirrored and gathered fields are the data layer's too, but written from the records on every save.
    if (f.mirror || def.gather?.writes.includes(f.key) || (f.type !== 'attachment' && !(f.computed && !def.computed?.[f.key]))) continue
    if (!stored) out[f.key] = f.type === 'attachment' ? 0 : null
    else if (f.key in stored) out[f.key] = stored[f.key]!
    else delete out[f.key]
  }
  return out
}

function linesFields(def: FormDef): LinesField[] {
  return def.fields.filter((f): f is LinesField => f.type === 'lines')
}

/** The office's calendar date of an ISO instant: numbers change month at local midnight, not UTC. */
function localDate(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** The id of the record a document's title comes from, when its title field is a reference. */
export function titleRefId(def: FormDef, values: Values): string | undefined {
  const field = def.fields.find((f) => f.key === def.titleField)
  const v = values[def.titleField]
  return field?.type === 'reference' && typeof v === 'string' ? v : undefined
}

/** A document's own title text (its titleField's value), for a form whose title is not a reference. */
export function titleOfDoc(forms: (id: string) => FormDef, doc: Pick<DocRecord, 'form' | 'values'>): string | undefined {
  let def: FormDef
  try { def = forms(doc.form) } catch { return undefined }
  const t = doc.values?.[def.titleField]
  return t === undefined || t === null ? undefined : String(t)
}

/** The `searchWords` index entries of a document, given its title text (no database access). */
export function searchWordsFor(def: FormDef, number: string, values: Values, title: string | undefined): string[] {
  const texts: string[] = []
  for (const key of def.list.search) {
    if (key === 'number') {
      texts.push(number)
      // The serial part alone too, so "0001" or "a7-0001" finds BJ2611-A7-0001.
      const parts = number.split('-')
      for (let i = 1; i < parts.length; i++) texts.push(parts.slice(i).join('-'))
    } else if (key !== def.titleField) {
      const v = values[key]
      if (v !== undefined && v !== null && v !== '') texts.push(String(v))
    }
  }
  if (title) texts.push(title)
  const words = new Set<string>()
  for (const t of texts) for (const w of searchKeys(t)) if (w) words.add(`${def.id}:${w}`)
  return [...words]
}

/**
 * The `searchWords` of a document: its title is its titleField, or the referenced record's title.
 * Returns a Dexie promise (never a plain async function's promise), so awaiting it inside a Dexie
 * transaction keeps the transaction (a native promise there can commit it early in Chromium).
 */
export function docSearchWords(db: DeskDb, forms: (id: string) => FormDef, def: FormDef, number: string, values: Values): Promise<string[]> {
  const refId = titleRefId(def, values)
  if (refId === undefined) {
    const t = values[def.titleField]
    return Dexie.Promise.resolve(searchWordsFor(def, number, values, t === undefined || t === null ? undefined : String(t)))
  }
  return db.docs.get(refId).then((ref) => searchWordsFor(def, number, values, ref ? titleOfDoc(forms, ref) : undefined))
}

/** Creates the Dexie-backed document store. */
export function createDocumentStore(db: DeskDb, deps: DocumentStoreDeps): DeskDocumentStore {
  const { forms, now } = deps
  const digest = createListDigest(db, forms, (form) => DASHBOARD_FIELDS[form] ?? [], deps.digestGate)
  // What settling reads of the five forms: a change to it (or to the settling) settles the kept receivables afresh.
  let keeper: ReceivablesKeeper | undefined
  const receivablesKept = (): ReceivablesKeeper => {
    if (keeper) return keeper
    const voids = new Map(RECEIVABLE_FORMS.map((f) => [f, new Set(voidStates(forms(f)))]))
    const titleKey = forms('customer').titleField
    const sig = JSON.stringify([SETTLING_VERSION, RECEIVABLE_FORMS.map((f) => { const def = forms(f); return [f, voidStates(def), def.titleField, DASHBOARD_FIELDS[f] ?? []] })])
    return keeper = createReceivablesKeeper(db, sig, {
      // As the lists' digest holds it (list-digest.ts rowOf): a void document is no row.
      rowOf: (doc) => (voids.get(doc.form)?.has(doc.state) ? undefined : { id: doc.id, number: doc.number, state: doc.state, values: doc.values ?? {} }),
      titleOf: (doc) => String(doc.values?.[titleKey] ?? doc.number),
    })
  }

  const outboxRow = (table: string, key: string, op: OutboxRow['op'], fields: Record<string, unknown>, at: string): OutboxRow =>
    ({ table, key, op, fields, at, exported: 0 })

  async function bumpCount(form: string, by: number): Promise<void> {
    const row = await db.meta.get(countKey(form))
    await db.meta.put({ key: countKey(form), value: ((row?.value as number | undefined) ?? 0) + by })
  }

  const searchWordsOf = (def: FormDef, number: string, values: Values): Promise<string[]> => docSearchWords(db, forms, def, number, values)

  /**
   * Fault 20 (sync.md): a record that refers to another also writes an empty put on it while it is
   * alive here, so a delete made elsewhere that had not seen this write becomes an edit/delete
   * conflict on the referred record instead of leaving this one orphaned.
   */
  function referencePuts(form: string, values: Values, at: string, self: string): Promise<OutboxRow[]> {
    const ids = refsOf(form, values).map((ref) => ref.slice(ref.indexOf('=') + 1)).filter((id) => id !== self)
    // A Dexie promise (not an async function's), so awaiting it keeps the caller's transaction.
    return db.docs.bulkGet(ids).then((found) => found.flatMap((d) => (d && !d.deleted ? [outboxRow('docs', d.id, 'put', {}, at)] : [])))
  }

  async function loadInTx(id: string): Promise<LoadedDoc | undefined> {
    const d = await db.docs.get(id)
    if (!d) return undefined
    const lines = (await db.lines.where('docId').equals(id).toArray()).filter((l) => !l.deleted)
    lines.sort((a, b) => (a.field === b.field ? a.seq - b.seq : a.field < b.field ? -1 : 1))
    return { doc: stripIndexFields(d), lines }
  }

  /**
   * Mirrored fields (`mirror`: the agreed quotation's terms on a contract) from the records the
   * document names, as stored now: whatever the screen sent for them is replaced.
   */
  async function withMirrors(def: FormDef, data: FormData): Promise<FormData> {
    const refs = mirrorRefs(def)
    if (!refs.length) return data
    const sources = new Map<string, RefSource>()
    for (const key of refs) {
      const field = def.fields.find((f) => f.key === key)
      const id = data.values[key]
      if (field?.type !== 'reference' || typeof id !== 'string') continue
      const loaded = await loadInTx(id)
      if (loaded && loaded.doc.form === field.to && !loaded.doc.deleted) {
        const snap = toSnapshot(loaded)
        sources.set(key, { values: snap.values, lines: Object.fromEntries(Object.entries(snap.lines).map(([k, rows]) => [k, rows.map((r) => r.values)])) })
      }
    }
    return mirrorValues(def, data, (key) => sources.get(key))
  }

  /** A form's gathered part (a statement's entries) as the records stored now give it: whatever the screen sent for it is replaced. */
  async function gathered(def: FormDef, data: FormData, self?: string): Promise<FormData> {
    if (!def.gather) return data
    const { dir } = await signedInNow()
    return withGathered(def, data, { lookup: store, today: localDay(now()), policy: policyOf(dir.settings.policy), ...(self ? { self } : {}) })
  }

  /** Validates after computing; throws ValidationFailed before anything is opened for writing. */
  function prepare(def: FormDef, data: FormData): FormData {
    const computed = applyComputed(def, data)
    const errors = validateForm(def, computed)
    if (errors.length > 0) throw new ValidationFailed(errors)
    return computed
  }

  function audit(docId: string, at: string, actor: Actor, action: string, changes: FieldChange[], comment?: string, form?: string, id: string = crypto.randomUUID()): AuditEntry {
    const e: AuditEntry = { id, docId, at, actor, action, changes }
    if (comment) e.comment = comment
    if (form) e.form = form
    return e
  }

  /** Signs (as the signed-in user), chains and stores the entry; its outbox row carries it whole. */
  async function writeAudit(entry: AuditEntry, outbox: OutboxRow[], chain?: FixedChain): Promise<AuditEntry> {
    const sealed = await sealAudit(db, deps.signer(), entry, chain)
    outbox.push(outboxRow('audit', sealed.id, 'put', { ...sealed }, sealed.at))
    return sealed
  }

  const tables = (): Table[] => writeTables(db)

  /** The signed-in user and the directory as stored now (read inside the caller's transaction). */
  async function signedInNow() {
    const signer = deps.signer()
    const office = (await db.settings.get('office'))?.value as OfficeState | undefined
    const dir = foldDirectory(await db.directory.toArray(), office && office.kind !== 'none' ? office.genesis : '')
    const users = directoryUsers(dir)
    const me = signer ? users.find((u) => u.id === signer.user.id) : undefined
    const grant = signer?.grantId ? dir.grants.get(signer.grantId) : undefined
    return { signer, users, me, grant, dir }
  }

  /** The roles the signed-in user holds now (own and, through the chosen grant, the principal's one). */
  async function rolesNow(): Promise<Role[]> {
    const { me, grant } = await signedInNow()
    if (!me || !me.active) return []
    return grant && grant.proxyId === me.id ? [...me.roles, grant.role] : [...me.roles]
  }

  /** A document that belongs to one person (a `user` field with `ownUnless`): the others may not save it (core/own-field.ts). */
  async function checkOwn(def: FormDef, values: Values, actor: Actor): Promise<void> {
    if (!def.fields.some((f) => f.type === 'user' && f.ownUnless?.length)) return
    const refusal = ownFieldRefusal(def, values, { id: actor.userId, roles: await rolesNow() })
    if (refusal) throw new DocumentError('noRight', `${refusal.zh} / ${refusal.en}`, refusal.zh)
  }

  /**
   * Per-section edit rights (core/rights.ts), checked inside the write whatever the screen showed:
   * a field in a restricted section changes only for its roles and in its states.
   */
  async function checkRights(def: FormDef, state: string, keys: string[]): Promise<void> {
    const restricted = def.sections.some((s) => s.edit)
    if (keys.length === 0) return
    const refusal = editRefusal(def, state, restricted ? await rolesNow() : [], keys)
    if (refusal) {
      throw new DocumentError(restricted ? 'noRight' : 'notEditable', `${refusal.zh} / ${refusal.en}`, refusal.zh)
    }
  }

  /** The word-start search over the `searchWords` index: every word must start a word of the document. */
  async function byIndex(form: string, text: string, offset: number, limit: number) {
    const terms = text.normalize('NFKC').trim().toLowerCase().split(/\s+/).filter(Boolean)
    const idsOf = async (term: string) => new Set(await db.docs.where('searchWords').startsWith(`${form}:${term}`).primaryKeys())
    const sets = await Promise.all(terms.map(idsOf))
    sets.sort((a, b) => a.size - b.size)
    // UUIDv7 ids: id order is creation order, newest first.
    const ids = [...(sets[0] ?? [])].filter((id) => sets.every((s) => s.has(id))).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
    const page = await db.docs.bulkGet(ids.slice(offset, offset + limit))
    const voids = new Set(voidStates(forms(form)))
    return { rows: page.filter((d): d is StoredDoc => !!d && !d.deleted && !voids.has(d.state)).map(stripIndexFields), total: ids.length }
  }

  const store: DeskDocumentStore = {
    async create(form: string, data: FormData, actor: Actor, opts: CreateOptions = {}): Promise<LoadedDoc> {
      const def = forms(form)
      // A new document has no files and no transition's answers yet, whatever the screen (or a copy) sends.
      const computed = prepare(def, await gathered(def, await withMirrors(def, { ...data, values: withOwnFields(def, data.values) })))
      const { pcCode } = await deps.settings()
      const at = now()
      return db.transaction('rw', tables(), async () => {
        // The counter is read and advanced inside the write: a failed write consumes no number.
        // One sequence per prefix, month and PC code (`BJ2611-A7`): a changed PC code starts afresh.
        const day = localDate(at)
        const key = counterKey(def.numbering.prefix, day, pcCode)
        const seq = nextSeq((await db.counters.get(key))?.seq)
        await db.counters.put({ key, seq })
        const number = formatNumber(def.numbering.prefix, day, pcCode, seq)
        // Time-ordered ids (UUIDv7): search results can then list the newest documents first.
        const id = opts.id ?? uuidv7(Number.isNaN(Date.parse(at)) ? Date.now() : Date.parse(at))
        const doc: DocRecord = {
          id, form, number, state: initialState(def), version: 1, values: computed.values,
          createdAt: at, createdBy: actor.userId, updatedAt: at, updatedBy: actor.userId,
        }
        await checkOwn(def, doc.values, actor)
        // A restricted section (the customer's 老客户 box that decides R1) is set only by its roles.
        if (def.sections.some((s) => s.edit)) {
          const blank = defaultValues(def)
          // A field left empty is not set (an absent 老客户 box is a new customer, as an unticked one).
          await checkRights(def, doc.state, diffValues(blank.values, doc.values).filter((c) => c.to !== null).map((c) => c.field))
        }
        const stored: StoredDoc = { ...doc, searchWords: await searchWordsOf(def, number, doc.values), refs: refsOf(form, doc.values) }
        await db.docs.add(stored)
        // Every state a document is given names the signed audit entry that gave it (`stateBy`),
        // which every PC checks before it takes the state (core/trust/judge.ts).
        const auditId = opts.auditId ?? crypto.randomUUID()
        const outbox: OutboxRow[] = [outboxRow('docs', id, 'put', { ...flatten(doc as unknown as DocRecord & Record<string, unknown>), stateBy: auditId }, at)]
        const changes: FieldChange[] = diffDocs(def, { values: {}, lines: {} }, computed)
        const lines: LineRecord[] = []
        for (const lf of linesFields(def)) {
          (computed.lines[lf.key] ?? []).forEach((row, i) => {
            lines.push({ id: crypto.randomUUID(), docId: id, field: lf.key, seq: i, values: row.values })
          })
        }
        if (lines.length) await db.lines.bulkAdd(lines)
        for (const l of lines) outbox.push(outboxRow('lines', l.id, 'put', flatten(l as unknown as LineRecord & Record<string, unknown>), at))
        await writeAudit(audit(id, at, actor, 'create', changes, opts.comment, form, auditId), outbox, opts.chain)
        outbox.push(...(await referencePuts(form, doc.values, at, id)))
        await bumpCount(form, 1)
        await db.outbox.bulkAdd(outbox)
        return { doc, lines }
      })
    },

    async update(id: string, data: FormData, actor: Actor, opts: UpdateOptions = {}): Promise<LoadedDoc> {
      const current = await db.docs.get(id)
      if (!current || current.deleted) throw new DocumentError('notFound', `单据不存在 / no such document: ${id}`)
      const def = forms(current.form)
      const computed = prepare(def, await gathered(def, await withMirrors(def, { ...data, values: withOwnFields(def, data.values, current.values) }), id))
      const at = now()
      return db.transaction('rw', tables(), async () => {
        const before = await db.docs.get(id)
        if (!before || before.deleted) throw new DocumentError('notFound', `单据不存在 / no such document: ${id}`)
        // Attachment counts belong to the data layer (addAttachment keeps them), and a transition's
        // answers to the transition: a screen's stale (or forged) value never writes, as stored now.
        computed.values = withOwnFields(def, computed.values, before.values)
        // Someone else's document stays theirs: neither edited by, nor handed to, another salesperson.
        await checkOwn(def, before.values, actor)
        await checkOwn(def, computed.values, actor)
        const docFields: Record<string, unknown> = {}
        for (const c of diffValues(before.values, computed.values)) docFields[`values.${c.field}`] = computed.values[c.field] ?? null

        // Lines: matched by id within the same field; unmatched old rows become tombstones.
        const outbox: OutboxRow[] = []
        const puts: LineRecord[] = []
        const existing = (await db.lines.where('docId').equals(id).toArray()).filter((l) => !l.deleted)
        // The audit lists changes in the form's field order, rows by position (diff.ts paths).
        const changes: FieldChange[] = diffDocs(def, { values: before.values, lines: groupLines(existing) }, computed)
        // The state's edit rights and each section's (roles, states), for the fields this save changes.
        const changedKeys = [...new Set(changes.map((c) => c.field.split(/[.[]/)[0]!))].filter((k) => !def.fields.find((f) => f.key === k)?.computed)
        try {
          await checkRights(def, before.state, changedKeys)
        } catch (e) {
          if (e instanceof DocumentError && e.code === 'notEditable') {
            throw new DocumentError('notEditable', `单据当前状态不可修改 / the document cannot be edited in state ${before.state}`, '单据当前状态不可修改')
          }
          throw e
        }
        for (const lf of linesFields(def)) {
          const old = new Map(existing.filter((l) => l.field === lf.key).map((l) => [l.id, l]))
          ;(computed.lines[lf.key] ?? []).forEach((row, i) => {
            const prev = old.get(row.id)
            if (prev) {
              old.delete(row.id)
              const cellChanges = diffValues(prev.values, row.values)
              if (cellChanges.length === 0 && prev.seq === i) return
              const line: LineRecord = { ...prev, seq: i, values: row.values }
              puts.push(line)
              const fields: Record<string, unknown> = {}
              if (prev.seq !== i) fields.seq = i
              for (const c of cellChanges) fields[`values.${c.field}`] = row.values[c.field] ?? null
              outbox.push(outboxRow('lines', line.id, 'put', fields, at))
            } else {
              const line: LineRecord = { id: crypto.randomUUID(), docId: id, field: lf.key, seq: i, values: row.values }
              puts.push(line)
              outbox.push(outboxRow('lines', line.id, 'put', flatten(line as unknown as LineRecord & Record<string, unknown>), at))
            }
          })
          for (const gone of old.values()) {
            puts.push({ ...gone, deleted: true })
            outbox.push(outboxRow('lines', gone.id, 'delete', { deleted: true }, at))
          }
        }
        if (changes.length === 0 && outbox.length === 0) return (await loadInTx(id))!

        // §5.6.1: editing a released document makes a new version that needs approval again.
        let action = 'update'
        const auditId = crypto.randomUUID()
        let { version, state } = before
        const revised = reviseOnEdit(def, before)
        if (revised) {
          action = 'revise'
          changes.unshift({ field: 'version', from: before.version, to: revised.version })
          if (revised.state !== before.state) changes.unshift({ field: 'state', from: before.state, to: revised.state })
          version = revised.version
          state = revised.state
          docFields.version = version
          docFields.state = state
          docFields.stateBy = auditId
        }
        const doc: DocRecord = { ...stripIndexFields(before), values: computed.values, version, state, updatedAt: at, updatedBy: actor.userId }
        await db.docs.put({ ...doc, searchWords: await searchWordsOf(def, doc.number, doc.values), refs: refsOf(doc.form, doc.values) })
        outbox.unshift(outboxRow('docs', id, 'put', { ...docFields, updatedAt: at, updatedBy: actor.userId }, at))
        if (puts.length) await db.lines.bulkPut(puts)
        await writeAudit(audit(id, at, actor, action, changes, opts.comment, doc.form, auditId), outbox)
        outbox.push(...(await referencePuts(doc.form, doc.values, at, id)))
        await db.outbox.bulkAdd(outbox)
        return (await loadInTx(id))!
      })
    },

    async transition(id: string, transitionId: string, to: string, _sets: Values, _actor: Actor, comment?: string, input?: TransitionInput): Promise<LoadedDoc> {
      const at = now()
      return db.transaction('rw', tables(), async () => {
        const before = await db.docs.get(id)
        if (!before || before.deleted) throw new DocumentError('notFound', `单据不存在 / no such document: ${id}`)
        // The approval chain is the administrator's, as the directory stored here says now.
        const { signer, users, me, grant, dir } = await signedInNow()
        const def = withApprovals(forms(before.form), dir.settings.approvals, dir.settings.approvalLimits)
        // Re-checked inside the write: another window (or a sync import) may have moved the
        // document since the clerk pressed the button; a stale transition must not apply.
        const t = def.workflow ? transitionsOf(def.workflow).find((x) => x.id === transitionId) : undefined
        // Only the form's own transitions, to their own target: a wrong id or state is a caller's bug
        // that would otherwise write a state the workflow never allows.
        if (!t || (to !== t.to && to !== t.completes)) {
          throw new DocumentError('badTransition', `“${def.title.zh}”没有从“${before.state}”到“${to}”的操作“${transitionId}” / ${def.id} has no transition ${transitionId} to ${to}`)
        }
        if (!t.from.includes(before.state)) {
          throw new DocumentError('stateChanged', `单据状态已变为“${before.state}”，无法执行此操作，请刷新后重试 / the document is now in state ${before.state}`)
        }
        // The data layer is the gate, whatever the caller checked: the signed-in user's roles and
        // chosen proxy grant in the directory as stored now, separation of duties, the comment,
        // validation and the form's guards, all inside this write.
        const refuse = (message: { zh: string; en: string }) => new TransitionRefused({ ok: false, reason: 'role', message })
        if (!signer || !me) throw refuse({ zh: '请先登录', en: 'Please sign in first' })
        const trail = await db.audit.where('docId').equals(id).toArray()
        const current = (await loadInTx(id))!
        const check = await checkTransition(def, toSnapshot(current), transitionId, { user: me, grants: grant ? [grant] : [], users, policy: dir.settings.policy }, store, localDay(at), comment, priorActors(trail), input)
        if (!check.ok) throw new TransitionRefused(check)
        // A countersign's sign-off may complete it or not, as the sign-offs stored now say: the
        // caller's expectation must match (another member may have signed meanwhile).
        if (check.to !== to) {
          throw new DocumentError('stateChanged', `会签情况已变化，请刷新后重试 / the countersign changed meanwhile; reload and try again`)
        }
        const sets = check.sets
        const actor = check.actor
        const values: Values = { ...before.values, ...sets }
        const changes: FieldChange[] = [{ field: 'state', from: before.state, to }, ...diffValues(before.values, values)]
        // Warnings the user saw and confirmed stay with the action in the signed audit entry.
        if (check.warnings.length) changes.push({ field: 'confirmedWarnings', from: null, to: check.warnings.map((w) => ({ rule: w.rule, clause: w.clause, message: w.message })) })
        const auditId = crypto.randomUUID()
        const fields: Record<string, unknown> = { state: to, stateBy: auditId, updatedAt: at, updatedBy: actor.userId }
        for (const c of changes) if (c.field !== 'state' && c.field !== 'confirmedWarnings') fields[`values.${c.field}`] = values[c.field] ?? null
        const doc: DocRecord = { ...stripIndexFields(before), state: to, values, updatedAt: at, updatedBy: actor.userId }
        await db.docs.put({ ...doc, searchWords: await searchWordsOf(def, doc.number, values), refs: refsOf(doc.form, values) })
        const outbox: OutboxRow[] = [outboxRow('docs', id, 'put', fields, at)]
        // What was approved/printed stays readable as it was: one frozen copy per released version.
        if (isReleased(def, to)) {
          const has = await db.versions.where('[docId+version]').equals([id, doc.version]).count()
          if (has === 0) {
            const lines = (await db.lines.where('docId').equals(id).toArray()).filter((l) => !l.deleted)
            const snap: VersionSnapshot = { id: crypto.randomUUID(), docId: id, version: doc.version, values, lines: groupLines(lines), at }
            await db.versions.add(snap)
            outbox.push(outboxRow('versions', snap.id, 'put', { ...snap }, at))
          }
        }
        await writeAudit(audit(id, at, actor, `transition:${transitionId}`, changes, comment, doc.form, auditId), outbox)
        // 作废: the document stays (and syncs) but leaves this PC's list count; lists filter it out.
        const voided = (s: string) => def.workflow?.states[s]?.void === true
        if (voided(to) !== voided(before.state)) {
          await bumpCount(before.form, voided(to) ? -1 : 1)
          if (voided(to)) await db.meta.put({ key: deletedKey(before.form), value: (((await db.meta.get(deletedKey(before.form)))?.value as number | undefined) ?? 0) + 1 })
        }
        await db.outbox.bulkAdd(outbox)
        return (await loadInTx(id))!
      })
    },

    async remove(id: string, actor: Actor, comment?: string): Promise<void> {
      const at = now()
      await db.transaction('rw', tables(), async () => {
        const before = await db.docs.get(id)
        if (!before) throw new DocumentError('notFound', `单据不存在 / no such document: ${id}`)
        if (before.deleted) return
        // Out of search and lists, but kept whole: an edit elsewhere may still revive it (sync.md 19).
        await db.docs.put({ ...before, deleted: true, searchWords: [], updatedAt: at, updatedBy: actor.userId })
        const outbox: OutboxRow[] = [outboxRow('docs', id, 'delete', { deleted: true, updatedAt: at, updatedBy: actor.userId }, at)]
        await writeAudit(audit(id, at, actor, 'delete', [{ field: 'deleted', from: false, to: true }], comment), outbox)
        await bumpCount(before.form, -1)
        await db.meta.put({ key: deletedKey(before.form), value: (((await db.meta.get(deletedKey(before.form)))?.value as number | undefined) ?? 0) + 1 })
        await db.outbox.bulkAdd(outbox)
      })
    },

    load: (id) => db.transaction('r', db.docs, db.lines, () => loadInTx(id)),

    async list(form, query) {
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      if (isPlainQuery(query)) {
        // The first screen: read through the [form+updatedAt] index and the kept count (harness.md:
        // counting rows is slow), without waiting for the digest.
        const total = ((await db.meta.get(countKey(form)))?.value as number | undefined) ?? 0
        let range = db.docs.where('[form+updatedAt]').between([form, ''], [form, '\uffff']).reverse()
        // Without a filter the cursor skips `offset` keys without reading records; tombstones are
        // rare, so the filter is added only for a form that has any.
        const voids = new Set(voidStates(forms(form)))
        if (((await db.meta.get(deletedKey(form)))?.value as number | undefined) ?? 0) range = range.filter((d) => !d.deleted && !voids.has(d.state))
        const rows = await range.offset(offset).limit(limit).toArray()
        return { rows: rows.map(stripIndexFields), total }
      }
      // A search typed while the digest is still being built (a minute at 100,000 documents on a slow
      // PC) is answered after a second from the search-word index, as before issue 10: words from their
      // start (number, title, pinyin, initials), newest first; anywhere-matching follows once built.
      if (!query.filters && !query.sort && query.text && !(await digest.builtWithin(form, deps.searchWaitMs ?? 1000))) {
        return { ...(await byIndex(form, query.text, offset, limit)), partial: true }
      }
      // Search, filters, sort: over the digest (list-digest.ts); only the page is read.
      const all = await digest.query(form, query)
      return { rows: await readRows(db, all.slice(offset, offset + limit), stripIndexFields), total: all.length }
    },

    async listAll(form, query) {
      return readRows(db, await digest.query(form, query), stripIndexFields)
    },

    warmList(form) { digest.warm(form) },
    async saveListDigests() { await digest.keep(); await keeper?.flush() },

    async searchReady(form) { await digest.builtWithin(form, Number.POSITIVE_INFINITY) },

    digestRows: (form) => digest.query(form, {}),

    writeStamp: () => db.localSeq(),
    keptReceivables: (asOf) => receivablesKept().load(asOf),
    keepReceivables(k) { receivablesKept().offer(k) },

    async byStates(form, states, limit) {
      if (states.length === 0) return []
      // The `state` index narrows to the states asked for; the form is checked per row (states
      // such as 'draft' are shared by forms, and there is no [form+state] index).
      const rows = await db.docs.where('state').anyOf(states).filter((d) => d.form === form && !d.deleted).toArray()
      rows.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
      return (limit === undefined ? rows : rows.slice(0, limit)).map(stripIndexFields)
    },

    async createdBy(userId, limit) {
      const rows = await db.docs.where('[createdBy+createdAt]').between([userId, ''], [userId, '\uffff']).reverse().filter((d) => !d.deleted).limit(limit).toArray()
      return rows.map(stripIndexFields)
    },

    async actionsBy(userId, limit) {
      return db.audit.where('[actor.userId+at]').between([userId, ''], [userId, '\uffff']).reverse()
        .filter((e) => e.action.startsWith('transition:')).limit(limit).toArray()
    },

    async count(form) {
      return ((await db.meta.get(countKey(form)))?.value as number | undefined) ?? 0
    },

    async timeline(docId) {
      return db.audit.where('docId').equals(docId).sortBy('at')
    },

    snapshot: (docId, version) => db.versions.where('[docId+version]').equals([docId, version]).first(),

    async attachments(docId) {
      return (await db.attachments.where('docId').equals(docId).toArray()).filter((a) => !a.deleted)
        .sort((a, b) => (a.importedAt < b.importedAt ? -1 : 1))
    },

    async addAttachment(docId, file, meta, actor) {
      // Hash before the transaction: an await on WebCrypto inside it would commit it early.
      const hash = await sha256Hex(file.bytes)
      const at = now()
      return db.transaction('rw', tables(), async (): Promise<AddAttachmentResult> => {
        const doc = await db.docs.get(docId)
        if (!doc || doc.deleted) throw new DocumentError('notFound', `单据不存在 / no such document: ${docId}`)
        const existing = (await db.attachments.where('hash').equals(hash).toArray()).find((a) => a.docId === docId && !a.deleted)
        if (existing) return { duplicate: true, existing }
        const outbox: OutboxRow[] = []
        if (!(await db.blobs.get(hash))) {
          await db.blobs.add({ hash, bytes: file.bytes, size: file.bytes.byteLength })
          // The bytes travel as a content-addressed file; the row only tells the exporter to copy them.
          outbox.push(outboxRow('blobs', hash, 'put', { hash, size: file.bytes.byteLength }, at))
        }
        const attachment: AttachmentRecord = {
          id: crypto.randomUUID(), docId, hash, name: file.name, mime: file.mime, size: file.bytes.byteLength,
          kind: meta.kind, importedAt: at, importedBy: actor.userId,
        }
        if (meta.version !== undefined) attachment.version = meta.version
        const changes: FieldChange[] = [{ field: 'attachments', from: null, to: { name: file.name, hash, kind: meta.kind, version: meta.version ?? null, field: meta.field ?? null } }]
        if (meta.field !== undefined) {
          // A file for an attachment field: the field's count goes up in the same write, so a
          // required attachment is satisfied and guards can read how many there are.
          const def = forms(doc.form)
          const f = def.fields.find((x) => x.key === meta.field)
          if (f?.type !== 'attachment') throw new DocumentError('badTransition', `“${def.title.zh}”没有附件栏“${meta.field}” / no attachment field ${meta.field}`)
          await checkRights(def, doc.state, [f.key])
          attachment.field = f.key
          const count = (typeof doc.values[f.key] === 'number' ? doc.values[f.key] as number : 0) + 1
          const values = { ...doc.values, [f.key]: count }
          await db.docs.put({ ...doc, values, updatedAt: at, updatedBy: actor.userId })
          outbox.push(outboxRow('docs', docId, 'put', { [`values.${f.key}`]: count, updatedAt: at, updatedBy: actor.userId }, at))
          changes.push({ field: f.key, from: count - 1, to: count })
        }
        await db.attachments.add(attachment)
        outbox.push(outboxRow('attachments', attachment.id, 'put', { ...attachment }, at))
        await writeAudit(audit(docId, at, actor, 'import', changes), outbox)
        await db.outbox.bulkAdd(outbox)
        return { duplicate: false, attachment }
      })
    },

    async findAttachmentByHash(hash) {
      return (await db.attachments.where('hash').equals(hash).toArray()).filter((a) => !a.deleted)
    },

    async readBlob(hash) {
      return (await db.blobs.get(hash))?.bytes
    },

    async recordPrint(entry, actor) {
      const by: Actor = actor ?? { userId: entry.by, name: deps.signer()?.user.name ?? entry.by }
      await db.transaction('rw', tables(), async () => {
        await db.printLog.add(entry)
        const outbox: OutboxRow[] = [outboxRow('printLog', entry.id, 'put', { ...entry }, entry.at)]
        const change: FieldChange = { field: 'print', from: null, to: { version: entry.version, pages: entry.pages, contentHash: entry.contentHash } }
        await writeAudit(audit(entry.docId, entry.at, by, 'print', [change]), outbox)
        await db.outbox.bulkAdd(outbox)
      })
    },

    logPrint(entry, actor) { return store.recordPrint(entry, actor) },

    async printLog(docId) {
      return db.printLog.where('docId').equals(docId).sortBy('at')
    },

    // ---------- RecordLookup (guards) ----------

    async get(form, id) {
      const loaded = await store.load(id)
      if (!loaded || loaded.doc.form !== form || loaded.doc.deleted) return undefined
      return toSnapshot(loaded)
    },

    async findBy(form: string, field: string, value: FieldValue) {
      let docs: StoredDoc[]
      if (field === 'number' && typeof value === 'string') {
        docs = await db.docs.where('number').equals(value).toArray()
      } else if (typeof value === 'string' && refsOf(form, { [field]: value }).length === 1) {
        docs = await db.docs.where('refs').equals(refsOf(form, { [field]: value })[0]!).toArray()
      } else {
        docs = await db.docs.where('[form+updatedAt]').between([form, ''], [form, '\uffff']).filter((d) => d.values[field] === value).toArray()
      }
      const live = docs.filter((d) => d.form === form && !d.deleted)
      return Promise.all(live.map(async (d) => toSnapshot((await store.load(d.id))!)))
    },
  }
  return store
}
