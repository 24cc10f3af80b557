// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, type DataLayer } from '@app/data'
import { setBackend } from '@app/stores/backend'
import { useSessionStore } from '@app/stores/session'
import { toFormData, useDocumentsStore } from '@app/stores/documents'
import { makeI18n } from '@app/locales'
import { formById } from '@forms/registry'
import DocProgress from './DocProgress.vue'

let pinia: Pinia
let data: DataLayer
let wrapper: VueWrapper | undefined

beforeEach(async () => {
  localStorage.clear()
  data = await openDataLayer({ name: `progress-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  setBackend(data)
  pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().load()
  await useSessionStore().signIn(DEMO_IDS.users.liQiang, DEMO_PASSWORD)
})
afterEach(() => { wrapper?.unmount(); wrapper = undefined })

describe('a visit plan on its page (DocProgress)', () => {
  it('shows each planned visit with its customer, salesperson and standing, the visit\'s number, the summary, and 生成客户拜访表 on the open line', async () => {
    const docs = useDocumentsStore()
    const line = (customer: string, plannedDate: string) => ({ id: crypto.randomUUID(), values: { customer, salesperson: DEMO_IDS.users.liQiang, plannedDate, purpose: 'market' } })
    const plan = await docs.save('visitPlan', undefined, {
      values: { periodKind: 'month', periodStart: '2020-03-01', periodEnd: '2020-03-31', planner: DEMO_IDS.users.liQiang },
      lines: { visits: [line(DEMO_IDS.customers.meida, '2020-03-05'), line(DEMO_IDS.customers.huaxing, '2020-03-20')] },
    })
    await data.db.docs.update(plan.doc.id, { state: 'approved' })
    const visit = await docs.save('visitRecord', undefined, {
      values: { customer: DEMO_IDS.customers.meida, salesperson: DEMO_IDS.users.liQiang, visitDate: '2020-03-06', visitWay: 'onsite', purpose: 'market', discussed: '新品推介' },
      lines: {},
    })

    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
    const loaded = (await docs.load(plan.doc.id))!
    wrapper = mount(DocProgress, { props: { form: formById('visitPlan'), loaded }, global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router] }, attachTo: document.body })
    for (let i = 0; i < 200 && !wrapper.text().includes('完成率'); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
    for (let i = 0; i < 50 && !wrapper.find('[data-testid="progress-row-0"]').text().includes('美达'); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }

    expect(wrapper.get('[data-testid="progress-summary"]').text()).toBe('计划 2，已完成 1，未完成 1（其中已过期 1），完成率 50%')
    const first = wrapper.get('[data-testid="progress-row-0"]').text()
    expect(first).toContain('美达')
    expect(first).toContain('李强')
    expect(first).toContain('已拜访')
    expect(first).toContain(visit.doc.number)
    expect(wrapper.find('[data-testid="make-visitRecord-0"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="progress-row-1"]').text()).toContain('未拜访·已过期')
    await wrapper.get('[data-testid="make-visitRecord-1"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe(`/doc/visitRecord/new?from=${plan.doc.id}&line=${toFormData(formById('visitPlan'), loaded).lines.visits![1]!.id}`)
  })
})
