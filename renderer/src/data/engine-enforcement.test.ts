/**
 * The process engine as the data layer enforces it, whatever the screen showed: per-section edit
 * rights, a countersign (会签), fields asked at a transition and its assignee, warnings confirmed,
 * 撤回 and 作废, attachment fields; and the judge on another PC refusing an incomplete countersign.
 * Every write runs as the signed-in demo user (signInAs), as a clerk at the keyboard would.
 */
import { describe, expect, it } from 'vitest'
import type { FormData, Values } from '@forms/schema/types'
import type { Actor, AuditEntry } from '@core/model'
import { formById } from '@forms/registry'
import { signoffKey } from '@core/workflow'
import { DirectoryIndex, judgeAudit, type JudgeContext } from '@core/trust/judge'
import { DocumentError, TransitionRefused } from './documents'
import { DEMO_IDS, DEMO_OFFICE, DEMO_PASSWORD, DEMO_USERS, demoDirectory, seedDemo } from './seed'
import { approvedMemo, setup, signInAs, tableCounts } from './test-setup'

const person = (id: string): Actor => {
  const u = DEMO_USERS.find((x) => x.id === id)!
  return { userId: u.id, name: u.name }
}
const U = DEMO_IDS.users
const zhangMin = person(U.zhangMin) // csAssistant, admin
const liQiang = person(U.liQiang) // salesperson
const wangHaiyan = person(U.wangHaiyan) // marketingHead
const chenZhiyuan = person(U.chenZhiyuan) // marketingDirector
const zhaoLei = person(U.zhaoLei) // marketingManager
const sunLixin = person(U.sunLixin) // productGroupHead
const zhouWei = person(U.zhouWei) // rdEngineer

async function seeded() {
  const ctx = await setup()
  await seedDemo(ctx.db, { forms: formById, now: ctx.now })
  const { documents, directory } = ctx
  /** Signs `actor` in, then takes the transition as them (the data layer checks the signed-in user). */
  const step = async (actor: Actor, id: string, transition: string, to: string, comment?: string, input?: { answers?: Values; confirmed?: boolean }) => {
    await signInAs(directory, actor)
    return documents.transition(id, transition, to, {}, actor, comment, input)
  }
  /** Signs `actor` in, then saves the document as them. */
  const save = async (actor: Actor, id: string, data: FormData) => {
    await signInAs(directory, actor)
    return documents.update(id, data, actor)
  }
  return { ...ctx, step, save }
}

/** The rejection of a promise (fails the test when it resolves). */
async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then((v) => { throw new Error(`expected a refusal, got ${JSON.stringify(v).slice(0, 200)}`) }, (e: unknown) => e)
}

function newCustomer(extra: Values = {}): FormData {
  return {
    values: { fullName: '苏州明辉光电科技有限公司', shortName: '明辉光电', phone: '0512-6651 0928', paymentMethod: 'cash', traded: false, ...extra },
    lines: { contacts: [{ id: 'c1', values: { name: '周建华', title: '采购', phone: '138 0000 1111', email: null } }] },
  }
}

/** 样品申请单 for a customer: one line per [product, quantity, unit]. */
function application(customer: string, items: Array<[string, string, string]> = [['PC-FR110D', '10', 'kg']], extra: Values = {}): FormData {
  return {
    values: { customer, applyDate: '2026-11-20', sampleType: 'free', ...extra },
    lines: { items: items.map(([productName, quantity, unit], i) => ({ id: `l${i}`, values: { productName, spec: null, quantity, unit, newFormula: false } })) },
  }
}

/** The data a screen holding this document would save (values and line rows as loaded). */
function asScreen(loaded: { doc: { values: Values }; lines: Array<{ id: string; field: string; values: Values }> }, values: Values = {}): FormData {
  const lines: FormData['lines'] = {}
  for (const l of loaded.lines) (lines[l.field] ??= []).push({ id: l.id, values: l.values })
  return { values: { ...loaded.doc.values, ...values }, lines }
}

