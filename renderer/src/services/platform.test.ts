import { afterEach, describe, expect, it } from 'vitest'
import type { DeskApi } from '@shared/ipc'
import { PlatformError, pickImportFiles, saveFile } from './platform'

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

describe('saveFile', () => {
  it('goes through file:save with its kind, and a refusal from main comes back as a PlatformError', async () => {
    const calls: unknown[] = []
    const desk: Partial<DeskApi> = {
      fileSave: async (req) => {
        calls.push(req)
        return req.kind === 'xlsx' ? { ok: true, value: { saved: true, path: '/x/报价单.xlsx' } } : { ok: false, code: 'BAD_REQUEST', message: '请求参数无效（file:save）' }
      },
    }
    ;(globalThis as { window?: unknown }).window = { desk }
    const bytes = new Uint8Array([0x50, 0x4b, 3, 4])
    expect(await saveFile('报价单_2026-11-30.xlsx', bytes, 'xlsx')).toBe(true)
    expect(calls).toEqual([{ suggestedName: '报价单_2026-11-30.xlsx', bytes, kind: 'xlsx' }])
    await expect(saveFile('a.pdf', bytes, 'pdf')).rejects.toBeInstanceOf(PlatformError)
  })
})
