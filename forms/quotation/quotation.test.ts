import { describe, expect, it } from 'vitest'
import type { FormData, LineRow } from '../schema/types'
import { applyComputed, validateForm } from '../../renderer/core/validation'
import { toCapital } from '../../renderer/core/money'
import { quotation } from './quotation.form'
import { fromProduct, lineAmount, quotationTotals } from './quotation.rules'

const row = (id: string, productName: string, quantity: string, unitPrice: number, taxRate = '13'): LineRow =>
  ({ id, values: { productName, quantity, unit: 'kg', unitPrice, taxRate } })

/** A realistic quote to a appliance maker: three compounds, 13 % VAT, prices incl. tax. */
const quote: FormData = {
  values: { customer: 'cust-0007', contact: '陈秀娟', quoteDate: '2026-11-02', validUntil: '2026-11-30', currency: 'CNY', paymentMethod: 'credit', creditDays: 60 },
  lines: { items: [
    row('l1', '阻燃PC/ABS 合金 FR3010 V-0', '1250.5', 2350),   // ¥23.50/kg
    row('l2', '玻纤增强 PA66-GF30', '800', 1980),              // ¥19.80/kg
    row('l3', '黑色母粒', '12.345', 3680),                     // ¥36.80/kg
  ] },
}

describe('quotation totals (§5.6.1, printed on the quote)', () => {
  it('line amounts are quantity × price rounded once', () => {
    const out = applyComputed(quotation, quote)
    // l1: 1250.5 × 2350 = 2,937,500 + 1,175 = 2,938,675 fen (¥29,386.75), exact
    // l2: 800 × 1980 = 1,584,000 fen (¥15,840.00)
    // l3: 12.345 × 3680 = 44,160 + 1,269.6 = 45,429.6 → 45,430 fen (¥454.30)
    expect(out.lines.items?.map((r) => r.values.amount)).toEqual([2_938_675, 1_584_000, 45_430])
  })
  it('不含税 + 税额 = 价税合计, each figure exact', () => {
    const out = applyComputed(quotation, quote)
    // 价税合计 = 2,938,675 + 1,584,000 + 45,430 = 4,568,105 fen (¥45,681.05)
    // 不含税 per line = round(amount / 1.13):
    //   l1 2,938,675 / 1.13 = 2,600,597.35 → 2,600,597 (tax 338,078)
    //   l2 1,584,000 / 1.13 = 1,401,769.91 → 1,401,770 (tax 182,230)
    //   l3    45,430 / 1.13 =    40,203.54 →    40,204 (tax   5,226)
    // 不含税 = 4,042,571; 税额 = 525,534; 4,042,571 + 525,534 = 4,568,105
    expect(out.values).toMatchObject({ grandTotal: 4_568_105, netTotal: 4_042_571, taxTotal: 525_534 })
    expect((out.values.netTotal as number) + (out.values.taxTotal as number)).toBe(out.values.grandTotal)
    expect(toCapital(out.values.grandTotal as number)).toBe('肆万伍仟陆佰捌拾壹元零伍分')
    expect(validateForm(quotation, out)).toEqual([])
  })
  it('a line at another rate is split at its own rate', () => {
    // 13 %: 11,300 → 10,000 + 1,300;  0 % (export sample): 5,000 → 5,000 + 0
    const t = quotationTotals({ values: {}, lines: { items: [row('a', 'PC', '1', 11_300), row('b', 'PP', '2', 2_500, '0')] } })
    expect(t).toEqual({ net: 15_000, tax: 1_300, total: 16_300 })
  })
  it('a line whose quantity is not yet a number counts as nothing instead of breaking the totals', () => {
    expect(lineAmount({ quantity: '12,5', unitPrice: 100 })).toBeNull()
    expect(lineAmount({ quantity: '2', unitPrice: null })).toBeNull()
    const t = quotationTotals({ values: {}, lines: { items: [row('a', 'PC', 'abc', 11_300), row('b', 'PC', '1', 11_300)] } })
    expect(t.total).toBe(11_300)
  })
  it('a quote valid until before its date is refused', () => {
    const bad = applyComputed(quotation, { ...quote, values: { ...quote.values, validUntil: '2026-10-31' } })
    expect(validateForm(quotation, bad).map((e) => e.message.zh)).toEqual(['有效期不能早于报价日期'])
  })
})

describe('fromProduct (a line picks its product from the 产品档案)', () => {
  const product = (values: Record<string, string | number | boolean | null>) => ({ values, lines: {} })
  it('gives 品名, 规格型号 with the 色号, 单位, the standard price as 含税单价, and 税率', () => {
    expect(fromProduct(product({ code: 'HT-PP30G', name: '玻纤增强PP', spec: 'HT-PP30G 30%GF', colour: '本色', unit: 'kg', standardPrice: 1265, taxRate: '13', newFormula: false })))
      .toEqual({ productName: '玻纤增强PP', spec: 'HT-PP30G 30%GF 本色', unit: 'kg', unitPrice: 1265, taxRate: '13' })
  })
  it('does not repeat a 色号 the spec already names, and gives nothing for what the product lacks', () => {
    expect(fromProduct(product({ name: '黑色母粒', spec: 'MB-9001 BK-001', colour: 'BK-001', unit: 'kg' })).spec).toBe('MB-9001 BK-001')
    expect(fromProduct(product({ name: '阻燃ABS', colour: ' W-102 ' }))).toEqual({ productName: '阻燃ABS', spec: 'W-102', unit: null, unitPrice: null, taxRate: null })
    expect(fromProduct(product({ name: '阻燃ABS', spec: '', colour: null })).spec).toBeNull()
  })
})
