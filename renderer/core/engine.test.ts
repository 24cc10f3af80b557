/**
 * The process engine's declarations (issue 8), on a small form of their own: branch conditions,
 * countersign (会签) with a conditional member, assignees, fields asked at a transition, warnings,
 * 撤回 by the submitter only, deadlines, and "make from" with its chain link.
 */
import { describe, expect, it } from 'vitest'
import { defineForm, type DocSnapshot, type FormDef, type RecordLookup } from '../../forms/schema/types'
import type { ProxyGrant, User } from './model'
import {
  approvalSteps, availableTransitions, checkTransition, countersignOf, dueItemsOf, signoffKey, transitionsOf, voidStates, withApprovals, type ActorContext,
} from './workflow'
import { chainLinks, derivationsFrom, deriveDoc } from './derive'
import { addDays } from './validation'

const heavy = (d: { values: Record<string, unknown> }) => d.values.free === true && Number(d.values.kg ?? 0) >= 10
const form = defineForm({
  id: 'probe', title: { zh: '试样申请', en: 'Probe' }, numbering: { prefix: 'PR' }, titleField: 'title',
  sections: [{ key: 'main', title: { zh: '基本', en: 'Main' } }],
  fields: [
    { key: 'title', label: { zh: '名称', en: 'Title' }, type: 'text', required: true },
    { key: 'free', label: { zh: '免费', en: 'Free' }, type: 'boolean' },
    { key: 'kg', label: { zh: '重量', en: 'Weight' }, type: 'number' },
    { key: 'engineer', label: { zh: '研发工程师', en: 'Engineer' }, type: 'user', roles: ['rdEngineer'] },
    { key: 'leadTime', label: { zh: '交期', en: 'Lead time' }, type: 'date' },
    { key: 'dispatched', label: { zh: '发运日期', en: 'Dispatched' }, type: 'date' },
    { key: 'source', label: { zh: '来源', en: 'Source' }, type: 'reference', to: 'origin' },
  ],
  list: { columns: ['number'], search: ['number'] },
  conditions: { heavy, notHeavy: (d) => !heavy(d) },
  guards: {
    bigWarns: ({ doc }) => (Number(doc.values.kg ?? 0) > 100
      ? { ok: true, warning: { rule: 'R3', clause: '§5.2', message: { zh: '样品超过100公斤', en: 'Over 100 kg' } } } : { ok: true }),
  },
  deadlines: [{
    id: 'feedback', states: ['shipped'],
    due: (doc) => (typeof doc.values.dispatched === 'string'
      ? { date: addDays(doc.values.dispatched, 14), rule: 'R5', clause: '§5.4', roles: ['salesperson'], message: { zh: '确认表到期', en: 'Confirmation due' } } : null),
  }],
  derive: [{ from: 'origin', states: ['done'], link: 'source', map: (s) => ({ values: { title: `${s.values.name}样品`, kg: 12, nope: 'x' } }) }],
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      review: { label: { zh: '审批中', en: 'In review' }, editable: false, countersign: { to: 'feasible', members: [
        { key: 'head', label: { zh: '营销部负责人', en: 'Marketing head' }, roles: ['marketingHead'] },
        { key: 'manager', label: { zh: '营销经理', en: 'Marketing manager' }, roles: ['marketingManager', 'marketingDirector'], when: 'heavy' },
      ] } },
      feasible: { label: { zh: '可行性评估', en: 'Feasibility' }, editable: false },
      leadTime: { label: { zh: '待回复交期', en: 'Lead time' }, editable: false },
      shipped: { label: { zh: '已发运', en: 'Shipped' }, editable: false },
      refused: { label: { zh: '已驳回', en: 'Refused' }, editable: true },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true },
    },
    transitions: [
      { id: 'submit', from: ['draft', 'refused'], to: 'review', label: { zh: '提交', en: 'Submit' }, roles: ['salesperson'], guards: ['bigWarns'] },
      { id: 'withdraw', from: ['review'], to: 'draft', label: { zh: '撤回', en: 'Withdraw' }, roles: [], sameActorAs: ['submit'] },
      { id: 'refuse', from: ['review'], to: 'refused', label: { zh: '驳回', en: 'Refuse' }, roles: ['marketingHead', 'marketingManager'], refusal: true },
      { id: 'assign', from: ['feasible'], to: 'leadTime', label: { zh: '可行，指派工程师', en: 'Feasible' }, roles: ['productGroupHead'], asks: ['engineer'] },
      { id: 'reply', from: ['leadTime'], to: 'shipped', label: { zh: '回复交期', en: 'Reply lead time' }, roles: ['rdEngineer'], assignee: 'engineer', asks: ['leadTime'] },
      { id: 'void', from: ['draft', 'refused'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson'] },
    ],
  },
}) satisfies FormDef

