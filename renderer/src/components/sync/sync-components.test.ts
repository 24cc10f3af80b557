// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { makeI18n } from '@app/locales'
import type { ConflictItem, FolderState, SyncPanelStatus, VaultFile } from '@app/sync'
import type { FieldDef } from '@forms/schema/types'
import PcList from './PcList.vue'
import FolderSetup from './FolderSetup.vue'
import ConflictCard from './ConflictCard.vue'
import SyncStatusPanel from './SyncStatusPanel.vue'
import SyncPage from '@app/pages/SyncPage.vue'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'

let wrapper: VueWrapper | undefined
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

function mountIt(component: object, props: Record<string, unknown>) {
  wrapper = mount(component, { props, global: { plugins: [ElementPlus, makeI18n('zh-CN')] }, attachTo: document.body })
  return wrapper
}
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) { await flushPromises(); await new Promise((r) => setTimeout(r, 10)) }
}
const button = (w: VueWrapper, text: string) => w.findAll('button').find((b) => b.text() === text)
/** The Element Plus message box (rendered into body), and a button in it. */
const dialog = () => [...document.body.querySelectorAll<HTMLElement>('.el-message-box')].at(-1) ?? null
const dialogButton = (text: string) => [...(dialog()?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === text)

// A real Ed25519 public key is not needed: the founder's key only feeds the fingerprint shown.
const FOUNDER_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='
const vault = (id: string, kdf = false): VaultFile => ({
  id, format: 1, minApp: '0.1.0', created: '2026-11-20T02:00:00.000Z',
  founder: { pc: 'A1-0001', name: '客服1号机', publicKey: FOUNDER_KEY },
  ...(kdf ? { kdf: { alg: 'PBKDF2-SHA256', iterations: 600_000, salt: 'c2FsdA==', check: 'x' } } : {}),
})

describe('PcList', () => {
  const pcs: SyncPanelStatus['pcs'] = [
    { pc: 'A1-0001', name: '客服1号机', trusted: true, fingerprint: '2B73-C7A9-08DE-A6F0', imported: 4, self: true },
    { pc: 'B2-0002', name: '客服2号机', trusted: false, fingerprint: 'FAC8-82DE-B5AF-A2DD', imported: 0, self: false },
  ]

  it('lists a PC waiting to join with its name and fingerprint; 批准 asks with the fingerprint and approves only on confirm', async () => {
    const w = mountIt(PcList, { pcs, canApprove: true })
    const waiting = w.findAll('tbody tr').find((r) => r.text().includes('客服2号机'))!
    expect(waiting.text()).toContain('FAC8-82DE-B5AF-A2DD')
    expect(waiting.text()).toContain('待批准')
    expect(w.findAll('button').filter((b) => b.text() === '批准')).toHaveLength(1)

    await button(w, '批准')!.trigger('click')
    await until(() => !!dialogButton('批准'))
    expect(dialog()!.textContent).toContain('FAC8-82DE-B5AF-A2DD')
    expect(dialog()!.textContent).toContain('客服2号机')
    dialogButton('取消')!.click()
    await until(() => !dialog() || dialog()!.style.display === 'none')
    expect(w.emitted('approve')).toBeUndefined()

    await button(w, '批准')!.trigger('click')
    await until(() => !!dialogButton('批准'))
    dialogButton('批准')!.click()
    await until(() => !!w.emitted('approve'))
    expect(w.emitted('approve')).toEqual([['B2-0002']])
  })

  it('offers no 批准 on a PC that is itself still waiting for approval', () => {
    const w = mountIt(PcList, { pcs, canApprove: false })
    expect(button(w, '批准')).toBeUndefined()
  })
})

describe('FolderSetup', () => {
  const base = { folder: '/mnt/share/marketdesk', pcName: '客服1号机', measureKdf: async () => 850 }

  it('another office’s vault: a clear warning, and neither 加入 nor 创建 (vaults never merge, fault 2)', () => {
    const state: FolderState = { kind: 'vault', vault: vault('other-office'), ours: false, joined: true }
    const w = mountIt(FolderSetup, { ...base, state, mine: vault('our-office') })
    expect(w.text()).toContain('这个文件夹属于另一个办公室的共享库')
    expect(w.text()).toContain('两个共享库永远不会合并')
    expect(button(w, '加入')).toBeUndefined()
    expect(button(w, '创建办公室共享库')).toBeUndefined()
    expect(button(w, '选择其他文件夹')).toBeDefined()
  })

  it('an empty folder on a PC that already belongs to a vault (share not mounted): a warning, no 创建 (fault 1)', () => {
    const w = mountIt(FolderSetup, { ...base, state: { kind: 'empty' }, mine: vault('our-office') })
    expect(w.text()).toContain('本机已加入办公室的共享库')
    expect(button(w, '创建办公室共享库')).toBeUndefined()
  })

  it('a folder with other files: a warning and an explicit 仍在此文件夹创建共享库', () => {
    const w = mountIt(FolderSetup, { ...base, state: { kind: 'notVault', entries: 12 } })
    expect(w.text()).toContain('这个文件夹不是空的，也不是共享库')
    expect(w.text()).toContain('12 个其他文件')
    expect(button(w, '仍在此文件夹创建共享库')).toBeDefined()
    expect(button(w, '创建办公室共享库')).toBeUndefined()
  })

  it('create with a passphrase (on by default): says every PC needs it and it cannot be recovered, states the measured cost, refuses differing passphrases, confirms, then creates', async () => {
    const w = mountIt(FolderSetup, { ...base, state: { kind: 'empty' } })
    expect(w.find('.el-checkbox').classes()).toContain('is-checked')
    expect(w.find('[data-testid="passphrase-every-pc"]').text()).toBe('办公室的每台电脑都要输入这个口令才能同步；口令无法找回，忘记后共享文件夹中的数据将无法读取。')
    expect(w.find('[data-testid="unencrypted-warning"]').exists()).toBe(false)
    await until(() => w.text().includes('850 ms'))
    expect(w.find('[data-testid="kdf-cost"]').text()).toContain('600,000')
    const [p1, p2] = w.findAll('input[type="password"]')
    await p1!.setValue('恒泰办公室2026')
    await p2!.setValue('恒泰办公室2025')
    await button(w, '创建办公室共享库')!.trigger('click')
    await until(() => w.text().includes('两次输入的口令不一致'))
    expect(w.text()).toContain('两次输入的口令不一致')
    expect(dialog()).toBeNull()

    await p2!.setValue('恒泰办公室2026')
    await button(w, '创建办公室共享库')!.trigger('click')
    await until(() => !!dialogButton('创建办公室共享库'))
    expect(dialog()!.textContent).toContain('/mnt/share/marketdesk')
    expect(dialog()!.textContent).toContain('其他电脑加入时需要输入同一口令')
    dialogButton('创建办公室共享库')!.click()
    await until(() => !!w.emitted('create'))
    expect(w.emitted('create')).toEqual([['恒泰办公室2026']])
  })

  it('encryption switched off for a new vault: a warning line, no passphrase asked, created unencrypted', async () => {
    const w = mountIt(FolderSetup, { ...base, state: { kind: 'empty' } })
    await w.find('.el-checkbox').trigger('click')
    await until(() => w.find('[data-testid="unencrypted-warning"]').exists())
    expect(w.find('[data-testid="unencrypted-warning"]').text()).toContain('能打开这个共享文件夹的人都能读取')
    expect(w.findAll('input[type="password"]')).toHaveLength(0)
    await button(w, '创建办公室共享库')!.trigger('click')
    await until(() => !!dialogButton('创建办公室共享库'))
    expect(dialog()!.textContent).not.toContain('其他电脑加入时需要输入同一口令')
    dialogButton('创建办公室共享库')!.click()
    await until(() => !!w.emitted('create'))
    expect(w.emitted('create')).toEqual([[undefined]])
  })

  it('our office’s encrypted vault: shows who created it and asks for the passphrase to join', async () => {
    const state: FolderState = { kind: 'vault', vault: vault('our-office', true), ours: false, joined: false }
    const w = mountIt(FolderSetup, { ...base, pcName: '客服2号机', state })
    await until(() => /由“客服1号机”创建于 .* [0-9A-F]{4}-/.test(w.text()))
    await w.find('input[type="password"]').setValue('恒泰办公室2026')
    await button(w, '加入')!.trigger('click')
    expect(w.emitted('join')).toEqual([['恒泰办公室2026']])
  })
})

describe('ConflictCard', () => {
  const money: FieldDef = { key: 'unitPrice', label: { zh: '含税单价', en: 'Unit price' }, type: 'money' }
  const conflict: ConflictItem = {
    id: 'docs\u0000q1\u0000values.unitPrice', table: 'docs', key: 'q1', field: 'values.unitPrice', kind: 'value', docId: 'q1', number: 'BJ2611-A1-0003', form: 'quotation',
    values: [
      { value: 2380, hlc: 'h2', pc: 'B2-0002', pcName: '客服2号机', at: '2026-11-20T02:05:00.000Z', by: 'u2' },
      { value: 2350, hlc: 'h1', pc: 'A1-0001', pcName: '客服1号机', at: '2026-11-20T02:04:00.000Z', by: 'u1' },
    ],
  }
  const names: Record<string, string> = { u1: '李强', u2: '王芳' }
  const props = { conflict, title: '报价单 BJ2611-A1-0003', fieldLabel: '含税单价', field: money, display: (v: unknown) => `¥${(Number(v) / 100).toFixed(2)}`, userName: (id: string) => names[id] ?? id }

  it('shows both values side by side with PC, clerk and time, marks the one shown now, and picks the other', async () => {
    const w = mountIt(ConflictCard, props)
    const values = w.findAll('[data-testid="conflict-value"]')
    expect(values).toHaveLength(2)
    expect(values[0]!.text()).toContain('当前显示')
    expect(values[0]!.text()).toContain('¥23.80')
    expect(values[0]!.text()).toContain('客服2号机 · 王芳')
    expect(values[1]!.text()).not.toContain('当前显示')
    expect(values[1]!.text()).toContain('客服1号机 · 李强')
    await values[1]!.findAll('button').find((b) => b.text() === '采用此值')!.trigger('click')
    expect(w.emitted('resolve')).toEqual([[2350]])
  })

  it('edits a money value with the money input: 23.65 yuan is resolved as 2365 fen', async () => {
    const w = mountIt(ConflictCard, props)
    await button(w, '修改后采用')!.trigger('click')
    const input = w.find('input[aria-label="含税单价"]')
    await input.setValue('23.65')
    await button(w, '保存此值')!.trigger('click')
    expect(w.emitted('resolve')).toEqual([[2365]])
  })

  it('an edit-versus-delete conflict offers 恢复 and a confirmed 确认删除', async () => {
    const editDelete: ConflictItem = { ...conflict, field: '$deleted', kind: 'editDelete', values: [
      { value: false, hlc: 'h2', pc: 'B2-0002', pcName: '客服2号机', at: '2026-11-20T02:05:00.000Z' },
      { value: true, hlc: 'h1', pc: 'A1-0001', pcName: '客服1号机', at: '2026-11-20T02:04:00.000Z' },
    ] }
    const w = mountIt(ConflictCard, { ...props, conflict: editDelete, field: undefined })
    expect(w.text()).toContain('在 客服2号机 上修改')
    expect(w.text()).toContain('在 客服1号机 上删除')
    expect(button(w, '采用此值')).toBeUndefined()
    await button(w, '恢复')!.trigger('click')
    expect(w.emitted('resolve')).toEqual([[false]])
    await button(w, '确认删除')!.trigger('click')
    await until(() => !!dialogButton('确认删除'))
    expect(dialog()!.textContent).toContain('报价单 BJ2611-A1-0003')
    dialogButton('确认删除')!.click()
    await until(() => (w.emitted('resolve')?.length ?? 0) === 2)
    expect(w.emitted('resolve')![1]).toEqual([true])
  })
})

describe('SyncStatusPanel', () => {
  const status: SyncPanelStatus = {
    vault: 'v', paused: true, lastSync: Date.parse('2026-11-20T02:00:00Z'), waiting: 7, conflicts: 2, pendingAttachments: 1, pc: 'A1-0001', running: true,
    pcs: [{ pc: 'C3-0003', name: '客服3号机', trusted: true, fingerprint: '0000-0000-0000-0000', imported: 2, self: false }],
    problems: [
      { code: 'folderUnavailable', message: '共享文件夹不可用，同步已暂停（本机数据不受影响）', messageEn: 'Shared folder unavailable' },
      { code: 'missingData', pc: 'C3-0003', message: '缺少来自电脑 C3-0003 的数据', messageEn: 'Missing data from PC C3-0003' },
    ],
    progress: { phase: 'import', records: 2000, message: '正在接收其他电脑的更改：已处理 2000 条' },
  }

  it('shows waiting changes, conflicts, the problems in plain zh-CN and the progress; 立即同步 waits while a round runs', async () => {
    const w = mountIt(SyncStatusPanel, { status, digest: 'ab'.repeat(32) })
    expect(w.find('[data-testid="sync-waiting"]').text()).toBe('7')
    expect(w.find('[data-testid="sync-state"]').text()).toBe('同步已暂停')
    expect(w.find('[data-testid="sync-problems"]').text()).toContain('共享文件夹不可用，同步已暂停')
    expect(w.find('[data-testid="sync-problems"]').text()).toContain('缺少来自电脑 “客服3号机” 的数据')
    expect(w.find('[data-testid="sync-progress"]').text()).toContain('已处理 2000 条')
    expect(w.find('[data-testid="sync-digest"]').text()).toBe('ABAB ABAB ABAB ABAB')
    expect(button(w, '立即同步')!.attributes('disabled')).toBeDefined()

    await w.setProps({ status: { ...status, paused: false, running: false, progress: undefined, problems: [] } })
    expect(w.find('[data-testid="sync-problems"]').text()).toContain('没有问题')
    await button(w, '立即同步')!.trigger('click')
    expect(w.emitted('syncNow')).toHaveLength(1)
  })
})

describe('SyncPage in a plain browser', () => {
  it('says sync needs the desktop app (no window.desk, no folder access)', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
    wrapper = mount(SyncPage, { global: { plugins: [ElementPlus, makeI18n('zh-CN'), createPinia(), router] }, attachTo: document.body })
    await flushPromises()
    expect(wrapper.find('[data-testid="sync-desktop-only"]').text()).toContain('同步需要桌面版 MarketDesk')
    expect(button(wrapper, '选择共享文件夹')).toBeUndefined()
  })
})