describe('per-section edit rights in the data layer', () => {
  it('a salesperson cannot create a customer marked 老客户 (nothing is written), may create a new one; CS may create an old one', async () => {
    const { db, documents } = await seeded()
    const before = await tableCounts(db)
    const counters = await db.counters.toArray()
    const err = await refusal(documents.create('customer', newCustomer({ traded: true }), liQiang))
    expect(err).toBeInstanceOf(DocumentError)
    expect(err).toMatchObject({ code: 'noRight', zh: expect.stringContaining('您无权在当前状态修改：已有交易往来（老客户）') })
    expect(await tableCounts(db)).toEqual(before)
    expect(await db.counters.toArray()).toEqual(counters)
    expect((await documents.list('customer', { text: '明辉' })).rows).toEqual([])

    // A new customer (the box left unticked) is his to enter.
    const fresh = await documents.create('customer', newCustomer({ fullName: '中山市华艺照明电器有限公司', shortName: '华艺照明' }), liQiang)
    expect(fresh.doc.values.traded).toBe(false)
    // Left out altogether (an import, a copied record): still a new customer, not a refusal.
    const { traded: _t, ...withoutBox } = newCustomer({ fullName: '江门市金羚电器有限公司', shortName: '金羚电器' }).values
    const unset = await documents.create('customer', { values: withoutBox, lines: {} }, liQiang)
    expect(unset.doc.values.traded ?? null).toBeNull()

    const made = await documents.create('customer', newCustomer({ traded: true }), zhangMin)
    expect(made.doc.values.traded).toBe(true)
    expect((await documents.timeline(made.doc.id))[0]!.actor.userId).toBe(U.zhangMin)
  })

  it('the salesperson edits the other fields of an old customer, but changing 老客户 is refused and kept', async () => {
    const { db, documents, save } = await seeded()
    const made = await documents.create('customer', newCustomer({ traded: true }), zhangMin)

    const edited = await save(liQiang, made.doc.id, asScreen(made, { phone: '0512-6651 0000', remarks: '月用量约 2 吨' }))
    expect(edited.doc.values).toMatchObject({ phone: '0512-6651 0000', remarks: '月用量约 2 吨', traded: true })
    expect((await documents.timeline(made.doc.id)).at(-1)).toMatchObject({ action: 'update', actor: { userId: U.liQiang } })

    const before = await tableCounts(db)
    const err = await refusal(save(liQiang, made.doc.id, asScreen(edited, { traded: false, shortName: '明辉' })))
    expect(err).toMatchObject({ name: 'DocumentError', code: 'noRight', zh: expect.stringContaining('已有交易往来（老客户）') })
    expect(await tableCounts(db)).toEqual(before)
    const after = (await documents.load(made.doc.id))!
    expect(after.doc.values.traded).toBe(true)
    expect(after.doc.values.shortName).toBe('明辉光电') // the whole save was refused, not half of it

    // 王海燕 (marketing head) may set it.
    expect((await save(wangHaiyan, made.doc.id, asScreen(after, { traded: false }))).doc.values.traded).toBe(false)
  })

  it('the evaluation\'s 下单前补充资料 is the salesperson\'s to complete in 开发, while the other sections are locked', async () => {
    const { db, documents, step, save } = await seeded()
    const evaluation = await documents.create('customerEvaluation', {
      values: { customer: DEMO_IDS.customers.huaxing, evaluationDate: '2026-11-20', industry: 'appliance', scale: 'medium', demandProduct: '阻燃PC/ABS', salesOpinion: '电饭煲外壳，月用量约 3 吨，值得开发。' },
      lines: {},
    }, liQiang)
    await step(liQiang, evaluation.doc.id, 'submit', 'submitted')

    // While the head decides, even the completion section is closed (its states are draft and 开发).
    const submitted = (await documents.load(evaluation.doc.id))!
    await expect(save(liQiang, evaluation.doc.id, asScreen(submitted, { invoiceTitle: '深圳华兴塑胶制品有限公司' }))).rejects.toMatchObject({ code: 'noRight' })

    const developed = await step(wangHaiyan, evaluation.doc.id, 'develop', 'develop')
    expect(developed.doc.state).toBe('develop')

    const completed = await save(liQiang, evaluation.doc.id, asScreen(developed, { deliveryAddress: '深圳市宝安区石岩街道塘头工业区华兴路12号', invoiceTitle: '深圳华兴塑胶制品有限公司' }))
    expect(completed.doc.state).toBe('develop')
    expect(completed.doc.version).toBe(1)
    expect(completed.doc.values.invoiceTitle).toBe('深圳华兴塑胶制品有限公司')

    const before = await tableCounts(db)
    // Another section in 开发: refused, even together with a completion field.
    const err = await refusal(save(liQiang, evaluation.doc.id, asScreen(completed, { salesOpinion: '改过的意见', taxNo: '91440300MA5F3K7L2Q' })))
    expect(err).toMatchObject({ name: 'DocumentError', code: 'noRight', zh: expect.stringContaining('业务员评估意见') })
    expect((err as DocumentError).zh).not.toContain('税号')
    // The marketing head is not among the completion section's roles.
    await expect(save(wangHaiyan, evaluation.doc.id, asScreen(completed, { taxNo: '91440300MA5F3K7L2Q' }))).rejects.toMatchObject({ code: 'noRight' })
    expect(await tableCounts(db)).toEqual(before)
    expect((await documents.load(evaluation.doc.id))!.doc.values.salesOpinion).toBe('电饭煲外壳，月用量约 3 吨，值得开发。')
  })
})

