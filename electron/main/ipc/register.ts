/**
 * The only place handlers meet Electron's ipcMain (passed in, so this is tested with a fake).
 * Each call is first checked to come from the main frame of our window showing our own app://
 * page (VS Code style); anything else — a subframe, a navigated or foreign page — is refused.
 */
import { Channel, type ChannelName, type Envelope } from '../../shared/ipc'
import type { Handlers } from './registry'

export const APP_ORIGIN = 'app://marketdesk/'

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  url: string
  parent: FrameLike | null
  processId?: number
  routingId?: number
}
export interface InvokeEventLike {
  senderFrame: FrameLike | null
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

/** True for the main frame of our window, currently on an app:// page of ours. */
export function isTrustedSender(event: InvokeEventLike, mainFrame: () => FrameLike | null | undefined): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  const ours = mainFrame()
  if (!ours) return false
  // Electron hands out one WebFrameMain object per frame; the ids are a fallback for the identity.
  const same = frame === ours || (ours.processId !== undefined && frame.processId === ours.processId && frame.routingId === ours.routingId)
  return same && frame.url.startsWith(APP_ORIGIN)
}

const forbidden: Envelope<never> = { ok: false, code: 'FORBIDDEN_SENDER', message: '拒绝来自未知页面的请求' }

/** Registers every channel on `ipcMain`; returns a function that unregisters them. */
export function registerHandlers(ipcMain: IpcMainLike, handlers: Handlers, mainFrame: () => FrameLike | null | undefined): () => void {
  const channels = Object.values(Channel) as ChannelName[]
  for (const channel of channels) {
    const handler = handlers[channel] as (args: unknown) => Promise<unknown>
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event, mainFrame)) return forbidden
      // One argument per call: extra arguments mean the caller is not our preload.
      if (args.length !== 1) return { ok: false, code: 'BAD_REQUEST', message: `请求参数无效（${channel}）` }
      return handler(args[0])
    })
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c))
}
