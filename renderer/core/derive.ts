/**
 * "Make from" (从…生成) and the document chain (单据链): pure functions over the form definitions.
 * A form declares which forms it can be made from (`FormDef.derive`), with a named mapping and the
 * reference field that keeps the link; the chain follows those links both ways.
 */
import type { DeriveDef, DeriveSource, FormData, FormDef, LineRow, Values } from '../../forms/schema/types'
import { applyComputed, defaultLineValues, defaultValues, isEmpty } from './validation'

/** A form that can be made from a document of `sourceForm` in `state`, with its derive declaration. */
export interface Derivation { target: FormDef; derive: DeriveDef }

/**
 * The forms that can be made from a document of `sourceForm` in `state`, in the registry's order:
 * from the whole document, or with `line` from one row of that lines field (a visit from a plan line).
 */
export function derivationsFrom(forms: readonly FormDef[], sourceForm: string, state: string, source?: DeriveSource, line?: string): Derivation[] {
  const out: Derivation[] = []
  for (const target of forms) {
    for (const d of target.derive ?? []) {
      if (d.from === sourceForm && d.line === line && offers(d, state, source)) out.push({ target, derive: d })
    }
  }
  return out
}

/** The source as a per-line derive sees it: the same document with `row` set to its line `rowId`. */
export function withRow(source: DeriveSource, rowId: string, rows: readonly LineRow[]): DeriveSource | undefined {
  const index = rows.findIndex((r) => r.id === rowId)
  if (index < 0) return undefined
  return { ...source, row: { id: rowId, index, values: rows[index]!.values } }
}

/** The derivation applies to a source in `state` (and, with the source given, its `when` holds). */
export function offers(d: DeriveDef, state: string, source?: DeriveSource): boolean {
  if (d.states && !d.states.includes(state)) return false
  return !d.when || (source !== undefined && d.when(source))
}

/**
 * The new document's data: the target's defaults (dates from `today`), then what the mapping gives
 * (only fields the target has; computed ones follow), then the link to the source. Lines the
 * mapping gives get fresh row ids (they are new records).
 */
export function deriveDoc(target: FormDef, d: DeriveDef, source: DeriveSource, today: string, newId: () => string): FormData {
  const base = defaultValues(target, { today })
  const mapped = d.map(source)
  const values: Values = { ...base.values }
  for (const [k, v] of Object.entries(mapped.values)) {
    const f = target.fields.find((x) => x.key === k)
    if (!f || f.type === 'lines' || f.type === 'attachment' || f.computed || isEmpty(v)) continue
    values[k] = v
  }
  values[d.link] = source.id
  const lines: Record<string, LineRow[]> = { ...base.lines }
  for (const [key, rows] of Object.entries(mapped.lines ?? {})) {
    const lf = target.fields.find((x) => x.key === key)
    if (lf?.type !== 'lines') continue
    const keys = new Set(lf.columns.filter((c) => !c.computed).map((c) => c.key))
    lines[key] = rows.map((r) => ({ id: newId(), values: { ...defaultLineValues(lf), ...Object.fromEntries(Object.entries(r).filter(([k, v]) => keys.has(k) && !isEmpty(v))) } }))
  }
  return applyComputed(target, { values, lines })
}

/** One link of a document's chain: which reference field of which form points at which form. */
export interface ChainLink { form: string; field: string; to: string }

/** Every reference field between documents (not to master data such as customers and products). */
export function chainLinks(forms: readonly FormDef[], master: ReadonlySet<string>): ChainLink[] {
  const out: ChainLink[] = []
  for (const f of forms) {
    for (const field of f.fields) {
      if (field.type === 'reference' && !master.has(field.to)) out.push({ form: f.id, field: field.key, to: field.to })
    }
  }
  return out
}

/** A reference column of a lines field pointing at a document (a commission line's contract and adjustment). */
export interface LineChainLink { form: string; lines: string; column: string; to: string }

/** Every reference column between documents (not to master data such as products). */
export function lineChainLinks(forms: readonly FormDef[], master: ReadonlySet<string>): LineChainLink[] {
  const out: LineChainLink[] = []
  for (const f of forms) {
    for (const field of f.fields) {
      if (field.type !== 'lines') continue
      for (const c of field.columns) if (c.type === 'reference' && !master.has(c.to)) out.push({ form: f.id, lines: field.key, column: c.key, to: c.to })
    }
  }
  return out
}
