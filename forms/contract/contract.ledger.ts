/**
 * 合同台帐 ([A] 4, 12): every contract with its amount, what has been shipped, booked, collected,
 * invoiced and adjusted, and what is still outstanding. A report over the documents, not a form:
 * pure sums with the same states the rules count (contract.tally.ts).
 */
import type { DocSnapshot, FieldValue } from '../schema/types'
import { BOOKED_STATES, CONFIRMED_ADJUSTMENT, CONFIRMED_PAYMENT, SHIPPED_STATES, sumOf } from './contract.tally'

/** Contracts the ledger lists: approved onwards ([A] 3: 合同签批 → 合同台帐). */
export const LEDGER_STATES = ['approved', 'signed', 'closed']

export interface LedgerRow {
  id: string
  number: string
  state: string
  customer: string
  salesperson: string
  signDate: string
  /** 合同金额 (fen). */
  amount: number
  /** 已发货: shipped deliveries' amounts at the contract's prices. */
  delivered: number
  /** 已入账: deliveries finance booked on the signed receipt (R22). */
  booked: number
  /** 未发货: amount − delivered (never below 0). */
  undelivered: number
  /** 已收款: payments finance confirmed. */
  collected: number
  /** 已开票 (the invoice requests of the next stage; 0 until they exist). */
  invoiced: number
  /** 调整: confirmed return / claim / replacement adjustments (R15). */
  adjusted: number
  /** 应收余额: delivered − adjusted − collected, never below 0. */
  outstanding: number
  /** 预收余额: collected beyond what was delivered (less adjustments): the customer's credit. */
  credit: number
}

export interface LedgerInput {
  contracts: readonly DocSnapshot[]
  deliveries: readonly DocSnapshot[]
  payments: readonly DocSnapshot[]
  adjustments: readonly DocSnapshot[]
  invoices?: readonly DocSnapshot[]
}

export interface LedgerFilter { customer?: string; salesperson?: string; /** "YYYY-MM" of the signing date. */ month?: string }

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '')

function byContract(docs: readonly DocSnapshot[]): Map<string, DocSnapshot[]> {
  const out = new Map<string, DocSnapshot[]>()
  for (const d of docs) {
    const c = str(d.values.contract)
    if (c) out.set(c, [...(out.get(c) ?? []), d])
  }
  return out
}

/** The ledger's rows, newest signing date first, filtered by customer, salesperson and month. */
export function contractLedger(input: LedgerInput, filter: LedgerFilter = {}): LedgerRow[] {
  const deliveries = byContract(input.deliveries)
  const payments = byContract(input.payments)
  const adjustments = byContract(input.adjustments)
  const invoices = byContract(input.invoices ?? [])
  const rows: LedgerRow[] = []
  for (const c of input.contracts) {
    if (!LEDGER_STATES.includes(c.state)) continue
    const row = {
      id: c.id, number: c.number, state: c.state, customer: str(c.values.customer), salesperson: str(c.values.salesperson), signDate: str(c.values.signDate),
    }
    if (filter.customer && row.customer !== filter.customer) continue
    if (filter.salesperson && row.salesperson !== filter.salesperson) continue
    if (filter.month && !row.signDate.startsWith(filter.month)) continue
    const amount = typeof c.values.totalAmount === 'number' ? c.values.totalAmount : 0
    const mine = (m: Map<string, DocSnapshot[]>) => m.get(c.id) ?? []
    const delivered = sumOf(mine(deliveries), 'totalAmount', SHIPPED_STATES)
    const booked = sumOf(mine(deliveries), 'totalAmount', BOOKED_STATES)
    const collected = sumOf(mine(payments), 'amount', CONFIRMED_PAYMENT)
    const adjusted = sumOf(mine(adjustments), 'amount', CONFIRMED_ADJUSTMENT)
    const invoiced = sumOf(mine(invoices), 'amount', ['issued'])
    const balance = delivered - adjusted - collected
    rows.push({
      ...row, amount, delivered, booked, undelivered: Math.max(0, amount - delivered), collected, invoiced, adjusted,
      outstanding: Math.max(0, balance), credit: Math.max(0, -balance),
    })
  }
  return rows.sort((a, b) => (a.signDate === b.signDate ? (a.number < b.number ? 1 : -1) : a.signDate < b.signDate ? 1 : -1))
}

/** The column totals of the rows (the ledger's 合计 line). */
export function ledgerTotals(rows: readonly LedgerRow[]): Omit<LedgerRow, 'id' | 'number' | 'state' | 'customer' | 'salesperson' | 'signDate'> {
  const keys = ['amount', 'delivered', 'booked', 'undelivered', 'collected', 'invoiced', 'adjusted', 'outstanding', 'credit'] as const
  return Object.fromEntries(keys.map((k) => [k, rows.reduce((n, r) => n + r[k], 0)])) as ReturnType<typeof ledgerTotals>
}
