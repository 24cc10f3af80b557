import { describe, expect, it } from 'vitest'
import { defineForm, type FieldError, type FormData } from '../../forms/schema/types'
import { customer } from '../../forms/customer/customer.form'
import { quotation } from '../../forms/quotation/quotation.form'
import { customerEvaluation } from '../../forms/customer-evaluation/customer-evaluation.form'
import { applyComputed, compareDecimal, defaultLineValues, defaultValues, fillFromReference, fillLineFromReference, isIsoDate, validateForm } from './validation'

/** A form with one field of every type, so each check is exercised once. */
const sample = defineForm({
  id: 'sample', title: { zh: '测试', en: 'Test' }, numbering: { prefix: 'CS' }, titleField: 'name',
  sections: [{ key: 'main', title: { zh: '主', en: 'Main' } }],
  fields: [
    { key: 'name', label: { zh: '名称', en: 'Name' }, type: 'text', required: true, maxLength: 5 },
    { key: 'code', label: { zh: '编码', en: 'Code' }, type: 'text', pattern: { source: '^[A-Z]{3}$', message: { zh: '编码为3个大写字母', en: 'Three capitals' } } },
    { key: 'count', label: { zh: '件数', en: 'Count' }, type: 'number', integer: true, min: 1, max: 10 },
    { key: 'weight', label: { zh: '重量', en: 'Weight' }, type: 'decimal', scale: 2, min: '0.01', max: '10' },
    { key: 'price', label: { zh: '单价', en: 'Price' }, type: 'money', min: 0 },
    { key: 'day', label: { zh: '日期', en: 'Date' }, type: 'date', required: true },
    { key: 'kind', label: { zh: '类别', en: 'Kind' }, type: 'select', default: 'a', options: [{ value: 'a', label: { zh: '甲', en: 'A' } }] },
    { key: 'who', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true },
    { key: 'ok', label: { zh: '已确认', en: 'Confirmed' }, type: 'boolean' },
  ],
  list: { columns: ['name'], search: ['name'] },
})

const msgs = (errs: FieldError[]) => errs.map((e) => `${e.field}${e.row !== undefined ? `[${e.row}].${e.column}` : ''}: ${e.message.zh}`)
const withValues = (v: FormData['values']): FormData => ({ values: { ...defaultValues(sample).values, ...v }, lines: {} })

describe('validateForm, per field type', () => {
  it('asks for required fields by their label', () => {
    expect(msgs(validateForm(sample, withValues({ name: '  ' })))).toEqual([
      'name: 请填写名称', 'day: 请选择日期', 'who: 请选择客户',
    ])
  })
  it('a valid document has no errors', () => {
    expect(validateForm(sample, withValues({ name: '阻燃PC', code: 'ABC', count: 3, weight: '9.99', price: 0, day: '2024-02-29', who: 'c1', ok: true }))).toEqual([])
  })
  it('checks length, pattern, integer, range, scale, money, date and options', () => {
    const errs = msgs(validateForm(sample, withValues({
      name: '阻燃PC/ABS', code: 'abc', count: 2.5, weight: '1.234', price: 1.5, day: '2023-02-29', kind: 'z', who: 'c1',
    })))
    expect(errs).toEqual([
      'name: 名称不能超过5个字', 'code: 编码为3个大写字母', 'count: 件数须为整数', 'weight: 重量最多2位小数',
      'price: 单价金额无效', 'day: 日期不是有效日期', 'kind: 类别的选项无效',
    ])
  })
  it('compares decimal bounds exactly, as strings', () => {
    const w = (weight: string) => msgs(validateForm(sample, withValues({ name: 'x', day: '2024-01-01', who: 'c', weight })))
    expect(w('10.00')).toEqual([])
    expect(w('10.01')).toEqual(['weight: 重量不能大于10'])
    expect(w('0.01')).toEqual([])
    expect(w('0.00')).toEqual(['weight: 重量不能小于0.01'])
    expect(w('1e2')).toEqual(['weight: 重量须为数字'])
    expect(compareDecimal('0.30', '0.3')).toBe(0)
    expect(compareDecimal('-1.5', '-1.49')).toBe(-1)
    expect(compareDecimal('100000000000000000001', '100000000000000000000.999')).toBe(1)
  })
  it('number range and money minimum', () => {
    const e = msgs(validateForm(sample, withValues({ name: 'x', day: '2024-01-01', who: 'c', count: 11, price: -1 })))
    expect(e).toEqual(['count: 件数不能大于10', 'price: 单价不能小于0.00元'])
  })
  it('knows real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2025-02-29')).toBe(false)
    expect(isIsoDate('2025-13-01')).toBe(false)
    expect(isIsoDate('2025-1-01')).toBe(false)
  })
})

