/**
 * Who made and who approved a document, as its printed 制单 / 审核 / 批准 boxes show it, read from
 * the document's audit trail (the signed record every PC holds; entries the trust gate refused never
 * reach it). Pure: the caller passes the trail, the PDF builder picks each box's action.
 */
import type { ApprovalRow, Label } from '../../../forms/schema/types'
import type { AuditEntry } from '../model'
import { formatLocalDateTime } from '../time'

/** The last time one action was taken on the current version: who, for whom, which day. */
export interface ApprovalMark {
  /** The actor's name as signed in the entry. */
  name: string
  /** The principal's name when the actor used a proxy grant (职务代理人). */
  actingFor?: string
  /** The office day it was taken (`YYYY-MM-DD`). */
  day: string
  /** The entry's time (ISO), to pick the latest of a box's actions. */
  at: string
}

/** Action (`create`, `revise` or a transition id) → its latest mark on the current version. */
export type PrintApprovals = Record<string, ApprovalMark>

/** What approvalsFromAudit reads of an audit entry. */
export type ApprovalEntry = Pick<AuditEntry, 'at' | 'action' | 'actor' | 'changes'> & Partial<Pick<AuditEntry, 'id' | 'day'>>

const TRANSITION = 'transition:'

/**
 * The marks of a document's current version from its audit trail (any order):
 * - a `revise` starts a new version, so every earlier mark is dropped (V2 was approved by nobody yet);
 * - a decision taken from a state is dropped when the document enters that state again (a
 *   resubmitted quotation needs a new 核准; re-entering a countersign state clears its sign-offs,
 *   as the engine does with the recorded sign-off values);
 * - otherwise the latest entry of each action wins.
 */
export function approvalsFromAudit(entries: Iterable<ApprovalEntry>): PrintApprovals {
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : (a.id ?? '') < (b.id ?? '') ? -1 : (a.id ?? '') > (b.id ?? '') ? 1 : 0))
  const marks = new Map<string, ApprovalMark & { from?: string }>()
  for (const e of sorted) {
    let action: string
    let from: string | undefined
    if (e.action === 'create' || e.action === 'revise') {
      action = e.action
      if (e.action === 'revise') marks.clear()
    } else if (e.action.startsWith(TRANSITION)) {
      action = e.action.slice(TRANSITION.length)
      const state = e.changes.find((c) => c.field === 'state')
      from = typeof state?.from === 'string' ? state.from : undefined
      const to = typeof state?.to === 'string' ? state.to : undefined
      if (to !== undefined && to !== from) {
        for (const [k, m] of marks) if (m.from === to) marks.delete(k)
      }
    } else continue
    const mark: ApprovalMark & { from?: string } = { name: e.actor.name, day: e.day ?? formatLocalDateTime(e.at).slice(0, 10), at: e.at }
    if (e.actor.actingFor) mark.actingFor = e.actor.actingFor.name
    if (from !== undefined) mark.from = from
    marks.set(action, mark)
  }
  const out: PrintApprovals = {}
  for (const [k, { from: _from, ...m }] of marks) out[k] = m
  return out
}

/** One printed box: its label, and the name (with 代 principal) and day, or '' to sign by hand. */
export interface PrintedApproval { label: string; name: string; date: string }

/** A box's latest mark among its actions; blanks when none was taken. */
export function approvalBox(row: ApprovalRow, approvals: PrintApprovals | undefined, zh: (l: Label) => string = (l) => l.zh): PrintedApproval {
  let best: ApprovalMark | undefined
  for (const a of row.actions) {
    const m = approvals?.[a]
    if (m && (!best || m.at > best.at)) best = m
  }
  if (!best) return { label: zh(row.label), name: '', date: '' }
  // The same wording as a recorded countersign sign-off (workflow.ts): 李四（代王五）.
  return { label: zh(row.label), name: `${best.name}${best.actingFor ? `（代${best.actingFor}）` : ''}`, date: best.day }
}
