/**
 * Every PC checks each signed entry it receives against the directory as it stood at that entry
 * (Matrix's auth rules): an audit entry's signature and signer, a transition's role or proxy grant
 * on its day, separation of duties, and a document's state change against the audit entry that
 * signs it. The verdict depends only on the entry and the set of directory entries, never on the
 * order they arrived in:
 * - accepted: valid in the signer's view and still valid with every directory entry up to its time;
 * - held: valid in the signer's view, but a directory entry the signer had not seen (a concurrent
 *   revocation) took the right away before it: an administrator decides;
 * - refused: not valid even in the signer's own view (forged, altered, no right);
 * - waiting: the signer's view names directory entries this PC does not have yet.
 */
import type { FormDef, TransitionDef, Values } from '../../../forms/schema/types'
import type { AuditEntry } from '../model'
import { foldDirectory, heldRoles, inView, type DirEntry, type Directory, type Refusal } from './directory'
import { verifyObject } from './sign'
import { signoffTransitions, transitionsOf, withApprovals } from '../workflow'
import { ownFieldRefusal } from '../own-field'

/** The outcome of one check. */
export type Verdict = { v: 'accepted' } | { v: 'refused' | 'held' | 'waiting'; reason: Refusal }

const ACCEPTED: Verdict = { v: 'accepted' }
const no = (v: 'refused' | 'held' | 'waiting', zh: string, en: string): Verdict => ({ v, reason: { zh, en } })

/** All known directory entries, with memoised folds for a view and for "a view plus everything up to a time". */
export class DirectoryIndex {
  private entries = new Map<string, DirEntry>()
  private perDev = new Map<string, Set<number>>()
  private memo = new Map<string, Directory>()

  constructor(entries: Iterable<DirEntry>, readonly genesis: string) { this.add(entries) }

  /** Adds entries (duplicates ignored); clears the memo when anything is new. */
  add(entries: Iterable<DirEntry>): boolean {
    let changed = false
    for (const e of entries) {
      if (this.entries.has(e.id)) continue
      this.entries.set(e.id, e)
      let s = this.perDev.get(e.dev)
      if (!s) this.perDev.set(e.dev, (s = new Set()))
      s.add(e.n)
      changed = true
    }
    if (changed) this.memo.clear()
    return changed
  }

  /** Every entry known. */
  list(): DirEntry[] { return [...this.entries.values()] }

  /** True when the view names an entry not held here yet. */
  missing(view: Record<string, number>): boolean {
    for (const [dev, n] of Object.entries(view)) {
      const s = this.perDev.get(dev)
      for (let i = 1; i <= n; i++) if (!s?.has(i)) return true
    }
    return false
  }

  /**
   * The fold of the entries `pick` selects, memoised by WHICH entries they are (not by the view or
   * time asked for): thousands of audit entries of one import share a handful of distinct folds.
   */
  private fold(_key: string, pick: (e: DirEntry) => boolean): Directory {
    const chosen = [...this.entries.values()].filter(pick)
    const key = chosen.map((e) => e.id).sort().join(',')
    let d = this.memo.get(key)
    if (!d) {
      d = foldDirectory(chosen, this.genesis)
      this.memo.set(key, d)
    }
    return d
  }

  /** The directory as a signer with this view saw it. */
  at(view: Record<string, number>): Directory {
    return this.fold(`v${JSON.stringify(Object.entries(view).sort())}`, (e) => inView(e, view))
  }

  /** The view plus every entry made up to `at`: what an entry of that time should have obeyed. */
  around(view: Record<string, number>, at: string): Directory {
    return this.fold(`a${at}${JSON.stringify(Object.entries(view).sort())}`, (e) => inView(e, view) || e.at <= at)
  }

  /** The directory with every entry known. */
  all(): Directory { return this.fold('all', () => true) }
}

/** What judging needs besides the entry. */
export interface JudgeContext {
  dir: DirectoryIndex
  form(id: string): FormDef | undefined
  /** Who last took one of `transitions` on `docId` before `before` (accepted entries only). */
  lastActor(docId: string, transitions: string[], before: string): string | undefined
  /**
   * The value the accepted entries of `docId` before `before` last set `field` to (its create, saves,
   * transitions' effects; of two at the same time, the one with the greater id), undefined when none
   * did. Asked for an entry on a document that belongs to one person (`ownerFields`).
   */
  valueBefore(docId: string, field: string, before: string): unknown
}

/** The fields that make a document one person's (a `user` field with `ownUnless`, core/own-field.ts). */
export function ownerFields(form: FormDef | undefined): string[] {
  return form ? form.fields.flatMap((f) => (f.type === 'user' && f.ownUnless?.length ? [f.key] : [])) : []
}

