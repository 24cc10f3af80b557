/**
 * 客户维护 (§5.10): R18's monthly forecast (a duty before any document exists, on time or marked
 * late), forecast against actual to the fen, the target plan's quarterly adjustment, and R17's
 * internal memo approved only by the marketing manager/supervisor or the director or above.
 */
import { describe, expect, it } from 'vitest'
import type { DocSnapshot } from './schema/types'
import { dutiesDue, dutiesFor } from '../renderer/core/duties'
import { withGathered } from '../renderer/core/gather'
import { defaultValues } from '../renderer/core/validation'
import { policyOf } from './schema/policy'
import { checker, doc, lookupOf, user, type Row } from './stage-testing'
import { contract } from './contract/contract.form'
import { delivery } from './delivery/delivery.form'
import { salesForecast } from './sales-forecast/sales-forecast.form'
import { forecastVsActual } from './sales-forecast/sales-forecast.rules'
import { salesTarget } from './sales-target/sales-target.form'
import { adjustFromPlan } from './sales-target/sales-target.rules'
import { memo } from './memo/memo.form'

const liQiang = user('s', '李强', ['salesperson'])
const chenLi = user('s2', '陈丽', ['salesperson'])
const zhangMin = user('c', '张敏', ['csAssistant'])
const zhaoLei = user('m', '赵磊', ['marketingManager'])
const wangHaiyan = user('h', '王海燕', ['marketingHead'])
const chenZhiyuan = user('d', '陈志远', ['marketingDirector'])
const liuJianguo = user('g', '刘建国', ['generalManager'])
const users = [liQiang, chenLi, zhangMin, zhaoLei, wangHaiyan, chenZhiyuan, liuJianguo]

const product = (id: string, group: string): DocSnapshot => ({ id, form: 'product', number: id.toUpperCase(), state: '', version: 1, values: { code: id, name: id, group }, lines: {} })
const forecast = (id: string, state: string, month: string, sp: string, rows: Row[]) => doc(salesForecast, id, state, { salesperson: sp, month }, rows)
const line = (product: string | null, qty: string, price: number): Row => ({ product, productName: '阻燃 PC/ABS 合金', spec: 'FR3010 黑色', quantity: qty, unit: 'kg', unitPrice: price, taxRate: '13' })
const ht = (id: string, state: string, customer: string, signDate: string, sp: string, rows: Row[]) =>
  doc(contract, id, state, { customer, signDate, deliveryDate: signDate, paymentMethod: 'credit', salesperson: sp }, rows)
const fh = (id: string, state: string, customer: string, shipDate: string, sp: string, rows: Row[]) =>
  doc(delivery, id, state, { contract: 'ht1', customer, shipDate, salesperson: sp, carrier: '德邦物流', waybill: 'DP1' }, rows)

