/**
 * Backup and restore end to end (issue 7), in Chromium with the real main-process handlers: two
 * office PCs on one temp shared folder; B attaches a scan, works on with the share out of reach,
 * and writes an encrypted backup into its backup folder. B's profile is then lost: a NEW profile
 * refuses a damaged copy and a wrong password (nothing written), restores the good file from the
 * setup wizard, holds every record, line, audit entry and attachment (same hashes), joins the
 * vault under a new PC id (never B's), and A receives both the edit B never sent and its next one.
 */
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { disposePc, DocPage, explainOnFailure, ImportView, ListView, openMenu, openPc, signIn, type Pc } from './support/office'
import { pdfWithoutQr } from './support/scans'
import { sha256, SyncView, syncInTurn } from './support/sync-office'

const CUSTOMER = '东莞市恒通五金塑胶有限公司'
const PASSWORD = '备份密码-2026'

let shared: string
let backups: string
let a: Pc
let b: Pc
let c: Pc | undefined
test.beforeAll(async () => {
  shared = await mkdtemp(path.join(tmpdir(), 'desk-shared-backup-'))
  backups = await mkdtemp(path.join(tmpdir(), 'desk-backups-'))
  a = await openPc()
  b = await openPc()
})
test.afterAll(async () => {
  await disposePc(a)
  await disposePc(b)
  if (c) await disposePc(c)
  await rm(shared, { recursive: true, force: true })
  await rm(backups, { recursive: true, force: true })
})

/** What a restore must bring back: every row of these tables as stored, and each blob's real hash. */
interface Picture {
  tables: Record<string, unknown[]>
  blobs: Array<{ hash: string; size: number; actual: string }>
  office: unknown
  pcCode: unknown
  counts: Record<string, number>
  /** Documents without this PC's local write stamp (`localSeq`), which a restore gives afresh. */
  unstamped: number
}

async function picture(page: Page): Promise<Picture> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('marketdesk')
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
    const all = (name: string) => new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      const r = db.transaction(name).objectStore(name).getAll()
      r.onsuccess = () => resolve(r.result as Array<Record<string, unknown>>)
      r.onerror = () => reject(r.error)
    })
    const hex = async (u8: Uint8Array) => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', u8 as Uint8Array<ArrayBuffer>)), (x) => x.toString(16).padStart(2, '0')).join('')
    try {
      const tables: Record<string, unknown[]> = {}
      const counts: Record<string, number> = {}
      let unstamped = 0
      for (const t of ['docs', 'lines', 'audit', 'attachments', 'directory', 'versions', 'printLog']) {
        let rows = await all(t)
        // The local write stamp is this PC's own order of writes (the lists' kept digest catches up
        // from it), not part of the document: a backup leaves it out and a restore stamps anew.
        if (t === 'docs') {
          unstamped = rows.filter((x) => typeof x.localSeq !== 'number').length
          rows = rows.map(({ localSeq: _stamp, ...rest }) => rest)
        }
        counts[t] = rows.length
        tables[t] = rows.sort((x, y) => (String(x.id) < String(y.id) ? -1 : 1))
      }
      const blobs = await Promise.all((await all('blobs')).map(async (x) => ({ hash: String(x.hash), size: Number(x.size), actual: await hex(x.bytes as Uint8Array) })))
      const settings = await all('settings')
      return JSON.parse(JSON.stringify({
        tables, counts, unstamped, blobs: blobs.sort((x, y) => (x.hash < y.hash ? -1 : 1)),
        office: settings.find((s) => s.key === 'office')?.value ?? null, pcCode: settings.find((s) => s.key === 'pcCode')?.value ?? null,
      })) as Picture
    } finally {
      db.close()
    }
  })
}

