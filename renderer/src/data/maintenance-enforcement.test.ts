/**
 * 客户维护 (§5.10) as the data layer enforces it: R18's late forecast is warned and marked inside the
 * write, R17's memo is approved only by the marketing manager/supervisor or the director or above,
 * and the office's business rules change only on an approved memo. Every write runs as the
 * signed-in demo user.
 */
import { describe, expect, it } from 'vitest'
import { formById } from '@forms/registry'
import type { Actor } from '@core/model'
import type { FormData } from '@forms/schema/types'
import { policyOf } from '@forms/schema/policy'
import { DEMO_IDS, DEMO_PASSWORD, DEMO_USERS } from './seed'
import { approvedMemo, setup, signInAs, steppingClock } from './test-setup'

const person = (id: string): Actor => {
  const u = DEMO_USERS.find((x) => x.id === id)!
  return { userId: u.id, name: u.name }
}
const U = DEMO_IDS.users
const zhangMin = person(U.zhangMin) // csAssistant, admin
const liQiang = person(U.liQiang) // salesperson
const zhaoLei = person(U.zhaoLei) // marketingManager
const chenZhiyuan = person(U.chenZhiyuan) // marketingDirector

const forecastFor = (month: string): FormData => ({
  values: { salesperson: U.liQiang, month, market: '家电旺季备货' },
  lines: { items: [{ id: 'l1', values: { customer: DEMO_IDS.customers.meida, productGroup: 'flameRetardant', quantity: '9000', unit: 'kg', amount: 18_000_000 } }] },
})

const memoData: FormData = {
  values: {
    subject: '现结客户随货开票', applicant: U.linJing, fromDept: '财务部', toDepts: '营销部、客服部', concerns: 'policy', effectiveDate: '2026-12-01',
    currentPractice: '回款达到合同金额 60% 后方可开票', change: '开票条件改为按惯例：现结客户随货开票', reason: '现结客户要求发票随货',
  },
  lines: {},
}

async function at(start: string) {
  const ctx = await setup({ now: steppingClock(start) })
  const step = async (actor: Actor, id: string, transition: string, to: string, opts: { confirmed?: boolean; comment?: string } = {}) => {
    await signInAs(ctx.directory, actor)
    return ctx.documents.transition(id, transition, to, {}, actor, opts.comment, opts.confirmed ? { confirmed: true } : {})
  }
  return { ...ctx, step }
}

describe('R18 in the data layer: a forecast after the 25th is warned and marked 逾期提交', () => {
  it('R18: submitted on the 24th it is on time', async () => {
    const { documents, step } = await at('2026-11-24T04:00:00.000Z')
    const made = await documents.create('salesForecast', forecastFor('2026-12'), liQiang)
    const sent = await step(liQiang, made.doc.id, 'submit', 'submitted')
    expect(sent.doc.values).toMatchObject({ submittedOn: '2026-11-24', lateSubmitted: false })
  })

  it('R18: submitted on the 26th it is refused until the warning is confirmed, then marked late', async () => {
    const { documents, step } = await at('2026-11-26T04:00:00.000Z')
    const made = await documents.create('salesForecast', forecastFor('2026-12'), liQiang)
    await expect(step(liQiang, made.doc.id, 'submit', 'submitted')).rejects.toMatchObject({ check: { reason: 'warning', rule: 'R18' } })
    expect((await documents.load(made.doc.id))!.doc.state).toBe('draft')
    const sent = await step(liQiang, made.doc.id, 'submit', 'submitted', { confirmed: true })
    expect(sent.doc).toMatchObject({ state: 'submitted', values: { submittedOn: '2026-11-26', lateSubmitted: true } })
    // The confirmed warning stays with the signed audit entry of the submission.
    const audit = await documents.timeline(made.doc.id)
    expect(JSON.stringify(audit.at(-1))).toContain('R18')
  })
})