describe('R18 (§5.10.3): every salesperson owes next month\'s forecast by the 25th', () => {
  const submitted = forecast('yg1', 'submitted', '2026-12', 's', [{ customer: 'co', productGroup: 'flameRetardant', amount: 100 }])
  const draft = forecast('yg2', 'draft', '2026-12', 's2', [{ customer: 'co', productGroup: 'flameRetardant', amount: 100 }])
  const owed = (day: string, docs: DocSnapshot[] = []) => dutiesDue(salesForecast, day, users, docs)

  it('R18: nothing shows on the 19th; from the 20th through the 25th it is due; on the 26th it is overdue', () => {
    expect(owed('2026-11-19')).toEqual([])
    for (const day of ['2026-11-20', '2026-11-25']) {
      expect(owed(day).map((d) => [d.user.name, d.period, d.due, d.overdue]), day).toEqual([['李强', '2026-12', '2026-11-25', false], ['陈丽', '2026-12', '2026-11-25', false]])
    }
    expect(owed('2026-11-26').map((d) => [d.user.name, d.overdue])).toEqual([['李强', true], ['陈丽', true]])
    // December's duty is for January, due on 25 December.
    expect(owed('2026-12-21').map((d) => [d.period, d.due])[0]).toEqual(['2027-01', '2026-12-25'])
  })

  it('R18: a submitted forecast for the month settles the duty, a draft does not; the manager sees only overdue ones of others', () => {
    const items = owed('2026-11-22', [submitted, draft])
    expect(items.map((d) => d.user.name)).toEqual(['陈丽'])
    expect(dutiesFor(items, 's2', ['salesperson']).map((d) => d.user.name)).toEqual(['陈丽'])
    expect(dutiesFor(items, 's', ['salesperson'])).toEqual([])
    expect(dutiesFor(items, 'm', ['marketingManager'])).toEqual([]) // not overdue yet
    expect(dutiesFor(owed('2026-11-26', [submitted, draft]), 'm', ['marketingManager']).map((d) => [d.user.name, d.overdue])).toEqual([['陈丽', true]])
    expect(dutiesFor(owed('2026-11-26', [submitted, draft]), 'c', ['csAssistant'])).toEqual([])
  })

  it('R18: a forecast submitted on the 24th is on time; on the 26th it is warned, and once confirmed marked 逾期提交', async () => {
    const mine = forecast('yg3', 'draft', '2026-12', 's', [{ customer: 'co', productGroup: 'flameRetardant', amount: 1_000_000 }])
    const onTime = await checker(users, '2026-11-24')(salesForecast, mine, 'submit', liQiang, [])
    expect(onTime).toMatchObject({ ok: true, to: 'submitted', warnings: [], sets: { submittedOn: '2026-11-24', lateSubmitted: false } })
    const late = checker(users, '2026-11-26')
    const warned = await late(salesForecast, mine, 'submit', liQiang, [])
    expect(warned).toMatchObject({ ok: false, reason: 'warning', rule: 'R18', clause: '§5.10.3' })
    expect(!warned.ok && warned.message.zh).toBe('2026-12 的销售预估应在 2026-11-25 前提交，今天提交将标记为“逾期提交”')
    expect(await late(salesForecast, mine, 'submit', liQiang, [], undefined, true)).toMatchObject({ ok: true, sets: { submittedOn: '2026-11-26', lateSubmitted: true } })
  })

  it('a new forecast is for next month; only the marketing manager or head reviews it, never the one who submitted', async () => {
    expect(defaultValues(salesForecast, { today: '2026-12-20' }).values.month).toBe('2027-01')
    const sent = forecast('yg4', 'submitted', '2026-12', 's', [{ customer: 'co', productGroup: 'flameRetardant', amount: 1 }])
    const check = checker(users, '2026-11-27')
    expect(await check(salesForecast, sent, 'review', liQiang, [])).toMatchObject({ ok: false, reason: 'role' })
    expect(await check(salesForecast, sent, 'review', zhaoLei, [])).toMatchObject({ ok: true, to: 'reviewed' })
    expect(await check(salesForecast, sent, 'review', wangHaiyan, [])).toMatchObject({ ok: true, to: 'reviewed' })
  })
})

