/**
 * Recovery of a crashed or hung renderer (issue 7: nothing recovered a crashed renderer, so a PDF
 * bomb or an out-of-memory left the clerk with a white window). Plain Node over the few parts of a
 * BrowserWindow it uses, so it is tested with a fake window; index.ts wires the real one.
 *
 * - `render-process-gone` (any reason but a clean exit): the window loads the app page again with
 *   `?recovered=<reason>`; the page shows RECOVERED_MESSAGE (electron/shared/channels.ts). What was
 *   saved is in IndexedDB and survives; what was being typed is lost, and the message says so.
 * - `unresponsive` for longer than the grace period (no `responsive` meanwhile): the renderer is
 *   ended (`forcefullyCrashRenderer`), which reports it gone, and it is reloaded as above.
 * - A renderer that keeps dying (more than `maxReloads` within `perMs`) is not reloaded in a loop:
 *   `onGiveUp` is called once (index.ts shows a dialog) until the window has been stable again.
 */
import { RECOVERED_QUERY } from '../shared/channels'

/** The parts of Electron's BrowserWindow the watcher uses. */
export interface RecoverableWindow {
  on(event: 'unresponsive', listener: () => void): unknown
  on(event: 'responsive', listener: () => void): unknown
  isDestroyed(): boolean
  webContents: {
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode?: number }) => void): unknown
    isDestroyed(): boolean
    loadURL(url: string): Promise<void>
    forcefullyCrashRenderer(): void
  }
}

export interface RecoveryTimers {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface RecoveryOptions {
  /** The app page to load again (its query is replaced by the recovered flag). */
  url: string
  /** How long a hung renderer is given before it is ended; default 15 s. */
  graceMs?: number
  /** At most this many reloads within `perMs` (default 3 per minute). */
  maxReloads?: number
  perMs?: number
  timers?: RecoveryTimers
  /** Called once when reloading stops (the renderer keeps dying). */
  onGiveUp?: (reason: string) => void
  /** Told of every recovery (a log line in the app). */
  onRecover?: (reason: string) => void
}

const realTimers: RecoveryTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/** The page URL with the recovered flag, the reason as its value (`index.html?recovered=crashed`). */
export function recoveredUrl(url: string, reason: string): string {
  const base = url.split('#')[0]!.split('?')[0]!
  return `${base}?${RECOVERED_QUERY}=${encodeURIComponent(reason || 'gone')}`
}

/** Watches `win`'s renderer and reloads it after a crash or a hang; returns a function that stops watching. */
export function watchRenderer(win: RecoverableWindow, opts: RecoveryOptions): () => void {
  const timers = opts.timers ?? realTimers
  const graceMs = opts.graceMs ?? 15_000
  const maxReloads = opts.maxReloads ?? 3
  const perMs = opts.perMs ?? 60_000
  let hang: unknown
  let stopped = false
  let gaveUp = false
  const reloads: number[] = []
  const alive = () => !stopped && !win.isDestroyed() && !win.webContents.isDestroyed()

  const clearHang = () => {
    if (hang !== undefined) timers.clearTimeout(hang)
    hang = undefined
  }

  win.webContents.on('render-process-gone', (_e, details) => {
    clearHang()
    if (!alive() || details.reason === 'clean-exit') return
    const now = timers.now()
    while (reloads.length && now - (reloads[0] as number) > perMs) reloads.shift()
    if (reloads.length >= maxReloads) {
      if (!gaveUp) opts.onGiveUp?.(details.reason)
      gaveUp = true
      return
    }
    gaveUp = false
    reloads.push(now)
    opts.onRecover?.(details.reason)
    void win.webContents.loadURL(recoveredUrl(opts.url, details.reason)).catch(() => undefined)
  })

  win.on('unresponsive', () => {
    if (hang !== undefined || !alive()) return
    hang = timers.setTimeout(() => {
      hang = undefined
      // Ending it reports the renderer gone ('killed'), and the handler above reloads it.
      if (alive()) win.webContents.forcefullyCrashRenderer()
    }, graceMs)
  })
  win.on('responsive', clearHang)

  return () => {
    stopped = true
    clearHang()
  }
}
