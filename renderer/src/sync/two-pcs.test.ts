/**
 * Two (or three) PCs, each with its own IndexedDB and the REAL main-process handlers, on ONE real
 * temp folder: what clerks do, and the faults of sync.md that need the app's own database.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '@core/identity'
import { clerkA, clerkB, csClerk, customerData, edit, formOffice, makePc, officeClock, quotationData, sharedFolder, syncAll, type TestPc } from './test-office'

let cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups) await c()
  cleanups = []
})

async function office(n: 2 | 3, tuning: Parameters<typeof makePc>[4] = {}) {
  const folder = await sharedFolder()
  const clock = officeClock()
  const pcs: TestPc[] = []
  for (const [name, code] of [['客服1号机', 'A1'], ['客服2号机', 'B2'], ['客服3号机', 'C3']].slice(0, n) as Array<[string, string]>) {
    pcs.push(await makePc(folder.dir, name, code, clock, tuning))
  }
  cleanups.push(() => folder.cleanup(pcs))
  await formOffice(pcs)
  return { dir: folder.dir, clock, pcs: pcs as [TestPc, TestPc, ...TestPc[]] }
}

/** What a clerk sees of a document on one PC: number, state, values, lines, audit actions. */
async function seen(pc: TestPc, id: string) {
  const loaded = (await pc.documents.load(id))!
  const timeline = await pc.documents.timeline(id)
  return {
    number: loaded.doc.number, state: loaded.doc.state, values: loaded.doc.values,
    lines: loaded.lines.map((l) => ({ id: l.id, seq: l.seq, values: l.values })),
    audit: timeline.map((e) => `${e.id}:${e.action}`).sort(),
  }
}

async function visibleCounts(pc: TestPc) {
  const out: Record<string, number> = {}
  for (const t of ['docs', 'lines', 'audit', 'attachments', 'versions', 'blobs']) out[t] = await pc.db.table(t).count()
  return out
}

