import { describe, expect, it } from 'vitest'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { formById } from '@forms/registry'
import type { Actor } from '@core/model'
import type { ScanFileResult } from '@core/scan/read'
import { openDataLayer, DEMO_IDS, type DataLayer } from '@app/data'
import { signInAs } from '@app/data/test-setup'
import { attachManual, decideOlder, importFiles, type ImportDeps, type Outcome } from './import'

const Q = DEMO_IDS.quotation
const clerk: Actor = { userId: DEMO_IDS.users.zhangMin, name: '张敏' }
const director: Actor = { userId: DEMO_IDS.users.chenZhiyuan, name: '陈志远' }
const TODAY = new Date().toISOString().slice(0, 10)

/**
 * A readScan stand-in: each test says what the "scanner" saw on each page of each file (a list for
 * a sheet carrying several codes, a 2-up copy), and what the reader noted about the whole file.
 */
type Code = { number: string; version: number; hash8: string; page?: number; pages?: number }
type Seen = { error?: string; pages?: Array<Code | Code[] | null>; notes?: string[] }
function fakeReader(seen: Record<string, Seen>) {
  return async (f: { name: string; bytes: Uint8Array }): Promise<ScanFileResult> => {
    const s = seen[f.name] ?? { pages: [null] }
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', f.bytes as Uint8Array<ArrayBuffer>))
    const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
    if (s.error) return { name: f.name, size: f.bytes.length, sha256, error: { zh: s.error, en: s.error }, pages: [] }
    const pages = (s.pages ?? []).map((p, index) => {
      const codes = (p === null ? [] : Array.isArray(p) ? p : [p]).map((c) => ({
        identity: { number: c.number, version: c.version, page: c.page ?? 1, pages: c.pages ?? 1, hash8: c.hash8 }, text: 'x', via: 'test',
      }))
      return { index, qrText: codes.length ? 'x' : null, ms: 1, thumbnail: new Uint8Array([1, 2, 3]), identity: codes[0]?.identity ?? null, codes }
    })
    const notes = (s.notes ?? []).map((n) => ({ zh: n, en: n }))
    return { name: f.name, size: f.bytes.length, sha256, kind: 'pdf', pages, ...(notes.length ? { notes } : {}) }
  }
}