/** A free sample application of an old customer (美达电器, traded, entered by 张敏) submitted by 李强. */
async function submitted(ctx: Awaited<ReturnType<typeof seeded>>, items?: Array<[string, string, string]>) {
  const { documents, step } = ctx
  const made = await documents.create('sampleApplication', application(DEMO_IDS.customers.meida, items), liQiang)
  const r = await step(liQiang, made.doc.id, 'submit', 'review')
  expect(r.doc.state).toBe('review')
  return r.doc.id
}

/** Through the countersign (head, director, and the manager for a free 10 kg) to 技术可行性评估. */
async function atFeasibility(ctx: Awaited<ReturnType<typeof seeded>>) {
  const id = await submitted(ctx)
  await ctx.step(wangHaiyan, id, 'sign-review-head', 'review')
  await ctx.step(chenZhiyuan, id, 'sign-review-director', 'review')
  expect((await ctx.step(zhaoLei, id, 'sign-review-manager', 'feasibility')).doc.state).toBe('feasibility')
  return id
}

describe('countersign (会签) through the data layer', () => {
  it('R3: a free 10 kg sample waits in review for the head, the director and the manager; each sign-off is kept', async () => {
    const ctx = await seeded()
    const { db, documents, step } = ctx
    const id = await submitted(ctx)
    expect((await documents.load(id))!.doc.values.totalKg).toBe('10.000')

    const head = await step(wangHaiyan, id, 'sign-review-head', 'review')
    expect(head.doc.state).toBe('review')
    expect(head.doc.values[signoffKey('review', 'head')]).toMatch(/^王海燕 \d{4}-\d{2}-\d{2}$/)

    // The director's sign-off does not complete it (the manager is still missing): a caller
    // expecting 技术可行性评估 is told the countersign changed, and nothing is written.
    let before = await tableCounts(db)
    await expect(step(chenZhiyuan, id, 'sign-review-director', 'feasibility')).rejects.toMatchObject({ name: 'DocumentError', code: 'stateChanged' })
    expect(await tableCounts(db)).toEqual(before)
    expect((await documents.load(id))!.doc.values[signoffKey('review', 'director')]).toBeNull()

    const director = await step(chenZhiyuan, id, 'sign-review-director', 'review')
    expect(director.doc.state).toBe('review')
    expect(director.doc.values[signoffKey('review', 'head')]).toMatch(/^王海燕 /)
    expect(director.doc.values[signoffKey('review', 'director')]).toMatch(/^陈志远 /)

    // One sign-off per member: the head again, or CS recording the head's phone approval, is refused.
    before = await tableCounts(db)
    const again = await refusal(step(wangHaiyan, id, 'sign-review-head', 'review'))
    expect(again).toBeInstanceOf(TransitionRefused)
    expect(again).toMatchObject({ check: { reason: 'signed', message: { zh: '“会签：营销部负责人审核”已签过' } } })
    await expect(step(zhangMin, id, 'phone-review-head', 'review', '王海燕电话同意')).rejects.toMatchObject({ name: 'TransitionRefused', check: { reason: 'signed' } })
    // Nor may a salesperson sign the manager's part.
    await expect(step(liQiang, id, 'sign-review-manager', 'feasibility')).rejects.toMatchObject({ name: 'TransitionRefused', check: { reason: 'role' } })
    expect(await tableCounts(db)).toEqual(before)

    const done = await step(zhaoLei, id, 'sign-review-manager', 'feasibility')
    expect(done.doc.state).toBe('feasibility')
    expect(done.doc.values[signoffKey('review', 'manager')]).toMatch(/^赵磊 /)
    expect(done.doc.values[signoffKey('review', 'head')]).toMatch(/^王海燕 /)
    expect(done.doc.values[signoffKey('review', 'director')]).toMatch(/^陈志远 /)

    const trail = await documents.timeline(id)
    expect(trail.map((e) => [e.action, e.actor.name])).toEqual([
      ['create', '李强'], ['transition:submit', '李强'], ['transition:sign-review-head', '王海燕'],
      ['transition:sign-review-director', '陈志远'], ['transition:sign-review-manager', '赵磊'],
    ])
    expect(trail[2]!.changes).toContainEqual({ field: 'state', from: 'review', to: 'review' })
    expect(trail[4]!.changes).toContainEqual({ field: 'state', from: 'review', to: 'feasibility' })
  })

  it('R3: a free 5 kg sample needs no manager: the head and the director complete it', async () => {
    const ctx = await seeded()
    const id = await submitted(ctx, [['PC-FR110D', '5', 'kg']])
    await ctx.step(chenZhiyuan, id, 'sign-review-director', 'review')
    await expect(ctx.step(zhaoLei, id, 'sign-review-manager', 'review')).rejects.toMatchObject({ check: { reason: 'condition' } })
    expect((await ctx.step(wangHaiyan, id, 'sign-review-head', 'feasibility')).doc.state).toBe('feasibility')
  })
})

