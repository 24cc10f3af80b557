import { describe, expect, it } from 'vitest'
import type { FormData } from '@forms/schema/types'
import type { DocRecord } from '@core/model'
import { ValidationFailed } from './documents'
import { DEMO_IDS, seedDemo } from './seed'
import { director, sales, setup, steppingClock, tableCounts } from './test-setup'
import { signInAs } from './test-setup'
import { chainHash, verifyObject } from '@core/trust/sign'
import { createFindingStore } from './findings'
import { formById } from '@forms/registry'

function quote(customer: string, items: Array<[string, string, number]> = [['阻燃PC/ABS合金', '1000', 2380]]): FormData {
  return {
    values: { customer, contact: '何俊', quoteDate: '2026-11-20', validUntil: '2026-12-20', currency: 'CNY', paymentMethod: 'credit', creditDays: 60 },
    lines: { items: items.map(([productName, quantity, unitPrice], i) => ({ id: `row${i}`, values: { productName, spec: null, quantity, unit: 'kg', unitPrice, taxRate: '13' } })) },
  }
}

async function seeded() {
  const ctx = await setup()
  await seedDemo(ctx.db, { forms: formById, now: ctx.now })
  return ctx
}

describe('DocumentStore create', () => {
  it('writes the document, its lines, one audit entry and the outbox rows together', async () => {
    const { db, documents } = await seeded()
    const before = await tableCounts(db)
    const { doc, lines } = await documents.create('quotation', quote(DEMO_IDS.customers.meida, [['阻燃PC/ABS合金', '1000', 2380], ['玻纤增强PP', '500', 1265]]), sales)

    expect(doc.state).toBe('draft')
    expect(doc.values.grandTotal).toBe(2380 * 1000 + 1265 * 500)
    expect(lines.map((l) => l.values.productName)).toEqual(['阻燃PC/ABS合金', '玻纤增强PP'])
    const after = await tableCounts(db)
    expect(after.docs! - before.docs!).toBe(1)
    expect(after.lines! - before.lines!).toBe(2)
    expect(after.audit! - before.audit!).toBe(1)
    const outbox = await db.outbox.where('seq').above(0).toArray()
    const mine = outbox.filter((r) => r.key === doc.id || lines.some((l) => l.id === r.key) || (r.table === 'audit' && (r.fields as { docId?: string }).docId === doc.id))
    expect(mine.map((r) => r.table).sort()).toEqual(['audit', 'docs', 'lines', 'lines'])
    expect(mine.every((r) => r.exported === 0)).toBe(true)
    // Line items travel as records of their own, not inside the document (sync.md).
    const docRow = mine.find((r) => r.table === 'docs')!
    expect(docRow.fields['values.customer']).toBe(DEMO_IDS.customers.meida)
    expect(Object.keys(docRow.fields).some((k) => k.startsWith('values.items'))).toBe(false)

    const [entry] = await documents.timeline(doc.id)
    expect(entry!.action).toBe('create')
    expect(entry!.actor).toEqual(sales)
    expect(entry!.changes.find((c) => c.field === 'customer')?.to).toBe(DEMO_IDS.customers.meida)
  })

  it('writes nothing for invalid data and consumes no number', async () => {
    const { db, documents } = await seeded()
    const first = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const before = await tableCounts(db)
    const counters = await db.counters.toArray()

    const bad = quote(DEMO_IDS.customers.meida, [])
    bad.values.validUntil = '2026-11-01'
    const err = await documents.create('quotation', bad, sales).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationFailed)
    expect(new Set((err as ValidationFailed).errors.map((e) => e.field))).toEqual(new Set(['items', 'validUntil']))

    expect(await tableCounts(db)).toEqual(before)
    expect(await db.counters.toArray()).toEqual(counters)
    const next = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const seq = (n: string) => Number(n.split('-').at(-1))
    expect(seq(next.doc.number)).toBe(seq(first.doc.number) + 1)
  })

  it('numbers run in sequence per PC and carry the PC code, so two PCs never collide', async () => {
    const a = await setup()
    const b = await setup()
    const codeA = (await a.directory.settings()).pcCode
    let codeB = (await b.directory.settings()).pcCode
    if (codeB === codeA) { await b.directory.setPcCode(codeA === 'Z9' ? 'Y8' : 'Z9'); codeB = (await b.directory.settings()).pcCode }
    for (const ctx of [a, b]) await seedDemo(ctx.db, { forms: formById, now: ctx.now })

    const numbersA: string[] = [], numbersB: string[] = []
    for (let i = 0; i < 3; i++) {
      numbersA.push((await a.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)).doc.number)
      numbersB.push((await b.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)).doc.number)
    }
    expect(numbersA.every((n) => n.includes(`-${codeA}-`))).toBe(true)
    expect(numbersB.every((n) => n.includes(`-${codeB}-`))).toBe(true)
    const seqs = numbersA.map((n) => Number(n.split('-').at(-1)))
    expect(seqs).toEqual([seqs[0]!, seqs[0]! + 1, seqs[0]! + 2])
    expect(new Set([...numbersA, ...numbersB]).size).toBe(6)
    expect(numbersA[0]).toMatch(/^BJ2611-/)
  })
})

