/**
 * The order stage on one office PC, by the roles involved (issue 9): an approved quotation for a
 * trading customer (老客户: no sample-stage gates) → the contract made from it, its payment term
 * changed (the difference shown side by side, R12) with a special environmental agreement → the
 * countersign (R11, R12) → printed, the signed scan imported → the production notice, its promised
 * date due this week (R14) → a delay reported before the date is moved (R14) → a partial delivery
 * refused until the cash in advance is recorded and confirmed (R13) → the rest delivered, never more
 * than is left → finance books the first delivery only on its signed receipt (R22) → a complaint, a
 * return QA confirms (R15) and the account adjustment finance and CS sign; the 合同台帐 after each.
 */
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { actionDialog as dialog, chooseUser, confirmDialog, disposePc, DocPage, explainOnFailure, openFromList, openMenu, openPc, pickInDialog, signIn, todayIso, type Pc } from './support/office'
import { dateInDialog, expectLedger, savedNumber, signedCopyBack } from './support/story'

/** The demo's trading customer (seed.ts: 美达, `traded`, 账期 60 天). */
const CUSTOMER = '佛山市美达电器有限公司'
// Two lines; worked by hand: 2000 × 23.80 = 47,600.00 and 1000 × 12.65 = 12,650.00 → ¥60,250.00.
const LINES = [
  { 品名: '阻燃PC/ABS合金', 规格型号: 'HT-8130 黑色 UL94 V-0', 数量: '2000', 含税单价: '23.80' },
  { 品名: '玻纤增强PP', 规格型号: 'HT-PP30G 本色 30%GF', 数量: '1000', 含税单价: '12.65' },
]
const CONTRACT_TOTAL = '60,250.00'
// First delivery: 1200 × 23.80 = 28,560.00 + 400 × 12.65 = 5,060.00 → 33,620.00; the rest
// 800 × 23.80 = 19,040.00 + 600 × 12.65 = 7,590.00 → 26,630.00.
const FIRST = '33,620.00'
const REST = '26,630.00'
// The return: 200 kg of the first line, 200 × 23.80 = 4,760.00.
const RETURNED = '4,760.00'

/** `SHOTS=docs npx playwright test e2e/order-story.spec.ts` also saves the screenshots docs/ shows. */
async function shot(page: Page, name: string): Promise<void> {
  if (!process.env.SHOTS) return
  // The 已保存 / 已会签 notes fade after 3 s: not over the heading in the picture.
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 10_000 })
  await page.screenshot({ path: path.join(process.env.SHOTS, name), fullPage: false })
}

let pc: Pc
test.beforeAll(async () => {
  pc = await openPc()
  // No click or fill may wait out the whole story's time limit.
  pc.context.setDefaultTimeout(20_000)
})
test.afterAll(async () => { await disposePc(pc) })