describe('fields asked at a transition, and its assignee', () => {
  it('R2: the product-group head must name the engineer; only that engineer replies the lead time', async () => {
    const ctx = await seeded()
    const { db, documents, directory, step } = ctx
    const id = await atFeasibility(ctx)

    let before = await tableCounts(db)
    const noEngineer = await refusal(step(sunLixin, id, 'feasible', 'making'))
    expect(noEngineer).toMatchObject({ name: 'TransitionRefused', check: { reason: 'asks', message: { zh: expect.stringContaining('责任研发工程师') } } })
    expect(await tableCounts(db)).toEqual(before)

    const assigned = await step(sunLixin, id, 'feasible', 'making', '配方可行', { answers: { engineer: zhouWei.userId } })
    expect(assigned.doc.state).toBe('making')
    expect(assigned.doc.values.engineer).toBe(zhouWei.userId)
    expect((await documents.timeline(id)).at(-1)!.changes).toContainEqual({ field: 'engineer', from: null, to: zhouWei.userId })

    // A second R&D engineer, added by the administrator: not the assignee.
    await signInAs(directory, zhangMin)
    const wu = await directory.saveUser({ name: '吴工', dept: '工程部', roles: ['rdEngineer'], active: true }, DEMO_PASSWORD)
    const wuGong: Actor = { userId: wu.id, name: wu.name }
    before = await tableCounts(db)
    const notHis = await refusal(step(wuGong, id, 'replyLeadTime', 'scheduled', undefined, { answers: { leadTime: '2026-12-08' } }))
    expect(notHis).toMatchObject({ name: 'TransitionRefused', check: { reason: 'assignee', message: { zh: expect.stringContaining('已指派给周伟') } } })
    // Someone of another role is refused as well.
    await expect(step(liQiang, id, 'replyLeadTime', 'scheduled', undefined, { answers: { leadTime: '2026-12-08' } })).rejects.toMatchObject({ name: 'TransitionRefused' })
    // The assignee must give the lead time.
    await expect(step(zhouWei, id, 'replyLeadTime', 'scheduled')).rejects.toMatchObject({ check: { reason: 'asks' } })
    expect(await tableCounts(db)).toEqual(before)

    const replied = await step(zhouWei, id, 'replyLeadTime', 'scheduled', undefined, { answers: { leadTime: '2026-12-08' } })
    expect(replied.doc.state).toBe('scheduled')
    expect(replied.doc.values.leadTime).toBe('2026-12-08')
    expect(replied.doc.values.engineer).toBe(zhouWei.userId)
  })

  it('the engineer and the lead time are written by their transitions only, never by a save', async () => {
    const ctx = await seeded()
    const { db, documents, step, save } = ctx
    const id = await submitted(ctx, [['PC-FR110D', '5', 'kg']])
    // A draft saved with the engineer and a lead time already filled in (a tampered screen).
    await step(liQiang, id, 'withdraw', 'draft')
    const draft = (await documents.load(id))!
    const forged = await save(liQiang, id, asScreen(draft, { engineer: zhouWei.userId, leadTime: '2026-11-21', contact: '何俊' }))
    expect(forged.doc.values.contact).toBe('何俊')
    expect(forged.doc.values.engineer ?? null).toBeNull()
    expect(forged.doc.values.leadTime ?? null).toBeNull()

    await step(liQiang, id, 'submit', 'review')
    await step(wangHaiyan, id, 'sign-review-head', 'review')
    await step(chenZhiyuan, id, 'sign-review-director', 'feasibility')
    const making = await step(sunLixin, id, 'feasible', 'making', undefined, { answers: { engineer: zhouWei.userId } })
    // In 制样中 the salesperson's save cannot reassign the engineer or give a lead time.
    const before = await tableCounts(db)
    await save(liQiang, id, asScreen(making, { engineer: U.zhangMin, leadTime: '2026-11-21' })).catch(() => undefined)
    expect(await tableCounts(db)).toEqual(before)
    const after = (await documents.load(id))!.doc
    expect(after.values.engineer).toBe(zhouWei.userId)
    expect(after.values.leadTime ?? null).toBeNull()
    expect(after.state).toBe('making')
  })
})

