// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, type DataLayer } from '@app/data'
import { FAST_KDF } from '@core/trust/password'
import { addDays } from '@core/validation'
import { setBackend } from '@app/stores/backend'
import { localToday, useSessionStore } from '@app/stores/session'
import { makeI18n } from '@app/locales'
import InboxPage from './InboxPage.vue'

/**
 * The start page's dashboards (issue 11) by role, as each user sees them: the director the office's
 * charts above the to-do list, the clerk her headline tiles first and her charts below it, finance
 * the receivables; a segment or a tile opens the list (or 账龄分析) with the query behind it.
 */
let pinia: Pinia
let wrapper: VueWrapper | undefined
let layer: DataLayer
let router: ReturnType<typeof createRouter>
const today = localToday()
const { huaxing: HUAXING, meida: MEIDA } = DEMO_IDS.customers
const U = DEMO_IDS.users

/** The office's documents written into the profile (as e2e/dashboard.spec.ts does): the digest reads them. */
async function history() {
  const template = (await layer.db.docs.get(HUAXING))!
  const n = (k: number) => `7e2e0b10-0000-4000-8000-${String(k).padStart(12, '0')}`
  const doc = (k: number, form: string, prefix: string, state: string, values: Record<string, unknown>) => ({
    ...template, id: n(k), form, number: `${prefix}2611-A7-00${k}`, state, version: 1, values: { salesperson: U.liQiang, ...values }, searchWords: [],
    refs: Object.entries(values).filter(([, v]) => v === HUAXING || v === MEIDA).map(([key, v]) => `${form}:${key}=${String(v)}`),
  })
  const day = (d: number) => addDays(today, d)
  await layer.db.docs.bulkPut([
    doc(3, 'sampleApplication', 'YP', 'scheduled', { customer: HUAXING, applyDate: day(-35) }),
    doc(6, 'quotation', 'BJ', 'approved', { customer: HUAXING, quoteDate: day(-8), grandTotal: 86_000_00 }),
    doc(11, 'contract', 'HT', 'signed', { customer: HUAXING, signDate: day(-5), paymentMethod: 'credit', creditDays: 30, totalAmount: 50_000_00 }),
    doc(12, 'contract', 'HT', 'signed', { customer: MEIDA, signDate: day(-3), paymentMethod: 'credit', creditDays: 30, totalAmount: 30_000_00 }),
    // Samples out 20 days (R5 late) and 40 days (R5 and R6 late).
    doc(21, 'sampleShipment', 'FY', 'shipped', { customer: HUAXING, dispatchDate: day(-20) }),
    doc(22, 'sampleShipment', 'FY', 'shipped', { customer: MEIDA, dispatchDate: day(-40) }),
    // Promised dates: 2 days ago (late), in 3 days (this week).
    doc(31, 'productionNotice', 'SC', 'replied', { customer: HUAXING, contract: n(11), requiredDate: day(-2), promisedDate: day(-2) }),
    doc(32, 'productionNotice', 'SC', 'scheduled', { customer: MEIDA, contract: n(12), requiredDate: day(3), promisedDate: day(3) }),
    // Booked on 30 days: 10 days ago (not due), 95 days ago (65 days late).
    doc(41, 'delivery', 'FH', 'booked', { contract: n(11), customer: HUAXING, shipDate: day(-10), totalAmount: 8_000_00 }),
    doc(43, 'delivery', 'FH', 'booked', { contract: n(12), customer: MEIDA, shipDate: day(-95), totalAmount: 12_000_00 }),
  ])
}

