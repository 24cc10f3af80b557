/**
 * The declarative form model. One FormDef per business form drives the edit screen, the list,
 * validation, the PDF and the scan importer. Nothing here imports Vue, Dexie, Electron or the DOM.
 */
import type { BusinessPolicy } from './policy'
import type { FieldValue, Label, Role, Values } from '../../renderer/core/vocabulary'

export type { FieldValue, Label, Role, Values }

export type FieldType =
  | 'text' | 'longtext' | 'number' | 'decimal' | 'money' | 'date' | 'select'
  | 'boolean' | 'reference' | 'lines' | 'attachment' | 'user'

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
  /**
   * Kept from another record, never typed: the data layer writes it on every save from the record
   * the reference field `ref` names (the agreed quotation's 付款方式 on a contract, R12), so what a
   * document is compared with cannot be edited on it. Shown read-only. In a lines column, the row
   * takes `column` of the referenced record's `lines` row matched by `match` (product, then name).
   */
  mirror?: MirrorDef
}

/** Where a mirrored field comes from (see `FieldBase.mirror`). */
export type MirrorDef =
  | { ref: string; field: string }
  | { ref: string; lines: string; column: string; match: string[] }

/**
 * Terms compared side by side with the record a reference names (R12: the contract's trade terms
 * against the agreed quotation): each pair is a field and the mirrored field holding the agreed
 * value; `lines` compares a column of each row with its mirrored column. The differences are shown
 * on the document as a table, and a condition built on them can bring in a countersign member.
 */
export interface CompareDef {
  title: Label
  /** The reference field naming the record compared with (its number heads the agreed column). */
  ref: string
  pairs: Array<{ field: string; agreed: string }>
  lines?: { field: string; name: string; pairs: Array<{ column: string; agreed: string }> }
  note: RuleNote
}

export interface TextField extends FieldBase {
  type: 'text' | 'longtext'
  maxLength?: number
  /** A pattern the value must match, with the zh-CN/en message shown when it does not. */
  pattern?: { source: string; message: Label }
  /** A new document starts with a month (`YYYY-MM`): `{ monthsFromToday: 1 }` is next month (a forecast's). */
  default?: { monthsFromToday: number }
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
   * key → value, or for a lines column the row's column key → value. Only fields the clerk has
   * left empty (or still at their declared default) are filled; typed values are never replaced.
   */
  fill?: (source: RefSource) => Values
  /** As a lines column: earlier values shown beside a picked record (a customer's last price for a product). */
  recall?: RecallDef
}
/**
 * What a reference column recalls from the form's earlier documents that share the header field
 * `by` (the same customer): the rows that picked the same record, newest first by the header date
 * `date`, each with its `value` column (含税单价), number and date, shown under `label` (上次报价).
 */
export interface RecallDef { by: string; value: string; date?: string; label: Label }
/** Line items: stored as records of their own (one LineRecord per row), never an array in the document. */
export interface LinesField extends FieldBase {
  type: 'lines'
  columns: ColumnField[]
  minRows?: number
  maxRows?: number
}
/**
 * Files attached to this field (drag and drop or the file picker; signed scans stay on the
 * document). The stored value is the number of files, kept by the data layer, so `required` means
 * "at least one" and guards read the count like any other value.
 */
export interface AttachmentField extends FieldBase { type: 'attachment'; accept?: string[] }
/**
 * A user of the office directory (an assignee), optionally only those holding one of `roles`.
 * `ownUnless`: the person this document is for (a salesperson's own forecast): whoever holds none of
 * these roles may only name themselves, and may act on the document only while it names them; the
 * holders (CS, management) may file it for anyone. The data layer and every transition enforce it.
 */
export interface UserField extends FieldBase { type: 'user'; roles?: Role[]; ownUnless?: Role[] }

/**
 * A column of a lines field; a reference column picks a record (a product) and may fill the row; a
 * user column names a user of the office (a plan line's 业务员).
 */
export type ColumnField = TextField | NumberField | DecimalField | MoneyField | DateField | SelectField | BooleanField | ReferenceField | UserField
export type FieldDef = ColumnField | LinesField | AttachmentField

/**
 * Who may change a section's fields. Without `edit`, anyone may while the state is editable. With
 * it, only holders of `roles` may change them, and `states` (when given) are the states in which
 * they may, editable or not (the salesperson completes an evaluation after 开发, R25). Enforced by
 * the data layer on every save and shown read-only on screen.
 */
