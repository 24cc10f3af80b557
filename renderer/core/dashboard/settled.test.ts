import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { formById } from '../../../forms/registry'
import { ageingReport, reaged, receivables, type ReceivableItem } from '../../../forms/contract/contract.ageing'
import type { ListRow } from '../list-query'
import { ageingInputOf, type DashData } from './dashboard'
import { patchSettled, settledParts, settledReceivables, settleMemo, type RowNow, type SettledParts, type SettleStats } from './settled'

/**
 * The settled receivables kept per customer must be, after any sequence of writes, the very figures
 * the 账龄分析 page computes from scratch: every item with its open amount to the fen.
 */
type Rows = Record<string, ListRow[]>
const FORMS = ['customer', 'contract', 'delivery', 'payment', 'adjustment'] as const
const CUSTOMERS = ['k0', 'k1', 'k2', 'k3', 'k4']
const CONTRACTS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']
const DATES = ['2026-06-30', '2026-08-15', '2026-09-01', '2026-10-10', '2026-11-05', '2026-11-30', '2026-12-20']
const AS_OF = ['2026-11-30', '2026-10-31']

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs)
const money = fc.integer({ min: 0, max: 500_000 })
/** A customer may be left empty or not exist; a contract may be none or one not in the ledger. */
const customerRef = fc.oneof({ weight: 6, arbitrary: pick(CUSTOMERS) }, { weight: 1, arbitrary: pick(['', 'k9']) })
const contractRef = fc.oneof({ weight: 6, arbitrary: pick(CONTRACTS) }, { weight: 1, arbitrary: pick(['', 'cx']) })

/** A row's state and values for `form` (its id fixed by the caller). */
function rowArb(form: typeof FORMS[number]): fc.Arbitrary<Pick<ListRow, 'state' | 'values' | 'number'>> {
  const number = fc.integer({ min: 1, max: 3 }).map((n) => `N${n}`) // ties on due, date and number: the rows' order decides
  switch (form) {
    case 'customer': return fc.record({
      number, state: fc.constant(''),
      values: fc.record({ salesperson: pick(['s1', 's2']), paymentMethod: pick(['credit', 'cash', 'prepay', '']), creditDays: pick([0, 30, 60]), openingBalance: money, openingDate: pick(DATES) }, { requiredKeys: ['salesperson'] }),
    })
    case 'contract': return fc.record({
      number, state: pick(['draft', 'approved', 'signed', 'closed', 'void']),
      values: fc.record({ customer: customerRef, salesperson: pick(['s1', 's2', '']), paymentMethod: pick(['credit', 'cash', '']), creditDays: pick([0, 15, 45]) }, { requiredKeys: ['customer'] }),
    })
    case 'delivery': return fc.record({
      number, state: pick(['booked', 'booked', 'shipped']),
      values: fc.record({ contract: contractRef, customer: customerRef, salesperson: pick(['s1', 's2']), shipDate: pick(DATES), totalAmount: money }, { requiredKeys: ['contract', 'shipDate', 'totalAmount'] }),
    })
    default: return fc.record({
      number, state: pick(['confirmed', 'confirmed', 'draft']),
      values: fc.record({ contract: contractRef, customer: customerRef, amount: money, [form === 'payment' ? 'receivedDate' : 'adjustDate']: pick(DATES) }),
    })
  }
}

/** A write: a new row, a changed row (a new object, as the digest makes), or a row deleted. */
type Change = { kind: 'add' | 'change' | 'remove'; form: typeof FORMS[number]; at: number; row: Pick<ListRow, 'state' | 'values' | 'number'> }
const changeArb: fc.Arbitrary<Change> = pick(FORMS).chain((form) => fc.record({ kind: pick(['add', 'change', 'change', 'remove'] as const), form: fc.constant(form), at: fc.nat(), row: rowArb(form) }))

