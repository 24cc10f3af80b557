// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS } from '@app/data'
import { setBackend } from '@app/stores/backend'
import { useSessionStore } from '@app/stores/session'
import { useDocumentsStore } from '@app/stores/documents'
import { makeI18n } from '@app/locales'
import StartPage from './StartPage.vue'
import DocumentPage from './DocumentPage.vue'
import DocTimeline from '@app/components/DocTimeline.vue'
import ImportPage from './ImportPage.vue'
import { useImportStore } from '@app/stores/import'

let pinia: Pinia
let wrapper: VueWrapper | undefined

beforeEach(async () => {
  localStorage.clear()
  setBackend(await openDataLayer({ name: `pages-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true }))
  pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().load()
})
afterEach(() => { wrapper?.unmount(); wrapper = undefined })

function mountPage(component: object, props: Record<string, unknown> = {}) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
  wrapper = mount(component, { props, global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router] }, attachTo: document.body })
  return wrapper
}
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
}
const button = (w: VueWrapper, text: string) => w.findAll('button').find((b) => b.text() === text)

describe('start page', () => {
  it('lists the office with departments and roles, offers the proxy choice only to the proxy, and remembers the choice', async () => {
    const w = mountPage(StartPage)
    await until(() => w.findAll('tbody tr').length === 6)
    const rows = w.findAll('tbody tr')
    const zhao = rows.find((r) => r.text().startsWith('赵磊'))!
    expect(zhao.text()).toContain('营销部')
    expect(zhao.text()).toContain('营销经理')
    expect(zhao.text()).toContain('以 陈志远 的代理人身份')
    expect(rows.filter((r) => r.text().includes('代理人身份'))).toHaveLength(1)

    await zhao.findAll('button').find((b) => b.text().includes('代理人身份'))!.trigger('click')
    await flushPromises()
    const session = useSessionStore()
    expect(session.actor).toEqual({ userId: DEMO_IDS.users.zhaoLei, name: '赵磊', actingFor: { userId: DEMO_IDS.users.chenZhiyuan, name: '陈志远', role: 'marketingDirector' } })
    expect(JSON.parse(localStorage.getItem('marketdesk.session')!).userId).toBe(DEMO_IDS.users.zhaoLei)
  })
})

describe('document page', () => {
  it('shows the R1 §5.1 block when a new customer’s quotation is submitted, and the quotation stays a draft', async () => {
    const session = useSessionStore()
    await session.choose(DEMO_IDS.users.zhangMin)
    const q = await useDocumentsStore().save('quotation', undefined, {
      values: { customer: DEMO_IDS.customers.huaxing, quoteDate: '2026-11-27', validUntil: '2026-12-27', currency: 'CNY', paymentMethod: 'prepay' },
      lines: { items: [{ id: crypto.randomUUID(), values: { productName: '阻燃PC/ABS合金', quantity: '800', unit: 'kg', unitPrice: 2450, taxRate: '13' } }] },
    })
    const w = mountPage(DocumentPage, { form: 'quotation', id: q.doc.id })
    await until(() => !!button(w, '提交审批'))
    expect(w.get('[data-testid="doc-state"]').text()).toBe('草稿')
    await button(w, '提交审批')!.trigger('click')
    await until(() => w.find('[data-testid="blocked"]').exists())
    expect(w.get('[data-testid="blocked"]').text()).toContain('R1 §5.1')
    expect(w.get('[data-testid="blocked"]').text()).toContain('客户资料评估表')
    expect(w.get('[data-testid="doc-state"]').text()).toBe('草稿')
  })

  it('offers the director’s proxy 核准 and records the approval as acting for the director', async () => {
    const session = useSessionStore()
    await session.choose(DEMO_IDS.users.zhangMin)
    const docs = useDocumentsStore()
    const loaded = (await docs.load(DEMO_IDS.quotation))!
    const { quotation } = await import('@forms/quotation/quotation.form')
    expect((await docs.transition(quotation, loaded, 'submit')).ok).toBe(true)

    const grant = session.grants.find((g) => g.proxyId === DEMO_IDS.users.zhaoLei)!
    await session.choose(DEMO_IDS.users.zhaoLei, grant.id)
    const w = mountPage(DocumentPage, { form: 'quotation', id: DEMO_IDS.quotation })
    await until(() => !!button(w, '核准'))
    expect(button(w, '提交审批')).toBeUndefined()
    await button(w, '核准')!.trigger('click')
    await until(() => document.body.querySelector('.el-dialog') !== null)
    const confirm = [...document.body.querySelectorAll('.el-dialog button')].find((b) => b.textContent?.trim() === '确定') as HTMLButtonElement
    confirm.click()
    await until(() => w.get('[data-testid="doc-state"]').text() === '已核准')
    const approval = (await docs.timeline(DEMO_IDS.quotation)).find((e) => e.action === 'transition:approve')!
    expect(approval.actor).toMatchObject({ userId: DEMO_IDS.users.zhaoLei, actingFor: { userId: DEMO_IDS.users.chenZhiyuan, role: 'marketingDirector' } })
  })

  it('the timeline names a changed line the way the clerk counts rows: the first row is 第1行', async () => {
    const session = useSessionStore()
    await session.choose(DEMO_IDS.users.zhangMin)
    const docs = useDocumentsStore()
    const loaded = (await docs.load(DEMO_IDS.quotation))!
    const items = [...loaded.lines].sort((a, b) => a.seq - b.seq).map((l) => ({ id: l.id, values: { ...l.values } }))
    items[0]!.values.quantity = '1234'
    await docs.save('quotation', loaded.doc.id, { values: { ...loaded.doc.values }, lines: { items } })
    const { quotation } = await import('@forms/quotation/quotation.form')
    const w = mountPage(DocTimeline, { form: quotation, docId: DEMO_IDS.quotation })
    await until(() => w.text().includes('1234'))
    const row = w.findAll('tr').find((r) => r.text().includes('1234'))!
    expect(row.text()).toContain('报价明细 第1行 数量')
  })
})

describe('import page', () => {
  it('shows an older scan’s differences the way the timeline does: the customer by name, rows in column order', async () => {
    await useSessionStore().choose(DEMO_IDS.users.zhangMin)
    useImportStore().results = [{ name: 'scan.pdf', hash: 'h', outcomes: [{
      kind: 'olderVersion', docId: DEMO_IDS.quotation, form: 'quotation', number: 'BJ-TEST', scannedVersion: 1, currentVersion: 2,
      message: { zh: '扫描件是旧版本', en: 'Older version' }, notes: [], file: { name: 'scan.pdf', bytes: new Uint8Array(), mime: 'application/pdf', hash: 'h' },
      changes: [
        { field: 'customer', from: DEMO_IDS.customers.huaxing, to: DEMO_IDS.customers.meida },
        { field: 'items[1]', from: null, to: { unitPrice: 2450, quantity: '800', productName: '阻燃ABS' } },
      ],
    }] }]
    const w = mountPage(ImportPage)
    await until(() => w.text().includes('美达'))
    const rows = w.findAll('table.diff tbody tr')
    expect(rows[0]!.text()).toContain('华兴')
    expect(rows[0]!.text()).toContain('美达')
    expect(rows[0]!.text()).not.toContain(DEMO_IDS.customers.meida)
    expect(rows[1]!.text()).toContain('报价明细 第2行')
    expect(rows[1]!.text()).toContain('阻燃ABS · 800 · 24.50')
  })
})
