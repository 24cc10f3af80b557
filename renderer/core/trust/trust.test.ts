import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { AuditEntry, Role } from '../model'
import type { FormDef } from '../../../forms/schema/types'
import { quotation } from '../../../forms/quotation/quotation.form'
import { salesForecast } from '../../../forms/sales-forecast/sales-forecast.form'
import { FAST_KDF, makeCredential, openCredential } from './password'
import { chainHash, signObject, userKeys } from './sign'
import { foldDirectory, heldRoles, viewOf, type DirBody, type DirEntry, type DirUser } from './directory'
import { DirectoryIndex, judgeAudit, judgeStateWrite, type JudgeContext } from './judge'
import { chainBreaks } from './chain'

const AT = (m: number) => new Date(Date.UTC(2026, 10, 20, 2, m)).toISOString()
const forms: Record<string, FormDef> = { quotation, salesForecast }

interface Person { user: DirUser; seed: Uint8Array }
function person(id: string, name: string, roles: Role[]): Person {
  const k = userKeys()
  return { user: { id, name, dept: '', roles, active: true, publicKey: k.publicKey, credential: { kdf: FAST_KDF, salt: '', verifier: '', wrapped: '' } }, seed: k.seed }
}

/** A little office: 张敏 the administrator, 李强 a salesperson, 陈志远 the director. */
function office() {
  const admin = person('u-admin', '张敏', ['admin'])
  const sales = person('u-sales', '李强', ['salesperson'])
  const boss = person('u-boss', '陈志远', ['marketingDirector'])
  const log: DirEntry[] = []
  const counters: Record<string, number> = {}
  const entry = (body: DirBody, by: Person, at: string, dev = 'dev-admin', view?: Record<string, number>): DirEntry => {
    counters[dev] = (counters[dev] ?? 0) + 1
    const unsigned = { id: `e-${dev}-${counters[dev]}`, dev, n: counters[dev]!, at, by: by.user.id, view: view ?? viewOf(log), body }
    const e = { ...unsigned, sig: signObject('directory', unsigned, by.seed) } as DirEntry
    log.push(e)
    return e
  }
  const genesis = entry({ kind: 'genesis', office: { id: 'o1', name: '恒泰' }, admin: admin.user }, admin, AT(0))
  entry({ kind: 'user', user: sales.user }, admin, AT(1))
  entry({ kind: 'user', user: boss.user }, admin, AT(2))
  return { admin, sales, boss, log, entry, genesis: genesis.id }
}

function audit(by: Person, action: string, at: string, extra: Partial<AuditEntry>, view: Record<string, number>, n = 1, prev = ''): AuditEntry {
  const unsigned: AuditEntry = { id: `a-${action}-${at}`, docId: 'q1', at, actor: { userId: by.user.id, name: by.user.name }, action, changes: [], form: 'quotation', dev: `dev-${by.user.id}`, n, prev, view, day: at.slice(0, 10), ...extra }
  return { ...unsigned, sig: signObject('audit', unsigned, by.seed) }
}

const approve = (by: Person, at: string, view: Record<string, number>) =>
  audit(by, 'transition:approve', at, { changes: [{ field: 'state', from: 'pending', to: 'approved' }] }, view)

function ctx(entries: DirEntry[], genesis: string, trail: AuditEntry[] = []): JudgeContext {
  return {
    dir: new DirectoryIndex(entries, genesis),
    form: (id) => forms[id],
    lastActor: (docId, ts, before) => trail.filter((e) => e.docId === docId && e.at < before && ts.some((t) => e.action === `transition:${t}`)).at(-1)?.actor.userId,
    valueBefore: (docId, field, before) => trail.filter((e) => e.docId === docId && e.at < before && e.changes.some((c) => c.field === field)).at(-1)?.changes.find((c) => c.field === field)?.to,
  }
}