describe('real forms', () => {
  it('customer: missing full name, bad phone, credit without days', () => {
    const d = defaultValues(customer)
    d.values.phone = '电话0755'
    d.values.paymentMethod = 'credit'
    expect(msgs(validateForm(customer, d))).toEqual([
      'fullName: 请填写客户全称', 'phone: 电话只能包含数字、空格和 + - ( )', 'creditDays: 付款方式为账期时，请填写信用期天数',
    ])
  })
  it('quotation: line cells carry row and column; an empty quote needs a row', () => {
    const d = defaultValues(quotation)
    Object.assign(d.values, { customer: 'c1', quoteDate: '2026-11-02', validUntil: '2026-11-30', paymentMethod: 'cash' })
    expect(msgs(validateForm(quotation, d))).toEqual(['items: 报价明细至少需要1行'])
    const itemsField = quotation.fields.find((f) => f.key === 'items')
    if (itemsField?.type !== 'lines') throw new Error('items is a lines field')
    d.lines.items = [
      { id: 'r1', values: { ...defaultLineValues(itemsField), productName: '阻燃PC/ABS', quantity: '1000', unitPrice: 2350 } },
      { id: 'r2', values: { ...defaultLineValues(itemsField), productName: '', quantity: '0.0005', unitPrice: 1000, taxRate: '17' } },
    ]
    expect(msgs(validateForm(quotation, d))).toEqual([
      'items[1].productName: 请填写品名', 'items[1].quantity: 数量最多3位小数', 'items[1].taxRate: 税率的选项无效',
    ])
  })
})

describe('defaultValues and applyComputed', () => {
  it('a new document has select defaults, unticked booleans and empty lines', () => {
    const d = defaultValues(quotation)
    expect(d.values.currency).toBe('CNY')
    expect(d.values.customer).toBeNull()
    expect(d.lines.items).toEqual([])
    expect(d.values.grandTotal).toBe(0)
    expect(defaultValues(customer).values).toMatchObject({ paymentMethod: 'cash', traded: false })
  })
  it('a new quotation is dated today and valid for 30 days, across a month and a year end', () => {
    expect(defaultValues(quotation, { today: '2026-11-30' }).values).toMatchObject({ quoteDate: '2026-11-30', validUntil: '2026-12-30' })
    expect(defaultValues(quotation, { today: '2026-12-15' }).values).toMatchObject({ quoteDate: '2026-12-15', validUntil: '2027-01-14' })
    // Without a today (pure callers) the dates stay empty.
    expect(defaultValues(quotation).values.quoteDate).toBeNull()
  })
  it('fills line amounts and totals into a new object, leaving the input untouched', () => {
    const input: FormData = {
      values: { customer: 'c1' },
      lines: { items: [{ id: 'r1', values: { quantity: '2', unitPrice: 11300, taxRate: '13' } }] },
    }
    const out = applyComputed(quotation, input)
    expect(out.lines.items?.[0]?.values.amount).toBe(22600)
    expect(out.values).toMatchObject({ grandTotal: 22600, netTotal: 20000, taxTotal: 2600, customer: 'c1' })
    expect(input.values.grandTotal).toBeUndefined()
    expect(input.lines.items?.[0]?.values.amount).toBeUndefined()
  })
})

describe('fillFromReference (data already typed is never typed again)', () => {
  const customerRecord = {
    values: { fullName: '佛山市美达电器有限公司', address: '佛山市顺德区大良街道', phone: '0757-2280 1000', legalPerson: '何志明', industry: 'appliance', scale: 'medium', paymentMethod: 'credit', creditDays: 30 },
    lines: { contacts: [{ name: '', title: '' }, { name: '梁美玲', title: '采购经理', phone: '138 0000 1111' }] },
  }
  it('picking the customer fills the quotation\'s 联系人, 付款方式 and 信用期, but never what the clerk typed', () => {
    const fresh = fillFromReference(quotation, defaultValues(quotation), 'customer', customerRecord)
    expect(fresh.values).toMatchObject({ contact: '梁美玲', paymentMethod: 'credit', creditDays: 30 })
    const typed = { ...defaultValues(quotation), values: { ...defaultValues(quotation).values, contact: '黄志华' } }
    expect(fillFromReference(quotation, typed, 'customer', customerRecord).values).toMatchObject({ contact: '黄志华', paymentMethod: 'credit' })
  })
  it('picking the company fills the evaluation\'s 地址, 负责人, 电话, 行业, 规模 and 付款方式', () => {
    const out = fillFromReference(customerEvaluation, defaultValues(customerEvaluation), 'customer', customerRecord)
    expect(out.values).toMatchObject({ address: '佛山市顺德区大良街道', legalPerson: '何志明', phone: '0757-2280 1000', industry: 'appliance', scale: 'medium', paymentMethod: 'credit' })
  })
  it('the customer\'s 业务员 comes along to the quotation and the evaluation, unless one was chosen', () => {
    const withSales = { ...customerRecord, values: { ...customerRecord.values, salesperson: 'u-liqiang' } }
    expect(fillFromReference(quotation, defaultValues(quotation), 'customer', withSales).values.salesperson).toBe('u-liqiang')
    expect(fillFromReference(customerEvaluation, defaultValues(customerEvaluation), 'customer', withSales).values.salesperson).toBe('u-liqiang')
    const chosen = { ...defaultValues(quotation), values: { ...defaultValues(quotation).values, salesperson: 'u-zhaolei' } }
    expect(fillFromReference(quotation, chosen, 'customer', withSales).values.salesperson).toBe('u-zhaolei')
  })
})