describe('DocumentStore update', () => {
  it('records from → to for the changed fields only, and tombstones a removed line', async () => {
    const { db, documents } = await seeded()
    const { doc, lines } = await documents.create('quotation', quote(DEMO_IDS.customers.meida, [['阻燃PC/ABS合金', '1000', 2380], ['玻纤增强PP', '500', 1265]]), sales)
    const outboxBefore = await db.outbox.count()

    const edited: FormData = {
      values: { ...doc.values, contact: '梁美玲' },
      lines: { items: [{ id: lines[0]!.id, values: { ...lines[0]!.values, unitPrice: 2280 } }] },
    }
    const saved = await documents.update(doc.id, edited, sales)

    expect(saved.doc.values.contact).toBe('梁美玲')
    expect(saved.lines).toHaveLength(1)
    const last = (await documents.timeline(doc.id)).at(-1)!
    expect(last.action).toBe('update')
    const fields = last.changes.map((c) => c.field)
    expect(last.changes).toContainEqual({ field: 'contact', from: '何俊', to: '梁美玲' })
    expect(last.changes).toContainEqual({ field: 'items[0].unitPrice', from: 2380, to: 2280 })
    expect(last.changes).toContainEqual({ field: 'grandTotal', from: 2380 * 1000 + 1265 * 500, to: 2280 * 1000 })
    expect(fields).toContain('items[1]') // the removed second row
    expect(fields).not.toContain('quoteDate')
    expect(fields).not.toContain('paymentMethod')

    const rows = (await db.outbox.toArray()).slice(outboxBefore)
    const docRow = rows.find((r) => r.table === 'docs')!
    expect(docRow.fields['values.contact']).toBe('梁美玲')
    expect(docRow.fields).not.toHaveProperty('values.quoteDate')
    const removed = rows.find((r) => r.key === lines[1]!.id)!
    expect(removed.op).toBe('delete')
    // The removed line is still stored, marked deleted: absence never means delete.
    expect((await db.lines.get(lines[1]!.id))?.deleted).toBe(true)
  })

  it('writes nothing when nothing changed', async () => {
    const { db, documents } = await seeded()
    const { doc, lines } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const before = await tableCounts(db)
    await documents.update(doc.id, { values: doc.values, lines: { items: lines.map((l) => ({ id: l.id, values: l.values })) } }, sales)
    expect(await tableCounts(db)).toEqual(before)
  })

  it('editing a released quotation makes version 2 in draft, audited as a revision, with version 1 kept', async () => {
    const { documents, directory } = await seeded()
    const { doc, lines } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.transition(doc.id, 'submit', 'pending', {}, sales)
    // 赵磊 signs in acting for 陈志远 under the demo grant; the data layer records it so.
    const zhao = { userId: DEMO_IDS.users.zhaoLei, name: '赵磊' }
    const grant = (await directory.proxies()).find((g) => g.proxyId === zhao.userId)!
    await signInAs(directory, zhao, grant.id)
    const approved = await documents.transition(doc.id, 'approve', 'approved', {}, zhao, '同意')
    expect(approved.doc.state).toBe('approved')
    await signInAs(directory, sales)

    const revised = await documents.update(doc.id, { values: { ...doc.values, validUntil: '2027-01-20' }, lines: { items: lines.map((l) => ({ id: l.id, values: l.values })) } }, sales)
    expect(revised.doc.version).toBe(2)
    expect(revised.doc.state).toBe('draft')
    const timeline = await documents.timeline(doc.id)
    expect(timeline.map((e) => e.action)).toEqual(['create', 'transition:submit', 'transition:approve', 'revise'])
    expect(timeline[2]!.actor.actingFor?.name).toBe('陈志远')
    expect(timeline[3]!.changes).toContainEqual({ field: 'version', from: 1, to: 2 })
    const v1 = await documents.snapshot(doc.id, 1)
    expect(v1?.values.validUntil).toBe('2026-12-20')
    expect(await documents.snapshot(doc.id, 2)).toBeUndefined()
  })

  it('R10: the data layer refuses an approval by a clerk, whatever the caller claims, and writes nothing', async () => {
    const { db, documents } = await seeded()
    const { doc } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.transition(doc.id, 'submit', 'pending', {}, sales)
    const before = await tableCounts(db)
    await expect(documents.transition(doc.id, 'approve', 'approved', {}, { ...director })).rejects.toMatchObject({ name: 'TransitionRefused' })
    expect((await documents.load(doc.id))!.doc.state).toBe('pending')
    expect(await tableCounts(db)).toEqual(before)
  })

  it('separation of duties: the submitter cannot approve their own quotation even holding the director role', async () => {
    const { documents, directory } = await seeded()
    await signInAs(directory, { userId: DEMO_IDS.users.zhangMin, name: '张敏' })
    await directory.saveUser({ id: sales.userId, name: '李强', dept: '营销部', roles: ['salesperson', 'marketingDirector'], active: true })
    await signInAs(directory, sales)
    const { doc } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.transition(doc.id, 'submit', 'pending', {}, sales)
    await expect(documents.transition(doc.id, 'approve', 'approved', {}, sales)).rejects.toMatchObject({ name: 'TransitionRefused', check: { reason: 'separation' } })
    await signInAs(directory, director)
    expect((await documents.transition(doc.id, 'approve', 'approved', {}, director)).doc.state).toBe('approved')
  })

  it('every audit entry is signed by the signed-in user and chained on this PC', async () => {
    const { db, documents, directory } = await seeded()
    const { doc } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.transition(doc.id, 'submit', 'pending', {}, sales)
    const mine = (await db.audit.toArray()).filter((e) => e.dev !== 'demo-seed').sort((a, b) => a.n! - b.n!)
    expect(mine.map((e) => e.n)).toEqual(mine.map((_, i) => i + 1))
    const d = await directory.directory()
    for (const e of mine) expect(verifyObject('audit', e, d.users.get(e.actor.userId)!.publicKey)).toBe(true)
    expect(mine[1]!.prev).toBe(chainHash(mine[0]!))
    // Someone deletes one entry from the middle of this PC's trail (a raw IndexedDB edit): the 安全 page sees it.
    const findingsStore = createFindingStore(db, directory, async () => new Map())
    expect(await findingsStore.chainBreaks()).toEqual([])
    await db.audit.delete(mine[0]!.id)
    expect(await findingsStore.chainBreaks()).toMatchObject([{ dev: mine[0]!.dev, n: 1, kind: 'missing', message: { zh: expect.stringContaining('第 1 条记录不见了') } }])
    directory.signOut()
    await expect(documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)).rejects.toMatchObject({ name: 'NotAllowed' })
  })

  it('refuses a transition the workflow does not have, or to another state than its own, and writes nothing', async () => {
    const { db, documents } = await seeded()
    const { doc } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const before = await tableCounts(db)
    await expect(documents.transition(doc.id, 'sneak', 'approved', {}, sales)).rejects.toMatchObject({ name: 'DocumentError', code: 'badTransition' })
    await expect(documents.transition(doc.id, 'submit', 'approved', {}, sales)).rejects.toMatchObject({ name: 'DocumentError', code: 'badTransition' })
    expect((await documents.load(doc.id))!.doc.state).toBe('draft')
    expect(await tableCounts(db)).toEqual(before)
    expect((await documents.transition(doc.id, 'submit', 'pending', {}, sales)).doc.state).toBe('pending')
  })

  it('byStates reads the live documents of one form in the given states, newest first', async () => {
    const { documents } = await seeded()
    const a = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const b = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const c = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.transition(a.doc.id, 'submit', 'pending', {}, sales)
    await documents.transition(c.doc.id, 'submit', 'pending', {}, sales)
    await documents.remove(b.doc.id, sales)
    expect((await documents.byStates('quotation', ['pending'])).map((d) => d.id)).toEqual([c.doc.id, a.doc.id])
    expect((await documents.byStates('quotation', ['pending'], 1)).map((d) => d.id)).toEqual([c.doc.id])
    // 'draft' is a state of the evaluation form too; only quotations come back, the deleted one not.
    const drafts = await documents.byStates('quotation', ['draft'])
    expect(drafts.every((d) => d.form === 'quotation' && d.state === 'draft')).toBe(true)
    expect(drafts.map((d) => d.id)).not.toContain(b.doc.id)
    expect(await documents.byStates('quotation', [])).toEqual([])
  })

  it('refuses an edit while the quotation awaits approval', async () => {
    const { documents } = await seeded()
    const { doc } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.transition(doc.id, 'submit', 'pending', {}, sales)
    await expect(documents.update(doc.id, { ...quote(DEMO_IDS.customers.meida), values: { ...doc.values, contact: 'x' } }, sales)).rejects.toMatchObject({ code: 'notEditable' })
  })
})

