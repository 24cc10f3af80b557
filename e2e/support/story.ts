/**
 * Steps the clerk stories share (order-story, money-story, maintenance): dates in an action dialog,
 * the number of a document just saved, an internal memo approved, the 合同台帐 row of a contract, and
 * a document printed, signed by the customer and its scan imported.
 */
import path from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import { actionDialog, chooseUser, DocPage, ImportView, openFromList, openMenu, type Pc } from './office'
import { makeScans } from './scans'

/** Types a date into a field of the action dialog. */
export async function dateInDialog(page: Page, label: string, iso: string): Promise<void> {
  const input = actionDialog(page).getByLabel(label, { exact: true })
  await input.fill(iso)
  await input.press('Enter')
  await expect(input).toHaveValue(iso)
}

/**
 * After the first save: the page has moved to the saved document's address and its heading shows
 * the number (the page is mounted again there, and shows 新建… for a moment before it loads).
 */
export async function savedNumber(page: Page, prefix: string): Promise<string> {
  await expect(page).not.toHaveURL(/\/new(\?|$)/)
  const title = page.getByTestId('doc-title')
  await expect(title).toContainText(new RegExp(`${prefix}\\d{4}-`))
  return new DocPage(page).number()
}

/** What an internal memo (内部联络函) says: its subject, the step of the process it concerns (as offered), and the change. */
export interface MemoText { subject: string; toDepts: string; concerns: string; current: string; change: string; reason: string }

/**
 * An internal memo (R17) written on screen by the one signed in (张敏, 客服部), submitted, and approved
 * by 赵磊 (marketing manager); its number. Leaves 赵磊 signed in.
 */
export async function approvedMemo(page: Page, m: MemoText): Promise<string> {
  const doc = new DocPage(page)
  await openMenu(page, '内部联络函')
  await page.getByRole('button', { name: '新建内部联络函' }).click()
  await doc.fill('主题', m.subject)
  await doc.choose('applicant', '张敏')
  await doc.fill('发文部门', '客服部')
  await doc.fill('收文部门', m.toDepts)
  await doc.choose('concerns', m.concerns)
  await doc.fill('现行做法', m.current)
  await doc.fill('变更内容', m.change)
  await doc.fill('变更原因', m.reason)
  await doc.save()
  const memoNo = await savedNumber(page, 'LL')
  await doc.act('提交审批')
  await chooseUser(page, '赵磊')
  await openFromList(page, '内部联络函', memoNo)
  await doc.act('批准', '')
  await expect(doc.state).toHaveText('已批准')
  return memoNo
}

/** The 合同台帐 row of a contract, as column → text (read from the visible table). */
export async function ledgerRow(page: Page, number: string): Promise<Record<string, string>> {
  const table = page.getByTestId('ledger')
  const heads = await table.locator('.el-table__header-wrapper th').allInnerTexts()
  const row = table.locator('.el-table__body-wrapper tr').filter({ hasText: number }).first()
  const cells = await row.locator('td').allInnerTexts()
  return Object.fromEntries(heads.map((h, i) => [h.trim(), (cells[i] ?? '').trim()]))
}

/** Opens 合同台帐 and waits until the contract's row shows `want` (column → text). */
export async function expectLedger(page: Page, number: string, want: Record<string, string>): Promise<void> {
  await openMenu(page, '合同台帐')
  await expect(page).toHaveURL(/#\/report\/contracts$/)
  const cols = Object.keys(want)
  await expect.poll(async () => {
    const row = await ledgerRow(page, number)
    return Object.fromEntries(cols.map((c) => [c, row[c]]))
  }, { timeout: 10_000 }).toEqual(want)
}

/**
 * The open document printed (打印预览 → 保存PDF into the PC's Documents), the customer's signed copy
 * made from that PDF (scans.ts) and imported in 扫描件导入 (as whoever is signed in): resolves with
 * the import's result card once it says it matched `number`'s first version.
 */
export async function signedCopyBack(pc: Pc, number: string): Promise<Locator> {
  const doc = new DocPage(pc.page)
  await doc.button('打印预览').click()
  const pdf = path.join(pc.documents, `${number}.pdf`)
  await doc.savePdf(pc, pdf)
  const scans = await makeScans(pdf, pc.documents, `${number}-signed`)
  const imp = new ImportView(pc)
  await imp.run([scans.pdf], 'files')
  const result = imp.result(path.basename(scans.pdf))
  await expect(result).toContainText(`已匹配单据 ${number} 第 1 版`)
  return result
}

/** A document as the tests write it straight into a profile's IndexedDB (see `putDocs`). */
export interface StoredRow { id: string; form: string; number: string; state: string; values: Record<string, unknown>; createdAt?: string }

/**
 * Writes documents into the profile's `docs` store, shaped like the stored record `templateId` (a
 * demo customer), with the index fields the data layer keeps (`refs` from the values naming records).
 * For history a story only reads (a report, the dashboard): the stories drive such documents through
 * their screens elsewhere. Reload and sign in again afterwards so the lists' digest is rebuilt.
 */
export async function putDocs(page: Page, rows: StoredRow[], templateId: string): Promise<void> {
  await page.evaluate(async ({ rows, templateId }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('marketdesk'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
    const template = await new Promise<Record<string, unknown>>((resolve, reject) => { const r = db.transaction('docs').objectStore('docs').get(templateId); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
    // Written past the data layer, so without a local stamp: the lists' kept digests (schema v7) are
    // dropped in the same transaction, as the data layer's own hard writes do, and rebuilt on reload.
    const tx = db.transaction(['docs', 'digests'], 'readwrite')
    tx.objectStore('digests').clear()
    const store = tx.objectStore('docs')
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    for (const r of rows) {
      const refs = Object.entries(r.values).filter(([, v]) => typeof v === 'string' && uuid.test(v)).map(([k, v]) => `${r.form}:${k}=${String(v).toLowerCase()}`)
      const at = r.createdAt ?? (template.createdAt as string)
      const { localSeq: _stamp, ...base } = template
      store.put({ ...base, ...r, createdAt: at, updatedAt: at, searchWords: [], refs })
    }
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error) })
    db.close()
  }, { rows, templateId })
}