describe('warnings confirmed at a transition', () => {
  it('R4: a charged sample of 300 PCS is submitted only once the warning is confirmed, and the audit keeps it', async () => {
    const ctx = await seeded()
    const { db, documents, step } = ctx
    const made = await documents.create('sampleApplication', application(DEMO_IDS.customers.meida, [['PC-FR110D 注塑样板', '300', 'pcs']], { sampleType: 'charged', orderNo: 'PO-2611-088' }), liQiang)
    const before = await tableCounts(db)
    const err = await refusal(step(liQiang, made.doc.id, 'submit', 'review'))
    expect(err).toBeInstanceOf(TransitionRefused)
    expect(err).toMatchObject({ check: { reason: 'warning', rule: 'R4', message: { zh: '计价样品一般不超过 200 PCS，本单 300 PCS' } } })
    expect((err as TransitionRefused).check.warnings).toHaveLength(1)
    expect(await tableCounts(db)).toEqual(before)
    expect((await documents.load(made.doc.id))!.doc.state).toBe('draft')

    const r = await step(liQiang, made.doc.id, 'submit', 'review', undefined, { confirmed: true })
    expect(r.doc.state).toBe('review')
    const entry = (await documents.timeline(made.doc.id)).at(-1)!
    expect(entry.action).toBe('transition:submit')
    const confirmed = entry.changes.find((c) => c.field === 'confirmedWarnings')
    expect(confirmed?.to).toEqual([{ rule: 'R4', clause: '§5.2', message: { zh: '计价样品一般不超过 200 PCS，本单 300 PCS', en: 'A charged sample is normally at most 200 PCS; this one is 300' } }])
    // Only the state moved in the document: the confirmation is in the signed entry, not a value.
    expect(r.doc.values).not.toHaveProperty('confirmedWarnings')
  })

  it('R4: a charged sample without the customer\'s order number stays refused, confirmed or not', async () => {
    const ctx = await seeded()
    const made = await ctx.documents.create('sampleApplication', application(DEMO_IDS.customers.meida, [['PC-FR110D', '5', 'kg']], { sampleType: 'charged' }), liQiang)
    await expect(ctx.step(liQiang, made.doc.id, 'submit', 'review', undefined, { confirmed: true })).rejects.toMatchObject({ check: { reason: 'guard', rule: 'R4' } })
  })
})

