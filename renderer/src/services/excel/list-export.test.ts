import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { DocRecord } from '@core/model'
import { formById } from '@forms/registry'
import { collectListExport, exportListRows, listFileName, type ListExportSource } from './list-export'
import type { ListQuery } from '@core/list-query'
import { buildWorkbook } from './workbook'

const doc = (n: number, values: DocRecord['values'], state = 'draft', form = 'quotation'): DocRecord => ({
  id: `id-${n}`, form, number: `BJ2611-A7-${String(n).padStart(4, '0')}`, state, version: 1, values,
  createdAt: '2026-11-30T01:00:00.000Z', createdBy: 'u', updatedAt: '2026-11-30T02:30:00.000Z', updatedBy: 'u',
})
const titles: Record<string, string> = { c1: '深圳市华兴塑胶有限公司', c2: '=东莞美达' }
const refTitle = (_form: string, id: string) => titles[id]

describe('a list as an Excel sheet', () => {
  it('has the list\'s columns with the screen\'s labels, then 状态 and 更新时间 (the list has no 版本); cells keep their types', () => {
    const sheet = exportListRows(formById('quotation'), [
      doc(1, { customer: 'c1', quoteDate: '2026-11-30', validUntil: '2026-12-30', grandTotal: 1_130_000 }, 'approved'),
      doc(2, { customer: 'c2', quoteDate: '2026-11-02', grandTotal: 5 }),
    ], refTitle, { filters: '搜索：华兴' })
    expect(sheet.columns.map((c) => `${c.header}:${c.kind}`)).toEqual([
      '单号:text', '客户:text', '报价日期:date', '有效期至:date', '价税合计:money', '状态:text', '更新时间:date',
    ])
    expect(sheet.rows).toEqual([
      ['BJ2611-A7-0001', '深圳市华兴塑胶有限公司', '2026-11-30', '2026-12-30', 1_130_000, '已核准', '2026-11-30T02:30:00.000Z'],
      ['BJ2611-A7-0002', '=东莞美达', '2026-11-02', null, 5, '草稿', '2026-11-30T02:30:00.000Z'],
    ])
    expect(sheet).toMatchObject({ name: '报价单', title: '报价单（共 2 条）', filters: '搜索：华兴', totals: true })
  })

  it('writes selects and booleans as their labels, and has no 状态 for a form without a workflow', () => {
    const sheet = exportListRows(formById('customer'), [
      doc(1, { fullName: '华兴', traded: true, industry: 'appliance', paymentMethod: 'cash' }, 'active', 'customer'),
    ], refTitle)
    expect(sheet.columns.map((c) => c.header)).toEqual(['单号', '客户全称', '简称', '新/老客户', '电话', '行业', '付款方式', '更新时间'])
    const row = sheet.rows![0]!
    expect(row[3]).toBe('老客户')
    expect(typeof row[5]).toBe('string')
    expect(row[5]).not.toBe('appliance')
    expect(row[6]).toBe('现结')
    expect(sheet.totals).toBe(false)
    expect(sheet.filters).toBeUndefined()
  })

  it('reads back from the workbook with the same figures, a formula-like title as text, and a 合计', async () => {
    const rows = [doc(1, { customer: 'c1', grandTotal: 1_130_000 }), doc(2, { customer: 'c2', grandTotal: 5 })]
    const wb = new ExcelJS.Workbook()
    const bytes = await buildWorkbook([exportListRows(formById('quotation'), rows, refTitle)])
    await wb.xlsx.load(bytes.buffer as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.getCell('B3').value).toBe('深圳市华兴塑胶有限公司')
    expect(ws.getCell('E3').value).toBe(11300)
    expect(ws.getCell('B4').value).toBe('=东莞美达')
    expect(ws.getCell('B4').formula).toBeUndefined()
    expect(ws.getCell('A5').value).toBe('合计')
    expect(ws.getCell('E5').value).toBe(11300.05)
    expect(ws.getCell('G3').type).toBe(ExcelJS.ValueType.Date)
  })

  it('collects every record the list\'s query matches (not only the page on screen), names each reference once, and says how it was narrowed', async () => {
    const all = Array.from({ length: 1203 }, (_, i) => doc(i + 1, { customer: i % 2 ? 'c1' : 'c2', grandTotal: 100 + i }))
    const asked: string[] = []
    let seen: ListQuery | undefined
    const source: ListExportSource = {
      listAll: async (_form, q) => { seen = q; return all },
      refTitle: async (_f, id) => { asked.push(id); return titles[id] },
    }
    const query: ListQuery = { text: ' 华兴 ', filters: { states: ['approved'], from: '2026-11-01', to: '2026-11-30', ref: 'c1' }, sort: { key: 'number', dir: 'asc' } }
    const { sheet, count } = await collectListExport(formById('quotation'), query, source)
    expect(seen).toBe(query)
    expect(count).toBe(1203)
    expect(sheet.rows).toHaveLength(1203)
    expect(sheet.rows!.map((r) => r[0])).toEqual(all.map((d) => d.number))
    expect([...new Set(asked)].sort()).toEqual(['c1', 'c2'])
    expect(sheet.filters).toBe(`搜索：华兴 · 状态：已核准 · 报价日期：2026-11-01 至 2026-11-30 · 客户：${titles.c1}`)
  })

  it('names the file after the list and the day', () => {
    expect(listFileName('报价单', '2026-11-30')).toBe('报价单_2026-11-30.xlsx')
  })
})
