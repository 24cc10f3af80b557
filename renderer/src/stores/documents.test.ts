// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, type DataLayer } from '@app/data'
import { setBackend } from './backend'
import { localToday, useSessionStore } from './session'
import { useDocumentsStore } from './documents'
import { searchWordsFor } from '@app/data/documents'
import { customer } from '@forms/customer/customer.form'

const Q = DEMO_IDS.quotation
let data: DataLayer

beforeEach(async () => {
  localStorage.clear()
  data = await openDataLayer({ name: `inbox-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  setBackend(data)
  setActivePinia(createPinia())
  await useSessionStore().load()
})

describe('inbox', () => {
  it('brings a pending quotation to the approver (here 赵磊, acting for 陈志远) behind more than 500 newer quotations', async () => {
    await useSessionStore().signIn(DEMO_IDS.users.zhangMin, DEMO_PASSWORD) // every write is signed by who is signed in
    await data.documents.transition(Q, 'submit', 'pending', {}, { userId: DEMO_IDS.users.zhangMin, name: '张敏' })
    // 600 quotations changed after it, none waiting on an approver.
    const template = (await data.db.docs.get(Q))!
    await data.db.docs.bulkPut(Array.from({ length: 600 }, (_, i) => ({
      ...template, id: crypto.randomUUID(), number: `BJ2699-T-${String(i).padStart(4, '0')}`,
      state: i % 2 ? 'approved' : 'signed', updatedAt: `2099-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
    })))

    const session = useSessionStore()
    const zhao = session.users.find((u) => u.id === DEMO_IDS.users.zhaoLei)!
    await session.signIn(zhao.id, DEMO_PASSWORD, session.proxyChoices(zhao)[0]!.grant.id)
    const items = await useDocumentsStore().inbox()
    const pending = items.find((i) => i.doc.id === Q)
    expect(pending?.doc.state).toBe('pending')
    expect(pending?.actions.map((a) => a.transition.id).sort()).toEqual(['approve', 'reject'])
    expect(pending?.actions[0]!.actor.actingFor?.name).toBe('陈志远')
    // Only what waits on him: none of the newer quotations.
    expect(items.filter((i) => i.form.id === 'quotation').map((i) => i.doc.id)).toEqual([Q])
  })
})

describe('possible duplicate customers', () => {
  const CITIES = ['深圳市', '深圳', '东莞市', '佛山市', '广州市', '中山市', '惠州市', '宁波市', '苏州市', '厦门市']
  const BRANDS = ['美达', '精诚', '华艺', '德赛', '海天', '新锐', '宏发', '白云', '格林', '金羚', '恒通', '永盛', '宏图', '嘉信', '鸿运',
    '联创', '富华', '星河', '振华', '盛世', '明阳', '天润', '佳美', '立达', '广源', '凯旋', '瑞丰', '通达', '百胜', '南方']
  const TRADES = ['塑胶制品', '电器', '模具', '照明电器', '汽车零部件', '家电配件', '电子', '电声', '包装材料', '医疗器械', '五金', '玩具', '机电', '光电', '精密', '新材料', '日用品', '工贸', '橡塑', '注塑']

  // 6,000 other customers, all changed after 华兴 (so 华兴 is not among the newest 5,000), many in 深圳.
  beforeEach(async () => {
    const template = (await data.db.docs.get(DEMO_IDS.customers.huaxing))!
    await data.db.docs.bulkPut(Array.from({ length: 6000 }, (_, i) => {
      const fullName = `${CITIES[i % 10]}${BRANDS[Math.floor(i / 10) % 30]}${TRADES[Math.floor(i / 300)]}有限公司`
      const number = `KH2699-T-${String(i).padStart(4, '0')}`
      const values = { ...template.values, fullName, shortName: null, phone: null, taxNo: null }
      return { ...template, id: crypto.randomUUID(), number, values, searchWords: searchWordsFor(customer, number, values, fullName), updatedAt: `2099-01-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z` }
    }))
  })

  it('flags 深圳市华兴塑胶 as a possible duplicate of 深圳华兴塑胶制品有限公司', async () => {
    const similar = await useDocumentsStore().similarTitles('customer', '深圳市华兴塑胶')
    expect(similar.map((s) => s.name)).toEqual(['深圳华兴塑胶制品有限公司'])
    expect(similar[0]!.id).toBe(DEMO_IDS.customers.huaxing)
  })

  it('flags nothing for an unrelated name', async () => {
    expect(await useDocumentsStore().similarTitles('customer', '杭州青山纺织有限公司')).toEqual([])
  })

  it('finds one of the many 深圳 customers under its own name written another way', async () => {
    const similar = await useDocumentsStore().similarTitles('customer', '深圳美达塑胶制品厂')
    expect(similar.map((s) => s.name)).toContain('深圳市美达塑胶制品有限公司')
  })
})