describe('撤回 and 作废', () => {
  it('only the submitter withdraws, and only before anyone has signed', async () => {
    const ctx = await seeded()
    const { db, documents, step } = ctx
    const id = await submitted(ctx)
    expect((await step(liQiang, id, 'withdraw', 'draft')).doc.state).toBe('draft')

    await step(liQiang, id, 'submit', 'review')
    let before = await tableCounts(db)
    const notHers = await refusal(step(wangHaiyan, id, 'withdraw', 'draft'))
    expect(notHers).toMatchObject({ name: 'TransitionRefused', check: { reason: 'separation', message: { zh: '只有提交人本人可以撤回' } } })
    expect(await tableCounts(db)).toEqual(before)

    await step(wangHaiyan, id, 'sign-review-head', 'review')
    before = await tableCounts(db)
    const tooLate = await refusal(step(liQiang, id, 'withdraw', 'draft'))
    expect(tooLate).toMatchObject({ name: 'TransitionRefused', check: { reason: 'condition' } })
    expect(await tableCounts(db)).toEqual(before)
    expect((await documents.load(id))!.doc.state).toBe('review')
    expect((await documents.timeline(id)).map((e) => e.action)).toEqual(['create', 'transition:submit', 'transition:withdraw', 'transition:submit', 'transition:sign-review-head'])
  })

  it('a voided draft leaves the register and its count, but still opens as 已作废', async () => {
    const ctx = await seeded()
    const { db, documents, step } = ctx
    const keep = await documents.create('sampleApplication', application(DEMO_IDS.customers.meida), liQiang)
    const drop = await documents.create('sampleApplication', application(DEMO_IDS.customers.meida, [['PC-FR115D', '3', 'kg']]), liQiang)
    const listed = await documents.list('sampleApplication', {})
    expect(listed.rows.map((r) => r.id)).toEqual([drop.doc.id, keep.doc.id])
    expect(listed.total).toBe(2)
    expect(await documents.count('sampleApplication')).toBe(2)

    const before = await tableCounts(db)
    await expect(step(liQiang, drop.doc.id, 'void', 'voided')).rejects.toMatchObject({ check: { reason: 'comment' } })
    expect(await tableCounts(db)).toEqual(before)

    const voided = await step(liQiang, drop.doc.id, 'void', 'voided', '客户取消打样')
    expect(voided.doc.state).toBe('voided')
    const after = await documents.list('sampleApplication', {})
    expect(after.rows.map((r) => r.id)).toEqual([keep.doc.id])
    expect(after.total).toBe(1)
    expect(await documents.count('sampleApplication')).toBe(1)
    expect((await documents.list('sampleApplication', { text: drop.doc.number })).rows).toEqual([])

    const loaded = (await documents.load(drop.doc.id))!
    expect(loaded.doc.state).toBe('voided')
    expect(loaded.doc.deleted).toBeUndefined()
    expect((await documents.timeline(drop.doc.id)).at(-1)).toMatchObject({ action: 'transition:void', comment: '客户取消打样' })
    // A void document takes no further step.
    await expect(step(liQiang, drop.doc.id, 'submit', 'review')).rejects.toMatchObject({ name: 'DocumentError', code: 'stateChanged' })
  })
})

