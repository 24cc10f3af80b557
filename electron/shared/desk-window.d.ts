import type { DeskApi } from './ipc'

declare global {
  interface Window {
    /** Present in the Electron app (preload) and in Playwright runs (test bridge); absent in a plain browser. */
    desk?: DeskApi
  }
}

export {}
