/**
 * A received document change is checked against its form before it merges (issue 7: "remote rows
 * are validated against their form's schema before they are applied"): only the document's own
 * columns and the form's fields, each with a value of its field's type. A field this version does
 * not know (a newer app's) is held, not lost: the gate re-checks it after an update.
 */
import type { FieldDef, FormDef } from '../../../forms/schema/types'
import { isSignoffKey } from '../workflow'

/** A document row's own columns (besides `values.<field>`). */
const DOC_COLUMNS = new Set(['id', 'form', 'number', 'state', 'stateBy', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deleted'])

function fits(f: FieldDef, v: unknown): boolean {
  if (v === null) return true
  switch (f.type) {
    case 'text': case 'longtext': case 'date': case 'select': case 'reference': case 'decimal': case 'user': return typeof v === 'string'
    case 'number': case 'money': return typeof v === 'number' && Number.isFinite(v)
    case 'boolean': return typeof v === 'boolean'
    case 'attachment': return typeof v === 'number' && Number.isInteger(v) && v >= 0
    case 'lines': return false // lines are records of their own, never a value of the document
  }
}

/** Why a document change does not fit its form (zh/en; `unknownField` when a newer app may know it), or null. */
export function docChangeProblem(fields: Record<string, unknown>, form: FormDef | undefined): { zh: string; en: string; unknownField?: true } | null {
  for (const [k, v] of Object.entries(fields)) {
    if (k.startsWith('values.')) {
      if (!form) continue // the form is not known yet (its create arrives later): nothing to check against
      const key = k.slice(7)
      // A countersign's sign-offs are values the workflow writes, not fields of the form.
      if (isSignoffKey(form, key)) { if (typeof v !== 'string' && v !== null) return { zh: '会签记录的值类型不对', en: 'a sign-off has a value of the wrong type' }; continue }
      const f = form.fields.find((x) => x.key === key)
      if (!f) return { zh: `“${form.title.zh}”没有字段“${key}”（可能来自更新版本的软件）`, en: `${form.id} has no field ${key} (a newer app's?)`, unknownField: true }
      if (!fits(f, v)) return { zh: `字段“${f.label.zh}”的值类型不对`, en: `field ${key} has a value of the wrong type` }
    } else if (!DOC_COLUMNS.has(k)) return { zh: `单据没有“${k}”这一项`, en: `documents have no column ${k}` }
  }
  if ('version' in fields && !(Number.isInteger(fields.version) && (fields.version as number) >= 1)) return { zh: '版本号无效', en: 'invalid version' }
  if ('number' in fields && typeof fields.number !== 'string') return { zh: '单号无效', en: 'invalid number' }
  return null
}
