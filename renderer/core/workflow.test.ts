import { describe, expect, it } from 'vitest'
import type { DocSnapshot, FieldValue, RecordLookup } from '../../forms/schema/types'
import { quotation } from '../../forms/quotation/quotation.form'
import { customerEvaluation } from '../../forms/customer-evaluation/customer-evaluation.form'
import type { ProxyGrant, User } from './model'
import { actionableStates, availableTransitions, checkTransition, isEditable, isReleased, reviseOnEdit, rolesOf, type ActorContext } from './workflow'

/** An in-memory lookup over a few documents, as the Dexie adapter would answer. */
function lookupOf(docs: DocSnapshot[]): RecordLookup {
  return {
    get: async (form, id) => docs.find((d) => d.form === form && d.id === id),
    findBy: async (form, field, value: FieldValue) => docs.filter((d) => d.form === form && d.values[field] === value),
  }
}
const snap = (form: string, id: string, state: string, values: DocSnapshot['values'], lines: DocSnapshot['lines'] = {}): DocSnapshot =>
  ({ id, form, number: `${id.toUpperCase()}-0001`, state, version: 1, values, lines })

const user = (id: string, name: string, roles: User['roles'], active = true): User => ({ id, name, dept: '营销部', roles, active })
const clerk = user('u1', '李娜', ['csAssistant'])
const director = user('u2', '王总监', ['marketingDirector'])
const gm = user('u3', '张总', ['generalManager'])
const deputy = user('u4', '陈经理', ['marketingManager'])
const head = user('u5', '刘部长', ['marketingHead'])
const users = [clerk, director, gm, deputy, head]
const grant: ProxyGrant = { id: 'g1', principalId: 'u2', proxyId: 'u4', role: 'marketingDirector', from: '2026-11-01', to: '2026-11-07' }
const ctx = (u: User, grants: ProxyGrant[] = []): ActorContext => ({ user: u, grants, users })

const quote = (state = 'draft', customer = 'newCo') => snap('quotation', 'q1', state, {
  customer, quoteDate: '2026-11-02', validUntil: '2026-11-30', currency: 'CNY', paymentMethod: 'cash',
}, { items: [{ id: 'r1', values: { productName: '阻燃PC/ABS', quantity: '500', unit: 'kg', unitPrice: 2350, taxRate: '13' } }] })

const newCo = snap('customer', 'newCo', '', { fullName: '深圳华兴塑胶有限公司', traded: false })
const oldCo = snap('customer', 'oldCo', '', { fullName: '东莞宏达电器有限公司', traded: true })
const today = '2026-11-03'

describe('R1, §5.1: quotation submit needs a 开发 evaluation for a new customer', () => {
  it('blocks a new customer without an evaluation, citing §5.1 once (as the rule, not in the words)', async () => {
    const r = await checkTransition(quotation, quote(), 'submit', ctx(clerk), lookupOf([newCo]), today)
    expect(r).toMatchObject({ ok: false, reason: 'guard', rule: 'R1', clause: '§5.1' })
    expect(!r.ok && r.message.zh).toContain('客户资料评估表')
    expect(!r.ok && r.message.zh).not.toContain('§5.1')
  })
  it('blocks while the evaluation is still pending, and after 不开发', async () => {
    const pending = snap('customerEvaluation', 'e1', 'submitted', { customer: 'newCo' })
    expect((await checkTransition(quotation, quote(), 'submit', ctx(clerk), lookupOf([newCo, pending]), today)).ok).toBe(false)
    const refused = snap('customerEvaluation', 'e1', 'notDevelop', { customer: 'newCo', decision: 'notDevelop' })
    const r = await checkTransition(quotation, quote(), 'submit', ctx(clerk), lookupOf([newCo, refused]), today)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.message.zh).toContain('不开发')
  })
  it('allows it after 开发, and for a traded customer without any evaluation', async () => {
    const developed = snap('customerEvaluation', 'e1', 'develop', { customer: 'newCo', decision: 'develop' })
    const r = await checkTransition(quotation, quote(), 'submit', ctx(clerk), lookupOf([newCo, developed]), today)
    expect(r).toEqual({ ok: true, to: 'pending', sets: {}, warnings: [], actor: { userId: 'u1', name: '李娜' } })
    expect((await checkTransition(quotation, quote('draft', 'oldCo'), 'submit', ctx(clerk), lookupOf([oldCo]), today)).ok).toBe(true)
  })
  it('validation errors block the submit before the guard runs', async () => {
    const doc = quote('draft', 'oldCo')
    doc.values.validUntil = '2026-10-01'
    doc.lines.items = []
    const r = await checkTransition(quotation, doc, 'submit', ctx(clerk), lookupOf([oldCo]), today)
    expect(r).toMatchObject({ ok: false, reason: 'invalid' })
    expect(!r.ok && r.errors?.map((e) => e.field)).toEqual(['items', 'validUntil'])
  })
})

