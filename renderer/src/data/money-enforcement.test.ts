/**
 * The money stage as the data layer enforces it, whatever the screen sent: a statement's entries
 * and balances are gathered from the records on every save (a forged entry or balance never
 * reaches the customer), and frozen once it is issued. Every write runs as the signed-in demo user.
 */
import { describe, expect, it } from 'vitest'
import type { Actor } from '@core/model'
import { formById } from '@forms/registry'
import { toFormData } from '@app/stores/documents'
import { policyOf } from '@forms/schema/policy'
import { DEMO_IDS, DEMO_USERS, seedDemo } from './seed'
import { setup, signInAs } from './test-setup'

const person = (id: string): Actor => {
  const u = DEMO_USERS.find((x) => x.id === id)!
  return { userId: u.id, name: u.name }
}
const linJing = person(DEMO_IDS.users.linJing) // finance

describe('a statement of account is what the records say (§5.9, R16)', () => {
  it('forged entries and a forged closing balance are replaced by the gathered ones on create and on save; once issued, it no longer changes', async () => {
    const ctx = await setup()
    await seedDemo(ctx.db, { forms: formById, now: ctx.now })
    const { documents, directory } = ctx
    await signInAs(directory, linJing)
    const customer = DEMO_IDS.customers.meida
    const before = toFormData(formById('customer'), (await documents.load(customer))!)
    await documents.update(customer, { ...before, values: { ...before.values, openingBalance: 1_234_500, openingDate: '2026-01-01' } }, linJing)
    const forged = {
      values: { customer, periodFrom: '2026-11-01', periodTo: '2026-11-30', closingBalance: 1, openingBalance: 99 },
      lines: { entries: [{ id: 'x1', values: { date: '2026-11-02', kind: 'payment', docNumber: 'SK-FAKE', credit: 5_000_000, balance: 0 } }] },
    }
    const made = await documents.create('statement', forged, linJing)
    expect(made.doc.values.openingBalance).toBe(1_234_500)
    expect(made.doc.values.closingBalance).toBe(1_234_500)
    expect(made.lines.map((l) => l.values.docNumber)).not.toContain('SK-FAKE')
    const saved = await documents.update(made.doc.id, forged, linJing)
    expect(saved.doc.values.closingBalance).toBe(1_234_500)
    expect(saved.lines).toHaveLength(0)
    await documents.transition(made.doc.id, 'issue', 'issued', {}, linJing)
    // Issued: the forged figures still change nothing, and a new period is refused.
    expect((await documents.update(made.doc.id, forged, linJing)).doc.values.closingBalance).toBe(1_234_500)
    await expect(documents.update(made.doc.id, { ...forged, values: { ...forged.values, periodFrom: '2026-10-01' } }, linJing)).rejects.toThrow(/不可修改/)
  })
})

describe('the business rules (R19, R20, R23) are the administrator\'s, signed, and checked before saving', () => {
  it('a salesperson cannot change them; a malformed value is refused in plain words; the administrator\'s reach every guard', async () => {
    const { directory, documents, db } = await setup()
    const zhangMin = person(DEMO_IDS.users.zhangMin) // csAssistant, admin
    const liQiang = person(DEMO_IDS.users.liQiang) // salesperson
    await signInAs(directory, liQiang)
    const settings = await directory.officeSettings()
    await expect(directory.saveOfficeSettings({ ...settings, policy: { invoiceMinPercent: 50 } })).rejects.toBeDefined()
    await signInAs(directory, zhangMin)
    await expect(directory.saveOfficeSettings({ ...settings, policy: { invoiceMinPercent: 150, commissionRates: [{ basisPoints: -1 }] } }))
      .rejects.toMatchObject({ zh: '业务规则中开票所需回款比例、业务提成比例的值不正确，请检查后再保存' })
    // R17: the change cites an approved 内部联络函 (approved directly here; the approval itself is maintenance-enforcement's).
    const memo = await documents.create('memo', { values: {
      subject: '开票回款比例调整为 50%', applicant: zhangMin.userId, fromDept: '财务部', toDepts: '营销部', concerns: 'policy', effectiveDate: '2026-11-01',
      currentPractice: '回款 60% 后开票', change: '回款 50% 后开票', reason: '大客户分批付款',
    }, lines: {} }, zhangMin)
    await db.docs.update(memo.doc.id, { state: 'approved' })
    await signInAs(directory, zhangMin)
    await directory.saveOfficeSettings({ ...settings, policy: { invoiceMinPercent: 50, commissionRates: [{ salesperson: liQiang.userId, basisPoints: 150 }] }, policyMemo: { id: memo.doc.id, number: memo.doc.number } })
    expect(policyOf((await directory.officeSettings()).policy)).toMatchObject({ invoiceGate: 'collected', invoiceMinPercent: 50, commissionRates: [{ basisPoints: 150 }] })
  })
})
