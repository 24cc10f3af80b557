/**
 * 导出 / 导入 Excel (issue 10), as the clerk sees it: the 报价单 list with a search applied exports
 * every matching row to 报价单_<today>.xlsx, whose figures (read back with exceljs) are the rows on
 * screen; a customer file with one bad row is checked first (the error named by row and column,
 * nothing written), then, fixed and confirmed, its customers are in the list.
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { expect, test } from '@playwright/test'
import { disposePc, DocPage, ListView, openPc, signIn, todayIso, type Pc } from './support/office'

let pc: Pc
test.beforeAll(async () => { pc = await openPc() })
test.afterAll(async () => { await disposePc(pc) })

/** A cell's number as the list shows money: 1,234.50. */
const money = (v: unknown) => (v as number).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const ymd = (v: unknown) => (v as Date).toISOString().slice(0, 10)

test('导出 Excel of the searched 报价单 list: every figure as on screen', async () => {
  test.setTimeout(180_000)
  const { page } = pc
  const doc = new DocPage(page)
  const list = new ListView(page)

  await test.step('李强 adds a second quotation for 美达', async () => {
    await signIn(page, '李强')
    await list.open('quotation')
    await page.getByRole('button', { name: '新建报价单' }).click()
    await doc.choose('customer', '佛山市美达电器有限公司', '美达')
    await doc.addLine()
    await doc.fillLine(0, { 品名: '阻燃PC/ABS合金', 规格型号: 'HT-8130 黑色', 数量: '1234.5', 含税单价: '23.87' })
    await doc.save()
    await expect(page.getByText(/^已创建 BJ/)).toBeVisible()
  })

  const file = path.join(pc.documents, `报价单_${todayIso()}.xlsx`)
  const screen: string[][] = []
  await test.step('search 佛山, then 导出 Excel saves 报价单_<today>.xlsx', async () => {
    await list.open('quotation')
    await list.find('佛山')
    await expect(list.rows).toHaveCount(2)
    for (const r of await list.rows.all()) screen.push((await r.locator('td').allInnerTexts()).map((s) => s.trim()))
    pc.bridge.dialogs.queueSave(file)
    await page.getByRole('button', { name: '导出 Excel' }).click()
    await expect(page.getByText('已导出 2 条')).toBeVisible()
    await expect.poll(() => existsSync(file)).toBe(true)
    const call = pc.bridge.dialogs.calls.at(-1)
    expect(call?.kind === 'save' && path.basename(call.opts.defaultPath)).toBe(`报价单_${todayIso()}.xlsx`)
  })

  await test.step('the file: title, the search, the headers as on screen, each row\'s figures, 合计 to the fen', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(readFileSync(file).buffer as ArrayBuffer)
    const ws = wb.getWorksheet('报价单')!
    expect(ws.getCell('A1').value).toBe('报价单（共 2 条）')
    expect(ws.getCell('A2').value).toBe('搜索：佛山')
    const headers = (ws.getRow(3).values as unknown[]).slice(1)
    const onScreen = (await page.locator('.el-table__header-wrapper th').allInnerTexts()).map((s) => s.trim()).filter(Boolean)
    expect(headers).toEqual(onScreen.filter((h) => h !== '全选本页'))
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 })
    // Screen cells: [selection, 单号, 客户, 报价日期, 有效期至, 价税合计, 状态, 更新时间].
    let fen = 0
    screen.forEach((cells, i) => {
      const row = ws.getRow(4 + i)
      const [, number, customer, quoteDate, validUntil, total, state] = cells
      expect(row.getCell(1).value).toBe(number)
      expect(row.getCell(2).value).toBe(customer)
      expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Date)
      expect(ymd(row.getCell(3).value)).toBe(quoteDate)
      expect(validUntil ? ymd(row.getCell(4).value) : row.getCell(4).value).toBe(validUntil || null)
      expect(row.getCell(5).type).toBe(ExcelJS.ValueType.Number)
      expect(row.getCell(5).numFmt).toBe('#,##0.00')
      expect(money(row.getCell(5).value)).toBe(total)
      expect(row.getCell(6).value).toBe(state)
      expect(row.getCell(7).type).toBe(ExcelJS.ValueType.Date)
      fen += Math.round(Number(total!.replaceAll(',', '')) * 100)
    })
    expect(ws.getCell('A6').value).toBe('合计')
    expect(Math.round((ws.getCell('E6').value as number) * 100)).toBe(fen)
  })
})