describe('R10, §5.6.1: only the director or GM, or their proxy, approves a quote', () => {
  const pending = quote('pending', 'oldCo')
  const lookup = lookupOf([oldCo])
  it('director and GM may approve; the clerk may not', async () => {
    expect(await checkTransition(quotation, pending, 'approve', ctx(director), lookup, today))
      .toEqual({ ok: true, to: 'approved', sets: {}, warnings: [], actor: { userId: 'u2', name: '王总监' } })
    expect((await checkTransition(quotation, pending, 'approve', ctx(gm), lookup, today)).ok).toBe(true)
    expect(await checkTransition(quotation, pending, 'approve', ctx(clerk), lookup, today)).toMatchObject({ ok: false, reason: 'role' })
  })
  it('a registered proxy may approve within the grant window (inclusive), recorded as acting for the director', async () => {
    for (const day of ['2026-11-01', '2026-11-07']) {
      const r = await checkTransition(quotation, pending, 'approve', ctx(deputy, [grant]), lookup, day)
      expect(r).toEqual({ ok: true, to: 'approved', sets: {}, warnings: [], actor: { userId: 'u4', name: '陈经理', actingFor: { userId: 'u2', name: '王总监', role: 'marketingDirector' } } })
    }
  })
  it('a proxy outside the window, or whose principal left, may not', async () => {
    expect(await checkTransition(quotation, pending, 'approve', ctx(deputy, [grant]), lookup, '2026-11-08')).toMatchObject({ ok: false, reason: 'role' })
    expect(await checkTransition(quotation, pending, 'approve', ctx(deputy, [grant]), lookup, '2026-10-31')).toMatchObject({ ok: false, reason: 'role' })
    const left = { ...ctx(deputy, [grant]), users: users.map((u) => (u.id === 'u2' ? { ...u, active: false } : u)) }
    expect(await checkTransition(quotation, pending, 'approve', left, lookup, today)).toMatchObject({ ok: false, reason: 'role' })
  })
  it('prefers the own role over a proxy grant', () => {
    const gmWithGrant: ProxyGrant = { ...grant, id: 'g2', proxyId: 'u3' }
    const [approve] = availableTransitions(quotation, pending, gm, [gmWithGrant], users, today)
    expect(approve?.actor).toEqual({ userId: 'u3', name: '张总' })
  })
  it('lists what each user can do in the current state', () => {
    const ids = (u: User, g: ProxyGrant[] = []) => availableTransitions(quotation, pending, u, g, users, today).map((a) => a.transition.id)
    expect(ids(director)).toEqual(['approve', 'reject'])
    expect(ids(deputy, [grant])).toEqual(['approve', 'reject'])
    expect(ids(deputy)).toEqual([])
    expect(ids(clerk)).toEqual([])
    expect(availableTransitions(quotation, quote('draft'), clerk, [], users, today).map((a) => a.transition.id)).toEqual(['submit'])
  })
  it('rolesOf: own roles and today’s grants only', () => {
    expect(rolesOf(deputy, [grant], users, today)).toEqual([{ role: 'marketingManager' }, { role: 'marketingDirector', actingFor: director }])
    expect(rolesOf(deputy, [grant], users, '2026-12-01')).toEqual([{ role: 'marketingManager' }])
    expect(rolesOf({ ...deputy, active: false }, [grant], users, today)).toEqual([])
  })
})

