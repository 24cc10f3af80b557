import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { ledgerTotals, type LedgerRow } from '@forms/contract/contract.ledger'
import { buildWorkbook } from './workbook'
import { LEDGER_MONEY, ledgerFileName, ledgerSheet } from './ledger-export'

const row = (n: number, customer: string, title: string, amount: number, collected: number): LedgerRow & { customerTitle: string } => ({
  id: `c${n}`, number: `HT2611-A7-000${n}`, state: 'approved', customer, customerTitle: title, salesperson: 'u1', signDate: `2026-11-0${n}`,
  amount, delivered: amount, booked: 0, undelivered: 0, collected, invoiced: 0, adjusted: 0, outstanding: amount - collected, credit: 0,
})

const header = { number: '合同号', state: '状态', salesperson: '业务员', signDate: '签订日期', amount: '合同金额', delivered: '已发货', booked: '已签收入账', undelivered: '未发货', collected: '已收款', invoiced: '已开票', adjusted: '调整', outstanding: '应收余额', credit: '预收余额' }

describe('the 合同台帐 in Excel', () => {
  it('groups the contracts by customer with a 小计 each, and its 合计 equals the screen\'s to the fen', async () => {
    const rows = [row(3, 'k1', '华兴', 10_000_01, 333), row(2, 'k2', '美达', 7, 0), row(1, 'k1', '华兴', 20_000_02, 1)]
    const sheet = ledgerSheet(rows, { title: '合同台帐', header, filters: '签订月份：2026-11', stateLabel: () => '已批准', userName: () => '王芳' })
    expect(sheet.groups!.map((g) => [g.label, g.rows.map((r) => r[0])])).toEqual([['华兴', ['HT2611-A7-0003', 'HT2611-A7-0001']], ['美达', ['HT2611-A7-0002']]])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await buildWorkbook([sheet])).buffer as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const last = ws.getRow(ws.rowCount)
    expect(last.getCell(1).value).toBe('合计')
    const screen = ledgerTotals(rows)
    LEDGER_MONEY.forEach((k, i) => expect(Math.round((last.getCell(5 + i).value as number) * 100)).toBe(screen[k]))
    // 小计（华兴） sits after the customer's two contracts.
    const labels: string[] = []
    ws.eachRow((r) => labels.push(String(r.getCell(1).value ?? '')))
    expect(labels).toEqual(['合同台帐', '签订月份：2026-11', '合同号', '华兴', 'HT2611-A7-0003', 'HT2611-A7-0001', '小计（华兴）', '美达', 'HT2611-A7-0002', '小计（美达）', '合计'])
    expect(ws.getRow(7).getCell(5).value).toBe(30_000.03)
    expect(ws.getCell('D5').type).toBe(ExcelJS.ValueType.Date)
    expect(ws.getCell('C5').value).toBe('王芳')
  })

  it('is named after the month', () => {
    expect(ledgerFileName('合同台帐', '2026-11')).toBe('合同台帐_2026-11.xlsx')
  })
})