const u = (id: string, name: string, roles: User['roles']): User => ({ id, name, dept: '营销部', roles, active: true })
const sales = u('s', '李强', ['salesperson'])
const head = u('h', '王海燕', ['marketingHead'])
const manager = u('m', '赵磊', ['marketingManager'])
const pgh = u('p', '孙工', ['productGroupHead'])
const eng1 = u('e1', '周工', ['rdEngineer'])
const eng2 = u('e2', '吴工', ['rdEngineer'])
const users = [sales, head, manager, pgh, eng1, eng2]
const ctx = (user: User, grants: ProxyGrant[] = []): ActorContext => ({ user, grants, users })
const none: RecordLookup = { get: async () => undefined, findBy: async () => [] }
const today = '2026-11-30'
const doc = (state: string, values: DocSnapshot['values']): DocSnapshot => ({ id: 'd1', form: 'probe', number: 'PR-1', state, version: 1, values: { title: '样', ...values }, lines: {} })
const ids = (user: User, d: DocSnapshot, prior?: Record<string, string>) => availableTransitions(form, d, user, [], users, today, prior).map((a) => a.transition.id)

describe('countersign (会签) with a conditional member', () => {
  it('a light sample needs only the marketing head, whose sign-off completes it', async () => {
    const d = doc('review', { free: true, kg: 5 })
    expect(countersignOf(form, d)?.missing.map((m) => m.key)).toEqual(['head'])
    expect(ids(manager, d)).toEqual(['refuse'])
    const r = await checkTransition(form, d, 'sign-review-head', ctx(head), none, today)
    expect(r).toMatchObject({ ok: true, to: 'feasible' })
    expect(r.ok && r.sets[signoffKey('review', 'head')]).toBe(`王海燕 ${today}`)
  })
  it('a free 10 kg sample also needs the manager: the head signs, the state stays, the inbox shows who is missing', async () => {
    const d = doc('review', { free: true, kg: 10 })
    const first = await checkTransition(form, d, 'sign-review-head', ctx(head), none, today)
    expect(first).toMatchObject({ ok: true, to: 'review' })
    const after = doc('review', { free: true, kg: 10, ...(first.ok ? first.sets : {}) })
    expect(countersignOf(form, after)).toMatchObject({ signed: [{ member: { key: 'head' }, by: `王海燕 ${today}` }], missing: [{ key: 'manager' }] })
    // Signed once: the head is not offered it again, and a second sign-off is refused.
    expect(ids(head, after)).not.toContain('sign-review-head')
    expect(await checkTransition(form, after, 'sign-review-head', ctx(head), none, today)).toMatchObject({ ok: false, reason: 'signed' })
    expect(await checkTransition(form, after, 'sign-review-manager', ctx(manager), none, today)).toMatchObject({ ok: true, to: 'feasible' })
  })
  it('a refusal ends it; resubmitting starts the countersign afresh', async () => {
    const d = doc('review', { free: true, kg: 10, [signoffKey('review', 'head')]: '王海燕 2026-11-29' })
    expect(await checkTransition(form, d, 'refuse', ctx(manager), none, today)).toMatchObject({ ok: true, to: 'refused' })
    const again = await checkTransition(form, doc('refused', { free: true, kg: 10 }), 'submit', ctx(sales), none, today)
    expect(again.ok && again.sets[signoffKey('review', 'head')]).toBeNull()
  })
  it('expands into one sign-off transition per member, each with its roles', () => {
    const signs = transitionsOf(form.workflow).filter((t) => t.member)
    expect(signs.map((t) => [t.id, t.roles, t.completes])).toEqual([
      ['sign-review-head', ['marketingHead'], 'feasible'], ['sign-review-manager', ['marketingManager', 'marketingDirector'], 'feasible'],
    ])
  })
})

describe('conditions, assignees and asked fields', () => {
  it('a member whose condition fails is not offered and is refused', async () => {
    const d = doc('review', { free: false, kg: 50 })
    expect(ids(manager, d)).not.toContain('sign-review-manager')
    expect(await checkTransition(form, d, 'sign-review-manager', ctx(manager), none, today)).toMatchObject({ ok: false, reason: 'condition' })
  })
  it('the product-group head must name the engineer; it is written with the transition', async () => {
    const d = doc('feasible', {})
    expect(await checkTransition(form, d, 'assign', ctx(pgh), none, today)).toMatchObject({ ok: false, reason: 'asks' })
    const r = await checkTransition(form, d, 'assign', ctx(pgh), none, today, undefined, undefined, { answers: { engineer: 'e1' } })
    expect(r).toMatchObject({ ok: true, to: 'leadTime', sets: { engineer: 'e1' } })
  })
  it('only the assigned engineer (or their proxy) replies the lead time, and must give a valid date', async () => {
    const d = doc('leadTime', { engineer: 'e1' })
    expect(ids(eng2, d)).toEqual([])
    expect(await checkTransition(form, d, 'reply', ctx(eng2), none, today, undefined, undefined, { answers: { leadTime: '2026-12-10' } }))
      .toMatchObject({ ok: false, reason: 'assignee', message: { zh: expect.stringContaining('周工') } })
    expect(await checkTransition(form, d, 'reply', ctx(eng1), none, today, undefined, undefined, { answers: { leadTime: '12-10' } }))
      .toMatchObject({ ok: false, reason: 'asks' })
    expect(await checkTransition(form, d, 'reply', ctx(eng1), none, today, undefined, undefined, { answers: { leadTime: '2026-12-10' } }))
      .toMatchObject({ ok: true, to: 'shipped', sets: { leadTime: '2026-12-10' } })
    const grant: ProxyGrant = { id: 'g', principalId: 'e1', proxyId: 'e2', role: 'rdEngineer', from: today, to: today }
    expect(availableTransitions(form, d, eng2, [grant], users, today).map((a) => a.transition.id)).toEqual(['reply'])
  })
})

