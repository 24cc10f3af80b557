/**
 * A form's list as an Excel sheet (导出 Excel, issue 10): the list's own columns with the labels
 * the screen shows, then 状态 and 更新时间 as the list shows them. Values keep their type:
 * money as money cells (fen), dates as dates, numbers and decimals as numbers; a reference reads as
 * the referenced record's title, a select as its option's label, a boolean as its shown word
 * (displayValue, the list's own formatter), so a cell reads as it does on screen.
 */
import type { DocRecord } from '@core/model'
import { displayValue, type DisplayLang } from '@core/display'
import type { FieldDef, FormDef, Label } from '@forms/schema/types'
import type { XlsxCell, XlsxColumn, XlsxKind, XlsxSheet } from './workbook'
import { listFacets, type ListQuery } from '@core/list-query'

export interface ListExportOptions {
  lang?: DisplayLang
  /** What the list was narrowed by (search, filters), written as the sheet's filters line. */
  filters?: string
  /** A 业务员's name from the office directory. */
  userName?: (id: string) => string | undefined
}

const COMMON: Record<'number' | 'state' | 'updatedAt' | 'search' | 'rows' | 'date' | 'user' | 'to', Label> = {
  number: { zh: '单号', en: 'Number' },
  state: { zh: '状态', en: 'State' },
  updatedAt: { zh: '更新时间', en: 'Updated' },
  search: { zh: '搜索', en: 'Search' },
  date: { zh: '日期', en: 'Date' },
  user: { zh: '业务员', en: 'Salesperson' },
  to: { zh: '至', en: 'to' },
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
  columns.push({ header: L(COMMON.updatedAt), kind: 'date' })
  const out = rows.map((d) => {
    const cells: XlsxCell[] = keys.map((key) => cellOf(d, key, fields.get(key), lang, refTitle, opts.userName))
    if (states) cells.push(L(states[d.state]?.label) || d.state)
    cells.push(d.updatedAt)
    return cells
  })
  const filters = opts.filters?.trim()
  const count = L(COMMON.rows).replace('{n}', String(rows.length))
  return {
    name: L(form.title),
    title: `${L(form.title)}（${count}）`,
    ...(filters ? { filters } : {}),
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
  listAll(form: string, query: ListQuery): Promise<DocRecord[]>
  refTitle(form: string, id: string): Promise<string | undefined>
}

/** The query in words for the sheet: 搜索：华兴 · 状态：已批准、已发送 · 报价日期：2026-11-01 至 2026-11-30 · 客户：… · 业务员：李强. */
export async function describeQuery(form: FormDef, query: ListQuery, source: Pick<ListExportSource, 'refTitle'>, opts: Omit<ListExportOptions, 'filters'> = {}): Promise<string> {
  const L = (l: Label | undefined) => (l ? (opts.lang === 'en' ? l.en : l.zh) : '')
  const f = query.filters ?? {}
  const facets = listFacets(form)
  const dateField = form.fields.find((x) => x.key === facets.date)
  const parts = [
    query.text?.trim() ? `${L(COMMON.search)}：${query.text.trim()}` : '',
    f.states?.length ? `${L(COMMON.state)}：${f.states.map((st) => L(form.workflow?.states[st]?.label) || st).join('、')}` : '',
    f.from || f.to ? `${L(dateField?.label) || L(COMMON.date)}：${f.from ?? ''} ${L(COMMON.to)} ${f.to ?? ''}`.trim() : '',
    f.ref && facets.ref ? `${L(form.fields.find((x) => x.key === facets.ref!.key)?.label)}：${(await source.refTitle(facets.ref.to, f.ref)) ?? ''}` : '',
    f.user ? `${L(COMMON.user)}：${opts.userName?.(f.user) ?? f.user}` : '',
  ]
  return parts.filter(Boolean).join(' · ')
}

/**
 * Every record the list's query matches (search, filters, sort), in the list's order, through the
 * store's listAll (the same query the list runs), with the titles of the records they refer to.
 */
export async function collectListExport(form: FormDef, query: ListQuery, source: ListExportSource, opts: Omit<ListExportOptions, 'filters'> = {}): Promise<{ sheet: XlsxSheet; count: number }> {
  const rows = await source.listAll(form.id, query)
  const titles = new Map<string, string | undefined>()
  for (const f of form.fields) {
    if (f.type !== 'reference' || !form.list.columns.includes(f.key)) continue
    for (const d of rows) {
      const id = d.values[f.key]
      if (typeof id === 'string' && !titles.has(`${f.to}:${id}`)) titles.set(`${f.to}:${id}`, await source.refTitle(f.to, id))
    }
  }
  const filters = await describeQuery(form, query, source, opts)
  const sheet = exportListRows(form, rows, (to, id) => titles.get(`${to}:${id}`), { ...opts, ...(filters ? { filters } : {}) })
  return { sheet, count: rows.length }
}
