/**
 * 导入 Excel (issue 10): customers (客户资料) and opening balances (期初余额) from a workbook.
 *
 * 1. `readImportSheet`: the file's bytes → its rows by header, or an ImportFileError with one zh-CN
 *    sentence (not an .xlsx, too large, a zip bomb, empty, wrong headers, too many rows).
 * 2. `dryRun`: each row → the values it would write, checked with the form engine's own
 *    validateForm (rules are never restated here; this file only turns a cell into a typed value),
 *    duplicates flagged with core/search's possibleDuplicates (through the store's similarTitles).
 *    Nothing is written.
 * 3. `confirmImport`: only a plan without errors, row by row through the documents store (the
 *    data layer checks rights and signs the audit entry, whose comment names the file and row).
 */
import type { Workbook } from 'exceljs'
import { unzipSync } from 'fflate'
import type { DocRecord } from '@core/model'
import type { LoadedDoc } from '@core/ports'
import type { FieldDef, FormData, FormDef, Values } from '@forms/schema/types'
import { applyComputed, defaultValues, isIsoDate, validateForm } from '@core/validation'
import { normalizeCompanyName } from '@core/search'
import { formatFen, parseYuan } from '@core/money'
import { buildWorkbook, type XlsxCell, type XlsxColumn, type XlsxSheet } from './workbook'

export type ImportKind = 'customers' | 'openingBalances'

/** Most data rows one file may hold. */
export const MAX_IMPORT_ROWS = 5000
/** Largest file read (a customer list of 5,000 rows is well under 1 MB). */
export const MAX_IMPORT_FILE_BYTES = 10 * 1024 * 1024
/** Largest total the file's parts may unpack to (a zip bomb is refused before exceljs reads it). */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024
/** A row whose first cell starts with this is the template's sample: skipped. */
export const SAMPLE_MARK = '示例'

/** The customer fields a customer import fills, in the template's order (the form's own labels are the headers). */
const CUSTOMER_KEYS = ['fullName', 'shortName', 'address', 'phone', 'legalPerson', 'industry', 'scale', 'paymentMethod', 'creditDays', 'creditLimit',
  'taxNo', 'bank', 'bankAccount', 'openingBalance', 'openingDate', 'remarks'] as const

/** A column of an import file: its header and the form field its cells fill (or how it finds the record). */
export interface ImportColumn {
  header: string
  /** The field this column sets; absent for the columns that only find the customer (客户编号). */
  field?: FieldDef
  /** The import's own need (an opening balance needs its amount and date), beyond the form's. */
  required?: boolean
  /** 'number' / 'name': the column identifies an existing customer (opening balances). */
  match?: 'number' | 'name'
  note: string
}

/** Thrown for a file that cannot be imported at all; `message` is the zh-CN sentence to show. */
export class ImportFileError extends Error {
  constructor(message: string) { super(message); this.name = 'ImportFileError' }
}

const NUMBER_HEADER = '客户编号'

function fieldOf(def: FormDef, key: string): FieldDef {
  const f = def.fields.find((x) => x.key === key)
  if (!f) throw new Error(`customer form has no field ${key}`)
  return f
}

/** What a column accepts, in the clerk's words (the template's notes sheet and the cell errors say the same). */
export function expectation(f: FieldDef): string {
  switch (f.type) {
    case 'number': {
      const range = f.min !== undefined && f.max !== undefined ? `${f.min}–${f.max} 的` : ''
      return `应为${range ? ` ${range}` : ''}${f.integer ? '整数' : '数字'}`
    }
    case 'money': return '应为金额（元），最多两位小数'
    case 'date': return '应为日期，如 2026-11-30'
    case 'select': return `应为以下之一：${f.options.map((o) => o.label.zh).join('、')}`
    case 'boolean': return '应为“是”或“否”'
    default: return '文字'
  }
}