/** The state change an audit entry records, if any. */
export function stateChangeOf(e: Pick<AuditEntry, 'changes'>): { from: unknown; to: unknown } | undefined {
  const c = e.changes?.find((x) => x.field === 'state')
  return c ? { from: c.from, to: c.to } : undefined
}

/**
 * May the entry's signer take transition `t` on the entry's day in directory `d`: own role, or the
 * proxy grant the entry says it acted under (its principal active and holding the role).
 */
export function mayTake(d: Directory, t: TransitionDef, e: Pick<AuditEntry, 'actor' | 'day' | 'at'>): Refusal | null {
  const day = e.day ?? e.at.slice(0, 10)
  const held = heldRoles(d, e.actor.userId, day)
  if (t.roles.length === 0) return d.users.get(e.actor.userId)?.active ? null : { zh: '用户已停用', en: 'user deactivated' }
  const claim = e.actor.actingFor
  const ok = claim
    ? held.some((h) => h.actingFor === claim.userId && h.role === claim.role && t.roles.includes(h.role))
    : held.some((h) => !h.actingFor && t.roles.includes(h.role))
  if (ok) return null
  return claim
    ? { zh: `${day} 没有有效的职务代理授权可代 ${claim.name} 执行“${t.label.zh}”`, en: `no proxy grant valid on ${day} to ${t.label.en} for ${claim.name}` }
    : { zh: `签名人当时没有“${t.label.zh}”的权限`, en: `the signer could not ${t.label.en} then` }
}

function transitionOf(form: FormDef | undefined, action: string): TransitionDef | undefined {
  return action.startsWith('transition:') && form?.workflow ? transitionsOf(form.workflow).find((t) => t.id === action.slice(11)) : undefined
}

/** Checks the rights an entry claims in one directory (signature and signer are checked before). */
function rightsIn(d: Directory, e: AuditEntry, def: FormDef | undefined, ctx: JudgeContext): Refusal | null {
  // Judged by the approval chain of this directory view (the administrator's signed settings).
  const form = def && withApprovals(def, d.settings.approvals, d.settings.approvalLimits)
  if (e.action.startsWith('transition:')) {
    const t = transitionOf(form, e.action)
    if (!t) return { zh: `单据没有“${e.action.slice(11)}”这个操作`, en: `no transition ${e.action.slice(11)}` }
    const sc = stateChangeOf(e)
    // A countersign sign-off stays in its state, or (the last one) moves to the countersign's target.
    if (!sc || !t.from.includes(String(sc.from)) || (sc.to !== t.to && sc.to !== t.completes)) return { zh: '状态变更与流程不符', en: 'state change does not follow the workflow' }
    const r = mayTake(d, t, e)
    if (r) return r
    if (t.separateFrom?.length) {
      const other = ctx.lastActor(e.docId, t.separateFrom, e.at)
      if (other === e.actor.userId) return { zh: `提交人不能${t.label.zh}自己提交的单据`, en: `the submitter may not ${t.label.en} their own document` }
    }
    if (t.sameActorAs?.length && ctx.lastActor(e.docId, t.sameActorAs, e.at) !== e.actor.userId) {
      return { zh: `只有提交人本人可以${t.label.zh}`, en: `only the submitter may ${t.label.en}` }
    }
    if (t.completes && sc.to === t.completes) {
      // Completing a countersign: every unconditional member other than this one signed before it.
      const members = form?.workflow?.states[String(sc.from)]?.countersign?.members ?? []
      const unsigned = members.filter((m) => !m.when && m.key !== t.member && !ctx.lastActor(e.docId, signoffTransitions(String(sc.from), m.key), e.at))
      if (unsigned.length) return { zh: `会签未齐（缺${unsigned.map((m) => m.label.zh).join('、')}）`, en: `countersign incomplete (missing ${unsigned.map((m) => m.label.en).join(', ')})` }
    }
    return null
  }
  if (e.action === 'resolveConflict' && stateChangeOf(e)) {
    // A conflict on the state may be settled only to a state the signer could move the document to.
    const to = stateChangeOf(e)!.to
    const ts = form?.workflow ? transitionsOf(form.workflow).filter((t) => t.to === to || t.completes === to) : []
    return ts.some((t) => !mayTake(d, t, e)) ? null : { zh: '签名人无权把单据定为此状态', en: 'the signer may not set this state' }
  }
  return null
}

/** The entries that may change a document's owner or act on it (the data layer checks the owner on these). */
const SAVES = ['create', 'update', 'revise']

