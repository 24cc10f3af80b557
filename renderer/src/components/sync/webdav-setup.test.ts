// @vitest-environment happy-dom
/** WebdavSetup (issue 11) as a clerk uses it: type the server, 测试连接, read what it says, use it. */
import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { makeI18n } from '@app/locales'
import { testVerdict, type WebdavForm, type WebdavInfo, type WebdavVerdict } from '@app/sync'
import WebdavSetup from './WebdavSetup.vue'

let wrapper: VueWrapper | undefined
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

function mountIt(props: { check: (f: WebdavForm) => Promise<WebdavVerdict>; current?: WebdavInfo }, locale: 'zh-CN' | 'en' = 'zh-CN') {
  wrapper = mount(WebdavSetup, { props, global: { plugins: [ElementPlus, makeI18n(locale)] }, attachTo: document.body })
  return wrapper
}
const button = (w: VueWrapper, text: string) => w.findAll('button').find((b) => b.text() === text)
const input = (w: VueWrapper, id: string) => w.find(`input[data-testid="${id}"]`)

describe('WebdavSetup', () => {
  it('测试连接 says a wrong password plainly; a working one says the folder is empty; 使用此服务器 hands the form over', async () => {
    const tried: WebdavForm[] = []
    const check = async (f: WebdavForm) => {
      tried.push(f)
      return f.password === 'right'
        ? testVerdict({ ok: true, value: { entries: [], vault: null, insecure: false } }, undefined)
        : testVerdict({ ok: false, code: 'AUTH_FAILED', message: 'WebDAV 用户名或密码不正确。同步已暂停：请在“设置 → 同步”中重新输入密码' }, undefined)
    }
    const w = mountIt({ check })
    expect(button(w, '测试连接')?.attributes('disabled')).toBeDefined()
    await input(w, 'webdav-url').setValue('https://nas.example.com:5006/MarketDesk/')
    await input(w, 'webdav-username').setValue('kefu')
    await input(w, 'webdav-password').setValue('wrong')
    await button(w, '测试连接')!.trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="webdav-result"]').text()).toMatch(/用户名或密码不正确/)
    await input(w, 'webdav-password').setValue('right')
    await button(w, '测试连接')!.trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="webdav-result"]').text()).toMatch(/连接成功：文件夹是空的/)
    expect(tried.at(-1)).toEqual({ url: 'https://nas.example.com:5006/MarketDesk/', username: 'kefu', password: 'right' })
    expect(w.find('[data-testid="webdav-insecure"]').exists()).toBe(false)
    await button(w, '使用此服务器')!.trigger('click')
    expect(w.emitted('use')).toEqual([[{ url: 'https://nas.example.com:5006/MarketDesk/', username: 'kefu', password: 'right' }]])
  })

  it('warns about http, and after a refused password asks for it again', async () => {
    const current: WebdavInfo = {
      url: 'http://192.168.1.20:5005/MarketDesk/', username: 'kefu', hasPassword: true, insecure: true, timeoutMs: 20_000,
      problem: { code: 'AUTH_FAILED', message: 'WebDAV 用户名或密码不正确。同步已暂停：请在“设置 → 同步”中重新输入密码' },
    }
    const w = mountIt({ current, check: async () => { throw new Error('not called') } })
    expect(w.find('[data-testid="webdav-insecure"]').text()).toMatch(/只应在办公室局域网内使用/)
    expect(w.find('[data-testid="webdav-problem"]').text()).toMatch(/密码不正确，同步已暂停：请重新输入密码/)
    expect((input(w, 'webdav-url').element as HTMLInputElement).value).toBe('http://192.168.1.20:5005/MarketDesk/')
    expect(button(w, '保存新密码')).toBeDefined()
  })

  it('the kept password serves only its own server: another address needs the password typed before 使用此服务器', async () => {
    const current: WebdavInfo = { url: 'https://nas.example.com:5006/MarketDesk/', username: 'kefu', hasPassword: true, insecure: false, timeoutMs: 20_000 }
    const w = mountIt({ current, check: async () => { throw new Error('not called') } })
    expect(button(w, '使用此服务器')?.attributes('disabled')).toBeUndefined()
    await input(w, 'webdav-url').setValue('https://dav.jianguoyun.com/dav/MarketDesk/')
    expect(button(w, '使用此服务器')?.attributes('disabled')).toBeDefined()
    await input(w, 'webdav-password').setValue('app-password')
    expect(button(w, '使用此服务器')?.attributes('disabled')).toBeUndefined()
  })

  it('speaks English in the English UI', async () => {
    const w = mountIt({ check: async () => testVerdict({ ok: false, code: 'UNREACHABLE', message: '无法连接' }, undefined) }, 'en')
    await input(w, 'webdav-url').setValue('https://nas.local/dav/')
    await input(w, 'webdav-username').setValue('kefu')
    await input(w, 'webdav-password').setValue('pw')
    await button(w, 'Test connection')!.trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="webdav-result"]').text()).toMatch(/cannot be reached/)
  })
})