export interface SectionEdit { roles: Role[]; states?: string[] }
export interface SectionDef { key: string; title: Label; edit?: SectionEdit }


/** A row of a lines field, as the form's pure functions see it. */
export interface LineRow { id: string; values: Values }

/** What the form's pure functions receive: the document's values and its line rows per lines field. */
export interface FormData { values: Values; lines: Record<string, LineRow[]> }

/** An error at a field (or a line cell); `message` is shown inline. */
export interface FieldError { field: string; row?: number; column?: string; message: Label; rule?: string }

// ---------- workflow ----------

/** One member of a countersign (会签): a role group, `when` a named condition says it is needed. */
export interface SignMember {
  key: string
  label: Label
  /** Any one holder of these roles (或签 within the member) may sign for it. */
  roles: Role[]
  /** Named predicate in `FormDef.conditions`: the member is needed only when it holds. */
  when?: string
  /**
   * 电话确认代签 (§5.2): holders of these roles may record the member's sign-off given by phone, with a
   * required note of who agreed; it is shown and audited as such.
   */
  phone?: Role[]
  /**
   * A money field: the member is needed only once the administrator has set an amount for it
   * (设置 → 审批流程) and the field is at least that amount (the GM above an amount, R11). With no
   * amount set the member is not part of the countersign at all.
   */
  above?: string
  /** Separation of duties for this member (as `TransitionDef.separateFrom`): the submitter never signs it. */
  separateFrom?: string[]
}

/**
 * 会签: the state needs every member's sign-off; each is recorded (who, when, acting for whom) in the
 * document's `signoff.<state>.<member>` value and its signed audit entry; the last one moves the
 * document to `to`. A refusal is an ordinary transition out of the state (marked `refusal`).
 */
export interface CountersignDef { members: SignMember[]; to: string }

export interface StateDef {
  label: Label
  /** Fields may be edited in this state. */
  editable: boolean
  /** The document may be printed for the customer / exported without the draft watermark (R10). */
  released?: boolean
  /** A terminal state: no transitions out except those listed explicitly. */
  final?: boolean
  tone?: 'info' | 'success' | 'warning' | 'danger' | 'primary'
  countersign?: CountersignDef
  /** A voided document (作废): kept and marked, left out of lists and the inbox by default. */
  void?: boolean
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
  /** Only whoever last took one of these may take it (撤回: the submitter, while nothing is decided). */
  sameActorAs?: string[]
  /** Offered only while nobody has signed the countersign of the state it leaves (撤回 before anything is decided). */
  untilSigned?: boolean
  /** Named predicate in `FormDef.conditions`: the transition is offered only when it holds (条件分支). */
  when?: string
  /** A `user` field naming who must take it (the assigned R&D engineer), or their proxy; roles still apply. */
  assignee?: string
  /**
   * Fields the actor fills while taking it (a lead time, a feasibility reply, the engineer to
   * assign): asked in the action's dialog, validated as declared (all required), written with it.
   */
  asks?: string[]
  /** Set on the sign-off transitions a countersign state generates: the state the last one moves to. */
  completes?: string
  /** Set on generated sign-off transitions: the member signed for. */
  member?: string
  /** Set on generated 电话确认代签 transitions. */
  phone?: boolean
  /**
   * A key of `FormDef.effects`: values the transition writes from the document and the day it is
   * taken (the day a forecast was submitted, and whether that was after its due date, R18).
   */
  effect?: string
}

/**
 * What a transition writes beyond its fixed `sets`: a named pure function of the document and the
 * day, of which only the `writes` fields are taken (mark them `computed: true`).
 */
export interface TransitionEffect { writes: string[]; run: (data: FormData, today: string) => Values }

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

/** A rule's note: what is wrong in plain words, and the rule and clause it comes from. */
export interface RuleNote { rule: string; clause: string; message: Label }

/**
 * Guard outcome: ok; ok with a warning (shown before the action, taken only once the user
 * confirms it, and recorded in the audit with that confirmation); or blocked.
 */
export type GuardResult = { ok: true; warning?: RuleNote } | ({ ok: false } & RuleNote)

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

