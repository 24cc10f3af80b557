import ExcelJS from 'exceljs'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { buildWorkbook, columnTotals, isFormulaLike, layoutSheet, sheetName, sumNumbers, toCell, type XlsxSheet } from './workbook'

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  return wb
}

const quotes: XlsxSheet = {
  name: '报价单',
  title: '报价单',
  filters: '搜索：华兴',
  columns: [
    { header: '单号', kind: 'text' },
    { header: '客户', kind: 'text' },
    { header: '报价日期', kind: 'date' },
    { header: '价税合计', kind: 'money' },
    { header: '数量', kind: 'number' },
    { header: '税率', kind: 'percent' },
    { header: '更新时间', kind: 'date' },
  ],
  rows: [
    ['BJ2611-A7-0001', '深圳市华兴塑胶有限公司', '2026-11-30', 123456, '0.1', 0.13, '2026-11-30T01:02:03.000Z'],
    ['BJ2611-A7-0002', '东莞美达贸易', '2026-11-02', 1, '0.2', 0.09, null],
    ['BJ2611-A7-0003', '华兴（龙岗分厂）', null, -250, 3, null, '2026-11-29T16:00:00.000Z'],
  ],
  totals: true,
}

describe('the workbook builder', () => {
  it('writes numbers as numbers, dates as dates, money as yuan with 2 decimals, and a 合计 equal to the fen sum', async () => {
    const wb = await readBack(await buildWorkbook([quotes]))
    const ws = wb.getWorksheet('报价单')!
    expect(ws.getCell('A1').value).toBe('报价单')
    expect(ws.getCell('A2').value).toBe('搜索：华兴')
    expect(ws.getRow(3).values).toEqual([undefined, '单号', '客户', '报价日期', '价税合计', '数量', '税率', '更新时间'])
    // Row 4 is the first data row.
    expect(ws.getCell('D4').value).toBe(1234.56)
    expect(ws.getCell('D4').numFmt).toBe('#,##0.00')
    expect(ws.getCell('D4').type).toBe(ExcelJS.ValueType.Number)
    expect(ws.getCell('D6').value).toBe(-2.5)
    const date = ws.getCell('C4')
    expect(date.type).toBe(ExcelJS.ValueType.Date)
    expect((date.value as Date).toISOString()).toBe('2026-11-30T00:00:00.000Z')
    expect(date.numFmt).toBe('yyyy-mm-dd')
    expect(ws.getCell('G4').type).toBe(ExcelJS.ValueType.Date)
    expect(ws.getCell('G4').numFmt).toBe('yyyy-mm-dd hh:mm')
    expect(ws.getCell('E4').value).toBe(0.1)
    expect(ws.getCell('E4').type).toBe(ExcelJS.ValueType.Number)
    expect(ws.getCell('F4').value).toBe(0.13)
    expect(ws.getCell('F4').numFmt).toBe('0.00%')
    expect(ws.getCell('C6').value).toBeNull()
    // 合计: label in the first text column, the money in fen summed then written once.
    expect(ws.getCell('A7').value).toBe('合计')
    expect(ws.getCell('D7').value).toBe((123456 + 1 - 250) / 100)
    expect(ws.getCell('D7').numFmt).toBe('#,##0.00')
    expect(ws.getCell('E7').value).toBe(3.3) // 0.1 + 0.2 + 3 exactly, not 3.3000000000000003
    expect(ws.getCell('F7').value).toBeNull()
    expect(ws.rowCount).toBe(7)
  })

  it('freezes the header row, sets column widths and keeps the Chinese headers', async () => {
    const wb = await readBack(await buildWorkbook([quotes]))
    const ws = wb.getWorksheet('报价单')!
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 })
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(2 * '深圳市华兴塑胶有限公司'.length)
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(8)
    expect(ws.getCell('B3').font?.bold).toBe(true)
  })

  it('writes groups as a label row, the rows and a 小计 each, then the 合计 of all', async () => {
    const sheet: XlsxSheet = {
      name: '合同台帐', columns: [{ header: '合同号', kind: 'text' }, { header: '合同金额', kind: 'money' }],
      groups: [
        { label: '华兴', rows: [['HT-1', 1001], ['HT-2', 2002]] },
        { label: '美达', rows: [['HT-3', 33]] },
      ],
    }
    const ws = (await readBack(await buildWorkbook([sheet]))).getWorksheet('合同台帐')!
    const rows = [] as unknown[][]
    ws.eachRow({ includeEmpty: true }, (r) => rows.push((r.values as unknown[]).slice(1)))
    expect(rows).toEqual([
      ['合同号', '合同金额'],
      ['华兴'],
      ['HT-1', 10.01], ['HT-2', 20.02], ['小计（华兴）', 30.03],
      ['美达'],
      ['HT-3', 0.33], ['小计（美达）', 0.33],
      ['合计', 30.36],
    ])
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
  })

  it('never lets a text cell become a formula (= + - @, tab, CR and the full-width forms)', async () => {
    const evil = ['=HYPERLINK("http://x","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', '＋1', '－1', '＠x', '=cmd|\' /C calc\'!A0']
    const sheet: XlsxSheet = { name: 'x', columns: [{ header: '备注', kind: 'text' }, { header: '数', kind: 'number' }], rows: evil.map((e) => [e, -1]) }
    const bytes = await buildWorkbook([sheet])
    const ws = (await readBack(bytes)).getWorksheet('x')!
    evil.forEach((e, i) => {
      const c = ws.getCell(i + 2, 1)
      expect(c.formula).toBeUndefined()
      expect(c.type).toBe(ExcelJS.ValueType.String)
      // XML reads a lone CR as a line feed: the text is otherwise the original.
      expect(c.value).toBe(e.replace(/\r/g, '\n'))
      expect(c.numFmt).toBe('@')
      expect(ws.getCell(i + 2, 2).value).toBe(-1) // a real negative number is not text
    })
    // The Text format's style carries quotePrefix, as Excel writes for '=… typed by hand.
    const styles = strFromU8(unzipSync(bytes)['xl/styles.xml']!)
    expect(styles).toMatch(/<xf [^>]*numFmtId="49"[^>]*quotePrefix="1"/)
    // and nothing in the sheet is a formula element.
    expect(strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!)).not.toContain('<f>')
  })

  it('escapes by the first character only', () => {
    for (const s of ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) expect(isFormulaLike(`${s}x`)).toBe(true)
    for (const s of ['x=1', ' =1', '华兴', '1+1', '']) expect(isFormulaLike(s)).toBe(false)
  })

  it('writes a value that does not fit its column as text rather than dropping it', () => {
    expect(toCell('money', 12.5)).toMatchObject({ value: '12.5' })
    expect(toCell('date', '2026-02-30')).toMatchObject({ value: '2026-02-30' })
    expect(toCell('number', '十二')).toMatchObject({ value: '十二' })
    expect(toCell('text', 'a\u0001b')).toEqual({ value: 'ab' })
  })

  it('sums money in integer fen and decimals exactly', () => {
    const cols = [{ header: 'a', kind: 'money' as const }, { header: 'b', kind: 'number' as const }, { header: 'c', kind: 'text' as const }]
    // 10,000 rows of ¥0.10: a float sum of 0.1 drifts; fen do not.
    const rows = Array.from({ length: 10_000 }, () => [10, 0.1, 'x'])
    expect(columnTotals(cols, rows)).toEqual([100_000, 1000, null])
    expect(sumNumbers([0.1, 0.2])).toBe(0.3)
    expect(sumNumbers([1.005, 2])).toBe(3.005)
    expect(layoutSheet({ name: 's', columns: cols, rows: [], totals: true }).at(-1)).toEqual({ role: 'total', cells: [{ value: 0, numFmt: '#,##0.00' }, { value: 0 }, { value: '合计' }] })
  })

  it('makes sheet names Excel accepts', () => {
    const taken = new Set<string>()
    expect(sheetName('报价单/2026:11', taken)).toBe('报价单_2026_11')
    expect(sheetName('报价单/2026:11', taken)).toBe('报价单_2026_11_2')
    expect(sheetName('x'.repeat(40), taken)).toHaveLength(31)
  })
})
