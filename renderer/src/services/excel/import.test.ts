// @vitest-environment happy-dom
import ExcelJS from 'exceljs'
import { zipSync } from 'fflate'
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD } from '@app/data'
import { setBackend } from '@app/stores/backend'
import { useSessionStore } from '@app/stores/session'
import { useDocumentsStore } from '@app/stores/documents'
import { formById } from '@forms/registry'
import { buildWorkbook, type XlsxCell } from './workbook'
import {
  buildTemplate, confirmImport, dryRun, ImportFileError, importColumns, MAX_IMPORT_ROWS, readImportSheet, storeLookups, type ImportKind,
} from './import'

const customer = formById('customer')

beforeEach(async () => {
  localStorage.clear()
  setBackend(await openDataLayer({ name: `import-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true }))
  setActivePinia(createPinia())
  await useSessionStore().load()
  await useSessionStore().signIn(DEMO_IDS.users.zhangMin, DEMO_PASSWORD)
})

/** A workbook with these headers and rows on its first sheet. */
async function file(headers: string[], rows: XlsxCell[][]): Promise<Uint8Array> {
  return buildWorkbook([{ name: 'x', columns: headers.map((h) => ({ header: h, kind: 'text' as const })), rows }])
}
const H = ['客户全称', '简称', '电话', '付款方式', '信用期（天）', '信用额度', '期初应收余额', '期初日期']

async function plan(kind: ImportKind, bytes: Uint8Array, name = '客户.xlsx') {
  const docs = useDocumentsStore()
  return dryRun(kind, await readImportSheet(bytes, kind, customer, name), name, customer, storeLookups(docs))
}
const customerCount = async () => (await useDocumentsStore().list('customer', { limit: 1 })).total

describe('导入 Excel: customers', () => {
  it('the dry run names each bad cell by row, column and why, and writes nothing', async () => {
    const before = await customerCount()
    const p = await plan('customers', await file(H, [
      ['东莞市宏达模具有限公司', '宏达', '0769-1234567', '账期', '30', '200000', '1,234.56', '2026-11-30'],
      ['中山市远航灯饰有限公司', '远航', '0760-7654321', '账期', '400', '', '', ''],
      ['江门市新锐五金有限公司', '', 'abc', '赊账', '十', '12.345', '', '2026-02-30'],
      ['', '无名', '', '现结', '', '', '', ''],
    ]))
    expect(p.rows.map((r) => r.row)).toEqual([2, 3, 4, 5])
    expect(p.rows[0]!.errors).toEqual([])
    expect(p.rows[1]!.errors).toEqual(['第 3 行，列「信用期（天）」：应为 0–365 的整数'])
    expect(p.rows[2]!.errors).toEqual([
      '第 4 行，列「付款方式」：应为以下之一：现结、账期、款到发货',
      '第 4 行，列「信用期（天）」：应为 0–365 的整数',
      '第 4 行，列「信用额度」：应为金额（元），最多两位小数',
      '第 4 行，列「期初日期」：应为日期，如 2026-11-30',
      '第 4 行，列「电话」：只能包含数字、空格和 + - ( )',
    ])
    expect(p.rows[3]!.errors).toEqual(['第 5 行，列「客户全称」：请填写客户全称'])
    expect(p.errors).toBe(7)
    await expect(confirmImport(p, useDocumentsStore())).rejects.toThrow(/还有 7 处错误/)
    expect(await customerCount()).toBe(before)
  })

  it('uses the form\'s own rules (账期 needs 信用期), and flags a customer already on file and one twice in the file', async () => {
    const p = await plan('customers', await file(H, [
      ['深圳市华兴塑胶制品有限公司', '', '', '现结', '', '', '', ''],
      ['珠海市蓝海包装有限公司', '', '', '账期', '', '', '', ''],
      ['珠海蓝海包装有限公司', '', '', '现结', '', '', '', ''],
    ]))
    expect(p.rows[0]!.duplicates).toEqual(['深圳华兴塑胶制品有限公司'])
    expect(p.rows[0]!.errors).toEqual([])
    expect(p.rows[1]!.errors).toEqual(['第 3 行，列「信用期（天）」：付款方式为账期时，请填写信用期天数'])
    expect(p.rows[2]!.errors).toEqual(['第 4 行，列「客户全称」：与第 3 行是同一个客户'])
  })

  it('confirming writes each row through the data layer with an audit entry naming the file and row; duplicates skipped', async () => {
    const docs = useDocumentsStore()
    const before = await customerCount()
    const p = await plan('customers', await file(H, [
      ['东莞市宏达模具有限公司', '宏达', '0769-1234567', '账期', 30, '200,000', -1234.5, '2026-11-30'],
      ['深圳市华兴塑胶制品有限公司', '', '', '现结', '', '', '', ''],
    ]), '新客户-11月.xlsx')
    expect(p.errors).toBe(0)
    const progress: string[] = []
    const res = await confirmImport(p, docs, { onProgress: (d, t) => progress.push(`${d}/${t}`) })
    expect(res).toEqual({ written: 1, skipped: 1 })
    expect(progress).toEqual(['1/1'])
    expect(await customerCount()).toBe(before + 1)
    const { rows } = await docs.list('customer', { text: '宏达' })
    expect(rows).toHaveLength(1)
    expect(rows[0]!.values).toMatchObject({ fullName: '东莞市宏达模具有限公司', paymentMethod: 'credit', creditDays: 30, creditLimit: 20_000_000, openingBalance: -123_450, openingDate: '2026-11-30' })
    const audit = await docs.timeline(rows[0]!.id)
    expect(audit.map((e) => [e.action, e.comment])).toEqual([['create', '导入自 Excel：新客户-11月.xlsx，第 2 行']])
    expect(audit[0]!.actor.userId).toBe(DEMO_IDS.users.zhangMin)
  })

  it('refuses a bad file with one zh-CN sentence and writes nothing', async () => {
    const before = await customerCount()
    const read = (bytes: Uint8Array, kind: ImportKind = 'customers') => readImportSheet(bytes, kind, customer, 'f.xlsx').then(() => 'read', (e: unknown) => (e instanceof ImportFileError ? e.message : `other: ${String(e)}`))
    expect(await read(new Uint8Array())).toBe('文件是空的：f.xlsx')
    expect(await read(new TextEncoder().encode('客户全称,电话\n华兴,1'))).toMatch(/^文件不是 Excel 工作簿（\.xlsx）/)
    expect(await read(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).toMatch(/旧版 Excel（\.xls）/)
    const junk = new Uint8Array(10 * 1024 * 1024 + 1)
    junk.set([0x50, 0x4b, 3, 4])
    expect(await read(junk)).toMatch(/^文件过大（10\.0 MB），导入文件不能超过 10\.0 MB/)
    expect(await read(junk.subarray(0, 10 * 1024 * 1024))).toMatch(/^文件已损坏|^文件无法作为 Excel 工作簿读取/)
    // A zip bomb: 200 MB of zeros packs into a few hundred KB.
    expect(await read(zipSync({ 'xl/big.xml': new Uint8Array(200 * 1024 * 1024) }, { level: 9 }))).toMatch(/^文件解压后过大/)
    expect(await read(await file(['名称', '电话'], [['华兴', '1']]))).toBe('第 1 行的表头与“客户资料”模板不符：缺少「客户全称」，不认识的列「名称」。请使用下载的模板：f.xlsx')
    expect(await read(await file(H, []))).toBe('表头下面没有可导入的数据行：f.xlsx')
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => [`客户${i}`])
    expect(await read(await file(['客户全称'], many))).toBe(`文件有 ${MAX_IMPORT_ROWS + 1} 行数据，一次最多导入 ${MAX_IMPORT_ROWS} 行，请分成几个文件：f.xlsx`)
    expect(await customerCount()).toBe(before)
  })

  it('a formula in a cell is an error of its row, not a value', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('客户资料')
    ws.addRow(['客户全称', '信用额度'])
    ws.addRow(['东莞市宏达模具有限公司', { formula: 'SUM(1,2)', result: 3 }])
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer)
    const p = await plan('customers', bytes)
    expect(p.rows[0]!.errors).toEqual(['第 2 行，列「信用额度」：单元格是公式，请复制后“粘贴为数值”再导入'])
  })

  it('the template has the form\'s headers, a sample row the import skips, and a 说明 sheet', async () => {
    const bytes = await buildTemplate('customers', customer)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes.buffer as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['客户资料', '说明'])
    const headers = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1)
    expect(headers).toEqual(importColumns('customers', customer).map((c) => c.header))
    expect(headers).toContain('信用期（天）')
    expect(String(wb.worksheets[0]!.getCell('A2').value)).toMatch(/^示例/)
    expect(wb.worksheets[1]!.getCell('B10').value).toMatch(/0–365/)
    await expect(readImportSheet(bytes, 'customers', customer, 't.xlsx')).rejects.toThrow('表头下面没有可导入的数据行')
    // The sample row itself passes the dry run, so the template shows a correct row.
    const p = await dryRun('customers', [{ row: 2, cells: new Map((headers as string[]).map((h, i) => [h, { value: wb.worksheets[0]!.getRow(2).getCell(i + 1).value as string }])) }], 't.xlsx', customer, storeLookups(useDocumentsStore()))
    expect(p.rows[0]!.errors).toEqual([])
  })
})

describe('导入 Excel: opening balances (期初余额)', () => {
  it('matches a customer by number or full name, then sets 期初应收余额 and 期初日期 through the data layer, audited', async () => {
    const docs = useDocumentsStore()
    const huaxing = (await docs.load(DEMO_IDS.customers.huaxing))!
    const meida = (await docs.load(DEMO_IDS.customers.meida))!
    const headers = ['客户编号', '客户全称', '期初应收余额', '期初日期']
    const bad = await plan('openingBalances', await file(headers, [
      [huaxing.doc.number, '', '88,000.00', '2026-11-30'],
      ['', '不存在的公司', '1', '2026-11-30'],
      ['', '佛山市美达电器有限公司', '', '2026-11-30'],
      [meida.doc.number, '深圳华兴塑胶制品有限公司', '1', '2026-11-30'],
    ]), '期初.xlsx')
    expect(bad.rows.map((r) => r.errors)).toEqual([
      [],
      ['第 3 行，列「客户全称」：找不到客户「不存在的公司」'],
      ['第 4 行，列「期初应收余额」：必填'],
      [`第 5 行，列「客户全称」：客户编号 ${meida.doc.number} 是「佛山市美达电器有限公司」，与「深圳华兴塑胶制品有限公司」不符`, '第 5 行：与第 4 行是同一个客户'],
    ])
    expect((await docs.load(DEMO_IDS.customers.huaxing))!.doc.values.openingBalance ?? null).toBe(huaxing.doc.values.openingBalance ?? null)

    const good = await plan('openingBalances', await file(headers, [
      [huaxing.doc.number, '', '88,000.00', '2026-11-30'],
      ['', '佛山市美达电器有限公司', '-500', '2026/11/30'],
    ]), '期初.xlsx')
    expect(good.errors).toBe(0)
    expect(await confirmImport(good, docs)).toEqual({ written: 2, skipped: 0 })
    const h = (await docs.load(DEMO_IDS.customers.huaxing))!
    expect(h.doc.values).toMatchObject({ openingBalance: 8_800_000, openingDate: '2026-11-30', fullName: huaxing.doc.values.fullName })
    expect(h.lines.length).toBe(huaxing.lines.length) // contacts untouched
    expect((await docs.load(DEMO_IDS.customers.meida))!.doc.values).toMatchObject({ openingBalance: -50_000, openingDate: '2026-11-30' })
    const last = (await docs.timeline(DEMO_IDS.customers.huaxing)).find((e) => e.comment?.startsWith('导入自 Excel'))
    expect(last).toMatchObject({ action: 'update', comment: '导入自 Excel：期初.xlsx，第 2 行' })
    expect(last!.changes.map((c) => c.field).sort()).toEqual(['openingBalance', 'openingDate'])
  })
})
