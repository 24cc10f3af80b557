import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeFixture, type Fixture } from './test-fixture'

let f: Fixture
let scans: string
beforeEach(async () => {
  f = await makeFixture()
  scans = path.join(f.dir, 'scans')
  await mkdir(path.join(scans, '2026', '11'), { recursive: true })
  await writeFile(path.join(scans, 'a.pdf'), '%PDF-a')
  await writeFile(path.join(scans, 'notes.txt'), 'skip me')
  await writeFile(path.join(scans, '2026', '11', 'B.JPG'), 'jpg')
  await writeFile(path.join(scans, '2026', 'c.png'), 'png')
  await writeFile(path.join(f.dir, 'outside.pdf'), '%PDF-secret')
})
afterEach(() => f.cleanup())

async function pickFolder() {
  f.dialogs.queueOpen([scans])
  const r = await f.h['import:pick']({ mode: 'folder' })
  if (!r.ok) throw new Error(r.message)
  return r.value
}

describe('import:pick', () => {
  it('lists the PDF/JPG/PNG files of a folder recursively, by name, sorted', async () => {
    const { token, files } = await pickFolder()
    expect(token).not.toBe('')
    expect(files).toEqual([
      { rel: '2026/11/B.JPG', size: 3 },
      { rel: '2026/c.png', size: 3 },
      { rel: 'a.pdf', size: 6 },
    ])
  })

  it('skips symlinks that leave the folder and keeps those that stay inside', async () => {
    await symlink(path.join(f.dir, 'outside.pdf'), path.join(scans, 'evil.pdf'))
    await symlink(f.dir, path.join(scans, 'up'))
    await symlink(path.join(scans, 'a.pdf'), path.join(scans, 'alias.pdf'))
    const { files } = await pickFolder()
    expect(files.map((x) => x.rel)).toEqual(['2026/11/B.JPG', '2026/c.png', 'a.pdf', 'alias.pdf'])
  })

  it('returns an empty token when the dialog is cancelled', async () => {
    expect(await f.h['import:pick']({ mode: 'files' })).toEqual({ ok: true, value: { token: '', files: [] } })
  })

  it('refuses an unknown mode', async () => {
    const r = await f.h['import:pick']({ mode: 'disk' })
    expect(r.ok ? 'ok' : r.code).toBe('BAD_REQUEST')
  })
})

describe('import:read', () => {
  it('reads a listed file by its relative name', async () => {
    const { token } = await pickFolder()
    const r = await f.h['import:read']({ token, rel: '2026/11/B.JPG' })
    expect(r).toEqual({ ok: true, value: { bytes: new TextEncoder().encode('jpg') } })
  })

  it.each(['../outside.pdf', '2026/../../outside.pdf', '/etc/passwd'])('refuses %j outside the picked folder', async (rel) => {
    const { token } = await pickFolder()
    const r = await f.h['import:read']({ token, rel })
    expect(r.ok ? 'ok' : r.code).toBe('OUTSIDE_ROOT')
    expect(!r.ok && r.message).toMatch(/路径不在允许的文件夹内/)
  })

  it('refuses an absolute path to the real file and a symlink made after the pick', async () => {
    const { token } = await pickFolder()
    const abs = await f.h['import:read']({ token, rel: path.join(scans, 'a.pdf') })
    expect(abs.ok ? 'ok' : abs.code).toBe('OUTSIDE_ROOT')
    await symlink(path.join(f.dir, 'outside.pdf'), path.join(scans, 'late.pdf'))
    const late = await f.h['import:read']({ token, rel: 'late.pdf' })
    expect(late.ok ? 'ok' : late.code).toBe('OUTSIDE_ROOT')
  })

  it('refuses files over 60 MB with a clear message', async () => {
    await truncate(path.join(scans, "a.pdf"), 60 * 1024 * 1024 + 1)
    const { token } = await pickFolder()
    const r = await f.h['import:read']({ token, rel: 'a.pdf' })
    expect(r.ok ? 'ok' : r.code).toBe('FILE_TOO_LARGE')
    expect(!r.ok && r.message).toContain('60 MB')
  })

  it('refuses other file types, unknown tokens and malformed requests', async () => {
    const { token } = await pickFolder()
    const txt = await f.h['import:read']({ token, rel: 'notes.txt' })
    expect(txt.ok ? 'ok' : txt.code).toBe('NOT_ALLOWED_FILE')
    const unknown = await f.h['import:read']({ token: 'forged', rel: 'a.pdf' })
    expect(unknown.ok ? 'ok' : unknown.code).toBe('UNKNOWN_TOKEN')
    const malformed = await f.h['import:read']({ token, rel: 5 })
    expect(malformed.ok ? 'ok' : malformed.code).toBe('BAD_REQUEST')
  })

  it('in files mode reads only the picked files, not their neighbours', async () => {
    f.dialogs.queueOpen([path.join(scans, 'a.pdf'), path.join(scans, '2026', 'c.png'), path.join(scans, 'notes.txt')])
    const r = await f.h['import:pick']({ mode: 'files' })
    if (!r.ok) throw new Error(r.message)
    expect(r.value.files).toEqual([
      { rel: 'a.pdf', size: 6 },
      { rel: 'c.png', size: 3 },
    ])
    const ok = await f.h['import:read']({ token: r.value.token, rel: 'c.png' })
    expect(ok.ok).toBe(true)
    const neighbour = await f.h['import:read']({ token: r.value.token, rel: '11/B.JPG' })
    expect(neighbour.ok ? 'ok' : neighbour.code).toBe('NOT_ALLOWED_FILE')
    const up = await f.h['import:read']({ token: r.value.token, rel: '../outside.pdf' })
    expect(up.ok ? 'ok' : up.code).toBe('OUTSIDE_ROOT')
  })
})
