import { describe, expect, it } from 'vitest'
import { quotation } from '../../forms/quotation/quotation.form'
import { changeField, changeLabel, diffDocs, diffValues, type DocContent } from './diff'

describe('diffValues', () => {
  it('lists changed, added and cleared fields; empty forms are equal', () => {
    expect(diffValues({ a: 1, b: 'x', c: null, d: '' }, { a: 2, b: 'x', c: undefined, e: true })).toEqual([
      { field: 'a', from: 1, to: 2 }, { field: 'e', from: null, to: true },
    ])
    expect(diffValues({ remarks: '加急' }, { remarks: '' })).toEqual([{ field: 'remarks', from: '加急', to: null }])
    expect(diffValues({}, {})).toEqual([])
  })
})

describe('diffDocs on a quotation', () => {
  const signed: DocContent = {
    values: { customer: 'c1', validUntil: '2026-11-30', remarks: '含运费' },
    lines: { items: [
      { id: 'r1', values: { productName: '阻燃PC/ABS', quantity: '1000', unitPrice: 2350 } },
      { id: 'r2', values: { productName: '玻纤增强PA66', quantity: '500', unitPrice: 1980 } },
    ] },
  }
  it('what changed since the signed version: a price, a new row, a removed row, a term', () => {
    const now: DocContent = {
      values: { customer: 'c1', validUntil: '2026-12-15', remarks: '含运费' },
      lines: { items: [
        { id: 'r1', values: { productName: '阻燃PC/ABS', quantity: '1000', unitPrice: 2280 } },
        { id: 'r3', values: { productName: 'PBT GF30', quantity: '200', unitPrice: 2600 } },
      ] },
    }
    const changes = diffDocs(quotation, signed, now)
    expect(changes).toEqual([
      { field: 'validUntil', from: '2026-11-30', to: '2026-12-15' },
      { field: 'items[0].unitPrice', from: 2350, to: 2280 },
      { field: 'items[1]', from: null, to: { productName: 'PBT GF30', quantity: '200', unitPrice: 2600 } },
      { field: 'items[1]', from: { productName: '玻纤增强PA66', quantity: '500', unitPrice: 1980 }, to: null },
    ])
    expect(changes.map((c) => changeLabel(quotation, c.field).zh)).toEqual([
      '有效期至', '报价明细 第1行 含税单价', '报价明细 第2行', '报价明细 第2行',
    ])
  })
  it('moving rows or an identical copy shows nothing', () => {
    const same = structuredClone(signed)
    expect(diffDocs(quotation, signed, same)).toEqual([])
    const reordered: DocContent = { ...signed, lines: { items: [signed.lines.items![1]!, signed.lines.items![0]!] } }
    expect(diffDocs(quotation, signed, reordered)).toEqual([])
  })
  it('labels in English, and unknown paths as themselves', () => {
    expect(changeLabel(quotation, 'items[2].quantity')).toEqual({ zh: '报价明细 第3行 数量', en: 'Items row 3 Quantity' })
    expect(changeLabel(quotation, 'state')).toEqual({ zh: '状态', en: 'Status' })
    expect(changeLabel(quotation, 'mystery')).toEqual({ zh: 'mystery', en: 'mystery' })
  })
})

describe('changeField', () => {
  it('finds the field, the lines field of a whole row, and the column of a changed cell', () => {
    expect(changeField(quotation, 'customer')?.key).toBe('customer')
    expect(changeField(quotation, 'items[0]')?.key).toBe('items')
    expect(changeField(quotation, 'items[2].unitPrice')?.type).toBe('money')
    expect(changeField(quotation, 'items[2].unitPrice')?.key).toBe('unitPrice')
    expect(changeField(quotation, 'items[2].nope')).toBeUndefined()
    expect(changeField(quotation, 'state')).toBeUndefined()
  })
})
