// The clerks' PCs are in China: messages name times in that zone, set before any Date is made.
process.env.TZ = 'Asia/Shanghai'

import { describe, expect, it } from 'vitest'
import type { PageIdentity } from '../identity'
import { decideFile, matchScan, type ScanDocInfo } from './match'

const doc: ScanDocInfo = {
  id: 'doc-1', number: 'BJ2611-A7-0001', version: 3,
  printedVersions: [{ version: 1, hash8: 'AAAA1111' }, { version: 3, hash8: 'CCCC3333' }],
}
const id = (version: number, hash8: string, page = 1, pages = 1, number = doc.number): PageIdentity => ({ number, version, page, pages, hash8 })
const none = new Set<string>()

describe('matchScan', () => {
  it('matches the current printed version', () => {
    expect(matchScan({ identity: id(3, 'CCCC3333'), fileHash: 'h1', knownFileHashes: none, doc }))
      .toMatchObject({ kind: 'matched', docId: 'doc-1', version: 3 })
  })

  it('flags a signed older version so the clerk reviews what changed since', () => {
    const d = matchScan({ identity: id(1, 'AAAA1111'), fileHash: 'h1', knownFileHashes: none, doc })
    expect(d).toMatchObject({ kind: 'olderVersion', docId: 'doc-1', scannedVersion: 1, currentVersion: 3 })
    expect(d.message.zh).toContain('第 1 版')
  })

  it('sends a document this PC does not have to the manual list', () => {
    expect(matchScan({ identity: id(1, 'AAAA1111'), fileHash: 'h1', knownFileHashes: none }))
      .toMatchObject({ kind: 'unknown', reason: 'noSuchDocument', message: { zh: '本机没有单据 BJ2611-A7-0001' } })
  })

  it('refuses a page whose printed content hash does not match the print log', () => {
    expect(matchScan({ identity: id(3, 'DEADBEEF'), fileHash: 'h1', knownFileHashes: none, doc }))
      .toMatchObject({ kind: 'unknown', reason: 'hashMismatch' })
  })

  it('matches any logged print of the version: the draft before 核准 and the copy with its approvers after it', () => {
    const twice: ScanDocInfo = { ...doc, printedVersions: [...doc.printedVersions, { version: 3, hash8: 'DDDD4444' }] }
    for (const hash8 of ['CCCC3333', 'dddd4444']) {
      expect(matchScan({ identity: id(3, hash8), fileHash: 'h1', knownFileHashes: none, doc: twice }), hash8)
        .toMatchObject({ kind: 'matched', docId: 'doc-1', version: 3 })
    }
    expect(matchScan({ identity: id(3, 'DEADBEEF'), fileHash: 'h1', knownFileHashes: none, doc: twice }))
      .toMatchObject({ kind: 'unknown', reason: 'hashMismatch' })
  })

  it('does not accept a version this PC never printed', () => {
    expect(matchScan({ identity: id(2, 'BBBB2222'), fileHash: 'h1', knownFileHashes: none, doc }))
      .toMatchObject({ kind: 'unknown', reason: 'noSuchDocument' })
  })

  it('recognises a file imported before, and says when and by whom', () => {
    const known = new Map([['h1', { docId: 'doc-1', importedAt: '2026-11-27T01:30:00.000Z', importedBy: '张敏' }]])
    expect(matchScan({ identity: id(3, 'CCCC3333'), fileHash: 'h1', knownFileHashes: known, doc }))
      .toEqual({ kind: 'duplicate', docId: 'doc-1', message: { zh: '该文件已导入过（2026-11-27 09:30 由 张敏 导入）', en: 'This file was imported before (on 2026-11-27 09:30 by 张敏)' } })
    expect(matchScan({ identity: null, fileHash: 'h2', knownFileHashes: (h) => h === 'h2', doc })).toMatchObject({ kind: 'duplicate', message: { zh: '该文件已导入过' } })
  })

  it('names the day of an import before 08:00 in China as that day, not the previous (UTC) one', () => {
    // 07:30 on 27 Nov in Beijing is still 26 Nov in UTC.
    const known = new Map([['h1', { importedAt: '2026-11-26T23:30:00.000Z', importedBy: '张敏' }]])
    const d = matchScan({ identity: null, fileHash: 'h1', knownFileHashes: known })
    expect(d.message.zh).toBe('该文件已导入过（2026-11-27 07:30 由 张敏 导入）')
    expect(d.message.en).toBe('This file was imported before (on 2026-11-27 07:30 by 张敏)')
  })

  it('reports an unreadable page', () => {
    expect(matchScan({ identity: null, error: '渲染失败', fileHash: 'h', knownFileHashes: none, filePage: 4 }))
      .toMatchObject({ kind: 'unknown', reason: 'unreadable', message: { zh: '第 4 页无法读取：渲染失败' } })
  })
})

