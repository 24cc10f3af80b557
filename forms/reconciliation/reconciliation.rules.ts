/**
 * 月度合同台帐对账 (R24, [A] 12: 每月盘点销售与财务部对合同台帐进行对帐): the month's 合同台帐 rows,
 * read from the ledger (contract.ledger.ts), beside finance's own books; each difference is
 * computed per line and must be explained before the two departments sign. Pure functions.
 */
import type { FieldValue, FormData, Guard, LineRow, Values } from '../schema/types'
import { contractLedger, type LedgerRow } from '../contract/contract.ledger'

const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined)
const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '')

/** The ledger's figures a line carries (read from the 合同台帐 when the reconciliation is made). */
export const LEDGER_FIGURES = ['amount', 'delivered', 'collected', 'invoiced', 'outstanding'] as const

/**
 * The reconciliation's lines for a month: one per row of the 合同台帐 (the ledger's rows for the month,
 * as `contractLedger(input, { month })` gives them), with the ledger's figures; finance's columns empty.
 */
export function reconciliationLines(rows: readonly Pick<LedgerRow, 'id' | 'customer' | typeof LEDGER_FIGURES[number]>[]): Values[] {
  return rows.map((r) => ({ contract: r.id, customer: r.customer, amount: r.amount, delivered: r.delivered, collected: r.collected, invoiced: r.invoiced, outstanding: r.outstanding }))
}

/** 已收款差异: finance's books less the ledger (null until finance has entered its figure). */
export function collectedDifference(row: Values): FieldValue {
  const books = fen(row.financeCollected)
  return books === undefined ? null : books - (fen(row.collected) ?? 0)
}

/** 应收余额差异: finance's books less the ledger (null until finance has entered its figure). */
export function outstandingDifference(row: Values): FieldValue {
  const books = fen(row.financeOutstanding)
  return books === undefined ? null : books - (fen(row.outstanding) ?? 0)
}

const differs = (row: Values) => (fen(collectedDifference(row)) ?? 0) !== 0 || (fen(outstandingDifference(row)) ?? 0) !== 0

/** The lines whose books differ from the ledger (0-based index, the row). */
export function differences(data: Pick<FormData, 'lines'>): Array<{ index: number; row: LineRow }> {
  return (data.lines.items ?? []).map((row, index) => ({ index, row })).filter(({ row }) => differs(row.values))
}

/** 差异笔数: how many lines differ. */
export function differenceCount(data: FormData): FieldValue {
  return differences(data).length
}

/**
 * R24 ([A] 12): the sign-off needs finance's figures on every line and a 差异说明 on every line that
 * differs; the message names the lines (1-based, as the clerk counts them).
 */
export const differencesExplained: Guard = ({ doc }) => {
  const rows = doc.lines.items ?? []
  if (rows.length === 0) {
    return { ok: false, rule: 'R24', clause: '[A] 12', message: { zh: '对账单没有台帐行，请按月份从合同台帐取数', en: 'The reconciliation has no ledger lines; fill them from the contract ledger for the month' } }
  }
  const unfilled = rows.map((r, i) => (fen(r.values.financeCollected) === undefined || fen(r.values.financeOutstanding) === undefined ? i + 1 : 0)).filter(Boolean)
  if (unfilled.length) {
    return { ok: false, rule: 'R24', clause: '[A] 12', message: { zh: `第 ${unfilled.join('、')} 行还没有填写财务账面数`, en: `Line(s) ${unfilled.join(', ')} have no finance figures yet` } }
  }
  const bare = differences(doc).filter(({ row }) => !text(row.values.explanation)).map(({ index }) => index + 1)
  if (bare.length) {
    return { ok: false, rule: 'R24', clause: '[A] 12', message: { zh: `第 ${bare.join('、')} 行台帐与财务账面有差异，请填写差异说明`, en: `Line(s) ${bare.join(', ')} differ from finance's books; explain each difference` } }
  }
  return { ok: true }
}

/**
 * R24: the 台帐 figures of each line are the ledger's. The clerk can type over them (a lines column
 * is edited as a whole), and the ledger moves on after the lines were taken: before the submit, each
 * line is compared with the contract's ledger row now, and any line that differs is named in a
 * warning. The warning is confirmed and kept in the audit. It does not block, because a month-end
 * reconciliation may be signed after the next month's money has come in.
 */
export const ledgerFiguresCurrent: Guard = async ({ doc, lookup }) => {
  const stale: number[] = []
  for (const [i, line] of (doc.lines.items ?? []).entries()) {
    const id = text(line.values.contract)
    const contract = id ? await lookup.get('contract', id) : undefined
    const [deliveries, payments, adjustments] = contract
      ? await Promise.all([lookup.findBy('delivery', 'contract', id), lookup.findBy('payment', 'contract', id), lookup.findBy('adjustment', 'contract', id)])
      : [[], [], []]
    const row = contract ? contractLedger({ contracts: [contract], deliveries, payments, adjustments })[0] : undefined
    if (!row || LEDGER_FIGURES.some((k) => k !== 'invoiced' && (fen(line.values[k]) ?? 0) !== row[k])) stale.push(i + 1)
  }
  if (!stale.length) return { ok: true }
  return { ok: true, warning: { rule: 'R24', clause: '[A] 12', message: {
    zh: `第 ${stale.join('、')} 行的台帐数与当前合同台帐不一致（被改动过，或取数后又有发货、收款或调整），请核实后再提交`,
    en: `Line(s) ${stale.join(', ')} no longer match the contract ledger (edited, or changed since the figures were taken); check before submitting`,
  } } }
}
