/**
 * Recurring duties (DutyDef): documents owed before any exists, every month (R18: each
 * salesperson's forecast for next month by the 25th). Pure: the caller passes the day, the users
 * and the documents of the form that could fulfil a duty.
 */
import type { DutyDef, FormDef, Values } from '../../forms/schema/types'
import type { Role, User } from './model'
import { monthAfter } from './validation'

export { monthAfter }

/** The day of the month `period` falls due for a duty: day `dueDay` of the month `ahead` months before it. */
export function dutyDueDate(duty: Pick<DutyDef, 'ahead' | 'dueDay'>, period: string): string {
  return `${monthAfter(`${period}-01`, -duty.ahead)}-${String(duty.dueDay).padStart(2, '0')}`
}

/** One duty owed by one user: the period owed, its due date, and whether it is past. */
export interface DutyItem { form: string; duty: DutyDef; user: User; period: string; due: string; overdue: boolean }

/** A document as duties read it: its state and values. */
export interface DutyDoc { state: string; values: Values }

/**
 * The duties of `form` open on `day`: for each active user holding one of a duty's roles, the
 * period `ahead` months on, from day `showFrom` of the month, unless a document in the duty's
 * states already covers that user and period. Those after the due day are overdue.
 */
export function dutiesDue(form: FormDef, day: string, users: readonly User[], docs: readonly DutyDoc[]): DutyItem[] {
  const out: DutyItem[] = []
  const dom = Number(day.slice(8, 10))
  for (const duty of form.duties ?? []) {
    if (dom < duty.showFrom) continue
    const period = monthAfter(day, duty.ahead)
    const due = dutyDueDate(duty, period)
    const done = new Set(docs.filter((d) => duty.states.includes(d.state) && d.values[duty.periodField] === period).map((d) => d.values[duty.userField]))
    for (const user of users) {
      if (!user.active || !user.roles.some((r) => duty.roles.includes(r)) || done.has(user.id)) continue
      out.push({ form: form.id, duty, user, period, due, overdue: day > due })
    }
  }
  return out
}

/**
 * What the inbox shows a user: their own open duties, and, when they hold an overseer role, the
 * overdue duties of others (the marketing manager sees who has not sent next month's forecast).
 */
export function dutiesFor(items: readonly DutyItem[], me: string, myRoles: readonly Role[]): DutyItem[] {
  return items.filter((i) => i.user.id === me || (i.overdue && i.duty.overseers.some((r) => myRoles.includes(r))))
}
