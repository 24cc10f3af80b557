/**
 * The trust gate as every PC runs it: whatever order and batching the changes of several PCs
 * arrive in, every PC ends with the same merged changes and the same verdicts on the rest.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { AuditEntry, Role } from '../model'
import type { FormDef } from '../../../forms/schema/types'
import type { Change } from '../sync/segment'
import { quotation } from '../../../forms/quotation/quotation.form'
import { salesForecast } from '../../../forms/sales-forecast/sales-forecast.form'
import { FAST_KDF } from './password'
import { signObject, userKeys } from './sign'
import { viewOf, type DirBody, type DirEntry, type DirUser } from './directory'
import { changeId, TrustGate, type Finding, type GatePort } from './gate'

const AT = (i: number) => new Date(Date.UTC(2026, 10, 20, 2, 0, i)).toISOString()

function person(id: string, name: string, roles: Role[]) {
  const k = userKeys()
  const user: DirUser = { id, name, dept: '', roles, active: true, publicKey: k.publicKey, credential: { kdf: FAST_KDF, salt: '', verifier: '', wrapped: '' } }
  return { user, seed: k.seed }
}

/** One receiving PC: merged changes in memory, the gate over them, the engine's round as the engine runs it. */
class MemoryPc {
  merged = new Map<string, Change>()
  findings = new Map<string, Finding>()
  known: string[] = []
  gate: TrustGate
  constructor(genesis: string) {
    const self = this
    const audits = () => [...self.merged.values()].filter((c) => c.table === 'audit').map((c) => c.fields as unknown as AuditEntry)
    const port: GatePort = {
      genesis: async () => genesis,
      directoryEntries: async () => [...self.merged.values()].filter((c) => c.table === 'directory').map((c) => c.fields as unknown as DirEntry),
      auditByIds: async (ids) => ids.map((id) => audits().find((a) => a.id === id)),
      auditOfDocs: async (docIds) => audits().filter((a) => docIds.includes(a.docId)),
      hasAudit: async () => audits().length > 0,
      form: (id): FormDef | undefined => (id === 'quotation' ? quotation : id === 'salesForecast' ? salesForecast : undefined),
      findings: async () => [...self.findings.values()],
      putFindings: async (f) => { for (const x of f) self.findings.set(x.id, x) },
      dropFindings: async (ids) => { for (const id of ids) self.findings.delete(id) },
      auditSince: async (at) => audits().filter((a) => a.at >= at),
      knownDirectory: async () => self.known,
      setKnownDirectory: async (ids) => { self.known = ids },
      now: () => '2026-11-20T00:00:00.000Z',
    }
    this.gate = new TrustGate(port)
  }

  async receive(changes: Change[]): Promise<void> {
    // As the engine: one PC's file at a time.
    for (const pc of new Set(changes.map((c) => c.pc))) {
      for (const c of await this.gate.admit(pc, changes.filter((x) => x.pc === pc))) this.merged.set(changeId(c), c)
    }
    const { admit, retract } = await this.gate.settle()
    for (const c of admit) this.merged.set(changeId(c), c)
    for (const r of retract) {
      const back = [...this.merged.values()].filter((c) => (c.table === 'audit' && c.key === r.auditId) || (c.table === 'docs' && c.fields.stateBy === r.auditId))
      for (const c of back) this.merged.delete(changeId(c))
      for (const c of await this.gate.admit(back[0]?.pc ?? '', back)) this.merged.set(changeId(c), c)
    }
  }
}

