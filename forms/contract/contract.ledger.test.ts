import { describe, expect, it } from 'vitest'
import type { DocSnapshot } from '../schema/types'
import { contractLedger, ledgerTotals } from './contract.ledger'

const d = (form: string, id: string, state: string, values: DocSnapshot['values']): DocSnapshot => ({ id, form, number: id.toUpperCase(), state, version: 1, values, lines: {} })
const contracts = [
  d('contract', 'c1', 'signed', { customer: 'k1', salesperson: 's1', signDate: '2026-11-03', totalAmount: 100_000_00 }),
  d('contract', 'c2', 'approved', { customer: 'k2', salesperson: 's2', signDate: '2026-10-20', totalAmount: 50_000_00 }),
  d('contract', 'c3', 'review', { customer: 'k1', salesperson: 's1', signDate: '2026-11-05', totalAmount: 9_999_00 }),
]

describe('合同台帐', () => {
  it('each contract with delivered, booked, collected, adjusted, undelivered, outstanding and credit, counting only what the rules count', () => {
    const rows = contractLedger({
      contracts,
      deliveries: [
        d('delivery', 'f1', 'booked', { contract: 'c1', totalAmount: 60_000_00 }),
        d('delivery', 'f2', 'shipped', { contract: 'c1', totalAmount: 20_000_00 }),
        d('delivery', 'f3', 'draft', { contract: 'c1', totalAmount: 20_000_00 }),
        d('delivery', 'f4', 'voided', { contract: 'c2', totalAmount: 50_000_00 }),
      ],
      payments: [
        d('payment', 'p1', 'confirmed', { contract: 'c1', amount: 30_000_00 }),
        d('payment', 'p2', 'draft', { contract: 'c1', amount: 99_000_00 }),
        d('payment', 'p3', 'confirmed', { contract: 'c2', amount: 10_000_00 }),
      ],
      adjustments: [d('adjustment', 'a1', 'confirmed', { contract: 'c1', amount: 1_500_00 }), d('adjustment', 'a2', 'review', { contract: 'c1', amount: 7_00 })],
    })
    expect(rows.map((r) => r.number)).toEqual(['C1', 'C2'])
    expect(rows[0]).toMatchObject({ amount: 100_000_00, delivered: 80_000_00, booked: 60_000_00, undelivered: 20_000_00, collected: 30_000_00, adjusted: 1_500_00, outstanding: 48_500_00, credit: 0 })
    // A prepayment before anything shipped is the customer's credit, not a negative receivable.
    expect(rows[1]).toMatchObject({ delivered: 0, undelivered: 50_000_00, collected: 10_000_00, outstanding: 0, credit: 10_000_00 })
    expect(ledgerTotals(rows)).toMatchObject({ amount: 150_000_00, delivered: 80_000_00, outstanding: 48_500_00, credit: 10_000_00 })
  })
  it('filters by customer, salesperson and month of signing', () => {
    const input = { contracts, deliveries: [], payments: [], adjustments: [] }
    expect(contractLedger(input, { customer: 'k2' }).map((r) => r.id)).toEqual(['c2'])
    expect(contractLedger(input, { salesperson: 's1' }).map((r) => r.id)).toEqual(['c1'])
    expect(contractLedger(input, { month: '2026-10' }).map((r) => r.id)).toEqual(['c2'])
    expect(contractLedger(input, { month: '2026-09' })).toEqual([])
  })
})