describe('products in quotations', () => {
  const P = DEMO_IDS.products.pcAbs
  const line = (product: string | null, productName: string, unitPrice: number) => ({ id: crypto.randomUUID(), values: { product, productName, quantity: '1000', unit: 'kg', unitPrice, taxRate: '13' } })
  const quote = (quoteDate: string, items: ReturnType<typeof line>[]) => ({
    values: { customer: DEMO_IDS.customers.meida, quoteDate, validUntil: '2026-12-31', currency: 'CNY', paymentMethod: 'credit', creditDays: 60 },
    lines: { items },
  })

  it('the product picker names a product by its code and 品名, found by either', async () => {
    const docs = useDocumentsStore()
    for (const text of ['阻燃PC', 'HT-PC/ABS']) {
      const found = await docs.searchRefs('product', text)
      expect(found.find((o) => o.id === P)?.label, text).toMatch(/^HT-PC\/ABS-8130 阻燃PC\/ABS合金（CP\d{4}-DM-0001）$/)
    }
    expect(await docs.refLabel('product', P)).toMatch(/^HT-PC\/ABS-8130 阻燃PC\/ABS合金（CP/)
  })

  it('recalls the customer\'s last prices for a product from its quotations, newest first, leaving out the one being edited', async () => {
    await useSessionStore().signIn(DEMO_IDS.users.liQiang, DEMO_PASSWORD)
    const sales = { userId: DEMO_IDS.users.liQiang, name: '李强' }
    const older = await data.documents.create('quotation', quote('2026-10-08', [line(P, '阻燃PC/ABS合金', 2450), line(null, '黑色母粒', 3680)]), sales)
    const newer = await data.documents.create('quotation', quote('2026-11-05', [line(P, '阻燃PC/ABS合金', 2320)]), sales)
    const docs = useDocumentsStore()
    const q = { form: 'quotation', lines: 'items', column: 'product', by: DEMO_IDS.customers.meida, refs: [P, DEMO_IDS.products.pcPbt] }
    const found = await docs.recall(q)
    expect(found[P]!.map((e) => [e.number, e.value])).toEqual([[newer.doc.number, 2320], [older.doc.number, 2450]])
    expect(found[DEMO_IDS.products.pcPbt]).toEqual([])
    // Editing the newer one: its own price is not "last time".
    expect((await docs.recall({ ...q, exclude: newer.doc.id }))[P]!.map((e) => e.number)).toEqual([older.doc.number])
    // Another customer was never quoted it.
    expect((await docs.recall({ ...q, by: DEMO_IDS.customers.huaxing }))[P]).toEqual([])
  })
})

describe('make from (从…生成) and the chain', () => {
  it('an application made from a decided evaluation carries its customer, needs and contact, and the chain links both ways', async () => {
    const session = useSessionStore()
    await session.signIn(DEMO_IDS.users.liQiang, DEMO_PASSWORD)
    const docs = useDocumentsStore()
    const customerId = DEMO_IDS.customers.huaxing
    const evaluation = await docs.deriveFrom((await import('@forms/customer-evaluation/customer-evaluation.form')).customerEvaluation, customerId)
    expect(evaluation?.values).toMatchObject({ customer: customerId, address: '广东省深圳市宝安区石岩街道塘头工业区华兴路12号', phone: '0755-2761 5380' })
    evaluation!.values.demandProduct = '阻燃PC/ABS合金 HT-8130'
    evaluation!.values.salesOpinion = '建议开发'
    const saved = await docs.save('customerEvaluation', undefined, evaluation!)
    // Decided 开发 (written directly: this test is about what follows from it).
    await data.db.docs.update(saved.doc.id, { state: 'develop' })
    const { sampleApplication } = await import('@forms/sample-application/sample-application.form')
    const made = await docs.deriveFrom(sampleApplication, saved.doc.id)
    expect(made?.values).toMatchObject({ customer: customerId, evaluation: saved.doc.id, contact: '黄志华' })
    expect(made?.lines.items?.[0]?.values).toMatchObject({ productName: '阻燃PC/ABS合金 HT-8130', unit: 'kg' })
    made!.lines.items![0]!.values.quantity = '5'
    const app = await docs.save('sampleApplication', undefined, made!)
    const chain = await docs.chain(app.doc.id)
    expect(chain.map((n) => [n.form.id, n.depth])).toEqual([['customerEvaluation', -1], ['sampleApplication', 0]])
    expect((await docs.chain(saved.doc.id)).map((n) => [n.form.id, n.depth])).toEqual([['customerEvaluation', 0], ['sampleApplication', 1]])
  })
})

