/**
 * Form data from a definition: defaults, computed fields and validation. Every function is pure
 * and returns new objects; the edit screen, the importer and the workflow engine share them, so
 * a rule shown inline is the same rule that blocks a submit.
 */
import type {
  ColumnField, FieldDef, FieldError, FieldValue, FormDef, FormData, Label, LineRow, LinesField, RefSource, Values,
} from '../../forms/schema/types'
import { formatFen } from './money'

/** True for a value the clerk has not filled in: undefined, null or a blank string. */
export function isEmpty(v: FieldValue | undefined): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
}

/** The initial values of one line row of `field` (select defaults, unticked booleans). */
export function defaultLineValues(field: LinesField): Values {
  const values: Values = {}
  for (const col of field.columns) values[col.key] = initialValue(col)
  return values
}

function initialValue(f: FieldDef, today?: string): FieldValue {
  if (f.type === 'select') return f.default ?? null
  if (f.type === 'boolean') return false
  if (f.type === 'date' && f.default && today && isIsoDate(today)) return addDays(today, f.default.daysFromToday)
  if ((f.type === 'text' || f.type === 'longtext') && f.default && today && isIsoDate(today)) return monthAfter(today, f.default.monthsFromToday)
  return null
}

/** The month (`YYYY-MM`) `n` months after the month of `day` ("2026-11-20", 1 → "2026-12"). */
export function monthAfter(day: string, n: number): string {
  const m = Number(day.slice(5, 7)) - 1 + n
  const year = Number(day.slice(0, 4)) + Math.floor(m / 12)
  return `${String(year).padStart(4, '0')}-${String((((m % 12) + 12) % 12) + 1).padStart(2, '0')}`
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/**
 * A new document's data: every field present, select defaults set, dates from `today` (the PC's
 * local date, `YYYY-MM-DD`) where the form gives a default, lines empty, computed filled.
 */
export function defaultValues(def: FormDef, opts: { today?: string } = {}): FormData {
  const values: Values = {}
  const lines: Record<string, LineRow[]> = {}
  for (const f of def.fields) {
    if (f.type === 'lines') lines[f.key] = []
    else values[f.key] = f.type === 'attachment' ? 0 : initialValue(f, opts.today)
  }
  return applyComputed(def, { values, lines })
}

/**
 * Fills computed line columns (`def.lineComputed['<lines>.<col>']`) and then computed fields
 * (`def.computed[key]`), returning a NEW FormData. Computed fields without a function (e.g. a
 * decision set by a workflow transition) are left as they are.
 */
export function applyComputed(def: FormDef, data: FormData): FormData {
  const lines: Record<string, LineRow[]> = {}
  for (const [key, rows] of Object.entries(data.lines)) lines[key] = rows.map((r) => ({ id: r.id, values: { ...r.values } }))
  for (const f of def.fields) {
    if (f.type !== 'lines') continue
    const fns = f.columns
      .filter((c) => c.computed)
      .map((c) => [c.key, def.lineComputed?.[`${f.key}.${c.key}`]] as const)
    for (const row of lines[f.key] ?? []) {
      for (const [col, fn] of fns) if (fn) row.values[col] = fn(row.values)
    }
  }
  const values: Values = { ...data.values }
  const next: FormData = { values, lines }
  for (const f of def.fields) {
    const fn = f.computed ? def.computed?.[f.key] : undefined
    if (fn) values[f.key] = fn(next)
  }
  return next
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Compares two exact decimal strings (-1, 0, 1) without floating point. Throws on a non-decimal. */
export function compareDecimal(a: string, b: string): number {
  const pa = DECIMAL.exec(a.trim()), pb = DECIMAL.exec(b.trim())
  if (!pa || !pb) throw new RangeError(`not a decimal: "${a}" / "${b}"`)
  const scale = Math.max(pa[3]?.length ?? 0, pb[3]?.length ?? 0)
  const big = (m: RegExpExecArray) => BigInt(m[2]! + (m[3] ?? '').padEnd(scale, '0')) * (m[1] === '-' ? -1n : 1n)
  const x = big(pa), y = big(pb)
  return x < y ? -1 : x > y ? 1 : 0
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text)
  if (!m) return false
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3])
  const dt = new Date(Date.UTC(y, mo - 1, d))
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d
}