describe('signed directory', () => {
  it('folds the office from entries signed by an administrator; an entry signed by a clerk does not count', () => {
    const o = office()
    const forged = o.entry({ kind: 'user', user: { ...o.sales.user, roles: ['salesperson', 'marketingDirector'] } }, o.sales, AT(3), 'dev-sales')
    const d = foldDirectory(o.log, o.genesis)
    expect(d.users.get('u-sales')!.roles).toEqual(['salesperson'])
    expect(d.refused.get(forged.id)?.zh).toBe('签名人不是管理员')
  })

  it('an entry altered after signing (roles added) does not count', () => {
    const o = office()
    const e = o.log[1]!
    const tampered = { ...e, body: { kind: 'user', user: { ...o.sales.user, roles: ['admin'] } } } as DirEntry
    const d = foldDirectory([...o.log.filter((x) => x !== e), tampered], o.genesis)
    expect(d.users.has('u-sales')).toBe(false)
    expect(d.refused.get(e.id)?.zh).toBe('签名无效')
  })

  it('another founding entry (a second office, or a forger\'s) is ignored', () => {
    const o = office()
    const rogue = person('u-rogue', '黑客', ['admin'])
    const unsigned = { id: 'rogue-genesis', dev: 'x', n: 1, at: AT(0), by: rogue.user.id, view: {}, body: { kind: 'genesis' as const, office: { id: 'o2', name: 'x' }, admin: rogue.user } }
    const d = foldDirectory([...o.log, { ...unsigned, sig: signObject('directory', unsigned, rogue.seed) }], o.genesis)
    expect(d.users.has('u-rogue')).toBe(false)
  })

  it('the office always keeps one administrator', () => {
    const o = office()
    o.entry({ kind: 'user', user: { ...o.admin.user, roles: ['salesperson'] } }, o.admin, AT(5))
    expect(foldDirectory(o.log, o.genesis).users.get('u-admin')!.roles).toEqual(['admin'])
  })
})

describe('each kind of directory entry', () => {
  it('password: a user may sign their own new password, not someone else\'s', () => {
    const o = office()
    const own = o.entry({ kind: 'password', userId: 'u-sales', credential: { kdf: FAST_KDF, salt: 'bmV3', verifier: 'v2', wrapped: 'w2' } }, o.sales, AT(5), 'dev-sales')
    const other = o.entry({ kind: 'password', userId: 'u-boss', credential: { kdf: FAST_KDF, salt: 'eA==', verifier: 'x', wrapped: 'x' } }, o.sales, AT(6), 'dev-sales')
    const d = foldDirectory(o.log, o.genesis)
    expect(d.users.get('u-sales')!.credential.verifier).toBe('v2')
    expect(d.refused.has(own.id)).toBe(false)
    expect(d.refused.get(other.id)?.zh).toBe('签名人不是管理员')
    expect(d.users.get('u-boss')!.credential.verifier).toBe('')
  })

  it('grant and ungrant: a proxy holds the role inside the window only, and not after it is withdrawn', () => {
    const o = office()
    o.entry({ kind: 'grant', grant: { id: 'g1', principalId: 'u-boss', proxyId: 'u-sales', role: 'marketingDirector', from: '2026-11-01', to: '2026-11-30' } }, o.admin, AT(5))
    const d = foldDirectory(o.log, o.genesis)
    expect(heldRoles(d, 'u-sales', '2026-11-20')).toContainEqual({ role: 'marketingDirector', actingFor: 'u-boss', grant: 'g1' })
    expect(heldRoles(d, 'u-sales', '2026-12-01').some((h) => h.actingFor)).toBe(false)
    o.entry({ kind: 'ungrant', grantId: 'g1' }, o.admin, AT(6))
    expect(heldRoles(foldDirectory(o.log, o.genesis), 'u-sales', '2026-11-20').some((h) => h.actingFor)).toBe(false)
  })

  it('company and settings: only an administrator\'s count', () => {
    const o = office()
    o.entry({ kind: 'company', company: { name: '恒泰', address: '东莞', phone: '1' } }, o.admin, AT(5))
    o.entry({ kind: 'company', company: { name: '假公司', address: '', phone: '' } }, o.boss, AT(6), 'dev-boss')
    o.entry({ kind: 'settings', settings: { idleMinutes: 5 } }, o.admin, AT(7))
    const d = foldDirectory(o.log, o.genesis)
    expect(d.company.name).toBe('恒泰')
    expect(d.settings.idleMinutes).toBe(5)
  })

  it('pcApprove and pcRevoke: a revoked PC cannot be approved again, and the stricter cut-off holds whatever the order', () => {
    const o = office()
    o.entry({ kind: 'pcApprove', pc: 'B2-1', name: '客服2号机', publicKey: 'k' }, o.admin, AT(5))
    o.entry({ kind: 'pcRevoke', pc: 'B2-1', upTo: 9 }, o.admin, AT(6))
    o.entry({ kind: 'pcRevoke', pc: 'B2-1', upTo: 4 }, o.admin, AT(7))
    o.entry({ kind: 'pcApprove', pc: 'B2-1', name: '客服2号机', publicKey: 'k2' }, o.admin, AT(8))
    const d = foldDirectory(o.log, o.genesis)
    expect(d.revoked.get('B2-1')!.upTo).toBe(4)
    expect(foldDirectory([...o.log].reverse(), o.genesis).revoked.get('B2-1')!.upTo).toBe(4)
    expect(d.pcs.get('B2-1')!.publicKey).toBe('k')
  })

  it('decide: the first decision on a finding stands', () => {
    const o = office()
    o.entry({ kind: 'decide', finding: 'a1', accept: false }, o.admin, AT(5))
    o.entry({ kind: 'decide', finding: 'a1', accept: true }, o.admin, AT(6))
    expect(foldDirectory(o.log, o.genesis).decisions.get('a1')!.accept).toBe(false)
  })
})

