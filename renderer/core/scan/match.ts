/**
 * The scan-matching decision (pdf.md "The QR identity", process.md R-rules on signed returns):
 * given what was read from a returned page, say whether it is the current version of a known
 * document, an older version (the clerk must look at what changed since), a file imported before,
 * or unknown (→ the manual-match list). Pure: the caller looks the document and hashes up.
 */
import type { Label } from '../../../forms/schema/types'
import type { PageIdentity } from '../identity'
import { formatLocalDateTime } from '../time'

/** What the caller knows about the document an identity names. */
export interface ScanDocInfo {
  id: string
  number: string
  /** The document's current version. */
  version: number
  /** Versions printed (from the print log) with the content hash printed in their QR. */
  printedVersions: Array<{ version: number; hash8: string }>
}

/** An earlier import of the same bytes, for the "imported before" message. */
export interface PriorImport { docId?: string; importedAt?: string; importedBy?: string }

/** File hashes already imported: a set, a map with details, or a lookup function. */
export type KnownHashes = Set<string> | Map<string, PriorImport> | ((hash: string) => boolean | PriorImport | undefined)

export type UnknownReason = 'noQr' | 'foreignQr' | 'noSuchDocument' | 'hashMismatch' | 'unreadable'

/** The outcome for one page (or one document's pages within a file). */
export type ScanDecision =
  | { kind: 'matched'; docId: string; version: number; message: Label }
  | { kind: 'olderVersion'; docId: string; scannedVersion: number; currentVersion: number; message: Label }
  | { kind: 'unknown'; reason: UnknownReason; message: Label }
  | { kind: 'duplicate'; docId?: string; message: Label }

export interface MatchInput {
  identity: PageIdentity | null
  /** SHA-256 hex of the file's bytes as received. */
  fileHash: string
  knownFileHashes: KnownHashes
  /** The document named by `identity.number`, when this PC has it. */
  doc?: ScanDocInfo
  /** Raw QR text when one was decoded but is not ours (another system's QR). */
  qrText?: string | null
  /** Set when the page could not be read at all (render or decode error). */
  error?: string
  /** 1-based page of the file, for messages. */
  filePage?: number
}

/** Decides what one scanned page is. */
export function matchScan(input: MatchInput): ScanDecision {
  const prior = lookupPrior(input.knownFileHashes, input.fileHash)
  if (prior) return duplicate(prior, input.doc?.id)
  return matchPage(input)
}

function matchPage(input: MatchInput): ScanDecision {
  const where = input.filePage ? `第 ${input.filePage} 页` : '该页'
  const whereEn = input.filePage ? `Page ${input.filePage}` : 'The page'
  if (input.error !== undefined) {
    return unknown('unreadable', `${where}无法读取：${input.error}`, `${whereEn} could not be read: ${input.error}`)
  }
  const id = input.identity
  if (!id) {
    if (input.qrText) return unknown('foreignQr', `${where}的二维码不是本系统的单据`, `${whereEn} carries a QR code that is not one of ours`)
    return unknown('noQr', `${where}未找到二维码`, `No QR code found on ${whereEn.toLowerCase()}`)
  }
  const doc = input.doc
  if (!doc || doc.number !== id.number) {
    return unknown('noSuchDocument', `本机没有单据 ${id.number}`, `Document ${id.number} is not on this PC`)
  }
  // A version may have been printed more than once with different content hashes (the draft
  // before 核准, the released copy with its approvers after it): any logged print of it matches.
  const prints = doc.printedVersions.filter((p) => p.version === id.version)
  const printed = prints.find((p) => p.hash8.toUpperCase() === id.hash8.toUpperCase()) ?? prints[0]
  if (!printed) {
    // Not in the print log: printed on a PC whose log has not synced yet, or not ours at all.
    return unknown('noSuchDocument', `本机没有单据 ${id.number} 第 ${id.version} 版的打印记录`, `No print record of ${id.number} version ${id.version} on this PC`)
  }
  if (printed.hash8.toUpperCase() !== id.hash8.toUpperCase()) {
    return unknown('hashMismatch', `单据 ${id.number} 第 ${id.version} 版的校验码与打印记录不符（${id.hash8} ≠ ${printed.hash8}）`, `Check code of ${id.number} V${id.version} differs from the print log`)
  }
  if (id.version < doc.version) {
    return {
      kind: 'olderVersion', docId: doc.id, scannedVersion: id.version, currentVersion: doc.version,
      message: { zh: `客户签回的是第 ${id.version} 版，单据 ${id.number} 当前为第 ${doc.version} 版，请核对变更后再确认`, en: `The customer returned version ${id.version}; ${id.number} is now at version ${doc.version}: review the changes` },
    }
  }
  if (id.version > doc.version) {
    // A version newer than ours exists elsewhere; wait for sync rather than guess.
    return unknown('noSuchDocument', `本机的单据 ${id.number} 还没有第 ${id.version} 版（请先同步）`, `${id.number} version ${id.version} has not reached this PC yet (sync first)`)
  }
  return { kind: 'matched', docId: doc.id, version: id.version, message: { zh: `已匹配单据 ${id.number} 第 ${id.version} 版`, en: `Matched ${id.number} version ${id.version}` } }
}

