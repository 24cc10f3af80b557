/**
 * Fields kept from another record (`mirror`) and terms compared with it (`compare`, R12): pure
 * functions over the form definitions. The data layer fills mirrored fields on every save from the
 * records the document names; the screen shows the differences side by side; a form's condition
 * asks `termsDiffer` to bring in the confirmation the rule needs.
 */
import type { CompareDef, FieldDef, FieldValue, FormData, FormDef, Label, RefSource, Values } from '../../forms/schema/types'

const blank = (v: FieldValue | undefined) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '')

/** The same term: both empty, or equal once trimmed (numbers and their text alike). */
export function sameTerm(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (blank(a) && blank(b)) return true
  if (blank(a) || blank(b)) return false
  return String(a).trim() === String(b).trim()
}

/** The reference fields whose records the mirrored fields and columns of `def` read. */
export function mirrorRefs(def: FormDef): string[] {
  const out = new Set<string>()
  for (const f of def.fields) {
    if (f.mirror) out.add(f.mirror.ref)
    if (f.type === 'lines') for (const c of f.columns) if (c.mirror) out.add(c.mirror.ref)
  }
  return [...out]
}

/** The row of `rows` matching `row` on the first of `match` both have (the product, then its name). */
function matchRow(rows: Values[], row: Values, match: string[]): Values | undefined {
  for (const key of match) {
    if (blank(row[key])) continue
    const hit = rows.find((r) => sameTerm(r[key], row[key]))
    if (hit) return hit
  }
  return undefined
}

/**
 * The data with every mirrored field and column set from the record its reference names (`refs`:
 * reference field → the record, or undefined when it names none or it is gone: the mirror is then
 * empty). Returns new data; nothing typed is read for a mirrored value.
 */
export function mirrorValues(def: FormDef, data: FormData, refs: (field: string) => RefSource | undefined): FormData {
  const values: Values = { ...data.values }
  const lines = { ...data.lines }
  for (const f of def.fields) {
    if (f.mirror && 'field' in f.mirror) values[f.key] = refs(f.mirror.ref)?.values[f.mirror.field] ?? null
    if (f.type !== 'lines') continue
    const mirrored = f.columns.filter((c) => c.mirror && 'lines' in c.mirror)
    if (!mirrored.length) continue
    lines[f.key] = (lines[f.key] ?? []).map((row) => {
      const next: Values = { ...row.values }
      for (const c of mirrored) {
        const m = c.mirror as { ref: string; lines: string; column: string; match: string[] }
        const source = refs(m.ref)
        next[c.key] = source ? matchRow(source.lines[m.lines] ?? [], row.values, m.match)?.[m.column] ?? null : null
      }
      return { ...row, values: next }
    })
  }
  return { values, lines }
}

/** One difference between a document's term and the agreed one. */
export interface TermDifference {
  /** The term's label, and for a line the row's name (品名). */
  label: Label
  row?: string
  field: FieldDef
  agreed: FieldValue
  now: FieldValue
}

/** A differing term as the rules see it: the field (or lines field and column) and both values. */
export interface DifferingTerm { field: string; row?: number; column?: string; name?: string; agreed: FieldValue; now: FieldValue }

/**
 * Every term of `compare` that differs from the agreed record. A term the agreed record left empty
 * is not a difference (nothing was agreed), nor is anything while no record is named.
 */
export function differingTerms(compare: CompareDef, data: FormData): DifferingTerm[] {
  if (blank(data.values[compare.ref])) return []
  const out: DifferingTerm[] = []
  for (const p of compare.pairs) {
    const agreed = data.values[p.agreed]
    if (blank(agreed) || sameTerm(agreed, data.values[p.field])) continue
    out.push({ field: p.field, agreed: agreed ?? null, now: data.values[p.field] ?? null })
  }
  const lines = compare.lines
  if (lines) {
    ;(data.lines[lines.field] ?? []).forEach((row, i) => {
      for (const p of lines.pairs) {
        const agreed = row.values[p.agreed]
        if (blank(agreed) || sameTerm(agreed, row.values[p.column])) continue
        out.push({ field: lines.field, row: i, column: p.column, name: String(row.values[lines.name] ?? ''), agreed: agreed ?? null, now: row.values[p.column] ?? null })
      }
    })
  }
  return out
}

/** The differences with their fields' labels and definitions, for the side-by-side table. */
export function termDifferences(def: FormDef, compare: CompareDef, data: FormData): TermDifference[] {
  const byKey = new Map(def.fields.map((f) => [f.key, f]))
  const out: TermDifference[] = []
  for (const d of differingTerms(compare, data)) {
    const top = byKey.get(d.field)
    const field = d.column && top?.type === 'lines' ? top.columns.find((c) => c.key === d.column) : top
    if (!field) continue
    const item: TermDifference = { label: field.label, field, agreed: d.agreed, now: d.now }
    if (d.name !== undefined) item.row = d.name
    out.push(item)
  }
  return out
}
