import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AttachmentRecord, AuditEntry, DocRecord } from '@core/model'
import type { LoadedDoc } from '@core/ports'
import type { FormData, FormDef } from '@forms/schema/types'
import { groupLines, toSnapshot } from '@core/records'
import { forms, formById } from '@forms/registry'
import {
  actionableStates, availableTransitions, withApprovals, checkTransition, countersignOf, deadlineStates, dueItemsOf, priorActors, voidStates,
  type AvailableTransition, type PriorActors, type TransitionCheck, type TransitionInput,
} from '@core/workflow'
import { chainLinks, deriveDoc, derivationsFrom, lineChainLinks, offers, withRow, type LineChainLink } from '@core/derive'
import { mirrorRefs, mirrorValues } from '@core/compare'
import { contractLedger, LEDGER_STATES, type LedgerFilter, type LedgerRow } from '@forms/contract/contract.ledger'
import { CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT, SHIPPED_STATES } from '@forms/contract/contract.tally'
import { creditAnalysis as creditRows, datedThrough, overdueNotices, receivables, type AgeingInput, type CreditRow, type OverdueNotice, type ReceivableItem } from '@forms/contract/contract.ageing'
import { reconciliationLines } from '@forms/reconciliation/reconciliation.rules'
import { fillFromReference } from '@core/validation'
import { policyOf } from '@forms/schema/policy'
import { withGathered, withLiveGathered } from '@core/gather'
import { dutiesDue, dutiesFor, type DutyItem } from '@core/duties'
import { recallColumn, recallEntries, type RecallEntry, type RecallQuery } from '@core/recall'
import type { DeriveSource, DocSnapshot, DueItem, GuardResult, ProgressView, RefSource, SignMember } from '@forms/schema/types'
import { TransitionRefused, type FindingView, type SavedFilter } from '@app/data'
import type { ListQuery, ListRow } from '@core/list-query'
import { duplicateProbes, possibleDuplicates } from '@core/search'
import { RECEIVABLE_FORMS, settledParts, settledReceivables, settleMemo, type SettleMemo } from '@core/dashboard/settled'
import { backend } from './backend'
import { localToday, useSessionStore } from './session'

/** How many matches one duplicate probe reads; a probe is four characters of a name, so few reach it. */
const PROBE_LIMIT = 200

/** The edit screen's data of a loaded document. */
export function toFormData(form: FormDef, loaded: LoadedDoc): FormData {
  const lines = groupLines(loaded.lines)
  for (const f of form.fields) if (f.type === 'lines') lines[f.key] ??= []
  return { values: { ...loaded.doc.values }, lines }
}

/** A record's values and line rows as a fill or derive mapping reads them. */
export function refSourceOf(form: FormDef, loaded: LoadedDoc): RefSource {
  const data = toFormData(form, loaded)
  return { values: data.values, lines: Object.fromEntries(Object.entries(data.lines).map(([k, rows]) => [k, rows.map((r) => r.values)])) }
}

/** The title of a record (its titleField), resolving a reference to the referenced record's title. */
export async function titleOf(doc: Pick<DocRecord, 'form' | 'values'>): Promise<string> {
  const { documents } = await backend()
  const def = formById(doc.form)
  const field = def.fields.find((f) => f.key === def.titleField)
  const v = doc.values[def.titleField]
  if (field?.type === 'reference' && typeof v === 'string') {
    const ref = await documents.get(field.to, v)
    return ref ? String(ref.values[formById(field.to).titleField] ?? ref.number) : ''
  }
  return v === null || v === undefined ? '' : String(v)
}

/** How a picker names a record: its title, the form's `titleDetail` values, and its number. */
function pickLabel(doc: Pick<DocRecord, 'form' | 'values' | 'number'>, title: string): string {
  const detail = (formById(doc.form).titleDetail ?? []).map((k) => doc.values[k]).filter((v) => typeof v === 'string' && v.trim() !== '')
  const head = [title, ...detail].filter(Boolean).join(' ')
  return head ? `${head}（${doc.number}）` : doc.number
}

export interface InboxItem {
  doc: DocRecord; form: FormDef; title: string; actions: AvailableTransition[]
  /** Due dates the form's deadlines give this document (R5 …), earliest first. */
  due: Array<DueItem & { deadline: string }>
  /** A countersign's members still to sign. */
  missing: SignMember[]
}

/** One document of a chain (单据链): its place left (sources, negative) or right (followers) of the open one. */
export interface ChainNode { doc: DocRecord; form: FormDef; title: string; depth: number; via?: string }

