/**
 * The order stage as the data layer enforces it, whatever the screen sent: the agreed quotation's
 * terms are kept on the contract from the quotation itself (mirrored, never typed: R12 compares
 * with what was agreed), and a GM step above an amount exists only once the administrator set one
 * (R11). Every write runs as the signed-in demo user.
 */
import { describe, expect, it } from 'vitest'
import type { FormData, Values } from '@forms/schema/types'
import type { Actor } from '@core/model'
import { formById } from '@forms/registry'
import { termDifferences } from '@core/compare'
import { toFormData } from '@app/stores/documents'
import { DEMO_IDS, DEMO_USERS, seedDemo } from './seed'
import { approvedMemo, setup, signInAs } from './test-setup'

const person = (id: string): Actor => {
  const u = DEMO_USERS.find((x) => x.id === id)!
  return { userId: u.id, name: u.name }
}
const U = DEMO_IDS.users
const zhangMin = person(U.zhangMin) // csAssistant, admin
const liQiang = person(U.liQiang) // salesperson
const chenZhiyuan = person(U.chenZhiyuan) // marketingDirector
const liuJianguo = person(U.liuJianguo) // generalManager
const contract = formById('contract')

async function seeded() {
  const ctx = await setup()
  await seedDemo(ctx.db, { forms: formById, now: ctx.now })
  const step = async (actor: Actor, id: string, transition: string, to: string, input?: { answers?: Values; confirmed?: boolean }) => {
    await signInAs(ctx.directory, actor)
    return ctx.documents.transition(id, transition, to, {}, actor, undefined, input)
  }
  return { ...ctx, step }
}

/** A contract for 美达 (a trading customer) naming the demo quotation, as a screen might send it. */
function contractFor(extra: Values = {}, price = 2380): FormData {
  return {
    values: {
      customer: DEMO_IDS.customers.meida, quotation: DEMO_IDS.quotation, signDate: '2026-11-30', deliveryDate: '2026-12-20',
      tradeMethod: '送货上门', paymentMethod: 'credit', creditDays: 60, deliveryPlace: '佛山市顺德区北滘镇美达电器仓库',
      packaging: '25kg/袋，汽运', qualityRequirement: '按双方确认的样品及色卡，UL94 V-0，符合 RoHS', ...extra,
    },
    lines: { items: [{ id: 'i1', values: { productName: '阻燃PC/ABS合金', spec: 'HT-8130 黑色 UL94 V-0', quantity: '5000', unit: 'kg', unitPrice: price, taxRate: '13', quotedPrice: 1 } }] },
  }
}

describe('the agreed terms on a contract are the quotation\'s, kept by the data layer (R12)', () => {
  it('what the screen sends for the agreed terms is replaced by the quotation\'s, on create and on every save', async () => {
    const { documents, directory } = await seeded()
    await signInAs(directory, liQiang)
    const forged = contractFor({ agreedCreditDays: 60, agreedPaymentMethod: 'prepay' })
    forged.values.creditDays = 90
    const { doc, lines } = await documents.create('contract', forged, liQiang)
    // The quotation says 账期 60 days and ¥23.80: the contract's 90 days is a difference the screen cannot hide.
    expect(doc.values.agreedCreditDays).toBe(60)
    expect(doc.values.agreedPaymentMethod).toBe('credit')
    expect(lines[0]!.values.quotedPrice).toBe(2380)
    const data = toFormData(contract, { doc, lines })
    expect(termDifferences(contract, contract.compare!, data).map((d) => [d.label.zh, d.agreed, d.now])).toEqual([['信用期（天）', 60, 90]])
    // A later save sending other agreed values keeps the quotation's.
    const again = await documents.update(doc.id, { ...data, values: { ...data.values, agreedCreditDays: 90 } }, liQiang)
    expect(again.doc.values.agreedCreditDays).toBe(60)
  })
})

describe('the GM above an amount, only once the administrator sets one (R11)', () => {
  it('without an amount the director completes the review; with 0 set the GM must sign as well, and the director alone leaves it in review', async () => {
    const { documents, directory, step } = await seeded()
    await signInAs(directory, liQiang)
    const first = await documents.create('contract', contractFor(), liQiang)
    await step(liQiang, first.doc.id, 'submit', 'review')
    expect((await step(chenZhiyuan, first.doc.id, 'sign-review-director', 'approved')).doc.state).toBe('approved')

    const memo = await approvedMemo({ documents, directory })
    await signInAs(directory, zhangMin)
    await directory.saveOfficeSettings({ ...(await directory.officeSettings()), approvalLimits: { contract: { 'review.gm': 0 } }, policyMemo: memo })
    await signInAs(directory, liQiang)
    const second = await documents.create('contract', contractFor(), liQiang)
    await step(liQiang, second.doc.id, 'submit', 'review')
    // The director's sign-off expecting completion is refused with nothing written; expecting review it is kept.
    expect(await step(chenZhiyuan, second.doc.id, 'sign-review-director', 'approved').catch((e: unknown) => e)).toMatchObject({ message: expect.stringContaining('会签情况已变化') })
    expect((await step(chenZhiyuan, second.doc.id, 'sign-review-director', 'review')).doc.state).toBe('review')
    expect((await step(liuJianguo, second.doc.id, 'sign-review-gm', 'approved')).doc.state).toBe('approved')
  })
})
