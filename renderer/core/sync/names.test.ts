import { describe, expect, it } from 'vitest'
import { isOurName, parseName, paths } from './names'

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
})
