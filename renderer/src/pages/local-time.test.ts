// @vitest-environment happy-dom
// The clerks' PCs are in China: every time on screen is their local time (UTC+8), never UTC.
process.env.TZ = 'Asia/Shanghai'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD } from '@app/data'
import { DEMO_SEEDED_AT } from '@app/data/seed-constants'
import { setBackend } from '@app/stores/backend'
import { useSessionStore } from '@app/stores/session'
import { makeI18n } from '@app/locales'
import { formById } from '@forms/registry'
import InboxPage from './InboxPage.vue'
import FormList from '@app/components/FormList.vue'

let pinia: Pinia
let wrapper: VueWrapper | undefined

beforeEach(async () => {
  localStorage.clear()
  setBackend(await openDataLayer({ name: `times-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true }))
  pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().load()
  await useSessionStore().signIn(DEMO_IDS.users.zhangMin, DEMO_PASSWORD)
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

describe('times on screen', () => {
  // The demo office was seeded at 01:30 UTC, 09:30 in Shanghai.
  it('the seed time is the one this test reads', () => expect(DEMO_SEEDED_AT).toBe('2026-11-02T01:30:00.000Z'))

  it('the inbox shows when a document changed in the PC’s local time', async () => {
    const w = mountPage(InboxPage)
    await until(() => w.findAll('tbody tr').length > 0)
    const row = w.findAll('tbody tr').find((r) => r.text().includes('BJ'))!
    expect(row.text()).toContain('2026-11-02 09:30')
    expect(row.text()).not.toContain('01:30')
  })

  it('a form’s list shows the same local time', async () => {
    const w = mountPage(FormList, { form: formById('quotation') })
    await until(() => w.text().includes('2026-11-02'))
    expect(w.text()).toContain('2026-11-02 09:30')
    expect(w.text()).not.toContain('01:30')
  })
})