describe('decideFile', () => {
  const other: ScanDocInfo = { id: 'doc-2', number: 'BJ2611-A7-0002', version: 1, printedVersions: [{ version: 1, hash8: 'EEEE5555' }] }
  const lookup = (n: string) => [doc, other].find((d) => d.number === n)

  it('takes a file scanned upside down as one document with pages in QR order', () => {
    const pages = [id(3, 'CCCC3333', 3, 3), id(3, 'CCCC3333', 2, 3), id(3, 'CCCC3333', 1, 3)]
    const r = decideFile({ pages, fileHash: 'f', knownFileHashes: none, lookup })
    expect(r.groups).toHaveLength(1)
    expect(r.groups[0]).toMatchObject({ number: doc.number, order: [2, 1, 0], missingPages: [], decision: { kind: 'matched', docId: 'doc-1' } })
    expect(r.unmatched).toEqual([])
  })

  it('splits a file holding two documents, and lists the page without a QR', () => {
    const pages = [id(3, 'CCCC3333', 1, 2), null, id(1, 'EEEE5555', 1, 1, other.number), id(3, 'CCCC3333', 2, 2)]
    const r = decideFile({ pages, fileHash: 'f', knownFileHashes: none, lookup })
    expect(r.groups.map((g) => [g.number, g.order, g.decision.kind])).toEqual([[doc.number, [0, 3], 'matched'], [other.number, [2], 'matched']])
    expect(r.unmatched).toEqual([{ index: 1, decision: { kind: 'unknown', reason: 'noQr', message: { zh: '第 2 页未找到二维码', en: 'No QR code found on page 2' } } }])
  })

  it('says which pages of a document are missing or scanned twice', () => {
    const pages = [id(3, 'CCCC3333', 1, 3), id(3, 'CCCC3333', 1, 3)]
    const g = decideFile({ pages, fileHash: 'f', knownFileHashes: none, lookup }).groups[0]!
    expect(g.missingPages).toEqual([2, 3])
    expect(g.repeatedPages).toEqual([1])
    expect(g.order).toEqual([0])
    expect(g.notes.map((n) => n.zh)).toEqual(['单据 BJ2611-A7-0001 共 3 页，缺少第 2、3 页', '单据 BJ2611-A7-0001 第 1 页重复扫描'])
  })

  it('counts a 2-up sheet for every identity on it: two documents, or two pages of one, nothing left out', () => {
    const twoDocs = decideFile({ pages: [{ identity: id(3, 'CCCC3333'), identities: [id(3, 'CCCC3333'), id(1, 'EEEE5555', 1, 1, other.number)] }], fileHash: 'f', knownFileHashes: none, lookup })
    expect(twoDocs.groups.map((g) => [g.number, g.order, g.decision.kind])).toEqual([[doc.number, [0], 'matched'], [other.number, [0], 'matched']])
    const both = [id(3, 'CCCC3333', 1, 2), id(3, 'CCCC3333', 2, 2)]
    const onePage = decideFile({ pages: [{ identity: both[0]!, identities: both }], fileHash: 'f', knownFileHashes: none, lookup })
    expect(onePage.groups).toHaveLength(1)
    expect(onePage.groups[0]).toMatchObject({ order: [0], missingPages: [], repeatedPages: [], notes: [] })
  })

  it('stops at "imported before" for a known file', () => {
    const r = decideFile({ pages: [id(3, 'CCCC3333')], fileHash: 'f', knownFileHashes: new Set(['f']), lookup })
    expect(r).toMatchObject({ duplicate: { kind: 'duplicate', docId: 'doc-1' }, groups: [], unmatched: [] })
  })
})