/** What a guard reads: the document, other records, today, and the office's business settings (R19, R20, R23). */
export interface GuardContext { doc: DocSnapshot; lookup: RecordLookup; today: string; policy: BusinessPolicy }
export type Guard = (ctx: GuardContext) => GuardResult | Promise<GuardResult>

/**
 * What a form takes from other records instead of having it typed (a statement of account's entries
 * for its customer and period, a commission slip's collections): a named async function of the
 * document's data and a lookup, returning the values and lines it writes. `self` is the document's
 * own id (absent before the first save), so it can leave itself out of what it counts.
 */
export interface GatherContext { lookup: RecordLookup; today: string; policy: BusinessPolicy; self?: string }
export type Gatherer = (data: FormData, ctx: GatherContext) => Promise<FormData>

/**
 * A form's gathered part: once every `inputs` field has a value, `run` (a key of `gatherers`)
 * computes the `writes` fields (values and lines fields). The data layer runs it on every save (what
 * a screen sent for them is replaced, as for `mirror`), the screen whenever an input changes; the
 * written fields are `computed` (read-only). With an input empty, the written fields are cleared.
 */
export interface GatherDef {
  inputs: string[]
  writes: string[]
  run: string
  /** Lines fields the gatherer also reads: a changed row recomputes it on screen (a forecast's actuals per line). */
  lines?: string[]
  /**
   * Also recomputed whenever the document is shown or printed in a state that takes no edits (a
   * forecast submitted before its month began shows the month's contracts as they are signed);
   * never stored by that view: the stored values stay what the last save wrote. A live field is
   * no list column (the list reads what is stored).
   */
  live?: boolean
}

/** A named pure predicate over the document (a transition's branch, a countersign member's need). */
export type Condition = (data: FormData) => boolean

/** What a deadline rule says about one document: due on `date` (ISO), for whom, and why. */
export interface DueItem extends RuleNote { date: string; roles: Role[] }

/**
 * A deadline (期限): documents in `states` are due by the date `due` computes (null: nothing due).
 * Read per state through the index, so the inbox stays quick however many documents there are.
 */
export interface DeadlineDef {
  id: string
  states: string[]
  due: (doc: DocSnapshot) => DueItem | null
  /** Shown only from this many days before the date (deliveries due this week: 7); always when absent. */
  notice?: number
}

/**
 * A recurring duty (定期任务): something owed before any document exists (R18: every salesperson's
 * forecast for next month by the 25th). Each active user holding one of `roles` owes, every month,
 * a document of the form in one of `states` whose `periodField` (YYYY-MM) is the month `ahead`
 * months on and whose `userField` names them. The inbox shows it from day `showFrom` of the month,
 * due on day `dueDay`, overdue after; overdue ones also to holders of `overseers`.
 * Computed by `dutiesDue` (renderer/core/duties.ts).
 */
export interface DutyDef {
  id: string
  roles: Role[]
  periodField: string
  userField: string
  states: string[]
  ahead: number
  showFrom: number
  dueDay: number
  overseers: Role[]
  note: RuleNote
}

/** A source document as a derive mapping sees it; `row` is the line it is made from when the derive names `line`. */
export interface DeriveSource extends RefSource {
  id: string; number: string; form: string; state: string
  row?: { id: string; index: number; values: Values }
}

/**
 * "Make from" (从…生成): this form can be created from a `from` document in one of `states`; `map`
 * (a named pure function beside the form) gives the new document's header values and lines, and
 * `link` is the reference field that keeps the source (the 单据链 follows it both ways).
 */
export interface DeriveDef {
  from: string
  states?: string[]
  link: string
  map: (source: DeriveSource) => DerivedData
  /** A named pure predicate over the source: offered only when it holds (a contract from a *charged* sample, R4). */
  when?: (source: DeriveSource) => boolean
  /**
   * Made from one row of this lines field of the source (a visit record from a plan's line): offered
   * per row where the source's `progress` shows the row still open, not among the header's buttons;
   * `map` reads `source.row`.
   */
  line?: string
  /** The button's own words where 生成<form> would not say it (季度调整 of a target plan). */
  label?: Label
}

/** What a derive mapping gives: header values, and line rows (values only: they become new rows). */
export interface DerivedData { values: Values; lines?: Record<string, Values[]> }

// ---------- progress ----------

