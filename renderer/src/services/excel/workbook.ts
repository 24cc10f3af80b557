/**
 * 导出 Excel (issue 10): one builder every list and report calls. The layout (title, filters line,
 * header, rows, groups with 小计, 合计) and every figure are decided by the pure functions below;
 * `buildWorkbook` only hands the laid-out rows to exceljs (loaded on first use: ~1 MB the app
 * does not need until someone exports).
 *
 * Money arrives in integer fen and is written as yuan numbers with '#,##0.00'. `fen / 100` is
 * exact enough: IEEE division is correctly rounded, so it gives the double nearest the decimal
 * yuan amount, the same double Excel parses from "1234.56". Totals are summed in integer fen
 * (addFen, BigInt-checked) and divided once, so a 合计 agrees to the fen with the screen's.
 */
import type { Workbook, Worksheet } from 'exceljs'
import { unzipSync, zipSync, strFromU8, strToU8 } from 'fflate'
import { addFen } from '@core/money'

export type XlsxKind = 'text' | 'money' | 'number' | 'date' | 'percent'
export interface XlsxColumn { header: string; kind: XlsxKind; width?: number }
/** Money in integer fen; a date as 'YYYY-MM-DD' or an ISO datetime; a percent as a fraction. */
export type XlsxCell = string | number | null
export interface XlsxGroup { label: string; rows: XlsxCell[][] }
export interface XlsxSheet {
  name: string
  title?: string
  /** A line saying which filters applied (搜索：华兴 · 月份：2026-11). */
  filters?: string
  columns: XlsxColumn[]
  rows?: XlsxCell[][]
  groups?: XlsxGroup[]
  totals?: boolean
}

export const MONEY_FORMAT = '#,##0.00'
export const DATE_FORMAT = 'yyyy-mm-dd'
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm'
export const PERCENT_FORMAT = '0.00%'
/** Excel's built-in "Text" format (id 49): what the clerk types into such a cell stays text. */
export const TEXT_FORMAT = '@'
export const TOTAL_LABEL = '合计'
export const SUBTOTAL_LABEL = '小计'
/** Excel's limit of characters in one cell. */
const MAX_CELL_CHARS = 32767

/** One cell as it will be written. */
export interface OutCell {
  value: string | number | Date | null
  numFmt?: string
  /** A text that Excel would read as a formula: written as a string in the Text format with quotePrefix. */
  escaped?: boolean
}
export type RowRole = 'title' | 'filters' | 'header' | 'data' | 'group' | 'subtotal' | 'total'
export interface OutRow { role: RowRole; cells: OutCell[] }

/**
 * True for text a spreadsheet would evaluate or that hides a formula (CSV/formula injection):
 * starting with = + - @, a tab or a carriage return, or their full-width forms ＝ ＋ － ＠
 * (Excel's IME input accepts those as the formula sign too).
 */
export function isFormulaLike(text: string): boolean {
  return /^[=+\-@\t\r＝＋－＠]/.test(text)
}

// XML 1.0 forbids these; exceljs would write an xlsx that Excel refuses to open.
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

/** A text cell: cleaned of characters XML cannot hold, capped at Excel's cell size, escaped when formula-like. */
export function textCell(v: XlsxCell): OutCell {
  if (v === null || v === '') return { value: null }
  const text = String(v).replace(XML_ILLEGAL, '').slice(0, MAX_CELL_CHARS)
  return isFormulaLike(text) ? { value: text, numFmt: TEXT_FORMAT, escaped: true } : { value: text }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/**
 * A date for Excel: exceljs writes a Date's UTC fields as the serial, so a calendar date is built
 * in UTC, and an ISO datetime becomes the local wall-clock time the screen shows (formatDateTime).
 */
export function dateValue(text: string): { date: Date; withTime: boolean } | null {
  const d = DATE_ONLY.exec(text)
  if (d) {
    const date = new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])))
    return date.getUTCDate() === Number(d[3]) ? { date, withTime: false } : null
  }
  if (!DATE_TIME.test(text)) return null
  const t = new Date(text)
  if (Number.isNaN(t.getTime())) return null
  return { date: new Date(Date.UTC(t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds())), withTime: true }
}

/** A number from a number or a decimal string ("12.50", decimal fields are strings); null when it is none. */
function numeric(v: XlsxCell): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim())
  return null
}