describe('atomic writes', () => {
  it('a failure in the middle of a create leaves nothing half-written', async () => {
    const { db, documents } = await seeded()
    const before = await tableCounts(db)
    const counters = await db.counters.toArray()
    const boom = () => { throw new Error('disk full') }
    db.audit.hook('creating', boom)
    await expect(documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)).rejects.toThrow()
    db.audit.hook('creating').unsubscribe(boom)
    expect(await tableCounts(db)).toEqual(before)
    expect(await db.counters.toArray()).toEqual(counters)
  })

  it('a failure in the middle of an update keeps the old values', async () => {
    const { db, documents } = await seeded()
    const { doc, lines } = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const before = await tableCounts(db)
    const boom = () => { throw new Error('quota exceeded') }
    db.outbox.hook('creating', boom)
    await expect(documents.update(doc.id, { values: { ...doc.values, contact: '新联系人' }, lines: { items: lines.map((l) => ({ id: l.id, values: { ...l.values, unitPrice: 1 } })) } }, sales)).rejects.toThrow()
    db.outbox.hook('creating').unsubscribe(boom)
    expect(await tableCounts(db)).toEqual(before)
    const loaded = await documents.load(doc.id)
    expect(loaded?.doc.values.contact).toBe('何俊')
    expect(loaded?.lines[0]!.values.unitPrice).toBe(2380)
  })
})