describe('warnings, 撤回 and 作废', () => {
  it('a warning is shown first, and the action is taken once confirmed, carrying the warning', async () => {
    const d = doc('draft', { free: true, kg: 150 })
    const first = await checkTransition(form, d, 'submit', ctx(sales), none, today)
    expect(first).toMatchObject({ ok: false, reason: 'warning', rule: 'R3', warnings: [{ message: { zh: '样品超过100公斤' } }] })
    const confirmed = await checkTransition(form, d, 'submit', ctx(sales), none, today, undefined, undefined, { confirmed: true })
    expect(confirmed).toMatchObject({ ok: true, to: 'review', warnings: [{ rule: 'R3' }] })
  })
  it('only the submitter may withdraw, and only while it is in review', async () => {
    const d = doc('review', { free: true, kg: 1 })
    expect(ids(sales, d, { submit: 's' })).toContain('withdraw')
    expect(ids(head, d, { submit: 's' })).not.toContain('withdraw')
    expect(await checkTransition(form, d, 'withdraw', ctx(head), none, today, undefined, { submit: 's' })).toMatchObject({ ok: false, reason: 'separation' })
    expect(await checkTransition(form, d, 'withdraw', ctx(sales), none, today, undefined, { submit: 's' })).toMatchObject({ ok: true, to: 'draft' })
  })
  it('a voided state is declared as such', () => { expect(voidStates(form)).toEqual(['voided']) })
})

describe('deadlines and make-from', () => {
  it('R5-style due item: 14 days after dispatch, only in the states it names', () => {
    expect(dueItemsOf(form, doc('shipped', { dispatched: '2026-11-20' }))).toMatchObject([{ deadline: 'feedback', date: '2026-12-04', rule: 'R5' }])
    expect(dueItemsOf(form, doc('draft', { dispatched: '2026-11-20' }))).toEqual([])
  })
  it('derives from a finished source: mapped fields, defaults, the link; unknown keys dropped', () => {
    const origin = defineForm({ id: 'origin', title: { zh: '来源', en: 'Origin' }, numbering: { prefix: 'OR' }, titleField: 'name', sections: [],
      fields: [{ key: 'name', label: { zh: '名称', en: 'Name' }, type: 'text' }], list: { columns: [], search: [] },
      workflow: { initial: 'done', states: { done: { label: { zh: '完成', en: 'Done' }, editable: false } }, transitions: [] } })
    const all = [origin, form]
    expect(derivationsFrom(all, 'origin', 'done').map((x) => x.target.id)).toEqual(['probe'])
    expect(derivationsFrom(all, 'origin', 'draft')).toEqual([])
    const made = deriveDoc(form, form.derive[0]!, { id: 'o1', number: 'OR-1', form: 'origin', state: 'done', values: { name: '华兴' }, lines: {} }, today, () => 'x')
    expect(made.values).toMatchObject({ title: '华兴样品', kg: 12, source: 'o1' })
    expect(made.values).not.toHaveProperty('nope')
    expect(chainLinks(all, new Set())).toEqual([{ form: 'probe', field: 'source', to: 'origin' }])
  })
})

describe('approval chains the administrator sets (no code)', () => {
  it('lists the steps with their default roles, countersign members included', () => {
    expect(approvalSteps(form).map((s) => [s.key, s.roles])).toEqual([
      ['review.head', ['marketingHead']], ['review.manager', ['marketingManager', 'marketingDirector']],
      ['submit', ['salesperson']], ['refuse', ['marketingHead', 'marketingManager']], ['assign', ['productGroupHead']],
      ['reply', ['rdEngineer']], ['void', ['salesperson']],
    ])
  })
  it('an override replaces a step\'s roles: the old role is refused, the new one allowed; other steps keep theirs', async () => {
    const office = withApprovals(form, { probe: { 'review.head': ['marketingDirector'], assign: [] } })
    const d = doc('review', { free: true, kg: 5 })
    expect(await checkTransition(office, d, 'sign-review-head', ctx(head), none, today)).toMatchObject({ ok: false, reason: 'role' })
    const director = u('d', '陈志远', ['marketingDirector'])
    expect(await checkTransition(office, d, 'sign-review-head', { user: director, grants: [], users: [...users, director] }, none, today)).toMatchObject({ ok: true, to: 'feasible' })
    // An empty entry keeps the form's own roles; another form's overrides change nothing here.
    expect(transitionsOf(office.workflow!).find((t) => t.id === 'assign')!.roles).toEqual(['productGroupHead'])
    expect(withApprovals(form, { quotation: { approve: ['generalManager'] } })).toBe(form)
  })
})