describe('forecastVsActual: forecast against contracts signed and goods shipped in the month, to the fen', () => {
  const f1 = forecast('yg1', 'reviewed', '2026-12', 's', [
    { customer: 'co', product: 'p1', amount: 10_000_000 },
    { customer: 'co', productGroup: 'reinforced', amount: 5_000_000 },
    { customer: 'co2', productGroup: 'flameRetardant', amount: 3_000_000 },
  ])
  const records: DocSnapshot[] = [
    f1,
    forecast('yg0', 'draft', '2026-12', 's', [{ customer: 'co', product: 'p1', amount: 99_999 }]),
    forecast('yg9', 'submitted', '2026-11', 's', [{ customer: 'co', product: 'p1', amount: 77_777 }]),
    product('p1', 'flameRetardant'), product('p2', 'reinforced'),
    ht('ht1', 'approved', 'co', '2026-12-03', 's', [line('p1', '2000', 3250), line('p2', '1000', 2890)]),
    ht('ht2', 'draft', 'co', '2026-12-05', 's', [line('p1', '9999', 3250)]),
    ht('ht3', 'signed', 'co', '2026-11-28', 's', [line('p1', '5000', 3250)]),
    ht('ht4', 'closed', 'co3', '2026-12-10', 's', [line(null, '1', 1_234_567)]),
    ht('ht5', 'approved', 'co', '2026-12-11', 's2', [line('p1', '100', 3250)]),
    fh('fh1', 'shipped', 'co', '2026-12-08', 's', [line('p1', '1000', 3250)]),
    fh('fh2', 'draft', 'co', '2026-12-09', 's', [line('p1', '1000', 3250)]),
    fh('fh3', 'booked', 'co', '2026-12-20', 's', [line('p2', '500', 2890)]),
  ]
  const of = (form: string) => records.filter((d) => d.form === form)
  const groups = { p1: 'flameRetardant', p2: 'reinforced' }

  it('per line and in total: approved contracts by signing date, shipped deliveries by ship date; drafts, other months and other salespeople left out', () => {
    const r = forecastVsActual({ month: '2026-12', salesperson: 's', forecasts: of('salesForecast'), contracts: of('contract'), deliveries: of('delivery'), groups })
    expect(r.rows.map((x) => [x.customer, x.product || x.productGroup, x.forecast, x.contracted, x.shipped, x.rate])).toEqual([
      ['co', 'p1', 10_000_000, 6_500_000, 3_250_000, '65.0'],
      ['co', 'reinforced', 5_000_000, 2_890_000, 1_445_000, '57.8'],
      ['co2', 'flameRetardant', 3_000_000, 0, 0, '0.0'],
      ['co3', '', 0, 1_234_567, 0, null], // signed, but nobody forecast it
    ])
    // 10,624,567 ÷ 18,000,000 = 59.03 %.
    expect(r.total).toEqual({ forecast: 18_000_000, contracted: 10_624_567, shipped: 4_695_000, rate: '59.0' })
  })

  it('for one customer, and for every salesperson', () => {
    const co = forecastVsActual({ month: '2026-12', salesperson: 's', customer: 'co', forecasts: of('salesForecast'), contracts: of('contract'), deliveries: of('delivery'), groups })
    expect(co.total).toEqual({ forecast: 15_000_000, contracted: 9_390_000, shipped: 4_695_000, rate: '62.6' })
    const all = forecastVsActual({ month: '2026-12', forecasts: of('salesForecast'), contracts: of('contract'), deliveries: of('delivery'), groups })
    // 陈丽's contract ht5 (100 kg × ¥32.50) counts against 李强's line for the same customer and product.
    expect(all.total.contracted).toBe(10_624_567 + 325_000)
  })

  it('the forecast document shows it live: the data layer\'s gather writes 预估 / 实际合同 / 实际发货 / 达成率 from its own lines', async () => {
    const typed = { values: { salesperson: 's', month: '2026-12', contractedTotal: 1 }, lines: { items: f1.lines.items!, actuals: [{ id: 'x', values: { forecast: 1, contracted: 999 } }] } }
    const g = await withGathered(salesForecast, typed, { lookup: lookupOf(records), today: '2026-12-21', policy: policyOf(undefined) })
    expect(g.values).toMatchObject({ contractedTotal: 10_624_567, shippedTotal: 4_695_000, achievementRate: '59.0' })
    expect(g.lines.actuals!.map((r) => [r.values.forecast, r.values.contracted, r.values.shipped, r.values.rate])).toEqual([
      [10_000_000, 6_500_000, 3_250_000, '65.0'], [5_000_000, 2_890_000, 1_445_000, '57.8'], [3_000_000, 0, 0, '0.0'], [0, 1_234_567, 0, null],
    ])
  })
})

