/**
 * What the PDF worker is asked to render for a loaded document: plain copies of the record, of the
 * records its reference fields and line reference columns name (a line's product), of the
 * letterhead, and who made and approved it as its audit trail says (pdf.md: the renderer never
 * hands the worker a live database object).
 */
import type { LoadedDoc } from '@core/ports'
import type { AuditEntry, DocRecord } from '@core/model'
import { approvalsFromAudit } from '@core/pdf/approvals'
import type { FormDef, GatherContext, Values } from '@forms/schema/types'
import { withLiveGathered } from '@core/gather'
import type { PrintCompany } from '@core/pdf/printed'
import { groupLines } from '@core/records'
import { isReleased } from '@core/workflow'
import type { RenderRequest } from './protocol'

/** What printInputFor reads: the form, a record lookup for references, the audit trail and the company letterhead. */
export interface PrintInputDeps {
  form: FormDef
  get(form: string, id: string): Promise<Pick<DocRecord, 'values'> & { number?: string } | undefined>
  /** The document's audit trail (DocumentStore.timeline), for the 制单/审核/批准 boxes. */
  timeline(docId: string): Promise<AuditEntry[]>
  /** The name of an office user by id (the directory), for user fields; none: they print blank. */
  userName?(id: string): string | undefined
  company: PrintCompany
  /** The records as they stand now, for a live gathered part (GatherDef.live: a forecast's actuals); none: it prints as stored. */
  gather?: GatherContext
}

/**
 * The render request of a loaded document: referenced records resolved, draft watermark until
 * released (R10, §5.6.1), the approvals of its current version when its print has an approvals block,
 * and a live gathered part as the records stand now (as the document page shows it).
 */
export async function printInputFor(stored: LoadedDoc, deps: PrintInputDeps): Promise<RenderRequest> {
  const { form } = deps
  const loaded = deps.gather ? await withLiveGathered(form, stored, deps.gather) : stored
  const { doc } = loaded
  const refs: RenderRequest['refs'] = {}
  for (const f of form.fields) {
    const id = doc.values[f.key]
    if (f.type === 'reference' && typeof id === 'string') {
      const r = await deps.get(f.to, id)
      refs[f.key] = r ? { values: { ...r.values }, number: r.number } : undefined
    }
  }
  const record = { number: doc.number, version: doc.version, state: doc.state, values: { ...doc.values }, lines: groupLines(loaded.lines) }
  // Records picked in printed line reference columns (a line's product), each read once however many lines name it.
  const lineRefs: RenderRequest['lineRefs'] = {}
  for (const f of form.fields) {
    if (f.type !== 'lines') continue
    const printed = new Set(form.print?.blocks.flatMap((b) => (b.kind === 'lines' && b.field === f.key ? b.columns ?? f.columns.map((c) => c.key) : [])))
    for (const c of f.columns) {
      if (c.type !== 'reference' || !printed.has(c.key)) continue
      const found: Record<string, { values: Values; number?: string } | undefined> = {}
      for (const row of record.lines[f.key] ?? []) {
        const id = row.values[c.key]
        if (typeof id !== 'string' || id in found) continue
        const r = await deps.get(c.to, id)
        // A document picked on a line (a commission slip's contract) prints by its number.
        found[id] = r ? { values: { ...r.values }, number: r.number } : undefined
      }
      lineRefs[`${f.key}.${c.key}`] = found
    }
  }
  const request: RenderRequest = { formId: form.id, record, refs, lineRefs, company: { ...deps.company }, released: isReleased(form, doc.state) }
  if (form.print?.blocks.some((b) => b.kind === 'approvals')) request.approvals = approvalsFromAudit(await deps.timeline(doc.id))
  // Only the names the document's user fields need go to the worker.
  const users: Record<string, string> = {}
  const lineUsers = form.fields.flatMap((f) => (f.type === 'lines' ? f.columns.filter((c) => c.type === 'user').flatMap((c) => (record.lines[f.key] ?? []).map((r) => r.values[c.key])) : []))
  for (const id of [...form.fields.filter((f) => f.type === 'user').map((f) => doc.values[f.key]), ...lineUsers]) {
    const name = typeof id === 'string' ? deps.userName?.(id) : undefined
    if (typeof id === 'string' && name) users[id] = name
  }
  if (Object.keys(users).length) request.users = users
  return request
}