async function office(): Promise<{ data: DataLayer; deps: (seen: Record<string, Seen>) => ImportDeps; number: string }> {
  const data = await openDataLayer({ name: `import-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  const users = await data.directory.users()
  const user = users.find((u) => u.id === clerk.userId)!
  // The quotation is submitted, approved and printed (V1, content hash ABCDEF12), each by whoever signed in.
  await signInAs(data.directory, clerk)
  await data.documents.transition(Q, 'submit', 'pending', {}, clerk)
  await signInAs(data.directory, director)
  const approved = await data.documents.transition(Q, 'approve', 'approved', {}, director)
  await signInAs(data.directory, clerk)
  await data.documents.recordPrint({ id: crypto.randomUUID(), docId: Q, number: approved.doc.number, version: 1, contentHash: 'ABCDEF12', pages: 1, pdfSha256: 'x', at: new Date().toISOString(), by: clerk.userId }, clerk)
  const deps = (seen: Record<string, Seen>): ImportDeps => ({
    readScan: fakeReader(seen), db: data.db, documents: data.documents, manualMatches: data.manualMatches, forms: formById,
    actor: clerk, actorContext: { user, grants: [], users }, users, today: TODAY, now: () => new Date().toISOString(),
  })
  return { data, deps, number: approved.doc.number }
}

const bytes = (s: string) => new TextEncoder().encode(s)
/** A picked file whose bytes are read when the importer reaches it. */
const file = (name: string, content: Uint8Array) => ({ name, read: async () => content })
const kinds = (o: Outcome[]) => o.map((x) => x.kind)

describe('scan import', () => {
  it('stores a matched scan as received, marks the quotation signed by the importing clerk, and refuses the same file twice', async () => {
    const { data, deps, number } = await office()
    const d = deps({ 'signed.pdf': { pages: [{ number, version: 1, hash8: 'ABCDEF12' }] } })
    const [r] = await importFiles([file('signed.pdf', bytes('scan-1'))], d)
    expect(kinds(r!.outcomes)).toEqual(['matched'])
    expect(r!.outcomes[0]!.message.zh).toContain('已标记为客户已签回')
    expect((await data.documents.load(Q))!.doc.state).toBe('signed')
    const atts = await data.documents.attachments(Q)
    expect(atts).toHaveLength(1)
    expect(atts[0]).toMatchObject({ name: 'signed.pdf', kind: 'signedScan', version: 1, importedBy: clerk.userId })
    expect(await data.documents.readBlob(atts[0]!.hash)).toEqual(bytes('scan-1'))
    const last = (await data.documents.timeline(Q)).find((e) => e.action === 'transition:signedReturn')
    expect(last?.actor.userId).toBe(clerk.userId)

    const [again] = await importFiles([file('signed-copy.pdf', bytes('scan-1'))], d)
    expect(kinds(again!.outcomes)).toEqual(['duplicate'])
    expect(await data.documents.attachments(Q)).toHaveLength(1)
  })

  it('gives one message per file and goes on after a bad file; nothing stored changes for the bad one', async () => {
    const { data, deps, number } = await office()
    const d = deps({
      'empty.pdf': { error: '文件为空（0 字节）' },
      'noqr.jpg': { pages: [null] },
      'signed.pdf': { pages: [{ number, version: 1, hash8: 'ABCDEF12' }] },
    })
    const results = await importFiles([
      file('empty.pdf', new Uint8Array()), file('noqr.jpg', bytes('photo')), file('signed.pdf', bytes('scan')),
    ], d)
    expect(results.map((r) => kinds(r.outcomes))).toEqual([['failed'], ['unknown'], ['matched']])
    expect(results[0]!.outcomes[0]!.message.zh).toBe('empty.pdf：文件为空（0 字节）')
    expect(results[1]!.outcomes[0]!.message.zh).toContain('待匹配')
    const pending = await data.manualMatches.pending()
    expect(pending.map((m) => [m.fileName, m.page])).toEqual([['noqr.jpg', 1]])
    expect(await data.documents.attachments(Q)).toHaveLength(1)
  })

  it('a file that cannot be read fails alone with its reason; the others are read one at a time and imported', async () => {
    const { data, deps, number } = await office()
    const d = deps({
      'noqr.jpg': { pages: [null] },
      'signed.pdf': { pages: [{ number, version: 1, hash8: 'ABCDEF12' }] },
    })
    const reads: string[] = []
    const done: string[] = []
    const tracked = (name: string, read: () => Promise<Uint8Array>) => ({
      name,
      read: async () => {
        // Each file is read only after the one before it is finished with.
        expect(done).toHaveLength(reads.length)
        reads.push(name)
        return read()
      },
    })
    const tooLarge = Object.assign(new Error('文件过大（61.0 MB），单个文件不能超过 60 MB：扫描-大.pdf'), { code: 'FILE_TOO_LARGE' })
    const locked = Object.assign(new Error('文件正被其他程序占用，请稍后重试'), { code: 'BUSY' })
    const results = await importFiles([
      tracked('扫描-大.pdf', () => Promise.reject(tooLarge)),
      tracked('noqr.jpg', async () => bytes('photo')),
      tracked('被占用.pdf', () => Promise.reject(locked)),
      tracked('signed.pdf', async () => bytes('scan')),
    ], d, (r) => done.push(r.name))
    expect(reads).toEqual(['扫描-大.pdf', 'noqr.jpg', '被占用.pdf', 'signed.pdf'])
    expect(results.map((r) => kinds(r.outcomes))).toEqual([['failed'], ['unknown'], ['failed'], ['matched']])
    expect(results[0]!.outcomes[0]!.message.zh).toBe('扫描-大.pdf：读取失败，文件过大（61.0 MB），单个文件不能超过 60 MB')
    expect(results[2]!.outcomes[0]!.message.zh).toBe('被占用.pdf：读取失败，文件正被其他程序占用，请稍后重试')
    expect((await data.manualMatches.pending()).map((m) => m.fileName)).toEqual(['noqr.jpg'])
    expect((await data.documents.attachments(Q)).map((a) => a.name)).toEqual(['signed.pdf'])
  })

  it('a file attached since its hash was looked up (another window, a sync) is reported as imported before, not stored again', async () => {
    const { data, deps, number } = await office()
    await signInAs(data.directory, director)
    await data.documents.addAttachment(Q, { name: 'signed.pdf', mime: 'application/pdf', bytes: bytes('scan-1') }, { kind: 'signedScan', version: 1 }, director)
    await signInAs(data.directory, clerk)
    const d = deps({ 'signed-again.pdf': { pages: [{ number, version: 1, hash8: 'ABCDEF12' }] } })
    // The lookup ran before the other window's attachment landed.
    const raced: ImportDeps = { ...d, documents: { ...data.documents, findAttachmentByHash: async () => [] } }
    const [r] = await importFiles([file('signed-again.pdf', bytes('scan-1'))], raced)
    expect(kinds(r!.outcomes)).toEqual(['duplicate'])
    expect(r!.outcomes[0]!.message.zh).toMatch(new RegExp(`^signed-again\\.pdf：该文件已导入过，已是 ${number} 的附件（\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} 由 陈志远 导入），未重复保存$`))
    expect(r!.outcomes[0]!.message.zh).not.toContain('扫描件已存为附件')
    expect((await data.documents.attachments(Q)).map((a) => a.name)).toEqual(['signed.pdf'])
    expect((await data.documents.load(Q))!.doc.state).toBe('approved')
  })

  it('holds an older version with what changed, and attaches it only when the clerk says so', async () => {
    const { data, deps, number } = await office()
    const loaded = (await data.documents.load(Q))!
    const lines = { items: loaded.lines.map((l) => ({ id: l.id, values: { ...l.values } })) }
    lines.items[1]!.values.unitPrice = 1295
    await data.documents.update(Q, { values: loaded.doc.values, lines }, clerk) // approved → a new version (§5.6.1)
    expect((await data.documents.load(Q))!.doc.version).toBe(2)

    const d = deps({ 'v1.pdf': { pages: [{ number, version: 1, hash8: 'ABCDEF12' }] } })
    const [r] = await importFiles([file('v1.pdf', bytes('old scan'))], d)
    const o = r!.outcomes[0]!
    expect(o.kind).toBe('olderVersion')
    if (o.kind !== 'olderVersion') return
    expect(o.changes.some((c) => c.field === 'items[1].unitPrice' && c.from === 1265 && c.to === 1295)).toBe(true)
    expect(await data.documents.attachments(Q)).toHaveLength(0) // waits for the clerk

    await decideOlder(o, 'attach', d)
    const atts = await data.documents.attachments(Q)
    expect(atts.map((a) => a.version)).toEqual([1])
    expect((await data.documents.load(Q))!.doc.state).toBe('draft') // an old signature does not sign the new version
  })

  it('a 2-up sheet carrying two documents: each is reported, the known one stored, the other queued with its number', async () => {
    const { data, deps, number } = await office()
    const d = deps({ '2up.pdf': { pages: [[{ number, version: 1, hash8: 'ABCDEF12' }, { number: 'BJ2611-K9-0042', version: 1, hash8: '0BADF00D' }]] } })
    const [r] = await importFiles([file('2up.pdf', bytes('two pages on one sheet'))], d)
    expect(r!.outcomes.map((o) => [o.kind, o.message.zh])).toEqual([
      ['matched', `2up.pdf：已匹配单据 ${number} 第 1 版，扫描件已存为附件，已标记为客户已签回`],
      ['unknown', '2up.pdf：本机没有单据 BJ2611-K9-0042，已放入“待匹配”'],
    ])
    expect((await data.documents.attachments(Q)).map((a) => a.name)).toEqual(['2up.pdf'])
    expect((await data.manualMatches.pending()).map((m) => [m.fileName, m.page, m.reason])).toEqual([['2up.pdf', 1, '本机没有单据 BJ2611-K9-0042']])
  })

  it('a 2-up sheet of pages 1 and 2 of one document is that document, complete, listed once', async () => {
    const { data, deps, number } = await office()
    const two = (page: number) => ({ number, version: 1, hash8: 'ABCDEF12', page, pages: 2 })
    const d = deps({ '2up.pdf': { pages: [[two(1), two(2)]] } })
    const [r] = await importFiles([file('2up.pdf', bytes('pages 1 and 2 side by side'))], d)
    expect(kinds(r!.outcomes)).toEqual(['matched'])
    expect(r!.outcomes[0]).toMatchObject({ notes: [] })
    expect(await data.documents.attachments(Q)).toHaveLength(1)
  })

  it('a file whose reading stopped early says how many pages were not read, first, and the read pages still import', async () => {
    const { data, deps, number } = await office()
    const d = deps({ 'big.pdf': { pages: [{ number, version: 1, hash8: 'ABCDEF12' }, null], notes: ['只读取了前 500 页，其余 500 页未读取，请拆分文件后再导入'] } })
    const [r] = await importFiles([file('big.pdf', bytes('1000 pages'))], d)
    expect(r!.outcomes.map((o) => [o.kind, o.message.zh])).toEqual([
      ['failed', 'big.pdf：只读取了前 500 页，其余 500 页未读取，请拆分文件后再导入'],
      ['matched', `big.pdf：已匹配单据 ${number} 第 1 版，扫描件已存为附件，已标记为客户已签回`],
      ['unknown', 'big.pdf：第 2 页未找到二维码，已放入“待匹配”'],
    ])
    expect((await data.documents.load(Q))!.doc.state).toBe('signed')
  })

  it('lets the clerk attach a manual-match page by number', async () => {
    const { data, deps, number } = await office()
    const d = deps({ 'fax.png': { pages: [null] } })
    await importFiles([file('fax.png', bytes('fax'))], d)
    const [m] = await data.manualMatches.pending()
    expect((await attachManual(m!, 'NO-SUCH-1', d)).ok).toBe(false)
    const ok = await attachManual(m!, number, d)
    expect(ok.ok).toBe(true)
    expect(await data.manualMatches.pending()).toHaveLength(0)
    expect((await data.documents.attachments(Q)).map((a) => a.name)).toEqual(['fax.png'])
    expect((await data.documents.load(Q))!.doc.state).toBe('signed')
  })
})
