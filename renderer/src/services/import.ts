/**
 * Orchestrates a scan import (issue 2, point 7): read each file, decide per document found in it
 * (core `decideFile`), then act: store the bytes as received and mark the quotation signed, hold an
 * older version for the clerk's decision, put unreadable/unknown pages on the manual-match list,
 * or say the file was imported before. One clear message per outcome; one bad file never stops
 * the others, and a refused file changes nothing stored.
 */
import type { Actor, User } from '@core/model'
import type { Label, FormDef } from '@forms/schema/types'
import type { FieldChange } from '@core/model'
import type { PriorImport, ScanDocInfo } from '@core/scan/match'
import { decideFile } from '@core/scan/match'
import type { ScanFileResult } from '@core/scan/read'
import { diffDocs } from '@core/diff'
import { groupLines, toSnapshot } from '@core/records'
import { checkTransition, type ActorContext } from '@core/workflow'
import type { DeskDb, ManualMatch } from '@app/data/db'
import type { ManualMatchStore } from '@app/data/manual-matches'
import { formatDateTime } from '@app/locales/format'
import type { DeskDocumentStore } from '@app/data/documents'

export interface ImportDeps {
  readScan(file: { name: string; bytes: Uint8Array }): Promise<ScanFileResult>
  db: DeskDb
  documents: DeskDocumentStore
  manualMatches: ManualMatchStore
  forms: (id: string) => FormDef
  actor: Actor
  actorContext: ActorContext
  users: User[]
  today: string
  now: () => string
}

/** A scanned file kept in memory until the clerk decides on an older version. */
export interface HeldFile { name: string; bytes: Uint8Array; mime: string; hash: string }

export type Outcome =
  | { kind: 'matched'; docId: string; form: string; number: string; version: number; message: Label; signed: boolean; notes: Label[] }
  | { kind: 'olderVersion'; docId: string; form: string; number: string; scannedVersion: number; currentVersion: number; message: Label; changes: FieldChange[]; file: HeldFile; notes: Label[] }
  | { kind: 'unknown'; pages: number[]; message: Label }
  | { kind: 'duplicate'; docId?: string; message: Label }
  | { kind: 'failed'; message: Label }

export interface FileImport { name: string; hash: string; outcomes: Outcome[] }

const MIME = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' } as const

/** A file to import, read only when its turn comes (a picked file, platform.ts `PickedFile`). */
export interface ImportSource { name: string; read(): Promise<Uint8Array> }

/**
 * Imports files one after another, reading each only when its turn comes, so memory holds one
 * file at a time and a file that cannot be read (too large, locked, gone) fails alone.
 * `onFile` sees each result as soon as it is known.
 */
export async function importFiles(files: ImportSource[], deps: ImportDeps, onFile?: (r: FileImport) => void): Promise<FileImport[]> {
  const out: FileImport[] = []
  for (const f of files) {
    const r = await importSource(f, deps)
    out.push(r)
    onFile?.(r)
  }
  return out
}

async function importSource(f: ImportSource, deps: ImportDeps): Promise<FileImport> {
  let bytes: Uint8Array
  try { bytes = await f.read() } catch (e) {
    return { name: f.name, hash: '', outcomes: [{ kind: 'failed', message: readFailure(f.name, e) }] }
  }
  try { return await importOne({ name: f.name, bytes }, deps) } catch (e) {
    return { name: f.name, hash: '', outcomes: [{ kind: 'failed', message: { zh: `${f.name}：导入失败（${(e as Error).message}）`, en: `${f.name}: import failed (${(e as Error).message})` } }] }
  }
}

