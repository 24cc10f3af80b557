/**
 * 客户维护 (§5.10) on screen: on 26 December (clock fixed) 李强's inbox shows next month's forecast
 * overdue (R18) and its button opens a new 销售预估 for January; 赵磊 (marketing manager) sees who
 * has not sent theirs. A change of the approval chain stands on an approved 内部联络函 (R17).
 */
import { expect, test } from '@playwright/test'
import { chooseUser, disposePc, openMenu, openPc, signIn, type Pc } from './support/office'
import { approvedMemo } from './support/story'

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

test('R17: the administrator changes who signs contracts above an amount only on an approved internal memo', async () => {
  test.setTimeout(300_000)
  const { page } = pc
  await page.clock.setSystemTime(new Date())
  await page.setViewportSize({ width: 1366, height: 768 })
  await signIn(page, '张敏')
  await openMenu(page, '设置')
  const chain = page.getByTestId('approval-chain')
  await chain.getByRole('button', { name: '查看 / 修改审批流程' }).click()
  const limit = chain.getByLabel('销售合同 / 订单 会签：总经理签批（超过设定金额） 金额达到（元）', { exact: true })
  await limit.fill('500000')
  await chain.getByRole('button', { name: '保存审批流程' }).click()
  // Refused in plain words, the rule on a quieter second line; nothing saved.
  const refused = chain.getByTestId('chain-refused')
  await expect(refused).toContainText('修改业务规则或审批流程须依据已批准的内部联络函')
  await expect(refused).toContainText('依据 §5.10.1（R17）')
  await expect(page.locator('.el-message--error')).toHaveCount(0) // said once, beside the chain, not again in a toast
  await page.screenshot({ path: '.tmp/chain-refused.png', fullPage: true })

  // The memo: written by the administrator, approved by the marketing manager.
  const memoNo = await approvedMemo(page, {
    subject: '合同 50 万元以上由总经理签批', toDepts: '营销部、总经理办公室', concerns: '审批流程',
    current: '合同由营销总监批准', change: '合同金额达到 50 万元时增加总经理签批', reason: '大额合同风险控制',
  })
  await chooseUser(page, '张敏')
  await openMenu(page, '设置')
  await chain.getByRole('button', { name: '查看 / 修改审批流程' }).click()
  await limit.fill('500000')
  await chain.getByTestId('chain-memo').locator('.el-select__wrapper').click()
  await page.getByRole('option', { name: new RegExp(memoNo) }).locator('visible=true').first().click()
  await chain.getByRole('button', { name: '保存审批流程' }).click()
  await expect(page.getByText('审批流程已保存，各电脑同步后生效').last()).toBeVisible()
  await expect(chain.getByTestId('chain-memo-current')).toContainText(memoNo)
  await expect(chain.getByTestId('chain-refused')).toHaveCount(0)
  await expect(limit).toHaveValue('500,000.00')
  await page.screenshot({ path: '.tmp/chain-saved.png', fullPage: true })
})
