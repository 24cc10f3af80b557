import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSettingsStore } from '../settings'
import { nodeFileOps, type FileOps } from './file-ops'
import { fakeClock, makeFixture, type Fixture } from './test-fixture'

let f: Fixture
afterEach(() => f?.cleanup())

const enc = (s: string) => new TextEncoder().encode(s)
const err = (code: string) => Object.assign(new Error(code), { code })

async function withShared(opts: Parameters<typeof makeFixture>[0] = {}) {
  f = await makeFixture(opts)
  const root = path.join(f.dir, 'share')
  await mkdir(root)
  f.dialogs.queueOpen([root])
  const r = await f.h['shared:choose']({})
  expect(r).toEqual({ ok: true, value: { root } })
  return root
}

/** A share holding a vault (its marker), with this PC registered as PC01: the writes below are its own. */
async function withVault(opts: Parameters<typeof makeFixture>[0] = {}) {
  const root = await withShared(opts)
  await writeFile(path.join(root, 'vault.json'), '{"id":"V1"}')
  expect(await f.h['shared:claimPc']({ pc: 'PC01' })).toEqual({ ok: true, value: { pc: 'PC01' } })
  return root
}

/** This PC's own segment names. */
const SEG = (n: number) => `pcs/PC01/seg/${String(n).padStart(10, '0')}.seg`
const segPath = (root: string, n: number) => path.join(root, ...SEG(n).split('/'))

describe('shared:choose / shared:current', () => {
  it('remembers the chosen folder in the settings file in userData', async () => {
    const root = await withShared()
    const reopened = createSettingsStore(path.join(f.userData, 'settings.json'))
    expect((await reopened.get()).shared).toEqual({ kind: 'folder', path: root })
    expect(await f.h['shared:current']({})).toEqual({ ok: true, value: { root } })
  })

  it('reports a cancelled dialog and keeps no folder', async () => {
    f = await makeFixture()
    expect(await f.h['shared:choose']({})).toEqual({ ok: true, value: { cancelled: true } })
    expect(await f.h['shared:current']({})).toEqual({ ok: true, value: { root: null } })
    const list = await f.h['shared:list']({ dir: '' })
    expect(list.ok ? 'ok' : list.code).toBe('SHARED_NOT_CHOSEN')
  })

  it('says the share is unavailable when the folder has gone (unmounted drive)', async () => {
    f = await makeFixture()
    await f.deps.settings.update({ sharedRoot: path.join(f.dir, 'unplugged') })
    const r = await f.h['shared:read']({ rel: 'vault.json' })
    expect(r.ok ? 'ok' : r.code).toBe('SHARED_UNAVAILABLE')
    expect(!r.ok && r.message).toMatch(/共享文件夹无法访问/)
  })
})

describe('shared:list / shared:read', () => {
  it('lists files and sub-folders (with a trailing slash), leaving out links', async () => {
    const root = await withShared()
    await mkdir(path.join(root, 'pcs', 'PC01'), { recursive: true })
    await writeFile(path.join(root, 'vault.json'), '{}')
    await writeFile(path.join(root, 'pcs', 'PC01', '000001.seg'), 'seg')
    await symlink(f.dir, path.join(root, 'escape'))
    expect(await f.h['shared:list']({ dir: '' })).toEqual({ ok: true, value: ['pcs/', 'vault.json'] })
    expect(await f.h['shared:list']({ dir: 'pcs/PC01' })).toEqual({ ok: true, value: ['000001.seg'] })
    expect(await f.h['shared:read']({ rel: 'pcs/PC01/000001.seg' })).toEqual({ ok: true, value: enc('seg') })
    const missing = await f.h['shared:list']({ dir: 'pcs/PC99' })
    expect(missing.ok ? 'ok' : missing.code).toBe('NOT_FOUND')
  })

  it('refuses paths outside the shared folder', async () => {
    const root = await withShared()
    await writeFile(path.join(f.dir, 'secret'), 's')
    await symlink(path.join(f.dir, 'secret'), path.join(root, 'link'))
    for (const rel of ['../secret', '/etc/passwd', 'link', 'a/../../secret']) {
      const r = await f.h['shared:read']({ rel })
      expect(r.ok ? 'ok' : r.code).toBe('OUTSIDE_ROOT')
    }
    const l = await f.h['shared:list']({ dir: '..' })
    expect(l.ok ? 'ok' : l.code).toBe('OUTSIDE_ROOT')
    const bad = await f.h['shared:read']({ rel: '' })
    expect(bad.ok ? 'ok' : bad.code).toBe('BAD_REQUEST')
  })
})

