/**
 * Issue 6 on two PCs through the real shared-folder handlers: every PC checks each signed entry it
 * receives against the directory as it stood at that entry, whatever the other PC claims.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditEntry } from '@core/model'
import { signObject } from '@core/trust/sign'
import { applyChange } from '@core/sync/merge'
import { viewOf } from '@core/trust/directory'
import { DEMO_IDS, demoSeed } from '../data/seed'
import { signInAs } from '../data/test-setup'
import { admin, clerkA, clerkB, csClerk, customerData, edit, formOffice, makePc, officeClock, quotationData, sharedFolder, syncAll, type TestPc } from './test-office'

const director = { userId: DEMO_IDS.users.chenZhiyuan, name: '陈志远' }

let cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups) await c()
  cleanups = []
})

async function office() {
  const folder = await sharedFolder()
  const clock = officeClock()
  const pcs = [await makePc(folder.dir, '客服1号机', 'A1', clock), await makePc(folder.dir, '客服2号机', 'B2', clock)] as [TestPc, TestPc]
  cleanups.push(() => folder.cleanup(pcs))
  await formOffice(pcs)
  return { clock, pcs, shared: folder.dir }
}

/** A quotation made and submitted by 李强 on A, seen on both PCs. */
async function pendingQuote(a: TestPc, b: TestPc) {
  const customer = await a.documents.create('customer', customerData('佛山市美达电器有限公司'), csClerk)
  const quote = await a.documents.create('quotation', quotationData(customer.doc.id), clerkA)
  await a.documents.transition(quote.doc.id, 'submit', 'pending', {}, clerkA)
  await syncAll([a, b])
  expect((await b.documents.load(quote.doc.id))!.doc.state).toBe('pending')
  return { customer: customer.doc.id, quote: quote.doc.id }
}

const stateOn = async (pc: TestPc, id: string) => (await pc.documents.load(id))!.doc.state