describe('list and lookup', () => {
  it('finds 深圳华兴 by its pinyin initials, and its quotations by the customer name', async () => {
    const { documents } = await seeded()
    await documents.create('quotation', quote(DEMO_IDS.customers.huaxing), sales)
    const customers = await documents.list('customer', { text: 'szhx' })
    expect(customers.rows.map((r) => r.values.fullName)).toEqual(['深圳华兴塑胶制品有限公司'])
    expect(customers.total).toBe(1)
    const byName = await documents.list('customer', { text: '佛山' })
    expect(byName.rows.map((r) => r.values.fullName)).toEqual(['佛山市美达电器有限公司'])
    const quotes = await documents.list('quotation', { text: 'SZHX' })
    expect(quotes.rows).toHaveLength(1)
    expect(quotes.rows[0]!.values.customer).toBe(DEMO_IDS.customers.huaxing)
  })

  it('finds a document by its number, and pages newest first with the form total', async () => {
    const { documents } = await seeded()
    const made: DocRecord[] = []
    for (let i = 0; i < 5; i++) made.push((await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)).doc)
    const target = made[2]!
    const hit = await documents.list('quotation', { text: target.number })
    expect(hit.rows.map((r) => r.id)).toEqual([target.id])
    const page = await documents.list('quotation', { limit: 2, offset: 1 })
    expect(page.total).toBe(6) // five made here + the demo quotation
    expect(page.rows.map((r) => r.id)).toEqual([made[3]!.id, made[2]!.id]) // newest first
  })

  it('counts every match of a broad search exactly (issue 10: the digest holds them all)', async () => {
    const { documents } = await seeded()
    for (let i = 0; i < 5; i++) await documents.create('quotation', quote(DEMO_IDS.customers.huaxing), sales)
    const broad = await documents.list('quotation', { text: 'szhx', limit: 2 })
    expect(broad.rows).toHaveLength(2)
    expect(broad.total).toBe(5)
    expect(broad.more).toBeUndefined()
  })

  it('lists search results newest first', async () => {
    const { documents } = await seeded()
    const made: DocRecord[] = []
    for (let i = 0; i < 4; i++) made.push((await documents.create('quotation', quote(DEMO_IDS.customers.huaxing), sales)).doc)
    const found = await documents.list('quotation', { text: 'szhx' })
    expect(found.rows.map((r) => r.number)).toEqual(made.map((d) => d.number).reverse())
    const two = await documents.list('quotation', { text: `szhx ${made[0]!.number.slice(0, 6).toLowerCase()}` })
    expect(two.rows.map((r) => r.number)).toEqual(made.map((d) => d.number).reverse())
  })

  it('finds only documents matching every word of a search', async () => {
    const { documents } = await seeded()
    const a = (await documents.create('quotation', quote(DEMO_IDS.customers.huaxing), sales)).doc
    await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const both = await documents.list('quotation', { text: `szhx ${a.number.toLowerCase()}` })
    expect(both.rows.map((r) => r.id)).toEqual([a.id])
    expect(both.total).toBe(1)
    expect((await documents.list('quotation', { text: 'szhx 佛山' })).total).toBe(0)
  })

  it('guards find evaluations of a customer through the refs index', async () => {
    const { documents } = await seeded()
    const evaluation = await documents.create('customerEvaluation', {
      values: { customer: DEMO_IDS.customers.huaxing, evaluationDate: '2026-11-20', industry: 'appliance', scale: 'medium', demandProduct: '阻燃PC/ABS', salesOpinion: '电饭煲外壳，月用量约 3 吨，值得开发。' },
      lines: {},
    }, sales)
    const found = await documents.findBy('customerEvaluation', 'customer', DEMO_IDS.customers.huaxing)
    expect(found.map((d) => d.id)).toEqual([evaluation.doc.id])
    expect(await documents.findBy('customerEvaluation', 'customer', DEMO_IDS.customers.meida)).toEqual([])
    const snap = await documents.get('customer', DEMO_IDS.customers.meida)
    expect(snap?.lines.contacts?.map((c) => c.values.name)).toEqual(['梁美玲', '何俊'])
    expect(await documents.get('quotation', DEMO_IDS.customers.meida)).toBeUndefined()
  })
})

