/**
 * Issue 11: two PCs of one office meeting on a WebDAV server instead of a folder. Each PC has its
 * own IndexedDB and the REAL main-process handlers configured for WebDAV (makeWebdavFixture), and
 * the renderer's folder transport, the engine, segments and signatures run over them unchanged.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeWebdavFixture } from '../../../electron/main/ipc/test-fixture'
import { startDavServer, type DavServer } from '../../../electron/main/ipc/webdav-test-server'
import { clerkA, csClerk, customerData, formOffice, makePc, officeClock, quotationData, type TestPc } from './test-office'

const USER = 'kefu'
const PASS = 'nas-密码'

let dav: DavServer | undefined
let pcs: TestPc[] = []
afterEach(async () => {
  for (const p of pcs) {
    p.sync.stop()
    await p.sync.idle()
    p.db.close()
    await p.fx.cleanup()
  }
  pcs = []
  await dav?.stop()
  dav = undefined
})

async function office() {
  dav = await startDavServer({ users: [{ name: USER, password: PASS }] })
  const clock = officeClock()
  for (const [name, code] of [['客服1号机', 'A1'], ['客服2号机', 'B2']] as const) {
    const fx = await makeWebdavFixture({ url: dav.url, username: USER, password: PASS })
    // makePc also sets the legacy sharedRoot; the WebDAV target chosen above wins over it.
    pcs.push(await makePc('', name, code, clock, {}, undefined, fx))
  }
  await formOffice(pcs)
  return pcs as [TestPc, TestPc]
}

describe('two PCs through a WebDAV server', () => {
  it('a quotation made on A arrives on B with its number, and the server holds only finished files', async () => {
    const [a, b] = await office()
    const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
    const quote = await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
    await a.sync.syncNow()
    await b.sync.syncNow()
    const there = await b.documents.load(quote.doc.id)
    expect(there?.doc.number).toBe(quote.doc.number)
    expect(there?.lines.map((l) => l.values.productName)).toEqual(['阻燃PC/ABS合金', '玻纤增强PP'])
    expect((await b.sync.status()).problems).toEqual([])
    const root = path.join(dav!.dir, 'marketdesk')
    expect(await readdir(path.join(root, 'tmp'))).toEqual([])
    expect((await readdir(path.join(root, 'pcs'))).sort()).toEqual([a.sync.pc, b.sync.pc].sort())
  })

  it('a wrong password pauses B without losing anything; after it is re-entered B catches up', async () => {
    const [a, b] = await office()
    await b.fx.h['shared:webdavSet']({ url: dav!.url, username: USER, password: 'wrong' })
    const customer = await a.documents.create('customer', customerData('中山市恒通塑胶有限公司'), csClerk)
    await a.sync.syncNow()
    const paused = await b.sync.syncNow()
    expect(paused.paused).toBe(true)
    expect(paused.problems.map((p) => p.code)).toContain('folderUnavailable')
    const cur = await b.fx.h['shared:current']({})
    expect(cur.ok && cur.value.webdav?.problem?.message).toMatch(/重新输入密码/)
    expect(await b.documents.load(customer.doc.id)).toBeUndefined()
    await b.fx.h['shared:webdavSet']({ url: dav!.url, username: USER, password: PASS })
    await b.sync.syncNow()
    expect((await b.documents.load(customer.doc.id))?.doc.values.fullName).toBe('中山市恒通塑胶有限公司')
  })
})
