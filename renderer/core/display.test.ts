import { describe, expect, it } from 'vitest'
import type { FieldDef } from '../../forms/schema/types'
import { customer } from '../../forms/customer/customer.form'
import { quotation } from '../../forms/quotation/quotation.form'
import { displayValue } from './display'

const field = (form: typeof customer | typeof quotation, key: string): FieldDef => form.fields.find((f) => f.key === key)!
const items = field(quotation, 'items')
const column = (key: string): FieldDef => (items.type === 'lines' ? items.columns.find((c) => c.key === key)! : items)
const zh = { lang: 'zh' as const }
const en = { lang: 'en' as const }

describe('displayValue', () => {
  it('shows money in yuan with thousands, as stored in fen', () => {
    expect(displayValue(field(quotation, 'grandTotal'), 123456789, zh)).toBe('1,234,567.89')
    expect(displayValue(field(quotation, 'grandTotal'), 0, zh)).toBe('0.00')
  })

  it('shows a select option by its label in the clerk’s language, an unknown option as stored', () => {
    expect(displayValue(field(quotation, 'paymentMethod'), 'credit', zh)).toBe('账期')
    expect(displayValue(field(quotation, 'paymentMethod'), 'credit', en)).toBe('On credit')
    expect(displayValue(field(quotation, 'paymentMethod'), 'nonsense', zh)).toBe('nonsense')
  })

  it('shows a yes/no field as 是/否 or Yes/No, or in the words its form gives (客户: 老客户/新客户)', () => {
    const plain = { key: 'x', label: { zh: '是否', en: 'Flag' }, type: 'boolean' } as const
    expect(displayValue(plain, true, zh)).toBe('是')
    expect(displayValue(plain, false, zh)).toBe('否')
    expect(displayValue(plain, true, en)).toBe('Yes')
    expect(displayValue(plain, false, en)).toBe('No')
    expect(displayValue(field(customer, 'traded'), true, zh)).toBe('老客户')
    expect(displayValue(field(customer, 'traded'), false, zh)).toBe('新客户')
    expect(displayValue(field(customer, 'traded'), false, en)).toBe('New')
  })

  it('shows dates and decimals exactly as stored', () => {
    expect(displayValue(field(quotation, 'quoteDate'), '2026-11-27', zh)).toBe('2026-11-27')
    expect(displayValue(column('quantity'), '800.500', zh)).toBe('800.500')
  })

  it('names a referenced record by the title the store gives, and leaves it blank when unknown', () => {
    const refTitle = (form: string, id: string) => (form === 'customer' && id === 'c1' ? '深圳华兴塑胶制品有限公司' : undefined)
    expect(displayValue(field(quotation, 'customer'), 'c1', { ...zh, refTitle })).toBe('深圳华兴塑胶制品有限公司')
    expect(displayValue(field(quotation, 'customer'), 'c2', { ...zh, refTitle })).toBe('')
    expect(displayValue(field(quotation, 'customer'), 'c1', zh)).toBe('')
  })

  it('names a 业务员 by the directory\'s name, and by id when the directory does not know them', () => {
    const userName = (id: string) => (id === 'u-liqiang' ? '李强' : undefined)
    expect(displayValue(field(customer, 'salesperson'), 'u-liqiang', { ...zh, userName })).toBe('李强')
    expect(displayValue(field(customer, 'salesperson'), 'u-gone', { ...zh, userName })).toBe('u-gone')
  })

  it('names a line\'s product by its record\'s title, in the row summary too', () => {
    const refTitle = (form: string, id: string) => (form === 'product' && id === 'p1' ? 'HT-PC/ABS-8130' : undefined)
    expect(displayValue(column('product'), 'p1', { ...zh, refTitle })).toBe('HT-PC/ABS-8130')
    expect(displayValue(items, { product: 'p1', productName: '阻燃PC/ABS合金' }, { ...zh, refTitle })).toBe('HT-PC/ABS-8130 · 阻燃PC/ABS合金')
  })

  it('summarises line rows by their count, and one row by its filled cells in column order', () => {
    const rows = [1, 2, 3].map((i) => ({ id: `r${i}`, values: {} }))
    expect(displayValue(items, rows, zh)).toBe('3 行')
    expect(displayValue(items, rows, en)).toBe('3 rows')
    // Keys deliberately out of column order; the money cell in yuan, the unit by its label.
    const row = { unitPrice: 2450, quantity: '800', productName: '阻燃PC/ABS合金', spec: '', unit: 'kg' }
    expect(displayValue(items, row, zh)).toBe(`阻燃PC/ABS合金 · 800 · ${displayValue(column('unit'), 'kg', zh)} · 24.50`)
  })

  it('shows nothing for an empty value', () => {
    for (const v of [null, undefined, '']) {
      expect(displayValue(field(quotation, 'contact'), v, zh)).toBe('')
      expect(displayValue(field(customer, 'traded'), v, zh)).toBe('')
    }
  })
})
