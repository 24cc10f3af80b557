/**
 * Issue 7, main-process side of the shared folder: the root's length (Windows MAX_PATH), the share
 * recognised by its vault.json rather than by the folder existing, this PC's own files only, and
 * no links or Windows-special names anywhere under the root. Real temp folders, real handlers.
 */
import { link, lstat, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DeskError } from '../../shared/ipc'
import { relSegments } from '../paths'
import { createSettingsStore } from '../settings'
import { makeFixture, type Fixture } from './test-fixture'

let f: Fixture
afterEach(() => f?.cleanup())

const enc = (s: string) => new TextEncoder().encode(s)
const HASH = 'ab'.repeat(32)
// A dynamic name: on today's code the channel does not exist, and the test must fail on the
// refusals it checks, not on a missing function.
const CLAIM = 'shared:claimPc'

type AnyHandler = (args: unknown) => Promise<{ ok: boolean; code?: string; value?: unknown; message?: string }>
const h = (channel: string) => (f.h as unknown as Record<string, AnyHandler | undefined>)[channel]
const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code)
const write = async (rel: string, text = 'x') => codeOf(await f.h['shared:writeIfAbsent']({ rel, bytes: enc(text) }))
const remove = async (rel: string) => codeOf(await f.h['shared:remove']({ rel }))
const claim = async (pc: string) => {
  const handler = h(CLAIM)
  return handler ? codeOf(await handler({ pc })) : 'no claim channel'
}

async function shareWithVault(): Promise<string> {
  f = await makeFixture()
  const root = path.join(f.dir, 'share')
  await mkdir(root)
  await f.deps.settings.update({ sharedRoot: root })
  expect(await write('vault.json', JSON.stringify({ id: 'V1', format: 1 }))).toBe('ok')
  return root
}

/** An existing folder whose absolute path has exactly `length` characters. */
async function folderOfLength(base: string, length: number): Promise<string> {
  let p = base
  while (p.length < length) {
    const room = length - p.length - 1
    p = path.join(p, 'd'.repeat(Math.min(40, Math.max(1, room))))
  }
  await mkdir(p, { recursive: true })
  expect(p.length).toBe(length)
  return p
}

