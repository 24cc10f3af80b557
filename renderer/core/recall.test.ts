import { describe, expect, it } from 'vitest'
import type { DocSnapshot, Values } from '../../forms/schema/types'
import { quotation } from '../../forms/quotation/quotation.form'
import { recallColumn, recallEntries, recallText } from './recall'

const P1 = 'prod-pcabs', P2 = 'prod-pp'
function quote(id: string, number: string, quoteDate: string, state: string, rows: Values[]): DocSnapshot {
  return { id, form: 'quotation', number, state, version: 1, values: { customer: 'cust-meida', quoteDate }, lines: { items: rows.map((values, i) => ({ id: `${id}-${i}`, values })) } }
}
const docs = [
  quote('q1', 'BJ2609-A7-0004', '2026-09-15', 'sent', [{ product: P1, unitPrice: 2450 }, { product: P2, unitPrice: 1265 }]),
  quote('q2', 'BJ2611-A7-0003', '2026-11-02', 'approved', [{ product: P1, unitPrice: 2380 }, { product: P1, unitPrice: 2300 }]),
  quote('q3', 'BJ2611-B2-0001', '2026-11-20', 'draft', [{ product: P1, unitPrice: 2350 }]),
  quote('q4', 'BJ2610-A7-0009', '2026-10-08', 'signed', [{ productName: '阻燃PC/ABS合金', unitPrice: 9999 }]),
]

describe('recall: the customer\'s last prices for a product', () => {
  it('finds the quotation lines column that declares it', () => {
    expect(recallColumn(quotation, 'items', 'product')?.column.recall.value).toBe('unitPrice')
    expect(recallColumn(quotation, 'items', 'productName')).toBeUndefined()
    expect(recallColumn(quotation, 'customer', 'product')).toBeUndefined()
  })

  it('lists the documents that quoted the product, newest 报价日期 first, one entry each, drafts marked', () => {
    const out = recallEntries(quotation, 'items', 'product', docs, [P1, P2, 'prod-new'])
    expect(out[P1]!.map((e) => [e.number, e.value, e.released])).toEqual([
      ['BJ2611-B2-0001', 2350, false], ['BJ2611-A7-0003', 2380, true], ['BJ2609-A7-0004', 2450, true],
    ])
    expect(out[P2]!.map((e) => e.number)).toEqual(['BJ2609-A7-0004'])
    // A line typed as free text (no product) is not a price for the product; nothing for a product never quoted.
    expect(out['prod-new']).toEqual([])
  })

  it('leaves out the quotation being edited and keeps at most `limit` per product', () => {
    const out = recallEntries(quotation, 'items', 'product', docs, [P1], { exclude: 'q3', limit: 1 })
    expect(out[P1]!.map((e) => e.number)).toEqual(['BJ2611-A7-0003'])
  })

  it('reads as a clerk expects: the price, the number and the date, and 草稿 for a draft', () => {
    const [draft, approved] = recallEntries(quotation, 'items', 'product', docs, [P1])[P1]!
    expect(recallText(quotation, 'items', 'product', approved!)).toBe('上次报价 ¥23.80（BJ2611-A7-0003，2026-11-02）')
    expect(recallText(quotation, 'items', 'product', draft!)).toBe('上次报价 ¥23.50（BJ2611-B2-0001，2026-11-20，草稿）')
    expect(recallText(quotation, 'items', 'product', approved!, 'en')).toBe('Last quoted ¥23.80 (BJ2611-A7-0003, 2026-11-02)')
  })
})
