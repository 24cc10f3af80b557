import { describe, expect, it } from 'vitest'
import type { LoadedDoc } from '@core/ports'
import type { AuditEntry } from '@core/model'
import { printedDoc } from '@core/pdf/printed'
import { formById } from '@forms/registry'
import { quotation } from '@forms/quotation/quotation.form'
import { printInputFor, type PrintInputDeps } from './print-input'

const company = { name: '华泰新材料科技有限公司', address: '广东省东莞市', phone: '0769-0000 0000' }
const customerValues = { fullName: '深圳华兴塑胶制品有限公司', address: '深圳市宝安区华兴路12号', phone: '0755-2761 5380' }

function loaded(state: string, customer = 'cust-1'): LoadedDoc {
  const at = '2026-11-27T00:00:00.000Z'
  const line = (id: string, seq: number, productName: string) => ({ id, docId: 'q1', field: 'items', seq, values: { productName, quantity: '10', unit: 'kg', unitPrice: 100, taxRate: '13' } })
  return {
    doc: { id: 'q1', form: 'quotation', number: 'BJ2611-A7-0001', state, version: 2, values: { customer, quoteDate: '2026-11-27', paymentMethod: 'prepay' }, createdAt: at, createdBy: 'u', updatedAt: at, updatedBy: 'u' },
    // Stored out of order: the paper lists rows by their position, not by how they were read.
    lines: [line('b', 2, '第二行'), line('a', 1, '第一行')],
  }
}
const deps = (records: Record<string, { values: Record<string, string> }>, trail: AuditEntry[] = []): PrintInputDeps => ({
  form: quotation, company, get: async (form, id) => (form === 'customer' ? records[id] : undefined),
  timeline: async (docId) => trail.filter((e) => e.docId === docId),
})

