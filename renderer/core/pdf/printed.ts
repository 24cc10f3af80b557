/**
 * What a printed form says, as plain strings: the one model both the content hash and the
 * pdfmake document are built from, so the hash covers exactly what the paper shows (pdf.md).
 * Driven only by `form.print.blocks`; no per-form code.
 */
import type { FieldDef, FieldValue, FormDef, Label, LineRow, LinesField, PrintBlock, Values } from '../../../forms/schema/types'
import { formById } from '../../../forms/registry'
import { MAX_CAPITAL_FEN, formatFen, toCapital } from '../money'
import { displayValue } from '../display'
import { approvalBox, type PrintApprovals, type PrintedApproval } from './approvals'

/** The document as the print input carries it (a plain copy, never a live database object). */
export interface PrintRecord {
  number: string
  version: number
  state: string
  values: Values
  lines: Record<string, LineRow[]>
}

/** Company letterhead printed on every page. */
export interface PrintCompany { name: string; address: string; phone: string }

/** Everything a form's PDF is built from. */
export interface PrintInput {
  form: FormDef
  record: PrintRecord
  /** Resolved references by field key, e.g. `customer` → the customer's values. */
  refs: Record<string, PrintedRef | undefined>
  /** Records picked in line reference columns, by `<lines>.<column>` and then record id (a line's product). */
  lineRefs?: Record<string, Record<string, PrintedRef | undefined>>
  company: PrintCompany
  /** R10, §5.6.1: false prints the draft watermark. */
  released: boolean
  /** Who made and approved the current version (approvalsFromAudit); absent: the boxes print blank. */
  approvals?: PrintApprovals
  /** Names of the office's users by id, for user fields (业务员, 责任研发工程师); an unknown id prints blank. */
  users?: Record<string, string>
  lang?: 'zh'
}

/** One label/value cell of a fields grid; `wide` cells take a whole row. */
export interface PrintedCell { label: string; value: string; wide: boolean }
export type Align = 'left' | 'right' | 'center'

export type PrintedBlock =
  | { kind: 'fields'; title?: string; columns: number; cells: PrintedCell[] }
  | { kind: 'lines'; headers: string[]; align: Align[]; flex: boolean[]; rows: string[][] }
  | { kind: 'totals'; rows: Array<{ label: string; value: string }>; capitalLabel: string; capital: string }
  | { kind: 'text'; title?: string; text: string }
  | { kind: 'signatures'; parties: string[] }
  | { kind: 'approvals'; rows: PrintedApproval[] }

/** The printed content of one form document. */
export interface PrintedDoc {
  form: string
  title: string
  number: string
  version: number
  released: boolean
  company: PrintCompany
  blocks: PrintedBlock[]
}

const zh = (l: Label): string => l.zh

/** Computed fields and line columns are recomputed from the data so the paper never shows a stale total. */
function effectiveData(form: FormDef, record: PrintRecord): { values: Values; lines: Record<string, LineRow[]> } {
  const lines: Record<string, LineRow[]> = {}
  for (const [field, rows] of Object.entries(record.lines)) {
    lines[field] = rows.map((row) => {
      const values: Values = { ...row.values }
      for (const [key, fn] of Object.entries(form.lineComputed ?? {})) {
        const [lf, col] = key.split('.')
        if (lf === field && col) values[col] = fn(values)
      }
      return { id: row.id, values }
    })
  }
  const values: Values = { ...record.values }
  for (const [key, fn] of Object.entries(form.computed ?? {})) values[key] = fn({ values, lines })
  return { values, lines }
}

/** The printed text of one value (displayValue in zh); a reference prints its resolved record's title. */
export function formatValue(field: FieldDef, value: FieldValue | undefined, ref?: PrintedRef, users?: Record<string, string>): string {
  // A user field prints the person's name; an id the letter cannot name prints blank, never a UUID.
  return displayValue(field, value, { lang: 'zh', refTitle: (form) => (ref ? refTitle(form, ref) : undefined), userName: (id) => users?.[id] ?? '' })
}

/** A referenced record as printed: its values, and its number (a document is named by it). */
export interface PrintedRef { values: Values; number?: string }

/**
 * A referenced record's title as printed: its title field, formatted by that field's type; a
 * document named after another record (a contract after its customer) prints its number (HT…).
 */
function refTitle(form: string, ref: PrintedRef): string {
  const target = formById(form)
  const titleField = target.fields.find((f) => f.key === target.titleField)
  if (titleField?.type === 'reference') return ref.number ?? ''
  const v = ref.values[target.titleField]
  return titleField ? formatValue(titleField, v) : String(v ?? '')
}

const isWide = (f: FieldDef): boolean => f.type === 'longtext' || f.span === 'full'
const isNumeric = (f: FieldDef): boolean => f.type === 'money' || f.type === 'decimal' || f.type === 'number'

function fieldOf(form: FormDef, key: string): FieldDef {
  const f = form.fields.find((x) => x.key === key)
  if (!f) throw new Error(`form ${form.id}: print layout names unknown field '${key}'`)
  return f
}