/** The columns of an import kind. */
export function importColumns(kind: ImportKind, customer: FormDef): ImportColumn[] {
  const note = (f: FieldDef, extra = '') => `${f.required ? '必填。' : ''}${f.type === 'text' || f.type === 'longtext' ? '文字' : expectation(f).replace(/^应为 ?/, '')}${'maxLength' in f && f.maxLength ? `，不超过 ${f.maxLength} 字` : ''}${extra}`
  if (kind === 'customers') {
    return CUSTOMER_KEYS.map((k) => {
      const f = fieldOf(customer, k)
      const extra = k === 'openingBalance' ? '；客户欠款为正数，预收款为负数' : k === 'creditDays' ? '；付款方式为“账期”时必填' : ''
      return { header: f.label.zh, field: f, note: note(f, extra) }
    })
  }
  const balance = fieldOf(customer, 'openingBalance'), date = fieldOf(customer, 'openingDate'), name = fieldOf(customer, 'fullName')
  return [
    { header: NUMBER_HEADER, match: 'number', note: '客户编号（如 KH2611-A7-0001）或客户全称至少填一个；两个都填时须为同一客户' },
    { header: name.label.zh, match: 'name', note: '与系统中的客户全称完全一致' },
    { header: balance.label.zh, field: balance, required: true, note: `必填。${expectation(balance).replace(/^应为/, '')}；客户欠款为正数，预收款为负数` },
    { header: date.label.zh, field: date, required: true, note: `必填。${expectation(date).replace(/^应为/, '')}` },
  ]
}

/** The imports a form's list offers (导入 Excel next to its title): the customer list's two. */
export const IMPORTS_BY_FORM: Readonly<Record<string, readonly ImportKind[]>> = { customer: ['customers', 'openingBalances'] }

/** The sheet names of each kind (the data sheet of the template). */
export const KIND_TITLE: Record<ImportKind, string> = { customers: '客户资料', openingBalances: '期初余额' }

/** The template: the headers, one sample row (skipped on import), and a 说明 sheet saying what each column takes. */
export async function buildTemplate(kind: ImportKind, customer: FormDef): Promise<Uint8Array> {
  const cols = importColumns(kind, customer)
  const sample: Record<string, XlsxCell> = kind === 'customers'
    ? { fullName: `${SAMPLE_MARK}：深圳市某某塑胶有限公司`, shortName: '某某塑胶', address: '广东省深圳市宝安区某某路1号', phone: '0755-12345678', legalPerson: '王五',
        industry: '家电', scale: '100–499人', paymentMethod: '账期', creditDays: 30, creditLimit: 50_000_000, taxNo: '91440300MA5F00000X', bank: '中国银行深圳宝安支行',
        bankAccount: '7440 0000 0000 0000', openingBalance: 1_234_567, openingDate: '2026-11-30', remarks: '' }
    : { [NUMBER_HEADER]: `${SAMPLE_MARK}：KH2611-A7-0001`, fullName: '深圳市某某塑胶有限公司', openingBalance: -50_000, openingDate: '2026-11-30' }
  const columns: XlsxColumn[] = cols.map((c) => ({ header: c.header, kind: c.field?.type === 'money' ? 'money' : c.field?.type === 'number' ? 'number' : c.field?.type === 'date' ? 'date' : 'text' }))
  const row = cols.map((c) => sample[c.field?.key ?? c.header] ?? sample[c.match === 'name' ? 'fullName' : c.header] ?? null)
  const data: XlsxSheet = { name: KIND_TITLE[kind], columns, rows: [row] }
  const notes: XlsxSheet = {
    name: '说明',
    columns: [{ header: '列', kind: 'text', width: 18 }, { header: '填写说明', kind: 'text', width: 80 }],
    rows: [
      ...cols.map((c) => [c.header, c.note]),
      ['', ''],
      ['第 1 行', '表头，请勿修改或删除'],
      ['第 2 行', `示例，第一列以“${SAMPLE_MARK}”开头的行导入时自动跳过；可直接删除`],
      ['金额', '以元为单位，如 12,345.67；不要输入公式'],
      ['行数', `每个文件最多 ${MAX_IMPORT_ROWS} 行；导入前会先检查，有错误时什么都不会写入`],
    ],
  }
  return buildWorkbook([data, notes])
}

// ---------- reading the file ----------

/** One cell as read: its value, or that it holds a formula. */
export interface CellIn { value: string | number | boolean | Date | null; formula?: boolean }
/** One data row: its Excel row number (as the clerk sees it) and its cells by header. */
export interface SheetRow { row: number; cells: Map<string, CellIn> }

