/**
 * Entry as fast as Excel (issue 8), asserting what the clerk sees: a 10-line 报价单 typed with the
 * keyboard alone (Tab and Enter walk the cells and add the next line; 金额 and the totals are not
 * tab stops; "1,000" and full-width "１０００" are 1000), Ctrl+S saves it and a reload shows the ten
 * lines; a failed Ctrl+S brings its only error, far below the fold, into view with the cursor in it.
 */
import { expect, test, type Locator, type Page } from '@playwright/test'
import { disposePc, DocPage, openMenu, openPc, signIn, type Pc } from './support/office'

// The ten lines, worked by hand in fen: 金额 = 数量 × 含税单价, rounded half-up once.
//    1) "1,000"   × 23.80 = 1000 × 2380                           = 2,380,000  →  23,800.00
//    2) "１０００" × 12.65 = 1000 × 1265                           = 1,265,000  →  12,650.00
//    3) 333.333  × 31.17 = 333.333 × 3117 = 1,038,998.961        → 1,038,999  →  10,389.99
//    4) 250.5    × 18.30 = 250.5 × 1830                          =   458,415  →   4,584.15
//    5) 12.345   × 27.55 = 12.345 × 2755 = 34,010.475 (below .5)  →    34,010  →     340.10
//    6) 0.5      × 19.99 = 0.5 × 1999 = 999.5 (exactly .5, up)    →     1,000  →      10.00
//    7) 1200     × 16.30 = 1200 × 1630                           = 1,956,000  →  19,560.00
//    8) 75.25    × 14.36 = 75.25 × 1436                          =   108,059  →   1,080.59
//    9) "2,500"  × 21.5  = 2500 × 2150                           = 5,375,000  →  53,750.00
//   10) 88.888   ×  9.99 = 88.888 × 999 = 88,799.112             →    88,799  →     887.99
// 价税合计 = 2,380,000 + 1,265,000 + 1,038,999 + 458,415 + 34,010 + 1,000 + 1,956,000 + 108,059
//          + 5,375,000 + 88,799 = 12,705,282 fen = ¥127,052.82
// 大写: 12|7052 元 82 → 壹拾贰万 柒仟 零(百位空) 伍拾贰 元 捌角 贰分.
// (税率 only splits each 金额 into 不含税 and 税额: line 10 set to 9% by keyboard changes no figure here.)
// `next` is the key that ends the line in its last cell (税率, a closed drop-down) and adds the next one.
const LINES = [
  { 品名: '阻燃PC/ABS合金', 规格型号: 'HT-8130 黑色 UL94 V-0', 数量: '1,000', 含税单价: '23.80', amount: '23,800.00', next: 'Tab' },
  { 品名: '玻纤增强PP', 规格型号: 'HT-PP30G 本色 30%GF', 数量: '１０００', 含税单价: '12.65', amount: '12,650.00', next: 'Enter' },
  { 品名: '增韧PA66', 规格型号: 'HT-PA66T 黑色', 数量: '333.333', 含税单价: '31.17', amount: '10,389.99', next: 'Tab' },
  { 品名: '阻燃PP', 规格型号: 'HT-PP-FR V-2 本色', 数量: '250.5', 含税单价: '18.30', amount: '4,584.15', next: 'Enter' },
  { 品名: '透明PC', 规格型号: 'HT-PC1100 透明', 数量: '12.345', 含税单价: '27.55', amount: '340.10', next: 'Tab' },
  { 品名: '高光ABS', 规格型号: 'HT-ABS757 白色', 数量: '0.5', 含税单价: '19.99', amount: '10.00', next: 'Enter' },
  { 品名: '加纤PBT', 规格型号: 'HT-PBT30G 黑色', 数量: '1200', 含税单价: '16.30', amount: '19,560.00', next: 'Tab' },
  { 品名: '共聚POM', 规格型号: 'HT-POM M90 本色', 数量: '75.25', 含税单价: '14.36', amount: '1,080.59', next: 'Enter' },
  { 品名: '增韧PA6', 规格型号: 'HT-PA6T 黑色', 数量: '2,500', 含税单价: '21.5', amount: '53,750.00', next: 'Tab' },
  { 品名: '软质TPE', 规格型号: 'HT-TPE 65A 黑色', 数量: '88.888', 含税单价: '9.99', amount: '887.99', next: null },
] as const
/** What 数量 shows once saved: the plain decimal. */
const SAVED_QTY = ['1000', '1000', '333.333', '250.5', '12.345', '0.5', '1200', '75.25', '2500', '88.888']
const TOTAL = '127,052.82'
const CAPITAL = '壹拾贰万柒仟零伍拾贰元捌角贰分'
/** An old customer (老客户, traded) of the demo seed: it may be quoted without an evaluation (R1). */
const CUSTOMER = '佛山市美达电器有限公司'