describe('attachment fields', () => {
  function confirmation(extra: Values = {}): FormData {
    return {
      values: { customer: DEMO_IDS.customers.meida, confirmDate: '2026-11-20', physical: 'pass', processing: 'pass', appearance: 'pass', colourOk: 'pass', ...extra },
      lines: { items: [{ id: 'l1', values: { productName: 'PC-FR110D', spec: '乳白 W1102', item: '透光率（2mm）', method: 'ASTM D1003', required: '≥ 55%', measured: '56.1%', verdict: 'pass' } }] },
    }
  }
  const file = (name: string, text: string) => ({ name, mime: 'image/jpeg', bytes: new TextEncoder().encode(text) })

  it('each file raises its field\'s count (a duplicate does not); a stale screen never lowers it; an unknown field is refused', async () => {
    const { db, documents, save } = await seeded()
    const made = await documents.create('sampleConfirmation', confirmation(), liQiang)
    const stale = (await documents.load(made.doc.id))!
    expect(stale.doc.values.colourCard ?? 0).toBe(0)

    const first = await documents.addAttachment(made.doc.id, file('色卡-正面.jpg', 'colour card front'), { kind: 'file', field: 'colourCard' }, liQiang)
    expect(first.duplicate).toBe(false)
    expect((await documents.load(made.doc.id))!.doc.values.colourCard).toBe(1)
    await documents.addAttachment(made.doc.id, file('色卡-背面.jpg', 'colour card back'), { kind: 'file', field: 'colourCard' }, liQiang)
    expect((await documents.load(made.doc.id))!.doc.values.colourCard).toBe(2)
    const again = await documents.addAttachment(made.doc.id, file('色卡-正面 (1).jpg', 'colour card front'), { kind: 'file', field: 'colourCard' }, liQiang)
    expect(again.duplicate).toBe(true)
    expect((await documents.load(made.doc.id))!.doc.values.colourCard).toBe(2)
    const imports = (await documents.timeline(made.doc.id)).filter((e) => e.action === 'import')
    expect(imports.map((e) => e.changes.find((c) => c.field === 'colourCard'))).toEqual([
      { field: 'colourCard', from: 0, to: 1 }, { field: 'colourCard', from: 1, to: 2 },
    ])
    expect((await documents.attachments(made.doc.id)).map((a) => a.field)).toEqual(['colourCard', 'colourCard'])

    // The screen opened before the uploads still says 0: its save changes the conclusion only.
    const saved = await save(liQiang, made.doc.id, asScreen(stale, { colourCard: 0, conclusion: '物性、外观均合格' }))
    expect(saved.doc.values.colourCard).toBe(2)
    expect(saved.doc.values.conclusion).toBe('物性、外观均合格')
    expect((await documents.timeline(made.doc.id)).at(-1)!.changes.map((c) => c.field)).toEqual(['conclusion'])

    const before = await tableCounts(db)
    await expect(documents.addAttachment(made.doc.id, file('x.jpg', 'x'), { kind: 'file', field: 'colorCard' }, liQiang))
      .rejects.toMatchObject({ name: 'DocumentError', message: expect.stringContaining('没有附件栏“colorCard”') })
    // A field that is not an attachment field is refused too.
    await expect(documents.addAttachment(made.doc.id, file('y.jpg', 'y'), { kind: 'file', field: 'conclusion' }, liQiang)).rejects.toMatchObject({ name: 'DocumentError' })
    expect(await tableCounts(db)).toEqual(before)
    expect((await documents.load(made.doc.id))!.doc.values.colourCard).toBe(2)
  })

  it('a new document starts with no files counted, whatever the screen sends', async () => {
    const { documents } = await seeded()
    const made = await documents.create('sampleConfirmation', confirmation({ colourCard: 3, specSheets: 1 }), liQiang)
    expect(made.doc.values.colourCard ?? 0).toBe(0)
    expect(made.doc.values.specSheets ?? 0).toBe(0)
    expect(await documents.attachments(made.doc.id)).toEqual([])
  })
})

