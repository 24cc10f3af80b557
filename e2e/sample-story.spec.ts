/**
 * The sample stage on one office PC, by the roles involved (issue 8): a new customer → the R1
 * banner's 新建评估表, pre-filled from the customer → 开发 → a sample application made from the
 * evaluation (a free 10 kg sample: the marketing manager is asked in the countersign) →
 * feasibility with an assigned engineer who replies the lead time → dispatch → the R5 item due in
 * the inbox → 31 days later the R6 block stops the salesperson's next application until the
 * written explanation is filed → the confirmation printed, its signed scan imported and matched, the
 * signed colour card uploaded → the quotation made from it carries its customer and products.
 */
import path from 'node:path'
import { writeFile } from 'node:fs/promises'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { actionDialog as dialog, chooseUser, confirmDialog, disposePc, DocPage, ImportView, openFromList, openMenu, openPc, pickInDialog, signIn, todayIso, type Pc } from './support/office'
import { makeScans } from './support/scans'

const CUSTOMER = '苏州明辉光电科技有限公司'
const ADDRESS = '江苏省苏州市吴中区木渎镇金枫南路 1258 号'
const PRODUCT = 'PC 阻燃扩散料 PC-FR115D'

/** `SHOTS=docs npx playwright test e2e/sample-story.spec.ts` also saves the screenshots docs/ shows. */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SHOTS) await page.screenshot({ path: path.join(process.env.SHOTS, name), fullPage: false })
}

let pc: Pc
test.beforeAll(async () => { pc = await openPc() })
test.afterAll(async () => { await disposePc(pc) })


