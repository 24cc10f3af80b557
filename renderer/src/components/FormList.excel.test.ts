// @vitest-environment happy-dom
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import type { DeskApi } from '@shared/ipc'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD } from '@app/data'
import { setBackend } from '@app/stores/backend'
import { useSessionStore, localToday } from '@app/stores/session'
import { makeI18n } from '@app/locales'
import { formById } from '@forms/registry'
import FormList from './FormList.vue'

/** 导出 Excel from the list's toolbar (issue 10), clicked as a clerk does; its own file so the list's tests stay the list's. */
let pinia: Pinia
let wrapper: VueWrapper | undefined
const saved: Array<{ suggestedName: string; kind: string; bytes: Uint8Array }> = []

beforeEach(async () => {
  localStorage.clear()
  saved.length = 0
  const desk: Partial<DeskApi> = { fileSave: async (req) => { saved.push(req); return { ok: true, value: { saved: true } } } }
  ;(window as unknown as { desk?: unknown }).desk = desk
  setBackend(await openDataLayer({ name: `list-xlsx-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true }))
  pinia = createPinia()
  setActivePinia(pinia)
  await useSessionStore().load()
  await useSessionStore().signIn(DEMO_IDS.users.zhangMin, DEMO_PASSWORD)
})
afterEach(() => { wrapper?.unmount(); wrapper = undefined; delete (window as unknown as { desk?: unknown }).desk })

async function until(ok: () => boolean) {
  for (let i = 0; i < 300 && !ok(); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
}

describe('form list: 导出 Excel', () => {
  it('saves <list>_<today>.xlsx of the rows the search matches, with the columns the list shows', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
    wrapper = mount(FormList, { props: { form: formById('customer') }, global: { plugins: [ElementPlus, makeI18n('zh-CN'), pinia, router] }, attachTo: document.body })
    await until(() => wrapper!.findAll('.el-table__body tr').length === 2)
    await wrapper.find('input[aria-label="搜索"]').setValue('美达')
    await until(() => wrapper!.findAll('.el-table__body tr').length === 1)
    await wrapper.findAll('button').find((b) => b.text() === '导出 Excel')!.trigger('click')
    await until(() => saved.length === 1)
    expect(saved[0]).toMatchObject({ suggestedName: `客户_${localToday()}.xlsx`, kind: 'xlsx' })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(saved[0]!.bytes.buffer as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getCell('A2').value).toBe('搜索：美达')
    const headers = (ws.getRow(3).values as unknown[]).slice(1)
    const onScreen = wrapper.findAll('.el-table__header th').map((th) => th.text().trim()).filter(Boolean)
    expect(headers).toEqual(onScreen)
    const cells = (ws.getRow(4).values as unknown[]).slice(1)
    // The first cell is the selection box every list has.
    const screen = wrapper.findAll('.el-table__body tr')[0]!.findAll('td').map((td) => td.text().trim()).slice(1)
    // Text columns read as on screen; 更新时间 is a date cell (the screen shows it formatted).
    expect(cells.slice(0, -1)).toEqual(screen.slice(0, -1).map((s) => s || undefined))
    expect(cells.at(-1)).toBeInstanceOf(Date)
    expect(ws.rowCount).toBe(4)
  })
})