/**
 * A document that belongs to one person (a salesperson's own forecast, visit record or commission
 * slip): the signer saves it, or takes a transition on it, only while it is theirs before and after,
 * or through a role the field names, as the data layer refuses on the PC where it was done
 * (`ownFieldRefusal`, on the values before and after a save). The owner before is what the
 * document's earlier entries set; after, what this entry sets. The roles: the signer's own, and the
 * one of the proxy grant the entry says it acted under (as the data layer counts them).
 */
function ownerRefusal(d: Directory, e: AuditEntry, form: FormDef, ctx: JudgeContext): Refusal | null {
  if (!e.action.startsWith('transition:') && !SAVES.includes(e.action)) return null
  const keys = ownerFields(form)
  const before: Values = Object.fromEntries(keys.map((k) => [k, e.action === 'create' ? undefined : ctx.valueBefore(e.docId, k, e.at)])) as Values
  const after: Values = { ...before }
  for (const c of e.changes ?? []) if (keys.includes(c.field)) after[c.field] = c.to as Values[string]
  const claim = e.actor.actingFor
  const roles = heldRoles(d, e.actor.userId, e.day ?? e.at.slice(0, 10))
    .filter((h) => !h.actingFor || (claim && h.actingFor === claim.userId && h.role === claim.role))
    .map((h) => h.role)
  const user = { id: e.actor.userId, roles }
  if (!ownFieldRefusal(form, before, user) && !ownFieldRefusal(form, after, user)) return null
  return { zh: `签名人不能办理他人的${form.title.zh}`, en: `the signer may not handle somebody else's ${form.title.en.toLowerCase()}` }
}

/** The verdict on one audit entry. */
export function judgeAudit(e: AuditEntry, ctx: JudgeContext): Verdict {
  if (typeof e.sig !== 'string' || !e.view || typeof e.dev !== 'string') return no('refused', '记录没有签名', 'entry is not signed')
  if (ctx.dir.missing(e.view)) return no('waiting', '等待接收人员名录的更新', 'waiting for directory entries')
  const d = ctx.dir.at(e.view)
  const signer = d.users.get(e.actor?.userId)
  if (!signer) return no('refused', '签名人不在人员名录中', 'signer not in the directory')
  if (!verifyObject('audit', e, signer.publicKey)) return no('refused', '签名无效：记录被伪造或改动过', 'bad signature: forged or altered')
  if (!signer.active) return no('refused', `${signer.name} 已停用`, `${signer.name} is deactivated`)
  const form = e.form ? ctx.form(e.form) : undefined
  const own = rightsIn(d, e, form, ctx)
  if (own) return { v: 'refused', reason: own }
  // Waiting, not refused: the entry that handed the document to the signer may be in another PC's
  // file not read yet; re-judged every round, merged once it arrives, never merged without it.
  const owner = form && ownerFields(form).length ? ownerRefusal(d, e, form, ctx) : null
  if (owner) return { v: 'waiting', reason: owner }
  const later = rightsIn(ctx.dir.around(e.view, e.at), e, form, ctx)
  if (!later) return ACCEPTED
  const decision = ctx.dir.all().decisions.get(e.id)
  if (decision) return decision.accept ? ACCEPTED : no('refused', '管理员已拒绝', 'rejected by the administrator')
  return { v: 'held', reason: { zh: `签名电脑当时尚未收到权限变更：${later.zh}`, en: `made before its PC saw a change of rights: ${later.en}` } }
}

/**
 * The verdict on a document change that writes `state`: it must name (`stateBy`) the signed audit
 * entry that made it, and that entry must be about this document, move it to this state, and be
 * accepted itself.
 */
export function judgeStateWrite(docId: string, state: unknown, stateBy: unknown, audit: AuditEntry | undefined, auditVerdict: Verdict | undefined, form: FormDef | undefined): Verdict {
  if (typeof stateBy !== 'string') return no('refused', '状态变更没有经签名的操作记录', 'state change without a signed audit entry')
  if (!audit || !auditVerdict) return no('waiting', '等待对应的操作记录', 'waiting for its audit entry')
  if (audit.docId !== docId) return no('refused', '操作记录属于另一张单据', 'audit entry is about another document')
  if (auditVerdict.v !== 'accepted') return auditVerdict
  const wf = form?.workflow
  const expected = audit.action === 'create' ? wf?.initial ?? ''
    : audit.action === 'revise' ? wf?.reviseTo
      : audit.action.startsWith('transition:') || audit.action === 'resolveConflict' ? stateChangeOf(audit)?.to
        : undefined
  if (expected === undefined || expected !== state) return no('refused', '状态与签名的操作记录不符', 'state does not match its signed audit entry')
  return ACCEPTED
}
