/** The 账龄分析's Excel sheet: groups with their open items in bucket columns, 小计 and 合计 equal to the report's, to the fen. */
import { describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { ageingReport, type ReceivableItem } from '@forms/contract/contract.ageing'
import { ageingSheet } from './ageing-export'
import { buildWorkbook } from './workbook'

const item = (n: number, customer: string, bucket: ReceivableItem['bucket'], open: number, days: number): ReceivableItem => ({
  kind: 'delivery', id: `d${n}`, number: `FH2611-A7-000${n}`, customer, contract: 'c', salesperson: 's', date: '2026-10-01', due: '2026-10-31', amount: open, open, days, bucket,
})

describe('账龄分析 as an Excel sheet', () => {
  it('groups by customer with 小计, the 合计 equal to the report\'s totals to the fen', async () => {
    const items = [item(1, 'a', 'current', 123_45, 0), item(2, 'a', 'd60', 1_000_01, 45), item(3, 'b', 'over90', 99, 120)]
    const report = ageingReport(items, 'customer')
    const header = { number: '单号', customer: '客户', due: '到期日', days: '逾期天数', total: '应收合计', current: '未到期', d30: '逾期 1–30 天', d60: '31–60 天', d90: '61–90 天', over90: '90 天以上' }
    const sheet = ageingSheet(report.groups, { title: '应收账款账龄分析', filters: '截止日期：2026-12-01 · 按客户', header, groupName: (k) => `客户${k}`, customerName: (id) => `客户${id}` })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await buildWorkbook([sheet])).buffer as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const rows: unknown[][] = []
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)))
    const total = rows.find((r) => r[0] === '合计')!
    const fen = (v: unknown) => Math.round(Number(v) * 100)
    expect(fen(total[4])).toBe(report.totals.current)
    expect(fen(total[6])).toBe(report.totals.d60)
    expect(fen(total[8])).toBe(report.totals.over90)
    expect(fen(total[9])).toBe(report.totals.total)
    expect(rows.filter((r) => String(r[0]).startsWith('小计'))).toHaveLength(2)
    expect(rows.some((r) => r[0] === 'FH2611-A7-0002' && r[3] === '45')).toBe(true)
  })
})