/** One document found in a file: its pages in QR order and the decision for it. */
export interface FileDocGroup {
  number: string
  version: number
  hash8: string
  /** Pages the QR says the document has. */
  pages: number
  /** 0-based indexes into the file's pages (sheets), ordered by the page number in the QR; each once. */
  order: number[]
  /** Printed page numbers that are not in the file. */
  missingPages: number[]
  /** Printed page numbers that appear more than once (the extra copies are left out of `order`). */
  repeatedPages: number[]
  decision: ScanDecision
  /** Problems the clerk should see besides the decision (missing or repeated pages). */
  notes: Label[]
}

/** The decision for a whole file. */
export interface FileDecision {
  /** Set when the same bytes were imported before: nothing else is decided. */
  duplicate?: Extract<ScanDecision, { kind: 'duplicate' }>
  /** One entry per document (number + version + content hash) found in the file. */
  groups: FileDocGroup[]
  /** Pages that identify no document (→ manual match), with the reason for each. */
  unmatched: Array<{ index: number; decision: Extract<ScanDecision, { kind: 'unknown' }> }>
}

/** What was read from one page (sheet) of a file. */
export interface PageRead {
  identity: PageIdentity | null
  /** Every identity on the sheet when there are several (two pages copied 2-up onto one sheet). */
  identities?: PageIdentity[]
  qrText?: string | null
  error?: string
}

export interface DecideFileInput {
  pages: Array<PageIdentity | null | PageRead>
  fileHash: string
  knownFileHashes: KnownHashes
  /** Looks a document up by number on this PC. */
  lookup: (number: string) => ScanDocInfo | undefined
}

/**
 * Groups a file's pages by the document they belong to and decides each group. Pages of one
 * number/version form one signed document in QR page order (a scanner fed upside down reverses
 * pages); pages of different documents in one file are split per document. A sheet carrying
 * several identities (a 2-up copy) counts for each of them, so no page on it goes unreported.
 */