/** The message of a file that could not be read; the platform's zh-CN reason without the name it repeats. */
function readFailure(name: string, e: unknown): Label {
  const err = e as { code?: string; message?: string }
  const reason = String(err?.message ?? e).replace(new RegExp(`[：:]\\s*${escapeRegExp(name)}$`), '')
  return { zh: `${name}：读取失败，${reason}`, en: `${name}: could not be read (${err?.code ?? 'error'}: ${reason})` }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function importOne(file: { name: string; bytes: Uint8Array }, deps: ImportDeps): Promise<FileImport> {
  const read = await deps.readScan(file)
  const base = { name: file.name, hash: read.sha256 }
  if (read.error) {
    return { ...base, outcomes: [{ kind: 'failed', message: { zh: `${file.name}：${read.error.zh}`, en: `${file.name}: ${read.error.en}` } }] }
  }
  const mime = read.kind ? MIME[read.kind] : 'application/octet-stream'
  const held: HeldFile = { name: file.name, bytes: file.bytes, mime, hash: read.sha256 }

  // What decideFile needs, looked up beforehand (it is synchronous and pure).
  const known = await knownHashes(read.sha256, deps)
  const numbers = new Set<string>()
  for (const p of read.pages) for (const c of p.codes) if (c.identity) numbers.add(c.identity.number)
  if (read.metadataIdentity) numbers.add(read.metadataIdentity.number)
  const infos = new Map<string, ScanDocInfo & { form: string }>()
  for (const n of numbers) {
    const info = await docInfo(n, deps)
    if (info) infos.set(n, info)
  }
  const decision = decideFile({
    // Every identity on a sheet (a 2-up copy carries two pages), so none is dropped.
    pages: read.pages.map((p) => ({ identity: p.identity, identities: p.codes.flatMap((c) => (c.identity ? [c.identity] : [])), qrText: p.qrText, ...(p.error ? { error: p.error.zh } : {}) })),
    fileHash: read.sha256,
    knownFileHashes: known,
    lookup: (n) => infos.get(n),
  })
  if (decision.duplicate) return { ...base, outcomes: [{ kind: 'duplicate', message: decision.duplicate.message, ...(decision.duplicate.docId ? { docId: decision.duplicate.docId } : {}) }] }

  // Pages the reader left out (a file over the page or pixel limit) come first: the clerk must split it.
  const outcomes: Outcome[] = (read.notes ?? []).map((n) => ({ kind: 'failed', message: { zh: `${file.name}：${n.zh}`, en: `${file.name}: ${n.en}` } }))
  for (const g of decision.groups) {
    const d = g.decision
    const info = infos.get(g.number)
    if (d.kind === 'matched' && info) {
      outcomes.push(await storeMatched(held, info, d.version, d.message, g.notes, deps))
    } else if (d.kind === 'olderVersion' && info) {
      const form = deps.forms(info.form)
      const [snap, current] = await Promise.all([deps.documents.snapshot(info.id, d.scannedVersion), deps.documents.load(info.id)])
      const changes = snap && current ? diffDocs(form, { values: snap.values, lines: snap.lines }, { values: current.doc.values, lines: groupLines(current.lines) }) : []
      outcomes.push({ kind: 'olderVersion', docId: info.id, form: info.form, number: info.number, scannedVersion: d.scannedVersion, currentVersion: d.currentVersion, message: d.message, changes, file: held, notes: g.notes })
    } else if (d.kind === 'unknown') {
      await toManual(held, g.order, d.message, deps, read)
      outcomes.push({ kind: 'unknown', pages: g.order.map((i) => i + 1), message: prefix(file.name, d.message, '已放入“待匹配”', 'moved to “To match”') })
    } else if (d.kind === 'duplicate') {
      outcomes.push({ kind: 'duplicate', message: d.message, ...(d.docId ? { docId: d.docId } : {}) })
    }
  }
  if (decision.unmatched.length) {
    // One entry per reason, so the clerk reads one line, not one per page.
    const byReason = new Map<string, { message: Label; pages: number[] }>()
    for (const u of decision.unmatched) {
      const key = u.decision.reason
      const e = byReason.get(key) ?? { message: u.decision.message, pages: [] }
      e.pages.push(u.index)
      byReason.set(key, e)
    }
    for (const e of byReason.values()) {
      await toManual(held, e.pages, e.message, deps, read)
      outcomes.push({ kind: 'unknown', pages: e.pages.map((i) => i + 1), message: prefix(file.name, e.message, '已放入“待匹配”', 'moved to “To match”') })
    }
  }
  if (outcomes.length === 0) outcomes.push({ kind: 'failed', message: { zh: `${file.name}：文件中没有页面`, en: `${file.name}: the file has no pages` } })
  return { ...base, outcomes }
}

function prefix(name: string, m: Label, zh: string, en: string): Label {
  return { zh: `${name}：${m.zh}，${zh}`, en: `${name}: ${m.en}; ${en}` }
}

async function knownHashes(hash: string, deps: ImportDeps): Promise<Map<string, PriorImport>> {
  const map = new Map<string, PriorImport>()
  const atts = await deps.documents.findAttachmentByHash(hash)
  const name = (id: string) => deps.users.find((u) => u.id === id)?.name ?? id
  if (atts[0]) map.set(hash, { docId: atts[0].docId, importedAt: atts[0].importedAt, importedBy: name(atts[0].importedBy) })
  else {
    const [manual] = await deps.manualMatches.forFile(hash)
    if (manual) map.set(hash, { importedAt: manual.at, importedBy: name(manual.by) })
  }
  return map
}

async function docInfo(number: string, deps: ImportDeps): Promise<(ScanDocInfo & { form: string }) | undefined> {
  const doc = (await deps.db.docs.where('number').equals(number).toArray()).find((d) => !d.deleted)
  if (!doc) return undefined
  const printed = await deps.documents.printLog(doc.id)
  return { id: doc.id, form: doc.form, number: doc.number, version: doc.version, printedVersions: printed.map((p) => ({ version: p.version, hash8: p.contentHash })) }
}

/** Stores the bytes as received and applies the signed return, recorded by the importing user. */
async function storeMatched(file: HeldFile, info: ScanDocInfo & { form: string }, version: number, message: Label, notes: Label[], deps: ImportDeps): Promise<Outcome> {
  const added = await deps.documents.addAttachment(info.id, { name: file.name, mime: file.mime, bytes: file.bytes }, { kind: 'signedScan', version }, deps.actor)
  if (added.duplicate) {
    // Stored since the hash was looked up (another window, or a sync): say so, store and sign nothing.
    const by = deps.users.find((u) => u.id === added.existing.importedBy)?.name ?? added.existing.importedBy
    const at = formatDateTime(added.existing.importedAt)
    return {
      kind: 'duplicate', docId: info.id,
      message: { zh: `${file.name}：该文件已导入过，已是 ${info.number} 的附件（${at} 由 ${by} 导入），未重复保存`, en: `${file.name}: imported before, already attached to ${info.number} (${at} by ${by}); not stored again` },
    }
  }
  const signed = await applySignedReturn(info.id, info.form, deps)
  const tail = signed.ok ? { zh: '，已标记为客户已签回', en: '; marked as signed' } : signed.message
  return {
    kind: 'matched', docId: info.id, form: info.form, number: info.number, version, signed: signed.ok, notes,
    message: { zh: `${file.name}：${message.zh}，扫描件已存为附件${tail.zh}`, en: `${file.name}: ${message.en}, scan stored${tail.en}` },
  }
}

/** Applies the form's signed-return transition (`workflow.signedReturn`) when the workflow allows it now. */
async function applySignedReturn(docId: string, formId: string, deps: ImportDeps): Promise<{ ok: true } | { ok: false; message: Label }> {
  const form = deps.forms(formId)
  const loaded = await deps.documents.load(docId)
  const t = form.workflow?.transitions.find((x) => x.id === form.workflow?.signedReturn)
  if (!loaded || !t) return { ok: false, message: { zh: '', en: '' } }
  if (loaded.doc.state === t.to) return { ok: false, message: { zh: '（此前已标记签回）', en: ' (already marked signed)' } }
  const check = await checkTransition(form, toSnapshot(loaded), t.id, deps.actorContext, deps.documents, deps.today)
  if (!check.ok) return { ok: false, message: { zh: `，但未能标记签回：${check.message.zh}`, en: `, but not marked signed: ${check.message.en}` } }
  await deps.documents.transition(docId, t.id, check.to, check.sets, check.actor)
  return { ok: true }
}

/** Puts pages on the manual-match list; the file's bytes are kept (by hash) so a later match can attach them. */
async function toManual(file: HeldFile, pageIndexes: number[], reason: Label, deps: ImportDeps, read: ScanFileResult): Promise<void> {
  // The manual-match rows carry no bytes: keep the file content-addressed, as an attachment would be.
  await deps.db.transaction('rw', deps.db.blobs, async () => {
    if (!(await deps.db.blobs.get(file.hash))) await deps.db.blobs.add({ hash: file.hash, bytes: file.bytes, size: file.bytes.byteLength })
  })
  for (const i of pageIndexes) {
    const page = read.pages[i]
    await deps.manualMatches.add({
      fileHash: file.hash, fileName: file.name, page: i + 1, thumbnail: page?.thumbnail ?? new Uint8Array(),
      mime: 'image/png', reason: reason.zh,
    }, deps.actor)
  }
}

/** The clerk's decision on an older version: keep it as an attachment of that version, or drop it. */
export async function decideOlder(o: Extract<Outcome, { kind: 'olderVersion' }>, choice: 'attach' | 'discard', deps: Pick<ImportDeps, 'documents' | 'actor'>): Promise<Label> {
  if (choice === 'discard') return { zh: `${o.file.name}：已放弃，未保存`, en: `${o.file.name}: discarded, nothing stored` }
  await deps.documents.addAttachment(o.docId, { name: o.file.name, mime: o.file.mime, bytes: o.file.bytes }, { kind: 'signedScan', version: o.scannedVersion }, deps.actor)
  return { zh: `${o.file.name}：已作为 ${o.number} 第 ${o.scannedVersion} 版的签回件保存`, en: `${o.file.name}: stored as the signed copy of ${o.number} version ${o.scannedVersion}` }
}

/** Attaches a manual-match page's file to the document with `number`; applies the signed return when allowed. */
export async function attachManual(m: ManualMatch, number: string, deps: ImportDeps): Promise<{ ok: boolean; message: Label }> {
  const info = await docInfo(number.trim().toUpperCase(), deps)
  if (!info) return { ok: false, message: { zh: `找不到单号 ${number}`, en: `No document ${number}` } }
  const bytes = await deps.documents.readBlob(m.fileHash)
  if (!bytes) return { ok: false, message: { zh: `${m.fileName} 的文件内容已不在本机，请重新导入`, en: `The bytes of ${m.fileName} are gone; import it again` } }
  const mime = m.fileName.toLowerCase().endsWith('.pdf') ? 'application/pdf' : m.fileName.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg'
  await deps.documents.addAttachment(info.id, { name: m.fileName, mime, bytes }, { kind: 'signedScan' }, deps.actor)
  const signed = await applySignedReturn(info.id, info.form, deps)
  // Every page of the same file goes with it: the clerk matched the file, not one picture.
  for (const r of await deps.manualMatches.forFile(m.fileHash)) if (!r.resolved) await deps.manualMatches.resolve(r.id, info.id, deps.actor)
  const tail = signed.ok ? { zh: '，已标记为客户已签回', en: '; marked as signed' } : { zh: '', en: '' }
  return { ok: true, message: { zh: `已关联到 ${info.number}${tail.zh}`, en: `Attached to ${info.number}${tail.en}` } }
}
