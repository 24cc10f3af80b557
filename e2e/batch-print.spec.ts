/**
 * Batch print (issue 9), as the clerk sees it: in the 报价单 list, 全选本页 → 批量打印 shows
 * 正在生成 n / N with 取消, then 保存PDF saves ONE file holding every chosen quotation, each with
 * its own page numbering and number; 取消 stops a batch and nothing is saved.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { disposePc, DocPage, ListView, openPc, signIn, type Pc } from './support/office'

let pc: Pc
test.beforeAll(async () => { pc = await openPc() })
test.afterAll(async () => { await disposePc(pc) })

test('全选本页 → 批量打印: one PDF of every chosen quotation, with progress; 取消 stops', async () => {
  test.setTimeout(240_000)
  const { page } = pc
  const doc = new DocPage(page)
  const list = new ListView(page)

  await test.step('李强 adds a second quotation to the demo one', async () => {
    await signIn(page, '李强')
    await list.open('quotation')
    await page.getByRole('button', { name: '新建报价单' }).click()
    await doc.choose('customer', '佛山市美达电器有限公司', '美达')
    await doc.addLine()
    await doc.fillLine(0, { 品名: '阻燃PC/ABS合金', 规格型号: 'HT-8130 黑色', 数量: '1000', 含税单价: '23.80' })
    await doc.save()
    await expect(page.getByText(/^已创建 BJ/)).toBeVisible()
  })

  const numbers: string[] = []
  await test.step('全选本页 chooses both rows', async () => {
    await list.open('quotation')
    await expect(list.rows).toHaveCount(2)
    for (const text of await list.rows.allInnerTexts()) numbers.push(/BJ\d{4}-[A-Z0-9]+-\d{4}/.exec(text)![0])
    await expect(page.getByRole('button', { name: '批量打印' })).toBeDisabled()
    await page.getByText('全选本页', { exact: true }).click()
    await expect(page.getByRole('checkbox', { name: '全选本页' })).toBeChecked()
    await expect(page.getByText('已选 2 份')).toBeVisible()
  })

  const status = page.getByTestId('batch-print')
  await test.step('取消 during a batch: nothing to save', async () => {
    await page.getByRole('button', { name: '批量打印' }).click()
    await expect(status).toContainText(/正在生成 \d \/ 2/)
    await status.getByRole('button', { name: '取消' }).click()
    await expect(page.getByText('已取消批量打印')).toBeVisible()
    await expect(status).toBeHidden()
  })

  const file = path.join(pc.documents, 'batch.pdf')
  await test.step('批量打印 → 正在生成 n / 2 → 已生成 2 份 → 保存PDF: one file', async () => {
    await page.getByRole('button', { name: '批量打印' }).click()
    await expect(status).toContainText(/正在生成 \d \/ 2|正在合并/)
    await expect(status).toContainText('已生成 2 份单据，共 2 页', { timeout: 60_000 })
    await expect(status).toContainText('其中 2 份尚未审批')
    pc.bridge.dialogs.queueSave(file)
    await status.getByRole('button', { name: '保存PDF' }).click()
    await expect.poll(() => existsSync(file) && readFileSync(file).subarray(-1024).includes('%%EOF')).toBe(true)
    await expect(page.getByText('PDF 已保存').last()).toBeVisible()
  })

  await test.step('the file has both quotations in list order, each numbered 第 1 页 / 共 1 页', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])
    expect(pages).toBe(2)
    const text = (p: number) => execFileSync('pdftotext', ['-raw', '-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
    for (const [i, number] of numbers.entries()) {
      expect(text(i + 1)).toContain(number)
      expect(text(i + 1)).toContain('第1页/共1页')
    }
  })
})
