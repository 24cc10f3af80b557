/**
 * The workflow engine: which transitions a user may take on a document, and whether a chosen one
 * is allowed now (state, branch condition, role or 职务代理人 grant, assignee, separation of duties,
 * comment, the fields the action asks for, validation, the form's guards and their warnings). Pure
 * over the form's WorkflowDef; other records are read through the injected RecordLookup.
 *
 * A countersign state (会签) is declared as data (`StateDef.countersign`); `transitionsOf` expands
 * it into one sign-off transition per member, so the judge on every PC checks a sign-off's role
 * exactly as it checks any other transition.
 */
import type {
  DocSnapshot, DueItem, FieldError, FormData, FormDef, Label, RecordLookup, RuleNote, SignMember, TransitionDef, Values, WorkflowDef,
} from '../../forms/schema/types'
import type { Actor, ProxyGrant, Role, User } from './model'
import { policyOf, type BusinessPolicy } from '../../forms/schema/policy'
import { addDays, applyComputed, isEmpty, validateForm } from './validation'
import { ownFieldRefusal } from './own-field'

/** Who is acting: the user, the registered proxy grants and the user directory. */
/** Who acts (their grants, the office's users) and under which office business settings (absent: the defaults). */
export interface ActorContext { user: User; grants: ProxyGrant[]; users: User[]; policy?: Partial<BusinessPolicy> }

/** A role the user holds today: their own, or one held for `actingFor` through a proxy grant. */
export interface HeldRole { role: Role; actingFor?: User }

/** A transition the user may take, with the actor it would be recorded as. */
export interface AvailableTransition { transition: TransitionDef; actor: Actor }

export type TransitionCheck =
  | { ok: true; to: string; sets: Values; actor: Actor; warnings: RuleNote[] }
  | {
    ok: false
    reason: 'role' | 'state' | 'comment' | 'guard' | 'invalid' | 'separation' | 'condition' | 'assignee' | 'signed' | 'asks' | 'warning'
    message: Label; rule?: string; clause?: string; errors?: FieldError[]
    /** reason 'warning': what the user must confirm before the action is taken. */
    warnings?: RuleNote[]
  }

/** What the user adds when taking a transition: the asked fields' values, and warnings confirmed. */
export interface TransitionInput { answers?: Values; confirmed?: boolean }

// ---------- countersign (会签) ----------

/** The document value that records one member's sign-off in a countersign state. */
export function signoffKey(state: string, member: string): string { return `signoff_${state}_${member}` }

/** True for a sign-off value key of one of the form's countersign states. */
export function isSignoffKey(form: FormDef, key: string): boolean {
  for (const [state, s] of Object.entries(form.workflow?.states ?? {})) {
    if (s.countersign?.members.some((m) => signoffKey(state, m.key) === key)) return true
  }
  return false
}

const signId = (state: string, member: string) => `sign-${state}-${member}`
const phoneId = (state: string, member: string) => `phone-${state}-${member}`

/** The transition ids that record a member's sign-off (in person, or by phone). */
export function signoffTransitions(state: string, member: string): string[] { return [signId(state, member), phoneId(state, member)] }

/**
 * Every transition of the workflow: the declared ones, then one sign-off per countersign member
 * (`sign-<state>-<member>`, staying in the state; the last needed one moves it to `completes`).
 */
export function transitionsOf(wf: WorkflowDef): TransitionDef[] {
  const out = [...wf.transitions]
  for (const [state, s] of Object.entries(wf.states)) {
    for (const m of s.countersign?.members ?? []) {
      if (m.above) continue // no amount set for it (withApprovals turns a set one into a condition)
      const t: TransitionDef = {
        id: signId(state, m.key), from: [state], to: state, completes: s.countersign!.to, member: m.key, roles: m.roles,
        label: { zh: `会签：${m.label.zh}`, en: `Sign off: ${m.label.en}` }, comment: 'optional',
      }
      if (m.when) t.when = m.when
      if (m.separateFrom?.length) t.separateFrom = m.separateFrom
      out.push(t)
      if (m.phone?.length) {
        out.push({
          ...t, id: phoneId(state, m.key), roles: m.phone, comment: 'required', phone: true,
          label: { zh: `电话确认代签：${m.label.zh}`, en: `Phone approval recorded: ${m.label.en}` },
        })
      }
    }
  }
  return out
}