describe('attachments and print log', () => {
  it('recognises the same scan imported twice and stores shared bytes once', async () => {
    const { db, documents } = await seeded()
    const bytes = new TextEncoder().encode('%PDF-1.7 signed quotation scan')
    const q = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const first = await documents.addAttachment(q.doc.id, { name: 'scan-001.pdf', mime: 'application/pdf', bytes }, { kind: 'signedScan', version: 1 }, sales)
    expect(first.duplicate).toBe(false)
    const before = await tableCounts(db)
    const again = await documents.addAttachment(q.doc.id, { name: 'scan-001 (1).pdf', mime: 'application/pdf', bytes }, { kind: 'signedScan', version: 1 }, sales)
    expect(again.duplicate).toBe(true)
    expect(again.duplicate && again.existing.name).toBe('scan-001.pdf')
    expect(await tableCounts(db)).toEqual(before)

    const other = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.addAttachment(other.doc.id, { name: 'copy.pdf', mime: 'application/pdf', bytes }, { kind: 'file' }, sales)
    expect(await db.blobs.count()).toBe(1)
    expect((await documents.findAttachmentByHash(first.duplicate ? '' : first.attachment.hash)).map((a) => a.docId).sort()).toEqual([q.doc.id, other.doc.id].sort())
    expect((await documents.timeline(q.doc.id)).filter((e) => e.action === 'import')).toHaveLength(1)
    expect(await documents.readBlob(first.duplicate ? '' : first.attachment.hash)).toEqual(bytes)
  })

  it('logs a print with its audit entry and outbox row', async () => {
    const { db, documents } = await seeded()
    const q = await documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    await documents.recordPrint({ id: crypto.randomUUID(), docId: q.doc.id, number: q.doc.number, version: 1, contentHash: 'ABCD1234', pages: 2, pdfSha256: 'f'.repeat(64), at: '2026-11-20T03:00:00.000Z', by: sales.userId }, sales)
    expect(await documents.printLog(q.doc.id)).toHaveLength(1)
    expect((await documents.timeline(q.doc.id)).at(-1)!.action).toBe('print')
    expect(await db.outbox.where('table').equals('printLog').count()).toBe(1)
  })
})

