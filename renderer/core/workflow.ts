/**
 * The workflow engine: which transitions a user may take on a document, and whether a chosen one
 * is allowed now (state, role or 职务代理人 grant, comment, validation, the form's guards). Pure
 * over the form's WorkflowDef; other records are read through the injected RecordLookup.
 */
import type { DocSnapshot, FieldError, FormDef, Label, RecordLookup, TransitionDef, Values } from '../../forms/schema/types'
import type { Actor, ProxyGrant, Role, User } from './model'
import { applyComputed, validateForm } from './validation'

/** Who is acting: the user, the registered proxy grants and the user directory. */
export interface ActorContext { user: User; grants: ProxyGrant[]; users: User[] }

/** A role the user holds today: their own, or one held for `actingFor` through a proxy grant. */
export interface HeldRole { role: Role; actingFor?: User }

/** A transition the user may take, with the actor it would be recorded as. */
export interface AvailableTransition { transition: TransitionDef; actor: Actor }

export type TransitionCheck =
  | { ok: true; to: string; sets: Values; actor: Actor }
  | { ok: false; reason: 'role' | 'state' | 'comment' | 'guard' | 'invalid' | 'separation'; message: Label; rule?: string; clause?: string; errors?: FieldError[] }

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
  for (const transition of form.workflow.transitions) {
    if (!transition.from.includes(doc.state) || barredBySeparation(transition, user.id, prior)) continue
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
  for (const transition of form.workflow.transitions) {
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
export async function checkTransition(
  form: FormDef, doc: DocSnapshot, transitionId: string, ctx: ActorContext,
  lookup: RecordLookup, today: string, comment?: string, prior?: PriorActors,
): Promise<TransitionCheck> {
  const wf = workflowOf(form)
  const t = wf.transitions.find((x) => x.id === transitionId)
  if (!t) throw new Error(`form ${form.id} has no transition ${transitionId}`)
  const missing = (t.guards ?? []).filter((g) => !form.guards?.[g])
  if (missing.length) throw new Error(`form ${form.id}: transition ${t.id} names unknown guard(s) ${missing.join(', ')}`)

  if (!t.from.includes(doc.state)) {
    const state = wf.states[doc.state]?.label ?? { zh: doc.state, en: doc.state }
    return { ok: false, reason: 'state', message: { zh: `单据当前为“${state.zh}”，不能${t.label.zh}`, en: `The document is ${state.en}; cannot ${t.label.en}` } }
  }
  const actor = actorForTransition(t, ctx, today)
  if (!actor) {
    return {
      ok: false, reason: 'role',
      message: { zh: `您没有“${t.label.zh}”的权限，也没有有效的职务代理授权`, en: `You may not ${t.label.en} and hold no valid proxy grant for it` },
    }
  }
  if (barredBySeparation(t, ctx.user.id, prior)) {
    return {
      ok: false, reason: 'separation',
      message: { zh: `您提交了这张单据，不能再由您${t.label.zh}，请由其他有权限的人审批`, en: `You submitted this document, so someone else must ${t.label.en} it` },
    }
  }
  if (t.comment === 'required' && (comment ?? '').trim() === '') {
    return { ok: false, reason: 'comment', message: { zh: `${t.label.zh}须填写意见`, en: `${t.label.en} needs a comment` } }
  }
  if (transitionValidates(form, t.to)) {
    const errors = validateForm(form, applyComputed(form, { values: doc.values, lines: doc.lines }))
    if (errors.length) {
      return {
        ok: false, reason: 'invalid', errors,
        message: { zh: `单据有${errors.length}处需要修改：${errors[0]!.message.zh}`, en: `${errors.length} problem(s) to fix: ${errors[0]!.message.en}` },
      }
    }
  }
  for (const name of t.guards ?? []) {
    const result = await form.guards![name]!({ doc, lookup, today })
    if (!result.ok) return { ok: false, reason: 'guard', message: result.message, rule: result.rule, clause: result.clause }
  }
  return { ok: true, to: t.to, sets: { ...(t.sets ?? {}) }, actor }
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