describe('printInputFor', () => {
  it('resolves the customer so the paper names it, and keeps the rows in their order', async () => {
    const input = await printInputFor(loaded('draft'), deps({ 'cust-1': { values: customerValues } }))
    expect(input.formId).toBe('quotation')
    expect(input.refs.customer?.values.fullName).toBe('深圳华兴塑胶制品有限公司')
    expect(input.record.lines.items?.map((r) => r.values.productName)).toEqual(['第一行', '第二行'])
    const printed = printedDoc({ ...input, form: formById(input.formId) })
    expect(JSON.stringify(printed.blocks)).toContain('深圳华兴塑胶制品有限公司')
    expect(printed.company.name).toBe(company.name)
  })

  it('prints the draft watermark until the quotation is approved (R10, §5.6.1)', async () => {
    expect((await printInputFor(loaded('draft'), deps({}))).released).toBe(false)
    expect((await printInputFor(loaded('pending'), deps({}))).released).toBe(false)
    expect((await printInputFor(loaded('approved'), deps({}))).released).toBe(true)
  })

  // A layout that prints the 产品编码 column (the quotation's own keeps to 品名 and 规格).
  const withCode = { ...quotation, print: { ...quotation.print, blocks: [{ kind: 'lines' as const, field: 'items', columns: ['product', 'productName', 'amount'] }] } }
  const P = '5e1f0a10-0000-4000-8000-000000000401'
  const getting = (reads: string[]): PrintInputDeps['get'] => async (form, id) => {
    reads.push(`${form}:${id}`)
    return form === 'customer' ? { values: customerValues } : form === 'product' && id === P ? { values: { code: 'HT-PC/ABS-8130', name: '阻燃PC/ABS合金' } } : undefined
  }

  it('prints a line\'s product as its code, never its id, reading each product once', async () => {
    const l = loaded('draft')
    l.lines[0]!.values.product = P
    l.lines[1]!.values.product = P
    const reads: string[] = []
    const input = await printInputFor(l, { form: withCode, company, get: getting(reads), timeline: async () => [] })
    expect(reads.filter((r) => r.startsWith('product:'))).toEqual([`product:${P}`])
    const printed = printedDoc({ ...input, form: withCode })
    const lines = printed.blocks.find((b) => b.kind === 'lines')
    if (lines?.kind !== 'lines') throw new Error('no lines block')
    expect(lines.headers.slice(0, 3)).toEqual(['序号', '产品编码', '品名'])
    expect(lines.rows.map((r) => r[1])).toEqual(['HT-PC/ABS-8130', 'HT-PC/ABS-8130'])
    expect(JSON.stringify(printed)).not.toContain(P)
  })

  it('leaves a product it cannot find blank (its 品名 still names it), and reads none the layout does not print', async () => {
    const l = loaded('draft')
    l.lines[0]!.values.product = '5e1f0a10-0000-4000-8000-000000000499'
    const input = await printInputFor(l, { form: withCode, company, get: getting([]), timeline: async () => [] })
    const printed = printedDoc({ ...input, form: withCode })
    expect(JSON.stringify(printed)).not.toContain('000000000499')
    expect(JSON.stringify(printed)).toContain('第一行')
    // The quotation as printed for the customer has no 产品编码 column: no product is read for it.
    const reads: string[] = []
    await printInputFor(l, { form: quotation, company, get: getting(reads), timeline: async () => [] })
    expect(reads.filter((r) => r.startsWith('product:'))).toEqual([])
  })

  it('reads who submitted and who approved from the audit trail, for the 制单 and 审核/批准 boxes', async () => {
    const e = (action: string, name: string, at: string, from: string, to: string): AuditEntry => ({
      id: `${action}-${at}`, docId: 'q1', at, day: at.slice(0, 10), actor: { userId: name, name }, action, changes: [{ field: 'state', from, to }],
    })
    const trail = [e('transition:submit', '张敏', '2026-11-27T01:00:00.000Z', 'draft', 'pending'), e('transition:approve', '王建国', '2026-11-28T01:00:00.000Z', 'pending', 'approved')]
    const input = await printInputFor(loaded('approved'), deps({}, trail))
    expect(input.approvals).toMatchObject({ submit: { name: '张敏', day: '2026-11-27' }, approve: { name: '王建国', day: '2026-11-28' } })
    const printed = printedDoc({ ...input, form: formById(input.formId) })
    expect(printed.blocks.find((b) => b.kind === 'approvals')).toEqual({
      kind: 'approvals',
      rows: [{ label: '制单', name: '张敏', date: '2026-11-27' }, { label: '审核/批准', name: '王建国', date: '2026-11-28' }],
    })
    // Plain data the worker can take (structured clone), not the trail itself.
    expect(JSON.parse(JSON.stringify(input.approvals))).toEqual(input.approvals)
  })

  it('leaves a customer it cannot find unresolved rather than failing', async () => {
    const input = await printInputFor(loaded('draft', 'gone'), deps({}))
    expect(input.refs.customer).toBeUndefined()
  })

  it('hands over copies: editing the record afterwards does not change what is printed', async () => {
    const l = loaded('draft')
    const record = { values: { ...customerValues } }
    const input = await printInputFor(l, deps({ 'cust-1': record }))
    l.doc.values.paymentMethod = 'credit'
    l.lines[0]!.values.productName = '改过'
    record.values.fullName = '改过'
    expect(input.record.values.paymentMethod).toBe('prepay')
    expect(input.record.lines.items?.map((r) => r.values.productName)).toEqual(['第一行', '第二行'])
    expect(input.refs.customer?.values.fullName).toBe('深圳华兴塑胶制品有限公司')
  })

  it('prints a user field (业务员) by name, and an id the directory does not know as blank, never the id', async () => {
    const l = loaded('draft')
    l.doc.values.salesperson = 'u-li'
    const named = await printInputFor(l, { ...deps({}), userName: (id) => (id === 'u-li' ? '李强' : undefined) })
    expect(named.users).toEqual({ 'u-li': '李强' })
    const unknown = await printInputFor(l, deps({}))
    const printed = JSON.stringify(printedDoc({ ...unknown, form: formById(unknown.formId) }))
    expect(printed).not.toContain('u-li')
  })
})
