/**
 * Every list as a clerk expects (issue 10), at 1366×768 with the side menu: words found anywhere
 * in names and numbers (美达 finds 美宜达's quotation, 电器 finds customers with 电器 inside),
 * pinyin and initials, sort by a column, state + customer + date filters narrowing the rows, a
 * selection with its count on a list that does not print, and a saved filter (我的常用) restored.
 */
import { expect, test, type Page } from '@playwright/test'
import { disposePc, DocPage, ListView, openPc, pickOption, signIn, type Pc } from './support/office'

const MEIYIDA = '东莞市美宜达电器有限公司'

let pc: Pc
test.beforeAll(async () => { pc = await openPc() })
test.afterAll(async () => { await disposePc(pc) })

test('search anywhere, pinyin, sort, filters, selection and 我的常用 on the lists', async () => {
  test.setTimeout(420_000) // a busy 2-core machine: the steps are short, the story is long
  const { page } = pc
  await page.setViewportSize({ width: 1366, height: 768 })
  const doc = new DocPage(page)
  const list = new ListView(page)

  await test.step('张敏 (客服) adds 美宜达 as a trading customer; 李强 quotes it, dated October', async () => {
    await signIn(page, '张敏')
    await list.open('customer')
    await page.getByRole('button', { name: '新建客户' }).click()
    await doc.fill('客户全称', MEIYIDA)
    await doc.fill('简称', '美宜达')
    await page.getByText('已有交易往来（老客户）', { exact: true }).click()
    await doc.save()
    const dup = page.getByRole('dialog', { name: '可能重复的客户' })
    await expect(doc.title.or(dup).first()).toBeVisible()
    if (await dup.isVisible()) await dup.getByRole('button', { name: '仍然新建' }).click()
    await expect(doc.title).toContainText(/客户 KH/)

    await signIn(page, '李强')
    await list.open('quotation')
    await page.getByRole('button', { name: '新建报价单' }).click()
    await doc.choose('customer', new RegExp(MEIYIDA), '美宜达')
    await doc.fillDate('报价日期', '2026-10-15')
    await doc.addLine()
    await doc.fillLine(0, { 品名: '阻燃PC/ABS合金', 数量: '1000', 含税单价: '23.80' })
    await doc.save()
    await expect(doc.title).toContainText(/BJ\d{4}-/) // saved (the 已创建 toast may be gone already on a busy machine)
  })

  await test.step('customers: 电器 inside the name, szhx initials, meiyida full pinyin', async () => {
    await list.open('customer')
    await list.find('电器')
    await expect(list.rows).toHaveCount(2)
    await expect(list.row('佛山市美达电器有限公司')).toHaveCount(1)
    await expect(list.row(MEIYIDA)).toHaveCount(1)
    await list.find('szhx')
    await expect(list.rows).toHaveCount(1)
    await expect(list.row('深圳华兴塑胶制品有限公司')).toHaveCount(1)
    await list.find('meiyida')
    await expect(list.rows).toHaveCount(1)
    await expect(list.row(MEIYIDA)).toHaveCount(1)
  })

  await test.step('at 1366 px the customer table fits beside the menu, without a 版本 column', async () => {
    await list.find('')
    await expect(list.rows).toHaveCount(3)
    await expect(page.getByRole('columnheader', { name: '版本' })).toHaveCount(0)
    const overflow = await page.locator('.el-table__body-wrapper .el-scrollbar__wrap').first().evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
  })

  await test.step('selection on a list that does not print: 全选本页, 已选 n 份, no 批量打印', async () => {
    await page.getByText('全选本页', { exact: true }).click()
    await expect(page.getByTestId('selected-count')).toHaveText('已选 3 份')
    await list.rows.first().locator('.el-checkbox').click() // the visible box; its input is styled away
    await expect(page.getByTestId('selected-count')).toHaveText('已选 2 份')
    await expect(page.getByRole('button', { name: '批量打印' })).toHaveCount(0)
    await page.getByRole('button', { name: '取消选择' }).click()
    await expect(page.getByTestId('selected-count')).toHaveCount(0)
  })

  await test.step('quotations: 美达 finds 美宜达 too, 宜达 only it; words must all match', async () => {
    await list.open('quotation')
    await expect(list.rows).toHaveCount(2)
    await list.find('美达')
    await expect(list.rows).toHaveCount(2)
    await list.find('宜达')
    await expect(list.rows).toHaveCount(1)
    await expect(list.row(MEIYIDA)).toHaveCount(1)
    await list.find('myd')
    await expect(list.row(MEIYIDA)).toHaveCount(1)
    await expect(list.rows).toHaveCount(1)
    await list.find('美达 szhx')
    await expect(page.getByText('没有符合条件的单据')).toBeVisible()
    await list.find('')
    await expect(list.rows).toHaveCount(2)
  })

  await test.step('sort by 报价日期: oldest first, then newest first', async () => {
    const header = page.getByRole('columnheader', { name: '报价日期' })
    await header.click()
    await expect(list.rows.first()).toContainText('2026-10-15')
    await expect(list.rows.nth(1)).toContainText('2026-11-02')
    await header.click()
    await expect(list.rows.first()).toContainText('2026-11-02')
    await expect(list.rows.nth(1)).toContainText('2026-10-15')
  })

  await test.step('状态 + 客户 + 报价日期 range narrow the rows together', async () => {
    await pickOption(page, '状态', '草稿')
    await page.keyboard.press('Escape')
    await expect(list.rows).toHaveCount(2)
    await pickOption(page, '客户', new RegExp(MEIYIDA), '美宜达')
    await expect(list.rows).toHaveCount(1)
    await expect(list.row(MEIYIDA)).toHaveCount(1)
    await page.getByPlaceholder('开始日期').fill('2026-11-01')
    await page.getByPlaceholder('结束日期').fill('2026-11-30')
    await page.getByPlaceholder('结束日期').press('Enter')
    await expect(page.getByText('没有符合条件的单据')).toBeVisible()
    await page.getByPlaceholder('开始日期').fill('2026-10-01')
    await page.getByPlaceholder('结束日期').fill('2026-10-31')
    await page.getByPlaceholder('结束日期').press('Enter')
    await expect(list.rows).toHaveCount(1)
    await expect(list.row(MEIYIDA)).toHaveCount(1)
  })

  await test.step('我的常用: saved, cleared, restored after a reload', async () => {
    await page.getByRole('button', { name: /我的常用/ }).click()
    await page.getByRole('menuitem', { name: '保存当前筛选…' }).click()
    const dialog = page.getByRole('dialog', { name: '保存为常用筛选' })
    await dialog.getByRole('textbox').fill('美宜达十月草稿')
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect(page.getByText('已保存常用筛选“美宜达十月草稿”')).toBeVisible()
    await page.getByRole('button', { name: '清除筛选' }).click()
    await expect(list.rows).toHaveCount(2)

    await page.reload()
    await signIn(page, '李强')
    await list.open('quotation')
    await expect(list.rows).toHaveCount(2)
    await page.getByRole('button', { name: /我的常用/ }).click()
    await page.getByRole('menuitem', { name: /美宜达十月草稿/ }).click()
    await expect(list.rows).toHaveCount(1)
    await expect(list.row(MEIYIDA)).toHaveCount(1)
    await expect(page.getByPlaceholder('开始日期')).toHaveValue('2026-10-01')
    await expect(page.getByRole('combobox', { name: '客户', exact: true })).toHaveCount(1)
    await expect(page.locator('.f-ref')).toContainText('美宜达')
  })
})