describe('R17 in the data layer: the memo\'s approval and the business rules that cite it', () => {
  it('R17: a salesperson may not approve a memo; the marketing manager may', async () => {
    const { documents, step } = await at('2026-11-26T04:00:00.000Z')
    const made = await documents.create('memo', memoData, zhangMin)
    await step(zhangMin, made.doc.id, 'submit', 'review')
    await expect(step(liQiang, made.doc.id, 'approve', 'approved')).rejects.toMatchObject({ check: { reason: 'role' } })
    await expect(step(zhangMin, made.doc.id, 'approve', 'approved')).rejects.toMatchObject({ check: { reason: 'role' } })
    expect((await step(zhaoLei, made.doc.id, 'approve', 'approved')).doc.state).toBe('approved')
  })

  it('R17: a change of the business rules without an approved memo is refused; with one it is saved with the memo', async () => {
    const { documents, directory, step } = await at('2026-11-26T04:00:00.000Z')
    const made = await documents.create('memo', memoData, zhangMin)
    await signInAs(directory, zhangMin)
    const settings = await directory.officeSettings()
    const change = { ...settings, policy: { invoiceGate: 'practice' as const } }
    const refused = { zh: '修改业务规则或审批流程须依据已批准的内部联络函：请先写内部联络函并经营销经理、主管或总监批准，再在这里选择它', note: { rule: 'R17', clause: '§5.10.1' } }
    await expect(directory.saveOfficeSettings(change)).rejects.toMatchObject(refused)
    // A memo still in draft is no approval.
    await expect(directory.saveOfficeSettings({ ...change, policyMemo: { id: made.doc.id, number: made.doc.number } })).rejects.toMatchObject(refused)
    await step(zhangMin, made.doc.id, 'submit', 'review')
    await step(chenZhiyuan, made.doc.id, 'approve', 'approved')
    await signInAs(directory, zhangMin)
    expect(policyOf((await directory.officeSettings()).policy).invoiceGate).toBe('collected')
    await directory.saveOfficeSettings({ ...change, policyMemo: { id: made.doc.id, number: 'FORGED' } })
    const saved = await directory.officeSettings()
    expect(policyOf(saved.policy).invoiceGate).toBe('practice')
    // The signed entry carries the memo as stored, not the number the screen sent.
    expect(saved.policyMemo).toEqual({ id: made.doc.id, number: made.doc.number })
    const entry = (await directory.entries()).find((e) => e.body.kind === 'settings')!
    expect(entry.body).toMatchObject({ settings: { policyMemo: { number: made.doc.number } } })
    // Other settings (the idle lock) change without a memo while the rules stay as they are.
    await directory.saveOfficeSettings({ ...saved, idleMinutes: 20, policyMemo: undefined })
    expect((await directory.officeSettings()).idleMinutes).toBe(20)
  })

  it('R17: the memo the rules stand on approves no second change, and a save that leaves the rules alone cannot rewrite it', async () => {
    const { documents, directory, step } = await at('2026-11-26T04:00:00.000Z')
    const made = await documents.create('memo', memoData, zhangMin)
    await step(zhangMin, made.doc.id, 'submit', 'review')
    await step(zhaoLei, made.doc.id, 'approve', 'approved')
    await signInAs(directory, zhangMin)
    const first = { ...(await directory.officeSettings()), policy: { invoiceGate: 'practice' as const }, policyMemo: { id: made.doc.id, number: made.doc.number } }
    await directory.saveOfficeSettings(first)
    const saved = await directory.officeSettings()
    // The settings as the screen holds them carry the memo: sending them back with other rules is no new approval.
    await expect(directory.saveOfficeSettings({ ...saved, policy: { invoiceGate: 'practice', invoiceMinPercent: 10 } }))
      .rejects.toMatchObject({ zh: `内部联络函 ${made.doc.number} 已用于此前的一次业务规则或审批流程修改：这次修改请另写一份内部联络函，批准后在这里选择它`, note: { rule: 'R17' } })
    expect(policyOf((await directory.officeSettings()).policy).invoiceMinPercent).toBe(policyOf(saved.policy).invoiceMinPercent)
    // The idle lock alone: the memo cited stays the one the rules were changed on, whatever the screen sends.
    await directory.saveOfficeSettings({ ...saved, idleMinutes: 25, policyMemo: { id: 'not-a-memo', number: 'LL-FORGED' } })
    expect((await directory.officeSettings()).policyMemo).toEqual({ id: made.doc.id, number: made.doc.number })
  })
})