describe('persistence', () => {
  it('keeps documents when the database is closed and opened again (an app restart)', async () => {
    const first = await setup({ now: steppingClock() })
    await seedDemo(first.db, { forms: formById, now: first.now })
    const q = await first.documents.create('quotation', quote(DEMO_IDS.customers.meida), sales)
    const pcCode = (await first.directory.settings()).pcCode
    first.db.close()

    const again = await setup({ idb: first.idb })
    expect((await again.documents.load(q.doc.id))?.doc.number).toBe(q.doc.number)
    expect((await again.directory.settings()).pcCode).toBe(pcCode)
    expect(await again.documents.count('quotation')).toBe(2)
    expect(await seedDemo(again.db, { forms: formById, now: again.now })).toBe(false)
  })
})

describe('remove', () => {
  it('takes a document out of lists and search but keeps it as a tombstone that syncs', async () => {
    const { db, documents } = await seeded()
    const made: DocRecord[] = []
    for (let i = 0; i < 3; i++) made.push((await documents.create('quotation', quote(DEMO_IDS.customers.huaxing), sales)).doc)
    await documents.remove(made[1]!.id, sales, '重复录入')
    const page = await documents.list('quotation', { limit: 3 })
    expect(page.total).toBe(3)
    expect(page.rows.map((r) => r.id)).toEqual([made[2]!.id, made[0]!.id, DEMO_IDS.quotation])
    expect((await documents.list('quotation', { text: 'szhx' })).rows.map((r) => r.id).sort()).toEqual([made[0]!.id, made[2]!.id].sort())
    expect((await db.docs.get(made[1]!.id))?.deleted).toBe(true)
    expect((await db.outbox.where('table').equals('docs').toArray()).filter((r) => r.key === made[1]!.id).map((r) => r.op)).toEqual(['put', 'delete'])
    expect((await documents.timeline(made[1]!.id)).at(-1)).toMatchObject({ action: 'delete', comment: '重复录入' })
  })
})
