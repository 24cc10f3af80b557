import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeskError } from '../shared/ipc'
import { resolveInside } from './paths'

let dir: string
let root: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'desk-paths-'))
  root = path.join(dir, 'root')
  await mkdir(path.join(root, 'a'), { recursive: true })
  await writeFile(path.join(root, 'a', 'f.txt'), 'in')
  await writeFile(path.join(dir, 'secret.txt'), 'out')
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof DeskError ? e.code : String(e)))

describe('resolveInside', () => {
  it('resolves existing and not-yet-existing paths under the root', async () => {
    expect(await resolveInside(root, 'a/f.txt')).toBe(path.join(root, 'a', 'f.txt'))
    expect(await resolveInside(root, 'a\\f.txt')).toBe(path.join(root, 'a', 'f.txt'))
    expect(await resolveInside(root, 'new/dir/file.bin')).toBe(path.join(root, 'new', 'dir', 'file.bin'))
  })

  it.each(['../secret.txt', 'a/../../secret.txt', 'a\\..\\..\\secret.txt', '..', '', '.', 'a/\0b', 'C:\\Windows\\win.ini', 'c:x', '\\\\server\\share\\x', '/etc/passwd', 'a/b:stream'])(
    'refuses %j',
    async (rel) => {
      expect(await code(resolveInside(root, rel))).toBe('OUTSIDE_ROOT')
    },
  )

  it('refuses an absolute path even when it points inside the root', async () => {
    expect(await code(resolveInside(root, path.join(root, 'a', 'f.txt')))).toBe('OUTSIDE_ROOT')
  })

  it('refuses a symlinked file or folder that leads out of the root, also for new files below it', async () => {
    await symlink(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'))
    await symlink(dir, path.join(root, 'out'))
    expect(await code(resolveInside(root, 'link.txt'))).toBe('OUTSIDE_ROOT')
    expect(await code(resolveInside(root, 'out/secret.txt'))).toBe('OUTSIDE_ROOT')
    expect(await code(resolveInside(root, 'out/new/file.txt'))).toBe('OUTSIDE_ROOT')
  })

  it('accepts a symlink that stays inside the root', async () => {
    await symlink(path.join(root, 'a'), path.join(root, 'alias'))
    expect(await resolveInside(root, 'alias/f.txt')).toBe(path.join(root, 'alias', 'f.txt'))
  })

  it('reports a missing root as unavailable', async () => {
    expect(await code(resolveInside(path.join(dir, 'gone'), 'x'))).toBe('SHARED_UNAVAILABLE')
  })
})
