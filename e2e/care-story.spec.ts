/**
 * Customer care and the manager's view (issue 11, §5.10) on one office PC, by the roles signing in
 * in turn: the marketing head plans this week's visits (two), the director approves the plan; 李强
 * records one visit from its line, with his travel expense, and the marketing manager files it; the
 * plan then shows one visit done and one missed → 张敏 writes an internal memo, 李强 may not approve
 * it, the marketing manager does (R17) → the director's dashboard: the 应收账龄 bar 1–30 天 opens the
 * deliveries behind it → the PC's clock moves on: on the 24th 李强 files next month's 销售预估 on
 * time; on the 26th of the month after, the one then due is overdue in his inbox and in the
 * manager's, and filed late it is marked 逾期提交 (R18).
 *
 * The receivables the dashboard reads (a contract for 华兴, three deliveries booked) are written into
 * the profile as dashboard.spec does: order-story and money-story drive such documents on screen.
 */
import { expect, test, type Page } from '@playwright/test'
import { chooseUser, disposePc, DocPage, explainOnFailure, openFromList, openMenu, openPc, pickOption, signIn, todayIso, type Pc } from './support/office'
import { putDocs, savedNumber, type StoredRow } from './support/story'

const HUAXING = '5e1f0a10-0000-4000-8000-000000000101'
const HUAXING_NAME = '深圳华兴塑胶制品有限公司'
const MEIDA_NAME = '佛山市美达电器有限公司'
const LI_QIANG = '5e1f0a10-0000-4000-8000-000000000002'

/** The week planned: three days back to three days on (a week plan is at most 7 days). */
const FROM = todayIso(-3)
const TO = todayIso(3)
/** 美达 visited as planned two days ago; 华兴, planned yesterday, was not. */
const MEIDA_DAY = todayIso(-2)
const HUAXING_DAY = todayIso(-1)

