import { describe, expect, it } from 'vitest'
import { RECOVERED_MESSAGE, recoveredNotice } from '../shared/channels'
import { watchRenderer, type RecoverableWindow } from './renderer-recovery'

type Listener = (...args: unknown[]) => void

/** The parts of a BrowserWindow the watcher uses, recording what it did. */
function fakeWindow() {
  const own = new Map<string, Listener[]>()
  const wc = new Map<string, Listener[]>()
  const add = (m: Map<string, Listener[]>, ev: string, fn: Listener) => void m.set(ev, [...(m.get(ev) ?? []), fn])
  const loaded: string[] = []
  let destroyed = false
  let crashes = 0
  const win = {
    loaded,
    get forcedCrashes() { return crashes },
    destroy() { destroyed = true },
    emit(ev: string, ...a: unknown[]) { for (const fn of own.get(ev) ?? []) fn(...a) },
    emitContents(ev: string, ...a: unknown[]) { for (const fn of wc.get(ev) ?? []) fn(...a) },
    on(ev: string, fn: Listener) { add(own, ev, fn); return win },
    isDestroyed: () => destroyed,
    webContents: {
      on(ev: string, fn: Listener) { add(wc, ev, fn); return win.webContents },
      isDestroyed: () => destroyed,
      async loadURL(url: string) { loaded.push(url) },
      // Electron then reports the renderer gone with reason 'killed'.
      forcefullyCrashRenderer() { crashes++; win.emitContents('render-process-gone', {}, { reason: 'killed', exitCode: 0 }) },
    },
  }
  return win
}

function fakeTimers() {
  let t = 0
  let next = 1
  const pending = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => t,
    setTimeout: (fn: () => void, ms: number) => { const id = next++; pending.set(id, { at: t + ms, fn }); return id },
    clearTimeout: (id: unknown) => void pending.delete(id as number),
    advance(ms: number) {
      t += ms
      for (const [id, p] of [...pending]) if (p.at <= t) { pending.delete(id); p.fn() }
    },
  }
}

const URL = 'app://marketdesk/index.html'

describe('renderer recovery', () => {
  it('fork renderer crash: a crashed or hung renderer is reloaded with a flag the page turns into a zh-CN message', () => {
    const win = fakeWindow()
    const timers = fakeTimers()
    const gaveUp: string[] = []
    watchRenderer(win as unknown as RecoverableWindow, { url: URL, graceMs: 10_000, timers, onGiveUp: (r) => gaveUp.push(r) })

    win.emitContents('render-process-gone', {}, { reason: 'crashed', exitCode: 11 })
    expect(win.loaded).toEqual([`${URL}?recovered=crashed`])
    // A normal end (the app quitting) is not a crash.
    win.emitContents('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 })
    expect(win.loaded).toHaveLength(1)

    // Hung: after the grace period the renderer is ended and reloaded; a renderer that answers again is left alone.
    win.emit('unresponsive')
    timers.advance(9_000)
    win.emit('responsive')
    timers.advance(5_000)
    expect(win.forcedCrashes).toBe(0)
    timers.advance(60_000)
    win.emit('unresponsive')
    timers.advance(10_000)
    expect(win.forcedCrashes).toBe(1)
    expect(win.loaded).toEqual([`${URL}?recovered=crashed`, `${URL}?recovered=killed`])
    expect(gaveUp).toEqual([])

    // The page reads the flag: the clerk is told, in zh-CN, what happened and what is kept.
    expect(RECOVERED_MESSAGE.zh).toBe('程序刚才意外中断，已自动重新打开；已保存的数据不受影响，未保存的修改需要重新填写')
    expect(recoveredNotice('?recovered=crashed')).toEqual(RECOVERED_MESSAGE)
    expect(recoveredNotice('?x=1')).toBeNull()
    // What was being typed when it went is named.
    expect(recoveredNotice('?recovered=crashed', '新建客户')?.zh).toContain('“新建客户”中未保存的修改没有保留下来')
    expect(recoveredNotice('?x=1', '新建客户')).toBeNull()
    expect(recoveredNotice('')).toBeNull()
  })

  it('stops reloading a renderer that keeps crashing and says so once', () => {
    const win = fakeWindow()
    const timers = fakeTimers()
    const gaveUp: string[] = []
    watchRenderer(win as unknown as RecoverableWindow, { url: URL, graceMs: 10_000, timers, maxReloads: 3, perMs: 60_000, onGiveUp: (r) => gaveUp.push(r) })
    for (let i = 0; i < 5; i++) {
      win.emitContents('render-process-gone', {}, { reason: 'oom', exitCode: 1 })
      timers.advance(1_000)
    }
    expect(win.loaded).toHaveLength(3)
    expect(gaveUp).toEqual(['oom'])
    // Later crashes, long after, are recovered again.
    timers.advance(120_000)
    win.emitContents('render-process-gone', {}, { reason: 'crashed', exitCode: 1 })
    expect(win.loaded).toHaveLength(4)
  })

  it('leaves a closed window alone', () => {
    const win = fakeWindow()
    const timers = fakeTimers()
    const stop = watchRenderer(win as unknown as RecoverableWindow, { url: URL, graceMs: 10_000, timers })
    win.emit('unresponsive')
    win.destroy()
    timers.advance(20_000)
    win.emitContents('render-process-gone', {}, { reason: 'crashed', exitCode: 1 })
    expect(win.forcedCrashes).toBe(0)
    expect(win.loaded).toEqual([])
    stop()
  })
})
