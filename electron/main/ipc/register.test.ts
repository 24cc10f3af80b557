import { describe, expect, it } from 'vitest'
import { Channel } from '../../shared/ipc'
import { registerHandlers, type FrameLike, type InvokeEventLike, type IpcMainLike } from './register'
import { makeFixture } from './test-fixture'

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>

function fakeIpcMain() {
  const listeners = new Map<string, Listener>()
  const ipc: IpcMainLike = {
    handle: (c, l) => void listeners.set(c, l),
    removeHandler: (c) => void listeners.delete(c),
  }
  return { ipc, listeners }
}

const frame = (url: string, parent: FrameLike | null = null): FrameLike => ({ url, parent })

async function setup() {
  const f = await makeFixture()
  const { ipc, listeners } = fakeIpcMain()
  const main = frame('app://marketdesk/index.html#/quotes')
  const unregister = registerHandlers(ipc, f.h, () => main)
  const call = (senderFrame: FrameLike | null, channel: string, ...args: unknown[]) => {
    const l = listeners.get(channel)
    if (!l) throw new Error(`no handler for ${channel}`)
    return l({ senderFrame }, ...args)
  }
  return { f, main, call, listeners, unregister }
}

describe('registerHandlers', () => {
  it('registers every channel of the contract and unregisters them', async () => {
    const s = await setup()
    expect([...s.listeners.keys()].sort()).toEqual(Object.values(Channel).sort())
    s.unregister()
    expect(s.listeners.size).toBe(0)
    await s.f.cleanup()
  })

  it('answers our own main frame', async () => {
    const s = await setup()
    expect(await s.call(s.main, 'app:info', {})).toEqual({ ok: true, value: { version: '0.1.0', platform: process.platform, userDataDir: s.f.userData } })
    await s.f.cleanup()
  })

  it('refuses a foreign page, a subframe, another window and a destroyed frame, without running the handler', async () => {
    const s = await setup()
    const evil = frame('https://evil/')
    const sub = frame('app://marketdesk/index.html', s.main)
    const otherWindow = frame('app://marketdesk/index.html')
    for (const sender of [evil, sub, otherWindow, null]) {
      s.f.dialogs.queueOpen([s.f.dir])
      expect(await s.call(sender, 'shared:choose', {})).toEqual({ ok: false, code: 'FORBIDDEN_SENDER', message: '拒绝来自未知页面的请求' })
    }
    expect(s.f.dialogs.calls).toHaveLength(0)
    expect(await s.f.deps.settings.get()).toEqual({})
    await s.f.cleanup()
  })

  it('recognises our main frame by its process and routing ids, and nothing else with other ids', async () => {
    const f = await makeFixture()
    const { ipc, listeners } = fakeIpcMain()
    registerHandlers(ipc, f.h, () => ({ url: 'app://marketdesk/index.html', parent: null, processId: 4, routingId: 1 }))
    const info = listeners.get('app:info')!
    expect(await info({ senderFrame: { url: 'app://marketdesk/index.html', parent: null, processId: 4, routingId: 1 } }, {})).toMatchObject({ ok: true })
    expect(await info({ senderFrame: { url: 'app://marketdesk/index.html', parent: null, processId: 4, routingId: 2 } }, {})).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' })
    expect(await info({ senderFrame: { url: 'app://marketdesk/index.html', parent: null } }, {})).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' })
    await f.cleanup()
  })

  it('refuses our main frame once it has navigated away from app://marketdesk/', async () => {
    const s = await setup()
    s.main.url = 'file:///etc/passwd'
    const r = await s.call(s.main, 'app:info', {})
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN_SENDER' })
    await s.f.cleanup()
  })

  it('refuses extra or missing arguments and wrong shapes', async () => {
    const s = await setup()
    expect(await s.call(s.main, 'app:info', {}, 'extra')).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    expect(await s.call(s.main, 'app:info')).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    expect(await s.call(s.main, 'shared:list', { dir: 3 })).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    await s.f.cleanup()
  })
})