/** One value of a column of this kind as an Excel cell. A value that does not fit its kind is written as text, never dropped. */
export function toCell(kind: XlsxKind, v: XlsxCell): OutCell {
  if (v === null || v === '') return { value: null }
  switch (kind) {
    case 'money':
      return typeof v === 'number' && Number.isSafeInteger(v) ? { value: v / 100, numFmt: MONEY_FORMAT } : textCell(v)
    case 'number': {
      const n = numeric(v)
      return n === null ? textCell(v) : { value: n }
    }
    case 'percent': {
      const n = numeric(v)
      return n === null ? textCell(v) : { value: n, numFmt: PERCENT_FORMAT }
    }
    case 'date': {
      const d = typeof v === 'string' ? dateValue(v) : null
      return d ? { value: d.date, numFmt: d.withTime ? DATETIME_FORMAT : DATE_FORMAT } : textCell(v)
    }
    case 'text':
      return textCell(v)
  }
}

/** Adds decimal numbers exactly (0.1 + 0.2 = 0.3): scaled to integers by their longest fraction. */
export function sumNumbers(values: number[]): number {
  let scale = 0
  for (const n of values) {
    const s = String(n)
    if (/e/i.test(s)) return values.reduce((a, b) => a + b, 0) // 1e21 or 1e-7: beyond what a clerk types
    scale = Math.max(scale, s.split('.')[1]?.length ?? 0)
  }
  let sum = 0n
  for (const n of values) sum += BigInt(Math.round(n * 10 ** scale))
  return Number(sum) / 10 ** scale
}

/** The 合计/小计 of `rows` per column: fen summed in integers for money, decimals exactly for numbers, null for other kinds. */
export function columnTotals(columns: XlsxColumn[], rows: XlsxCell[][]): Array<number | null> {
  return columns.map((c, i) => {
    if (c.kind === 'money') return addFen(...rows.map((r) => r[i]).filter((v): v is number => typeof v === 'number' && Number.isSafeInteger(v)))
    if (c.kind === 'number') return sumNumbers(rows.map((r) => numeric(r[i] ?? null)).filter((v): v is number => v !== null))
    return null
  })
}

/** A 合计/小计 row: the label in the first column that is not summed, the sums under their columns. */
function totalRow(role: 'subtotal' | 'total', label: string, columns: XlsxColumn[], rows: XlsxCell[][]): OutRow {
  const sums = columnTotals(columns, rows)
  const at = Math.max(0, columns.findIndex((c) => c.kind !== 'money' && c.kind !== 'number'))
  const cells = columns.map((c, i): OutCell => {
    if (i === at && sums[i] === null) return { value: label }
    const s = sums[i]
    if (s === null || s === undefined) return { value: null }
    return c.kind === 'money' ? { value: s / 100, numFmt: MONEY_FORMAT } : { value: s }
  })
  return { role, cells }
}

/**
 * The sheet as rows top to bottom: title, filters line, the header (the frozen row), then either
 * the rows or each group (its label row, its rows, its 小计), then the 合计 of every row when
 * `totals` (a grouped sheet always ends with its 合计: the groups' 小计 add up to it).
 */
export function layoutSheet(sheet: XlsxSheet): OutRow[] {
  const width = sheet.columns.length
  const out: OutRow[] = []
  const lineRow = (role: 'title' | 'filters' | 'group', text: string): OutRow => ({ role, cells: [textCell(text), ...Array.from({ length: Math.max(0, width - 1) }, () => ({ value: null }))] })
  if (sheet.title) out.push(lineRow('title', sheet.title))
  if (sheet.filters) out.push(lineRow('filters', sheet.filters))
  out.push({ role: 'header', cells: sheet.columns.map((c) => textCell(c.header)) })
  const data = (r: XlsxCell[]): OutRow => ({ role: 'data', cells: sheet.columns.map((c, i) => toCell(c.kind, r[i] ?? null)) })
  const all: XlsxCell[][] = []
  for (const r of sheet.rows ?? []) { out.push(data(r)); all.push(r) }
  for (const g of sheet.groups ?? []) {
    out.push(lineRow('group', g.label))
    for (const r of g.rows) { out.push(data(r)); all.push(r) }
    out.push(totalRow('subtotal', `${SUBTOTAL_LABEL}（${g.label}）`, sheet.columns, g.rows))
  }
  if (sheet.totals || sheet.groups?.length) out.push(totalRow('total', TOTAL_LABEL, sheet.columns, all))
  return out
}

/** Display width of a text in Excel's character units: a CJK character is two. */
export function textWidth(text: string): number {
  let w = 0
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1
  return w
}

