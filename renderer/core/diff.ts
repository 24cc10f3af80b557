/**
 * Field-level differences between two versions of a document: what the audit timeline shows and
 * what changed since the version a customer signed and sent back. Line rows are matched by id, so
 * inserting a row does not show every later row as changed.
 */
import type { FieldDef, FieldValue, FormDef, Label, LineRow, Values } from '../../forms/schema/types'
import type { FieldChange } from './model'

/** A document's content as compared: its values and its line rows per lines field. */
export interface DocContent { values: Values; lines: Record<string, LineRow[]> }

const norm = (v: FieldValue | undefined): FieldValue => (v === undefined || v === '' ? null : v)

/** Keys in the preferred order first, then any others in the order they appear. */
function orderedKeys(preferred: string[], ...objects: Array<object | undefined>): string[] {
  const keys = new Set(preferred.filter((k) => objects.some((o) => o && k in o)))
  for (const o of objects) for (const k of Object.keys(o ?? {})) keys.add(k)
  return [...keys]
}

function diffInto(out: FieldChange[], before: Values, after: Values, keys: string[], prefix: string): void {
  for (const k of keys) {
    const from = norm(before[k]), to = norm(after[k])
    if (from !== to) out.push({ field: prefix + k, from, to })
  }
}

/** Changed values between two value maps; undefined, null and '' count as the same empty value. */
export function diffValues(before: Values, after: Values): FieldChange[] {
  const out: FieldChange[] = []
  diffInto(out, before, after, orderedKeys([], before, after), '')
  return out
}

/**
 * Changes from `a` to `b` in the form's field order: values, then per lines field the rows added
 * (`items[2]`, from null), removed (`items[1]`, to null) and changed cells (`items[2].unitPrice`).
 * Row indexes are 0-based positions in `b` (in `a` for removed rows).
 */
export function diffDocs(form: FormDef, a: DocContent, b: DocContent): FieldChange[] {
  const out: FieldChange[] = []
  const valueKeys = form.fields.filter((f) => f.type !== 'lines').map((f) => f.key)
  diffInto(out, a.values, b.values, orderedKeys(valueKeys, a.values, b.values), '')
  const linesKeys = orderedKeys(form.fields.filter((f) => f.type === 'lines').map((f) => f.key), a.lines, b.lines)
  for (const key of linesKeys) {
    const field = form.fields.find((f) => f.key === key)
    const columns = field?.type === 'lines' ? field.columns.map((c) => c.key) : []
    const before = a.lines[key] ?? [], after = b.lines[key] ?? []
    const oldById = new Map(before.map((r) => [r.id, r]))
    const newIds = new Set(after.map((r) => r.id))
    after.forEach((row, i) => {
      const old = oldById.get(row.id)
      if (!old) out.push({ field: `${key}[${i}]`, from: null, to: { ...row.values } })
      else diffInto(out, old.values, row.values, orderedKeys(columns, old.values, row.values), `${key}[${i}].`)
    })
    before.forEach((row, j) => {
      if (!newIds.has(row.id)) out.push({ field: `${key}[${j}]`, from: { ...row.values }, to: null })
    })
  }
  return out
}

const SYSTEM_FIELDS: Record<string, Label> = {
  number: { zh: '单号', en: 'Number' },
  state: { zh: '状态', en: 'Status' },
  version: { zh: '版本', en: 'Version' },
}

const PATH = /^([^[.]+)(?:\[(\d+)\](?:\.(.+))?)?$/

/** The label of a change's field path: `items[2].unitPrice` → 报价明细 第3行 含税单价. Unknown keys show as themselves. */
export function changeLabel(form: FormDef, field: string): Label {
  const m = PATH.exec(field)
  if (!m) return { zh: field, en: field }
  const [, key, row, column] = m as unknown as [string, string, string | undefined, string | undefined]
  const def = form.fields.find((f) => f.key === key)
  const base = def?.label ?? SYSTEM_FIELDS[key] ?? { zh: key, en: key }
  if (row === undefined) return base
  const n = Number(row) + 1
  const rowLabel: Label = { zh: `${base.zh} 第${n}行`, en: `${base.en} row ${n}` }
  if (column === undefined) return rowLabel
  const col = def?.type === 'lines' ? def.columns.find((c) => c.key === column)?.label : undefined
  return { zh: `${rowLabel.zh} ${col?.zh ?? column}`, en: `${rowLabel.en} ${col?.en ?? column}` }
}

/** The field a change's path names: `customer` → that field, `items[2]` → the lines field (a whole row), `items[2].unitPrice` → the column. */
export function changeField(form: FormDef, field: string): FieldDef | undefined {
  const m = PATH.exec(field)
  if (!m) return undefined
  const [, key, row, column] = m as unknown as [string, string, string | undefined, string | undefined]
  const def = form.fields.find((f) => f.key === key)
  if (row === undefined || column === undefined) return def
  return def?.type === 'lines' ? def.columns.find((c) => c.key === column) : undefined
}