/** This profile's sync id, from its identity database (null when it has none yet). */
async function syncId(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase | null>((resolve) => {
      const r = indexedDB.open('marketdesk-identity')
      r.onupgradeneeded = () => r.transaction?.abort()
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => resolve(null)
    })
    if (!db) return null
    try {
      if (!db.objectStoreNames.contains('identity')) return null
      const row = await new Promise<{ value?: { pc?: string } } | undefined>((resolve, reject) => {
        const r = db.transaction('identity').objectStore('identity').get('keys')
        r.onsuccess = () => resolve(r.result as { value?: { pc?: string } } | undefined)
        r.onerror = () => reject(r.error)
      })
      return row?.value?.pc ?? null
    } finally {
      db.close()
    }
  })
}

async function openCustomer(pc: Pc, number: string): Promise<DocPage> {
  const list = new ListView(pc.page)
  await list.open('customer')
  await list.find(number)
  const doc = new DocPage(pc.page)
  await explainOnFailure({ pc: pc.page }, async () => {
    await pc.page.getByRole('link', { name: number }).click()
    await expect(doc.title).toContainText(number)
  })
  return doc
}

test('a backup with a scan restores onto a new profile, which joins under a new identity and syncs', async () => {
  test.setTimeout(900_000)
  const syncA = new SyncView(a)
  const syncB = new SyncView(b)
  let number = ''
  let file = ''
  let before: Picture
  let oldId: string | null = null

  await test.step('A founds the office vault; B joins and is approved', async () => {
    await signIn(a.page, '张敏')
    await syncA.open()
    await syncA.chooseFolder(shared)
    await syncA.createVault('客服1号机')
    await signIn(b.page, '李强')
    await syncB.open()
    await syncB.chooseFolder(shared)
    await syncB.joinVault('客服2号机', '客服1号机')
    await expect(b.page.getByTestId('sync-last')).not.toHaveText('从未同步')
    await syncA.syncNow()
    await syncA.pcRow('客服2号机').getByRole('button', { name: '批准' }).click()
    await a.page.getByRole('dialog', { name: '批准新电脑' }).getByRole('button', { name: '批准' }).click()
    await syncInTurn([syncA, syncB])
    await expect(syncB.waitingApproval).toHaveCount(0)
  })

  await test.step('B creates a customer and attaches a scan to it; A receives both', async () => {
    const doc = new DocPage(b.page)
    await openMenu(b.page, '客户')
    await b.page.getByRole('button', { name: '新建客户' }).click()
    await doc.fill('客户全称', CUSTOMER)
    await doc.fill('简称', '恒通五金')
    await doc.save()
    const dup = b.page.getByRole('dialog', { name: '可能重复的客户' })
    await expect.poll(async () => (await dup.isVisible()) || /客户 KH/.test((await doc.title.textContent()) ?? '')).toBe(true)
    if (await dup.isVisible()) await dup.getByRole('button', { name: '仍然新建' }).click()
    await expect(doc.title).toContainText(/客户 KH/)
    number = /(KH\d{4}-[A-Z0-9]+-\d{4})/.exec((await doc.title.textContent()) ?? '')![1]!

    // A scan without a QR goes to 待匹配; the clerk attaches it by number.
    const scan = await pdfWithoutQr(path.join(b.documents, '客户资料签回件.pdf'))
    await new ImportView(b).run([scan], 'files')
    await openMenu(b.page, '待匹配')
    await b.page.getByLabel(`单号 ${path.basename(scan)} 1`).fill(number)
    await b.page.getByRole('row').filter({ hasText: path.basename(scan) }).getByRole('button', { name: '关联到单据' }).click()
    await expect(b.page.getByText(`已关联到 ${number}`)).toBeVisible()

    await syncB.open()
    await syncInTurn([syncB, syncA])
    const onA = await openCustomer(a, number)
    await onA.tab('附件')
    await expect(a.page.getByTestId('attachments')).toContainText(path.basename(scan))
  })

  await test.step('B edits the customer with the share out of reach, then writes an encrypted backup', async () => {
    // The share is unplugged (its folder is gone) while B works: the edit stays in B's outbox.
    await rename(shared, `${shared}-away`)
    const doc = await openCustomer(b, number)
    await doc.fill('简称', '恒通（离线修改）')
    await doc.save()
    await expect(b.page.getByText('已保存').last()).toBeVisible()

    await openMenu(b.page, '备份与恢复')
    await expect(b.page.getByRole('heading', { name: '备份与恢复' })).toBeVisible()
    await expect(b.page.getByTestId('persist-state')).toContainText(/已申请持久存储|未允许持久存储|不支持申请持久存储/)
    b.bridge.dialogs.queueOpen([backups])
    await b.page.getByRole('button', { name: '选择备份文件夹' }).click()
    await expect(b.page.getByTestId('backup-folder')).toHaveText(backups)
    await b.page.getByLabel('备份密码', { exact: true }).fill(PASSWORD)
    await b.page.getByLabel('再次输入密码', { exact: true }).fill(PASSWORD)
    await b.page.getByRole('button', { name: '立即备份' }).click()
    await expect(b.page.getByTestId('backup-done')).toContainText(/备份已完成：MarketDesk-\d{8}-\d{6}-[A-Z0-9]+\.mdbak/, { timeout: 60_000 })
    const names = (await readdir(backups)).filter((n) => n.endsWith('.mdbak'))
    expect(names).toHaveLength(1)
    file = path.join(backups, names[0]!)
    await expect(b.page.getByTestId('backup-files')).toContainText(names[0]!)
    // 校验 reads the whole file back and checks every part (it asks for the password).
    await b.page.getByTestId('backup-files').getByRole('button', { name: '校验' }).click()
    const ask = b.page.getByRole('dialog', { name: '校验' })
    await ask.getByRole('textbox').fill(PASSWORD)
    await ask.getByRole('button', { name: /确定|OK/ }).click()
    await expect(b.page.getByTestId('backup-done')).toContainText(`${names[0]} 完好`)

    before = await picture(b.page)
    oldId = await syncId(b.page)
    expect(oldId).toMatch(/-/)
    expect(before.counts.docs).toBeGreaterThan(3)
    expect(before.blobs.length).toBeGreaterThan(0)
    for (const x of before.blobs) expect(x.actual).toBe(x.hash)
    // The offline edit is in the backup, not in the shared folder.
    expect(JSON.stringify(before.tables.docs)).toContain('恒通（离线修改）')
    await b.close()
    await rename(`${shared}-away`, shared)
  })

  await test.step('B\'s profile is lost; a new profile refuses a damaged copy and a wrong password, writing nothing', async () => {
    c = await openPc()
    const page = c.page
    await page.goto('/')
    await expect(page.getByTestId('setup')).toBeVisible()
    await page.getByTestId('setup-restore').click()

    const bytes = await readFile(file)
    const damaged = path.join(c.documents, '损坏的备份.mdbak')
    const copy = Buffer.from(bytes)
    copy[Math.floor(copy.length / 2)]! ^= 0x20
    await writeFile(damaged, copy)
    c.bridge.dialogs.queueOpen([damaged])
    await page.getByRole('button', { name: '选择备份文件' }).click()
    await expect(page.getByTestId('restore-file')).toHaveText('损坏的备份.mdbak')
    await page.getByLabel('备份密码', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: '恢复', exact: true }).click()
    await expect(page.getByTestId('restore-error')).toContainText('备份文件不完整或已损坏', { timeout: 60_000 })
    await expect(page.getByTestId('restore-error')).toContainText('未写入任何数据')
    const nothing = await picture(page)
    expect(nothing.office).toBeNull()
    for (const t of Object.keys(nothing.counts)) expect(nothing.counts[t], t).toBe(0)
    expect(nothing.blobs).toEqual([])

    c.bridge.dialogs.queueOpen([file])
    await page.getByRole('button', { name: '选择备份文件' }).click()
    await expect(page.getByTestId('restore-file')).toHaveText(path.basename(file))
    await page.getByLabel('备份密码', { exact: true }).fill('不是这个密码')
    await page.getByRole('button', { name: '恢复', exact: true }).click()
    await expect(page.getByTestId('restore-error')).toHaveText('备份密码不正确，未写入任何数据')
    expect((await picture(page)).counts.docs).toBe(0)
  })

  await test.step('the good backup restores every record, line, audit entry and attachment', async () => {
    const page = c!.page
    await page.getByLabel('备份密码', { exact: true }).fill(PASSWORD)
    await page.getByLabel('本机名称', { exact: true }).fill('客服3号机')
    await page.getByRole('button', { name: '恢复', exact: true }).click()
    await expect(page).toHaveURL(/#\/start/, { timeout: 120_000 })
    const after = await picture(page)
    for (const t of Object.keys(before.tables)) expect(after.tables[t], t).toEqual(before.tables[t])
    // Every restored document is stamped, or the lists would miss it after the next restart.
    expect(after.unstamped).toBe(0)
    expect(after.blobs).toEqual(before.blobs)
    for (const x of after.blobs) expect(x.actual).toBe(x.hash)
    expect(after.office).toEqual(before.office)
    // A new number code: the old PC (or an older copy of it) may still number under its own.
    expect(after.pcCode).not.toEqual(before.pcCode)
    // No sync identity yet: it is made when the PC joins, and it is never B's.
    expect(await syncId(page)).toBeNull()
  })

  await test.step('the restored PC joins under a new identity; A approves it and receives its changes', async () => {
    const page = c!.page
    await signIn(page, '李强')
    const syncC = new SyncView(c!)
    await syncC.open()
    await syncC.chooseFolder(shared)
    await syncC.joinVault('客服3号机', '客服1号机')
    await expect(syncC.waitingApproval).toContainText('等待已信任的电脑批准')
    const newId = await syncId(page)
    expect(newId).toMatch(/-/)
    expect(newId).not.toBe(oldId)
    await expect(page.getByTestId('sync-last')).not.toHaveText('从未同步')

    await syncA.open()
    await syncA.syncNow()
    const row = syncA.pcRow('客服3号机')
    await expect(row).toContainText('待批准')
    await row.getByRole('button', { name: '批准' }).click()
    await a.page.getByRole('dialog', { name: '批准新电脑' }).getByRole('button', { name: '批准' }).click()
    await syncInTurn([syncA, syncC])
    await expect(syncC.waitingApproval).toHaveCount(0)

    // The edit B made offline and never sent reached A through the restored PC.
    let onA = await openCustomer(a, number)
    await expect(a.page.getByLabel('简称', { exact: true })).toHaveValue('恒通（离线修改）')

    // The restored PC's next change reaches A.
    const doc = await openCustomer(c!, number)
    await doc.fill('简称', '恒通（恢复后修改）')
    await doc.save()
    await expect(page.getByText('已保存').last()).toBeVisible()
    await syncC.open()
    await syncA.open()
    await syncInTurn([syncC, syncA])
    onA = await openCustomer(a, number)
    await expect(a.page.getByLabel('简称', { exact: true })).toHaveValue('恒通（恢复后修改）')
    await onA.tab('附件')
    await expect(a.page.getByTestId('attachments')).toContainText('客户资料签回件.pdf')
    // Both PCs hold the same state, and the scan's bytes are the same on both.
    await syncA.open()
    await syncC.open()
    await syncInTurn([syncC, syncA])
    await expect(syncC.digest).toHaveText(await syncA.digestText())
    console.log(`A's sync problems at the end: ${await a.page.getByTestId('sync-problems').textContent()}`)
    const hashesA = (await picture(a.page)).blobs.map((x) => x.actual)
    for (const x of before.blobs) expect(hashesA).toContain(x.hash)
    expect(sha256(await readFile(file)).length).toBe(64)
  })
})