describe('shared:writeIfAbsent', () => {
  it('publishes a new file, creating folders, and leaves nothing in tmp/', async () => {
    const root = await withVault()
    const r = await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('one') })
    expect(r).toEqual({ ok: true, value: { written: true } })
    expect(await readFile(segPath(root, 1), 'utf8')).toBe('one')
    expect(await readdir(path.join(root, 'tmp'))).toEqual([])
  })

  it('never overwrites: a second write keeps the first content and says whether bytes match', async () => {
    const root = await withVault()
    await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('first') })
    expect(await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('second') })).toEqual({ ok: true, value: { written: false, same: false } })
    expect(await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('first') })).toEqual({ ok: true, value: { written: false, same: true } })
    expect(await readFile(segPath(root, 1), 'utf8')).toBe('first')
    expect(await readdir(path.join(root, 'tmp'))).toEqual([])
  })

  it('refuses targets outside the root and inside tmp/, and non-byte payloads', async () => {
    const root = await withShared()
    for (const rel of ['../x.seg', '/tmp/x.seg', 'tmp/x.part', './tmp/y.part', 'TMP\\z.part']) {
      const r = await f.h['shared:writeIfAbsent']({ rel, bytes: enc('x') })
      expect(r.ok ? 'ok' : r.code).toBe('OUTSIDE_ROOT')
    }
    const wrong = await f.h['shared:writeIfAbsent']({ rel: 'x.seg', bytes: 'x' })
    expect(wrong.ok ? 'ok' : wrong.code).toBe('BAD_REQUEST')
    expect(await readdir(root)).toEqual([])
  })

  it('retries a link failing with EBUSY (antivirus) and then succeeds, sleeping with backoff', async () => {
    let failures = 3
    const fops: FileOps = { ...nodeFileOps, link: async (a, b) => (failures-- > 0 ? Promise.reject(err('EBUSY')) : nodeFileOps.link(a, b)) }
    const clock = fakeClock()
    const root = await withVault({ fileOps: fops, clock })
    const r = await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('ok') })
    expect(r).toEqual({ ok: true, value: { written: true } })
    expect(clock.slept).toEqual([50, 100, 200])
    expect(await readFile(segPath(root, 1), 'utf8')).toBe('ok')
  })

  it('gives up after about a minute of EBUSY with a clear error, leaving no file and nothing in tmp/', async () => {
    const fops: FileOps = { ...nodeFileOps, link: () => Promise.reject(err('EBUSY')) }
    const clock = fakeClock()
    const root = await withVault({ fileOps: fops, clock })
    const r = await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('ok') })
    expect(r.ok ? 'ok' : r.code).toBe('BUSY')
    expect(!r.ok && r.message).toMatch(/占用/)
    const waited = clock.slept.reduce((a, b) => a + b, 0)
    expect(waited).toBeGreaterThan(50_000)
    expect(waited).toBeLessThanOrEqual(60_000)
    expect(await readdir(root)).toEqual(['pcs', 'tmp', 'vault.json'])
    expect(await readdir(path.dirname(segPath(root, 1)))).toEqual([])
    expect(await readdir(path.join(root, 'tmp'))).toEqual([])
  })

  it('falls back to an exclusive copy where hard links are unsupported (FAT USB stick), still never overwriting', async () => {
    const fops: FileOps = { ...nodeFileOps, link: () => Promise.reject(err('EPERM')) }
    const root = await withVault({ fileOps: fops })
    expect(await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('usb') })).toEqual({ ok: true, value: { written: true } })
    expect(await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('other') })).toEqual({ ok: true, value: { written: false, same: false } })
    expect(await readFile(segPath(root, 1), 'utf8')).toBe('usb')
    expect(await readdir(path.join(root, 'tmp'))).toEqual([])
  })

  it('removes its own file when the read-back differs (network dropped during the write)', async () => {
    const fops: FileOps = { ...nodeFileOps, readFile: async () => enc('garbled') }
    const root = await withVault({ fileOps: fops })
    const r = await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('good') })
    expect(r.ok ? 'ok' : r.code).toBe('VERIFY_FAILED')
    expect(await readdir(path.dirname(segPath(root, 1)))).toEqual([])
    expect(await readdir(path.join(root, 'tmp'))).toEqual([])
  })

  it('reports a full disk cleanly with nothing half-written', async () => {
    const fops: FileOps = {
      ...nodeFileOps,
      writeNew: async (p, b) => {
        await writeFile(p, b.subarray(0, 1))
        throw err('ENOSPC')
      },
    }
    const root = await withVault({ fileOps: fops })
    const r = await f.h['shared:writeIfAbsent']({ rel: SEG(1), bytes: enc('data') })
    expect(r.ok ? 'ok' : r.code).toBe('DISK_FULL')
    expect(await readdir(path.dirname(segPath(root, 1)))).toEqual([])
    expect(await readdir(path.join(root, 'tmp'))).toEqual([])
  })
})

describe('shared:remove', () => {
  it('removes a file once and refuses folders and paths outside', async () => {
    const root = await withVault()
    await mkdir(path.join(root, 'pcs', 'PC01', 'seg', 'sub'), { recursive: true })
    await writeFile(segPath(root, 1), 'x')
    expect(await f.h['shared:remove']({ rel: SEG(1) })).toEqual({ ok: true, value: { removed: true } })
    expect(await f.h['shared:remove']({ rel: SEG(1) })).toEqual({ ok: true, value: { removed: false } })
    const dir = await f.h['shared:remove']({ rel: 'pcs/PC01/seg/sub' })
    expect(dir.ok ? 'ok' : dir.code).toBe('NOT_ALLOWED_FILE')
    await writeFile(path.join(f.dir, 'keep'), 'k')
    const out = await f.h['shared:remove']({ rel: '../keep' })
    expect(out.ok ? 'ok' : out.code).toBe('OUTSIDE_ROOT')
    expect(await readFile(path.join(f.dir, 'keep'), 'utf8')).toBe('k')
  })
})
