/**
 * A form's list as an Excel sheet (导出 Excel, issue 10): the list's own columns with the labels
 * the screen shows, then 状态, 版本 and 更新时间 as the list shows them. Values keep their type:
 * money as money cells (fen), dates as dates, numbers and decimals as numbers; a reference reads as
 * the referenced record's title, a select as its option's label, a boolean as its shown word
 * (displayValue, the list's own formatter), so a cell reads as it does on screen.
 */
import type { DocRecord } from '@core/model'
import { displayValue, type DisplayLang } from '@core/display'
import type { FieldDef, FormDef, Label } from '@forms/schema/types'
import type { XlsxCell, XlsxColumn, XlsxKind, XlsxSheet } from './workbook'

export interface ListExportOptions {
  lang?: DisplayLang
  /** The list's search text, written in the sheet's filters line. */
  search?: string
  /** A 业务员's name from the office directory. */
  userName?: (id: string) => string | undefined
}

const COMMON: Record<'number' | 'state' | 'version' | 'updatedAt' | 'search' | 'rows', Label> = {
  number: { zh: '单号', en: 'Number' },
  state: { zh: '状态', en: 'State' },
  version: { zh: '版本', en: 'Version' },
  updatedAt: { zh: '更新时间', en: 'Updated' },
  search: { zh: '搜索', en: 'Search' },
  rows: { zh: '共 {n} 条', en: '{n} rows' },
}

/** The Excel kind of a list column by its field type. */
export function kindOf(f: FieldDef | undefined): XlsxKind {
  switch (f?.type) {
    case 'money': return 'money'
    case 'number':
    case 'decimal': return 'number'
    case 'date': return 'date'
    default: return 'text'
  }
}

/** One cell of a list column: the typed value for money, numbers and dates, else the text the screen shows. */
function cellOf(d: DocRecord, key: string, f: FieldDef | undefined, lang: DisplayLang, refTitle: (form: string, id: string) => string | undefined, userName?: (id: string) => string | undefined): XlsxCell {
  if (key === 'number') return d.number
  const v = d.values[key]
  if (v === null || v === undefined || v === '') return null
  if (!f) return typeof v === 'object' ? null : String(v)
  switch (f.type) {
    case 'money': return typeof v === 'number' ? v : null
    case 'number': return typeof v === 'number' ? v : null
    case 'decimal': return typeof v === 'string' || typeof v === 'number' ? v : null
    case 'date': return typeof v === 'string' ? v : null
    default: return displayValue(f, v, { lang, refTitle, ...(userName ? { userName } : {}) }) || null
  }
}

/**
 * The sheet of a list: `rows` are every record matching the list's search (not only the page),
 * in the list's order; `refTitle` names referenced records as the list's cells do.
 */
export function exportListRows(form: FormDef, rows: readonly DocRecord[], refTitle: (form: string, id: string) => string | undefined, opts: ListExportOptions = {}): XlsxSheet {
  const lang = opts.lang ?? 'zh'
  const L = (l: Label | undefined) => (l ? l[lang] : '')
  const fields = new Map(form.fields.map((f) => [f.key, f]))
  const keys = form.list.columns
  const columns: XlsxColumn[] = keys.map((key) => {
    const f = fields.get(key)
    return { header: key === 'number' ? L(COMMON.number) : L(f?.short ?? f?.label), kind: key === 'number' ? 'text' : kindOf(f) }
  })
  const states = form.workflow?.states
  if (states) columns.push({ header: L(COMMON.state), kind: 'text' })
  columns.push({ header: L(COMMON.version), kind: 'text' }, { header: L(COMMON.updatedAt), kind: 'date' })
  const out = rows.map((d) => {
    const cells: XlsxCell[] = keys.map((key) => cellOf(d, key, fields.get(key), lang, refTitle, opts.userName))
    if (states) cells.push(L(states[d.state]?.label) || d.state)
    cells.push(`V${d.version}`, d.updatedAt)
    return cells
  })
  const search = opts.search?.trim()
  const count = L(COMMON.rows).replace('{n}', String(rows.length))
  return {
    name: L(form.title),
    title: `${L(form.title)}（${count}）`,
    ...(search ? { filters: `${L(COMMON.search)}：${search}` } : {}),
    columns,
    rows: out,
    totals: columns.some((c) => c.kind === 'money' || c.kind === 'number'),
  }
}

/** `报价单_2026-11-30.xlsx`: the list's name and the local day of the export. */
export function listFileName(title: string, day: string): string {
  return `${title}_${day}.xlsx`
}

/** What collecting a list's export needs from the store. */
export interface ListExportSource {
  list(form: string, query: { text?: string; limit?: number; offset?: number }): Promise<{ rows: DocRecord[]; total: number; more?: boolean }>
  refTitle(form: string, id: string): Promise<string | undefined>
}

/** Records read per page while collecting an export. */
const PAGE = 500

/**
 * Every record the list's query matches, in the list's order, page by page through the store (the
 * same query the list runs), with the titles of the records they refer to. `more`: the search hit
 * the store's cap (the list says "1000+"), so only the capped matches are in the sheet.
 */
export async function collectListExport(form: FormDef, text: string, source: ListExportSource, opts: Omit<ListExportOptions, 'search'> = {}): Promise<{ sheet: XlsxSheet; more: boolean; count: number }> {
  const rows: DocRecord[] = []
  let more = false
  for (let offset = 0; ; offset += PAGE) {
    const res = await source.list(form.id, { text, limit: PAGE, offset })
    rows.push(...res.rows)
    more ||= res.more === true
    if (res.rows.length === 0 || offset + PAGE >= res.total) break
  }
  const titles = new Map<string, string | undefined>()
  for (const f of form.fields) {
    if (f.type !== 'reference' || !form.list.columns.includes(f.key)) continue
    for (const d of rows) {
      const id = d.values[f.key]
      if (typeof id === 'string' && !titles.has(`${f.to}:${id}`)) titles.set(`${f.to}:${id}`, await source.refTitle(f.to, id))
    }
  }
  const sheet = exportListRows(form, rows, (to, id) => titles.get(`${to}:${id}`), { ...opts, search: text })
  return { sheet, more, count: rows.length }
}
