import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Envelope } from '../../shared/ipc'
import type { FileOps } from './file-ops'
import { nodeFileOps } from './file-ops'
import { makeFixture, type Fixture } from './test-fixture'

let f: Fixture
let folder: string
beforeEach(async () => {
  f = await makeFixture()
  folder = path.join(f.dir, 'Backups')
  await mkdir(folder)
})
afterEach(() => f.cleanup())

function ok<T>(r: Envelope<T>): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.value
}
const code = (r: Envelope<unknown>) => (r.ok ? 'ok' : r.code)
const NAME = 'MarketDesk-20261127-093015-A7.mdbak'

async function choose(dir = folder) {
  f.dialogs.queueOpen([dir])
  return ok(await f.h['backup:chooseFolder']({}))
}

/** Writes `parts` as one backup through begin / append / finish. */
async function write(name: string, parts: Uint8Array[]) {
  const { token } = ok(await f.h['backup:begin']({ name }))
  for (const p of parts) ok(await f.h['backup:append']({ token, bytes: p }))
  return f.h['backup:finish']({ token, size: parts.reduce((a, p) => a + p.byteLength, 0) })
}

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill)

describe('backup folder', () => {
  it('is chosen in a dialog, remembered in userData/backup.json, and required before writing', async () => {
    expect(code(await f.h['backup:begin']({ name: NAME }))).toBe('BACKUP_NOT_CHOSEN')
    expect(ok(await f.h['backup:folder']({}))).toEqual({ root: null })
    expect(ok(await f.h['backup:chooseFolder']({}))).toEqual({ cancelled: true })
    expect(await choose()).toEqual({ root: folder })
    expect(ok(await f.h['backup:folder']({}))).toEqual({ root: folder })
    expect(JSON.parse(await readFile(path.join(f.userData, 'backup.json'), 'utf8'))).toEqual({ root: folder })
  })
})

describe('writing a backup', () => {
  beforeEach(async () => { await choose() })

  it('streams chunks into a temp file and gives it its name only after reading it back', async () => {
    const parts = [bytes(1000, 1), bytes(3 * 1024 * 1024, 2), bytes(17, 3)]
    const all = Buffer.concat(parts)
    const { token } = ok(await f.h['backup:begin']({ name: NAME }))
    for (const p of parts) ok(await f.h['backup:append']({ token, bytes: p }))
    // Until finished, only the temp file exists, under a name list/read ignore.
    expect(ok(await f.h['backup:list']({}))).toEqual([])
    expect((await readdir(folder)).every((n) => n.endsWith('.part'))).toBe(true)
    const done = ok(await f.h['backup:finish']({ token, size: all.byteLength }))
    expect(done).toEqual({ name: NAME, size: all.byteLength, sha256: createHash('sha256').update(all).digest('hex') })
    expect(await readdir(folder)).toEqual([NAME])
    expect(Buffer.compare(await readFile(path.join(folder, NAME)), all)).toBe(0)
    const listed = ok(await f.h['backup:list']({}))
    expect(listed.map((x) => [x.name, x.size])).toEqual([[NAME, all.byteLength]])
  })

  it('never overwrites a backup of the same name, and leaves no temp file behind', async () => {
    ok(await write(NAME, [bytes(10)]))
    expect(code(await f.h['backup:begin']({ name: NAME }))).toBe('NOT_ALLOWED_FILE')
    expect(await readdir(folder)).toEqual([NAME])
  })

  it('refuses names it does not write (paths, other extensions) and unknown tokens', async () => {
    for (const name of ['../x.mdbak', 'MarketDesk-20261127-093015.zip', 'notes.mdbak', 'sub/MarketDesk-20261127-093015.mdbak']) {
      expect(code(await f.h['backup:begin']({ name }))).toBe('NOT_ALLOWED_FILE')
    }
    expect(code(await f.h['backup:append']({ token: 'forged', bytes: bytes(1) }))).toBe('UNKNOWN_TOKEN')
    expect(code(await f.h['backup:finish']({ token: 'forged', size: 1 }))).toBe('UNKNOWN_TOKEN')
    expect(code(await f.h['backup:append']({ token: 'x', bytes: bytes(16 * 1024 * 1024 + 1) }))).toBe('BAD_REQUEST')
  })

  it('a size that does not match what arrived fails, and nothing is left in the folder', async () => {
    const { token } = ok(await f.h['backup:begin']({ name: NAME }))
    ok(await f.h['backup:append']({ token, bytes: bytes(100) }))
    const r = await f.h['backup:finish']({ token, size: 200 })
    expect(code(r)).toBe('VERIFY_FAILED')
    expect(await readdir(folder)).toEqual([])
  })

  it('abort removes the temp file', async () => {
    const { token } = ok(await f.h['backup:begin']({ name: NAME }))
    ok(await f.h['backup:append']({ token, bytes: bytes(100) }))
    expect(ok(await f.h['backup:abort']({ token }))).toEqual({ aborted: true })
    expect(await readdir(folder)).toEqual([])
  })

  it('a disk that fills up while the file gets its name (ENOSPC) fails with a clear message and leaves nothing', async () => {
    // No hard links (a FAT USB stick), and the exclusive copy runs out of space halfway.
    const failing: FileOps = {
      ...nodeFileOps,
      link: async () => { throw Object.assign(new Error('no links'), { code: 'EPERM' }) },
      copyExclusive: async (_from, to) => {
        await writeFile(to, 'half')
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' })
      },
    }
    const g = await makeFixture({ fileOps: failing })
    try {
      g.dialogs.queueOpen([folder])
      ok(await g.h['backup:chooseFolder']({}))
      const r = await (async () => {
        const { token } = ok(await g.h['backup:begin']({ name: NAME }))
        ok(await g.h['backup:append']({ token, bytes: bytes(100) }))
        return g.h['backup:finish']({ token, size: 100 })
      })()
      expect(code(r)).toBe('DISK_FULL')
      expect(!r.ok && r.message).toContain('磁盘空间不足')
      // The half copy and the temp file are gone.
      expect(await readdir(folder)).toEqual([])
    } finally {
      await g.cleanup()
    }
  })
})