describe('年度销售目标计划: adjusted each quarter on the quarter just past (§5.10.3)', () => {
  const plan = doc(salesTarget, 'mb1', 'approved', { year: '2026', revision: '1' }, [
    { salesperson: 's', q1: 10_000_000, q2: 12_000_000, q3: 15_000_000, q4: 15_000_000 },
    { salesperson: 's2', q1: 8_000_000, q2: 8_000_000, q3: 8_000_000, q4: 8_000_000 },
  ])
  const contracts = [
    ht('ht1', 'approved', 'co', '2026-03-31', 's', [line('p1', '2000', 3250)]), // Q1: 6,500,000
    ht('ht2', 'signed', 'co', '2026-01-02', 's', [line('p1', '1000', 3250)]), //    Q1: 3,250,000
    ht('ht3', 'approved', 'co', '2026-04-01', 's', [line('p1', '1000', 3250)]), // Q2: not counted
    ht('ht4', 'draft', 'co', '2026-02-01', 's', [line('p1', '1000', 3250)]), //    draft: not counted
  ]

  it('the year total of each line, and the plan\'s', () => {
    expect(plan.lines.items!.map((r) => r.values.yearTotal)).toEqual([52_000_000, 32_000_000])
    expect(plan.values.planTotal).toBe(84_000_000)
  })

  it('季度调整 copies the approved plan for the next quarter and gathers Q1\'s target against the contracts signed in it', async () => {
    const made = adjustFromPlan({ ...plan, lines: { items: plan.lines.items!.map((r) => r.values) } })
    expect(made.values).toEqual({ year: '2026', revision: '2', basedOn: 'mb1' })
    const data = { values: made.values, lines: { items: made.lines!.items!.map((v, i) => ({ id: `n${i}`, values: v })) } }
    const g = await withGathered(salesTarget, data, { lookup: lookupOf([plan, ...contracts]), today: '2026-04-03', policy: policyOf(undefined) })
    expect(g.lines.review!.map((r) => [r.values.salesperson, r.values.target, r.values.actual, r.values.rate])).toEqual([
      ['s', 10_000_000, 9_750_000, '97.5'], ['s2', 8_000_000, 0, '0.0'],
    ])
  })

  it('an adjustment may change the quarters to come, never the past one; the GM or the director approves it', async () => {
    const adjust = (q1: number, q3: number) => doc(salesTarget, 'mb2', 'draft', { year: '2026', revision: '2', basedOn: 'mb1' }, [
      { salesperson: 's', q1, q2: 12_000_000, q3, q4: 15_000_000 }, { salesperson: 's2', q1: 8_000_000, q2: 8_000_000, q3: 8_000_000, q4: 8_000_000 },
    ])
    const check = checker(users, '2026-04-03')
    expect(await check(salesTarget, adjust(9_750_000, 15_000_000), 'submit', wangHaiyan, [plan])).toMatchObject({ ok: false, reason: 'guard', message: { zh: '第一季度已过，目标不能调整，请按原计划填写' } })
    expect(await check(salesTarget, adjust(10_000_000, 16_500_000), 'submit', wangHaiyan, [plan])).toMatchObject({ ok: true, to: 'review' })
    const sent = { ...adjust(10_000_000, 16_500_000), state: 'review' }
    expect(await check(salesTarget, sent, 'approve', zhaoLei, [plan])).toMatchObject({ ok: false, reason: 'role' })
    expect(await check(salesTarget, sent, 'approve', liuJianguo, [plan])).toMatchObject({ ok: true, to: 'approved' })
    expect(await check(salesTarget, sent, 'approve', chenZhiyuan, [plan])).toMatchObject({ ok: true, to: 'approved' })
  })
})

describe('R17 (§5.10.1): an internal memo is approved by the marketing manager/supervisor or the director or above', () => {
  const sent = doc(memo, 'llh1', 'review', {
    subject: '现结客户随货开票', applicant: 's', fromDept: '营销部', toDepts: '财务部、客服部', concerns: 'policy', effectiveDate: '2026-12-01',
    currentPractice: '回款 60% 后开票', change: '现结客户随货开票', reason: '客户要求发票随货',
  })
  const check = checker(users, '2026-11-30')

  it('R17: a CS clerk or a salesperson may not approve it', async () => {
    for (const who of [zhangMin, liQiang]) {
      const r = await check(memo, sent, 'approve', who, [])
      expect(r, who.name).toMatchObject({ ok: false, reason: 'role' })
      expect(!r.ok && r.message.zh).toBe('您没有“批准”的权限，也没有有效的职务代理授权')
    }
  })

  it('R17: the marketing manager, the marketing head and the director may', async () => {
    for (const who of [zhaoLei, wangHaiyan, chenZhiyuan, liuJianguo]) expect(await check(memo, sent, 'approve', who, []), who.name).toMatchObject({ ok: true, to: 'approved' })
  })
})
