/**
 * The declarative form model. One FormDef per business form drives the edit screen, the list,
 * validation, the PDF and the scan importer. Nothing here imports Vue, Dexie, Electron or the DOM.
 */
import type { Role } from '../../renderer/core/model'

/** A label in both UI languages; zh-CN is the business's own term. */
export interface Label { zh: string; en: string }

export type FieldType =
  | 'text' | 'longtext' | 'number' | 'decimal' | 'money' | 'date' | 'select'
  | 'boolean' | 'reference' | 'lines' | 'attachment'

interface FieldBase {
  key: string
  label: Label
  type: FieldType
  required?: boolean
  /** Section key this field is shown in; defaults to the first section. */
  section?: string
  /** Shown read-only and computed by the named function in `FormDef.computed`. */
  computed?: boolean
  /** Grid width on the edit screen. */
  span?: 'full' | 'half' | 'third'
  help?: Label
  placeholder?: Label
  /** A shorter name for list columns (客户 list: 新/老客户 instead of 已有交易往来（老客户）). */
  short?: Label
}

export interface TextField extends FieldBase {
  type: 'text' | 'longtext'
  maxLength?: number
  /** A pattern the value must match, with the zh-CN/en message shown when it does not. */
  pattern?: { source: string; message: Label }
}
export interface NumberField extends FieldBase { type: 'number'; min?: number; max?: number; integer?: boolean }
/** Exact decimal kept as a string ("12.5"); `scale` digits after the point at most. */
export interface DecimalField extends FieldBase { type: 'decimal'; scale: number; min?: string; max?: string }
/** Money in integer fen (CNY). */
export interface MoneyField extends FieldBase { type: 'money'; min?: number }
/** ISO date "YYYY-MM-DD". */
export interface DateField extends FieldBase {
  type: 'date'
  /** A new document starts with this date: `{ daysFromToday: 0 }` is today, 30 a month on. */
  default?: { daysFromToday: number }
}
export interface SelectOption { value: string; label: Label }
export interface SelectField extends FieldBase { type: 'select'; options: SelectOption[]; default?: string }
export interface BooleanField extends FieldBase {
  type: 'boolean'
  /** How yes and no read in lists, the timeline and print (default 是 / 否). */
  shown?: { yes: Label; no: Label }
}
/** A record id of another form (e.g. the quotation's customer). */
/** A referenced record as a fill function sees it: its values and its line rows by lines field. */
export interface RefSource { values: Values; lines: Record<string, Values[]> }

export interface ReferenceField extends FieldBase {
  type: 'reference'
  to: string
  /**
   * What picking a record puts into this document (a named pure function beside the form): field
   * key → value. Only fields the clerk has left empty are filled; typed values are never replaced.
   */
  fill?: (source: RefSource) => Values
}
/** Line items: stored as records of their own (one LineRecord per row), never an array in the document. */
export interface LinesField extends FieldBase {
  type: 'lines'
  columns: ColumnField[]
  minRows?: number
  maxRows?: number
}
export interface AttachmentField extends FieldBase { type: 'attachment'; accept?: string[] }

export type ColumnField = TextField | NumberField | DecimalField | MoneyField | DateField | SelectField | BooleanField
export type FieldDef = ColumnField | ReferenceField | LinesField | AttachmentField

export interface SectionDef { key: string; title: Label }

/** Values as stored: text/date/select/decimal/reference → string, number/money → number, boolean → boolean. */
export type FieldValue = string | number | boolean | null
export type Values = Record<string, FieldValue | undefined>

/** A row of a lines field, as the form's pure functions see it. */
export interface LineRow { id: string; values: Values }

/** What the form's pure functions receive: the document's values and its line rows per lines field. */
export interface FormData { values: Values; lines: Record<string, LineRow[]> }

/** An error at a field (or a line cell); `message` is shown inline. */
export interface FieldError { field: string; row?: number; column?: string; message: Label; rule?: string }

// ---------- workflow ----------

