import { describe, expect, it } from 'vitest'
import { visitPlan } from './visit-plan.form'
import { visitRecord } from '../visit-record/visit-record.form'
import { plannedVisits, planSummary, planView, visitPlanProgress } from './visit-plan.progress'
import { periodChecks } from './visit-plan.rules'
import { doc, lookupOf, type Row } from '../stage-testing'
import { applyComputed, validateForm } from '../../renderer/core/validation'
import type { DocSnapshot } from '../schema/types'

/** The week of 14–20 July 2025: 美宜达 on Tuesday, 联创 on Thursday, 宏达 on Friday, all 李强's. */
const plan = doc(visitPlan, 'bfj1', 'approved', { periodKind: 'week', periodStart: '2025-07-14', periodEnd: '2025-07-20', planner: 'u-zhou' }, {
  visits: [
    { customer: 'meiyida', salesperson: 'u-li', plannedDate: '2025-07-15', purpose: 'quality' },
    { customer: 'lianchuang', salesperson: 'u-li', plannedDate: '2025-07-17', purpose: 'newProduct' },
    { customer: 'hongda', salesperson: 'u-li', plannedDate: '2025-07-18', purpose: 'market' },
  ],
})
const visit = (id: string, values: Row, state = 'archived'): DocSnapshot =>
  doc(visitRecord, id, state, { visitWay: 'onsite', purpose: 'quality', discussed: '质量回访', ...values })
const standings = (visits: DocSnapshot[], today: string) => plannedVisits(plan, visits, today).map((p) => p.standing)

describe('拜访客户计划表: each planned line done, missed or pending (§5.10.4, §5.10.5)', () => {
  it('before any planned day nothing is missed: all three are 待拜访', () => {
    expect(standings([], '2025-07-14')).toEqual(['pending', 'pending', 'pending'])
  })

  it('on the planned day the visit is still to come; the day after it is 未拜访·已过期', () => {
    expect(standings([], '2025-07-15')[0]).toBe('pending')
    expect(standings([], '2025-07-16')).toEqual(['missed', 'pending', 'pending'])
    expect(standings([], '2025-07-21')).toEqual(['missed', 'missed', 'missed'])
  })

  it('a visit record of that customer by that salesperson within the period makes the line 已拜访, with its number', () => {
    const bf = visit('bf1', { customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-16' })
    const items = plannedVisits(plan, [bf], '2025-07-21')
    expect(items.map((p) => p.standing)).toEqual(['done', 'missed', 'missed'])
    expect(items[0]!.visit?.number).toBe('BF1')
  })

  it('another salesperson, another customer, a day outside the period or a void record does not count', () => {
    const others = [
      visit('a', { customer: 'meiyida', salesperson: 'u-wang', visitDate: '2025-07-15' }),
      visit('b', { customer: 'xinghua', salesperson: 'u-li', visitDate: '2025-07-15' }),
      visit('c', { customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-21' }),
      visit('d', { customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-15' }, 'voided'),
    ]
    expect(standings(others, '2025-07-16')[0]).toBe('missed')
  })

  it('a record naming the plan and its line settles that line even when made by a colleague', () => {
    const bf = visit('bf2', { customer: 'lianchuang', salesperson: 'u-wang', visitDate: '2025-07-17', plan: 'bfj1', planLine: 2 })
    expect(standings([bf], '2025-07-18')).toEqual(['missed', 'done', 'pending'])
  })

  it('one visit settles one line: two planned visits to the same customer need two records', () => {
    const twice = doc(visitPlan, 'bfj2', 'approved', { periodKind: 'month', periodStart: '2025-07-01', periodEnd: '2025-07-31', planner: 'u-zhou' }, {
      visits: [
        { customer: 'meiyida', salesperson: 'u-li', plannedDate: '2025-07-03', purpose: 'market' },
        { customer: 'meiyida', salesperson: 'u-li', plannedDate: '2025-07-24', purpose: 'project' },
      ],
    })
    const early = visit('e', { customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-04' })
    expect(plannedVisits(twice, [early], '2025-07-28').map((p) => [p.standing, p.visit?.id])).toEqual([['done', 'e'], ['missed', undefined]])
    const late = visit('l', { customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-23' })
    expect(plannedVisits(twice, [late, early], '2025-07-28').map((p) => p.visit?.id)).toEqual(['e', 'l'])
  })

  it('the summary counts planned, done and not done, with the completion rate in whole percent', () => {
    const bf = visit('bf1', { customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-15' })
    expect(planSummary(plannedVisits(plan, [bf], '2025-07-17'))).toEqual({ planned: 3, done: 1, missed: 0, pending: 2, rate: 33 })
    const bf3 = visit('bf3', { customer: 'hongda', salesperson: 'u-li', visitDate: '2025-07-18' })
    const view = planView(plannedVisits(plan, [bf, bf3], '2025-07-21'))
    expect(view.summary.zh).toBe('计划 3，已完成 2，未完成 1（其中已过期 1），完成率 67%')
    expect(view.rows.map((r) => [r.status.zh, r.open, r.doc?.number])).toEqual([['已拜访', false, 'BF1'], ['未拜访·已过期', true, undefined], ['已拜访', false, 'BF3']])
  })

  it('is live: read through the lookup, a visit recorded after the plan was approved counts', async () => {
    const before = await visitPlanProgress(plan, { lookup: lookupOf([plan]), today: '2025-07-16' })
    expect(before.summary.zh).toContain('已完成 0')
    const later = visit('bf9', { customer: 'meiyida', salesperson: 'u-li', visitDate: '2025-07-16' }, 'draft')
    const after = await visitPlanProgress(plan, { lookup: lookupOf([plan, later]), today: '2025-07-16' })
    expect(after.rows[0]).toMatchObject({ status: { zh: '已拜访' }, doc: { id: 'bf9', number: 'BF9' } })
    expect(after.summary.zh).toContain('完成率 33%')
  })
})

describe('拜访客户计划表: the period', () => {
  const data = (values: Row, plannedDate = '2025-07-15') => applyComputed(visitPlan, {
    values: { periodKind: 'week', planner: 'u-zhou', ...values },
    lines: { visits: [{ id: 'r1', values: { customer: 'meiyida', salesperson: 'u-li', plannedDate, purpose: 'quality' } }] },
  })

  it('is named by its kind and dates, and a whole week is accepted', () => {
    const d = data({ periodStart: '2025-07-14', periodEnd: '2025-07-20' })
    expect(d.values.planName).toBe('周计划 2025-07-14 至 2025-07-20')
    expect(validateForm(visitPlan, d)).toEqual([])
  })

  it('a week plan of 8 days, an end before the start, or a visit outside the period is refused', () => {
    expect(periodChecks(data({ periodStart: '2025-07-14', periodEnd: '2025-07-21' })).map((e) => e.message.zh)).toEqual(['周计划的期间最长 7 天，请改正结束日期或选“月计划”'])
    expect(periodChecks(data({ periodStart: '2025-07-14', periodEnd: '2025-07-13' }))[0]?.field).toBe('periodEnd')
    expect(periodChecks(data({ periodStart: '2025-07-14', periodEnd: '2025-07-20' }, '2025-07-22'))).toMatchObject([{ field: 'visits', row: 0, column: 'plannedDate' }])
    expect(periodChecks(data({ periodKind: 'month', periodStart: '2025-07-01', periodEnd: '2025-07-31' }, '2025-07-22'))).toEqual([])
  })
})
