import { afterEach, describe, expect, it } from 'vitest'
import type { DeskApi } from '@shared/ipc'
import { PlatformError, pickImportFiles } from './platform'

/** A desktop bridge whose picked folder holds `files`; `read` says what each read answers. */
function fakeDesk(files: Record<string, Uint8Array | { code: 'FILE_TOO_LARGE' | 'NOT_FOUND'; message: string }>, reads: string[]) {
  const desk: Partial<DeskApi> = {
    importPick: async () => ({ ok: true, value: { token: 't1', files: Object.entries(files).map(([rel, f]) => ({ rel, size: f instanceof Uint8Array ? f.length : 0 })) } }),
    importRead: async ({ rel }) => {
      reads.push(rel)
      const f = files[rel]!
      return f instanceof Uint8Array ? { ok: true, value: { bytes: f } } : { ok: false, ...f }
    },
  }
  ;(globalThis as { window?: unknown }).window = { desk }
}

afterEach(() => { delete (globalThis as { window?: unknown }).window })

describe('pickImportFiles', () => {
  it('returns the picked files unread; each read fetches one file, and a failed read throws for that file only', async () => {
    const reads: string[] = []
    fakeDesk({
      'a.pdf': new Uint8Array([1, 2]),
      'big.png': { code: 'FILE_TOO_LARGE', message: '文件过大（70.0 MB），单个文件不能超过 60 MB：big.png' },
      'c.jpg': new Uint8Array([3]),
    }, reads)
    const picked = await pickImportFiles('folder')
    expect(picked.map((f) => f.name)).toEqual(['a.pdf', 'big.png', 'c.jpg'])
    expect(reads).toEqual([]) // nothing is held in memory before the importer asks
    expect(await picked[2]!.read()).toEqual(new Uint8Array([3]))
    const err = await picked[1]!.read().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PlatformError)
    expect((err as PlatformError).code).toBe('FILE_TOO_LARGE')
    expect(await picked[0]!.read()).toEqual(new Uint8Array([1, 2]))
    expect(reads).toEqual(['c.jpg', 'big.png', 'a.pdf'])
  })
})