describe('key wrapping', () => {
  it('the wrapped key opens only with the right password', async () => {
    const k = userKeys()
    const cred = await makeCredential('hengtai2026', k.seed, FAST_KDF)
    expect(userKeys((await openCredential('hengtai2026', cred))!).publicKey).toBe(k.publicKey)
    expect(await openCredential('hengtai2025', cred)).toBeNull()
  })
})

describe('judging entries on every PC', () => {
  it('R10: an approval signed by the director is accepted; the same claimed by a clerk is refused', () => {
    const o = office()
    const view = viewOf(o.log)
    expect(judgeAudit(approve(o.boss, AT(10), view), ctx(o.log, o.genesis)).v).toBe('accepted')
    const forged = approve(o.sales, AT(10), view)
    expect(judgeAudit({ ...forged, actor: { userId: 'u-boss', name: '陈志远' } }, ctx(o.log, o.genesis))).toMatchObject({ v: 'refused', reason: { zh: '签名无效：记录被伪造或改动过' } })
    expect(judgeAudit(forged, ctx(o.log, o.genesis))).toMatchObject({ v: 'refused', reason: { zh: '签名人当时没有“核准”的权限' } })
  })

  it('an unsigned entry and a state change without a signed audit entry are refused', () => {
    const o = office()
    const { sig: _s, ...unsigned } = approve(o.boss, AT(10), viewOf(o.log))
    expect(judgeAudit(unsigned as AuditEntry, ctx(o.log, o.genesis)).v).toBe('refused')
    expect(judgeStateWrite('q1', 'approved', undefined, undefined, undefined, quotation)).toMatchObject({ v: 'refused' })
  })

  it('a state write must match the accepted audit entry that signs it', () => {
    const o = office()
    const a = approve(o.boss, AT(10), viewOf(o.log))
    expect(judgeStateWrite('q1', 'approved', a.id, a, { v: 'accepted' }, quotation).v).toBe('accepted')
    expect(judgeStateWrite('q1', 'sent', a.id, a, { v: 'accepted' }, quotation).v).toBe('refused')
    expect(judgeStateWrite('q2', 'approved', a.id, a, { v: 'accepted' }, quotation).v).toBe('refused')
    expect(judgeStateWrite('q1', 'approved', a.id, undefined, undefined, quotation).v).toBe('waiting')
  })

  it('separation of duties: the submitter\'s own approval is refused even with the director role', () => {
    const o = office()
    o.entry({ kind: 'user', user: { ...o.sales.user, roles: ['salesperson', 'marketingDirector'] } }, o.admin, AT(4))
    const view = viewOf(o.log)
    const submit = audit(o.sales, 'transition:submit', AT(8), { changes: [{ field: 'state', from: 'draft', to: 'pending' }] }, view)
    expect(judgeAudit(approve(o.sales, AT(10), view), ctx(o.log, o.genesis, [submit]))).toMatchObject({ v: 'refused', reason: { zh: '提交人不能核准自己提交的单据' } })
  })

  it('an approval made on a PC that had not seen a concurrent revocation is held; a decision settles it', () => {
    const o = office()
    const before = viewOf(o.log)
    const revoke = o.entry({ kind: 'user', user: { ...o.boss.user, roles: [] } }, o.admin, AT(5))
    const late = approve(o.boss, AT(10), before)
    expect(judgeAudit(late, ctx(o.log, o.genesis))).toMatchObject({ v: 'held' })
    // Made after the signer's PC had seen the revocation: plainly refused.
    expect(judgeAudit(approve(o.boss, AT(10), viewOf(o.log)), ctx(o.log, o.genesis)).v).toBe('refused')
    // Before the revocation arrives anywhere: waiting is not needed, it is valid in every directory known.
    expect(judgeAudit(late, ctx(o.log.filter((e) => e !== revoke), o.genesis)).v).toBe('accepted')
    o.entry({ kind: 'decide', finding: late.id, accept: true }, o.admin, AT(12))
    expect(judgeAudit(late, ctx(o.log, o.genesis)).v).toBe('accepted')
  })

  it('an entry whose signer saw directory entries this PC lacks waits for them', () => {
    const o = office()
    const g = o.entry({ kind: 'grant', grant: { id: 'g1', principalId: 'u-boss', proxyId: 'u-sales', role: 'marketingDirector', from: '2026-11-01', to: '2026-11-30' } }, o.admin, AT(4))
    const a = { ...approve(o.sales, AT(10), viewOf(o.log)) }
    const proxied = audit(o.sales, 'transition:approve', AT(10), { changes: [{ field: 'state', from: 'pending', to: 'approved' }], actor: { userId: 'u-sales', name: '李强', actingFor: { userId: 'u-boss', name: '陈志远', role: 'marketingDirector' } } }, viewOf(o.log))
    expect(judgeAudit(proxied, ctx(o.log.filter((e) => e !== g), o.genesis)).v).toBe('waiting')
    expect(judgeAudit(proxied, ctx(o.log, o.genesis)).v).toBe('accepted')
    expect(judgeAudit(a, ctx(o.log, o.genesis)).v).toBe('refused') // no actingFor claimed: own roles only
  })

  it('a salesperson\'s own 销售预估 is his to save and submit; a colleague\'s waits on every PC and is never merged without a hand-over; CS acts for him (ownUnless)', () => {
    const o = office()
    const other = person('u-other', '王刚', ['salesperson'])
    const cs = person('u-cs', '刘芳', ['csAssistant'])
    o.entry({ kind: 'user', user: other.user }, o.admin, AT(3))
    o.entry({ kind: 'user', user: cs.user }, o.admin, AT(4))
    const view = viewOf(o.log)
    const onForecast = (by: Person, action: string, at: string, changes: AuditEntry['changes'], extra: Partial<AuditEntry> = {}) =>
      audit(by, action, at, { form: 'salesForecast', docId: 'f1', changes, id: `a-${action}-${by.user.id}-${at}`, ...extra }, view)
    const waits = { v: 'waiting', reason: { zh: '签名人不能办理他人的销售预估' } }
    // 李强's forecast, made by him.
    const made = onForecast(o.sales, 'create', AT(10), [{ field: 'salesperson', from: null, to: 'u-sales' }, { field: 'month', from: null, to: '2026-12' }])
    expect(judgeAudit(made, ctx(o.log, o.genesis)).v).toBe('accepted')
    // Made by 王刚 in 李强's name: waits (CS may).
    expect(judgeAudit(onForecast(other, 'create', AT(10), made.changes), ctx(o.log, o.genesis))).toMatchObject(waits)
    expect(judgeAudit(onForecast(cs, 'create', AT(10), made.changes), ctx(o.log, o.genesis)).v).toBe('accepted')
    const submit = (by: Person, extra: Partial<AuditEntry> = {}) => onForecast(by, 'transition:submit', AT(20), [{ field: 'state', from: 'draft', to: 'submitted' }], extra)
    expect(judgeAudit(submit(o.sales), ctx(o.log, o.genesis, [made])).v).toBe('accepted')
    expect(judgeAudit(submit(other), ctx(o.log, o.genesis, [made]))).toMatchObject(waits)
    expect(judgeAudit(submit(cs), ctx(o.log, o.genesis, [made])).v).toBe('accepted')
    // 王刚 saving it as his own (changing 业务员) waits too, so his submit after it still finds 李强's.
    const grabbed = onForecast(other, 'update', AT(15), [{ field: 'salesperson', from: 'u-sales', to: 'u-other' }])
    expect(judgeAudit(grabbed, ctx(o.log, o.genesis, [made]))).toMatchObject(waits)
    expect(judgeAudit(submit(other), ctx(o.log, o.genesis, [made]))).toMatchObject(waits)
    // The owner is what the accepted entries before it set: once CS hands it to 王刚, he submits it and 李强 may not.
    const handed = onForecast(cs, 'update', AT(15), [{ field: 'salesperson', from: 'u-sales', to: 'u-other' }])
    expect(judgeAudit(handed, ctx(o.log, o.genesis, [made])).v).toBe('accepted')
    expect(judgeAudit(submit(o.sales), ctx(o.log, o.genesis, [made, handed]))).toMatchObject(waits)
    expect(judgeAudit(submit(other), ctx(o.log, o.genesis, [made, handed])).v).toBe('accepted')
    // A proxy grant counts only when the entry says it acted under it (as the data layer counts roles).
    o.entry({ kind: 'grant', grant: { id: 'g-cs', principalId: 'u-cs', proxyId: 'u-other', role: 'csAssistant', from: '2026-11-01', to: '2026-11-30' } }, o.admin, AT(5))
    const v2 = viewOf(o.log)
    const asOwn = audit(other, 'transition:submit', AT(20), { form: 'salesForecast', docId: 'f1', changes: [{ field: 'state', from: 'draft', to: 'submitted' }], id: 'a-own' }, v2)
    expect(judgeAudit(asOwn, ctx(o.log, o.genesis, [made]))).toMatchObject(waits)
    const asProxy = audit(other, 'transition:submit', AT(20), { form: 'salesForecast', docId: 'f1', changes: [{ field: 'state', from: 'draft', to: 'submitted' }], id: 'a-proxy',
      actor: { userId: 'u-other', name: '王刚', actingFor: { userId: 'u-cs', name: '刘芳', role: 'csAssistant' } } }, v2)
    expect(judgeAudit(asProxy, ctx(o.log, o.genesis, [made])).v).toBe('accepted')
    // A form with no owner field is not asked about one (the quotation's approval stands as before).
    expect(judgeAudit(approve(o.boss, AT(20), view), ctx(o.log, o.genesis, [made, handed])).v).toBe('accepted')
  })

  it('property: whatever order the signed entries of N PCs arrive in, every PC reaches the same verdicts', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), fc.array(fc.tuple(fc.nat(20), fc.nat(3), fc.boolean()), { minLength: 3, maxLength: 16 }), fc.nat(1_000_000), (pcs, script, shuffleSeed) => {
      const o = office()
      const users = [o.sales, o.boss]
      const audits: AuditEntry[] = []
      // Each step: an admin on some PC changes a role or grant, or a user on some PC approves, having seen a prefix of the log.
      script.forEach(([minute, who, flag], i) => {
        const pc = `dev-pc${i % pcs}`
        const seenUpTo = Math.max(3, Math.min(o.log.length, 3 + (minute % (o.log.length - 2))))
        const view = viewOf(o.log.slice(0, seenUpTo))
        if (who === 0) {
          const target = users[i % 2]!
          o.entry({ kind: 'user', user: { ...target.user, roles: flag ? ['marketingDirector'] : ['salesperson'] } }, o.admin, AT(20 + i), pc === 'dev-pc0' ? 'dev-admin' : `dev-admin-${pc}`, view)
        } else {
          const signer = users[who % 2]!
          audits.push({ ...approve(signer, AT(20 + i), view), id: `a-${i}` })
        }
      })
      const verdicts = (order: DirEntry[]) => audits.map((a) => {
        const c = ctx(order, o.genesis)
        return judgeAudit(a, c).v
      })
      const expected = verdicts(o.log)
      let s = shuffleSeed
      const shuffled = [...o.log].sort(() => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5)
      expect(verdicts(shuffled)).toEqual(expected)
      expect(verdicts([...shuffled].reverse())).toEqual(expected)
    }), { numRuns: 60 })
  })
})

