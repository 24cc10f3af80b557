import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
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
