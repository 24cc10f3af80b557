/**
 * What the stage tests (order-stage, money-stage) share: documents as the data layer stores them,
 * a lookup over a list of them, users, and one transition check through the engine.
 */
import type { DocSnapshot, FieldValue, FormDef, RecordLookup } from './schema/types'
import type { User } from '../renderer/core/model'
import { checkTransition, type ActorContext } from '../renderer/core/workflow'
import { applyComputed } from '../renderer/core/validation'
import type { BusinessPolicy } from './schema/policy'

export type Row = Record<string, FieldValue | undefined>

export const lookupOf = (docs: DocSnapshot[]): RecordLookup => ({
  get: async (form, id) => docs.find((d) => d.form === form && d.id === id),
  findBy: async (form, field, value: FieldValue) => docs.filter((d) => d.form === form && d.values[field] === value),
})

/** A document as the data layer stores it: computed fields filled; `items` (or the named lines) as rows. */
export function doc(form: FormDef, id: string, state: string, values: Row, items: Row[] | Record<string, Row[]> = []): DocSnapshot {
  const named = Array.isArray(items) ? { items } : items
  const lines = Object.fromEntries(Object.entries(named).map(([k, rows]) => [k, rows.map((v, i) => ({ id: `${id}-${k}${i}`, values: v }))]))
  const data = applyComputed(form, { values, lines })
  return { id, form: form.id, number: id.toUpperCase(), state, version: 1, values: data.values, lines: data.lines }
}

export const user = (id: string, name: string, roles: User['roles']): User => ({ id, name, dept: '营销部', roles, active: true })

/** One transition checked as the data layer checks it, for `who` among `users`, over `docs`. */
export function checker(users: User[], today: string, policy?: Partial<BusinessPolicy>) {
  const as = (u: User): ActorContext => ({ user: u, grants: [], users, ...(policy ? { policy } : {}) })
  return (form: FormDef, d: DocSnapshot, t: string, who: User, docs: DocSnapshot[], answers?: Row, confirmed?: boolean, comment?: string) =>
    checkTransition(form, d, t, as(who), lookupOf(docs), today, comment, undefined, { ...(answers ? { answers } : {}), ...(confirmed ? { confirmed } : {}) })
}
