/**
 * How a field value reads on screen and on paper: the one formatter the list, the timeline, the
 * import page's differences and the PDF all use, so a value never reads two ways.
 */
import type { FieldDef, FieldValue, LineRow, Values } from '../../forms/schema/types'
import { formatFen } from './money'

/** The language a value is shown in. */
export type DisplayLang = 'zh' | 'en'

/** How to show a value: the language, and how to name a referenced record (it lives in the store). */
export interface DisplayOptions {
  lang: DisplayLang
  /** The title of record `id` of form `form`; undefined when it is unknown (the cell stays empty). */
  refTitle?: (form: string, id: string) => string | undefined
  /** The name of user `id` of the office directory (a 业务员); without it, or unknown, the id shows. */
  userName?: (id: string) => string | undefined
}

/**
 * A value as it reaches display: a stored value, or for a lines field either its rows (a count is
 * shown) or one row's values (a row added or removed, as the timeline and the import diff carry it).
 */
export type DisplayInput = FieldValue | undefined | Values | readonly LineRow[]

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === ''

/** The text of one value by its field type; '' for an empty value. */
export function displayValue(field: FieldDef, value: DisplayInput, opts: DisplayOptions): string {
  if (isEmpty(value)) return ''
  const en = opts.lang === 'en'
  if (field.type === 'lines') {
    if (Array.isArray(value)) return en ? `${value.length} ${value.length === 1 ? 'row' : 'rows'}` : `${value.length} 行`
    if (typeof value !== 'object') return '' // lines live in their own records, never as a value
    // One row: its filled cells in the form's column order.
    const row = value as Values
    return field.columns.map((c) => displayValue(c, row[c.key], opts)).filter(Boolean).join(' · ')
  }
  if (typeof value === 'object') return ''
  switch (field.type) {
    case 'money': return typeof value === 'number' ? formatFen(value) : String(value)
    case 'select': {
      const option = field.options.find((o) => o.value === value)
      return option ? (en ? option.label.en : option.label.zh) : String(value)
    }
    case 'boolean': {
      const yes = field.shown?.yes ?? { zh: '是', en: 'Yes' }
      const no = field.shown?.no ?? { zh: '否', en: 'No' }
      return value === true ? (en ? yes.en : yes.zh) : value === false ? (en ? no.en : no.zh) : String(value)
    }
    case 'reference': return typeof value === 'string' ? (opts.refTitle?.(field.to, value) ?? '') : ''
    case 'user': return typeof value === 'string' ? (opts.userName?.(value) ?? value) : String(value)
    case 'attachment': return ''
    default: return String(value)
  }
}
