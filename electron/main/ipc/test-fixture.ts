/** Shared setup for the handler tests: a temp folder, scripted dialogs, a real settings file. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createSettingsStore } from '../settings'
import type { Clock, HandlerDeps } from './deps'
import type { FileOps } from './file-ops'
import { createHandlers, type Handlers } from './registry'
import { scriptedDialogs, type ScriptedDialogs } from './scripted-dialogs'

export interface Fixture {
  dir: string
  userData: string
  dialogs: ScriptedDialogs
  deps: HandlerDeps
  h: Handlers
  cleanup(): Promise<void>
}

/** A clock whose sleep advances time instantly, recording each sleep. */
export function fakeClock(): Clock & { slept: number[] } {
  let t = 0
  const slept: number[] = []
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms)
      t += ms
    },
  }
}

export async function makeFixture(opts: { fileOps?: FileOps; clock?: Clock } = {}): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'desk-test-'))
  const userData = path.join(dir, 'userData')
  const dialogs = scriptedDialogs()
  const deps: HandlerDeps = {
    dialogs,
    settings: createSettingsStore(path.join(userData, 'settings.json')),
    app: { version: '0.1.0', platform: process.platform, userDataDir: userData },
    defaultSaveDir: path.join(dir, 'Documents'),
    ...(opts.fileOps ? { fileOps: opts.fileOps } : {}),
    clock: opts.clock ?? fakeClock(),
  }
  return { dir, userData, dialogs, deps, h: createHandlers(deps), cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Minimal bytes that pass the PDF check. */
export const pdfBytes = (extra = 'x') => new TextEncoder().encode(`%PDF-1.7\n${extra}\n%%EOF`)
