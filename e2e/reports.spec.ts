/**
 * The receivable reports (issue 10) on one office PC: finance (林静) opens 账龄分析 over the demo
 * office's receivables, switches to 按业务员, opens the deliveries behind a figure; the inbox flags
 * the overdue ones with R23's step and its basis; 回款与信用分析 flags a customer over its limit.
 *
 * The receivables (contracts, booked deliveries, confirmed payments, an opening balance) are written
 * straight into the profile's IndexedDB, as the trust spec writes its forged rows: the order story
 * already drives those documents through their screens, and the reports only read them.
 * `SHOTS=docs npx playwright test e2e/reports.spec.ts` also saves docs/ageing.png at 1366×768.
 */
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { disposePc, openMenu, openPc, signIn, todayIso, type Pc } from './support/office'

const HUAXING = '5e1f0a10-0000-4000-8000-000000000101'
const MEIDA = '5e1f0a10-0000-4000-8000-000000000102'
const LI_QIANG = '5e1f0a10-0000-4000-8000-000000000002'

let pc: Pc
test.beforeAll(async () => {
  pc = await openPc()
  pc.context.setDefaultTimeout(10_000)
})
test.afterAll(async () => { await disposePc(pc) })

interface Row { id: string; form: string; number: string; state: string; values: Record<string, unknown> }

/**
 * Writes documents into the `docs` store, shaped like the stored 华兴 record (index fields included).
 * Past the data layer, so without a local stamp: the lists' kept digests are dropped in the same
 * transaction (as the data layer's own hard writes do), and the caller reloads the page, so that the
 * in-memory digest the start page built is rebuilt with them.
 */
async function putDocs(page: Page, rows: Row[], opening: Record<string, unknown>): Promise<void> {
  await page.evaluate(async ({ rows, opening, huaxing, meida }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('marketdesk'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
    const get = (id: string) => new Promise<Record<string, unknown>>((resolve, reject) => { const r = db.transaction('docs').objectStore('docs').get(id); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
    const template = await get(huaxing)
    const m = await get(meida)
    const tx = db.transaction(['docs', 'digests'], 'readwrite')
    tx.objectStore('digests').clear()
    const store = tx.objectStore('docs')
    delete template.localSeq
    delete m.localSeq
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    for (const r of rows) {
      const refs = Object.entries(r.values).filter(([, v]) => typeof v === 'string' && uuid.test(v)).map(([k, v]) => `${r.form}:${k}=${String(v).toLowerCase()}`)
      store.put({ ...template, ...r, searchWords: [], refs })
    }
    store.put({ ...m, values: { ...(m.values as object), ...opening } })
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error) })
    db.close()
  }, { rows, opening, huaxing: HUAXING, meida: MEIDA })
}

const id = (n: number) => `7e2e0a10-0000-4000-8000-${String(n).padStart(12, '0')}`
const contract = (n: number, customer: string, creditDays: number, total: number): Row => ({
  id: id(n), form: 'contract', number: `HT2608-A7-00${n}`, state: 'signed',
  values: { customer, salesperson: LI_QIANG, signDate: todayIso(-200), paymentMethod: 'credit', creditDays, totalAmount: total },
})
const delivery = (n: number, c: number, customer: string, daysAgo: number, amount: number): Row => ({
  id: id(n), form: 'delivery', number: `FH2608-A7-00${n}`, state: 'booked', values: { contract: id(c), customer, shipDate: todayIso(-daysAgo), totalAmount: amount },
})

test('账龄分析, 逾期应收 in the inbox (R23) and 回款与信用分析 ([A] 5)', async () => {
  const page = pc.page
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto('/')
  await signIn(page, '林静')
  // 华兴 on 30 days: shipped 20 (not due), 45 (15 late), 95 (65 late) and 130 days ago (100 late), ¥5,000.00 paid;
  // 美达 on 60 days: shipped 100 days ago (40 late), and an opening balance from 200 days ago over its ¥10,000.00 limit.
  await putDocs(page, [
    contract(11, HUAXING, 30, 50_000_00), contract(12, MEIDA, 60, 30_000_00),
    delivery(21, 11, HUAXING, 20, 8_000_00), delivery(22, 11, HUAXING, 45, 6_000_00), delivery(23, 11, HUAXING, 95, 12_000_00),
    delivery(24, 11, HUAXING, 130, 9_000_00), delivery(25, 12, MEIDA, 100, 15_000_00),
    { id: id(31), form: 'payment', number: 'SK2608-A7-0031', state: 'confirmed', values: { contract: id(11), customer: HUAXING, kind: 'goods', receivedDate: todayIso(-60), amount: 5_000_00, method: 'wire' } },
  ], { openingBalance: 4_500_00, openingDate: todayIso(-200), creditLimit: 10_000_00 })
  await page.reload()
  await signIn(page, '林静')

  await openMenu(page, '账龄分析')
  await expect(page.getByRole('heading', { name: '应收账款账龄分析' })).toBeVisible()
  const table = page.getByTestId('ageing')
  const huaxing = table.getByRole('row').filter({ hasText: '深圳华兴塑胶制品有限公司' })
  // FIFO: the ¥5,000.00 came off the oldest (130 days): 4,000.00 left of it over 90 days.
  await expect(huaxing).toContainText('4,000.00')
  await expect(huaxing).toContainText('30,000.00')
  await expect(table.getByRole('row').filter({ hasText: '佛山市美达电器有限公司' })).toContainText('19,500.00')
  if (process.env.SHOTS) await page.screenshot({ path: path.join(process.env.SHOTS, 'ageing.png'), fullPage: false })

  // The figure opens the deliveries behind it.
  await huaxing.getByRole('button', { name: '12,000.00' }).click()
  const detail = page.getByRole('dialog')
  await expect(detail).toContainText('FH2608-A7-0023')
  await expect(detail).toContainText('65')
  await detail.getByRole('button', { name: /关闭|Close/ }).click()
  await expect(detail).toBeHidden()

  await page.getByRole('radio', { name: '按业务员' }).click({ force: true })
  await expect(table.getByRole('row').filter({ hasText: '李强' })).toContainText('45,000.00')

  await openMenu(page, '待办')
  const overdue = page.getByRole('region', { name: '逾期应收' })
  await expect(overdue).toContainText('逾期 100 天：建议法律诉讼')
  await expect(overdue).toContainText('逾期 65 天：抵扣提成')
  await expect(overdue).toContainText(/逾期 40 天：按月 0\.5% 计息 ¥\d/)
  await expect(overdue).toContainText('依据 [A] 5（R23）')

  await openMenu(page, '回款与信用分析')
  const credit = page.getByTestId('credit')
  await expect(credit.getByRole('row').filter({ hasText: '佛山市美达电器有限公司' })).toContainText('超额')
})