describe('reading and pruning', () => {
  beforeEach(async () => { await choose() })

  it('reads a backup by name in chunks, and a picked file by its token', async () => {
    const data = new Uint8Array(5000).map((_, i) => i % 251)
    ok(await write(NAME, [data]))
    const head = ok(await f.h['backup:read']({ source: { name: NAME }, offset: 0, length: 100 }))
    expect([...head]).toEqual([...data.subarray(0, 100)])
    const tail = ok(await f.h['backup:read']({ source: { name: NAME }, offset: 4990, length: 100 }))
    expect([...tail]).toEqual([...data.subarray(4990)])

    const elsewhere = path.join(f.dir, 'USB', 'old-backup.mdbak')
    await mkdir(path.dirname(elsewhere))
    await writeFile(elsewhere, data)
    expect(ok(await f.h['backup:pick']({}))).toEqual({ cancelled: true })
    f.dialogs.queueOpen([elsewhere])
    const picked = ok(await f.h['backup:pick']({}))
    expect(picked).toMatchObject({ name: 'old-backup.mdbak', size: 5000 })
    if ('cancelled' in picked) throw new Error('cancelled')
    const got = ok(await f.h['backup:read']({ source: { token: picked.token }, offset: 10, length: 5 }))
    expect([...got]).toEqual([...data.subarray(10, 15)])
    expect(code(await f.h['backup:read']({ source: { token: 'forged' }, offset: 0, length: 5 }))).toBe('UNKNOWN_TOKEN')
  })

  it('reads nothing outside the folder or under foreign names, nor through a link', async () => {
    await writeFile(path.join(f.dir, 'secret.mdbak'), 'secret')
    expect(code(await f.h['backup:read']({ source: { name: '../secret.mdbak' }, offset: 0, length: 5 }))).toBe('NOT_ALLOWED_FILE')
    await symlink(path.join(f.dir, 'secret.mdbak'), path.join(folder, 'MarketDesk-20261101-000000.mdbak'))
    expect(code(await f.h['backup:read']({ source: { name: 'MarketDesk-20261101-000000.mdbak' }, offset: 0, length: 5 }))).toBe('OUTSIDE_ROOT')
    expect(ok(await f.h['backup:list']({}))).toEqual([])
  })

  it('prune keeps the newest N of its own files and removes stale temp files, nothing else', async () => {
    const names = ['MarketDesk-20261120-090000-A7.mdbak', 'MarketDesk-20261121-090000-A7.mdbak', 'MarketDesk-20261122-090000-A7.mdbak', 'MarketDesk-20261122-090000-A7-2.mdbak']
    for (const n of names) ok(await write(n, [bytes(10)]))
    await writeFile(path.join(folder, '说明.txt'), 'keep me')
    await writeFile(path.join(folder, 'MarketDesk-20261119-090000.zip'), 'keep me too')
    const stale = path.join(folder, `MarketDesk-20261118-090000.mdbak.${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.part`)
    await writeFile(stale, 'half')
    const old = new Date(Date.now() - 2 * 24 * 3600_000)
    await utimes(stale, old, old)
    const real = await makeFixture({ clock: { now: () => Date.now(), sleep: async () => undefined } })
    try {
      real.dialogs.queueOpen([folder])
      ok(await real.h['backup:chooseFolder']({}))
      const r = ok(await real.h['backup:prune']({ keep: 2 }))
      expect(r.removed.sort()).toEqual(['MarketDesk-20261120-090000-A7.mdbak', 'MarketDesk-20261121-090000-A7.mdbak'])
      expect((await readdir(folder)).sort()).toEqual(['MarketDesk-20261119-090000.zip', 'MarketDesk-20261122-090000-A7-2.mdbak', 'MarketDesk-20261122-090000-A7.mdbak', '说明.txt'])
      expect(code(await real.h['backup:prune']({ keep: 0 }))).toBe('BAD_REQUEST')
    } finally {
      await real.cleanup()
    }
  })
})
