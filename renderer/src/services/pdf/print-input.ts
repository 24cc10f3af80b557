/**
 * What the PDF worker is asked to render for a loaded document: plain copies of the record, of the
 * records its reference fields name, of the letterhead, and who made and approved it as its audit
 * trail says (pdf.md: the renderer never hands the worker a live database object).
 */
import type { LoadedDoc } from '@core/ports'
import type { AuditEntry, DocRecord } from '@core/model'
import { approvalsFromAudit } from '@core/pdf/approvals'
import type { FormDef, Values } from '@forms/schema/types'
import type { PrintCompany } from '@core/pdf/printed'
import { groupLines } from '@core/records'
import { isReleased } from '@core/workflow'
import type { RenderRequest } from './protocol'

/** What printInputFor reads: the form, a record lookup for references, the audit trail and the company letterhead. */
export interface PrintInputDeps {
  form: FormDef
  get(form: string, id: string): Promise<Pick<DocRecord, 'values'> | undefined>
  /** The document's audit trail (DocumentStore.timeline), for the 制单/审核/批准 boxes. */
  timeline(docId: string): Promise<AuditEntry[]>
  company: PrintCompany
}

/**
 * The render request of a loaded document: referenced records resolved, draft watermark until
 * released (R10, §5.6.1), and the approvals of its current version when its print has an approvals block.
 */
export async function printInputFor(loaded: LoadedDoc, deps: PrintInputDeps): Promise<RenderRequest> {
  const { form } = deps
  const { doc } = loaded
  const refs: Record<string, { values: Values } | undefined> = {}
  for (const f of form.fields) {
    const id = doc.values[f.key]
    if (f.type === 'reference' && typeof id === 'string') {
      const r = await deps.get(f.to, id)
      refs[f.key] = r ? { values: { ...r.values } } : undefined
    }
  }
  const record = { number: doc.number, version: doc.version, state: doc.state, values: { ...doc.values }, lines: groupLines(loaded.lines) }
  const request: RenderRequest = { formId: form.id, record, refs, company: { ...deps.company }, released: isReleased(form, doc.state) }
  if (form.print?.blocks.some((b) => b.kind === 'approvals')) request.approvals = approvalsFromAudit(await deps.timeline(doc.id))
  return request
}
