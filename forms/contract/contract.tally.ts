/**
 * What a contract has had so far: goods shipped against it (per line, in exact thousandths) and
 * money collected. Pure sums over the documents guards and the 合同台帐 read; one home for the
 * states that count, so the delivery check, R13 and the ledger add up the same way.
 */
import type { DocSnapshot, FieldValue, LineRow, Values } from '../schema/types'
import { milli } from '../../renderer/core/quantity'

/** A delivery counts once it has left the warehouse (shipped), booked by finance or not. */
export const SHIPPED_STATES = ['shipped', 'booked']
/** A delivery finance has booked (R22: after the customer signed the receipt). */
export const BOOKED_STATES = ['booked']
/** Returned goods count back on the contract once received (a replacement may then ship). */
export const RETURNED_STATES = ['received']
/** A payment counts once finance confirmed it was received (§5.9). */
export const CONFIRMED_PAYMENT = ['confirmed']
/** An account adjustment (R15) counts once finance and CS have both signed it. */
export const CONFIRMED_ADJUSTMENT = ['confirmed']

const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '')

/** The row of `rows` for the same goods: the same product record, else the same 品名 and 规格. */
export function sameGoods(rows: readonly Values[], row: Values): Values | undefined {
  if (text(row.product)) {
    const hit = rows.find((r) => text(r.product) === text(row.product))
    if (hit) return hit
  }
  return rows.find((r) => text(r.productName) === text(row.productName) && text(r.spec) === text(row.spec))
}

/** Total of a money field over documents in `states`. */
export function sumOf(docs: readonly DocSnapshot[], field: string, states: readonly string[]): number {
  return docs.filter((d) => states.includes(d.state)).reduce((n, d) => n + fen(d.values[field]), 0)
}

/** One contract line and how much of it has been shipped. */
export interface LineTally { row: Values; ordered: bigint; shipped: bigint }

/**
 * Each contract line with the quantity shipped against it: `deliveries` in SHIPPED_STATES (except
 * `except`, the one being checked), less `returns` received back.
 */
export function shippedByLine(contractLines: readonly LineRow[], deliveries: readonly DocSnapshot[], except?: string, returns: readonly DocSnapshot[] = []): LineTally[] {
  const tallies = contractLines.map((l) => ({ row: l.values, ordered: milli(l.values.quantity) ?? 0n, shipped: 0n }))
  const count = (docs: readonly DocSnapshot[], states: readonly string[], sign: bigint) => {
    for (const d of docs) {
      if (d.id === except || !states.includes(d.state)) continue
      for (const r of d.lines.items ?? []) {
        const hit = sameGoods(tallies.map((t) => t.row), r.values)
        const t = hit && tallies.find((x) => x.row === hit)
        if (t) t.shipped += sign * (milli(r.values.quantity) ?? 0n)
      }
    }
  }
  count(deliveries, SHIPPED_STATES, 1n)
  count(returns, RETURNED_STATES, -1n)
  return tallies
}