describe('two PCs through the real shared-folder handlers', () => {
  it('a customer and a quotation made on A appear on B with the same number, lines and audit, and are searchable there', async () => {
    const { pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    const quote = await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
    await a.sync.syncNow()
    await b.sync.syncNow()

    expect(await seen(b, quote.doc.id)).toEqual(await seen(a, quote.doc.id))
    expect((await b.documents.load(quote.doc.id))!.doc.number).toBe(quote.doc.number)
    expect(await b.documents.count('quotation')).toBe(1)
    expect(await b.documents.count('customer')).toBe(1)
    // The list page's search works on B: by number and by the customer's name in the title.
    expect((await b.documents.list('quotation', { text: quote.doc.number })).rows.map((d) => d.id)).toEqual([quote.doc.id])
    expect((await a.documents.list('quotation', { text: '佛山' })).rows.map((d) => d.id)).toEqual([quote.doc.id])
    expect((await b.documents.list('quotation', { text: '佛山' })).rows.map((d) => d.id)).toEqual([quote.doc.id])
    expect((await b.documents.findBy('quotation', 'customer', customer.doc.id)).map((d) => d.id)).toEqual([quote.doc.id])

    const status = await b.sync.status()
    expect(status.problems).toEqual([])
    expect(status.pcs.map((p) => p.name).sort()).toEqual(['客服1号机', '客服2号机'])
    expect(status.pcs.find((p) => p.pc === a.sync.pc)?.imported).toBeGreaterThan(0)
    expect(await a.sync.store.digest()).toBe(await b.sync.store.digest())
  })

  it('fault 17: A and B edit different fields of one quotation → both edits on both PCs, no conflict', async () => {
    const { pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    const quote = await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
    await syncAll([a, b])
    await edit(a, quote.doc.id, { contact: '梁美玲' }, clerkA)
    await edit(b, quote.doc.id, { validUntil: '2026-12-31' }, clerkB)
    await syncAll([a, b])

    for (const pc of [a, b]) {
      const doc = (await pc.documents.load(quote.doc.id))!.doc
      expect(doc.values.contact).toBe('梁美玲')
      expect(doc.values.validUntil).toBe('2026-12-31')
      expect(await pc.sync.conflicts()).toEqual([])
      expect((await pc.sync.status()).conflicts).toBe(0)
    }
    expect(await seen(a, quote.doc.id)).toEqual(await seen(b, quote.doc.id))
  })

  it('fault 18: the same field edited on A and B → one value on both PCs and one conflict each; B resolves, A follows', async () => {
    const { pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    const quote = await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
    await syncAll([a, b])
    await edit(a, quote.doc.id, { contact: '梁美玲' }, clerkA)
    await edit(b, quote.doc.id, { contact: '黄志华' }, clerkB)
    await syncAll([a, b])

    const shownA = (await a.documents.load(quote.doc.id))!.doc.values.contact
    const shownB = (await b.documents.load(quote.doc.id))!.doc.values.contact
    expect(shownA).toBe(shownB)
    const [ca, cb] = [await a.sync.conflicts(), await b.sync.conflicts()]
    expect(ca).toHaveLength(1)
    expect(cb).toHaveLength(1)
    expect(ca[0]!.field).toBe('values.contact')
    expect(ca[0]!.number).toBe(quote.doc.number)
    expect(ca[0]!.values.map((v) => v.value).sort()).toEqual(['梁美玲', '黄志华'])
    expect(ca[0]!.values[0]!.value).toBe(shownA)
    // Who, when and which PC, for the side-by-side view.
    const fromB = ca[0]!.values.find((v) => v.value === '黄志华')!
    expect(fromB.pc).toBe(b.sync.pc)
    expect(fromB.pcName).toBe('客服2号机')
    expect(fromB.by).toBe(clerkB.userId)
    expect(fromB.at).toMatch(/^2026-11-20T/)
    expect(cb.map((c) => c.values)).toEqual(ca.map((c) => c.values))

    await b.sync.resolve(cb[0]!, '何俊', clerkB)
    expect(await b.sync.conflicts()).toEqual([]) // gone from B's inbox at once
    expect((await b.documents.load(quote.doc.id))!.doc.values.contact).toBe('何俊')
    await syncAll([b, a])
    expect((await a.documents.load(quote.doc.id))!.doc.values.contact).toBe('何俊')
    expect(await a.sync.conflicts()).toEqual([])
    expect(await b.sync.conflicts()).toEqual([])
    expect((await a.documents.timeline(quote.doc.id)).some((e) => e.action === 'resolveConflict' && e.actor.userId === clerkB.userId)).toBe(true)
    expect(await a.sync.store.digest()).toBe(await b.sync.store.digest())
  })

  it('fault 19: deleted on A while edited on B → the quotation stays on both, with a restore/delete conflict', async () => {
    const { pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    const quote = await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
    await syncAll([a, b])
    await a.documents.remove(quote.doc.id, clerkA)
    await edit(b, quote.doc.id, { contact: '梁美玲' }, clerkB)
    await syncAll([a, b])
    for (const pc of [a, b]) {
      const doc = (await pc.documents.load(quote.doc.id))!.doc
      expect(doc.deleted).toBeFalsy()
      expect(doc.values.contact).toBe('梁美玲')
      expect(await pc.documents.count('quotation')).toBe(1)
      expect((await pc.sync.conflicts()).map((c) => c.kind)).toEqual(['editDelete'])
    }
    // Confirming the delete on A closes it everywhere.
    const [c] = await a.sync.conflicts()
    await a.sync.resolve(c!, true, clerkA)
    await syncAll([a, b])
    for (const pc of [a, b]) {
      expect((await pc.documents.load(quote.doc.id))!.doc.deleted).toBe(true)
      expect(await pc.documents.count('quotation')).toBe(0)
      expect(await pc.sync.conflicts()).toEqual([])
    }
  })

  it('fault 20: customer deleted on A while B makes a quote for it → the quote is kept and the customer shows a conflict', async () => {
    const { pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    await syncAll([a, b])
    await a.documents.remove(customer.doc.id, clerkA)
    const quote = await b.documents.create('quotation', quotationData(customer.doc.id), clerkB)
    await syncAll([a, b])
    for (const pc of [a, b]) {
      expect((await pc.documents.load(quote.doc.id))!.doc.deleted).toBeFalsy()
      expect((await pc.documents.load(customer.doc.id))!.doc.deleted).toBeFalsy()
      const conflicts = await pc.sync.conflicts()
      expect(conflicts.map((c) => [c.key, c.kind])).toEqual([[customer.doc.id, 'editDelete']])
    }
  })

  it('faults 28, 29: a signed scan attached on A arrives on B with the same hash; pending while its file is missing; the same PDF twice is stored once', async () => {
    const { dir, pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    const quote = await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
    const pdf = new TextEncoder().encode(`%PDF-1.7\n签字回传 ${quote.doc.number}\n%%EOF`)
    const hash = await sha256Hex(pdf)
    await a.documents.addAttachment(quote.doc.id, { name: '回传.pdf', mime: 'application/pdf', bytes: pdf }, { kind: 'signedScan', version: 1 }, clerkA)
    await a.sync.syncNow()
    expect(await readdir(path.join(dir, 'blobs'))).toEqual([`${hash}.blob`])

    // Fault 28: the blob is still being copied when B imports the record that refers to it.
    const blobFile = path.join(dir, 'blobs', `${hash}.blob`)
    const bytes = await readFile(blobFile)
    await rm(blobFile)
    await b.sync.syncNow()
    const [att] = await b.documents.attachments(quote.doc.id)
    expect(att?.hash).toBe(hash)
    expect(await b.sync.blobPending(hash)).toBe(true)
    const pendingStatus = await b.sync.status()
    expect(pendingStatus.pendingAttachments).toBe(1)
    expect(pendingStatus.problems.map((p) => p.message)).toContain('1 个附件待接收')
    expect((await b.documents.load(quote.doc.id))!.doc.number).toBe(quote.doc.number) // the record is usable

    await writeFile(blobFile, bytes)
    await b.sync.syncNow()
    expect(await b.sync.blobPending(hash)).toBe(false)
    expect(await b.documents.readBlob(hash)).toEqual(pdf)

    // Fault 29: B attaches the same PDF to the customer: one blob on each PC and in the folder.
    await b.documents.addAttachment(customer.doc.id, { name: '同一文件.pdf', mime: 'application/pdf', bytes: pdf }, { kind: 'file' }, clerkB)
    await syncAll([b, a])
    for (const pc of [a, b]) {
      expect(await pc.db.blobs.count()).toBe(1)
      expect((await pc.documents.findAttachmentByHash(hash)).length).toBe(2)
    }
    expect(await readdir(path.join(dir, 'blobs'))).toEqual([`${hash}.blob`])
  })

  it('fault 22: an import interrupted halfway and rerun ends in the same state, nothing doubled', async () => {
    const { pcs: [a, b] } = await office(2, { maxBatch: 4 })
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    for (let i = 0; i < 3; i++) await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
    await a.sync.syncNow()

    // Power loss on B's third commit of this import: the transaction is refused as a whole.
    const real = b.sync.store.commit.bind(b.sync.store)
    let n = 0
    b.sync.store.commit = async (batch) => {
      if (++n === 3) throw new Error('simulated power loss during commit')
      return real(batch)
    }
    const broken = await b.sync.syncNow()
    expect(broken.error).toContain('同步出错')
    expect(await b.documents.count('quotation')).toBeLessThan(3)

    b.sync.store.commit = real
    const restarted = await b.restart()
    cleanups.push(async () => { restarted.sync.stop(); await restarted.sync.idle(); restarted.db.close() })
    await restarted.sync.syncNow()
    await restarted.sync.syncNow()
    expect(await restarted.documents.count('quotation')).toBe(3)
    expect(await visibleCounts(restarted)).toEqual(await visibleCounts(a))
    expect(await restarted.sync.store.digest()).toBe(await a.sync.store.digest())
    for (const d of (await a.documents.list('quotation', {})).rows) expect(await seen(restarted, d.id)).toEqual(await seen(a, d.id))
  })

  it('faults 7, 9, 25, 26: junk, a tampered segment and an unknown PC in the folder are set aside with a message; the rest flows; local data unchanged', async () => {
    const { dir, pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    await syncAll([a, b])
    const before = await visibleCounts(b)

    // A's next segment is edited in a text editor before B reads it (faults 7, 26).
    await edit(a, customer.doc.id, { fullName: '佛山市美达电器股份有限公司' }, clerkA)
    await a.sync.syncNow()
    const segDir = path.join(dir, 'pcs', a.sync.pc, 'seg')
    const newest = (await readdir(segDir)).sort().at(-1)!
    const file = path.join(segDir, newest)
    const good = await readFile(file)
    const bad = Buffer.from(good)
    const mid = Math.floor(bad.length / 2)
    bad[mid] = (bad[mid] ?? 0) ^ 0xff
    await writeFile(file, bad)
    // Junk a cloud client and Office leave behind (fault 9), and a PC nobody approved (fault 25).
    await writeFile(path.join(segDir, '~$0000000009.seg'), 'junk')
    await writeFile(path.join(dir, 'pcs', 'desktop.ini'), '[.ShellClassInfo]')
    await writeFile(path.join(segDir, `${newest}.syncthing.tmp`), good)
    await writeFile(path.join(dir, 'Thumbs.db'), 'x')
    await writeFile(path.join(dir, 'tmp', 'abandoned.part'), 'half')
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, 'pcs', 'EVIL', 'seg'), { recursive: true }))
    await writeFile(path.join(dir, 'pcs', 'EVIL', 'identity.json'), JSON.stringify({ pc: 'EVIL', name: '陌生电脑', publicKey: Buffer.alloc(32, 7).toString('base64') }))
    await writeFile(path.join(dir, 'pcs', 'EVIL', 'seg', '0000000001.seg'), 'MDSEG1 not really')

    // B's own work keeps flowing to A meanwhile.
    const quote = await b.documents.create('quotation', quotationData(customer.doc.id), clerkB)
    await b.sync.syncNow()
    await b.sync.syncNow() // a second failed read after the grace period: quarantined
    const status = await b.sync.status()
    // B also says it is missing data from A (A's status shows more than B could apply).
    expect(status.problems.map((p) => p.code).sort()).toEqual(['missingData', 'pendingApproval', 'quarantined'])
    expect(status.problems.find((p) => p.code === 'quarantined')!.message).toContain(a.sync.pc)
    expect(status.problems.find((p) => p.code === 'pendingApproval')!.message).toContain('EVIL')
    expect((await b.documents.load(customer.doc.id))!.doc.values.fullName).toBe('佛山市美达电器有限公司')
    expect((await visibleCounts(b)).docs).toBe((before.docs ?? 0) + 1)

    await a.sync.syncNow()
    expect((await a.documents.load(quote.doc.id))!.doc.number).toBe(quote.doc.number)
    // A sees B's quarantine report and republishes its own good bytes; B then catches up.
    await syncAll([a, b])
    expect((await b.documents.load(customer.doc.id))!.doc.values.fullName).toBe('佛山市美达电器股份有限公司')
    expect((await b.sync.status()).problems.map((p) => p.code)).toEqual(['pendingApproval'])
    expect(await a.sync.store.digest()).toBe(await b.sync.store.digest())
  })

  it('fault 1: the share is gone → sync pauses with a notice, nothing local changes; it resumes when the share is back', async () => {
    const { dir, pcs: [a, b] } = await office(2)
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    await syncAll([a, b])
    await b.fx.deps.settings.update({ sharedRoot: path.join(dir, '..', 'unplugged-usb-stick') })
    const before = await visibleCounts(b)
    await edit(b, customer.doc.id, { fullName: '美达（离线修改）' }, clerkB)
    const paused = await b.sync.syncNow()
    expect(paused.paused).toBe(true)
    expect(paused.problems.map((p) => p.message)).toContain('共享文件夹不可用，同步已暂停（本机数据不受影响）')
    expect(paused.waiting).toBeGreaterThan(0)
    expect((await visibleCounts(b)).docs).toBe(before.docs)

    await b.fx.deps.settings.update({ sharedRoot: dir })
    const back = await b.sync.syncNow()
    expect(back.paused).toBe(false)
    expect(back.waiting).toBe(0)
    await a.sync.syncNow()
    expect((await a.documents.load(customer.doc.id))!.doc.values.fullName).toBe('美达（离线修改）')
  })

  it('start(): a local change is synced by itself soon after, without 立即同步', async () => {
    const { pcs: [a, b] } = await office(2)
    a.sync.start()
    const customer = await a.documents.create('customer', customerData('东莞市华兴模具塑胶有限公司'), csClerk)
    // The outbox write schedules a round (debounced; 20 ms in these tests, 3 s in the app).
    await new Promise<void>((resolve) => {
      const off = a.sync.onChange(() => {
        void a.sync.status().then((s) => { if (!s.running && s.waiting === 0) { off(); resolve() } })
      })
    })
    a.sync.stop()
    await b.sync.syncNow()
    expect((await b.documents.load(customer.doc.id))?.doc.values.fullName).toBe('东莞市华兴模具塑胶有限公司')
  })
})
