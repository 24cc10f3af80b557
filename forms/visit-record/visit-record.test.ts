import { describe, expect, it } from 'vitest'
import { visitRecord } from './visit-record.form'
import { visitPlan } from '../visit-plan/visit-plan.form'
import { customer } from '../customer/customer.form'
import { checker, doc, user } from '../stage-testing'
import { applyComputed, fillFromReference, validateForm } from '../../renderer/core/validation'
import { deriveDoc, derivationsFrom, withRow } from '../../renderer/core/derive'
import { forms } from '../registry'
import { checkTransition } from '../../renderer/core/workflow'
import { lookupOf } from '../stage-testing'
import { toCapital } from '../../renderer/core/money'
import type { DeriveSource, DocSnapshot } from '../schema/types'

const expenses = [
  { kind: 'transport', amount: 18600, receipts: 2, note: '过路费、油费' },
  { kind: 'meals', amount: 26800, receipts: 1 },
  { kind: 'gifts', amount: 12801, receipts: 1, note: '样板册及台历 2 套' },
]
const record = (state: string, values: Record<string, unknown> = {}) => doc(visitRecord, 'bf1', state, {
  customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-15', visitWay: 'onsite', purpose: 'quality', discussed: '色差改善回访',
  ...values,
} as never, { expenses })

describe('客户拜访表: the visit\'s expenses (管理费用管理条例)', () => {
  it('adds the lines up to the fen, with the receipts, and the total reads in 大写', () => {
    const r = record('draft')
    expect(r.values.expenseTotal).toBe(58201)
    expect(r.values.receiptCount).toBe(4)
    expect(toCapital(58201)).toBe('伍佰捌拾贰元零壹分')
    expect(validateForm(visitRecord, r)).toEqual([])
  })

  it('a 礼品 or 招待费 line needs a word of whom and what for; a next visit must come after this one', () => {
    const d = applyComputed(visitRecord, {
      values: { ...record('draft').values, nextVisitDate: '2025-07-15' },
      lines: { expenses: [{ id: 'x', values: { kind: 'hospitality', amount: 50000, receipts: 1 } }] },
    })
    expect(validateForm(visitRecord, d).map((e) => [e.field, e.column ?? '', e.message.zh])).toEqual([
      ['nextVisitDate', '', '下次拜访日期应在本次拜访日期之后，请改正'],
      ['expenses', 'note', '招待费、礼品和其他费用请在说明里写明对象和事由（管理费用管理条例）'],
    ])
  })
})

describe('客户拜访表: who may do what', () => {
  const li = user('u-li', '李强', ['salesperson'])
  const zhang = user('u-zhang', '张敏', ['csAssistant'])
  const zhou = user('u-zhou', '周海峰', ['marketingManager'])
  const chen = user('u-chen', '陈丽', ['finance'])
  const both = user('u-ma', '马骏', ['salesperson', 'marketingManager'])
  const check = checker([li, zhang, zhou, chen, both], '2025-07-16')

  it('the salesperson or CS submits; finance may not', async () => {
    expect((await check(visitRecord, record('draft'), 'submit', li, [])).ok).toBe(true)
    expect((await check(visitRecord, record('draft'), 'submit', zhang, [])).ok).toBe(true)
    expect(await check(visitRecord, record('draft'), 'submit', chen, [])).toMatchObject({ ok: false, reason: 'role' })
  })

  it('the marketing manager approves the expenses and the record is 已归档; the salesperson cannot approve their own', async () => {
    const ok = await check(visitRecord, record('submitted'), 'approve', zhou, [])
    expect(ok).toMatchObject({ ok: true, to: 'archived' })
    expect(visitRecord.workflow.states.archived.label.zh).toBe('已归档')
    expect(await check(visitRecord, record('submitted'), 'approve', li, [])).toMatchObject({ ok: false, reason: 'role' })
    const own = await checkTransition(visitRecord, record('submitted'), 'approve', { user: both, grants: [], users: [both] }, lookupOf([]), '2025-07-16', undefined, { submit: 'u-ma' })
    expect(own).toMatchObject({ ok: false, reason: 'separation' })
  })

  it('sending back needs a reason; a filed record is no longer edited', async () => {
    expect(await check(visitRecord, record('submitted'), 'sendBack', zhou, [])).toMatchObject({ ok: false, reason: 'comment' })
    expect((await check(visitRecord, record('submitted'), 'sendBack', zhou, [], undefined, undefined, '招待费超标准，请附说明')).ok).toBe(true)
    expect(visitRecord.workflow.states.archived.editable).toBe(false)
  })
})

describe('客户拜访表 from a plan line (生成拜访表)', () => {
  const plan = doc(visitPlan, 'bfj1', 'approved', { periodKind: 'week', periodStart: '2025-07-14', periodEnd: '2025-07-20', planner: 'u-zhou' }, {
    visits: [
      { customer: 'meiyida', salesperson: 'u-li', plannedDate: '2025-07-15', purpose: 'quality' },
      { customer: 'lianchuang', salesperson: 'u-li', plannedDate: '2025-07-17', purpose: 'newProduct', notes: '送样' },
    ],
  })
  const source = (p: DocSnapshot): DeriveSource => ({
    id: p.id, number: p.number, form: p.form, state: p.state, values: p.values,
    lines: Object.fromEntries(Object.entries(p.lines).map(([k, rows]) => [k, rows.map((r) => r.values)])),
  })

  it('is offered per line of an approved plan, not as a whole-plan button, and not on a draft plan', () => {
    expect(derivationsFrom(forms, 'visitPlan', 'approved', source(plan), 'visits').map((d) => d.target.id)).toEqual(['visitRecord'])
    expect(derivationsFrom(forms, 'visitPlan', 'approved', source(plan)).map((d) => d.target.id)).not.toContain('visitRecord')
    expect(derivationsFrom(forms, 'visitPlan', 'draft', source(plan), 'visits')).toEqual([])
  })

  it('carries the line\'s customer, salesperson, date and purpose, the plan and the line number', () => {
    const [d] = derivationsFrom(forms, 'visitPlan', 'approved', source(plan), 'visits')
    const src = withRow(source(plan), plan.lines.visits![1]!.id, plan.lines.visits!)!
    const made = deriveDoc(visitRecord, d!.derive, src, '2025-07-17', () => 'new')
    expect(made.values).toMatchObject({ customer: 'lianchuang', salesperson: 'u-li', visitDate: '2025-07-17', purpose: 'newProduct', plan: 'bfj1', planLine: 2, visitWay: 'onsite' })
    expect(withRow(source(plan), 'nope', plan.lines.visits!)).toBeUndefined()
  })

  it('picking the customer fills the contact, phone and address from its record; what was typed stays', () => {
    const cust = doc(customer, 'meiyida', '', { fullName: '佛山市顺德区美宜达电器有限公司', address: '顺德区容桂街道华口工业区朝阳路18号', salesperson: 'u-li', paymentMethod: 'credit' },
      { contacts: [{ name: '陈秀娟', phone: '138 2765 4410' }, { name: '何伟明' }] })
    const filled = fillFromReference(visitRecord, { values: { customer: 'meiyida', contact: '何伟明' }, lines: {} }, 'customer',
      { values: cust.values, lines: { contacts: cust.lines.contacts!.map((r) => r.values) } })
    expect(filled.values).toMatchObject({ contact: '何伟明', contactPhone: '138 2765 4410', address: '顺德区容桂街道华口工业区朝阳路18号', salesperson: 'u-li' })
  })
})
