import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AttachmentRecord, AuditEntry, DocRecord } from '@core/model'
import type { LoadedDoc } from '@core/ports'
import type { FormData, FormDef } from '@forms/schema/types'
import { groupLines, toSnapshot } from '@core/records'
import { forms, formById } from '@forms/registry'
import { actionableStates, availableTransitions, checkTransition, priorActors, type AvailableTransition, type PriorActors, type TransitionCheck } from '@core/workflow'
import { TransitionRefused, type FindingView } from '@app/data'
import { duplicateProbes, possibleDuplicates } from '@core/search'
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

export interface InboxItem { doc: DocRecord; form: FormDef; title: string; actions: AvailableTransition[] }

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

  async function list(form: string, query: { text?: string; limit?: number; offset?: number }) {
    return (await backend()).documents.list(form, query)
  }

  async function load(id: string) { return (await backend()).documents.load(id) }

  /** Creates or updates; throws the data layer's ValidationFailed with the field errors. */
  async function save(form: string, id: string | undefined, data: FormData): Promise<LoadedDoc> {
    const { documents } = await backend()
    const { actor } = session()
    const out = id ? await documents.update(id, data, actor) : await documents.create(form, data, actor)
    revision.value++
    return out
  }

  /** The transitions offered to the user; `prior` (who took which, from the timeline) hides what separation of duties forbids. */
  function transitionsFor(form: FormDef, loaded: LoadedDoc, prior?: PriorActors): AvailableTransition[] {
    const s = useSessionStore()
    if (!s.user) return []
    return availableTransitions(form, toSnapshot(loaded), s.user, s.actorContext?.grants ?? [], s.users, localToday(), prior)
  }

  async function check(form: FormDef, loaded: LoadedDoc, transitionId: string, comment?: string): Promise<TransitionCheck> {
    const { documents } = await backend()
    const prior = priorActors(await documents.timeline(loaded.doc.id))
    return checkTransition(form, toSnapshot(loaded), transitionId, session().ctx, documents, localToday(), comment, prior)
  }

  /** Changes about this document that this PC refused or holds (审批未通过校验). */
  async function findings(id: string): Promise<FindingView[]> { return (await backend()).findings.forDoc(id) }

  /** Checks then applies a transition; returns the check when it is blocked. */
  async function transition(form: FormDef, loaded: LoadedDoc, transitionId: string, comment?: string): Promise<{ ok: true; loaded: LoadedDoc } | { ok: false; check: Extract<TransitionCheck, { ok: false }> }> {
    const c = await check(form, loaded, transitionId, comment)
    if (!c.ok) return { ok: false, check: c }
    const { documents } = await backend()
    try {
      const out = await documents.transition(loaded.doc.id, transitionId, c.to, c.sets, c.actor, comment || undefined)
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
    for (const form of forms) {
      const states = actionableStates(form, s.user, s.actorContext?.grants ?? [], s.users, localToday())
      if (states.length === 0) continue
      for (const doc of await documents.byStates(form.id, states)) {
        // A form with separation of duties: what the user submitted is not waiting on them.
        const separated = form.workflow?.transitions.some((t) => t.separateFrom?.length)
        const prior = separated ? priorActors(await documents.timeline(doc.id)) : undefined
        const actions = transitionsFor(form, { doc, lines: [] }, prior)
        if (actions.length) out.push({ doc, form, title: await titleOf(doc), actions })
      }
    }
    return out.sort((a, b) => (a.doc.updatedAt < b.doc.updatedAt ? 1 : -1))
  }

  /** Display label of a referenced record: "title（number）". */
  async function refLabel(form: string, id: string): Promise<string | undefined> {
    const ref = await (await backend()).documents.get(form, id)
    if (!ref) return undefined
    const title = await titleOf(ref)
    return title ? `${title}（${ref.number}）` : ref.number
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
    return Promise.all(rows.map(async (d) => {
      const title = await titleOf(d)
      return { id: d.id, label: title ? `${title}（${d.number}）` : d.number }
    }))
  }

  return { revision, list, load, save, refLabel, refTitle, similarTitles, searchRefs, transitionsFor, check, transition, timeline, findings, attachments, readBlob, inbox }
})