describe('authorization on every PC (issue 6)', () => {
  it('PC B forges a director\'s approval three ways; both PCs refuse it, keep the quotation 待审批, list it, and B\'s valid change still arrives', async () => {
    const { clock, pcs: [a, b] } = await office()
    const { customer, quote } = await pendingQuote(a, b)
    const at = clock.iso()
    // 1. A raw outbox row: the state alone, no signed entry behind it.
    await b.db.outbox.add({ table: 'docs', key: quote, op: 'put', fields: { state: 'approved', updatedAt: at, updatedBy: director.userId }, at, exported: 0 })
    // 2. A crafted approval "by the director", signed with the clerk's own key, and the state it names.
    const forged: AuditEntry = {
      id: 'f0f0f0f0-0000-4000-8000-000000000001', docId: quote, at, actor: director, action: 'transition:approve', form: 'quotation',
      changes: [{ field: 'state', from: 'pending', to: 'approved' }], day: at.slice(0, 10), dev: 'forger', n: 1, prev: '', view: viewOf(await b.db.directory.toArray()),
    }
    const sig = signObject('audit', forged, demoSeed(clerkB.userId))
    await b.db.outbox.bulkAdd([
      { table: 'audit', key: forged.id, op: 'put', fields: { ...forged, sig }, at, exported: 0 },
      { table: 'docs', key: quote, op: 'put', fields: { state: 'approved', stateBy: forged.id }, at, exported: 0 },
      // 3. A users row giving the clerk the director's role.
      { table: 'users', key: clerkB.userId, op: 'put', fields: { roles: ['marketingDirector'] }, at, exported: 0 },
    ])
    // And one honest change from the same PC.
    await edit(b, customer, { phone: '0757-2663 9021' }, clerkB)
    await syncAll([a, b])

    for (const pc of [a, b]) {
      expect(await stateOn(pc, quote)).toBe('pending')
      expect((await pc.documents.load(customer))!.doc.values.phone).toBe('0757-2663 9021')
      const f = await pc.db.findings.toArray()
      expect(f.filter((x) => x.docId === quote && x.verdict === 'refused').map((x) => x.reason.zh)).toEqual(expect.arrayContaining([
        '状态变更没有经签名的操作记录', '签名无效：记录被伪造或改动过',
      ]))
      expect(f.some((x) => x.change.table === 'users' && x.verdict === 'refused')).toBe(true)
      // The clerk is still a clerk everywhere.
      expect((await pc.directory.directory()).users.get(clerkB.userId)!.roles).toEqual(['marketingHead'])
    }
    // The 安全 list names the document, the PC and why.
    const shown = await (await import('../data/findings')).createFindingStore(a.db, a.directory, async () => new Map((await a.db.syncPeers.toArray()).map((p) => [p.pc, p.name]))).forDoc(quote)
    expect(shown.some((v) => v.pcName === '客服2号机' && v.verdict === 'refused')).toBe(true)
    expect(await a.sync.store.digest()).toBe(await b.sync.store.digest())
  })

  it('a snapshot carrying a forged approval: a new PC that starts from it keeps the quotation 待审批 and lists the refusal', async () => {
    const { clock, pcs: [a, b], shared } = await office()
    void b
    const { quote } = await pendingQuote(a, b)
    // A (the PC that founded the vault, so trusted by a PC that has only just joined) writes the
    // approval straight into its merge state (no signed entry, past its own gate) and publishes a
    // snapshot: its signature as a PC is valid, what it says is not.
    const [st] = await a.sync.store.getRecords([{ table: 'docs', key: quote }])
    applyChange(st!, { table: 'docs', key: quote, op: 'put', fields: { state: 'approved', updatedBy: director.userId }, hlc: `${String(Date.parse(clock.iso())).padStart(15, '0')}.000000.${a.sync.pc}~forged`, pc: a.sync.pc })
    await a.sync.store.commit({ records: [st!] })
    expect(await stateOn(a, quote)).toBe('approved')
    expect(await a.sync.publishSnapshot()).toMatch(/^snapshots\//)

    const c = await makePc(shared, '客服3号机', 'C3', clock)
    cleanups.push(async () => { c.sync.stop(); await c.sync.idle(); c.db.close(); await c.fx.cleanup() })
    await c.sync.joinVault()
    await c.sync.syncNow()
    expect(await c.db.docs.get(quote)).toBeDefined()
    expect(await stateOn(c, quote)).toBe('pending')
    const refused = (await c.db.findings.toArray()).filter((f) => f.docId === quote && f.verdict === 'refused')
    expect(refused.map((f) => f.reason.zh)).toContain('状态变更没有经签名的操作记录')
  })

  it('a director revoked while B was offline: B\'s later approval is held on A, taken back on B, and applied on both once the administrator accepts it', async () => {
    const { pcs: [a, b] } = await office()
    const { quote } = await pendingQuote(a, b)
    // On A, the administrator takes 陈志远's director role away; B hears nothing of it yet.
    await signInAs(a.directory, admin)
    const chen = (await a.directory.directory()).users.get(director.userId)!
    await a.directory.saveUser({ id: chen.id, name: chen.name, dept: chen.dept, roles: [], active: true })
    await a.sync.syncNow()
    // On B, 陈志远 approves: B's directory still says he may.
    await signInAs(b.directory, director)
    await b.documents.transition(quote, 'approve', 'approved', {}, director)
    expect(await stateOn(b, quote)).toBe('approved')
    await syncAll([b, a, b])

    expect(await stateOn(a, quote)).toBe('pending')
    expect(await stateOn(b, quote)).toBe('pending')
    for (const pc of [a, b]) {
      const held = (await pc.db.findings.toArray()).filter((f) => f.docId === quote && f.verdict === 'held')
      expect(held.length).toBeGreaterThan(0)
      expect(held[0]!.reason.zh).toContain('签名电脑当时尚未收到权限变更')
    }
    expect(await a.sync.store.digest()).toBe(await b.sync.store.digest())

    // The administrator reviews it on A and accepts: both PCs apply it.
    const held = (await a.db.findings.toArray()).find((f) => f.change.table === 'audit' && f.verdict === 'held')!
    await a.directory.decide(held.auditId!, true, '电话确认：撤销前已口头同意')
    await syncAll([a, b, a])
    expect(await stateOn(a, quote)).toBe('approved')
    expect(await stateOn(b, quote)).toBe('approved')
    expect(await a.sync.store.digest()).toBe(await b.sync.store.digest())
  })

  it('a PC approval without an administrator\'s signature is refused, and a trusted PC\'s key is never replaced', async () => {
    const { pcs: [a, b] } = await office()
    const before = (await a.sync.store.peers()).find((p) => p.pc === b.sync.pc)!
    // B's clerk "approves" a made-up PC with its own key, straight through the engine.
    await b.db.outbox.add({ table: '$trust', key: a.sync.pc, op: 'put', fields: { publicKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', name: 'x', approvedBy: b.sync.pc }, at: new Date().toISOString(), exported: 0 })
    await syncAll([b, a])
    expect((await a.sync.store.peers()).find((p) => p.pc === a.sync.pc)!.publicKey).not.toBe('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')
    expect((await a.db.findings.toArray()).some((f) => f.change.table === '$trust' && f.verdict === 'refused')).toBe(true)
    expect((await a.sync.store.peers()).find((p) => p.pc === b.sync.pc)!.publicKey).toBe(before.publicKey)
  })

  it('a revoked PC\'s later files are not applied anywhere; what came before stays', async () => {
    const { pcs: [a, b] } = await office()
    const early = await b.documents.create('customer', customerData('中山市华艺照明电器有限公司'), csClerk)
    await syncAll([b, a])
    await signInAs(a.directory, admin)
    const upTo = (await a.sync.store.cursors())[b.sync.pc]!.seq
    await a.directory.revokePc(b.sync.pc, upTo, '笔记本电脑丢失')
    await a.sync.syncNow()
    const late = await b.documents.create('customer', customerData('江门市金羚电器有限公司'), csClerk)
    await syncAll([b, a])
    expect(await a.documents.load(early.doc.id)).toBeDefined()
    expect(await a.documents.load(late.doc.id)).toBeUndefined()
    expect((await a.sync.status()).problems.some((p) => p.code === 'revoked')).toBe(true)
  })
})

describe('the directory travels whole (issue 6)', () => {
  it('a PC cannot delete or rewrite an administrator\'s directory entry: a revocation stays revoked everywhere', async () => {
    const { pcs: [a, b] } = await office()
    await signInAs(a.directory, admin)
    const chen = (await a.directory.directory()).users.get(director.userId)!
    await a.directory.saveUser({ id: chen.id, name: chen.name, dept: chen.dept, roles: [], active: true })
    await syncAll([a, b])
    const revocation = (await b.directory.entries()).find((e) => e.body.kind === 'user' && e.body.user.id === director.userId && e.body.user.roles.length === 0)!
    // B tries to make it disappear (a delete) and to rewrite it (a partial put giving the role back).
    const at = new Date().toISOString()
    await b.db.outbox.bulkAdd([
      { table: 'directory', key: revocation.id, op: 'delete', fields: {}, at, exported: 0 },
      { table: 'directory', key: revocation.id, op: 'put', fields: { body: { kind: 'user', user: { ...chen, roles: ['marketingDirector'] } } }, at, exported: 0 },
    ])
    await syncAll([b, a])
    for (const pc of [a, b]) {
      expect((await pc.directory.directory()).users.get(director.userId)!.roles).toEqual([])
      expect((await pc.db.findings.toArray()).filter((f) => f.change.table === 'directory' && f.verdict === 'refused')).toHaveLength(2)
    }
  })
})