let seq = 0
const full = (form: string, r: Pick<ListRow, 'state' | 'values' | 'number'>, id = form === 'customer' ? CUSTOMERS[seq++ % CUSTOMERS.length]! : form === 'contract' ? CONTRACTS[seq++ % CONTRACTS.length]! : `${form}-${++seq}`): ListRow =>
  ({ id, number: r.number, state: r.state, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', values: r.values })

function apply(rows: Rows, c: Change): void {
  const list = rows[c.form]!
  if (c.kind === 'add' || list.length === 0) {
    // Customers and contracts keep their few ids (a new one replaces the old of that id).
    const row = full(c.form, c.row)
    const same = list.findIndex((r) => r.id === row.id)
    if (same >= 0) list[same] = row; else list.push(row)
  } else if (c.kind === 'change') list[c.at % list.length] = full(c.form, c.row, list[c.at % list.length]!.id)
  else list.splice(c.at % list.length, 1)
}

const plain = (items: readonly ReceivableItem[]) =>
  items.map((i) => `${i.kind}:${i.id} ${i.customer} ${i.salesperson} ${i.contract} due ${i.due} amount ${i.amount} open ${i.open} ${i.bucket}`).sort()

describe('receivables settled per customer and kept between writes', () => {
  let patched = 0
  const paths = { whole: 0, parts: 0 }
  it('equal the unmemoised 账龄分析 figures to the fen after every write, on every as-of date', () => {
    fc.assert(fc.property(
      fc.array(changeArb, { minLength: 5, maxLength: 40 }), fc.array(fc.tuple(fc.array(changeArb, { minLength: 1, maxLength: 3 }), pick(AS_OF)), { minLength: 1, maxLength: 25 }),
      (start, writes) => {
        const rows: Rows = Object.fromEntries(FORMS.map((f) => [f, []]))
        for (const c of start) apply(rows, { ...c, kind: 'add' })
        const data: DashData = { today: AS_OF[0]!, rows: (f) => rows[f] ?? [], form: formById }
        const memo = settleMemo()
        const stats: SettleStats = { parts: 0, settled: 0 }
        for (const [changes, asOf] of writes) {
          for (const c of changes) apply(rows, c)
          const kept = settledReceivables(data.rows, asOf, memo, stats)
          if (!stats.rebuilt) patched++
          if (stats.settled) paths[stats.whole ? 'whole' : 'parts']++
          const fresh = receivables(ageingInputOf(data), asOf)
          expect(plain(kept)).toEqual(plain(fresh))
          for (const by of ['customer', 'salesperson'] as const) expect(ageingReport(kept, by).groups.map((g) => [g.key, g.figures])).toEqual(ageingReport(fresh, by).groups.map((g) => [g.key, g.figures]))
        }
      },
    ), { numRuns: 300 })
    // Most writes update the parts in place (the rest rebuild them: a contract left the 台帐).
    expect(patched).toBeGreaterThan(1000)
    // Both ways of settling were taken: many parts at once as the whole office handed out, a few part by part.
    expect(paths.whole).toBeGreaterThan(300)
    expect(paths.parts).toBeGreaterThan(300)
  })

  it('a write re-settles only the customer it touches', () => {
    const rows: Rows = {
      customer: CUSTOMERS.map((k) => full('customer', { number: k, state: '', values: { salesperson: 's1', creditDays: 30, openingBalance: 10_000, openingDate: '2026-09-01' } }, k)),
      contract: CUSTOMERS.map((k, i) => full('contract', { number: `HT${i}`, state: 'signed', values: { customer: k, creditDays: 30 } }, `c${i}`)),
      delivery: CUSTOMERS.map((_, i) => full('delivery', { number: `FH${i}`, state: 'booked', values: { contract: `c${i}`, shipDate: '2026-10-01', totalAmount: 50_000 } })),
      payment: [], adjustment: [],
    }
    const read = (f: string) => rows[f] ?? []
    const memo = settleMemo()
    const stats: SettleStats = { parts: 0, settled: 0 }
    settledReceivables(read, '2026-11-30', memo, stats)
    expect(stats).toEqual({ parts: 5, settled: 5, rebuilt: true, whole: true })
    settledReceivables(read, '2026-11-30', memo, stats)
    expect(stats).toEqual({ parts: 5, settled: 0, rebuilt: false, whole: false })
    rows.payment!.push(full('payment', { number: 'SK1', state: 'confirmed', values: { contract: 'c2', amount: 20_000, receivedDate: '2026-11-01' } }))
    const after = settledReceivables(read, '2026-11-30', memo, stats)
    expect(stats).toEqual({ parts: 5, settled: 1, rebuilt: false, whole: false })
    expect(after.find((i) => i.contract === 'c2')!.open).toBe(30_000)
    // Another as-of date is settled afresh, and the first is still kept.
    settledReceivables(read, '2026-10-31', memo, stats)
    expect(stats.settled).toBe(5)
    settledReceivables(read, '2026-11-30', memo, stats)
    expect(stats.settled).toBe(0)
  })

  it('a row written keeps its place: items due the same day are paid in the rows\' order, as afresh', () => {
    const rows: Rows = {
      customer: [full('customer', { number: 'K', state: '', values: { salesperson: 's1', creditDays: 30 } }, 'k0')],
      contract: [full('contract', { number: 'HT', state: 'signed', values: { customer: 'k0', creditDays: 30 } }, 'c0')],
      delivery: ['d1', 'd2', 'd3'].map((id) => full('delivery', { number: 'FH', state: 'booked', values: { contract: 'c0', shipDate: '2026-10-01', totalAmount: 50_000 } }, id)),
      payment: [full('payment', { number: 'SK', state: 'confirmed', values: { contract: 'c0', amount: 70_000, receivedDate: '2026-11-01' } })],
      adjustment: [],
    }
    const read = (f: string) => rows[f] ?? []
    const memo = settleMemo()
    settledReceivables(read, '2026-11-30', memo)
    // d1 rewritten (a new row in its place, 600.00 now), then d0 added after the others.
    rows.delivery![0] = full('delivery', { number: 'FH', state: 'booked', values: { contract: 'c0', shipDate: '2026-10-01', totalAmount: 60_000 } }, 'd1')
    settledReceivables(read, '2026-11-30', memo)
    rows.delivery!.push(full('delivery', { number: 'FH', state: 'booked', values: { contract: 'c0', shipDate: '2026-10-01', totalAmount: 10_000 } }, 'd0'))
    const stats: SettleStats = { parts: 0, settled: 0 }
    const kept = settledReceivables(read, '2026-11-30', memo, stats)
    expect(stats.rebuilt).toBe(false)
    const open = (items: readonly ReceivableItem[]) => Object.fromEntries(items.map((i) => [i.id, i.open]))
    expect(open(kept)).toEqual({ d1: 0, d2: 40_000, d3: 50_000, d0: 10_000 })
    expect(open(kept)).toEqual(open(receivables(ageingInputOf({ today: '2026-11-30', rows: read, form: formById }), '2026-11-30')))
  })
})

describe('receivables kept across a restart, brought up to the rows written since', () => {
  // As of dates after every record's: the kept items count the same records (see `datedThrough`).
  const LATER = ['2026-12-31', '2027-02-15']
  it('equal settling afresh to the fen, whatever was written since (only the touched parts settled again)', async () => {
    const seen = { patched: 0, keptSome: 0, fellBack: 0 }
    await fc.assert(fc.asyncProperty(
      fc.array(changeArb, { minLength: 5, maxLength: 40 }), fc.array(changeArb, { minLength: 0, maxLength: 6 }), pick(LATER), pick(LATER),
      async (start, writes, keptOn, asOf) => {
        const rows: Rows = Object.fromEntries(FORMS.map((f) => [f, []]))
        for (const c of start) apply(rows, { ...c, kind: 'add' })
        // As the lists' digest gives them: newest change first, then by id (every row here has the same time).
        const of = (f: string) => [...(rows[f] ?? [])].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        const memo = settleMemo()
        settledReceivables(of, keptOn, memo)
        // As stored and read back after a restart.
        const settled = settledParts(memo, keptOn)!
        const heldRows = settled.parts.map((p) => p.held!.map((r) => ({ ...r })))
        const kept = JSON.parse(JSON.stringify({ ...settled, parts: settled.parts.map(({ held: _h, ...p }) => p) })) as SettledParts
        const before = new Map(FORMS.flatMap((f, s) => rows[f]!.map((r) => [r.id, { source: s, row: r, updatedAt: r.updatedAt }] as [string, RowNow])))
        for (const c of writes) apply(rows, c)
        const nowRows = new Map<string, RowNow>(FORMS.flatMap((f, s) => rows[f]!.map((r) => [r.id, { source: s, row: r, updatedAt: r.updatedAt }] as [string, RowNow])))
        // Every row written since: new, replaced (a write makes a new row object) or removed.
        const changed = new Map<string, RowNow>()
        for (const [id, b] of before) if (!nowRows.has(id)) changed.set(id, { source: b.source, row: undefined, updatedAt: b.updatedAt })
        for (const [id, r] of nowRows) if (before.get(id)?.row !== r.row) changed.set(id, r)
        // The parts' rows as kept (read back from storage after the restart).
        const read = async (parts: number[]) => parts.flatMap((i) => heldRows[i]!)
        const patched = await patchSettled(kept, changed, read, asOf)
        const fresh = receivables(ageingInputOf({ today: asOf, rows: of, form: formById }), asOf)
        if (!patched) { seen.fellBack++; return }
        seen.patched++
        if (patched.kept > 0 && patched.settled > 0) seen.keptSome++
        expect(plain(reaged(patched.items, asOf))).toEqual(plain(fresh))
      },
    ), { numRuns: 300 })
    expect(seen.patched).toBeGreaterThan(150)
    expect(seen.keptSome).toBeGreaterThan(30)
  })
})