const mb = (n: number) => (n / 1048576).toFixed(1)

function sniff(bytes: Uint8Array, name: string): void {
  if (bytes.byteLength === 0) throw new ImportFileError(`文件是空的：${name}`)
  if (bytes.byteLength > MAX_IMPORT_FILE_BYTES) throw new ImportFileError(`文件过大（${mb(bytes.byteLength)} MB），导入文件不能超过 ${mb(MAX_IMPORT_FILE_BYTES)} MB：${name}`)
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new ImportFileError(`这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入：${name}`)
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
    throw new ImportFileError(`文件不是 Excel 工作簿（.xlsx），请使用下载的模板：${name}`)
  }
  let unpacked = 0
  try {
    unzipSync(bytes, { filter: (f) => { unpacked += f.originalSize; return false } })
  } catch {
    throw new ImportFileError(`文件已损坏，无法作为 Excel 工作簿读取：${name}`)
  }
  if (unpacked > MAX_UNPACKED_BYTES) throw new ImportFileError(`文件解压后过大（${mb(unpacked)} MB），不像是客户资料表：${name}`)
}

function cellIn(v: unknown): CellIn {
  if (v === null || v === undefined) return { value: null }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return { value: v }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if ('formula' in o || 'sharedFormula' in o) return { value: null, formula: true }
    if (Array.isArray(o.richText)) return { value: (o.richText as Array<{ text?: string }>).map((r) => r.text ?? '').join('') }
    if (typeof o.text === 'string') return { value: o.text } // a hyperlink cell
    if ('error' in o) return { value: String(o.error) }
  }
  return { value: String(v) }
}

const headerText = (v: CellIn) => (v.value === null ? '' : String(v.value)).normalize('NFKC').replace(/\s+/g, '').trim()
const isBlank = (c: CellIn | undefined) => !c || (!c.formula && (c.value === null || (typeof c.value === 'string' && c.value.trim() === '')))

/**
 * The data rows of the file's first worksheet by header (row 1), empty rows and the sample row
 * left out. Throws ImportFileError for a file that is not an importable workbook of this kind.
 */
export async function readImportSheet(bytes: Uint8Array, kind: ImportKind, customer: FormDef, name: string): Promise<SheetRow[]> {
  sniff(bytes, name)
  const mod = (await import('exceljs')) as unknown as typeof import('exceljs') & { default?: typeof import('exceljs') }
  const wb: Workbook = new (mod.default ?? mod).Workbook()
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  } catch {
    throw new ImportFileError(`文件无法作为 Excel 工作簿读取（可能已损坏或不是 .xlsx）：${name}`)
  }
  const ws = wb.worksheets[0]
  if (!ws || ws.actualRowCount === 0) throw new ImportFileError(`工作表是空的：${name}`)
  const cols = importColumns(kind, customer)
  const known = new Map(cols.map((c) => [c.header.normalize('NFKC').replace(/\s+/g, ''), c.header]))
  const byIndex = new Map<number, string>()
  const unknown: string[] = []
  ws.getRow(1).eachCell((cell, i) => {
    const h = headerText(cellIn(cell.value))
    if (!h) return
    const header = known.get(h)
    if (header) byIndex.set(i, header)
    else unknown.push(h)
  })
  const present = new Set(byIndex.values())
  const missing = kind === 'customers'
    // A required field with a default (付款方式: 现结) may be left out: the form's default fills it.
    ? cols.filter((c) => c.field?.required && (c.field as { default?: unknown }).default === undefined && !present.has(c.header)).map((c) => c.header)
    : [...cols.filter((c) => c.required && !present.has(c.header)).map((c) => c.header), ...(!present.has(NUMBER_HEADER) && !present.has(cols[1]!.header) ? [`${NUMBER_HEADER}或${cols[1]!.header}`] : [])]
  if (present.size === 0 || missing.length || unknown.length) {
    const parts = [
      missing.length ? `缺少「${missing.join('」「')}」` : '',
      unknown.length ? `不认识的列「${unknown.slice(0, 5).join('」「')}」${unknown.length > 5 ? ` 等 ${unknown.length} 列` : ''}` : '',
    ].filter(Boolean)
    throw new ImportFileError(`第 1 行的表头与“${KIND_TITLE[kind]}”模板不符${parts.length ? `：${parts.join('，')}` : ''}。请使用下载的模板：${name}`)
  }
  const rows: SheetRow[] = []
  let dataRows = 0
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return
    const cells = new Map<string, CellIn>()
    for (const [i, header] of byIndex) cells.set(header, cellIn(r.getCell(i).value))
    if ([...cells.values()].every(isBlank)) return
    dataRows++
    if (dataRows > MAX_IMPORT_ROWS) return
    const first = cells.get(cols[0]!.header)
    if (typeof first?.value === 'string' && first.value.trim().startsWith(SAMPLE_MARK)) return
    rows.push({ row: n, cells })
  })
  if (dataRows > MAX_IMPORT_ROWS) throw new ImportFileError(`文件有 ${dataRows} 行数据，一次最多导入 ${MAX_IMPORT_ROWS} 行，请分成几个文件：${name}`)
  if (rows.length === 0) throw new ImportFileError(`表头下面没有可导入的数据行：${name}`)
  return rows
}