describe('audit chain', () => {
  it('an entry removed from the middle, or altered, is detected', () => {
    const o = office()
    const view = viewOf(o.log)
    const chain: AuditEntry[] = []
    for (let i = 1; i <= 5; i++) chain.push(audit(o.sales, 'update', AT(30 + i), { id: `c${i}` }, view, i, i === 1 ? '' : chainHash(chain[i - 2]!)))
    expect(chainBreaks(chain)).toEqual([])
    expect(chainBreaks(chain.filter((e) => e.n !== 3))).toMatchObject([{ n: 3, kind: 'missing' }])
    const altered = chain.map((e) => (e.n === 2 ? { ...e, comment: '改过' } : e))
    expect(chainBreaks(altered)).toMatchObject([{ n: 2, kind: 'altered' }])
  })
})

describe('received documents fit their form (issue 7)', () => {
  it('a change with a column the form does not have, or a value of the wrong type, is refused; an unknown field waits', async () => {
    const { docChangeProblem } = await import('./schema-check')
    expect(docChangeProblem({ 'values.contact': '何俊', updatedAt: 'x' }, quotation)).toBeNull()
    expect(docChangeProblem({ 'values.grandTotal': '一百万' }, quotation)?.zh).toContain('值类型不对')
    expect(docChangeProblem({ isAdmin: true }, quotation)?.zh).toBe('单据没有“isAdmin”这一项')
    expect(docChangeProblem({ 'values.futureField': 1 }, quotation)).toMatchObject({ unknownField: true })
    expect(docChangeProblem({ version: -1 }, quotation)?.zh).toBe('版本号无效')
  })
})
