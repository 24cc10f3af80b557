import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeHlc } from './hlc'
import { applyChange, emptyRecord, history, materialize, safeFieldPath, seenFor, stateDigest, toRow, type RecordState } from './merge'
import { SimOffice, type SimPc } from './sim'
import type { Change } from './segment'

let n = 0
const h = (wall: number, pc: string) => encodeHlc({ wall, counter: n++ % 1000, pc })

/** A PC writing against its own copy of one record, as the engine stamps writes. */
function write(state: RecordState, pc: string, wall: number, op: 'put' | 'delete', fields: Record<string, unknown> = {}): Change {
  const touched = op === 'delete' ? ['$deleted'] : [...Object.keys(fields), '$deleted']
  const c: Change = { table: 'docs', key: 'd1', op, fields: op === 'delete' ? {} : fields, hlc: h(wall, pc), pc, seen: seenFor(state, touched) }
  applyChange(state, c)
  return c
}

const fresh = () => emptyRecord('docs', 'd1')
const apply = (cs: Change[]) => {
  const s = fresh()
  for (const c of cs) applyChange(s, c)
  return s
}

describe('merge', () => {
  it('fault 17: different fields edited on two PCs merge without a conflict', () => {
    const a = fresh(), b = fresh()
    const c0 = write(a, 'A', 1, 'put', { customer: '华东机械', qty: 1 })
    applyChange(b, c0)
    const ca = write(a, 'A', 5, 'put', { customer: '华东机械有限公司' })
    const cb = write(b, 'B', 5, 'put', { qty: 3 })
    const m = materialize(apply([c0, ca, cb]))
    expect(m.values).toEqual({ customer: '华东机械有限公司', qty: 3 })
    expect(m.conflicts).toEqual([])
  })

  it('fault 16/18: same field, different values → one shown value, one conflict listing both; resolution clears it', () => {
    const a = fresh(), b = fresh()
    const c0 = write(a, 'A', 1, 'put', { price: 100 })
    applyChange(b, c0)
    const ca = write(a, 'A', 7, 'put', { price: 120 })
    const cb = write(b, 'B', 7, 'put', { price: 130 })
    const m1 = materialize(apply([c0, ca, cb]))
    const m2 = materialize(apply([cb, c0, ca]))
    expect(m1).toEqual(m2)
    expect(m1.conflicts).toHaveLength(1)
    expect(m1.conflicts[0]!.values.map((v) => v.value).sort()).toEqual([120, 130])
    // Same wall ms: the HLC tie breaks on counter then PC id, the same everywhere.
    expect(m1.values.price).toBe(m1.conflicts[0]!.values[0]!.value)
    // B resolves (picks A's value): a write that has seen both heads.
    const all = apply([c0, ca, cb])
    const res = write(all, 'B', 9, 'put', { price: 120 })
    const m3 = materialize(apply([res, cb, ca, c0]))
    expect(m3.conflicts).toEqual([])
    expect(m3.values.price).toBe(120)
    expect(history(all, 'price').map((x) => x.value)).toEqual(expect.arrayContaining([100, 120, 130]))
  })

  it('fault 19: delete on A while B edits → record stays with an edit/delete conflict, B\'s edit kept, in any order', () => {
    const a = fresh(), b = fresh()
    const c0 = write(a, 'A', 1, 'put', { name: '客户甲', phone: '1' })
    applyChange(b, c0)
    const del = write(a, 'A', 9, 'delete')
    const edit = write(b, 'B', 5, 'put', { phone: '2' })
    for (const order of [[c0, del, edit], [edit, del, c0], [del, edit, c0]]) {
      const m = materialize(apply(order))
      expect(m.alive).toBe(true)
      expect(m.values.phone).toBe('2')
      expect(m.conflicts.map((c) => c.kind)).toEqual(['editDelete'])
    }
    // A delete that had seen the edit wins cleanly.
    const seenAll = apply([c0, edit])
    const del2 = write(seenAll, 'A', 10, 'delete')
    expect(materialize(apply([c0, edit, del2])).alive).toBe(false)
    expect(materialize(apply([c0, edit, del2])).conflicts).toEqual([])
    // Restoring resolves the edit/delete conflict.
    const both = apply([c0, del, edit])
    const restore = write(both, 'A', 11, 'put', {})
    const m = materialize(apply([c0, del, edit, restore]))
    expect(m.alive).toBe(true)
    expect(m.conflicts).toEqual([])
  })

  it('fault 15: a causally later edit wins even against a write from a clock a year ahead', () => {
    const x = fresh(), a = fresh()
    const cx = write(x, 'X', 1_000 + 365 * 86_400_000, 'put', { state: 'approved' })
    applyChange(a, cx)
    const ca = write(a, 'A', 2_000, 'put', { state: 'closed' })
    const m = materialize(apply([ca, cx]))
    expect(m.values.state).toBe('closed')
    expect(m.conflicts).toEqual([])
  })

  it('toRow nests dotted field names', () => {
    expect(toRow({ 'values.customer': 'x', 'values.qty': 2, state: 'draft' })).toEqual({ values: { customer: 'x', qty: 2 }, state: 'draft' })
  })

  it('merge is a pure function of the set of changes: any order, any duplication (fast-check)', async () => {
    // Build a causal history by simulating 3 replicas with random partial delivery, then shuffle.
    const opArb = fc.record({
      pc: fc.constantFrom('A', 'B', 'C'),
      kind: fc.constantFrom('put', 'put', 'put', 'delete', 'sync'),
      field: fc.constantFrom('x', 'y', 'z'),
      value: fc.integer({ min: 0, max: 3 }),
      from: fc.constantFrom('A', 'B', 'C'),
    })
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.integer(), async (ops, seed) => {
      const replicas: Record<string, RecordState> = { A: fresh(), B: fresh(), C: fresh() }
      const known: Record<string, Change[]> = { A: [], B: [], C: [] }
      const all: Change[] = []
      let wall = 1
      for (const op of ops) {
        if (op.kind === 'sync') {
          if (op.from === op.pc) continue
          for (const c of [...known[op.from]!]) if (applyChange(replicas[op.pc]!, c)) known[op.pc]!.push(c)
          continue
        }
        const c = write(replicas[op.pc]!, op.pc, wall++, op.kind as 'put' | 'delete', { [op.field]: op.value })
        known[op.pc]!.push(c)
        all.push(c)
      }
      const rnd = mulberry(seed)
      const shuffled = [...all, ...all.filter(() => rnd() < 0.3)].sort(() => rnd() - 0.5)
      const s1 = apply(all), s2 = apply(shuffled)
      expect(await stateDigest([s2])).toBe(await stateDigest([s1]))
      expect(materialize(s2)).toEqual(materialize(s1))
      // Nothing lost: every value ever written is in the history.
      for (const c of all) for (const [f, v] of Object.entries(c.fields)) expect(history(s2, f).some((w) => w.hlc === c.hlc && w.value === v)).toBe(true)
    }), { numRuns: 200 })
  })

  it("fork __proto__: a synced field named __proto__.x (or constructor/prototype) pollutes nothing on the importing PC", async () => {
    const polluted = () => [({} as Record<string, unknown>).x, ({} as Record<string, unknown>).y, ({} as Record<string, unknown>).z, (Object.prototype.toString as unknown as Record<string, unknown>).w]
    try {
      const office = await SimOffice.create(2)
      const [a, b] = office.pcs as [SimPc, SimPc]
      a.store.localWrite('docs', 'q1', 'put', { '__proto__.x': 'polluted', 'constructor.prototype.y': 'polluted', 'values.__proto__.z': 'polluted', 'values.ok': 1 })
      await office.syncAll()
      // The importing PC builds its visible rows as the Dexie adapter does.
      const row = toRow(b.store.view('docs', 'q1')!.values) as { values: { ok: number } }
      expect(polluted()).toEqual([undefined, undefined, undefined, undefined])
      expect(row.values.ok).toBe(1)
      expect(Object.keys(row)).toEqual(['values'])
      // A raw own `__proto__` key, as JSON.parse makes it from a crafted file: no crash, nothing set.
      a.store.localWrite('docs', 'q2', 'put', JSON.parse('{"__proto__": {"x": "polluted"}, "constructor": "c", "prototype": 1, "values.ok": 2}') as Record<string, unknown>)
      await office.syncAll()
      expect(polluted()).toEqual([undefined, undefined, undefined, undefined])
      expect(toRow(b.store.view('docs', 'q2')!.values)).toEqual({ values: { ok: 2 } })
      expect(await office.converged()).toBe(true)

      // The nesting itself: unsafe segments are skipped, inherited members are never walked into.
      const nested = toRow({ '__proto__.x': 1, 'constructor.prototype.y': 2, 'a.__proto__.z': 3, 'toString.w': 4, n: 5, 'n.deeper': 6, 'values.ok': 7 })
      expect(polluted()).toEqual([undefined, undefined, undefined, undefined])
      expect(Object.getPrototypeOf(nested.values)).toBe(Object.prototype)
      expect(nested).toEqual({ toString: { w: 4 }, n: 5, values: { ok: 7 } })
      for (const p of ['__proto__', '__proto__.x', 'a.__proto__.x', 'constructor.prototype.x', 'prototype', 'a.constructor', 'values.', '.x', '']) expect(safeFieldPath(p), p).toBe(false)
      for (const p of ['values.customer', 'state', '$deleted', 'lines.0.qty', 'constructorName', 'protos']) expect(safeFieldPath(p), p).toBe(true)
    } finally {
      for (const k of ['x', 'y', 'z']) delete (Object.prototype as Record<string, unknown>)[k]
      delete (Object.prototype.toString as unknown as Record<string, unknown>).w
    }
  })
})

function mulberry(a: number) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