function holds(form: FormDef, name: string | undefined, data: FormData): boolean {
  if (!name) return true
  const fn = form.conditions?.[name]
  if (!fn) throw new Error(`form ${form.id} names unknown condition ${name}`)
  return fn(data)
}

const dataOf = (doc: Pick<DocSnapshot, 'values' | 'lines'>): FormData => ({ values: doc.values, lines: doc.lines })

/** `untilSigned`: someone has already signed the countersign of the document's state. */
function signedInState(form: FormDef, doc: Pick<DocSnapshot, 'state' | 'values'>): boolean {
  return (form.workflow?.states[doc.state]?.countersign?.members ?? []).some((m) => !isEmpty(doc.values[signoffKey(doc.state, m.key)]))
}

/** The members a countersign state needs for this document (those whose condition holds). */
export function neededMembers(form: FormDef, state: string, doc: Pick<DocSnapshot, 'values' | 'lines'>): SignMember[] {
  const cs = form.workflow?.states[state]?.countersign
  return (cs?.members ?? []).filter((m) => !m.above && holds(form, m.when, dataOf(doc)))
}

/** A countersign's progress on the document: who signed (the recorded text) and who is still missing. */
export function countersignOf(form: FormDef, doc: Pick<DocSnapshot, 'state' | 'values' | 'lines'>): { signed: Array<{ member: SignMember; by: string }>; missing: SignMember[] } | null {
  if (!form.workflow?.states[doc.state]?.countersign) return null
  const signed: Array<{ member: SignMember; by: string }> = []
  const missing: SignMember[] = []
  for (const m of neededMembers(form, doc.state, doc)) {
    const by = doc.values[signoffKey(doc.state, m.key)]
    if (typeof by === 'string' && by !== '') signed.push({ member: m, by }); else missing.push(m)
  }
  return { signed, missing }
}

/** Entering a countersign state starts it afresh: earlier sign-offs (before a refusal) are cleared. */
function clearSignoffs(form: FormDef, to: string): Values {
  const out: Values = {}
  for (const m of form.workflow?.states[to]?.countersign?.members ?? []) out[signoffKey(to, m.key)] = null
  return out
}

/** Who last took each transition on a document (transition id → user id), from its audit trail. */
export type PriorActors = Record<string, string>

