// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD } from '@app/data'
import { setBackend } from '@app/stores/backend'
import { useSessionStore } from '@app/stores/session'
import { toFormData, useDocumentsStore } from '@app/stores/documents'
import { makeI18n } from '@app/locales'
import { formById } from '@forms/registry'
import FormList from './FormList.vue'

let pinia: Pinia
let wrapper: VueWrapper | undefined

beforeEach(async () => {
  localStorage.clear()
  setBackend(await openDataLayer({ name: `list-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true }))
  pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().load()
  await useSessionStore().signIn(DEMO_IDS.users.zhangMin, DEMO_PASSWORD)
})
afterEach(() => { wrapper?.unmount(); wrapper = undefined })

describe('form list', () => {
  it('shows a referenced customer by its whole name, brackets and all', async () => {
    const docs = useDocumentsStore()
    const customer = formById('customer')
    const loaded = (await docs.load(DEMO_IDS.customers.meida))!
    const data = toFormData(customer, loaded)
    await docs.save('customer', loaded.doc.id, { ...data, values: { ...data.values, fullName: '佛山市美达电器（南海）' } })

    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
    wrapper = mount(FormList, { props: { form: formById('quotation') }, global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router] }, attachTo: document.body })
    for (let i = 0; i < 200 && !wrapper.text().includes('佛山市美达电器'); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
    expect(wrapper.text()).toContain('佛山市美达电器（南海）')
  })

  it('shows a person column by the person\'s name, never the stored user id (销售预估\'s 业务员)', async () => {
    const liQiang = DEMO_IDS.users.liQiang
    await useDocumentsStore().save('salesForecast', undefined, {
      values: { salesperson: liQiang, month: '2026-12' },
      lines: { items: [{ id: 'l1', values: { customer: DEMO_IDS.customers.meida, productGroup: 'alloy', amount: 4_800_000 } }] },
    })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
    wrapper = mount(FormList, { props: { form: formById('salesForecast') }, global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router] }, attachTo: document.body })
    for (let i = 0; i < 200 && !wrapper.find('.el-table__body tr').exists(); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
    const row = wrapper.find('.el-table__body tr').text()
    expect(row).toContain('李强')
    expect(row).not.toContain(liQiang)
  })
})

describe('form list: a search typed while the full-text digest is still being built', () => {
  it('answers from the word-start index with a notice, then reloads by itself once the digest is ready and 美达 is found inside 佛山市美达电器', async () => {
    const layer = await openDataLayer({ name: `list-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
    let ready = (): void => undefined
    const built = new Promise<void>((r) => { ready = r })
    let isBuilt = false
    void built.then(() => { isBuilt = true })
    // The data layer as a large office sees it during the first minute: the digest not built yet.
    setBackend({ ...layer, documents: { ...layer.documents,
      list: async (form, q) => (q.text && !isBuilt ? { ...(await layer.documents.list(form, { ...q, text: '没有这个词' })), partial: true } : layer.documents.list(form, q)),
      searchReady: async () => { await built },
    } })
    await useSessionStore().load()
    await useSessionStore().signIn(DEMO_IDS.users.zhangMin, DEMO_PASSWORD)
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
    wrapper = mount(FormList, { props: { form: formById('customer') }, global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router] }, attachTo: document.body })
    const until = async (ok: () => boolean) => { for (let i = 0; i < 300 && !ok(); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) } }
    await until(() => wrapper!.find('.el-table__body tr').exists())
    await wrapper.find('input.el-input__inner').setValue('美达')
    await until(() => wrapper!.find('[data-testid="list-partial"]').exists())
    expect(wrapper.find('[data-testid="list-partial"]').text()).toContain('正在准备全文检索')
    expect(wrapper.text()).not.toContain('佛山市美达电器')
    ready()
    await until(() => wrapper!.text().includes('佛山市美达电器'))
    expect(wrapper.text()).toContain('佛山市美达电器')
    expect(wrapper.find('[data-testid="list-partial"]').exists()).toBe(false)
  })
})

describe('form list: batch print (issue 9)', () => {
  const mountList = async (formId: string) => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
    wrapper = mount(FormList, { props: { form: formById(formId) }, global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router] }, attachTo: document.body })
    for (let i = 0; i < 200 && !wrapper.find('.el-table__body tr').exists(); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
    return wrapper
  }
  const batchButton = (w: VueWrapper) => w.findAll('button').find((b) => b.text() === '批量打印')

  it('a printable form\'s list offers 全选本页 and 批量打印, enabled once rows are chosen', async () => {
    const w = await mountList('quotation')
    expect(batchButton(w)?.attributes('disabled')).toBeDefined()
    await w.findAll('label').find((l) => l.text() === '全选本页')!.trigger('click')
    await flushPromises()
    expect(w.text()).toContain('已选 1 份')
    expect(batchButton(w)?.attributes('disabled')).toBeUndefined()
  })

  it('a form without a print layout offers the selection (issue 10) but no 批量打印', async () => {
    const w = await mountList('customer')
    expect(batchButton(w)).toBeUndefined()
    await w.findAll('label').find((l) => l.text() === '全选本页')!.trigger('click')
    await flushPromises()
    expect(w.text()).toContain('已选 2 份')
  })

  it('shows only the filters the form has fields for: no state or customer on 客户, all four on 报价单', async () => {
    const customers = await mountList('customer')
    expect(customers.find('[aria-label="状态"]').exists()).toBe(false)
    expect(customers.find('[aria-label="客户"]').exists()).toBe(false)
    expect(customers.find('[aria-label="业务员"]').exists()).toBe(true)
    expect(customers.text()).toContain('创建日期')
    customers.unmount()
    const quotes = await mountList('quotation')
    for (const name of ['状态', '客户', '业务员', '报价日期']) expect(quotes.find(`[aria-label="${name}"]`).exists(), name).toBe(true)
    expect(quotes.text()).not.toContain('版本')
  })
})