/** Forms that are master data (no workflow: customers, products): not links of a document chain. */
const MASTER = new Set(forms.filter((f) => !f.workflow).map((f) => f.id))
const LINKS = chainLinks(forms, MASTER)
const LINE_LINKS = lineChainLinks(forms, MASTER)
/**
 * Line references are not in the refs index (it holds header values): the documents a line may
 * name a record from are read by state, at most this many of the newest per form. Only a few forms
 * pick documents on lines (the monthly commission slips), so this stays small.
 */
const LINE_SCAN = 500

/**
 * Orchestrates the document store for the pages: who the actor is comes from the session, what
 * may happen comes from the workflow engine. No business rule lives here.
 */
export const useDocumentsStore = defineStore('documents', () => {
  /** Bumped after every write so open lists reload. */
  const revision = ref(0)

  function session() {
    const s = useSessionStore()
    if (!s.actor || !s.actorContext) throw new Error('请先选择用户')
    return { actor: s.actor, ctx: s.actorContext }
  }

  async function list(form: string, query: ListQuery & { limit?: number; offset?: number }) {
    return (await backend()).documents.list(form, query)
  }

  /**
   * Every document matching a list's query, in the list's order, without paging (issue 10): what
   * an export of the list writes. The query is the one the list exposes (`FormList`'s `query`).
   */
  async function listAll(form: string, query: ListQuery): Promise<DocRecord[]> {
    return (await backend()).documents.listAll(form, query)
  }

  /** Starts building a form's list digest so the first search or sort does not wait for it. */
  async function warmList(form: string): Promise<void> { (await backend()).documents.warmList(form) }
  async function searchReady(form: string): Promise<void> { await (await backend()).documents.searchReady(form) }

  /** 我的常用 of the signed-in user for a form (saved on this PC only, never synced). */
  async function savedFilters(form: string): Promise<SavedFilter[]> {
    const userId = useSessionStore().user?.id
    return userId ? (await backend()).savedFilters.list(userId, form) : []
  }
  async function saveFilter(form: string, filter: SavedFilter): Promise<SavedFilter[]> {
    const userId = useSessionStore().user?.id
    if (!userId) throw new Error('请先选择用户')
    return (await backend()).savedFilters.save(userId, form, filter)
  }
  async function removeFilter(form: string, name: string): Promise<SavedFilter[]> {
    const userId = useSessionStore().user?.id
    if (!userId) throw new Error('请先选择用户')
    return (await backend()).savedFilters.remove(userId, form, name)
  }

  async function load(id: string) { return (await backend()).documents.load(id) }

  /**
   * Creates or updates; throws the data layer's ValidationFailed with the field errors. `comment`
   * goes into the audit entry (an Excel import names its file and row there).
   */
  async function save(form: string, id: string | undefined, data: FormData, opts: { comment?: string } = {}): Promise<LoadedDoc> {
    const { documents } = await backend()
    const { actor } = session()
    const comment = opts.comment ? { comment: opts.comment } : {}
    const out = id ? await documents.update(id, data, actor, comment) : await documents.create(form, data, actor, comment)
    revision.value++
    return out
  }

  /** The form with the approval chain the office administrator set (设置 → 审批流程). */
  function office(form: FormDef): FormDef { return withApprovals(form, useSessionStore().officeSettings.approvals, useSessionStore().officeSettings.approvalLimits) }

  /** The transitions offered to the user; `prior` (who took which, from the timeline) hides what separation of duties forbids. */
  function transitionsFor(form: FormDef, loaded: LoadedDoc, prior?: PriorActors): AvailableTransition[] {
    const s = useSessionStore()
    if (!s.user) return []
    return availableTransitions(office(form), toSnapshot(loaded), s.user, s.actorContext?.grants ?? [], s.users, localToday(), prior)
  }

  async function check(form: FormDef, loaded: LoadedDoc, transitionId: string, comment?: string, input?: TransitionInput): Promise<TransitionCheck> {
    const { documents } = await backend()
    const prior = priorActors(await documents.timeline(loaded.doc.id))
    return checkTransition(office(form), toSnapshot(loaded), transitionId, session().ctx, documents, localToday(), comment, prior, input)
  }

  /** Changes about this document that this PC refused or holds (审批未通过校验). */
  async function findings(id: string): Promise<FindingView[]> { return (await backend()).findings.forDoc(id) }

  /** Checks then applies a transition; returns the check when it is blocked. */
  async function transition(form: FormDef, loaded: LoadedDoc, transitionId: string, comment?: string, input?: TransitionInput): Promise<{ ok: true; loaded: LoadedDoc } | { ok: false; check: Extract<TransitionCheck, { ok: false }> }> {
    const c = await check(form, loaded, transitionId, comment, input)
    if (!c.ok) return { ok: false, check: c }
    const { documents } = await backend()
    try {
      const out = await documents.transition(loaded.doc.id, transitionId, c.to, c.sets, c.actor, comment || undefined, input)
      revision.value++
      return { ok: true, loaded: out }
    } catch (e) {
      // The data layer checks again inside its write (rights may have changed by sync meanwhile).
      if (e instanceof TransitionRefused) return { ok: false, check: e.check }
      throw e
    }
  }

  async function timeline(id: string): Promise<AuditEntry[]> { return (await backend()).documents.timeline(id) }
  async function attachments(id: string): Promise<AttachmentRecord[]> { return (await backend()).documents.attachments(id) }
  async function readBlob(hash: string) { return (await backend()).documents.readBlob(hash) }

  /** Attaches a chosen or dropped file to an attachment field; the field's count comes back. */
  async function attachToField(docId: string, field: string, file: { name: string; mime: string; bytes: Uint8Array }): Promise<number | 'duplicate'> {
    const { documents } = await backend()
    const res = await documents.addAttachment(docId, file, { kind: 'file', field }, session().actor)
    revision.value++
    if (res.duplicate) return 'duplicate'
    const after = await documents.load(docId)
    const n = after?.doc.values[field]
    return typeof n === 'number' ? n : 0
  }

  /**
   * Documents waiting on the current user: those where the workflow offers them a transition. Read
   * by state (the states the user's roles and proxy grants act from), so none is missed however
   * many newer documents the form holds.
   */
  async function inbox(): Promise<InboxItem[]> {
    const s = useSessionStore()
    if (!s.user) return []
    const { documents } = await backend()
    const out: InboxItem[] = []
    const myRoles = new Set(s.roles.map((h) => h.role))
    for (const form of forms) {
      const states = actionableStates(office(form), s.user, s.actorContext?.grants ?? [], s.users, localToday())
      const dueStates = deadlineStates(form)
      if (states.length === 0 && dueStates.length === 0) continue
      const seen = new Set<string>()
      for (const doc of await documents.byStates(form.id, [...new Set([...states, ...dueStates])])) {
        if (seen.has(doc.id)) continue
        seen.add(doc.id)
        // Conditions, countersigns and deadlines read the document's lines too.
        const loaded = (form.workflow?.transitions.some((t) => t.when) || form.deadlines?.length) ? (await documents.load(doc.id)) ?? { doc, lines: [] } : { doc, lines: [] }
        // A form with separation of duties (or 撤回): what the user submitted is not waiting on them.
        const needsTrail = form.workflow?.transitions.some((t) => t.separateFrom?.length || t.sameActorAs?.length)
        const prior = needsTrail ? priorActors(await documents.timeline(doc.id)) : undefined
        // 撤回 alone is not something waiting on the user.
        const actions = transitionsFor(form, loaded, prior).filter((a) => !a.transition.sameActorAs?.length)
        const snapshot = toSnapshot(loaded)
        const due = dueItemsOf(form, snapshot, localToday()).filter((d) => d.roles.some((r) => myRoles.has(r)))
        if (actions.length || due.length) out.push({ doc, form, title: await titleOf(doc), actions, due, missing: countersignOf(form, snapshot)?.missing ?? [] })
      }
    }
    // Overdue and due first (earliest date first), then the newest changes.
    const firstDue = (i: InboxItem) => i.due[0]?.date ?? '9999'
    return out.sort((a, b) => (firstDue(a) !== firstDue(b) ? (firstDue(a) < firstDue(b) ? -1 : 1) : a.doc.updatedAt < b.doc.updatedAt ? 1 : -1))
  }

  /**
   * Recurring duties (R18's monthly forecast) open today: the user's own, and others' overdue ones
   * for the roles that oversee them, earliest first.
   */
  async function duties(): Promise<DutyItem[]> {
    const s = useSessionStore()
    if (!s.user) return []
    const { documents } = await backend()
    const day = localToday()
    const myRoles = s.roles.map((h) => h.role)
    const out: DutyItem[] = []
    for (const form of forms) {
      if (!form.duties?.length) continue
      const docs = await documents.byStates(form.id, [...new Set(form.duties.flatMap((d) => d.states))])
      out.push(...dutiesFor(dutiesDue(form, day, s.users, docs), s.user.id, myRoles))
    }
    return out.sort((a, b) => (a.due !== b.due ? (a.due < b.due ? -1 : 1) : a.user.name < b.user.name ? -1 : 1))
  }

  /** What the user started (我发起的): documents they created, newest first, voided ones left out. */
  async function mine(limit = 100): Promise<Array<{ doc: DocRecord; form: FormDef; title: string }>> {
    const s = useSessionStore()
    if (!s.user) return []
    const { documents } = await backend()
    const rows = await documents.createdBy(s.user.id, limit)
    const out: Array<{ doc: DocRecord; form: FormDef; title: string }> = []
    for (const doc of rows) {
      const form = forms.find((f) => f.id === doc.form)
      if (!form?.workflow || voidStates(form).includes(doc.state)) continue
      out.push({ doc, form, title: await titleOf(doc) })
    }
    return out
  }

  /** What the user has acted on (已办): the documents of their latest workflow actions, newest first. */
  async function done(limit = 100): Promise<Array<{ doc: DocRecord; form: FormDef; title: string; action: string; at: string }>> {
    const s = useSessionStore()
    if (!s.user) return []
    const { documents } = await backend()
    const out: Array<{ doc: DocRecord; form: FormDef; title: string; action: string; at: string }> = []
    const seen = new Set<string>()
    for (const e of await documents.actionsBy(s.user.id, limit * 3)) {
      if (seen.has(e.docId) || out.length >= limit) continue
      seen.add(e.docId)
      const doc = (await documents.load(e.docId))?.doc
      const form = doc && forms.find((f) => f.id === doc.form)
      if (!doc || !form || doc.deleted) continue
      const t = form.workflow ? [...form.workflow.transitions].find((x) => `transition:${x.id}` === e.action) : undefined
      out.push({ doc, form, title: await titleOf(doc), action: t ? t.label.zh : e.action.replace(/^transition:sign-.*/, '会签'), at: e.at })
    }
    return out
  }

  /**
   * The document chain (单据链) around one document: its sources (the documents its link fields
   * point to) and followers (documents whose link fields point to it), and theirs, read through
   * the refs index; a line's reference columns link too (a commission line's contract and
   * adjustment, R20); at most `cap` documents.
   */
  async function chain(id: string, cap = 60): Promise<ChainNode[]> {
    const { documents } = await backend()
    const start = await documents.load(id)
    if (!start) return []
    const nodes = new Map<string, ChainNode>()
    const add = async (doc: DocRecord, depth: number, via?: string) => {
      const form = forms.find((f) => f.id === doc.form)
      if (!form || nodes.has(doc.id) || doc.deleted) return false
      nodes.set(doc.id, { doc, form, title: await titleOf(doc), depth, ...(via ? { via } : {}) })
      return true
    }
    await add(start.doc, 0)
    // Documents of a form with line reference columns, read once per chain (see LINE_SCAN).
    const scanned = new Map<string, Promise<LoadedDoc[]>>()
    const withLines = (form: string) => {
      let found = scanned.get(form)
      if (!found) {
        const wf = formById(form).workflow
        found = wf ? documents.byStates(form, Object.keys(wf.states), LINE_SCAN).then(async (ds) => (await Promise.all(ds.map((d) => documents.load(d.id)))).filter((x): x is LoadedDoc => !!x)) : Promise.resolve([])
        scanned.set(form, found)
      }
      return found
    }
    const named = (l: LineChainLink, loaded: LoadedDoc) => new Set(loaded.lines.filter((r) => r.field === l.lines && !r.deleted).map((r) => r.values[l.column]).filter((v): v is string => typeof v === 'string'))
    const queue: Array<{ doc: DocRecord; depth: number }> = [{ doc: start.doc, depth: 0 }]
    while (queue.length && nodes.size < cap) {
      const { doc, depth } = queue.shift()!
      // Upstream: this document's own links (only when walking up or at the start).
      if (depth <= 0) {
        for (const l of LINKS.filter((x) => x.form === doc.form)) {
          const ref = doc.values[l.field]
          if (typeof ref !== 'string') continue
          const src = (await documents.load(ref))?.doc
          if (src && await add(src, depth - 1, l.field)) queue.push({ doc: src, depth: depth - 1 })
        }
        const lineLinks = LINE_LINKS.filter((x) => x.form === doc.form)
        const own = lineLinks.length ? await documents.load(doc.id) : undefined
        for (const l of own ? lineLinks : []) {
          for (const ref of named(l, own!)) {
            const src = (await documents.load(ref))?.doc
            if (src && src.form === l.to && await add(src, depth - 1, `${l.lines}.${l.column}`)) queue.push({ doc: src, depth: depth - 1 })
          }
        }
      }
      // Downstream: documents linking to this one (only when walking down or at the start).
      if (depth >= 0) {
        for (const l of LINKS.filter((x) => x.to === doc.form)) {
          for (const f of await documents.findBy(l.form, l.field, doc.id)) {
            const next = (await documents.load(f.id))?.doc
            if (next && await add(next, depth + 1, l.field)) queue.push({ doc: next, depth: depth + 1 })
          }
        }
        for (const l of LINE_LINKS.filter((x) => x.to === doc.form)) {
          for (const f of await withLines(l.form)) {
            if (named(l, f).has(doc.id) && await add(f.doc, depth + 1, `${l.lines}.${l.column}`)) queue.push({ doc: f.doc, depth: depth + 1 })
          }
        }
      }
    }
    return [...nodes.values()].sort((a, b) => a.depth - b.depth || (a.doc.createdAt < b.doc.createdAt ? -1 : 1))
  }

  /** A form's pick checks on the data being typed (R1 at the customer pick): the first that does not pass. */
  async function pickCheck(form: FormDef, data: FormData, id?: string): Promise<{ field: string; fix?: string; result: Extract<GuardResult, { ok: false }> } | null> {
    const { documents } = await backend()
    const doc = { id: id ?? '', form: form.id, number: '', state: '', version: 1, values: data.values, lines: data.lines }
    for (const c of form.pickChecks ?? []) {
      if (typeof data.values[c.field] !== 'string') continue
      const result = await form.guards![c.guard]!({ doc, lookup: documents, today: localToday(), policy: policyOf(useSessionStore().officeSettings.policy) })
      if (!result.ok) return { field: c.field, ...(c.fix ? { fix: c.fix } : {}), result }
    }
    return null
  }

  /** The forms that can be made from this document now (从…生成), as buttons offer them. */
  function derivations(form: FormDef, loaded: LoadedDoc) {
    return derivationsFrom(forms, form.id, loaded.doc.state, { id: loaded.doc.id, number: loaded.doc.number, form: form.id, state: loaded.doc.state, ...refSourceOf(form, loaded) })
  }

  /** The forms made from one row of the document's lines field `lines` (生成拜访表 on a plan line). */
  function lineDerivations(form: FormDef, loaded: LoadedDoc, lines: string) {
    return derivationsFrom(forms, form.id, loaded.doc.state, { id: loaded.doc.id, number: loaded.doc.number, form: form.id, state: loaded.doc.state, ...refSourceOf(form, loaded) }, lines)
  }

  /** The live progress of a document (ProgressDef: a plan's visits done and missed), or null when its form or state shows none. */
  async function progress(form: FormDef, loaded: LoadedDoc): Promise<ProgressView | null> {
    const p = form.progress
    if (!p || (p.states && !p.states.includes(loaded.doc.state))) return null
    const { documents } = await backend()
    return p.run(toSnapshot(loaded), { lookup: documents, today: localToday() })
  }

  /**
   * A new document's data made from a source document by the target form's mapping (data typed
   * once); with `rowId`, from that row of the source by a per-line derive (a visit from a plan line).
   */
  async function deriveFrom(target: FormDef, sourceId: string, rowId?: string): Promise<FormData | undefined> {
    const loaded = await load(sourceId)
    if (!loaded || loaded.doc.deleted) return undefined
    const sourceForm = formById(loaded.doc.form)
    const whole: DeriveSource = { id: loaded.doc.id, number: loaded.doc.number, form: loaded.doc.form, state: loaded.doc.state, ...refSourceOf(sourceForm, loaded) }
    const rowsOf = (lines: string) => toFormData(sourceForm, loaded).lines[lines] ?? []
    const sourceFor = (x: { line?: string }) => (x.line ? (rowId ? withRow(whole, rowId, rowsOf(x.line)) : undefined) : rowId ? undefined : whole)
    const d = (target.derive ?? []).find((x) => { const src = sourceFor(x); return x.from === loaded.doc.form && !!src && offers(x, loaded.doc.state, src) })
    const source = d && sourceFor(d)
    if (!d || !source) return undefined
    let made = deriveDoc(target, d, source, localToday(), () => crypto.randomUUID())
    // The records the new document names fill what they would fill when picked by hand (the
    // customer's 联系人 into an application made from an evaluation); the mapping's values stay.
    for (const f of target.fields) {
      const id = made.values[f.key]
      if (f.type !== 'reference' || !f.fill || typeof id !== 'string') continue
      const ref = id === loaded.doc.id ? loaded : await load(id)
      if (ref && ref.doc.form === f.to && !ref.doc.deleted) made = fillFromReference(target, made, f.key, refSourceOf(formById(f.to), ref))
    }
    return gather(target, await withMirrors(target, made))
  }

  /** The document as the page shows it: a live gathered part (GatherDef.live) as the records stand now, never saved. */
  async function shown(form: FormDef, loaded: LoadedDoc): Promise<LoadedDoc> {
    if (!form.gather?.live) return loaded
    const { documents } = await backend()
    return withLiveGathered(form, loaded, { lookup: documents, today: localToday(), policy: policyOf(useSessionStore().officeSettings.policy) })
  }

  /** The data with its gathered part (a statement's entries) as the data layer will write it on save. */
  async function gather(def: FormDef, data: FormData, self?: string): Promise<FormData> {
    if (!def.gather) return data
    const { documents } = await backend()
    return withGathered(def, data, { lookup: documents, today: localToday(), policy: policyOf(useSessionStore().officeSettings.policy), ...(self ? { self } : {}) })
  }

  /**
   * The data with its mirrored fields (the agreed quotation's terms) read from the records it names
   * now, as the data layer will write them on save: the comparison shows before the first save.
   */
  async function withMirrors(def: FormDef, data: FormData): Promise<FormData> {
    const sources = new Map<string, RefSource>()
    for (const key of mirrorRefs(def)) {
      const to = def.fields.find((f) => f.key === key)
      const id = data.values[key]
      if (to?.type !== 'reference' || typeof id !== 'string') continue
      const ref = await load(id)
      if (ref && ref.doc.form === to.to && !ref.doc.deleted) sources.set(key, refSourceOf(formById(to.to), ref))
    }
    return mirrorRefs(def).length ? mirrorValues(def, data, (k) => sources.get(k)) : data
  }


  /**
   * 合同台帐: every approved contract with what was shipped, booked, collected, adjusted and is
   * outstanding (forms/contract/contract.ledger.ts), filtered; each row with the customer's title.
   */
  async function ledger(filter: LedgerFilter = {}): Promise<Array<LedgerRow & { customerTitle: string }>> {
    const { documents } = await backend()
    const read = async (form: string, states: string[]) => (await documents.byStates(form, states)).map((doc) => toSnapshot({ doc, lines: [] }))
    const rows = contractLedger({
      contracts: await read('contract', LEDGER_STATES),
      deliveries: await read('delivery', SHIPPED_STATES),
      payments: await read('payment', CONFIRMED_PAYMENT),
      adjustments: await read('adjustment', CONFIRMED_ADJUSTMENT),
      invoices: await read('invoiceRequest', ['issued']),
    }, filter)
    const titles = new Map<string, string>()
    for (const r of rows) if (!titles.has(r.customer)) titles.set(r.customer, (await refTitle('customer', r.customer)) ?? '')
    return rows.map((r) => ({ ...r, customerTitle: titles.get(r.customer) ?? '' }))
  }

  /**
   * What the receivable reports read (R23, [A] 4–5): customers, approved contracts, shipped deliveries,
   * confirmed money; through the state index, once per call.
   */
  async function receivableInput(): Promise<AgeingInput & { titles: Map<string, string>; numbers: Map<string, string> }> {
    const { documents } = await backend()
    const read = async (form: string, states: string[]) => (await documents.byStates(form, states)).map((doc) => toSnapshot({ doc, lines: [] }))
    const [customers, contracts, deliveries, payments, adjustments] = await Promise.all([
      read('customer', ['']), read('contract', LEDGER_STATES), read('delivery', SHIPPED_STATES), read('payment', CONFIRMED_PAYMENT), read('adjustment', CONFIRMED_ADJUSTMENT),
    ])
    const titleKey = formById('customer').titleField
    const titles = new Map(customers.map((c) => [c.id, String(c.values[titleKey] ?? c.number)]))
    return { customers, contracts, deliveries, payments, adjustments, titles, numbers: new Map(contracts.map((c) => [c.id, c.number])) }
  }

  /**
   * The receivables settled per customer, kept for the session and shared by the start page's 应收账龄
   * and 账龄分析 (core/dashboard/settled.ts): a write re-settles only the customers it touched. Not
   * state (never made reactive: it holds Maps of thousands of entries); the start page reads it
   * through `settleMemo()`.
   */
  const receivablesMemo: SettleMemo = settleMemo()
  const sessionSettleMemo = (): SettleMemo => receivablesMemo

  /** Whether this session showed receivables yet (the first time, a restart's kept ones are tried first). */
  let shownInSession = false
  /** The last rows `datedThrough` was counted over, and what it gave (the rows change only with a write). */
  let throughOf: { lists: ReadonlyArray<readonly ListRow[]>; day: number } | undefined

  /**
   * 账龄分析 on `asOf`: every receivable item (forms/contract/contract.ageing.ts), with customer titles
   * and contract numbers. From the lists' digest (in memory, `DASHBOARD_FIELDS` kept) and settled
   * through the session's memo, as the start page's 应收账龄: one path for both, the same figures,
   * and no documents read from IndexedDB once the digest is built (issue 10, 11).
   * The first time in a session, the office's receivables as last settled and kept are shown, brought
   * up to the documents written since (data/kept-receivables.ts): a start does not wait for the five
   * forms' digests, which are loaded meanwhile for the next call. When what was kept had to be
   * brought up to writes, the office is then settled once from the digests and kept again, in the
   * background, so the next start brings in only what is written after it.
   */
  async function ageing(asOf: string): Promise<{ items: ReceivableItem[]; titles: Map<string, string>; contracts: Map<string, string> }> {
    const { documents } = await backend()
    if (!shownInSession) {
      shownInSession = true
      const kept = await documents.keptReceivables(asOf).catch(() => undefined)
      if (kept) {
        const loaded = digestRows(RECEIVABLE_FORMS)
        void (kept.patched ? loaded.then(() => settle(asOf)) : loaded).catch(() => undefined)
        return { items: kept.items, titles: kept.titles, contracts: kept.contracts }
      }
    }
    return settle(asOf)
  }

  /** 账龄分析 on `asOf` from the lists' digest through the session's memo; what it settled is offered to keep. */
  async function settle(asOf: string): Promise<{ items: ReceivableItem[]; titles: Map<string, string>; contracts: Map<string, string> }> {
    const { documents } = await backend()
    const stamp = documents.writeStamp()
    const rows = await digestRows(RECEIVABLE_FORMS)
    const of = (form: string) => rows.get(form) ?? []
    const titleKey = formById('customer').titleField
    const office = {
      items: settledReceivables(of, asOf, receivablesMemo),
      titles: new Map(of('customer').map((c) => [c.id, String(c.values[titleKey] ?? c.number)])),
      contracts: new Map(of('contract').map((c) => [c.id, c.number])),
    }
    const lists = RECEIVABLE_FORMS.map(of)
    if (!throughOf || lists.some((l, i) => l !== throughOf!.lists[i])) {
      throughOf = { lists, day: datedThrough({ customers: of('customer'), contracts: [], deliveries: of('delivery'), payments: of('payment'), adjustments: of('adjustment') }) }
    }
    const parts = settledParts(receivablesMemo, asOf)
    if (parts) documents.keepReceivables({ stamp, through: throughOf.day, parts, titles: office.titles, contracts: office.contracts })
    return office
  }

  /**
   * R23's 逾期应收 for the signed-in user: finance and the marketing head see every overdue receivable,
   * a salesperson those of their own contracts; each with the escalation step the office's policy gives.
   */
  async function overdue(): Promise<Array<OverdueNotice & { customerTitle: string; contractNumber: string }>> {
    const s = useSessionStore()
    if (!s.user) return []
    const held = new Set(s.roles.map((h) => h.role))
    const all = held.has('finance') || held.has('marketingHead')
    if (!all && !held.has('salesperson')) return []
    const input = await receivableInput()
    const notices = overdueNotices(receivables(input, localToday()), policyOf(s.officeSettings.policy))
    return notices
      .filter((n) => all || n.item.salesperson === s.user!.id)
      .map((n) => ({ ...n, customerTitle: input.titles.get(n.item.customer) ?? '', contractNumber: input.numbers.get(n.item.contract) ?? '' }))
  }

  /**
   * The start page's rows (issue 11): every live row of each form's list digest, kept in memory and in
   * step with every write, so the dashboard's figures never read the documents again.
   */
  async function digestRows(forms: readonly string[]): Promise<Map<string, readonly ListRow[]>> {
    const { documents } = await backend()
    const out = new Map<string, readonly ListRow[]>()
    await Promise.all(forms.map(async (f) => { out.set(f, await documents.digestRows(f)) }))
    return out
  }

  /** 回款与信用分析 of a month ("YYYY-MM", [A] 5): per customer, with its title. */
  async function creditAnalysis(month: string): Promise<Array<CreditRow & { customerTitle: string }>> {
    const input = await receivableInput()
    return creditRows(input, month).map((r) => ({ ...r, customerTitle: input.titles.get(r.customer) ?? '' }))
  }

  /** R24: a new 合同台帐对账单 for `month`, its lines the ledger's rows of that month; returns it saved as a draft. */
  async function createReconciliation(month: string, reconcileDate = localToday()): Promise<LoadedDoc> {
    const rows = await ledger({ month })
    const items = reconciliationLines(rows).map((values) => ({ id: crypto.randomUUID(), values }))
    return save('reconciliation', undefined, { values: { month, reconcileDate }, lines: { items } })
  }

  /** Display label of a referenced record: "title detail（number）" (detail: the form's `titleDetail`). */
  async function refLabel(form: string, id: string): Promise<string | undefined> {
    const ref = await (await backend()).documents.get(form, id)
    if (!ref) return undefined
    return pickLabel(ref, await titleOf(ref))
  }

  /**
   * What a reference column recalls (a customer's last prices for the products picked): the
   * documents sharing the header value, read through the refs index (findBy), chosen by the core.
   * The documents read are kept until the next write, so picking product after product reads once.
   */
  let recallCache: { key: string; docs: Promise<DocSnapshot[]> } | undefined
  async function recall(q: RecallQuery): Promise<Record<string, RecallEntry[]>> {
    const form = formById(q.form)
    const rc = recallColumn(form, q.lines, q.column)
    if (!rc) return {}
    const key = `${revision.value}|${q.form}|${rc.column.recall.by}|${q.by}`
    if (recallCache?.key !== key) {
      const docs = backend().then((b) => b.documents.findBy(q.form, rc.column.recall.by, q.by))
      recallCache = { key, docs }
      docs.catch(() => { if (recallCache?.docs === docs) recallCache = undefined })
    }
    return recallEntries(form, q.lines, q.column, await recallCache.docs, q.refs, { exclude: q.exclude })
  }

  /** Title of a referenced record as a list cell shows it (its number when it has no title). */
  async function refTitle(form: string, id: string): Promise<string | undefined> {
    const ref = await (await backend()).documents.get(form, id)
    if (!ref) return undefined
    return (await titleOf(ref)) || ref.number
  }

  /**
   * Existing records of `form` whose title is close to `name` (a customer entered twice), most
   * similar first. Candidates come from a few search-index prefixes (core duplicateProbes), each
   * read at most PROBE_LIMIT deep, never from a scan of every record; possibleDuplicates scores them.
   */
  async function similarTitles(form: string, name: string): Promise<Array<{ id: string; name: string; score: number }>> {
    const def = formById(form)
    const { documents } = await backend()
    const candidates = new Map<string, string>()
    for (const probe of duplicateProbes(name)) {
      const { rows } = await documents.list(form, { text: probe, limit: PROBE_LIMIT })
      for (const r of rows) if (!candidates.has(r.id)) candidates.set(r.id, String(r.values[def.titleField] ?? ''))
    }
    return possibleDuplicates(name, [...candidates].map(([id, title]) => ({ id, name: title })))
  }

  /** Records of `form` for a reference picker, searched like the list (name, number, pinyin initials). */
  async function searchRefs(form: string, text: string): Promise<Array<{ id: string; label: string }>> {
    const { rows } = await list(form, { text, limit: 30 })
    return Promise.all(rows.map(async (d) => ({ id: d.id, label: pickLabel(d, await titleOf(d)) })))
  }

  return { revision, list, listAll, warmList, searchReady, savedFilters, saveFilter, removeFilter, load, save, refLabel, refTitle, similarTitles, searchRefs, transitionsFor, check, transition, shown, timeline, findings, attachments, attachToField, readBlob, inbox, duties, mine, done, chain, derivations, lineDerivations, progress, deriveFrom, withMirrors, pickCheck, recall, office, ledger, gather, receivableInput, ageing, settleMemo: sessionSettleMemo, overdue, creditAnalysis, createReconciliation, digestRows }
})