describe('comments, states and revisions', () => {
  const pending = quote('pending', 'oldCo')
  it('reject needs a comment', async () => {
    expect(await checkTransition(quotation, pending, 'reject', ctx(director), lookupOf([oldCo]), today, '  ')).toMatchObject({ ok: false, reason: 'comment' })
    expect(await checkTransition(quotation, pending, 'reject', ctx(director), lookupOf([oldCo]), today, '单价低于底价'))
      .toMatchObject({ ok: true, to: 'rejected' })
  })
  it('a transition not leaving the current state is refused', async () => {
    expect(await checkTransition(quotation, quote('approved', 'oldCo'), 'approve', ctx(director), lookupOf([oldCo]), today))
      .toMatchObject({ ok: false, reason: 'state', message: { zh: '单据当前为“已核准”，不能核准' } })
  })
  it('unknown transitions and guard names are programming errors', async () => {
    await expect(checkTransition(quotation, pending, 'nope', ctx(director), lookupOf([]), today)).rejects.toThrow(/nope/)
    const broken = { ...quotation, guards: {} }
    await expect(checkTransition(broken, quote('draft', 'oldCo'), 'submit', ctx(clerk), lookupOf([oldCo]), today)).rejects.toThrow(/customerMayBeQuoted/)
  })
  it('the evaluation decision is set by the transition; 不开发 needs a comment', async () => {
    const ev = snap('customerEvaluation', 'e1', 'submitted', {
      customer: 'newCo', evaluationDate: '2026-11-01', industry: 'appliance', scale: 'medium', demandProduct: 'PC/ABS V-0', salesOpinion: '月用量约5吨',
    })
    expect(await checkTransition(customerEvaluation, ev, 'develop', ctx(head), lookupOf([]), today)).toMatchObject({ ok: true, to: 'develop', sets: { decision: 'develop' } })
    expect(await checkTransition(customerEvaluation, ev, 'notDevelop', ctx(head), lookupOf([]), today)).toMatchObject({ ok: false, reason: 'comment' })
  })
  it('§5.6.1: editing a released quote makes version+1 in draft; editing a draft does not', () => {
    expect(reviseOnEdit(quotation, { state: 'approved', version: 1 })).toEqual({ state: 'draft', version: 2 })
    expect(reviseOnEdit(quotation, { state: 'sent', version: 3 })).toEqual({ state: 'draft', version: 4 })
    expect(reviseOnEdit(quotation, { state: 'draft', version: 1 })).toBeNull()
    expect(reviseOnEdit(customerEvaluation, { state: 'develop', version: 1 })).toBeNull()
  })
  it('released and editable states', () => {
    expect(isReleased(quotation, 'approved')).toBe(true)
    expect(isReleased(quotation, 'pending')).toBe(false)
    expect(isEditable(quotation, 'pending')).toBe(false)
    expect(isEditable(quotation, 'draft')).toBe(true)
  })
})

describe('actionableStates', () => {
  it('names the states a user acts from: own roles, and a proxy grant only while it runs', () => {
    expect(actionableStates(quotation, director, [], users, today)).toEqual(['pending'])
    expect(actionableStates(quotation, deputy, [], users, today)).toEqual([])
    expect(actionableStates(quotation, deputy, [grant], users, today)).toEqual(['pending'])
    expect(actionableStates(quotation, deputy, [grant], users, '2026-11-08')).toEqual([])
    expect(actionableStates(customerEvaluation, head, [], users, today)).toEqual(['submitted'])
    expect(actionableStates(quotation, user('u9', '离职', ['marketingDirector'], false), [], users, today)).toEqual([])
  })
})