export interface StateDef {
  label: Label
  /** Fields may be edited in this state. */
  editable: boolean
  /** The document may be printed for the customer / exported without the draft watermark (R10). */
  released?: boolean
  /** A terminal state: no transitions out except those listed explicitly. */
  final?: boolean
  tone?: 'info' | 'success' | 'warning' | 'danger'
}

export interface TransitionDef {
  id: string
  from: string[]
  to: string
  label: Label
  /** Roles that may take it (a proxy acting for such a role may too). Empty = anyone. */
  roles: Role[]
  /** Names of guard functions in `FormDef.guards`; all must pass. */
  guards?: string[]
  comment?: 'optional' | 'required'
  /** A refusal (reject, send back): its button is shown in the danger colour. */
  refusal?: boolean
  /** Sets a field as part of the transition, e.g. the evaluation's decision. */
  sets?: Values
  /**
   * Separation of duties: whoever last took one of these transitions on the document may not take
   * this one (an approver never approves what they submitted themselves, whatever roles they hold).
   */
  separateFrom?: string[]
}

export interface WorkflowDef {
  initial: string
  states: Record<string, StateDef>
  transitions: TransitionDef[]
  /**
   * When a document in a released state is edited, it becomes a new version in this state and
   * needs approval again (§5.6.1).
   */
  reviseTo?: string
  /**
   * The transition the scan importer applies when the customer's signed copy comes back (a
   * returnable form's print); none: the scan is only stored as an attachment.
   */
  signedReturn?: string
}

/** Guard outcome: ok, or blocked with a message that cites the rule and clause. */
export type GuardResult = { ok: true } | { ok: false; rule: string; clause: string; message: Label }

/** Read-only access to other records that guards and rules need (injected; pure functions stay pure). */
export interface RecordLookup {
  get(form: string, id: string): Promise<DocSnapshot | undefined>
  /** Documents of `form` whose value `field` equals `value`. */
  findBy(form: string, field: string, value: FieldValue): Promise<DocSnapshot[]>
}

/** A document as guards see it. */
export interface DocSnapshot {
  id: string
  form: string
  number: string
  state: string
  version: number
  values: Values
  lines: Record<string, LineRow[]>
}

export interface GuardContext { doc: DocSnapshot; lookup: RecordLookup; today: string }
export type Guard = (ctx: GuardContext) => GuardResult | Promise<GuardResult>

// ---------- print ----------

export type PrintBlock =
  | { kind: 'fields'; title?: Label; fields: string[]; columns?: 1 | 2 | 3 }
  | { kind: 'party'; title: Label; reference: string; fields: string[] }
  | { kind: 'lines'; field: string; columns?: string[] }
  | { kind: 'totals'; fields: string[]; capital: string }
  | { kind: 'text'; field: string; title?: Label }
  | { kind: 'signatures'; parties: Label[] }

export interface PrintLayout {
  title: Label
  blocks: PrintBlock[]
  /** Printed for the customer to sign and sent back (carries the QR identity on every page). */
  returnable: boolean
}

// ---------- the form ----------

export interface FormDef {
  id: string
  title: Label
  /** The menu entry of the form's list (defaults to `title`), e.g. 客户评估 for 客户资料评估表. */
  menu?: Label
  /** Number prefix, e.g. 'BJ' for 报价单; the number also carries a PC code (never collides). */
  numbering: { prefix: string }
  sections: SectionDef[]
  fields: FieldDef[]
  list: { columns: string[]; search: string[] }
  /** The field whose value names the document in lists and references. */
  titleField: string
  /** Named pure functions computing `computed: true` fields from the form data. */
  computed?: Record<string, (data: FormData) => FieldValue>
  /** Named pure functions computing `computed: true` line columns, keyed `<linesField>.<column>`. */
  lineComputed?: Record<string, (row: Values) => FieldValue>
  /** Named cross-field validations beyond the per-field declarations. */
  validators?: Array<(data: FormData) => FieldError[]>
  workflow?: WorkflowDef
  guards?: Record<string, Guard>
  print?: PrintLayout
}

/** Identity helper that keeps the literal types of a definition. */
export function defineForm<T extends FormDef>(def: T): T { return def }