describe('fillLineFromReference (picking a product fills its line, never what was typed)', () => {
  const productRecord = {
    values: { code: 'HT-PC/ABS-8130', name: '阻燃PC/ABS合金', spec: 'HT-8130 黑色 UL94 V-0', colour: 'BK-001', unit: 'kg', standardPrice: 2380, taxRate: '9' },
    lines: {},
  }
  const withRows = (...rows: Array<Record<string, unknown>>): FormData => {
    const d = defaultValues(quotation)
    const items = quotation.fields.find((f) => f.key === 'items')
    if (items?.type !== 'lines') throw new Error('no items')
    d.lines.items = rows.map((v, i) => ({ id: `r${i}`, values: { ...defaultLineValues(items), ...v } as FormData['values'] }))
    return d
  }

  it('fills 品名, 规格 (with the 色号), 单价 and 税率 of that row; the amount and totals follow', () => {
    const data = withRows({ productName: '玻纤增强PP', quantity: '10', unitPrice: 1265 }, { product: 'p1', quantity: '1000' })
    const out = fillLineFromReference(quotation, data, 'items', 1, 'product', productRecord)
    expect(out.lines.items?.[1]?.values).toMatchObject({
      product: 'p1', productName: '阻燃PC/ABS合金', spec: 'HT-8130 黑色 UL94 V-0 BK-001', unit: 'kg', unitPrice: 2380, taxRate: '9', quantity: '1000', amount: 2_380_000,
    })
    // The other row is untouched; 价税合计 = 126.50 + 23,800.00.
    expect(out.lines.items?.[0]?.values).toEqual(applyComputed(quotation, data).lines.items?.[0]?.values)
    expect(out.values.grandTotal).toBe(12_650 + 2_380_000)
  })

  it('keeps typed cells; a select still at its default (税率 13 %, 单位 kg) is not the clerk\'s and is filled', () => {
    const data = withRows({ product: 'p1', productName: '阻燃PC/ABS 客户专用', spec: '黑色 定制', unitPrice: 2250 })
    const row = fillLineFromReference(quotation, data, 'items', 0, 'product', { ...productRecord, values: { ...productRecord.values, unit: 'pcs' } }).lines.items?.[0]?.values
    expect(row).toMatchObject({ productName: '阻燃PC/ABS 客户专用', spec: '黑色 定制', unitPrice: 2250, unit: 'pcs', taxRate: '9' })
    // A rate the clerk chose (not the default) stays.
    const chosen = withRows({ product: 'p1', taxRate: '6' })
    expect(fillLineFromReference(quotation, chosen, 'items', 0, 'product', productRecord).lines.items?.[0]?.values.taxRate).toBe('6')
  })

  it('changes nothing for an unknown row, a column without fill, or a record with nothing to give', () => {
    const data = withRows({ product: 'p1' })
    expect(fillLineFromReference(quotation, data, 'items', 5, 'product', productRecord)).toBe(data)
    expect(fillLineFromReference(quotation, data, 'items', 0, 'productName', productRecord)).toBe(data)
    expect(fillLineFromReference(quotation, data, 'nope', 0, 'product', productRecord)).toBe(data)
    expect(fillLineFromReference(quotation, data, 'items', 0, 'product', { values: {}, lines: {} })).toBe(data)
  })

  it('a line without a product stays valid (free text 品名 for a product not yet coded)', () => {
    const data = applyComputed(quotation, { ...withRows({ productName: '试制料 PC/PBT', quantity: '25', unitPrice: 4000 }), values: { ...defaultValues(quotation, { today: '2026-11-02' }).values, customer: 'c1', paymentMethod: 'cash' } })
    expect(validateForm(quotation, data)).toEqual([])
  })
})
