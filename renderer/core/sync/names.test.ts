import { describe, expect, it } from 'vitest'
import { isOurName, LONGEST_RELATIVE_PATH, maxBytesFor, parseName, paths, PC_ID, PC_ID_MAX, rootFitsMaxPath, SMALL_FILE_MAX } from './names'

describe('names', () => {
  it('recognises exactly the names the engine writes', () => {
    expect(parseName(paths.segment('PC01', 12))).toEqual({ kind: 'segment', pc: 'PC01', seq: 12 })
    expect(paths.segment('PC01', 12)).toBe('pcs/PC01/seg/0000000012.seg')
    expect(isOurName('vault.json')).toBe(true)
    expect(isOurName(paths.blob('a'.repeat(64)))).toBe(true)
    expect(isOurName(paths.snapshot('PC01', 3))).toBe(true)
  })

  it('fault 9: temp and junk names are not ours', () => {
    for (const junk of [
      'pcs/PC01/seg/0000000012.seg.part', 'pcs/PC01/seg/~$0000000012.seg', 'desktop.ini', 'pcs/PC01/seg/Thumbs.db',
      'pcs/PC01/seg/.syncthing.0000000012.seg.tmp', 'pcs/PC01/seg/0000000012 (conflicted copy).seg',
      "pcs/PC01/seg/0000000012 (PC02's conflicted copy 2026-01-05).seg", 'pcs/PC01/seg/12.seg', 'tmp/x.seg', 'pcs/PC 01/seg/0000000001.seg',
      'vault (1).json', 'blobs/ABC.blob',
    ]) expect(isOurName(junk), junk).toBe(false)
  })

  it('knows the longest path it writes, so a root near Windows MAX_PATH can be refused (issue 7)', () => {
    const pc = 'P'.repeat(PC_ID_MAX)
    expect(PC_ID.test(pc)).toBe(true)
    expect(PC_ID.test(`${pc}x`)).toBe(false)
    const samples = [paths.segment(pc, 9_999_999_999), paths.snapshot(pc, 1), paths.identity(pc), paths.status(pc), paths.blob('a'.repeat(64)), paths.tmpFile(crypto.randomUUID()), paths.vault]
    for (const s of samples) expect(s.length).toBeLessThanOrEqual(LONGEST_RELATIVE_PATH.length)
    expect(LONGEST_RELATIVE_PATH).toBe(`blobs/${'f'.repeat(64)}.blob`)
    expect(rootFitsMaxPath(`C:\\${'d'.repeat(250 - 75 - 4)}`)).toBe(true)
    expect(rootFitsMaxPath(`C:\\${'d'.repeat(250 - 75 - 3)}`)).toBe(false)
    expect(rootFitsMaxPath('C:\\')).toBe(true)
  })

  it('small files have a size limit by name', () => {
    expect(maxBytesFor(paths.status('PC01'))).toBe(SMALL_FILE_MAX)
    expect(maxBytesFor(paths.identity('PC01'))).toBe(SMALL_FILE_MAX)
    expect(maxBytesFor(paths.vault)).toBe(SMALL_FILE_MAX)
    expect(maxBytesFor(paths.segment('PC01', 1))).toBeUndefined()
    expect(maxBytesFor('pcs/PC01/status.json.part')).toBeUndefined()
  })
})