const CHOOSE_TYPES = new Set(['select', 'date', 'reference', 'boolean', 'user'])

/** The "please fill in / choose" message for a required field. */
export function requiredMessage(f: FieldDef): Label {
  if (f.type === 'attachment') return { zh: `请上传${f.label.zh}`, en: `Attach ${f.label.en}` }
  return CHOOSE_TYPES.has(f.type)
    ? { zh: `请选择${f.label.zh}`, en: `Choose ${f.label.en}` }
    : { zh: `请填写${f.label.zh}`, en: `Enter ${f.label.en}` }
}

const invalid = (f: FieldDef): Label => ({ zh: `${f.label.zh}格式不正确`, en: `${f.label.en} is not valid` })

/** Messages for one field's value (not lines), empty when it is valid. */
function checkValue(f: ColumnField | Exclude<FieldDef, LinesField>, v: FieldValue | undefined): Label[] {
  if (isEmpty(v)) return f.required ? [requiredMessage(f)] : []
  const L = f.label
  switch (f.type) {
    case 'text':
    case 'longtext': {
      if (typeof v !== 'string') return [invalid(f)]
      const out: Label[] = []
      if (f.maxLength !== undefined && [...v].length > f.maxLength) {
        out.push({ zh: `${L.zh}不能超过${f.maxLength}个字`, en: `${L.en} may have at most ${f.maxLength} characters` })
      }
      if (f.pattern && !new RegExp(f.pattern.source).test(v)) out.push(f.pattern.message)
      return out
    }
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return [invalid(f)]
      if (f.integer && !Number.isInteger(v)) return [{ zh: `${L.zh}须为整数`, en: `${L.en} must be a whole number` }]
      if (f.min !== undefined && v < f.min) return [{ zh: `${L.zh}不能小于${f.min}`, en: `${L.en} cannot be less than ${f.min}` }]
      if (f.max !== undefined && v > f.max) return [{ zh: `${L.zh}不能大于${f.max}`, en: `${L.en} cannot be more than ${f.max}` }]
      return []
    }
    case 'decimal': {
      const m = typeof v === 'string' ? DECIMAL.exec(v.trim()) : null
      if (!m || typeof v !== 'string') return [{ zh: `${L.zh}须为数字`, en: `${L.en} must be a number` }]
      if ((m[3]?.length ?? 0) > f.scale) {
        return [f.scale === 0
          ? { zh: `${L.zh}须为整数`, en: `${L.en} must be a whole number` }
          : { zh: `${L.zh}最多${f.scale}位小数`, en: `${L.en} may have at most ${f.scale} decimals` }]
      }
      if (f.min !== undefined && compareDecimal(v, f.min) < 0) return [{ zh: `${L.zh}不能小于${f.min}`, en: `${L.en} cannot be less than ${f.min}` }]
      if (f.max !== undefined && compareDecimal(v, f.max) > 0) return [{ zh: `${L.zh}不能大于${f.max}`, en: `${L.en} cannot be more than ${f.max}` }]
      return []
    }
    case 'money': {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return [{ zh: `${L.zh}金额无效`, en: `${L.en} is not a valid amount` }]
      if (f.min !== undefined && v < f.min) {
        return [{ zh: `${L.zh}不能小于${formatFen(f.min)}元`, en: `${L.en} cannot be less than ${formatFen(f.min)}` }]
      }
      return []
    }
    case 'date':
      return typeof v === 'string' && isIsoDate(v) ? [] : [{ zh: `${L.zh}不是有效日期`, en: `${L.en} is not a valid date` }]
    case 'select':
      return typeof v === 'string' && f.options.some((o) => o.value === v)
        ? [] : [{ zh: `${L.zh}的选项无效`, en: `${L.en}: not one of the options` }]
    case 'boolean':
      return typeof v === 'boolean' ? [] : [invalid(f)]
    case 'reference':
    case 'user':
      return typeof v === 'string' ? [] : [invalid(f)]
    case 'attachment':
      // The value is the number of files the data layer has attached to the field.
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return [invalid(f)]
      return f.required && v === 0 ? [{ zh: `请上传${f.label.zh}`, en: `Attach ${f.label.en}` }] : []
  }
}

