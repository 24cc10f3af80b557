import { describe, expect, it } from 'vitest'
import type { LoadedDoc } from '@core/ports'
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
const deps = (records: Record<string, { values: Record<string, string> }>): PrintInputDeps => ({
  form: quotation, company, get: async (form, id) => (form === 'customer' ? records[id] : undefined),
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
    const input = await printInputFor(l, { form: withCode, company, get: getting(reads) })
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
    const input = await printInputFor(l, { form: withCode, company, get: getting([]) })
    const printed = printedDoc({ ...input, form: withCode })
    expect(JSON.stringify(printed)).not.toContain('000000000499')
    expect(JSON.stringify(printed)).toContain('第一行')
    // The quotation as printed for the customer has no 产品编码 column: no product is read for it.
    const reads: string[] = []
    await printInputFor(l, { form: quotation, company, get: getting(reads) })
    expect(reads.filter((r) => r.startsWith('product:'))).toEqual([])
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
})