describe('issue 7: the shared root', () => {
  it('fork MAX_PATH: a root whose longest sync file would pass 250 characters is refused when chosen or set', async () => {
    f = await makeFixture()
    // The longest name the engine writes under the root is a blob (`blobs/<64 hex>.blob`, 75 characters).
    const tooLong = await folderOfLength(f.dir, 190)
    f.dialogs.queueOpen([tooLong])
    const chosen = await f.h['shared:choose']({})
    expect(codeOf(chosen)).toBe('PATH_TOO_LONG')
    expect(!chosen.ok && chosen.message).toMatch(/共享文件夹的路径太长.*请选择路径更短的文件夹/)
    expect((await f.deps.settings.get()).sharedRoot).toBeUndefined()

    // A root set some other way (an older version, a copied settings file) is refused on use.
    await f.deps.settings.update({ sharedRoot: tooLong })
    expect(codeOf(await f.h['shared:list']({ dir: '' }))).toBe('PATH_TOO_LONG')
    expect(await write('vault.json')).toBe('PATH_TOO_LONG')

    // A root short enough for every file is accepted.
    const fine = await folderOfLength(path.join(f.dir, 'ok'), 150)
    f.dialogs.queueOpen([fine])
    expect(await f.h['shared:choose']({})).toEqual({ ok: true, value: { root: fine } })
  })

  it('fork unmounted share: an empty folder where the share was is not taken for it, and nothing is written there', async () => {
    const root = await shareWithVault()
    await claim('PC01')
    expect(await write('pcs/PC01/seg/0000000001.seg', 'one')).toBe('ok')
    expect(await write('pcs/PC01/status.json', '{}')).toBe('ok')

    // The share is unmounted; its mount point stays behind, empty and writable.
    await rename(root, `${root}-server`)
    await mkdir(root)
    expect(await write('pcs/PC01/seg/0000000002.seg', 'two')).toBe('SHARED_UNAVAILABLE')
    expect(await write(`blobs/${HASH}.blob`, 'blob')).toBe('SHARED_UNAVAILABLE')
    expect(await remove('pcs/PC01/status.json')).toBe('SHARED_UNAVAILABLE')
    expect(await readdir(root)).toEqual([])
    const refused = await f.h['shared:writeIfAbsent']({ rel: 'pcs/PC01/seg/0000000002.seg', bytes: enc('two') })
    expect(!refused.ok && refused.message).toMatch(/共享文件夹/)

    // Remounted: the same writes go through again.
    await rm(root, { recursive: true })
    await rename(`${root}-server`, root)
    expect(await write('pcs/PC01/seg/0000000002.seg', 'two')).toBe('ok')
  })

  it('creating a vault is the one write an unmarked folder takes', async () => {
    f = await makeFixture()
    const root = path.join(f.dir, 'new-share')
    await mkdir(root)
    await f.deps.settings.update({ sharedRoot: root })
    await claim('PC01')
    expect(await write('pcs/PC01/identity.json')).toBe('SHARED_UNAVAILABLE')
    expect(await readdir(root)).toEqual([])
    // A vault.json that is a link or a folder does not mark the share either.
    await mkdir(path.join(root, 'vault.json'))
    expect(await write('pcs/PC01/identity.json')).toBe('SHARED_UNAVAILABLE')
    await rm(path.join(root, 'vault.json'), { recursive: true })
    expect(await write('vault.json', '{"id":"V1"}')).toBe('ok')
    expect(await write('pcs/PC01/identity.json')).toBe('ok')
    expect((await readdir(root)).sort()).toEqual(['pcs', 'tmp', 'vault.json'])
  })

  it("fork other PC's file: the renderer writes and removes only this PC's own files, blobs and its own snapshots", async () => {
    const root = await shareWithVault()
    await mkdir(path.join(root, 'pcs', 'PC02', 'seg'), { recursive: true })
    await writeFile(path.join(root, 'pcs', 'PC02', 'identity.json'), 'theirs')
    await writeFile(path.join(root, 'pcs', 'PC02', 'seg', '0000000001.seg'), 'theirs')
    await claim('PC01')

    for (const rel of ['pcs/PC02/seg/0000000002.seg', 'pcs/PC02/status.json', 'snapshots/PC02-0000000001.snap', 'junk.txt', 'pcs/loose.json', 'snapshots/notes.txt']) {
      expect(await write(rel), rel).toBe('NOT_OWN_FILE')
    }
    for (const rel of ['pcs/PC02/identity.json', 'pcs/PC02/seg/0000000001.seg', 'vault.json']) {
      expect(await remove(rel), rel).toBe('NOT_OWN_FILE')
    }
    expect(await readFile(path.join(root, 'pcs', 'PC02', 'identity.json'), 'utf8')).toBe('theirs')
    expect(await readFile(path.join(root, 'pcs', 'PC02', 'seg', '0000000001.seg'), 'utf8')).toBe('theirs')
    expect(await readFile(path.join(root, 'vault.json'), 'utf8')).toContain('V1')
    const refused = await f.h['shared:writeIfAbsent']({ rel: 'pcs/PC02/status.json', bytes: enc('x') })
    expect(!refused.ok && refused.message).toMatch(/只能写入本机自己的文件/)

    // Its own files, the blobs and its own snapshots.
    for (const rel of ['pcs/PC01/identity.json', 'pcs/PC01/status.json', 'pcs/PC01/seg/0000000001.seg', `blobs/${HASH}.blob`, 'snapshots/PC01-0000000001.snap']) {
      expect(await write(rel), rel).toBe('ok')
    }
    expect(await remove('pcs/PC01/status.json')).toBe('ok')
    expect(await remove(`blobs/${HASH}.blob`)).toBe('ok')

    // Another PC's existing folder cannot be claimed; a new identity (after a clone or a restore) can.
    expect(await claim('PC02')).toBe('NOT_OWN_FILE')
    expect(await write('pcs/PC02/status.json')).toBe('NOT_OWN_FILE')
    expect(await claim('PC01')).toBe('ok')
    expect(await claim('PC03')).toBe('ok')
    expect(await write('pcs/PC03/identity.json')).toBe('ok')
    expect(await write('pcs/PC01/seg/0000000002.seg')).toBe('NOT_OWN_FILE')
    // Remembered in the main process's settings, across a restart.
    expect((await createSettingsStore(path.join(f.userData, 'settings.json')).get()).ownPc).toBe('PC03')
  })

  it('without a claimed PC only the vault, blobs and nothing of any PC may be written', async () => {
    await shareWithVault()
    expect(await write('pcs/PC01/identity.json')).toBe('NOT_OWN_FILE')
    expect(await write(`blobs/${HASH}.blob`)).toBe('ok')
    const bad = await h(CLAIM)!({ pc: '../PC01' })
    expect(codeOf(bad)).toBe('BAD_REQUEST')
  })

  it('a claim differing from another folder only in letter case is refused (one folder on Windows)', async () => {
    const root = await shareWithVault()
    await mkdir(path.join(root, 'pcs', 'Pc02'), { recursive: true })
    expect(await claim('PC02')).toBe('NOT_OWN_FILE')
    expect(await claim('PC01')).toBe('ok')
    expect(await claim('pc02')).toBe('NOT_OWN_FILE')
  })
})