/**
 * All errors of a document: each field per its type (required, length, pattern, range, scale,
 * date, options), each line cell (errors carry `row`, 0-based, and `column`), row counts, then
 * the form's own validators. Computed fields are not checked: the clerk cannot change them.
 */
export function validateForm(def: FormDef, data: FormData): FieldError[] {
  const errors: FieldError[] = []
  for (const f of def.fields) {
    if (f.computed) continue
    if (f.type !== 'lines') {
      for (const message of checkValue(f, data.values[f.key])) errors.push({ field: f.key, message })
      continue
    }
    const rows = data.lines[f.key] ?? []
    if (f.minRows !== undefined && rows.length < f.minRows) {
      errors.push({ field: f.key, message: { zh: `${f.label.zh}至少需要${f.minRows}行`, en: `${f.label.en} needs at least ${f.minRows} row(s)` } })
    }
    if (f.maxRows !== undefined && rows.length > f.maxRows) {
      errors.push({ field: f.key, message: { zh: `${f.label.zh}最多${f.maxRows}行`, en: `${f.label.en} may have at most ${f.maxRows} rows` } })
    }
    rows.forEach((row, i) => {
      for (const col of f.columns) {
        if (col.computed) continue
        for (const message of checkValue(col, row.values[col.key])) errors.push({ field: f.key, row: i, column: col.key, message })
      }
    })
  }
  for (const validator of def.validators ?? []) errors.push(...validator(data))
  return errors
}

/**
 * True when a picked record may fill this value: the clerk left it empty, or it still holds the
 * form's own default (a new line's 税率 13 % or 单位 kg was never the clerk's choice).
 */
function fillable(f: FieldDef, v: FieldValue | undefined): boolean {
  if (isEmpty(v)) return true
  return (f.type === 'select' && f.default !== undefined && v === f.default) || (f.type === 'boolean' && v === false)
}

/** Copies a fill patch into `values` where the target is fillable; true when anything changed. */
function applyPatch(targets: readonly FieldDef[], values: Values, patch: Values, skip?: string): boolean {
  let changed = false
  for (const [k, v] of Object.entries(patch)) {
    const target = targets.find((x) => x.key === k)
    if (!target || k === skip || target.type === 'lines' || target.type === 'attachment' || target.computed) continue
    if (isEmpty(v) || !fillable(target, values[k]) || values[k] === v) continue
    values[k] = v
    changed = true
  }
  return changed
}

/**
 * The document after the record picked in reference field `key` filled what it can (the field's
 * `fill`): only header fields that exist on the form and are still empty (or at their default);
 * computed fields follow. Data already typed is never typed again, and never overwritten either.
 */
export function fillFromReference(def: FormDef, data: FormData, key: string, source: RefSource): FormData {
  const f = def.fields.find((x) => x.key === key)
  if (!f || f.type !== 'reference' || !f.fill) return data
  const values = { ...data.values }
  return applyPatch(def.fields, values, f.fill(source)) ? applyComputed(def, { values, lines: data.lines }) : data
}

/**
 * The document after the record picked in the reference column `columnKey` of row `rowIndex` of
 * lines field `linesKey` filled that row (the column's `fill`, e.g. a product's 品名, 规格, 单价
 * and 税率): only the row's own columns still empty (or at their default), never the reference
 * cell itself; computed columns and totals follow. Anything else returns `data` unchanged.
 */
export function fillLineFromReference(def: FormDef, data: FormData, linesKey: string, rowIndex: number, columnKey: string, source: RefSource): FormData {
  const lf = def.fields.find((x) => x.key === linesKey)
  if (!lf || lf.type !== 'lines') return data
  const col = lf.columns.find((c) => c.key === columnKey)
  const row = data.lines[linesKey]?.[rowIndex]
  if (!col || col.type !== 'reference' || !col.fill || !row) return data
  const values = { ...row.values }
  if (!applyPatch(lf.columns, values, col.fill(source), columnKey)) return data
  const rows = data.lines[linesKey]!.map((r, i) => (i === rowIndex ? { id: r.id, values } : r))
  return applyComputed(def, { values: data.values, lines: { ...data.lines, [linesKey]: rows } })
}