test('the sample stage: evaluation, countersign, feasibility, dispatch, R5/R6, signed confirmation, quotation', async () => {
  test.setTimeout(420_000)
  const { page } = pc
  const doc = new DocPage(page)
  let shipmentNo = ''
  let confirmationNo = ''

  await test.step('张敏 of CS records the new customer (新客户) with its contact and 业务员', async () => {
    await signIn(page, '张敏')
    await openMenu(page, '客户')
    await page.getByRole('button', { name: '新建客户' }).click()
    await doc.fill('客户全称', CUSTOMER)
    await doc.fill('地址', ADDRESS)
    await doc.fill('电话', '0512-6651 0928')
    await doc.fill('负责人', '周建华')
    await doc.choose('industry', '照明')
    await doc.choose('scale', '20–99人')
    await doc.choose('salesperson', '李强')
    await doc.addLine()
    await doc.fillLine(0, { 姓名: '周建华', 职务: '采购经理', 电话: '138 1234 5678' })
    await doc.save()
    await expect(doc.title).toContainText(/客户 KH/)
  })

  await test.step('李强 starts a sample application from the customer: R1 is shown at once, with 新建客户资料评估表', async () => {
    await chooseUser(page, '李强')
    await openFromList(page, '客户', CUSTOMER)
    await page.getByRole('button', { name: '新建样品申请单' }).click()
    const banner = page.getByTestId('pick-problem')
    await expect(banner).toContainText('新客户须先填写《客户资料评估表》')
    await expect(banner).toContainText('依据 §5.1（R1）')
    await banner.getByRole('button', { name: '新建客户资料评估表' }).click()
    // Leaving the unsaved application: the page asks first.
    const leave = page.getByRole('dialog')
    if (await leave.isVisible().catch(() => false)) await leave.getByRole('button', { name: /离开|确定/ }).click()
    await expect(page.getByTestId('doc-title')).toContainText('新建客户资料评估表')
    // Pre-filled from the customer: nothing typed twice.
    await expect(page.getByLabel('地址', { exact: true })).toHaveValue(ADDRESS)
    await expect(page.getByLabel('负责人', { exact: true })).toHaveValue('周建华')
    await expect(page.getByLabel('电话', { exact: true })).toHaveValue('0512-6651 0928')
    await expect(doc.field('salesperson')).toContainText('李强')
    await doc.fill('需求产品（材料/牌号）', PRODUCT)
    await doc.fill('业务员评估意见', '照明行业二级供应商，月用量 10–15 吨，现用进口料价高，建议开发。')
    await doc.save()
    await expect(doc.title).toContainText(/客户资料评估表 PG/)
    await doc.act('提交评估')
    await expect(doc.state).toHaveText('待营销部负责人评估')
  })

  await test.step('王海燕 decides 开发', async () => {
    await chooseUser(page, '王海燕')
    await openFromList(page, '客户评估', CUSTOMER)
    await doc.act('决定开发', '同意开发')
    await expect(doc.state).toHaveText('开发')
  })

  await test.step('李强 makes the sample application from the evaluation: a free 10 kg sample', async () => {
    await chooseUser(page, '李强')
    await openFromList(page, '客户评估', CUSTOMER)
    await page.getByRole('button', { name: '生成样品申请单' }).click()
    await expect(doc.title).toContainText('新建样品申请单')
    await expect(doc.field('customer')).toContainText(CUSTOMER)
    await expect(page.getByTestId('pick-problem')).toHaveCount(0)
    await expect(page.getByLabel('品名 / 牌号 1', { exact: true })).toHaveValue(PRODUCT)
    await doc.fillLine(0, { 数量: '10' })
    await doc.fill('性能要求', '透光率 ≥ 55%，缺口冲击 ≥ 8kJ/m²')
    await doc.save()
    await expect(doc.title).toContainText(/样品申请单 YP/)
    await expect(doc.field('totalKg').locator('input')).toHaveValue('10.000')
    await doc.act('提交审批')
    await expect(doc.state).toHaveText('审批中（会签）')
    // 10 kg counts as "10公斤以上": the manager is among the members (R3).
    await expect(page.getByTestId('countersign')).toContainText('营销经理核准（免费样品 10kg 以上）：待签')
  })

  await test.step('the countersign: the head and the director sign, the manager is still asked, then signs', async () => {
    await chooseUser(page, '王海燕')
    await openFromList(page, '样品台帐', CUSTOMER)
    await doc.act('会签：营销部负责人审核', '')
    await expect(doc.state).toHaveText('审批中（会签）')
    await chooseUser(page, '陈志远')
    await openFromList(page, '样品台帐', CUSTOMER)
    await doc.act('会签：营销总监签核', '')
    await expect(doc.state).toHaveText('审批中（会签）')
    const cs = page.getByTestId('countersign')
    await expect(cs).toContainText('✓ 营销部负责人审核：王海燕')
    await expect(cs).toContainText('✓ 营销总监签核：陈志远')
    await expect(cs).toContainText('○ 营销经理核准（免费样品 10kg 以上）：待签')
    await shot(page, 'sample-countersign.png')
    await chooseUser(page, '赵磊')
    // The manager's inbox lists it with his sign-off.
    await expect(page.locator('table.inbox')).toContainText(CUSTOMER)
    await expect(page.locator('table.inbox')).toContainText('会签：营销经理核准')
    await openFromList(page, '样品台帐', CUSTOMER)
    await doc.act('会签：营销经理核准（免费样品 10kg 以上）', '同意免费送样')
    await expect(doc.state).toHaveText('技术可行性评估')
  })

  await test.step('孙立新 judges it feasible and assigns 周伟, who replies the lead time', async () => {
    await chooseUser(page, '孙立新')
    await openFromList(page, '样品台帐', CUSTOMER)
    await doc.button('可行，指派研发工程师').click()
    await pickInDialog(page, 'engineer', '周伟')
    await confirmDialog(page)
    await expect(doc.state).toHaveText('制样中（待回复交期）')
    await chooseUser(page, '周伟')
    await openFromList(page, '样品台帐', CUSTOMER)
    await doc.button('回复交期').click()
    const lead = todayIso(7)
    const input = dialog(page).getByLabel('样品交期', { exact: true })
    await input.fill(lead)
    await input.press('Enter')
    await confirmDialog(page)
    await expect(doc.state).toHaveText('已回复交期')
    await expect(doc.field('leadTime').locator('input')).toHaveValue(lead)
  })

  await test.step('张敏 ships it: the dispatch carries the customer and the samples', async () => {
    await chooseUser(page, '张敏')
    await openFromList(page, '样品台帐', CUSTOMER)
    await page.getByRole('button', { name: '生成样品发运单' }).click()
    await expect(doc.field('customer')).toContainText(CUSTOMER)
    await expect(page.getByLabel('品名 / 牌号 1', { exact: true })).toHaveValue(PRODUCT)
    await doc.fill('运输公司', '顺丰速运')
    await doc.fill('运单号', 'SF1402 3387 6651')
    await doc.save()
    await expect(doc.title).toContainText(/样品发运单 YF/)
    shipmentNo = await doc.number()
    await doc.act('确认发运')
    await expect(doc.state).toHaveText('已发运，待反馈')
    // The chain: evaluation → application → shipment.
    await page.getByRole('tab', { name: '单据链' }).click()
    const chain = page.getByTestId('doc-chain')
    await expect(chain.getByTestId('chain-customerEvaluation')).toBeVisible()
    await expect(chain.getByTestId('chain-sampleApplication')).toContainText('已回复交期')
    await expect(chain.getByTestId('chain-sampleShipment')).toContainText(shipmentNo)
    await shot(page, 'chain-panel.png')
  })

  await test.step('R5: the confirmation is due in 李强\'s inbox two weeks after dispatch', async () => {
    await chooseUser(page, '李强')
    const row = page.locator('table.inbox tr').filter({ hasText: shipmentNo })
    await expect(row.getByTestId('due')).toContainText('14 天后到期')
    await expect(row.getByTestId('due')).toContainText('依据 §5.4（R5）')
  })

  await test.step('31 days later: R6 is overdue, and 李强\'s next application for the customer is blocked until he explains', async () => {
    // The PC's clock moves on 31 days and keeps running (a fixed clock would stall every debounce).
    await page.clock.install({ time: new Date(Date.now() + 31 * 86_400_000) })
    await page.clock.resume()
    await page.reload()
    await signIn(page, '李强')
    const row = page.locator('table.inbox tr').filter({ hasText: shipmentNo })
    await expect(row.getByTestId('due')).toContainText('已逾期')
    await expect(row.getByTestId('due')).toContainText('R6')
    await shot(page, 'inbox-overdue.png')
    await openFromList(page, '客户', CUSTOMER)
    await page.getByRole('button', { name: '新建样品申请单' }).click()
    await expect(doc.field('customer')).toContainText(CUSTOMER)
    await expect(page.getByTestId('pick-problem')).toContainText('30 天仍无检验结果反馈')
    await doc.addLine()
    await doc.fillLine(0, { '品名 / 牌号': PRODUCT, 数量: '2' })
    await doc.save()
    await doc.act('提交审批')
    await expect(doc.blocked).toContainText(`${shipmentNo}`)
    await expect(doc.blocked).toContainText('依据 §5.4（R6）')
    await expect(doc.state).toHaveText('草稿')
    const second = page.url()

    await openFromList(page, '样品发运', shipmentNo)
    await doc.button('提交书面说明').click()
    await dialog(page).getByLabel('未反馈书面说明（R6）', { exact: true }).fill('客户产线停线检修，试料推迟至下月中旬，已与周建华确认。')
    await confirmDialog(page)
    await expect(doc.state).toHaveText('已提交书面说明')

    await page.goto(second)
    await expect(doc.state).toHaveText('草稿')
    await doc.act('提交审批')
    await expect(doc.state).toHaveText('审批中（会签）')
    // Nobody has signed yet: 李强 may still withdraw it.
    await doc.act('撤回')
    await expect(doc.state).toHaveText('草稿')
  })

  await test.step('the confirmation from the shipment, printed, signed scan imported and matched, colour card uploaded', async () => {
    await chooseUser(page, '李强')
    await openFromList(page, '样品发运', shipmentNo)
    await page.getByRole('button', { name: '生成样品性能确认表' }).click()
    await expect(doc.field('customer')).toContainText(CUSTOMER)
    await doc.fillLine(0, { 检测项目: '透光率（2mm）', 测试方法: 'ASTM D1003', 要求值: '≥ 55%', 实测值: '58.6%' })
    // Four drop-downs with the same options: each list is closed before the next one opens (a
    // closing list's 合格 would otherwise be the one clicked).
    for (const key of ['physical', 'processing', 'appearance', 'colourOk']) {
      await expect(page.getByRole('option', { name: /^合格$/ }).locator('visible=true')).toHaveCount(0)
      await doc.choose(key, /^合格$/)
    }
    await doc.save()
    await expect(doc.title).toContainText(/样品性能确认表 YQ/)
    confirmationNo = await doc.number()
    await doc.act('提交，打印给客户签字')
    await expect(doc.state).toHaveText('待客户签回')
    await doc.button('打印预览').click()
    const pdf = path.join(pc.documents, `${confirmationNo}.pdf`)
    await doc.savePdf(pc, pdf)
    const scans = await makeScans(pdf, pc.documents, `${confirmationNo}-signed`)

    await chooseUser(page, '张敏')
    const imp = new ImportView(pc)
    await imp.run([scans.pdf], 'files')
    await expect(imp.result(path.basename(scans.pdf))).toContainText(`已匹配单据 ${confirmationNo} 第 1 版`)
    await expect(imp.result(path.basename(scans.pdf))).toContainText('已标记为客户已签回')
    await openFromList(page, '样品确认', confirmationNo)
    await expect(doc.state).toHaveText('客户已签回')
    // The customer's signed colour card, scanned, uploaded to its own field.
    const card = path.join(pc.documents, '色卡签回-明辉.jpg')
    await writeFile(card, Buffer.from('ffd8ffe000104a46494600010101004800480000ffd9', 'hex'))
    await page.getByTestId('upload-colourCard').setInputFiles(card)
    await expect(doc.field('colourCard')).toContainText('色卡签回-明辉.jpg')
  })

  await test.step('the quotation made from the confirmation carries its customer and products', async () => {
    await chooseUser(page, '李强')
    await openFromList(page, '样品确认', confirmationNo)
    await page.getByRole('button', { name: '生成报价单' }).click()
    await expect(doc.title).toContainText('新建报价单')
    await expect(doc.field('customer')).toContainText(CUSTOMER)
    await expect(page.getByLabel('品名 1', { exact: true })).toHaveValue(PRODUCT)
    await expect(doc.field('sampleConfirmation')).toContainText(confirmationNo)
  })
})
