import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { sharedTarget } from './ipc/deps'
import { createSettingsStore } from './settings'

let dir: string
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'desk-settings-'))))
afterEach(() => rm(dir, { recursive: true, force: true }))

it('keeps settings across restarts and merges concurrent updates', async () => {
  const file = path.join(dir, 'userData', 'settings.json')
  const s = createSettingsStore(file)
  await Promise.all([s.update({ sharedRoot: 'S:\\共享' }), s.update({ lastSaveDir: 'D:\\docs' })])
  expect(await createSettingsStore(file).get()).toEqual({ sharedRoot: 'S:\\共享', lastSaveDir: 'D:\\docs' })
  expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ sharedRoot: 'S:\\共享', lastSaveDir: 'D:\\docs' })
})

it('starts empty from a corrupt or foreign settings file', async () => {
  const file = path.join(dir, 'settings.json')
  await writeFile(file, '{"sharedRoot": 5, "x": ')
  expect(await createSettingsStore(file).get()).toEqual({})
  await writeFile(file, '{"sharedRoot": 5, "evil": "x"}')
  expect(await createSettingsStore(file).get()).toEqual({})
})

it('reads an older file that names the shared folder as sharedRoot, and the new target beside it', async () => {
  const file = path.join(dir, 'settings.json')
  await writeFile(file, JSON.stringify({ sharedRoot: 'S:\\共享', ownPc: 'PC01' }))
  const old = await createSettingsStore(file).get()
  expect(sharedTarget(old)).toEqual({ kind: 'folder', path: 'S:\\共享' })
  await writeFile(file, JSON.stringify({ sharedRoot: 'S:\\共享', shared: { kind: 'webdav', url: 'https://nas.local:5006/MarketDesk/', username: 'kefu', password: 'leaked?' } }))
  const now = await createSettingsStore(file).get()
  // The chosen target wins; a password in the file is never taken from it.
  expect(sharedTarget(now)).toEqual({ kind: 'webdav', url: 'https://nas.local:5006/MarketDesk/', username: 'kefu' })
  await writeFile(file, JSON.stringify({ shared: { kind: 'webdav', url: 'file:///etc', username: 'x' } }))
  expect(sharedTarget(await createSettingsStore(file).get())).toBeUndefined()
})