/** A line cell's input; cells are labelled "<column> <line number>". */
const cell = (page: Page, col: string, n: number): Locator => page.getByLabel(`${col} ${n}`, { exact: true })
/** A drop-down line cell (its list carries the same name, as a listbox). */
const choice = (page: Page, col: string, n: number): Locator => page.getByRole('combobox', { name: `${col} ${n}`, exact: true })
const amount = (page: Page, n: number): Locator => page.getByTestId(`line-items-${n - 1}-amount`)

let pc: Pc
test.beforeAll(async () => { pc = await openPc() })
test.afterAll(async () => { await disposePc(pc) })

test('a 10-line 报价单 typed with the keyboard alone; Ctrl+S saves it and a reload shows the ten lines', async () => {
  test.setTimeout(240_000)
  const { page } = pc
  const doc = new DocPage(page)
  const keys = page.keyboard

  await test.step('李强 opens a new quotation for an old customer; its contact comes with it', async () => {
    await signIn(page, '李强')
    await openMenu(page, '报价单')
    await page.getByRole('button', { name: '新建报价单' }).click()
    await doc.choose('customer', CUSTOMER, '美达')
    await expect(page.getByLabel('联系人', { exact: true })).toHaveValue('梁美玲')
  })

  await test.step('from the customer, Tab walks the head (联系人, 报价日期, 有效期至, 币种, 业务员, 样品性能确认表) to 添加一行; Enter adds the first line', async () => {
    await keys.press('Tab')
    await expect(page.getByLabel('联系人', { exact: true })).toBeFocused()
    for (let i = 0; i < 6; i++) await keys.press('Tab')
    await expect(page.getByRole('button', { name: /添加一行/ })).toBeFocused()
    await keys.press('Enter')
    // A new line starts in its 产品编码 picker; these products are not coded yet, so Tab goes on to 品名.
    await expect(choice(page, '产品编码', 1)).toBeFocused()
  })

  await test.step('ten lines typed: Tab between cells, Tab or Enter in the last cell adds the next line', async () => {
    for (const [i, l] of LINES.entries()) {
      const n = i + 1
      await expect(choice(page, '产品编码', n)).toBeFocused()
      await keys.press('Tab')
      await expect(cell(page, '品名', n)).toBeFocused()
      await keys.type(l.品名)
      await keys.press('Tab')
      await keys.type(l.规格型号)
      await keys.press('Tab')
      await expect(cell(page, '数量', n)).toBeFocused()
      await keys.type(l.数量)
      // What the clerk typed stays on screen while the cursor is in the cell.
      await expect(cell(page, '数量', n)).toHaveValue(l.数量)
      await keys.press('Tab')
      await expect(choice(page, '单位', n)).toBeFocused() // kg by default: passed over
      await keys.press('Tab')
      await expect(cell(page, '含税单价', n)).toBeFocused()
      await keys.type(l.含税单价)
      await keys.press('Tab')
      await expect(choice(page, '税率', n)).toBeFocused() // 13% by default
      await expect(amount(page, n)).toHaveText(l.amount)
      if (l.next) {
        await keys.press(l.next)
        // The read-only 金额 and the row's 删除 are passed over: the cursor is in the new line.
        await expect(choice(page, '产品编码', n + 1)).toBeFocused()
        await expect(page.getByRole('listbox', { name: `税率 ${n}`, exact: true })).toBeHidden()
      }
    }
    await expect(cell(page, '品名', 11)).toHaveCount(0)
  })

  await test.step('in the open 税率 list Enter chooses (no line added); ArrowDown opens it', async () => {
    await keys.press('ArrowDown')
    const list = page.getByRole('listbox', { name: '税率 10', exact: true })
    await expect(list).toBeVisible()
    await keys.press('ArrowDown') // 13% → 9%
    await keys.press('Enter')
    await expect(list).toBeHidden()
    await expect(page.getByTestId('line-items-9-taxRate')).toContainText('9%')
    await expect(choice(page, '税率', 10)).toBeFocused()
    await expect(cell(page, '品名', 11)).toHaveCount(0)
  })

  await test.step('"1,000" and "１０００" count as 1000: 价税合计 and 大写 as worked by hand', async () => {
    await expect(doc.field('grandTotal').getByRole('textbox')).toHaveValue(TOTAL)
    await expect(page.getByTestId('field-capital')).toHaveText(`大写金额${CAPITAL}`)
  })

  await test.step('the totals are not tab stops: from 添加一行, Tab goes straight to 交易方式', async () => {
    // Shift+Tab from 交易方式 (the first field below the totals) comes back to 添加一行.
    await page.getByLabel('交易方式', { exact: true }).click()
    await keys.press('Shift+Tab')
    await expect(page.getByRole('button', { name: /添加一行/ })).toBeFocused()
    await keys.press('Tab')
    await expect(page.getByLabel('交易方式', { exact: true })).toBeFocused()
    await keys.type('送货上门')
  })

  let number = ''
  await test.step('Ctrl+S saves: 已创建 BJ…, the number in the heading, state 草稿', async () => {
    await keys.press('Control+S')
    const created = page.getByText(/^已创建 BJ/)
    await expect(created).toBeVisible()
    // Read while it shows: the message closes by itself after a few seconds.
    const said = await created.textContent()
    await expect(doc.title).toContainText(/报价单 BJ/)
    await expect(doc.state).toHaveText('草稿')
    number = await doc.number()
    expect(said).toBe(`已创建 ${number}`)
    await expect(page).toHaveURL(/#\/doc\/quotation\/[0-9a-f-]{36}$/)
  })

  await test.step('after a reload (and signing in again) the ten lines are there, totals unchanged', async () => {
    await page.reload()
    await signIn(page, '李强')
    await expect(doc.title).toHaveText(`报价单 ${number}`)
    for (const [i, l] of LINES.entries()) {
      const n = i + 1
      await expect(cell(page, '品名', n)).toHaveValue(l.品名)
      await expect(cell(page, '规格型号', n)).toHaveValue(l.规格型号)
      await expect(cell(page, '数量', n)).toHaveValue(SAVED_QTY[i]!)
      await expect(amount(page, n)).toHaveText(l.amount)
    }
    await expect(cell(page, '品名', 11)).toHaveCount(0)
    await expect(page.getByTestId('line-items-9-taxRate')).toContainText('9%')
    await expect(page.getByLabel('交易方式', { exact: true })).toHaveValue('送货上门')
    await expect(doc.field('grandTotal').getByRole('textbox')).toHaveValue(TOTAL)
    await expect(page.getByTestId('field-capital')).toHaveText(`大写金额${CAPITAL}`)
  })

  await test.step('a change and Ctrl+S again: 已保存', async () => {
    await page.getByLabel('交货地点', { exact: true }).fill('佛山市顺德区北滘镇美达电器仓库')
    await keys.press('Control+S')
    await expect(page.getByText('已保存', { exact: true })).toBeVisible()
    await expect(doc.title).toHaveText(`报价单 ${number}`)
  })
})

test('a failed Ctrl+S says 有 1 处需修改 and brings its only error, far below, into view with the cursor in it', async () => {
  const { page } = pc
  const doc = new DocPage(page)
  const qty10 = cell(page, '数量', 10)

  await test.step('张敏 (客服) fills ten lines, then clears the last line’s 数量', async () => {
    await signIn(page, '张敏')
    await openMenu(page, '报价单')
    await page.getByRole('button', { name: '新建报价单' }).click()
    await doc.choose('customer', CUSTOMER, '美达')
    for (const [i, l] of LINES.entries()) {
      await doc.addLine()
      await doc.fillLine(i, { 品名: l.品名, 规格型号: l.规格型号, 数量: l.数量, 含税单价: l.含税单价 })
    }
    await qty10.fill('')
  })

  await test.step('back at the top of the page, the empty cell is out of sight', async () => {
    await doc.fill('联系人', '何俊')
    await doc.title.scrollIntoViewIfNeeded()
    await expect(page.getByLabel('联系人', { exact: true })).toBeFocused()
    await expect(doc.title).toBeInViewport()
    await expect(qty10).not.toBeInViewport()
  })

  await test.step('Ctrl+S: the message, the cell scrolled into view, the cursor in it, nothing saved', async () => {
    await page.keyboard.press('Control+S')
    await expect(page.getByText('有 1 处需修改，已标在相应位置')).toBeVisible()
    await expect(qty10).toBeInViewport()
    await expect(qty10).toBeFocused()
    await expect(page.getByTestId('line-items-9-quantity')).toContainText('请填写数量')
    await expect(doc.title).toHaveText('新建报价单')
    await expect(page).toHaveURL(/#\/doc\/quotation\/new$/)
  })

  await test.step('typing the quantity there and Ctrl+S saves', async () => {
    await page.keyboard.type('88.888')
    await page.keyboard.press('Control+S')
    await expect(page.getByText(/^已创建 BJ/)).toBeVisible()
    await expect(doc.field('grandTotal').getByRole('textbox')).toHaveValue(TOTAL)
  })
})
