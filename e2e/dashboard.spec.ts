/**
 * The start page's dashboards (issue 11): the director (陈志远) sees the office's charts above the
 * to-do list; the 应收账龄 bar 61–90 天 opens 账龄分析 with the deliveries of that bucket; the
 * R6 bar opens the sample shipment list filtered to those samples; a chart saves as PNG through
 * file:save. The clerk (张敏) sees her headline tiles and her to-do list first (a tile opens the same
 * documents as its chart's bar), the charts of her work below.
 *
 * The office's history (evaluations, samples, quotations, contracts, production notices, booked
 * deliveries, a payment) is written straight into the profile's IndexedDB, as reports.spec does: the
 * stories drive those documents through their screens; the dashboard only reads them.
 * `SHOTS=docs` saves docs/start-director.png and docs/start-clerk.png at 1366×768.
 */
import path from 'node:path'
import { existsSync, readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { disposePc, openPc, signIn, todayIso, type Pc } from './support/office'
import { putDocs as putRows, type StoredRow } from './support/story'

/** Writes the history, shaped like the stored 华兴 record. */
const putDocs = (page: Page, rows: Row[]) => putRows(page, rows, HUAXING)

const HUAXING = '5e1f0a10-0000-4000-8000-000000000101'
const MEIDA = '5e1f0a10-0000-4000-8000-000000000102'
const LI_QIANG = '5e1f0a10-0000-4000-8000-000000000002'

let pc: Pc
test.beforeAll(async () => {
  pc = await openPc()
  pc.context.setDefaultTimeout(15_000)
})
test.afterAll(async () => { await disposePc(pc) })

type Row = StoredRow

const id = (n: number) => `7e2e0b10-0000-4000-8000-${String(n).padStart(12, '0')}`
const doc = (n: number, form: string, prefix: string, state: string, values: Record<string, unknown>): Row =>
  ({ id: id(n), form, number: `${prefix}2611-A7-00${n}`, state, values: { salesperson: LI_QIANG, ...values } })
const at = (daysAgo: number) => `${todayIso(-daysAgo)}T04:00:00.000Z`

/** An office's month: two customers through the pipeline, samples out, promised dates, receivables. */
function history(): Row[] {
  return [
    { ...doc(1, 'customerEvaluation', 'PG', 'develop', { customer: HUAXING }), createdAt: at(40) },
    { ...doc(2, 'customerEvaluation', 'PG', 'develop', { customer: MEIDA }), createdAt: at(38) },
    doc(3, 'sampleApplication', 'YP', 'scheduled', { customer: HUAXING, applyDate: todayIso(-35) }),
    doc(4, 'sampleApplication', 'YP', 'scheduled', { customer: MEIDA, applyDate: todayIso(-34) }),
    doc(5, 'sampleConfirmation', 'QR', 'signed', { customer: HUAXING, confirmDate: todayIso(-10) }),
    doc(6, 'quotation', 'BJ', 'approved', { customer: HUAXING, quoteDate: todayIso(-8), grandTotal: 86_000_00 }),
    doc(11, 'contract', 'HT', 'signed', { customer: HUAXING, signDate: todayIso(-5), paymentMethod: 'credit', creditDays: 30, totalAmount: 50_000_00 }),
    doc(12, 'contract', 'HT', 'signed', { customer: MEIDA, signDate: todayIso(-3), paymentMethod: 'credit', creditDays: 30, totalAmount: 30_000_00 }),
    // Samples out 20 days (R5 late) and 40 days (R5 and R6 late).
    doc(21, 'sampleShipment', 'FY', 'shipped', { customer: HUAXING, dispatchDate: todayIso(-20) }),
    doc(22, 'sampleShipment', 'FY', 'shipped', { customer: MEIDA, dispatchDate: todayIso(-40) }),
    // Promised dates: 2 days ago (late), in 3 days (this week).
    doc(31, 'productionNotice', 'SC', 'replied', { customer: HUAXING, contract: id(11), requiredDate: todayIso(-2), promisedDate: todayIso(-2) }),
    doc(32, 'productionNotice', 'SC', 'scheduled', { customer: MEIDA, contract: id(12), requiredDate: todayIso(3), promisedDate: todayIso(3) }),
    // Booked deliveries on 30 days: 10 (not due), 45 (15 late), 95 and 100 (65 and 70 late) days ago; ¥1,000.00 paid.
    doc(41, 'delivery', 'FH', 'booked', { contract: id(11), customer: HUAXING, shipDate: todayIso(-10), totalAmount: 8_000_00 }),
    doc(42, 'delivery', 'FH', 'booked', { contract: id(11), customer: HUAXING, shipDate: todayIso(-45), totalAmount: 6_000_00 }),
    doc(43, 'delivery', 'FH', 'booked', { contract: id(12), customer: MEIDA, shipDate: todayIso(-95), totalAmount: 12_000_00 }),
    doc(44, 'delivery', 'FH', 'booked', { contract: id(11), customer: HUAXING, shipDate: todayIso(-100), totalAmount: 3_000_00 }),
    { ...doc(51, 'payment', 'SK', 'confirmed', { contract: id(11), customer: HUAXING, kind: 'goods', receivedDate: todayIso(-30), amount: 1_000_00, method: 'wire' }), values: { contract: id(11), customer: HUAXING, kind: 'goods', receivedDate: todayIso(-30), amount: 1_000_00, method: 'wire' } },
  ]
}

test('the director\'s dashboard: ageing bar → its deliveries, R6 → its samples, PNG; the clerk\'s inbox first', async () => {
  const page = pc.page
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto('/')
  await signIn(page, '陈志远')
  await putDocs(page, history())
  // The lists' digest was built at sign-in without these rows (written behind the app's back): restart.
  await page.reload()
  await signIn(page, '陈志远')

  const dash = page.getByTestId('dashboard')
  const ageing = dash.getByTestId('chart-ageing')
  await test.step('the office\'s picture above the to-do list', async () => {
    // Open: 8,000 + 6,000 + 12,000 + 3,000 − 1,000 (off the oldest, HT11's 100-day delivery) = ¥28,000.00.
    await expect(ageing.getByTestId('headline')).toHaveText('¥28,000.00')
    await expect(ageing.locator('button[data-key="d90"]')).toContainText('¥14,000.00')
    await expect(dash.getByTestId('chart-samplesOverdue').getByTestId('headline')).toHaveText('2')
    await expect(dash.getByTestId('chart-deliveriesDue').getByTestId('headline')).toHaveText('2')
    await expect(dash.getByTestId('chart-pipeline').getByTestId('headline')).toHaveText('2')
    await expect(dash.getByTestId('chart-topCustomers').getByTestId('headline')).toHaveText('¥80,000.00')
    await expect(dash.locator('canvas').first()).toBeVisible()
    const box = (await dash.boundingBox())!
    const inbox = (await page.getByRole('tab', { name: '待办' }).boundingBox())!
    expect(box.y).toBeLessThan(inbox.y)
    if (process.env.SHOTS) await page.screenshot({ path: path.join(process.env.SHOTS, 'start-director.png') })
  })

  await test.step('61–90 天 opens 账龄分析 with exactly those deliveries', async () => {
    await ageing.locator('button[data-key="d90"]').click()
    await expect(page).toHaveURL(/#\/report\/ageing\?.*bucket=d90/)
    const detail = page.getByRole('dialog')
    await expect(detail).toContainText('合计 · 61–90 天：14,000.00')
    await expect(detail.getByRole('row').filter({ hasText: 'FH2611-A7-0043' })).toContainText('12,000.00')
    await expect(detail.getByRole('row').filter({ hasText: 'FH2611-A7-0044' })).toContainText('2,000.00')
    await expect(detail.getByRole('row').filter({ hasText: /FH2611-A7-004[12]/ })).toHaveCount(0)
    await page.keyboard.press('Escape')
    await page.goBack()
  })

  await test.step('超 30 天未反馈（R6） opens the sample shipments late on R6', async () => {
    await dash.getByTestId('chart-samplesOverdue').locator('button[data-key="R6:late"]').click()
    await expect(page).toHaveURL(/#\/list\/sampleShipment\?.*due=R6/)
    await expect(page.getByTestId('due-filter')).toContainText('R6')
    const table = page.locator('.el-table__body')
    await expect(table.getByRole('row')).toHaveCount(1)
    await expect(table).toContainText('FY2611-A7-0022')
    await page.goBack()
  })

  await test.step('导出图片 saves the chart as PNG', async () => {
    const file = path.join(pc.documents, 'ageing.png')
    pc.bridge.dialogs.queueSave(file)
    await ageing.getByRole('button', { name: /导出图片/ }).click()
    await expect(page.getByText('图片已保存')).toBeVisible()
    await expect.poll(() => existsSync(file)).toBe(true)
    expect([...readFileSync(file).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(readFileSync(file).length).toBeGreaterThan(5000)
  })

  await test.step('the clerk: her tiles and to-do list first, the charts of her work below', async () => {
    await page.reload()
    await signIn(page, '张敏')
    const mine = page.getByTestId('dashboard')
    await expect(mine.getByTestId('chart-deliveriesDue').getByTestId('headline')).toHaveText('2')
    await expect(mine.getByTestId('chart-ageing')).toHaveCount(0)
    const inbox = (await page.getByRole('tab', { name: '待办' }).boundingBox())!
    expect((await mine.boundingBox())!.y).toBeGreaterThan(inbox.y)
    // Her headline tiles above the to-do list, within the first screen (768 px).
    const tiles = page.getByTestId('start-tiles')
    await expect(tiles.locator('[data-key="samplesOverdue:R6:late"] .tile-figure')).toHaveText('1')
    await expect(tiles.locator('[data-key="deliveriesDue:R14:late"] .tile-figure')).toHaveText('1')
    await expect(tiles.locator('[data-key="pipeline:contract"] .tile-figure')).toHaveText('2')
    const strip = (await tiles.boundingBox())!
    expect(strip.y + strip.height).toBeLessThan(inbox.y)
    if (process.env.SHOTS) await page.screenshot({ path: path.join(process.env.SHOTS, 'start-clerk.png') })
    await tiles.locator('[data-key="samplesOverdue:R6:late"]').click()
    await expect(page).toHaveURL(/#\/list\/sampleShipment\?.*due=R6/)
    const table = page.locator('.el-table__body')
    await expect(table.getByRole('row')).toHaveCount(1)
    await expect(table).toContainText('FY2611-A7-0022')
  })
})