describe('a visit plan\'s progress and 生成拜访表 from its line', () => {
  it('shows each planned visit live: 待拜访 until a visit made from the line is recorded, then 已拜访 with its number', async () => {
    const session = useSessionStore()
    await session.signIn(DEMO_IDS.users.liQiang, DEMO_PASSWORD)
    const docs = useDocumentsStore()
    const { visitPlan } = await import('@forms/visit-plan/visit-plan.form')
    const { visitRecord } = await import('@forms/visit-record/visit-record.form')
    const today = localToday()
    const plan = await docs.save('visitPlan', undefined, {
      values: { periodKind: 'month', periodStart: today, periodEnd: today, planner: DEMO_IDS.users.liQiang },
      lines: { visits: [{ id: crypto.randomUUID(), values: { customer: DEMO_IDS.customers.meida, salesperson: DEMO_IDS.users.liQiang, plannedDate: today, purpose: 'newProduct' } }] },
    })
    await data.db.docs.update(plan.doc.id, { state: 'approved' }) // approval itself is the workflow's test
    const approved = (await docs.load(plan.doc.id))!
    expect((await docs.progress(visitPlan, approved))?.summary.zh).toBe('计划 1，已完成 0，未完成 1（其中已过期 0），完成率 0%')
    expect(docs.lineDerivations(visitPlan, approved, 'visits').map((d) => d.target.id)).toEqual(['visitRecord'])

    const made = await docs.deriveFrom(visitRecord, plan.doc.id, approved.lines[0]!.id)
    expect(made?.values).toMatchObject({ customer: DEMO_IDS.customers.meida, salesperson: DEMO_IDS.users.liQiang, visitDate: today, purpose: 'newProduct', plan: plan.doc.id, planLine: 1 })
    expect(made?.values.address).toBeTruthy() // the customer's record filled it, as picking it would
    expect(await docs.deriveFrom(visitRecord, plan.doc.id)).toBeUndefined() // a plan line, not the whole plan
    made!.values.discussed = '介绍 PC/ABS 阻燃新料'
    const visit = await docs.save('visitRecord', undefined, made!)
    const after = await docs.progress(visitPlan, (await docs.load(plan.doc.id))!)
    expect(after?.rows[0]).toMatchObject({ status: { zh: '已拜访' }, doc: { id: visit.doc.id, number: visit.doc.number }, open: false })
    expect(after?.summary.zh).toContain('完成率 100%')
  })
})

describe('我发起的 and 已办', () => {
  it('lists what the user started and what they acted on, newest first, not what others did', async () => {
    const session = useSessionStore()
    await session.signIn(DEMO_IDS.users.zhangMin, DEMO_PASSWORD)
    const docs = useDocumentsStore()
    // 张敏 submits the demo quotation (made by 李强); 李强 started it, 张敏 acted on it.
    await data.documents.transition(Q, 'submit', 'pending', {}, { userId: DEMO_IDS.users.zhangMin, name: '张敏' })
    const done = await docs.done()
    expect(done.map((d) => [d.doc.id, d.action])).toEqual([[Q, '提交审批']])
    expect((await docs.mine()).map((d) => d.doc.id)).not.toContain(Q)
    session.signOut()
    await session.signIn(DEMO_IDS.users.liQiang, DEMO_PASSWORD)
    expect((await docs.mine()).map((d) => d.doc.id)).toContain(Q)
    expect(await docs.done()).toEqual([])
  })
})
