/**
 * 客户维护 (§5.10) on screen: on 26 December (clock fixed) 李强's inbox shows next month's forecast
 * overdue (R18) and its button opens a new 销售预估 for January; 赵磊 (marketing manager) sees who
 * has not sent theirs.
 */
import { expect, test } from '@playwright/test'
import { disposePc, openPc, signIn, type Pc } from './support/office'

let pc: Pc
test.beforeAll(async () => { pc = await openPc() })
test.afterAll(async () => { await disposePc(pc) })

test('R18: the monthly forecast is a duty in the inbox before any document exists', async () => {
  test.setTimeout(300_000)
  const { page } = pc
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.clock.setFixedTime(new Date('2026-12-26T10:00:00+08:00'))

  await signIn(page, '李强')
  await page.goto('/#/')
  const duties = page.getByTestId('duties')
  await expect(duties).toContainText('提交 2027-01 的销售预估')
  await expect(duties).toContainText('已逾期 1 天')
  await expect(duties).toContainText('依据 §5.10.3（R18）')
  await page.screenshot({ path: '.tmp/maintenance-inbox.png' })
  await duties.getByText('提交 2027-01 的销售预估').click()
  await expect(page).toHaveURL(/#\/doc\/salesForecast\/new/)
  await expect(page.getByLabel('预估月份', { exact: true })).toHaveValue('2027-01')
  await page.screenshot({ path: '.tmp/maintenance-forecast.png', fullPage: true })

  await signIn(page, '赵磊')
  await page.goto('/#/')
  await expect(page.getByTestId('duties')).toContainText('李强 未提交 2027-01 的销售预估')
})