describe('the judge on another PC', () => {
  it('refuses a sign-off that completes a countersign while an unconditional member never signed', async () => {
    const ctx = await seeded()
    const { documents } = ctx
    const id = await atFeasibility(ctx)
    const trail = await documents.timeline(id)
    const completing = trail.at(-1)!
    expect(completing.action).toBe('transition:sign-review-manager')

    const judge = async (known: AuditEntry[]): Promise<JudgeContext> => ({
      dir: new DirectoryIndex(await demoDirectory(), DEMO_OFFICE.genesis),
      form: (f) => formById(f),
      lastActor: (docId, ts, before) => known.filter((e) => e.docId === docId && e.at < before && ts.some((t) => e.action === `transition:${t}`)).at(-1)?.actor.userId,
      valueBefore: (docId, field, before) => known.filter((e) => e.docId === docId && e.at < before && e.changes.some((c) => c.field === field)).at(-1)?.changes.find((c) => c.field === field)?.to,
    })
    // As written here, with every sign-off before it: accepted on every PC.
    expect(judgeAudit(completing, await judge(trail))).toEqual({ v: 'accepted' })
    // A PC whose trail has no director's sign-off (never made, or made by someone else's forgery and refused).
    const withoutDirector = trail.filter((e) => e.action !== 'transition:sign-review-director')
    expect(judgeAudit(completing, await judge(withoutDirector))).toMatchObject({ v: 'refused', reason: { zh: '会签未齐（缺营销总监签核）' } })
    const withoutHead = trail.filter((e) => e.action !== 'transition:sign-review-head')
    expect(judgeAudit(completing, await judge(withoutHead))).toMatchObject({ v: 'refused', reason: { zh: '会签未齐（缺营销部负责人审核）' } })
    // A sign-off that stays in the countersign needs no other member.
    const headEntry = trail.find((e) => e.action === 'transition:sign-review-head')!
    expect(judgeAudit(headEntry, await judge([]))).toEqual({ v: 'accepted' })
  })
})

describe('approval chains the administrator changes without code', () => {
  it('the head\'s step given to the director: the head is refused, the director signs for it; a salesperson may not change the chain', async () => {
    const { documents, directory, step } = await seeded()
    const memo = await approvedMemo({ documents, directory })
    await signInAs(directory, liQiang)
    await expect(directory.saveOfficeSettings({ ...(await directory.officeSettings()), approvals: { sampleApplication: { 'review.head': ['salesperson'] } }, policyMemo: memo })).rejects.toBeDefined()
    await signInAs(directory, zhangMin)
    await directory.saveOfficeSettings({ ...(await directory.officeSettings()), approvals: { sampleApplication: { 'review.head': ['marketingDirector'] } }, policyMemo: memo })
    expect((await directory.officeSettings()).approvals).toEqual({ sampleApplication: { 'review.head': ['marketingDirector'] } })
    await signInAs(directory, liQiang)
    const { doc } = await documents.create('sampleApplication', application(DEMO_IDS.customers.meida, [['PC-FR110D', '5', 'kg']]), liQiang)
    await step(liQiang, doc.id, 'submit', 'review')
    const refused = await refusal(step(wangHaiyan, doc.id, 'sign-review-head', 'review'))
    expect(refused).toBeInstanceOf(TransitionRefused)
    await step(chenZhiyuan, doc.id, 'sign-review-head', 'review')
    expect((await step(chenZhiyuan, doc.id, 'sign-review-director', 'feasibility')).doc.state).toBe('feasibility')
  })
})