export function decideFile(input: DecideFileInput): FileDecision {
  const prior = lookupPrior(input.knownFileHashes, input.fileHash)
  const reads = input.pages.map(toRead)
  if (prior) {
    const first = reads.find((r) => r.identity)?.identity
    return { duplicate: duplicate(prior, first ? input.lookup(first.number)?.id : undefined), groups: [], unmatched: [] }
  }
  const byKey = new Map<string, Array<{ index: number; id: PageIdentity }>>()
  const unmatched: FileDecision['unmatched'] = []
  reads.forEach((r, index) => {
    const ids = r.identities?.length ? r.identities : r.identity ? [r.identity] : []
    if (ids.length && r.error === undefined) {
      for (const id of ids) {
        const key = `${id.number}|${id.version}|${id.hash8}|${id.pages}`
        const list = byKey.get(key) ?? []
        list.push({ index, id })
        byKey.set(key, list)
      }
    } else {
      const d = matchPage({ ...r, fileHash: input.fileHash, knownFileHashes: new Set(), filePage: index + 1 })
      if (d.kind === 'unknown') unmatched.push({ index, decision: d })
    }
  })

  const groups: FileDocGroup[] = []
  for (const list of byKey.values()) {
    const first = list[0]!.id
    const sorted = [...list].sort((a, b) => a.id.page - b.id.page || a.index - b.index)
    const order: number[] = []
    const repeated = new Set<number>()
    let last = 0
    for (const p of sorted) {
      if (p.id.page === last) { repeated.add(p.id.page); continue }
      // Two pages of the document on one sheet: the sheet is listed once.
      if (!order.includes(p.index)) order.push(p.index)
      last = p.id.page
    }
    const present = new Set(sorted.map((p) => p.id.page))
    const missingPages: number[] = []
    for (let n = 1; n <= first.pages; n++) if (!present.has(n)) missingPages.push(n)
    const notes: Label[] = []
    if (missingPages.length) notes.push({ zh: `单据 ${first.number} 共 ${first.pages} 页，缺少第 ${missingPages.join('、')} 页`, en: `${first.number} has ${first.pages} pages; missing page ${missingPages.join(', ')}` })
    if (repeated.size) notes.push({ zh: `单据 ${first.number} 第 ${[...repeated].join('、')} 页重复扫描`, en: `${first.number}: page ${[...repeated].join(', ')} scanned twice` })
    const doc = input.lookup(first.number)
    const decision = matchPage({ identity: first, fileHash: input.fileHash, knownFileHashes: new Set(), ...(doc ? { doc } : {}) })
    groups.push({ number: first.number, version: first.version, hash8: first.hash8, pages: first.pages, order, missingPages, repeatedPages: [...repeated], decision, notes })
  }
  // Documents in the order their first page appears in the file.
  groups.sort((a, b) => Math.min(...a.order) - Math.min(...b.order))
  return { groups, unmatched }
}

function toRead(p: PageIdentity | null | PageRead): PageRead {
  if (p === null) return { identity: null }
  return 'identity' in p ? p : { identity: p }
}

function lookupPrior(known: KnownHashes, hash: string): PriorImport | null {
  if (known instanceof Set) return known.has(hash) ? {} : null
  if (known instanceof Map) return known.get(hash) ?? null
  const r = known(hash)
  if (!r) return null
  return r === true ? {} : r
}

function duplicate(prior: PriorImport, docId?: string): Extract<ScanDecision, { kind: 'duplicate' }> {
  // Local time, not the UTC date of the stored timestamp (an import at 07:30 in China is that day).
  const day = prior.importedAt ? formatLocalDateTime(prior.importedAt) : undefined
  const when = [day, prior.importedBy ? `由 ${prior.importedBy} 导入` : day ? '导入' : ''].filter(Boolean).join(' ')
  const whenEn = [day && `on ${day}`, prior.importedBy && `by ${prior.importedBy}`].filter(Boolean).join(' ')
  const id = prior.docId ?? docId
  return {
    kind: 'duplicate', ...(id ? { docId: id } : {}),
    message: { zh: when ? `该文件已导入过（${when}）` : '该文件已导入过', en: whenEn ? `This file was imported before (${whenEn})` : 'This file was imported before' },
  }
}

function unknown(reason: UnknownReason, zh: string, en: string): Extract<ScanDecision, { kind: 'unknown' }> {
  return { kind: 'unknown', reason, message: { zh, en } }
}