/** How one row of a document's lines stands now: its words, tone, and the document that settled it. */
export interface RowProgress {
  row: string
  status: Label
  tone: 'success' | 'danger' | 'warning' | 'info'
  doc?: { form: string; id: string; number: string }
  /** Still to be done: a form made from the row (`DeriveDef.line`) is offered. */
  open: boolean
}

/** A progress view: each tracked row's standing, and one summary line. */
export interface ProgressView { rows: RowProgress[]; summary: Label }

/**
 * Live figures on a document (a visit plan's visits done and missed): computed from other records
 * each time the document is shown, never typed, never stored, so what happened after approval
 * counts. `run` is a named pure function of the document, a lookup and today.
 */
export interface ProgressDef {
  title: Label
  /** The lines field whose rows are tracked (shown with a 状态 column). */
  lines: string
  /** Shown in these states only (default: all). */
  states?: string[]
  run: (doc: DocSnapshot, ctx: { lookup: RecordLookup; today: string }) => Promise<ProgressView>
}

// ---------- print ----------

export type PrintBlock =
  | { kind: 'fields'; title?: Label; fields: string[]; columns?: 1 | 2 | 3 }
  | { kind: 'party'; title: Label; reference: string; fields: string[] }
  | { kind: 'lines'; field: string; columns?: string[] }
  | { kind: 'totals'; fields: string[]; capital: string }
  | { kind: 'text'; field: string; title?: Label }
  | { kind: 'signatures'; parties: Label[] }
  | { kind: 'approvals'; rows: ApprovalRow[] }

/**
 * One box of an approvals block (制单 / 审核 / 批准 …): it prints whoever last took one of `actions`
 * on the document's current version, with the day and the principal when acting through a proxy
 * grant; a line to sign by hand when nobody has. `actions` are transition ids (countersign sign-offs
 * included, `sign-<state>-<member>`) and the audit actions `create` and `revise` (who made this version).
 */
export interface ApprovalRow { label: Label; actions: string[] }

export interface PrintLayout {
  title: Label
  /** A named pure function choosing the printed title from the document (销售合同, or 订单 when no contract is asked for). */
  titleOf?: (data: FormData) => Label
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
  /**
   * The list: its columns and the fields searched (besides the number and the title, which are
   * always searched). `date` names the date the list filters on (default: the first `date` column,
   * else the creation time); `user` the user field it filters on (default: the first `user` field).
   */
  list: { columns: string[]; search: string[]; date?: string; user?: string }
  /** The field whose value names the document in lists and references. */
  titleField: string
  /** Fields shown after the title where a record is picked (a product's 品名 after its code). */
  titleDetail?: string[]
  /** Named pure functions computing `computed: true` fields from the form data. */
  computed?: Record<string, (data: FormData) => FieldValue>
  /** Named pure functions computing `computed: true` line columns, keyed `<linesField>.<column>`. */
  lineComputed?: Record<string, (row: Values) => FieldValue>
  /** Named cross-field validations beyond the per-field declarations. */
  validators?: Array<(data: FormData) => FieldError[]>
  workflow?: WorkflowDef
  guards?: Record<string, Guard>
  /** Named predicates for transitions' `when` and countersign members' `when`. */
  conditions?: Record<string, Condition>
  /** Due dates the inbox shows (R5: a confirmation due 2 weeks after dispatch). */
  deadlines?: DeadlineDef[]
  /** Documents owed before they exist, every period (R18's monthly forecast), see DutyDef. */
  duties?: DutyDef[]
  /** Named values transitions write (`TransitionDef.effect`). */
  effects?: Record<string, TransitionEffect>
  /** The forms this one can be made from, each with its mapping. */
  derive?: DeriveDef[]
  /**
   * Rules checked as soon as a reference is picked (R1 when the customer is chosen), shown as a
   * banner; `fix` is a form that can be made from the picked record to put it right (新建评估表).
   */
  pickChecks?: Array<{ field: string; guard: string; fix?: string }>
  /** Terms compared with another record (R12), shown side by side. */
  compare?: CompareDef
  /** Values and lines taken from other records (a statement's entries), see GatherDef. */
  gather?: GatherDef
  gatherers?: Record<string, Gatherer>
  /** Live figures shown on the document (a plan's visits done and missed), see ProgressDef. */
  progress?: ProgressDef
  print?: PrintLayout
}

/** Identity helper that keeps the literal types of a definition. */
export function defineForm<T extends FormDef>(def: T): T { return def }
