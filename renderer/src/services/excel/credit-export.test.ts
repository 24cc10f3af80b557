/** 回款与信用分析's Excel sheet: figures as on screen, 回款率 and 额度占用 as percent cells, 合计 to the fen. */
import { describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import type { CreditRow } from '@forms/contract/contract.ageing'
import { creditSheet } from './credit-export'
import { buildWorkbook } from './workbook'

const row = (customer: string, shipped: number, collected: number, limit: number | undefined, exposure: number): CreditRow & { customerTitle: string } => ({
  customer, customerTitle: `客户${customer}`, salesperson: 's', shipped, collected, collectionRate: shipped ? Math.round((collected * 10_000) / shipped) : undefined,
  receivable: shipped - collected, overdue: 0, limit, exposure, usedPercent: limit ? Math.round((exposure * 100) / limit) : undefined, over: limit !== undefined && exposure > limit,
})

describe('回款与信用分析 as an Excel sheet', () => {
  it('writes each customer\'s figures as money and percent cells, 超额 as a word, and the 合计 of the money to the fen', async () => {
    const rows = [row('a', 1_000_001, 500_000, 800_000, 900_001), row('b', 0, 12_345, undefined, 0)]
    const header = { customer: '客户', shipped: '本月发货', collected: '本月回款', rate: '回款率', receivable: '应收余额', overdue: '逾期金额', limit: '信用额度', exposure: '信用占用', used: '额度占用', over: '超额' }
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await buildWorkbook([creditSheet(rows, { title: '回款与信用分析', filters: '月份：2026-11', header, overWord: '超额' })])).buffer as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const out: unknown[][] = []
    ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)))
    const a = out.find((r) => r[0] === '客户a')!
    expect(Math.round(Number(a[1]) * 100)).toBe(1_000_001)
    expect(a[3]).toBeCloseTo(0.5, 4)
    expect(a[9]).toBe('超额')
    const b = out.find((r) => r[0] === '客户b')!
    expect(b[3] ?? null).toBeNull()
    expect(b[6] ?? null).toBeNull()
    const total = out.find((r) => r[0] === '合计')!
    expect(Math.round(Number(total[2]) * 100)).toBe(512_345)
  })
})