// ---------- cell → value ----------

const pad = (n: number) => String(n).padStart(2, '0')

/** A cell as text: numbers without exponent, dates as YYYY-MM-DD. */
function asText(v: CellIn['value']): string {
  if (v === null) return ''
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v)
  return v.normalize('NFC').trim()
}

/** The typed value of a cell for its field, or the expectation it failed. */
export function parseCell(f: FieldDef, c: CellIn): { value: Values[string] } | { error: string } {
  const v = c.value
  if (v === null || (typeof v === 'string' && v.trim() === '')) return { value: null }
  switch (f.type) {
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^[+-]?\d+(\.\d+)?$/.test(v.normalize('NFKC').trim()) ? Number(v.normalize('NFKC').trim()) : NaN
      return Number.isFinite(n) && (!f.integer || Number.isInteger(n)) && (f.min === undefined || n >= f.min) && (f.max === undefined || n <= f.max)
        ? { value: n } : { error: expectation(f) }
    }
    case 'money': {
      // A number cell is yuan; its shortest decimal form has at most 2 decimals for a real amount.
      const fen = typeof v === 'number' ? (Number.isFinite(v) ? parseYuan(String(v)) : null) : typeof v === 'string' ? parseYuan(v) : null
      return fen === null ? { error: expectation(f) } : { value: fen }
    }
    case 'date': {
      const text = v instanceof Date ? asText(v) : typeof v === 'string' ? v.normalize('NFKC').trim().replace(/^(\d{4})[/.年](\d{1,2})[/.月](\d{1,2})日?$/, (_m, y: string, m: string, d: string) => `${y}-${pad(Number(m))}-${pad(Number(d))}`) : ''
      return isIsoDate(text) ? { value: text } : { error: expectation(f) }
    }
    case 'select': {
      const text = asText(v)
      const o = f.options.find((x) => x.label.zh === text || x.value === text || x.label.en.toLowerCase() === text.toLowerCase())
      return o ? { value: o.value } : { error: expectation(f) }
    }
    case 'boolean': {
      const text = asText(v)
      if (v === true || ['是', '有', 'Y', 'y', '1', '老客户'].includes(text)) return { value: true }
      if (v === false || ['否', '无', 'N', 'n', '0', '新客户'].includes(text)) return { value: false }
      return { error: expectation(f) }
    }
    default:
      return { value: asText(v) }
  }
}

// ---------- the dry run ----------

/** What one row of the file will do, and why it cannot when it has errors. */
export interface RowPlan {
  row: number
  /** The customer's name as the list will show it. */
  title: string
  /** "第 3 行，列「信用期（天）」：应为 0–365 的整数", one per problem. */
  errors: string[]
  /** Possible duplicates of existing customers: skipped unless the clerk imports them anyway. */
  duplicates: string[]
  /** customers: the new record's data. */
  create?: FormData
  /** openingBalances: the customer and the values set on it. */
  update?: { id: string; number: string; patch: Values }
}