describe('R17 for the approval chain: who approves what, and above which amount, changes only on an approved memo', () => {
  it('R17: the chain or an amount limit changed without a memo is refused; with one it is saved; the memo approves no second change', async () => {
    const { documents, directory } = await at('2026-11-26T04:00:00.000Z')
    await signInAs(directory, zhangMin)
    const settings = await directory.officeSettings()
    const refused = { zh: '修改业务规则或审批流程须依据已批准的内部联络函：请先写内部联络函并经营销经理、主管或总监批准，再在这里选择它', note: { rule: 'R17', clause: '§5.10.1' } }
    const chain = { ...settings, approvals: { contract: { 'review.director': ['marketingManager' as const] } } }
    const limit = { ...settings, approvalLimits: { contract: { 'review.gm': 50_000_000 } } }
    await expect(directory.saveOfficeSettings(chain)).rejects.toMatchObject(refused)
    await expect(directory.saveOfficeSettings(limit)).rejects.toMatchObject(refused)
    expect(await directory.officeSettings()).toEqual(settings)

    const memo = await approvedMemo({ documents, directory })
    await signInAs(directory, zhangMin)
    await directory.saveOfficeSettings({ ...chain, approvalLimits: limit.approvalLimits, policyMemo: memo })
    const saved = await directory.officeSettings()
    expect(saved).toMatchObject({ approvals: chain.approvals, approvalLimits: limit.approvalLimits, policyMemo: memo })
    // The same memo does not approve a further change of the chain.
    await expect(directory.saveOfficeSettings({ ...saved, approvalLimits: { contract: { 'review.gm': 10_000_000 } } }))
      .rejects.toMatchObject({ zh: `内部联络函 ${memo.number} 已用于此前的一次业务规则或审批流程修改：这次修改请另写一份内部联络函，批准后在这里选择它` })
    // Saving the chain as it is (the page's 保存 with nothing changed) needs no memo, and keeps the one it stands on;
    // so does an override naming a form's own roles (in any order), or a step no form has: the chain in force is the same.
    await directory.saveOfficeSettings({ ...saved, approvals: { contract: { 'review.director': ['marketingManager'] } }, policyMemo: undefined })
    const own = formById('sampleApplication').workflow!.transitions.find((t) => t.id === 'submit')!.roles
    await directory.saveOfficeSettings({ ...saved, approvals: { ...saved.approvals, sampleApplication: { submit: [...own].reverse() }, gone: { step: ['admin'] } } })
    expect((await directory.officeSettings()).policyMemo).toEqual(memo)
  })

  it('R17: a memo about another step of the process (samples) approves no change of the chain', async () => {
    const { documents, directory, step } = await at('2026-11-26T04:00:00.000Z')
    const made = await documents.create('memo', { ...memoData, values: { ...memoData.values, concerns: 'sample' } }, zhangMin)
    await step(zhangMin, made.doc.id, 'submit', 'review')
    await step(zhaoLei, made.doc.id, 'approve', 'approved')
    await signInAs(directory, zhangMin)
    const settings = await directory.officeSettings()
    await expect(directory.saveOfficeSettings({ ...settings, approvalLimits: { contract: { 'review.gm': 50_000_000 } }, policyMemo: { id: made.doc.id, number: made.doc.number } }))
      .rejects.toMatchObject({ zh: `内部联络函 ${made.doc.number} 涉及的不是业务规则或审批流程：请选择为这次修改批准的内部联络函`, note: { rule: 'R17' } })
    expect(await directory.officeSettings()).toEqual(settings)
  })
})

describe('R18: a forecast belongs to its salesperson; another salesperson neither files, edits nor submits it', () => {
  it('R18 blocked and allowed: 王磊 cannot file or touch 李强’s forecast; 张敏 (CS) files it for 李强, who submits it', async () => {
    const { documents, directory, step } = await at('2026-11-24T04:00:00.000Z')
    await signInAs(directory, zhangMin)
    const wang = await directory.saveUser({ name: '王磊', dept: '营销部', roles: ['salesperson'], active: true }, DEMO_PASSWORD)
    const wangLei: Actor = { userId: wang.id, name: wang.name }

    await signInAs(directory, wangLei)
    await expect(documents.create('salesForecast', forecastFor('2026-12'), wangLei))
      .rejects.toMatchObject({ code: 'noRight', message: expect.stringContaining('您只能办理本人的销售预估') })
    // His own is fine.
    const own = await documents.create('salesForecast', { ...forecastFor('2026-12'), values: { ...forecastFor('2026-12').values, salesperson: wang.id } }, wangLei)
    expect(own.doc.values.salesperson).toBe(wang.id)
    // Nor may he hand his own to a colleague.
    await expect(documents.update(own.doc.id, forecastFor('2026-12'), wangLei)).rejects.toMatchObject({ code: 'noRight' })

    await signInAs(directory, zhangMin)
    const forLi = await documents.create('salesForecast', forecastFor('2026-12'), zhangMin)
    await signInAs(directory, wangLei)
    const edited = { ...forecastFor('2026-12'), values: { ...forecastFor('2026-12').values, market: '改成我的判断' } }
    await expect(documents.update(forLi.doc.id, edited, wangLei)).rejects.toMatchObject({ code: 'noRight' })
    await expect(step(wangLei, forLi.doc.id, 'submit', 'submitted')).rejects.toMatchObject({ check: { reason: 'role', message: { zh: expect.stringContaining('须是您自己') } } })
    expect((await documents.load(forLi.doc.id))!.doc).toMatchObject({ state: 'draft', values: { market: '家电旺季备货' } })

    const sent = await step(liQiang, forLi.doc.id, 'submit', 'submitted')
    expect(sent.doc.state).toBe('submitted')
  })
})
