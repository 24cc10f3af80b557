/**
 * What a reference column recalls from earlier documents (`ReferenceField.recall`): when a clerk
 * picks a product in a quotation line, the prices this customer was quoted for it before. Pure:
 * the store reads the documents (findBy on the `by` value) and hands them in.
 */
import type { DocSnapshot, FieldValue, FormDef, LinesField, RecallDef, ReferenceField } from '../../forms/schema/types'
import { displayValue, type DisplayLang } from './display'
import { formatFen } from './money'
import { isReleased, voidStates } from './workflow'

/** One earlier document's row that picked the same record: its value, number, date and state. */
export interface RecallEntry {
  docId: string
  number: string
  /** The recall's header date (报价日期), or '' when the form declares none or it is empty. */
  date: string
  state: string
  released: boolean
  value: FieldValue
}

/**
 * What the edit screen asks for: the recall of column `<lines>.<column>` of `form` for the header
 * value `by` (the customer's id) and the records picked in the lines (`refs`), leaving out the
 * document being edited (`exclude`).
 */
export interface RecallQuery { form: string; lines: string; column: string; by: string; refs: string[]; exclude?: string }

/** A reference column that declares a recall, with its lines field. */
export interface RecallColumn { lines: LinesField; column: ReferenceField & { recall: RecallDef } }

/** The column `<linesKey>.<columnKey>` of `form` when it is a reference column with a recall. */
export function recallColumn(form: FormDef, linesKey: string, columnKey: string): RecallColumn | undefined {
  const lines = form.fields.find((f) => f.key === linesKey)
  if (lines?.type !== 'lines') return undefined
  const column = lines.columns.find((c) => c.key === columnKey)
  if (column?.type !== 'reference' || !column.recall) return undefined
  return { lines, column: column as ReferenceField & { recall: RecallDef } }
}

/**
 * Per referenced id in `refs`: the earlier documents whose rows picked it, newest first (by the
 * recall's date, then the number), one entry per document (its first such row) and at most
 * `limit` per id. Void documents (作废) and `exclude` (the document being edited) are left out;
 * drafts count, and say so (`released`).
 */
export function recallEntries(
  form: FormDef, linesKey: string, columnKey: string, docs: readonly DocSnapshot[], refs: readonly string[],
  opts: { exclude?: string; limit?: number } = {},
): Record<string, RecallEntry[]> {
  const rc = recallColumn(form, linesKey, columnKey)
  const out: Record<string, RecallEntry[]> = Object.fromEntries(refs.map((r) => [r, []]))
  if (!rc) return out
  const { recall } = rc.column
  const voided = new Set(voidStates(form))
  const wanted = new Set(refs)
  const dateOf = (d: DocSnapshot) => (recall.date && typeof d.values[recall.date] === 'string' ? d.values[recall.date] as string : '')
  const newestFirst = [...docs]
    .filter((d) => d.form === form.id && d.id !== opts.exclude && !voided.has(d.state))
    .sort((a, b) => (dateOf(a) !== dateOf(b) ? (dateOf(a) < dateOf(b) ? 1 : -1) : a.number < b.number ? 1 : a.number > b.number ? -1 : 0))
  const limit = opts.limit ?? 3
  for (const d of newestFirst) {
    const seen = new Set<string>()
    for (const row of d.lines[linesKey] ?? []) {
      const ref = row.values[columnKey]
      if (typeof ref !== 'string' || !wanted.has(ref) || seen.has(ref)) continue
      seen.add(ref)
      const list = out[ref]!
      if (list.length >= limit) continue
      list.push({ docId: d.id, number: d.number, date: dateOf(d), state: d.state, released: isReleased(form, d.state), value: row.values[recall.value] ?? null })
    }
  }
  return out
}

/**
 * The hint a clerk reads under the line: "上次报价 ¥23.80（BJ2611-A7-0003，2026-11-02）", with the
 * state added when that document was never released ("，草稿"): a draft's price was not quoted.
 */
export function recallText(form: FormDef, linesKey: string, columnKey: string, entry: RecallEntry, lang: DisplayLang = 'zh'): string {
  const rc = recallColumn(form, linesKey, columnKey)
  if (!rc) return ''
  const en = lang === 'en'
  const valueField = rc.lines.columns.find((c) => c.key === rc.column.recall.value)
  const v = entry.value
  const shown = valueField?.type === 'money' && typeof v === 'number' ? formatFen(v, { symbol: true }) : valueField ? displayValue(valueField, v, { lang }) : String(v ?? '')
  const state = entry.released ? undefined : form.workflow?.states[entry.state]?.label
  const parts = [entry.number, entry.date, state ? (en ? state.en : state.zh) : ''].filter(Boolean)
  const label = en ? rc.column.recall.label.en : rc.column.recall.label.zh
  return en ? `${label} ${shown} (${parts.join(', ')})` : `${label} ${shown}（${parts.join('，')}）`
}