export interface ImportPlan {
  kind: ImportKind
  fileName: string
  rows: RowPlan[]
  errors: number
}

/** What the dry run reads from the store (nothing is written). */
export interface ImportLookups {
  /** Existing customers whose names are close (possibleDuplicates), most similar first. */
  similar(name: string): Promise<Array<{ id: string; name: string; score: number }>>
  /** Customers with this exact number, or else with this exact full name. */
  findCustomer(q: { number?: string; name?: string }): Promise<Array<{ id: string; number: string; title: string; loaded: LoadedDoc }>>
}

const where = (row: number, header?: string) => (header ? `第 ${row} 行，列「${header}」：` : `第 ${row} 行：`)

/** A validation message without the field's own label at its start ("信用期（天）不能大于365" → "不能大于365"). */
const withoutLabel = (msg: string, f?: FieldDef) => (f && msg.startsWith(f.label.zh) && msg.length > f.label.zh.length ? msg.slice(f.label.zh.length) : msg)

/** Every row checked as it would be written; nothing is written. */
export async function dryRun(kind: ImportKind, rows: SheetRow[], fileName: string, customer: FormDef, lookups: ImportLookups): Promise<ImportPlan> {
  const cols = importColumns(kind, customer)
  const header = new Map(cols.filter((c) => c.field).map((c) => [c.field!.key, c.header]))
  const out: RowPlan[] = []
  const seen = new Map<string, number>()
  for (const r of rows) {
    const errors: string[] = []
    const values: Values = {}
    const failed = new Set<string>()
    for (const c of cols) {
      const cell = r.cells.get(c.header)
      if (cell?.formula) { errors.push(`${where(r.row, c.header)}单元格是公式，请复制后“粘贴为数值”再导入`); if (c.field) failed.add(c.field.key); continue }
      if (!c.field || !cell) continue
      const parsed = parseCell(c.field, cell)
      if ('error' in parsed) { errors.push(where(r.row, c.header) + parsed.error); failed.add(c.field.key); continue }
      if (parsed.value !== null) values[c.field.key] = parsed.value
      else if (c.required) { errors.push(`${where(r.row, c.header)}必填`); failed.add(c.field.key) }
    }
    const plan: RowPlan = { row: r.row, title: '', errors, duplicates: [] }
    let data: FormData
    if (kind === 'customers') {
      const blank = defaultValues(customer)
      data = applyComputed(customer, { values: { ...blank.values, ...values }, lines: { ...blank.lines, contacts: [] } })
      plan.title = typeof values.fullName === 'string' ? values.fullName : ''
      const key = normalizeCompanyName(plan.title)
      if (key) {
        const first = seen.get(key)
        if (first !== undefined) errors.push(`${where(r.row, header.get('fullName'))}与第 ${first} 行是同一个客户`)
        else seen.set(key, r.row)
        if (first === undefined && !failed.has('fullName')) {
          plan.duplicates = (await lookups.similar(plan.title)).slice(0, 3).map((d) => d.name)
        }
      }
      plan.create = data
    } else {
      const number = asText(r.cells.get(NUMBER_HEADER)?.value ?? null)
      const name = asText(r.cells.get(cols[1]!.header)?.value ?? null)
      if (!number && !name) { errors.push(`${where(r.row)}请填写客户编号或客户全称`); out.push(plan); continue }
      const found = await lookups.findCustomer({ ...(number ? { number } : {}), ...(name ? { name } : {}) })
      if (found.length === 0) { errors.push(`${where(r.row, number ? NUMBER_HEADER : cols[1]!.header)}找不到客户「${number || name}」`); out.push(plan); continue }
      if (found.length > 1) { errors.push(`${where(r.row, cols[1]!.header)}有 ${found.length} 个客户叫「${name}」，请填写客户编号`); out.push(plan); continue }
      const c = found[0]!
      plan.title = c.title
      if (number && c.number.toUpperCase() !== number.toUpperCase()) errors.push(`${where(r.row, NUMBER_HEADER)}找不到客户编号「${number}」`)
      else if (number && name && c.title !== name) errors.push(`${where(r.row, cols[1]!.header)}客户编号 ${number} 是「${c.title}」，与「${name}」不符`)
      const first = seen.get(c.id)
      if (first !== undefined) errors.push(`${where(r.row)}与第 ${first} 行是同一个客户`)
      else seen.set(c.id, r.row)
      const lines: FormData['lines'] = {}
      for (const l of c.loaded.lines) (lines[l.field] ??= []).push({ id: l.id, values: l.values })
      data = { values: { ...c.loaded.doc.values, ...values }, lines }
      plan.update = { id: c.id, number: c.number, patch: values }
    }
    // The form's own rules, as the data layer will check them when it writes.
    for (const e of validateForm(customer, data)) {
      if (failed.has(e.field)) continue
      const f = customer.fields.find((x) => x.key === e.field)
      errors.push(where(r.row, header.get(e.field)) + withoutLabel(e.message.zh, f))
    }
    out.push(plan)
  }
  return { kind, fileName, rows: out, errors: out.reduce((n, p) => n + p.errors.length, 0) }
}