/** The user ids of a document's audit trail, per transition, the latest last (for `PriorActors`). */
export function priorActors(entries: Iterable<{ action: string; actor: { userId: string }; at: string }>): PriorActors {
  const out: PriorActors = {}
  for (const e of [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    if (e.action.startsWith('transition:')) out[e.action.slice(11)] = e.actor.userId
  }
  return out
}

/** Separation of duties: the user took one of the transitions `t` must be separate from. */
function barredBySeparation(t: TransitionDef, userId: string, prior: PriorActors | undefined): boolean {
  return !!prior && (t.separateFrom ?? []).some((id) => prior[id] === userId)
}

/** 撤回: a transition only the one who took `sameActorAs` may take (unknown without the trail: not offered). */
function barredBySameActor(t: TransitionDef, userId: string, prior: PriorActors | undefined): boolean {
  return !!t.sameActorAs?.length && !(prior && t.sameActorAs.some((id) => prior[id] === userId))
}

/** The assignee a transition is for (a user id in the document), if it names one. */
function assigneeOf(t: TransitionDef, doc: Pick<DocSnapshot, 'values'>): string | undefined {
  const v = t.assignee ? doc.values[t.assignee] : undefined
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** The user is the assignee, or acts for the assignee through a proxy grant valid today. */
function isAssignee(assignee: string, user: User, grants: ProxyGrant[], today: string): boolean {
  return user.id === assignee || grants.some((g) => g.proxyId === user.id && g.principalId === assignee && g.from <= today && g.to >= today)
}

/** Already signed: a sign-off for a member that has its sign-off recorded. */
function alreadySigned(t: TransitionDef, doc: Pick<DocSnapshot, 'state' | 'values'>): boolean {
  return !!t.member && !isEmpty(doc.values[signoffKey(doc.state, t.member)])
}

/**
 * The user's own roles, then the roles a ProxyGrant gives them on `today` (from..to inclusive),
 * R10 §3.0: every approval may be given by the holder's registered 职务代理人. A grant counts only
 * while its principal is active and still holds the role. An inactive user holds no role.
 */
export function rolesOf(user: User, grants: ProxyGrant[], users: User[], today: string): HeldRole[] {
  if (!user.active) return []
  const held: HeldRole[] = user.roles.map((role) => ({ role }))
  for (const g of grants) {
    if (g.proxyId !== user.id || g.from > today || g.to < today) continue
    const principal = users.find((u) => u.id === g.principalId)
    if (!principal || !principal.active || !principal.roles.includes(g.role) || principal.id === user.id) continue
    held.push({ role: g.role, actingFor: principal })
  }
  return held
}

function actorFor(user: User, held?: HeldRole): Actor {
  const actor: Actor = { userId: user.id, name: user.name }
  if (held?.actingFor) actor.actingFor = { userId: held.actingFor.id, name: held.actingFor.name, role: held.role }
  return actor
}

/** The actor for a transition: own role preferred, else the first proxy grant giving a required role. */
function actorForTransition(t: TransitionDef, ctx: ActorContext, today: string): Actor | undefined {
  if (t.roles.length === 0) return ctx.user.active ? actorFor(ctx.user) : undefined
  const held = rolesOf(ctx.user, ctx.grants, ctx.users, today).filter((h) => t.roles.includes(h.role))
  const own = held.find((h) => !h.actingFor)
  return own ? actorFor(ctx.user) : held[0] ? actorFor(ctx.user, held[0]) : undefined
}

function workflowOf(form: FormDef) {
  if (!form.workflow) throw new Error(`form ${form.id} has no workflow`)
  return form.workflow
}

/** Transitions out of the document's current state that this user may take today. */
export function availableTransitions(
  form: FormDef, doc: DocSnapshot, user: User, grants: ProxyGrant[], users: User[], today: string, prior?: PriorActors,
): AvailableTransition[] {
  if (!form.workflow) return []
  const out: AvailableTransition[] = []
  for (const transition of transitionsOf(form.workflow)) {
    if (!transition.from.includes(doc.state) || barredBySeparation(transition, user.id, prior) || barredBySameActor(transition, user.id, prior)) continue
    if (!holds(form, transition.when, dataOf(doc)) || alreadySigned(transition, doc)) continue
    if (transition.untilSigned && signedInState(form, doc)) continue
    const assignee = assigneeOf(transition, doc)
    if (assignee && !isAssignee(assignee, user, grants, today)) continue
    const actor = actorForTransition(transition, { user, grants, users }, today)
    if (actor) out.push({ transition, actor })
  }
  return out
}

/**
 * The states of `form` from which this user may take some transition today (own role or proxy
 * grant): the states an inbox must read, whatever else the form holds.
 */
export function actionableStates(form: FormDef, user: User, grants: ProxyGrant[], users: User[], today: string): string[] {
  if (!form.workflow) return []
  const states = new Set<string>()
  for (const transition of transitionsOf(form.workflow)) {
    if (actorForTransition(transition, { user, grants, users }, today)) for (const s of transition.from) states.add(s)
  }
  return [...states]
}

/** Validation runs when a transition hands the document on (to a locked or released state). */
function transitionValidates(form: FormDef, to: string): boolean {
  const s = workflowOf(form).states[to]
  return !s || !s.editable || s.released === true
}

/**
 * Checks one transition for this actor now: state, role (own or proxy), required comment,
 * validation of the document (blocks e.g. a submit with missing fields), then the named guards.
 * Throws for an unknown transition or a guard name missing from `form.guards` (programming errors).
 */
/** The values a transition's declared effect writes (only its `writes` fields), taken on `today`. */
function effectOf(form: FormDef, t: TransitionDef, doc: DocSnapshot, today: string): Values {
  if (!t.effect) return {}
  const e = form.effects?.[t.effect]
  if (!e) throw new Error(`form ${form.id}: transition ${t.id} names unknown effect ${t.effect}`)
  const result = e.run(dataOf(doc), today)
  return Object.fromEntries(e.writes.map((k) => [k, result[k] ?? null]))
}

export async function checkTransition(
  form: FormDef, doc: DocSnapshot, transitionId: string, ctx: ActorContext,
  lookup: RecordLookup, today: string, comment?: string, prior?: PriorActors, input: TransitionInput = {},
): Promise<TransitionCheck> {
  const wf = workflowOf(form)
  const t = transitionsOf(wf).find((x) => x.id === transitionId)
  if (!t) throw new Error(`form ${form.id} has no transition ${transitionId}`)
  const missing = (t.guards ?? []).filter((g) => !form.guards?.[g])
  if (missing.length) throw new Error(`form ${form.id}: transition ${t.id} names unknown guard(s) ${missing.join(', ')}`)

  if (!t.from.includes(doc.state)) {
    const state = wf.states[doc.state]?.label ?? { zh: doc.state, en: doc.state }
    return { ok: false, reason: 'state', message: { zh: `单据当前为“${state.zh}”，不能${t.label.zh}`, en: `The document is ${state.en}; cannot ${t.label.en}` } }
  }
  if (!holds(form, t.when, dataOf(doc)) || (t.untilSigned && signedInState(form, doc))) {
    return { ok: false, reason: 'condition', message: { zh: `这张单据不走“${t.label.zh}”这一步`, en: `${t.label.en} does not apply to this document` } }
  }
  if (alreadySigned(t, doc)) {
    return { ok: false, reason: 'signed', message: { zh: `“${t.label.zh}”已签过`, en: `${t.label.en} is already signed` } }
  }
  const assignee = assigneeOf(t, doc)
  if (assignee && !isAssignee(assignee, ctx.user, ctx.grants, today)) {
    const name = ctx.users.find((u) => u.id === assignee)?.name ?? assignee
    return { ok: false, reason: 'assignee', message: { zh: `这一步已指派给${name}，请由${name}（或其职务代理人）处理`, en: `This step is assigned to ${name} (or their proxy)` } }
  }
  const actor = actorForTransition(t, ctx, today)
  if (!actor) {
    return {
      ok: false, reason: 'role',
      message: { zh: `您没有“${t.label.zh}”的权限，也没有有效的职务代理授权`, en: `You may not ${t.label.en} and hold no valid proxy grant for it` },
    }
  }
  // A document that belongs to one person (ownUnless): the others act on it only through the roles that may.
  const own = ownFieldRefusal(form, doc.values, { id: ctx.user.id, roles: rolesOf(ctx.user, ctx.grants, ctx.users, today).map((h) => h.role) })
  if (own) return { ok: false, reason: 'role', message: own }
  if (barredBySeparation(t, ctx.user.id, prior)) {
    // Barred by a sign-off of the same countersign (R24's two sides), not by having submitted it.
    const signed = (t.separateFrom ?? []).find((id) => prior?.[id] === ctx.user.id && transitionsOf(wf).some((x) => x.id === id && x.member))
    return {
      ok: false, reason: 'separation',
      message: signed
        ? { zh: `您已签过这张单据的另一方，不能再由您${t.label.zh}，请由其他有权限的人签`, en: `You signed the other side of this document, so someone else must ${t.label.en}` }
        : { zh: `您提交了这张单据，不能再由您${t.label.zh}，请由其他有权限的人审批`, en: `You submitted this document, so someone else must ${t.label.en} it` },
    }
  }
  if (barredBySameActor(t, ctx.user.id, prior)) {
    return { ok: false, reason: 'separation', message: { zh: `只有提交人本人可以${t.label.zh}`, en: `Only the submitter may ${t.label.en}` } }
  }
  if (t.comment === 'required' && (comment ?? '').trim() === '') {
    return { ok: false, reason: 'comment', message: { zh: `${t.label.zh}须填写意见`, en: `${t.label.en} needs a comment` } }
  }
  // The fields the action asks for: each required, and valid as its form declares it.
  const answers: Values = {}
  for (const key of t.asks ?? []) answers[key] = input.answers?.[key] ?? null
  if (t.asks?.length) {
    // Asked fields are often shown read-only on the form (computed: written only by the transition).
    const asked = form.fields.filter((f) => t.asks!.includes(f.key)).map((f) => ({ ...f, required: true, computed: false }) as typeof f)
    const errors = validateForm({ ...form, fields: asked, validators: [] }, { values: answers, lines: {} })
    if (errors.length) {
      return { ok: false, reason: 'asks', errors, message: { zh: `请填写：${errors.map((e) => e.message.zh).join('；')}`, en: errors.map((e) => e.message.en).join('; ') } }
    }
  }
  const after: DocSnapshot = { ...doc, values: { ...doc.values, ...answers } }
  if (transitionValidates(form, t.to)) {
    const errors = validateForm(form, applyComputed(form, { values: after.values, lines: after.lines }))
    if (errors.length) {
      return {
        ok: false, reason: 'invalid', errors,
        message: { zh: `单据有${errors.length}处需要修改：${errors[0]!.message.zh}`, en: `${errors.length} problem(s) to fix: ${errors[0]!.message.en}` },
      }
    }
  }
  const warnings: RuleNote[] = []
  for (const name of t.guards ?? []) {
    const result = await form.guards![name]!({ doc: after, lookup, today, policy: policyOf(ctx.policy) })
    if (!result.ok) return { ok: false, reason: 'guard', message: result.message, rule: result.rule, clause: result.clause }
    if (result.warning) warnings.push(result.warning)
  }
  // A warning never blocks, but the user sees it and confirms before the action is taken.
  if (warnings.length && !input.confirmed) {
    const first = warnings[0]!
    return { ok: false, reason: 'warning', warnings, message: first.message, rule: first.rule, clause: first.clause }
  }
  // Entering a countersign state from another state starts it afresh; a sign-off staying in it keeps the others.
  const sets: Values = { ...(t.to !== doc.state ? clearSignoffs(form, t.to) : {}), ...(t.sets ?? {}), ...answers, ...effectOf(form, t, after, today) }
  let to = t.to
  if (t.member) {
    // The sign-off is written as who signed (and for whom) and the day; the last needed one completes.
    sets[signoffKey(doc.state, t.member)] = t.phone
      ? `电话确认代签（${(comment ?? '').trim()}），${actor.name}记录 ${today}`
      : `${actor.name}${actor.actingFor ? `（代${actor.actingFor.name}）` : ''} ${today}`
    const others = neededMembers(form, doc.state, doc).filter((m) => m.key !== t.member)
    if (others.every((m) => !isEmpty(doc.values[signoffKey(doc.state, m.key)]))) to = t.completes!
    if (to !== doc.state) Object.assign(sets, clearSignoffs(form, to))
  }
  return { ok: true, to, sets, actor, warnings }
}

/**
 * Due items of a document by its form's deadlines (R5 …), earliest first. With `today`, a deadline
 * declaring `notice` shows only from that many days before its date (a delivery due this week).
 */
export function dueItemsOf(form: FormDef, doc: DocSnapshot, today?: string): Array<{ deadline: string } & DueItem> {
  const out: Array<{ deadline: string } & DueItem> = []
  for (const d of form.deadlines ?? []) {
    if (!d.states.includes(doc.state)) continue
    const item = d.due(doc)
    if (item && today && d.notice !== undefined && addDays(today, d.notice) < item.date) continue
    if (item) out.push({ deadline: d.id, ...item })
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

/** The states a user's roles are due in, per deadline (what the inbox reads per form). */
export function deadlineStates(form: FormDef): string[] {
  return [...new Set((form.deadlines ?? []).flatMap((d) => d.states))]
}

/** States whose documents are voided (作废): out of lists and the inbox by default. */
export function voidStates(form: FormDef): string[] {
  return Object.entries(form.workflow?.states ?? {}).filter(([, s]) => s.void).map(([k]) => k)
}

/** The state a new document starts in (or '' for a form without workflow). */
export function initialState(form: FormDef): string {
  return form.workflow?.initial ?? ''
}

/** R10, §5.6.1: the document may be printed for the customer / exported without the draft mark. */
export function isReleased(form: FormDef, state: string): boolean {
  return form.workflow?.states[state]?.released === true
}

/** Fields may be edited in this state (always, for a form without workflow). */
export function isEditable(form: FormDef, state: string): boolean {
  if (!form.workflow) return true
  return form.workflow.states[state]?.editable === true
}

/**
 * §5.6.1: editing a document in a released state makes a new version that needs approval again:
 * returns the state (`workflow.reviseTo`) and version+1 to save with, or null when the edit keeps
 * the state (not released, or the form has no reviseTo).
 */
export function reviseOnEdit(form: FormDef, doc: Pick<DocSnapshot, 'state' | 'version'>): { state: string; version: number } | null {
  const to = form.workflow?.reviseTo
  if (!to || !isReleased(form, doc.state)) return null
  return { state: to, version: doc.version + 1 }
}

// ---------- approval chains an administrator sets (no code) ----------

/**
 * Who approves each step, as the office administrator set it (设置 → 审批流程), per form: a
 * transition id, or `<state>.<member>` for a countersign member, → the roles that may take it. A
 * signed office-settings entry of the directory, so every PC judges by the same chain.
 */
export type ApprovalOverrides = Record<string, Record<string, Role[]>>

/**
 * Amounts an administrator set for countersign members declared with `above` (fen), per form and
 * `<state>.<member>`: the member signs a document whose amount is at least that much. A member
 * without an amount is not asked at all (the seed gives no limit, R11).
 */
export type ApprovalLimits = Record<string, Record<string, number>>

/** One step an administrator may give to other roles: a transition with roles, or a countersign member. */
export interface ApprovalStep { key: string; label: Label; roles: Role[]; member?: boolean; above?: string }

/** The configurable steps of a form, in workflow order, with the roles its definition gives them. */
export function approvalSteps(form: FormDef): ApprovalStep[] {
  const wf = form.workflow
  if (!wf) return []
  const out: ApprovalStep[] = []
  for (const [state, s] of Object.entries(wf.states)) {
    for (const m of s.countersign?.members ?? []) {
      const step: ApprovalStep = { key: `${state}.${m.key}`, label: { zh: `会签：${m.label.zh}`, en: `Sign off: ${m.label.en}` }, roles: [...m.roles], member: true }
      if (m.above) step.above = m.above
      out.push(step)
    }
  }
  for (const t of wf.transitions) if (t.roles.length) out.push({ key: t.id, label: t.label, roles: [...t.roles] })
  return out
}

/** A money value as a number of fen (a typed "1,000.00" is not a stored money value: 0). */
const fenOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/**
 * The form as the office runs it: the definition's roles, replaced step by step by the
 * administrator's chain (an empty or unknown entry keeps the definition's), and members declared
 * `above` an amount kept only where the administrator set one. The same object when the form
 * has nothing an administrator can change (no override, no member signing above an amount).
 */
export function withApprovals(form: FormDef, overrides: ApprovalOverrides | undefined, limits?: ApprovalLimits): FormDef {
  const mine = overrides?.[form.id] ?? {}
  const myLimits = limits?.[form.id] ?? {}
  const wf = form.workflow
  const hasAbove = !!wf && Object.values(wf.states).some((s) => s.countersign?.members.some((m) => m.above))
  if (!wf || (!hasAbove && Object.values(mine).every((r) => !r?.length))) return form
  const pick = (key: string, roles: Role[]) => (mine[key]?.length ? [...mine[key]!] : roles)
  const conditions = { ...form.conditions }
  const states = Object.fromEntries(Object.entries(wf.states).map(([state, s]) => {
    if (!s.countersign) return [state, s]
    const members: SignMember[] = []
    for (const m of s.countersign.members) {
      const member: SignMember = { ...m, roles: pick(`${state}.${m.key}`, m.roles) }
      if (m.above) {
        const limit = myLimits[`${state}.${m.key}`]
        if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) continue
        const field = m.above, inner = m.when ? form.conditions?.[m.when] : undefined
        const name = `above:${state}.${m.key}`
        conditions[name] = (data) => fenOf(data.values[field]) >= limit && (!inner || inner(data))
        member.when = name
        delete member.above
      }
      members.push(member)
    }
    return [state, { ...s, countersign: { ...s.countersign, members } }]
  }))
  return { ...form, conditions, workflow: { ...wf, states, transitions: wf.transitions.map((t) => (t.roles.length ? { ...t, roles: pick(t.id, t.roles) } : t)) } }
}
