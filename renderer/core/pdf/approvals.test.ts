// The clerks' PCs are in China: a day derived from a UTC time is the office's day there.
process.env.TZ = 'Asia/Shanghai'

import { describe, expect, it } from 'vitest'
import type { Actor } from '../model'
import { approvalBox, approvalsFromAudit, type ApprovalEntry } from './approvals'

const zhang: Actor = { userId: 'u-zhang', name: '张敏' }
const wang: Actor = { userId: 'u-wang', name: '王建国' }
const li: Actor = { userId: 'u-li', name: '李强', actingFor: { userId: 'u-wang', name: '王建国', role: 'marketingDirector' } }

let n = 0
/** An audit entry as the data layer writes it: a transition records its state change first. */
function entry(action: string, actor: Actor, at: string, state?: [string, string], day?: string): ApprovalEntry {
  return {
    id: `a${String(++n).padStart(3, '0')}`, action, actor, at,
    changes: state ? [{ field: 'state', from: state[0], to: state[1] }] : [], ...(day ? { day } : {}),
  }
}

const made = { label: { zh: '制单', en: 'Prepared by' }, actions: ['create', 'revise', 'submit'] }
const approved = { label: { zh: '审核/批准', en: 'Approved by' }, actions: ['approve'] }

describe('approvalsFromAudit', () => {
  it('prints who submitted and who approved, with the office day of each', () => {
    const trail = [
      entry('create', zhang, '2026-11-02T01:00:00.000Z', undefined, '2026-11-02'),
      entry('update', zhang, '2026-11-02T02:00:00.000Z'),
      entry('transition:submit', zhang, '2026-11-03T01:00:00.000Z', ['draft', 'pending'], '2026-11-03'),
      entry('print', zhang, '2026-11-03T01:30:00.000Z'),
      entry('transition:approve', wang, '2026-11-04T06:00:00.000Z', ['pending', 'approved'], '2026-11-04'),
    ]
    const a = approvalsFromAudit(trail.reverse()) // any order: sorted by time
    expect(Object.keys(a).sort()).toEqual(['approve', 'create', 'submit'])
    expect(approvalBox(made, a)).toEqual({ label: '制单', name: '张敏', date: '2026-11-03' })
    expect(approvalBox(approved, a)).toEqual({ label: '审核/批准', name: '王建国', date: '2026-11-04' })
  })

  it('names the principal when the approver acted through a proxy grant (代)', () => {
    const a = approvalsFromAudit([
      entry('transition:submit', zhang, '2026-11-03T01:00:00.000Z', ['draft', 'pending']),
      entry('transition:approve', li, '2026-11-04T06:00:00.000Z', ['pending', 'approved'], '2026-11-04'),
    ])
    expect(a.approve).toMatchObject({ name: '李强', actingFor: '王建国' })
    expect(approvalBox(approved, a).name).toBe('李强（代王建国）')
  })

  it('leaves a box blank to sign by hand when nobody took its actions', () => {
    const a = approvalsFromAudit([entry('create', zhang, '2026-11-02T01:00:00.000Z', undefined, '2026-11-02')])
    expect(approvalBox(made, a)).toEqual({ label: '制单', name: '张敏', date: '2026-11-02' })
    expect(approvalBox(approved, a)).toEqual({ label: '审核/批准', name: '', date: '' })
    expect(approvalBox(approved, undefined)).toEqual({ label: '审核/批准', name: '', date: '' })
  })

  it('takes the office day from the time when an entry has none (07:30 in China is the previous UTC day)', () => {
    const a = approvalsFromAudit([entry('transition:approve', wang, '2026-11-03T23:30:00.000Z', ['pending', 'approved'])])
    expect(a.approve!.day).toBe('2026-11-04')
  })

  it('starts afresh at a revision: V2 prints its reviser and no approver until it is approved again', () => {
    const a = approvalsFromAudit([
      entry('create', zhang, '2026-11-02T01:00:00.000Z'),
      entry('transition:submit', zhang, '2026-11-03T01:00:00.000Z', ['draft', 'pending']),
      entry('transition:approve', wang, '2026-11-04T01:00:00.000Z', ['pending', 'approved']),
      entry('revise', { userId: 'u-chen', name: '陈秀娟' }, '2026-11-05T01:00:00.000Z', ['approved', 'draft'], '2026-11-05'),
    ])
    expect(Object.keys(a)).toEqual(['revise'])
    expect(approvalBox(made, a)).toEqual({ label: '制单', name: '陈秀娟', date: '2026-11-05' })
    expect(approvalBox(approved, a).name).toBe('')
  })

  it('drops a decision once the document is back in the state it was taken from (rejected, resubmitted)', () => {
    const trail = [
      entry('transition:submit', zhang, '2026-11-03T01:00:00.000Z', ['draft', 'pending']),
      entry('transition:approve', wang, '2026-11-04T01:00:00.000Z', ['pending', 'approved']),
      // A workflow that can send an approved document back (none of ours does today) asks again.
      entry('transition:reopen', wang, '2026-11-05T01:00:00.000Z', ['approved', 'draft']),
      entry('transition:submit', zhang, '2026-11-06T01:00:00.000Z', ['draft', 'pending']),
    ]
    const a = approvalsFromAudit(trail)
    expect(a.approve).toBeUndefined()
    expect(a.submit!.at).toBe('2026-11-06T01:00:00.000Z')
  })

  it('prints countersign sign-offs, cleared when the countersign starts again after a refusal', () => {
    const qa: Actor = { userId: 'u-qa', name: '周品' }
    const rd: Actor = { userId: 'u-rd', name: '吴研' }
    const qaBox = { label: { zh: '品质', en: 'QA' }, actions: ['sign-review-qa'] }
    const rdBox = { label: { zh: '研发', en: 'R&D' }, actions: ['sign-review-rd'] }
    const first = [
      entry('transition:submit', zhang, '2026-11-03T01:00:00.000Z', ['draft', 'review']),
      entry('transition:sign-review-qa', qa, '2026-11-03T02:00:00.000Z', ['review', 'review'], '2026-11-03'),
      entry('transition:refuse', rd, '2026-11-03T03:00:00.000Z', ['review', 'rejected']),
    ]
    expect(approvalBox(qaBox, approvalsFromAudit(first))).toEqual({ label: '品质', name: '周品', date: '2026-11-03' })
    const again = [
      ...first,
      entry('transition:submit', zhang, '2026-11-04T01:00:00.000Z', ['rejected', 'review']),
      entry('transition:sign-review-rd', rd, '2026-11-04T02:00:00.000Z', ['review', 'review'], '2026-11-04'),
    ]
    const a = approvalsFromAudit(again)
    expect(approvalBox(qaBox, a).name).toBe('')
    expect(approvalBox(rdBox, a)).toEqual({ label: '研发', name: '吴研', date: '2026-11-04' })
    // The last sign-off moves the state on; the earlier ones of the same round stay printed.
    const done = approvalsFromAudit([...again, entry('transition:sign-review-qa', qa, '2026-11-05T02:00:00.000Z', ['review', 'approved'], '2026-11-05')])
    expect(approvalBox(qaBox, done).date).toBe('2026-11-05')
    expect(approvalBox(rdBox, done).date).toBe('2026-11-04')
  })

  it('a box listing several actions prints the latest of them', () => {
    const a = approvalsFromAudit([
      entry('create', zhang, '2026-11-02T01:00:00.000Z', undefined, '2026-11-02'),
      entry('transition:submit', { userId: 'u-chen', name: '陈秀娟' }, '2026-11-03T01:00:00.000Z', ['draft', 'pending'], '2026-11-03'),
    ])
    expect(approvalBox(made, a).name).toBe('陈秀娟')
  })
})