// ---------- writing ----------

/** What confirming writes through (the documents store: the data layer checks rights and audits). */
export interface ImportWriter {
  save(form: string, id: string | undefined, data: FormData, opts: { comment: string }): Promise<unknown>
  load(id: string): Promise<LoadedDoc | undefined>
}

/** The audit entry's comment of an imported row. */
export const importComment = (fileName: string, row: number) => `导入自 Excel：${fileName}，第 ${row} 行`

/**
 * Writes a checked plan: refused whole when it has any error. Possible duplicates are skipped
 * unless `includeDuplicates`. An opening balance re-reads its customer at write time, so only the
 * balance and its date change, whatever else changed since the dry run.
 */
export async function confirmImport(plan: ImportPlan, writer: ImportWriter, opts: { includeDuplicates?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<{ written: number; skipped: number }> {
  if (plan.errors > 0) throw new ImportFileError(`还有 ${plan.errors} 处错误，改正后重新选择文件`)
  const todo = plan.rows.filter((r) => opts.includeDuplicates || r.duplicates.length === 0)
  let written = 0
  for (const r of todo) {
    const comment = importComment(plan.fileName, r.row)
    try {
      if (r.create) await writer.save('customer', undefined, r.create, { comment })
      else if (r.update) {
        const loaded = await writer.load(r.update.id)
        if (!loaded) throw new Error('客户已被删除')
        const lines: FormData['lines'] = {}
        for (const l of loaded.lines) (lines[l.field] ??= []).push({ id: l.id, values: l.values })
        await writer.save('customer', r.update.id, { values: { ...loaded.doc.values, ...r.update.patch }, lines }, { comment })
      }
    } catch (e) {
      throw new ImportFileError(`已导入 ${written} 行；第 ${r.row} 行写入失败：${(e as Error & { zh?: string }).zh ?? (e as Error).message}`)
    }
    written++
    opts.onProgress?.(written, todo.length)
  }
  return { written, skipped: plan.rows.length - todo.length }
}

/** The store's reads as the dry run needs them. */
export function storeLookups(store: {
  similarTitles(form: string, name: string): Promise<Array<{ id: string; name: string; score: number }>>
  list(form: string, q: { text?: string; limit?: number }): Promise<{ rows: DocRecord[] }>
  load(id: string): Promise<LoadedDoc | undefined>
}): ImportLookups {
  return {
    similar: (name) => store.similarTitles('customer', name),
    async findCustomer({ number, name }) {
      const pick = async (text: string, ok: (d: DocRecord) => boolean) => {
        const { rows } = await store.list('customer', { text, limit: 200 })
        const hits = rows.filter(ok)
        return Promise.all(hits.map(async (d) => ({ id: d.id, number: d.number, title: String(d.values.fullName ?? ''), loaded: (await store.load(d.id))! })))
      }
      if (number) {
        const byNumber = await pick(number, (d) => d.number.toUpperCase() === number.toUpperCase())
        if (byNumber.length || !name) return byNumber
      }
      return name ? pick(name, (d) => String(d.values.fullName ?? '').trim() === name) : []
    },
  }
}

/** "¥12,345.67" for the dry run's table. */
export const moneyText = (fen: unknown) => (typeof fen === 'number' ? formatFen(fen) : '')