describe('issue 7: links and Windows names under the shared root', () => {
  const refusedCode = (rel: string) => {
    try {
      relSegments(rel)
      return 'accepted'
    } catch (e) {
      return e instanceof DeskError ? e.code : String(e)
    }
  }

  it('fork links and reserved names: trailing dots/spaces, device names and links anywhere under the share are refused', async () => {
    for (const rel of ['CON', 'con.txt', 'pcs/PC01/AUX', 'Com1.seg', 'LPT9.x.y', 'nul', 'prn ', 'pcs/PC01./x', 'pcs/PC01 /x', 'a/b.', 'a/b ', 'a<b', 'a>b', 'a|b', 'a?b', 'a*b', 'a"b', 'x\u0001y', 'COM¹']) {
      expect(refusedCode(rel), JSON.stringify(rel)).toBe('OUTSIDE_ROOT')
    }
    for (const rel of ['console.seg', 'com10', 'lpt', 'aux1.txt', 'CONx', 'pcs/PC01/seg/0000000001.seg', '.marketdesk', 'a.b/c']) {
      expect(refusedCode(rel), rel).toBe('accepted')
    }

    const root = await shareWithVault()
    await claim('PC01')
    expect(await write('pcs/PC01/seg/0000000001.seg', 'mine')).toBe('ok')
    expect(await write('pcs/PC01/CON', 'x')).toBe('OUTSIDE_ROOT')
    expect(await write('pcs/PC01/status.json.', 'x')).toBe('OUTSIDE_ROOT')

    // A link that stays inside the share is refused too: it would let one name stand for another
    // PC's folder (pcs/PC02 → pcs/PC01) or a folder move under a reader.
    await symlink(path.join(root, 'pcs', 'PC01'), path.join(root, 'pcs', 'PC02'))
    expect(codeOf(await f.h['shared:read']({ rel: 'pcs/PC02/seg/0000000001.seg' }))).toBe('OUTSIDE_ROOT')
    expect(codeOf(await f.h['shared:list']({ dir: 'pcs/PC02/seg' }))).toBe('OUTSIDE_ROOT')
    await symlink(path.join(root, 'pcs', 'PC01', 'seg', '0000000001.seg'), path.join(root, 'pcs', 'PC01', 'seg', '0000000002.seg'))
    expect(codeOf(await f.h['shared:read']({ rel: 'pcs/PC01/seg/0000000002.seg' }))).toBe('OUTSIDE_ROOT')
    expect(await remove('pcs/PC01/seg/0000000002.seg')).toBe('OUTSIDE_ROOT')
    await symlink(path.join(root, 'pcs', 'PC01'), path.join(root, 'blobs'))
    expect(await write(`blobs/${HASH}.blob`)).toBe('OUTSIDE_ROOT')
    expect(await readdir(path.join(root, 'pcs', 'PC01'))).toEqual(['seg'])
    const r = await f.h['shared:read']({ rel: 'pcs/PC02/seg/0000000001.seg' })
    expect(!r.ok && r.message).toMatch(/链接/)
  })
})

describe('issue 7: a folder swapped for a link after the check', () => {
  it('is caught by comparing the opened file with the path walked again without links', async () => {
    const { readSharedFile } = await import('../paths')
    const root = await shareWithVault()
    const seg = path.join(root, 'pcs', 'PC01', 'seg')
    await mkdir(seg, { recursive: true })
    await writeFile(path.join(seg, '0000000001.seg'), 'in the share')
    const outside = path.join(f.dir, 'outside')
    await mkdir(outside)
    await writeFile(path.join(outside, '0000000001.seg'), 'secret')
    const rel = 'pcs/PC01/seg/0000000001.seg'
    const swap = async () => {
      await rename(seg, `${seg}-real`)
      await symlink(outside, seg)
    }
    const back = async () => {
      await rm(seg)
      await rename(`${seg}-real`, seg)
    }

    // Swapped after the check and left so: the walk after the open sees the link.
    const kept = await readSharedFile(root, rel, { limit: 1024, hooks: { afterCheck: swap } }).then(() => 'read', (e: DeskError) => e.code)
    expect(kept).toBe('OUTSIDE_ROOT')
    await back()

    // Swapped and swapped back around the open: the opened file is not the one at the path.
    const hidden = await readSharedFile(root, rel, { limit: 1024, hooks: { afterCheck: swap, afterOpen: back } }).then(() => 'read', (e: DeskError) => e.code)
    expect(hidden).toBe('OUTSIDE_ROOT')
    expect((await lstat(seg)).isDirectory()).toBe(true)

    // Undisturbed, the same read works.
    expect(new TextDecoder().decode(await readSharedFile(root, rel, { limit: 1024 }))).toBe('in the share')
  })

  it('a file hard-linked from outside is still one file: reads are by the name inside the share (what remains)', async () => {
    const root = await shareWithVault()
    await writeFile(path.join(f.dir, 'outside.txt'), 'same inode')
    await mkdir(path.join(root, 'blobs'))
    await link(path.join(f.dir, 'outside.txt'), path.join(root, 'blobs', `${HASH}.blob`))
    // Documented limit: a hard link is not a link to a path and cannot be told from a plain file.
    expect(codeOf(await f.h['shared:read']({ rel: `blobs/${HASH}.blob` }))).toBe('ok')
  })
})