/** A customer file as a clerk fills the template in (the headers are the form's labels). */
async function customerFile(file: string, creditDays: number): Promise<void> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('客户资料')
  ws.addRow(['客户全称', '简称', '电话', '付款方式', '信用期（天）', '信用额度', '期初应收余额', '期初日期'])
  ws.addRow(['东莞市宏达模具有限公司', '宏达模具', '0769-22334455', '账期', 30, 200000, 12345.67, new Date(Date.UTC(2026, 10, 30))])
  ws.addRow(['中山市远航灯饰有限公司', '远航灯饰', '0760-88776655', '账期', creditDays, '', -500, '2026-11-30'])
  await wb.xlsx.writeFile(file)
}

test('导入 Excel of customers: the dry run names the bad row and writes nothing; fixed and confirmed, the customers are in the list', async () => {
  test.setTimeout(120_000)
  const { page } = pc
  const list = new ListView(page)
  await signIn(page, '张敏')
  await list.open('customer')
  const before = await list.total.innerText()
  const dialog = page.getByRole('dialog', { name: '导入 Excel' })
  const choose = async (file: string) => {
    const chooser = page.waitForEvent('filechooser')
    await dialog.getByRole('button', { name: '选择文件…' }).click()
    await (await chooser).setFiles(file)
  }

  const bad = path.join(pc.documents, '新客户.xlsx')
  await test.step('a file with 信用期 400 days: 第 3 行，列「信用期（天）」 and 确认导入 disabled', async () => {
    await customerFile(bad, 400)
    await page.getByRole('button', { name: '导入 Excel' }).click()
    await expect(dialog.getByRole('radio', { name: '客户资料' })).toBeChecked()
    await choose(bad)
    await expect(dialog.getByText('第 3 行，列「信用期（天）」：应为 0–365 的整数')).toBeVisible()
    await expect(dialog.getByText('共 2 行，有 1 处错误')).toBeVisible()
    await expect(dialog.getByRole('button', { name: '确认导入' })).toBeDisabled()
    await dialog.getByRole('button', { name: '取消' }).click()
    await expect(list.total).toHaveText(before)
    await list.find('远航')
    await expect(list.total).toHaveText('共 0 条')
    await list.find('')
  })

  await test.step('fixed (60 days), checked again, 确认导入: both customers are in the list', async () => {
    await customerFile(bad, 60)
    await page.getByRole('button', { name: '导入 Excel' }).click()
    await choose(bad)
    await expect(dialog.getByText('共 2 行检查通过，将导入 2 行')).toBeVisible()
    await dialog.getByRole('button', { name: '确认导入' }).click()
    await expect(page.getByText('已导入 2 个客户，跳过 0 行')).toBeVisible()
    await expect(dialog).toBeHidden()
    await list.find('宏达')
    await expect(list.row('东莞市宏达模具有限公司')).toHaveCount(1)
    await list.find('远航')
    await expect(list.row('中山市远航灯饰有限公司')).toContainText('账期')
  })

  await test.step('a file that is not a workbook: one sentence, nothing written', async () => {
    const junk = path.join(pc.documents, '客户.xlsx')
    await writeFile(junk, '客户全称,电话\n某公司,123\n')
    await page.getByRole('button', { name: '导入 Excel' }).click()
    await choose(junk)
    await expect(dialog.getByRole('alert')).toContainText('文件不是 Excel 工作簿（.xlsx），请使用下载的模板：客户.xlsx')
    await expect(dialog.getByRole('button', { name: '确认导入' })).toBeDisabled()
    await dialog.getByRole('button', { name: '取消' }).click()
  })
})