function printBlock(block: PrintBlock, input: PrintInput, data: { values: Values; lines: Record<string, LineRow[]> }): PrintedBlock {
  const { form, refs } = input
  switch (block.kind) {
    case 'fields': {
      const cells = block.fields.map((key) => {
        const f = fieldOf(form, key)
        return { label: zh(f.label), value: formatValue(f, data.values[key], refs[key], input.users), wide: isWide(f) }
      })
      return { kind: 'fields', ...(block.title ? { title: zh(block.title) } : {}), columns: block.columns ?? 2, cells }
    }
    case 'party': {
      const ref = fieldOf(form, block.reference)
      if (ref.type !== 'reference') throw new Error(`form ${form.id}: party '${block.reference}' is not a reference field`)
      const target = formById(ref.to)
      const values = refs[block.reference]?.values ?? {}
      const cells = block.fields.map((key) => {
        const f = fieldOf(target, key)
        return { label: zh(f.label), value: formatValue(f, values[key], undefined, input.users), wide: isWide(f) }
      })
      return { kind: 'fields', title: zh(block.title), columns: 2, cells }
    }
    case 'lines': {
      const lf = fieldOf(form, block.field) as LinesField
      const cols = (block.columns ?? lf.columns.map((c) => c.key)).map((k) => {
        const c = lf.columns.find((x) => x.key === k)
        if (!c) throw new Error(`form ${form.id}: lines '${block.field}' has no column '${k}'`)
        return c
      })
      // A reference cell prints its record's title (a product's code), never its id.
      const refOf = (c: FieldDef, v: FieldValue | undefined) => (c.type === 'reference' && typeof v === 'string' ? input.lineRefs?.[`${block.field}.${c.key}`]?.[v] : undefined)
      const rows = (data.lines[block.field] ?? []).map((row, i) => [String(i + 1), ...cols.map((c) => formatValue(c, row.values[c.key], refOf(c, row.values[c.key]), input.users))])
      return {
        kind: 'lines',
        headers: ['序号', ...cols.map((c) => (c.type === 'money' ? `${zh(c.label)}（元）` : zh(c.label)))],
        align: ['center', ...cols.map((c): Align => (isNumeric(c) ? 'right' : c.type === 'select' || c.type === 'date' ? 'center' : 'left'))],
        flex: [false, ...cols.map((c) => c.type === 'text' || c.type === 'longtext')],
        rows,
      }
    }
    case 'totals': {
      const rows = block.fields.map((key) => {
        const f = fieldOf(form, key)
        const v = data.values[key]
        return { label: zh(f.label), value: f.type === 'money' && typeof v === 'number' ? formatFen(v, { symbol: true }) : formatValue(f, v, undefined, input.users) }
      })
      const total = data.values[block.capital]
      // toCapital has no 人民币 prefix by its convention; the printed line adds it.
      const capital = typeof total !== 'number' ? '' : Math.abs(total) > MAX_CAPITAL_FEN ? '（金额超出大写范围）' : `人民币${toCapital(total)}`
      return { kind: 'totals', rows, capitalLabel: `${zh(fieldOf(form, block.capital).label)}（大写）`, capital }
    }
    case 'text': {
      const f = fieldOf(form, block.field)
      return { kind: 'text', ...(block.title ? { title: zh(block.title) } : {}), text: formatValue(f, data.values[block.field], refs[block.field], input.users) }
    }
    case 'signatures':
      return { kind: 'signatures', parties: block.parties.map(zh) }
    case 'approvals':
      return { kind: 'approvals', rows: block.rows.map((r) => approvalBox(r, input.approvals, zh)) }
  }
}

/**
 * The printed content of a document: every string the PDF shows, before any layout.
 *
 * The approvals boxes are part of it, so they are part of the content hash in the QR, like the
 * draft watermark (`released`) already is: the hash identifies one printed sheet, not the version's
 * values. That does not change the identity of a sheet already printed: each print logs the hash
 * it printed (PrintLogEntry), and a scan is matched against the logged hashes of its version, so a
 * draft printed before 核准 and the released copy printed after it are both recognised (match.ts).
 * A reprint carries the same hash as long as nobody has taken a printed action since (for the
 * quotation: 制单 and 核准 happen before release, and editing a released quotation revises it into
 * a new version, so every released copy of a version prints the same boxes and the same hash).
 */
export function printedDoc(input: PrintInput): PrintedDoc {
  const { form, record } = input
  if (!form.print) throw new Error(`form ${form.id} has no print layout`)
  const data = effectiveData(form, record)
  return {
    form: form.id,
    title: zh(form.print.titleOf?.(data) ?? form.print.title),
    number: record.number,
    version: record.version,
    released: input.released,
    company: { ...input.company },
    blocks: form.print.blocks.map((b) => printBlock(b, input, data)),
  }
}

/** All strings of a printed document, for the glyph check. */
export function printedText(doc: PrintedDoc): string {
  const parts: string[] = [doc.title, doc.number, doc.company.name, doc.company.address, doc.company.phone]
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'fields': parts.push(b.title ?? '', ...b.cells.flatMap((c) => [c.label, c.value])); break
      case 'lines': parts.push(...b.headers, ...b.rows.flat()); break
      case 'totals': parts.push(b.capitalLabel, b.capital, ...b.rows.flatMap((r) => [r.label, r.value])); break
      case 'text': parts.push(b.title ?? '', b.text); break
      case 'signatures': parts.push(...b.parties); break
      case 'approvals': parts.push(...b.rows.flatMap((r) => [r.label, r.name, r.date])); break
    }
  }
  return parts.join('\n')
}
