import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeFixture, pdfBytes, type Fixture } from './test-fixture'
import { writeWhole } from './file-ops'
import { safePdfName } from './pdf'

let f: Fixture
beforeEach(async () => (f = await makeFixture()))
afterEach(() => f.cleanup())

describe('pdf:save', () => {
  it('writes the bytes to the path chosen in the dialog and proposes a clean name', async () => {
    const target = path.join(f.dir, 'out', '..', '报价单 BJ-001.pdf')
    f.dialogs.queueSave(target)
    const bytes = pdfBytes('quote')
    const r = await f.h['pdf:save']({ suggestedName: '报价单/BJ:001', bytes })
    expect(r).toEqual({ ok: true, value: { saved: true, path: path.join(f.dir, '报价单 BJ-001.pdf') } })
    expect(new Uint8Array(await readFile(path.join(f.dir, '报价单 BJ-001.pdf')))).toEqual(bytes)
    const call = f.dialogs.calls[0]
    expect(call?.kind === 'save' && path.basename(call.opts.defaultPath)).toBe('报价单_BJ_001.pdf')
  })

  it('remembers the folder for the next save and adds .pdf when the clerk typed no extension', async () => {
    f.dialogs.queueSave(path.join(f.dir, 'contract'))
    await f.h['pdf:save']({ suggestedName: 'c', bytes: pdfBytes() })
    expect(await readdir(f.dir)).toContain('contract.pdf')
    f.dialogs.queueSave(null)
    expect(await f.h['pdf:save']({ suggestedName: 'd', bytes: pdfBytes() })).toEqual({ ok: true, value: { saved: false } })
    const second = f.dialogs.calls[1]
    expect(second?.kind === 'save' && second.opts.defaultPath).toBe(path.join(f.dir, 'd.pdf'))
  })

  it('refuses a renderer-supplied path, non-PDF bytes and a missing name before any dialog opens', async () => {
    const bad = [
      { suggestedName: 'a', bytes: pdfBytes(), path: '/tmp/x.pdf' },
      { suggestedName: 'a', bytes: new TextEncoder().encode('MZ executable') },
      { suggestedName: 'a', bytes: [37, 80, 68, 70, 45] },
      { bytes: pdfBytes() },
      'pdf',
    ]
    for (const args of bad) {
      const r = await f.h['pdf:save'](args)
      expect(r.ok).toBe(false)
      expect(!r.ok && r.code).toBe('BAD_REQUEST')
      expect(!r.ok && r.message).toMatch(/请求参数无效/)
    }
    expect(f.dialogs.calls).toHaveLength(0)
  })

  it('makes Windows-safe file names', () => {
    expect(safePdfName('CON')).toBe('文档_CON.pdf')
    expect(safePdfName('a<b>c?.pdf. ')).toBe('a_b_c_.pdf')
    expect(safePdfName('..\\..\\x')).toBe('.._.._x.pdf')
  })
})

describe('pdf:print', () => {
  it('hands the PDF to the print dialog and reports a cancel', async () => {
    f.dialogs.queuePrint(false)
    expect(await f.h['pdf:print']({ bytes: pdfBytes('p') })).toEqual({ ok: true, value: { printed: false } })
    expect(await f.h['pdf:print']({ bytes: pdfBytes('p') })).toEqual({ ok: true, value: { printed: true } })
    expect(f.dialogs.calls.map((c) => c.kind)).toEqual(['print', 'print'])
  })

  it('refuses bytes that are not a PDF', async () => {
    const r = await f.h['pdf:print']({ bytes: new Uint8Array([1, 2, 3]) })
    expect(r.ok ? 'ok' : r.code).toBe('BAD_REQUEST')
    expect(f.dialogs.calls).toHaveLength(0)
  })
})

describe('file:save', () => {
  const xlsx = () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])

  it('saves an Excel workbook where the dialog says, offering the xlsx filter and a clean Chinese name', async () => {
    f.dialogs.queueSave(path.join(f.dir, '报价单_2026-11-30'))
    const r = await f.h['file:save']({ suggestedName: '报价单_2026-11-30.xlsx', bytes: xlsx(), kind: 'xlsx' })
    expect(r).toEqual({ ok: true, value: { saved: true, path: path.join(f.dir, '报价单_2026-11-30.xlsx') } })
    expect(new Uint8Array(await readFile(path.join(f.dir, '报价单_2026-11-30.xlsx')))).toEqual(xlsx())
    const call = f.dialogs.calls[0]
    expect(call?.kind === 'save' && call.opts.filters).toEqual([{ name: 'Excel 工作簿', extensions: ['xlsx'] }])
    expect(call?.kind === 'save' && path.basename(call.opts.defaultPath)).toBe('报价单_2026-11-30.xlsx')
    expect(await f.h['file:save']({ suggestedName: 'a:b', bytes: pdfBytes(), kind: 'pdf' })).toEqual({ ok: true, value: { saved: false } })
    const second = f.dialogs.calls[1]
    expect(second?.kind === 'save' && second.opts.defaultPath).toBe(path.join(f.dir, 'a_b.pdf'))
  })

  it('replaces a file saved before whole, and a save that fails leaves what was there and no stray file', async () => {
    const target = path.join(f.dir, '合同台帐_2026-11.xlsx')
    await writeFile(target, 'old')
    f.dialogs.queueSave(target)
    expect(await f.h['file:save']({ suggestedName: '合同台帐_2026-11.xlsx', bytes: xlsx(), kind: 'xlsx' })).toMatchObject({ ok: true, value: { saved: true } })
    expect(new Uint8Array(await readFile(target))).toEqual(xlsx())
    // A name that cannot be replaced (here a folder of that name; on Windows also a file Excel holds open).
    const blocked = path.join(f.dir, 'blocked.xlsx')
    await mkdir(blocked)
    await writeFile(path.join(blocked, 'inside.txt'), 'kept')
    await expect(writeWhole(blocked, xlsx())).rejects.toThrow()
    expect(await readFile(path.join(blocked, 'inside.txt'), 'utf8')).toBe('kept')
    expect((await readdir(f.dir)).filter((n) => n.endsWith('.part'))).toEqual([])
  })

  it('refuses bytes that are not of the kind named, an unknown kind and a path, before any dialog opens', async () => {
    const bad = [
      { suggestedName: 'a', bytes: pdfBytes(), kind: 'xlsx' },
      { suggestedName: 'a', bytes: xlsx(), kind: 'pdf' },
      { suggestedName: 'a', bytes: new TextEncoder().encode('MZ'), kind: 'exe' },
      { suggestedName: 'a', bytes: xlsx() },
      { suggestedName: 'a', bytes: xlsx(), kind: 'xlsx', path: '/tmp/x.xlsx' },
      { suggestedName: '', bytes: xlsx(), kind: 'xlsx' },
    ]
    for (const args of bad) {
      const r = await f.h['file:save'](args)
      expect(!r.ok && r.code).toBe('BAD_REQUEST')
    }
    expect(f.dialogs.calls).toHaveLength(0)
  })
})