beforeEach(async () => {
  localStorage.clear()
  layer = await openDataLayer({ name: `dashboard-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true, kdf: FAST_KDF })
  await history()
  setBackend(layer)
  pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().load()
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useSessionStore().signOut()
  document.body.innerHTML = ''
})

/** Signs `user` in and opens the start page (ECharts' canvas stubbed: happy-dom draws nothing). */
async function startPageOf(user: string) {
  expect((await useSessionStore().signIn(user, DEMO_PASSWORD)).ok).toBe(true)
  router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
  await router.push('/')
  const w = mount(InboxPage, { global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router], stubs: { Echarts: true } }, attachTo: document.body })
  wrapper = w
  // The to-do list loaded (it reads as the signed-in user: sign-out waits for it).
  await until(() => w.find('.card .el-empty').exists() || w.findAll('table.inbox tbody tr').length > 0)
  return w
}
const until = async (check: () => boolean) => {
  for (const end = Date.now() + 10_000; Date.now() < end && !check();) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
}
/** Whether `a` comes before `b` in the page. */
const before = (a: Element, b: Element) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)
const headline = (w: VueWrapper, chart: string) => w.get(`[data-testid="chart-${chart}"] [data-testid="headline"]`).text()
const route = () => ({ path: router.currentRoute.value.path, query: router.currentRoute.value.query })

describe('the start page\'s dashboards by role', () => {
  it('the director: the office\'s charts above the to-do list; 超 30 天未反馈 opens those sample shipments', async () => {
    const w = await startPageOf(U.chenZhiyuan)
    await until(() => w.find('[data-testid="chart-ageing"] [data-testid="headline"]').exists() && headline(w, 'ageing') !== '¥0.00')
    const charts = w.findAll('[data-testid^="chart-"]').map((c) => c.attributes('data-testid'))
    expect(charts).toEqual(['chart-pipeline', 'chart-ageing', 'chart-samplesOverdue', 'chart-deliveriesDue', 'chart-topCustomers', 'chart-forecast'])
    expect(before(w.get('[data-testid="dashboard"]').element, w.get('.el-tabs').element)).toBe(true)
    expect(w.find('[data-testid="start-tiles"]').exists()).toBe(false)
    // 8,000.00 not yet due + 12,000.00 65 days late; two samples late; contracts 50,000 + 30,000.
    expect(headline(w, 'ageing')).toBe('¥20,000.00')
    expect(headline(w, 'samplesOverdue')).toBe('2')
    expect(headline(w, 'topCustomers')).toBe('¥80,000.00')

    await w.get('[data-testid="chart-samplesOverdue"] button[data-key="R6:late"]').trigger('click')
    await until(() => route().path !== '/')
    expect(route().path).toBe('/list/sampleShipment')
    expect(route().query.due).toBe(`R6:late:${today}`)
    expect(route().query.from).toBe(addDays(today, -364))
  })

  it('the clerk: her tiles and her to-do list first, the charts below; a tile opens what its chart\'s segment opens', async () => {
    const w = await startPageOf(U.zhangMin)
    await until(() => w.findAll('[data-testid="start-tiles"] .tile').length > 0 && w.find('table.inbox').exists())
    const tiles = w.get('[data-testid="start-tiles"]')
    const shown = tiles.findAll('.tile').map((t) => [t.attributes('data-key'), t.get('.tile-figure').text(), t.get('.tile-word').text()])
    // The charts that warn first: samples late (R5: both; R6: the 40-day one), promised dates, then her pipeline.
    expect(shown).toEqual([
      ['samplesOverdue:R5:late', '2', '超 2 周未确认（R5）'], ['samplesOverdue:R6:late', '1', '超 30 天未反馈（R6）'],
      ['deliveriesDue:R14:late', '1', '已逾期'], ['deliveriesDue:R14:soon', '1', '本周到期'],
      ['pipeline:quotation', '1', '报价单'], ['pipeline:contract', '2', '销售合同 / 订单'],
    ])
    expect(tiles.findAll('.tile.alarm').map((t) => t.attributes('data-key'))).toEqual(['samplesOverdue:R5:late', 'samplesOverdue:R6:late', 'deliveriesDue:R14:late'])
    const inbox = w.get('.el-tabs').element
    expect(before(tiles.element, inbox)).toBe(true)
    expect(before(inbox, w.get('[data-testid="dashboard"]').element)).toBe(true)
    expect(w.find('[data-testid="chart-ageing"]').exists()).toBe(false)

    await tiles.get('[data-key="deliveriesDue:R14:late"]').trigger('click')
    await until(() => route().path !== '/')
    expect(route().path).toBe('/list/productionNotice')
    expect(route().query.due).toBe(`R14:late:${today}`)
    // The same query as the chart's bar below.
    const tileQuery = route().query
    await router.push('/')
    await w.get('[data-testid="chart-deliveriesDue"] button[data-key="R14:late"]').trigger('click')
    await until(() => route().path !== '/')
    expect(route().query).toEqual(tileQuery)
  })

  it('finance: the receivables first; a bucket opens 账龄分析 on that bucket', async () => {
    const w = await startPageOf(U.linJing)
    await until(() => w.find('[data-testid="chart-ageing"] [data-testid="headline"]').exists() && headline(w, 'ageing') !== '¥0.00')
    expect(w.findAll('[data-testid^="chart-"]').map((c) => c.attributes('data-testid'))).toEqual(['chart-ageing', 'chart-topCustomers'])
    expect(before(w.get('[data-testid="dashboard"]').element, w.get('.el-tabs').element)).toBe(true)
    const d90 = w.get('[data-testid="chart-ageing"] button[data-key="d90"]')
    expect(d90.text()).toContain('¥12,000.00')
    await d90.trigger('click')
    await until(() => route().path !== '/')
    expect(route()).toEqual({ path: '/report/ageing', query: { asOf: today, bucket: 'd90' } })
  })
})