test('order to delivery: contract review, signed copy, production, delay, deliveries, payment, receipt, complaint, return, adjustment', async () => {
  test.setTimeout(600_000)
  const { page } = pc
  const doc = new DocPage(page)
  // A clerk's usual screen: the screenshots must read at this width.
  await page.setViewportSize({ width: 1366, height: 768 })
  const step = (title: string, body: () => Promise<void>) => test.step(title, () => explainOnFailure({ pc: page }, body))

  let quotationNo = ''
  let contractNo = ''
  let noticeNo = ''
  let firstNo = ''
  let returnNo = ''

  await step('李强 quotes the trading customer; 陈志远 核准', async () => {
    await signIn(page, '李强')
    await openMenu(page, '报价单')
    await page.getByRole('button', { name: '新建报价单' }).click()
    await doc.choose('customer', CUSTOMER, '美达')
    await doc.choose('salesperson', '李强')
    for (const [i, l] of LINES.entries()) {
      await doc.addLine()
      await doc.fillLine(i, l)
    }
    await expect(doc.field('grandTotal').getByRole('textbox')).toHaveValue(CONTRACT_TOTAL)
    // The customer's own terms come with it: 账期 60 天.
    await expect(doc.field('paymentMethod')).toContainText('账期')
    await doc.fill('交易方式', '送货上门')
    await doc.fill('交货地点', '佛山市顺德区北滘镇美达电器仓库')
    await doc.fill('包装运输', '25kg/袋，汽运')
    await doc.fill('品质要求', '按双方确认的样品及色卡，UL94 V-0，符合 RoHS')
    await doc.save()
    await savedNumber(page, 'BJ')
    quotationNo = await doc.number()
    await doc.act('提交审批')
    await expect(doc.state).toHaveText('待审批')

    await chooseUser(page, '陈志远')
    await openFromList(page, '报价单', quotationNo)
    await doc.act('核准', '价格已核，同意')
    await expect(doc.state).toHaveText('已核准')
  })

  await step('李强 makes the contract from it: pre-filled; 款到发货 differs from the quotation (R12), a special environmental agreement', async () => {
    await chooseUser(page, '李强')
    await openFromList(page, '报价单', quotationNo)
    await page.getByRole('button', { name: /^生成销售合同/ }).click()
    await expect(doc.title).toContainText('新建销售合同')
    await expect(doc.field('customer')).toContainText(CUSTOMER)
    await expect(doc.field('quotation')).toContainText(quotationNo)
    await expect(page.getByLabel('品名 1', { exact: true })).toHaveValue(LINES[0]!.品名)
    await expect(page.getByLabel('品名 2', { exact: true })).toHaveValue(LINES[1]!.品名)
    await expect(doc.field('totalAmount').getByRole('textbox')).toHaveValue(CONTRACT_TOTAL)
    await expect(page.getByLabel('交货地点', { exact: true })).toHaveValue('佛山市顺德区北滘镇美达电器仓库')
    const compare = page.getByTestId('terms-compare')
    await expect(compare).toContainText('交易条件与报价单约定一致')

    await doc.choose('paymentMethod', '款到发货')
    const diff = compare.getByRole('table')
    await expect(diff.getByRole('row').first()).toContainText(/条款\s*报价单约定\s*本单/)
    await expect(diff.getByRole('row').filter({ hasText: '付款方式' })).toContainText(/付款方式\s*账期\s*款到发货/)
    await expect(compare).toContainText('依据 §5.6.3（R12）')

    // Element Plus hides the native box: the clerk clicks the drawn one.
    await doc.field('envAgreement').locator('.el-checkbox').click()
    await expect(page.getByRole('checkbox', { name: '有特殊环保协议' })).toBeChecked()
    await doc.fill('环保要求', '无卤；RoHS 2.0；REACH SVHC 235 项')
    await doc.fill('客户订单号', 'MD-PO-2611-088')
    await doc.save()
    await savedNumber(page, 'HT')
    contractNo = await doc.number()
    await expect(diff.getByRole('row').filter({ hasText: '付款方式' })).toContainText('款到发货')

    // Without the re-agreement written down, the review is refused (R12).
    await doc.act('提交合同评审')
    await expect(doc.blocked).toContainText('请在“重新协商说明”中写明与客户重新协商的结果')
    await expect(doc.blocked).toContainText('依据 §5.6.3（R12）')
    await expect(doc.state).toHaveText('草稿')
    await doc.fill('重新协商说明（R12）', '客户 10 月起改为款到发货（何俊 11 月 2 日电话确认），单价不变。')
    await doc.save()
    await expect(page.getByText('已保存').last()).toBeVisible()
    await page.getByTestId('terms-compare').scrollIntoViewIfNeeded()
    await shot(page, 'contract-terms.png')
    await doc.act('提交合同评审')
    await expect(doc.state).toHaveText('合同评审（会签）')
    const cs = page.getByTestId('countersign')
    for (const m of ['营销部负责人确认条款变更（R12）', '品质部确认环保协议', '研发确认环保协议', '营销部确认环保协议', '营销总监或以上批准（R11）']) {
      await expect(cs).toContainText(`○ ${m}：待签`)
    }
  })

  await step('the countersign: marketing head (terms, env.), QA, R&D, then the director approves', async () => {
    await chooseUser(page, '王海燕')
    await openFromList(page, '销售合同', contractNo)
    await doc.act('会签：营销部负责人确认条款变更（R12）', '已与客户重新协商，同意款到发货')
    await doc.act('会签：营销部确认环保协议', '')
    const cs = page.getByTestId('countersign')
    await expect(cs).toContainText('✓ 营销部负责人确认条款变更（R12）：王海燕')
    await expect(cs).toContainText('✓ 营销部确认环保协议：王海燕')
    await chooseUser(page, '郑秀英')
    await openFromList(page, '销售合同', contractNo)
    await doc.act('会签：品质部确认环保协议', '无卤及 RoHS 2.0 可检测')
    await chooseUser(page, '周伟')
    await openFromList(page, '销售合同', contractNo)
    await doc.act('会签：研发确认环保协议', '配方符合，无需调整')
    await expect(doc.state).toHaveText('合同评审（会签）')
    await expect(page.getByTestId('countersign')).toContainText('○ 营销总监或以上批准（R11）：待签')
    await chooseUser(page, '陈志远')
    await openFromList(page, '销售合同', contractNo)
    await doc.act('会签：营销总监或以上批准（R11）', '')
    await expect(doc.state).toHaveText('已批准，待客户签回')
  })

  await step('the contract printed, its signed scan imported: 客户已签回', async () => {
    await chooseUser(page, '张敏')
    await openFromList(page, '销售合同', contractNo)
    await expect(await signedCopyBack(pc, contractNo)).toContainText('已标记为客户已签回')
    await openFromList(page, '销售合同', contractNo)
    await expect(doc.state).toHaveText('客户已签回')
  })

  await step('production notice: issued, scheduled 3 days out, replied; due this week in the inbox (R14)', async () => {
    await openFromList(page, '销售合同', contractNo)
    await page.getByRole('button', { name: '生成生产通知单' }).click()
    await expect(doc.title).toContainText('新建生产通知单')
    await expect(doc.field('contract')).toContainText(contractNo)
    await expect(page.getByLabel('品名 1', { exact: true })).toHaveValue(LINES[0]!.品名)
    await expect(page.getByLabel('环保要求', { exact: true })).toHaveValue('无卤；RoHS 2.0；REACH SVHC 235 项')
    await doc.save()
    await savedNumber(page, 'SC')
    noticeNo = await doc.number()
    await doc.act('下达生产')
    await expect(doc.state).toHaveText('已下达，待排产')

    await chooseUser(page, '黄丽')
    await openFromList(page, '生产通知', noticeNo)
    await doc.button('排产并给出交期').click()
    await dateInDialog(page, '生产承诺交期', todayIso(3))
    await dialog(page).getByLabel('生产安排说明', { exact: true }).fill('2 号线，连续生产 2 天')
    await confirmDialog(page)
    await expect(doc.state).toHaveText('已排产，待回复客户')
    await expect(doc.field('promisedDate').locator('input')).toHaveValue(todayIso(3))

    await chooseUser(page, '张敏')
    await openFromList(page, '生产通知', noticeNo)
    await doc.button('已回复客户交期').click()
    await dateInDialog(page, '交期回复客户日期', todayIso())
    await dialog(page).getByLabel('回复方式 / 客户意见', { exact: true }).fill('电话告知何俊，客户同意')
    await confirmDialog(page)
    await expect(doc.state).toHaveText('已回复交期')
    await openMenu(page, '待办')
    const row = page.locator('table.inbox tr').filter({ hasText: noticeNo })
    await expect(row.getByTestId('due')).toContainText('3 天后到期')
    await expect(row.getByTestId('due')).toContainText('依据 §5.7.2（R14）')
  })

  await step('a late delivery: the delay notice first, acknowledged; only then is the date moved (R14)', async () => {
    await openFromList(page, '生产通知', noticeNo)
    await page.getByRole('button', { name: '生成交期延误通知' }).click()
    await expect(doc.field('productionNotice')).toContainText(noticeNo)
    await expect(doc.field('originalDate').locator('input')).toHaveValue(todayIso(3))
    await doc.fillDate('预计交期', todayIso(10))
    await doc.fill('延误原因', '阻燃剂供应商到货延迟 6 天，2 号线停线待料')
    await doc.fill('补救措施', '到料后加班生产，分两批发货')
    await doc.save()
    await savedNumber(page, 'YW')
    await doc.button('已通知客户').click()
    await pickInDialog(page, 'notifiedVia', '电话')
    await dialog(page).getByLabel('客户接收人', { exact: true }).fill('何俊')
    await confirmDialog(page)
    await expect(doc.state).toHaveText('已通知客户，待业务员确认')
    const delayNo = await doc.number()

    await chooseUser(page, '李强')
    await openFromList(page, '交期延误', delayNo)
    await doc.act('业务员已知悉')
    await expect(doc.state).toHaveText('业务员已知悉')

    await chooseUser(page, '黄丽')
    await openFromList(page, '生产通知', noticeNo)
    // A date the customer was not told is refused.
    await doc.button('改期').click()
    await dateInDialog(page, '生产承诺交期', todayIso(12))
    await dialog(page).getByLabel('生产安排说明', { exact: true }).fill('到料后排 2 号线')
    await dialog(page).getByRole('button', { name: '确定', exact: true }).click()
    await expect(doc.blocked).toContainText(`新交期 ${todayIso(12)} 还没有通知客户`)
    await expect(doc.blocked).toContainText('依据 §5.7.2（R14）')
    await expect(doc.field('promisedDate').locator('input')).toHaveValue(todayIso(3))
    await doc.button('改期').click()
    await dateInDialog(page, '生产承诺交期', todayIso(10))
    await dialog(page).getByLabel('生产安排说明', { exact: true }).fill('到料后排 2 号线')
    await confirmDialog(page)
    await expect(doc.blocked).toHaveCount(0)
    await expect(doc.state).toHaveText('已排产，待回复客户')
    await expect(doc.field('promisedDate').locator('input')).toHaveValue(todayIso(10))
  })

  await step('a partial delivery is refused until the money is in (R13); recorded, confirmed, shipped', async () => {
    await chooseUser(page, '张敏')
    await openFromList(page, '销售合同', contractNo)
    await page.getByRole('button', { name: '生成发货单' }).click()
    await expect(doc.title).toContainText('新建发货单')
    await expect(page.getByLabel('数量 1', { exact: true })).toHaveValue(/^2,?000/)
    await doc.fillLine(0, { 数量: '1200', 批号: 'B2611-07' })
    await doc.fillLine(1, { 数量: '400', 批号: 'B2611-09' })
    await doc.fill('物流公司', '德邦物流')
    await doc.fill('运单号 / 车牌', 'DPK2611 0457 3321')
    await doc.save()
    await savedNumber(page, 'FH')
    firstNo = await doc.number()
    await expect(doc.field('totalAmount').getByRole('textbox')).toHaveValue(FIRST)
    await doc.act('确认发货出库')
    await expect(doc.blocked).toContainText('款到发货')
    await expect(doc.blocked).toContainText(`还差 ¥${FIRST}`)
    await expect(doc.blocked).toContainText('依据 §5.7.1（R13）')
    await expect(doc.state).toHaveText('待发货')

    await openFromList(page, '销售合同', contractNo)
    await page.getByRole('button', { name: '生成收款登记' }).click()
    await expect(doc.field('customer')).toContainText(CUSTOMER)
    await expect(doc.field('contract')).toContainText(contractNo)
    await expect(doc.field('method')).toContainText('电汇')
    await doc.fill('收款金额', '60250.00')
    await doc.fill('票号 / 流水号', 'ICBC 2611 0930 5521')
    await doc.fill('付款单位', CUSTOMER)
    await doc.save()
    await savedNumber(page, 'SK')
    await expect(doc.state).toHaveText('待财务确认')
    const paymentNo = await doc.number()

    await chooseUser(page, '林静')
    await openFromList(page, '收款登记', paymentNo)
    await doc.act('财务确认收款')
    await expect(doc.state).toHaveText('财务已确认')

    await chooseUser(page, '张敏')
    await openFromList(page, '发货单', firstNo)
    await doc.act('确认发货出库')
    await expect(doc.blocked).toHaveCount(0)
    await expect(doc.state).toHaveText('已发货，待签收')
    await expectLedger(page, contractNo, { 合同金额: CONTRACT_TOTAL, 已发货: FIRST, 未发货: REST, 已收款: CONTRACT_TOTAL })
  })

  await step('the second delivery: never more than is left on the contract, then exactly the rest', async () => {
    await openFromList(page, '销售合同', contractNo)
    await page.getByRole('button', { name: '生成发货单' }).click()
    await doc.fillLine(0, { 数量: '900', 批号: 'B2611-15' })
    await doc.fillLine(1, { 数量: '600', 批号: 'B2611-16' })
    await doc.fill('物流公司', '德邦物流')
    await doc.fill('运单号 / 车牌', 'DPK2611 0461 0087')
    await doc.save()
    await savedNumber(page, 'FH')
    await doc.act('确认发货出库')
    await expect(doc.blocked).toContainText('合同 2000 kg，已发 1200 kg，本次最多 800 kg，本单填了 900 kg')
    await expect(doc.state).toHaveText('待发货')
    await doc.fillLine(0, { 数量: '800' })
    await doc.save()
    await expect(doc.field('totalAmount').getByRole('textbox')).toHaveValue(REST)
    await doc.act('确认发货出库')
    await expect(doc.state).toHaveText('已发货，待签收')
    await expectLedger(page, contractNo, { 已发货: CONTRACT_TOTAL, 未发货: '0.00' })
  })

  await step('finance books the first delivery only on its signed receipt (R22)', async () => {
    await chooseUser(page, '林静')
    await openFromList(page, '发货单', firstNo)
    await doc.act('财务入账')
    await expect(doc.blocked).toContainText('还没有签收单')
    await expect(doc.blocked).toContainText('依据 [A] 8（R22）')
    await expect(doc.state).toHaveText('已发货，待签收')

    await chooseUser(page, '张敏')
    await openFromList(page, '发货单', firstNo)
    await page.getByRole('button', { name: '生成签收单' }).click()
    await expect(doc.field('delivery')).toContainText(firstNo)
    await expect(page.getByLabel('数量 1', { exact: true })).toHaveValue(/^1,?200/)
    await doc.save()
    await savedNumber(page, 'QS')
    await expect(doc.state).toHaveText('待客户签收')
    const receiptNo = await doc.number()
    await signedCopyBack(pc, receiptNo)
    await openFromList(page, '签收单', receiptNo)
    await expect(doc.state).toHaveText('客户已签收')

    await chooseUser(page, '林静')
    await openFromList(page, '发货单', firstNo)
    await doc.act('财务入账')
    await expect(doc.state).toHaveText('已签收入账')
    await expectLedger(page, contractNo, { 已签收入账: FIRST, 未发货: '0.00' })
  })

  await step('a complaint, a return QA confirms (R15) and the adjustment finance and CS sign; the ledger adds it up', async () => {
    await chooseUser(page, '张敏')
    await openFromList(page, '发货单', firstNo)
    await page.getByRole('button', { name: '生成客诉处理单' }).click()
    await expect(doc.field('delivery')).toContainText(firstNo)
    await expect(page.getByLabel('涉及产品 / 批号', { exact: true })).toHaveValue(/阻燃PC\/ABS合金.*批号 B2611-07/)
    // The section is titled 客诉内容 too: the field by its place.
    await doc.field('description').getByRole('textbox').fill('批号 B2611-07 注塑件表面有黑点，不良率约 4%，客户要求退回 200 kg')
    await doc.save()
    await savedNumber(page, 'KS')
    const complaintNo = await doc.number()
    await doc.act('报品质部')
    await expect(doc.state).toHaveText('已报品质部')

    await chooseUser(page, '郑秀英')
    await openFromList(page, '客诉处理', complaintNo)
    await doc.button('原因分析与处理方案').click()
    await dialog(page).getByLabel('原因分析', { exact: true }).fill('过滤网破损，黑点为碳化料；留样复检确认')
    await dialog(page).getByLabel('处理方案', { exact: true }).fill('该批退回 200 kg，更换过滤网，加严外观抽检')
    await pickInDialog(page, 'outcome', '退货')
    await confirmDialog(page)
    await expect(doc.state).toHaveText('联络记录抄送中')

    await chooseUser(page, '林静')
    await openFromList(page, '客诉处理', complaintNo)
    await doc.act('会签：财务部阅知', '')
    await chooseUser(page, '张敏')
    await openFromList(page, '客诉处理', complaintNo)
    await doc.act('会签：客服部阅知', '')
    await expect(doc.state).toHaveText('改善跟进中')

    // The return from the complaint: its delivery and contract come with it; part of the goods.
    await page.getByRole('button', { name: '生成退货单' }).click()
    await expect(doc.field('complaint')).toContainText(complaintNo)
    await expect(doc.field('delivery')).toContainText(firstNo)
    await expect(doc.field('contract')).toContainText(contractNo)
    await doc.addLine()
    await doc.fillLine(0, { 品名: LINES[0]!.品名, 规格型号: LINES[0]!.规格型号, 批号: 'B2611-07', 数量: '200' })
    await doc.save()
    await savedNumber(page, 'TH')
    returnNo = await doc.number()
    await expect(doc.field('totalAmount').getByRole('textbox')).toHaveValue(RETURNED)
    await doc.act('提交品质部确认')
    await expect(doc.state).toHaveText('待品质部确认')
    // CS cannot confirm a return: only QA (R15).
    await expect(doc.button('品质部确认退货')).toHaveCount(0)

    await chooseUser(page, '郑秀英')
    await openFromList(page, '退货单', returnNo)
    await doc.act('品质部确认退货', '同意退回 200 kg')
    await expect(doc.state).toHaveText('品质部已确认，待收货')

    await chooseUser(page, '张敏')
    await openFromList(page, '退货单', returnNo)
    await doc.act('退货已收回入库')
    await expect(doc.state).toHaveText('已收回入库')
    await page.getByRole('button', { name: '生成账款调整单' }).click()
    await expect(doc.field('salesReturn')).toContainText(returnNo)
    await expect(doc.field('kind')).toContainText('退货冲减')
    await expect(page.getByLabel('调减应收金额', { exact: true })).toHaveValue(/^4,?760\.00$/)
    await doc.save()
    await savedNumber(page, 'TZ')
    const adjustmentNo = await doc.number()
    await doc.act('提交会签')
    await expect(doc.state).toHaveText('财务、客服会签')
    await doc.act('会签：客服部确认', '')
    await chooseUser(page, '林静')
    await openFromList(page, '账款调整', adjustmentNo)
    await doc.act('会签：财务部确认', '')
    await expect(doc.state).toHaveText('已确认调整')

    // Paid in full, 200 kg came back: nothing is owed, the return's value is the customer's credit.
    await expectLedger(page, contractNo, {
      合同号: `${contractNo}\n客户已签回`, 合同金额: CONTRACT_TOTAL, 已发货: CONTRACT_TOTAL, 已签收入账: FIRST, 未发货: '0.00',
      已收款: CONTRACT_TOTAL, 调整: RETURNED, 应收余额: '0.00', 预收余额: RETURNED,
    })
    await shot(page, 'contract-ledger.png')
  })
})