/** The month `n` months after today's (Asia/Shanghai), as YYYY-MM. */
function monthAhead(n: number): string {
  const [y, m] = todayIso().slice(0, 7).split('-').map(Number) as [number, number]
  const k = y * 12 + (m - 1) + n
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`
}
/** On the 24th of next month, the month after's forecast is due tomorrow; on the 26th of the month after that, the next one is a day late. */
const ON_TIME_DAY = `${monthAhead(1)}-24`
const ON_TIME_MONTH = monthAhead(2)
const LATE_DAY = `${monthAhead(2)}-26`
const LATE_MONTH = monthAhead(3)

// Receivables for the dashboard, 华兴 on 30 days' credit: shipped 10 days ago → 未到期 (¥8,000.00);
// 45 days ago → 15 days overdue, 1–30 天 (¥6,000.00); 95 days ago → 65 days overdue, 61–90 天 (¥12,000.00).
const id = (n: number) => `7e2e0c10-0000-4000-8000-${String(n).padStart(12, '0')}`
const row = (n: number, form: string, prefix: string, state: string, values: Record<string, unknown>): StoredRow =>
  ({ id: id(n), form, number: `${prefix}2611-C1-00${n}`, state, values: { salesperson: LI_QIANG, customer: HUAXING, ...values } })
const RECEIVABLES: StoredRow[] = [
  row(11, 'contract', 'HT', 'signed', { signDate: todayIso(-100), paymentMethod: 'credit', creditDays: 30, totalAmount: 26_000_00 }),
  row(41, 'delivery', 'FH', 'booked', { contract: id(11), shipDate: todayIso(-10), totalAmount: 8_000_00 }),
  row(42, 'delivery', 'FH', 'booked', { contract: id(11), shipDate: todayIso(-45), totalAmount: 6_000_00 }),
  row(43, 'delivery', 'FH', 'booked', { contract: id(11), shipDate: todayIso(-95), totalAmount: 12_000_00 }),
]

let pc: Pc
test.beforeAll(async () => {
  pc = await openPc()
  pc.context.setDefaultTimeout(15_000)
})
test.afterAll(async () => { await disposePc(pc) })

/** Types a date into a labelled date input (a header field or a line's cell). */
async function typeDate(page: Page, label: string, iso: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true })
  await input.fill(iso)
  await input.press('Enter')
  await expect(input).toHaveValue(iso)
}

test('care story: a visit plan kept and missed, a memo approved (R17), the ageing bar opened, forecasts on time and late (R18)', async () => {
  test.setTimeout(600_000)
  const { page } = pc
  await page.setViewportSize({ width: 1366, height: 768 })
  const doc = new DocPage(page)
  const step = (name: string, body: () => Promise<void>) => test.step(name, () => explainOnFailure({ page }, body))
  let planNo = ''
  let visitNo = ''

  await step('1. 王海燕 (营销部负责人) plans this week: 美达 and 华兴 for 李强; 陈志远 approves', async () => {
    await signIn(page, '王海燕')
    await openMenu(page, '拜访计划')
    await page.getByRole('button', { name: '新建拜访客户计划表' }).click()
    await expect(page).toHaveURL(/#\/doc\/visitPlan\/new/)
    await typeDate(page, '开始日期', FROM)
    await typeDate(page, '结束日期', TO)
    await doc.choose('planner', '王海燕')
    await doc.fill('本期重点', '阻燃 PC/ABS 新料推广；华兴交期回访')
    for (const [i, v] of [{ name: MEIDA_NAME, typed: '美达', day: MEIDA_DAY, purpose: '新品宣传' }, { name: HUAXING_NAME, typed: '华兴', day: HUAXING_DAY, purpose: '专业提供服务' }].entries()) {
      await doc.addLine()
      await pickOption(page, `客户 ${i + 1}`, v.name, v.typed)
      await pickOption(page, `业务员 ${i + 1}`, '李强')
      await typeDate(page, `计划日期 ${i + 1}`, v.day)
      await pickOption(page, `拜访目的 ${i + 1}`, v.purpose)
    }
    await doc.save()
    planNo = await savedNumber(page, 'BFJ')
    await doc.act('提交审批')
    await expect(doc.state).toHaveText('待审批')

    await chooseUser(page, '陈志远')
    await openFromList(page, '拜访计划', planNo)
    await doc.act('审批通过')
    await expect(doc.state).toHaveText('已生效')
    // Both planned days are past and nothing is recorded yet: both missed, so far.
    await expect(page.getByTestId('progress-summary')).toHaveText('计划 2，已完成 0，未完成 2（其中已过期 2），完成率 0%')
  })

  await step('2. 李强 records the 美达 visit from its line, with ¥86.50 of travel; 赵磊 approves the expense and files it', async () => {
    await chooseUser(page, '李强')
    await openFromList(page, '拜访计划', planNo)
    await page.getByTestId('make-visitRecord-0').click()
    await expect(page).toHaveURL(/#\/doc\/visitRecord\/new/)
    // Made from the plan's line: the customer, the visitor, the day and the purpose are there already.
    await expect(doc.field('customer')).toContainText(MEIDA_NAME)
    await expect(doc.field('salesperson')).toContainText('李强')
    await expect(page.getByLabel('拜访日期', { exact: true })).toHaveValue(MEIDA_DAY)
    await expect(doc.field('purpose')).toContainText('新品宣传')
    await doc.fill('洽谈内容', '介绍 HT-8130 阻燃 PC/ABS，客户计划用于新款电饭煲面板')
    await doc.fill('客户反馈与需求', '要求 2 周内寄 5 kg 样品试模')
    await doc.addLine()
    await doc.fillLine(0, { 金额: '86.50', 票据张数: '2' })
    await page.getByLabel('金额 1', { exact: true }).press('Tab')
    await doc.save()
    visitNo = await savedNumber(page, 'BF')
    await expect(doc.field('expenseTotal').getByRole('textbox')).toHaveValue('86.50')
    await doc.act('提交审核')

    await chooseUser(page, '赵磊')
    await openFromList(page, '客户拜访', visitNo)
    await doc.act('费用审核通过，归档', '')
    await expect(doc.state).toHaveText('已归档')
  })

  await step('3. the plan now shows the 美达 visit done (its record linked) and the 华兴 visit missed', async () => {
    await openFromList(page, '拜访计划', planNo)
    await expect(page.getByTestId('progress-summary')).toHaveText('计划 2，已完成 1，未完成 1（其中已过期 1），完成率 50%')
    const done = page.getByTestId('progress-row-0')
    await expect(done).toContainText('已拜访')
    await expect(done).toContainText(visitNo)
    await expect(done.getByTestId('make-visitRecord-0')).toHaveCount(0)
    const missed = page.getByTestId('progress-row-1')
    await expect(missed).toContainText('未拜访·已过期')
    await expect(missed.getByTestId('make-visitRecord-1')).toBeVisible()
    await done.getByRole('button', { name: visitNo }).click()
    await expect(doc.title).toContainText(visitNo)
  })

  await step('4. 张敏 asks by internal memo to change the visit step; 李强 cannot approve it, 赵磊 does (R17)', async () => {
    await chooseUser(page, '张敏')
    await openMenu(page, '内部联络函')
    await page.getByRole('button', { name: '新建内部联络函' }).click()
    await expect(page).toHaveURL(/#\/doc\/memo\/new/)
    await doc.fill('主题', '客户拜访表改为拜访后 2 日内提交')
    await doc.choose('applicant', '张敏')
    await doc.fill('发文部门', '客服部')
    await doc.fill('收文部门', '营销部')
    await doc.choose('concerns', '客户维护（拜访、预估、目标）')
    await doc.fill('现行做法', '拜访表在月底统一补填')
    await doc.fill('变更内容', '每次拜访后 2 个工作日内提交客户拜访表，费用随表报销')
    await doc.fill('变更原因', '月底补填遗漏多，费用票据难以核对')
    await doc.save()
    const memoNo = await savedNumber(page, 'LL')
    await doc.act('提交审批')
    await expect(doc.state).toHaveText('待审批')

    await chooseUser(page, '李强')
    await openFromList(page, '内部联络函', memoNo)
    await expect(doc.state).toHaveText('待审批')
    await expect(doc.button('批准')).toHaveCount(0)

    await chooseUser(page, '赵磊')
    await openFromList(page, '内部联络函', memoNo)
    await doc.act('批准', '')
    await expect(doc.state).toHaveText('已批准')
  })

  await step('5. 陈志远\'s start page: the 应收账龄 bar 1–30 天 opens exactly the delivery behind it', async () => {
    await putDocs(page, RECEIVABLES, HUAXING)
    await page.reload()
    await signIn(page, '陈志远')
    await openMenu(page, '待办')
    const ageing = page.getByTestId('dashboard').getByTestId('chart-ageing')
    await expect(ageing.getByTestId('headline')).toHaveText('¥26,000.00')
    const bar = ageing.locator('button[data-key="d30"]')
    await expect(bar).toContainText('¥6,000.00')
    await bar.click()
    await expect(page).toHaveURL(/#\/report\/ageing\?.*bucket=d30/)
    const detail = page.getByRole('dialog')
    await expect(detail).toContainText('合计 · 逾期 1–30 天：6,000.00')
    await expect(detail.getByRole('row').filter({ hasText: 'FH2611-C1-0042' })).toContainText('6,000.00')
    await expect(detail.getByRole('row').filter({ hasText: /FH2611-C1-004[13]/ })).toHaveCount(0)
    await page.keyboard.press('Escape')
    await expect(detail).toBeHidden()
    // Back to the start page (the report's address would open the bucket again after a reload).
    await openMenu(page, '待办')
  })

  await step(`6. on ${ON_TIME_DAY}, 李强 files the ${ON_TIME_MONTH} forecast from his inbox: on time (R18)`, async () => {
    // The PC's clock moves on and keeps running (a fixed clock would stall every debounce).
    await page.clock.install({ time: new Date(`${ON_TIME_DAY}T10:00:00+08:00`) })
    await page.clock.resume()
    await page.reload()
    await signIn(page, '李强')
    await openMenu(page, '待办')
    const duties = page.getByTestId('duties')
    await expect(duties).toContainText(`提交 ${ON_TIME_MONTH} 的销售预估`)
    await expect(duties).toContainText('依据 §5.10.3（R18）')
    await duties.getByText(`提交 ${ON_TIME_MONTH} 的销售预估`).click()
    await expect(page).toHaveURL(/#\/doc\/salesForecast\/new/)
    await expect(page.getByLabel('预估月份', { exact: true })).toHaveValue(ON_TIME_MONTH)
    await doc.choose('salesperson', '李强')
    await doc.addLine()
    const items = page.getByRole('table', { name: '预估明细' })
    await pickOption(page, '客户 1', MEIDA_NAME, '美达', items)
    await pickOption(page, '产品组 1', '阻燃料', undefined, items)
    await items.getByLabel('预估金额 1', { exact: true }).fill('48,000.00')
    await items.getByLabel('预估金额 1', { exact: true }).press('Tab')
    await doc.save()
    await savedNumber(page, 'YG')
    await doc.act('提交预估')
    await expect(doc.state).toHaveText('待营销经理审核')
    await expect(doc.field('lateSubmitted').getByRole('checkbox')).not.toBeChecked()
    await page.goto('/#/')
    await expect(page.getByTestId('duties')).toHaveCount(0)
  })

  await step(`7. on ${LATE_DAY}, the ${LATE_MONTH} forecast is overdue for 李强 and for 赵磊; filed late, it is marked 逾期提交 (R18)`, async () => {
    await page.clock.setSystemTime(new Date(`${LATE_DAY}T10:00:00+08:00`))
    await page.reload()
    await signIn(page, '赵磊')
    await openMenu(page, '待办')
    await expect(page.getByTestId('duties')).toContainText(`李强 未提交 ${LATE_MONTH} 的销售预估`)

    await chooseUser(page, '李强')
    await page.goto('/#/')
    const duties = page.getByTestId('duties')
    await expect(duties).toContainText(`提交 ${LATE_MONTH} 的销售预估`)
    await expect(duties).toContainText('已逾期 1 天')
    await duties.getByText(`提交 ${LATE_MONTH} 的销售预估`).click()
    await expect(page.getByLabel('预估月份', { exact: true })).toHaveValue(LATE_MONTH)
    await doc.choose('salesperson', '李强')
    await doc.addLine()
    const items = page.getByRole('table', { name: '预估明细' })
    await pickOption(page, '客户 1', HUAXING_NAME, '华兴', items)
    await pickOption(page, '产品组 1', '增强料', undefined, items)
    await items.getByLabel('预估金额 1', { exact: true }).fill('30,000.00')
    await items.getByLabel('预估金额 1', { exact: true }).press('Tab')
    await doc.save()
    await savedNumber(page, 'YG')
    await doc.button('提交预估').click()
    // A late forecast is still taken: the clerk reads why it is late and goes on.
    const confirm = page.getByRole('dialog', { name: '请确认' })
    await expect(confirm).toContainText(`${LATE_MONTH} 的销售预估应在 ${monthAhead(2)}-25 前提交`)
    await confirm.getByRole('button', { name: '已知悉，继续提交预估' }).click()
    await expect(doc.state).toHaveText('待营销经理审核')
    await expect(doc.field('lateSubmitted').getByRole('checkbox')).toBeChecked()
    await page.goto('/#/')
    await expect(page.getByTestId('duties')).toHaveCount(0)
    // The list says which came in late, in words.
    await openMenu(page, '销售预估')
    // One row per forecast: the month, the salesperson by name (not an id), late or on time.
    const rows = page.locator('.el-table__body').getByRole('row')
    const month = (m: string) => rows.filter({ has: page.getByRole('cell', { name: m, exact: true }) })
    await expect(month(LATE_MONTH)).toContainText('逾期提交')
    await expect(month(LATE_MONTH)).toContainText('李强')
    await expect(month(ON_TIME_MONTH)).toContainText('按时')
  })
})