describe('trust gate', () => {
  it('property: N PCs receiving the same signed changes in any order and batching end with the same merged set and verdicts', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.nat(4), fc.nat(1000), fc.boolean()), { minLength: 4, maxLength: 14 }),
      fc.array(fc.tuple(fc.nat(1_000_000), fc.integer({ min: 1, max: 6 })), { minLength: 2, maxLength: 4 }),
      async (script, deliveries) => {
        const admin = person('u-admin', '张敏', ['admin'])
        const sales = person('u-sales', '李强', ['salesperson'])
        const boss = person('u-boss', '陈志远', ['marketingDirector'])
        const log: DirEntry[] = []
        const all: Change[] = []
        let hlc = 0
        const change = (table: string, key: string, fields: Record<string, unknown>, pc: string): Change =>
          ({ table, key, op: 'put', fields, hlc: `${String(++hlc).padStart(15, '0')}.000000.${pc}`, pc })
        const dir = (body: DirBody, at: string, view: Record<string, number>) => {
          const n = log.filter((e) => e.dev === 'dev-admin').length + 1
          const unsigned = { id: `e${log.length}`, dev: 'dev-admin', n, at, by: admin.user.id, view, body }
          const e = { ...unsigned, sig: signObject('directory', unsigned, admin.seed) } as DirEntry
          log.push(e)
          all.push(change('directory', e.id, e as unknown as Record<string, unknown>, 'PA'))
        }
        dir({ kind: 'genesis', office: { id: 'o', name: 'o' }, admin: admin.user }, AT(0), {})
        dir({ kind: 'user', user: sales.user }, AT(1), viewOf(log))
        dir({ kind: 'user', user: boss.user }, AT(2), viewOf(log))
        script.forEach(([kind, seen, flag], i) => {
          const at = AT(10 + i)
          const view = viewOf(log.slice(0, Math.max(3, 1 + (seen % log.length))))
          if (kind === 0) {
            // The administrator gives or takes the director role.
            const who = flag ? boss : sales
            dir({ kind: 'user', user: { ...who.user, roles: flag === (seen % 2 === 0) ? ['marketingDirector'] : ['salesperson'] } }, at, viewOf(log))
            return
          }
          // Someone approves quotation q<kind>, having seen a prefix of the directory.
          const signer = flag ? boss : sales
          const unsigned: AuditEntry = { id: `a${i}`, docId: `q${kind}`, at, actor: { userId: signer.user.id, name: signer.user.name }, action: 'transition:approve', form: 'quotation',
            changes: [{ field: 'state', from: 'pending', to: 'approved' }], day: at.slice(0, 10), dev: `dev-${signer.user.id}`, n: i + 1, prev: '', view }
          const pc = flag ? 'PB' : 'PC'
          all.push(change('audit', unsigned.id, { ...unsigned, sig: signObject('audit', unsigned, signer.seed) }, pc))
          all.push(change('docs', `q${kind}`, { state: 'approved', stateBy: unsigned.id }, pc))
        })
        const outcomes: string[] = []
        for (const [seed, batch] of deliveries) {
          let s = seed
          const order = [...all].sort(() => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5)
          const pc = new MemoryPc(log[0]!.id)
          for (let i = 0; i < order.length; i += batch) await pc.receive(order.slice(i, i + batch))
          await pc.receive([])
          outcomes.push(JSON.stringify({
            merged: [...pc.merged.keys()].sort(),
            findings: [...pc.findings.values()].map((f) => `${f.id}:${f.verdict}:${f.reason.en}:${String(f.change.fields.stateBy)}`).sort(),
          }))
        }
        expect(new Set(outcomes).size).toBe(1)
      }), { numRuns: Number(process.env.GATE_RUNS ?? 40) })
  }, 120_000)

  it('a colleague\'s 销售预估 submitted or taken over from a salesperson\'s PC waits and is never merged; his own, CS\'s for him, and one handed over are merged in any order (ownUnless)', async () => {
    const admin = person('u-admin', '张敏', ['admin'])
    const li = person('u-li', '李强', ['salesperson'])
    const wang = person('u-wang', '王刚', ['salesperson'])
    const cs = person('u-cs', '刘芳', ['csAssistant'])
    const log: DirEntry[] = []
    const changes: Change[] = []
    let hlc = 0
    const change = (table: string, key: string, fields: Record<string, unknown>, pc: string): Change =>
      ({ table, key, op: 'put', fields, hlc: `${String(++hlc).padStart(15, '0')}.000000.${pc}`, pc })
    const dir = (body: DirBody, at: string) => {
      const unsigned = { id: `e${log.length}`, dev: 'dev-admin', n: log.length + 1, at, by: admin.user.id, view: viewOf(log), body }
      const e = { ...unsigned, sig: signObject('directory', unsigned, admin.seed) } as DirEntry
      log.push(e)
      changes.push(change('directory', e.id, e as unknown as Record<string, unknown>, 'PA'))
    }
    dir({ kind: 'genesis', office: { id: 'o', name: 'o' }, admin: admin.user }, AT(0))
    for (const [i, p] of [li, wang, cs].entries()) dir({ kind: 'user', user: p.user }, AT(1 + i))
    let n = 0
    /** An entry signed on its signer's PC, with the document change it makes; its id. */
    const act = (by: typeof li, doc: string, action: string, at: string, changed: AuditEntry['changes'], fields: Record<string, unknown>): string => {
      const unsigned: AuditEntry = { id: `a${++n}`, docId: doc, at, actor: { userId: by.user.id, name: by.user.name }, action, form: 'salesForecast',
        changes: changed, day: at.slice(0, 10), dev: `dev-${by.user.id}`, n, prev: '', view: viewOf(log) }
      changes.push(change('audit', unsigned.id, { ...unsigned, sig: signObject('audit', unsigned, by.seed) }, `P-${by.user.id}`))
      changes.push(change('docs', doc, { ...fields, ...(fields.state ? { stateBy: unsigned.id } : {}) }, `P-${by.user.id}`))
      return unsigned.id
    }
    const made = (by: typeof li, doc: string, salesperson: string) => act(by, doc, 'create', AT(10), [{ field: 'salesperson', from: null, to: salesperson }], { state: 'draft' })
    const submit = (by: typeof li, doc: string) => act(by, doc, 'transition:submit', AT(20), [{ field: 'state', from: 'draft', to: 'submitted' }], { state: 'submitted' })
    const give = (by: typeof li, doc: string, to: string) => act(by, doc, 'update', AT(15), [{ field: 'salesperson', from: 'u-li', to }], {})
    for (const d of ['f-li', 'f-taken', 'f-grab', 'f-handed']) made(li, d, 'u-li')
    made(cs, 'f-cs', 'u-li')
    const creates = changes.length
    submit(li, 'f-li'); submit(cs, 'f-cs')
    const taken = submit(wang, 'f-taken')
    // 王刚 saves 李强's forecast as his own, then submits it.
    const grab = give(wang, 'f-grab', 'u-wang'); const grabbed = submit(wang, 'f-grab')
    // CS (on her PC) hands f-handed to 王刚, who submits it on his; his file may be read before hers.
    const handSubmit = submit(wang, 'f-handed')
    const handOver = changes.length
    const handed = give(cs, 'f-handed', 'u-wang')

    const docs = ['f-li', 'f-cs', 'f-taken', 'f-grab', 'f-handed']
    const stateOf = (pc: MemoryPc) => Object.fromEntries(docs.map((d) => [d, [...pc.merged.values()].filter((c) => c.table === 'docs' && c.key === d && c.fields.state).map((c) => c.fields.state).sort().join('+')]))
    const want = { 'f-li': 'draft+submitted', 'f-cs': 'draft+submitted', 'f-taken': 'draft', 'f-grab': 'draft', 'f-handed': 'draft+submitted' }
    const waiting = (pc: MemoryPc) => [...pc.findings.values()].filter((f) => f.change.table === 'audit').map((f) => [f.change.key, f.verdict, f.reason.zh]).sort()
    const never = [[grab, 'waiting', '签名人不能办理他人的销售预估'], [grabbed, 'waiting', '签名人不能办理他人的销售预估'], [taken, 'waiting', '签名人不能办理他人的销售预估']].sort()
    // The documents made and merged first, then the rest; 王刚's submit of f-handed before CS's hand-over.
    const apart = new MemoryPc(log[0]!.id)
    await apart.receive(changes.slice(0, creates))
    await apart.receive(changes.slice(creates, handOver))
    expect(waiting(apart)).toContainEqual([handSubmit, 'waiting', '签名人不能办理他人的销售预估'])
    await apart.receive(changes.slice(handOver))
    // Everything in one batch.
    const once = new MemoryPc(log[0]!.id)
    await once.receive(changes)
    for (const pc of [apart, once]) {
      expect(stateOf(pc)).toEqual(want)
      expect(pc.merged.has(changeId(changes.find((c) => c.key === handed)!))).toBe(true)
      expect(waiting(pc)).toEqual(never)
    }
  })
})