/** Column widths: the given one, else the widest header or value (first 500 data rows), 8 to 50. */
export function columnWidths(sheet: XlsxSheet, rows: OutRow[]): number[] {
  const sample = rows.filter((r) => r.role === 'header' || r.role === 'data' || r.role === 'subtotal' || r.role === 'total').slice(0, 502)
  return sheet.columns.map((c, i) => {
    if (c.width) return c.width
    let w = 0
    for (const r of sample) {
      const v = r.cells[i]?.value
      const fmt = r.cells[i]?.numFmt
      const shown = v instanceof Date ? (fmt === DATETIME_FORMAT ? '2026-11-30 00:00' : '2026-11-30')
        : typeof v === 'number' ? (fmt === MONEY_FORMAT ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : String(v)) : v ?? ''
      w = Math.max(w, textWidth(shown))
    }
    return Math.min(50, Math.max(8, w + 2))
  })
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = (name.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '').trim() || 'Sheet').slice(0, 31)
  let out = base
  for (let n = 2; taken.has(out.toLowerCase()); n++) out = `${base.slice(0, 31 - String(n).length - 1)}_${n}`
  taken.add(out.toLowerCase())
  return out
}

const BOLD = { bold: true }
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFEFF2F7' } }
const THIN = { style: 'thin' as const, color: { argb: 'FFBFC5CE' } }

/** Writes the sheet's rows into `ws`; true when any text was escaped (see addQuotePrefix). */
function writeSheet(ws: Worksheet, sheet: XlsxSheet): boolean {
  const rows = layoutSheet(sheet)
  const widths = columnWidths(sheet, rows)
  widths.forEach((w, i) => { ws.getColumn(i + 1).width = w })
  let headerAt = 1
  rows.forEach((r, idx) => {
    const n = idx + 1
    const row = ws.getRow(n)
    r.cells.forEach((c, i) => {
      if (c.value === null) return
      const cell = row.getCell(i + 1)
      cell.value = c.value
      if (c.numFmt) cell.numFmt = c.numFmt
    })
    if (r.role === 'title') { row.font = { bold: true, size: 14 }; if (sheet.columns.length > 1) ws.mergeCells(n, 1, n, sheet.columns.length) }
    if (r.role === 'filters') { row.font = { color: { argb: 'FF606266' } }; if (sheet.columns.length > 1) ws.mergeCells(n, 1, n, sheet.columns.length) }
    if (r.role === 'header') {
      headerAt = n
      r.cells.forEach((_c, i) => {
        const cell = row.getCell(i + 1)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = { bottom: THIN }
        cell.alignment = { vertical: 'middle', horizontal: sheet.columns[i]!.kind === 'text' ? 'left' : 'center' }
      })
    }
    if (r.role === 'group' || r.role === 'subtotal' || r.role === 'total') row.font = BOLD
    if (r.role === 'total') r.cells.forEach((_c, i) => { row.getCell(i + 1).border = { top: THIN } })
  })
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerAt, topLeftCell: `A${headerAt + 1}`, activeCell: `A${headerAt + 1}` }]
  return rows.some((r) => r.cells.some((c) => c.escaped))
}

/**
 * Marks the cells of escaped texts with quotePrefix (the leading apostrophe Excel shows for text
 * typed as '=…'), which exceljs cannot write: every cell style using the Text format (id 49) is
 * used only by escaped cells here, so that style gets quotePrefix="1".
 */
export function addQuotePrefix(xlsx: Uint8Array): Uint8Array {
  const files = unzipSync(xlsx)
  const styles = files['xl/styles.xml']
  if (!styles) return xlsx
  const xml = strFromU8(styles)
  const cellXfs = /<cellXfs[^>]*>[\s\S]*?<\/cellXfs>/.exec(xml)
  if (!cellXfs) return xlsx
  const patched = cellXfs[0].replace(/<xf (?![^>]*quotePrefix)([^>]*numFmtId="49"[^>]*?)(\/?)>/g, '<xf $1 quotePrefix="1"$2>')
  if (patched === cellXfs[0]) return xlsx
  files['xl/styles.xml'] = strToU8(xml.replace(cellXfs[0], patched))
  return zipSync(files, { level: 6 })
}

async function exceljs(): Promise<typeof import('exceljs')> {
  const mod = (await import('exceljs')) as unknown as typeof import('exceljs') & { default?: typeof import('exceljs') }
  return mod.default ?? mod
}

/** The .xlsx file of these sheets (one worksheet each, in order). */
export async function buildWorkbook(sheets: XlsxSheet[]): Promise<Uint8Array> {
  const { Workbook: WorkbookClass } = await exceljs()
  const wb: Workbook = new WorkbookClass()
  wb.creator = 'MarketDesk 营销业务台'
  wb.created = new Date()
  const taken = new Set<string>()
  let escaped = false
  for (const s of sheets) escaped = writeSheet(wb.addWorksheet(sheetName(s.name, taken)), s) || escaped
  const buf = await wb.xlsx.writeBuffer()
  const bytes = new Uint8Array(buf as ArrayBuffer)
  return escaped ? addQuotePrefix(bytes) : bytes
}
