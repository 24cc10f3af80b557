/**
 * The 合同台帐 as an Excel sheet (issue 10): a report exports with its grouping, so the contracts
 * are grouped by customer (a 小计 per customer), then the 合计 of every row, which equals the
 * screen's (ledgerTotals) to the fen: both sum the same integer fen.
 */
import type { LedgerRow } from '@forms/contract/contract.ledger'
import type { XlsxColumn, XlsxGroup, XlsxSheet } from './workbook'

/** The ledger's money columns, in the screen's order. */
export const LEDGER_MONEY = ['amount', 'delivered', 'booked', 'undelivered', 'collected', 'invoiced', 'adjusted', 'outstanding', 'credit'] as const
export type LedgerMoney = (typeof LEDGER_MONEY)[number]

export interface LedgerExportText {
  title: string
  /** Column headers as the screen shows them. */
  header: Record<'number' | 'state' | 'salesperson' | 'signDate' | LedgerMoney, string>
  /** The filters line ("客户：… · 签订月份：2026-11"), when any filter applied. */
  filters?: string
  stateLabel: (state: string) => string
  userName: (id: string) => string
}

/** The ledger's rows grouped by customer in the order the screen first lists each customer. */
export function ledgerSheet(rows: ReadonlyArray<LedgerRow & { customerTitle: string }>, text: LedgerExportText): XlsxSheet {
  const columns: XlsxColumn[] = [
    { header: text.header.number, kind: 'text' },
    { header: text.header.state, kind: 'text' },
    { header: text.header.salesperson, kind: 'text' },
    { header: text.header.signDate, kind: 'date' },
    ...LEDGER_MONEY.map((k): XlsxColumn => ({ header: text.header[k], kind: 'money' })),
  ]
  const groups = new Map<string, XlsxGroup>()
  for (const r of rows) {
    const g = groups.get(r.customer) ?? { label: r.customerTitle || r.customer, rows: [] }
    groups.set(r.customer, g)
    g.rows.push([r.number, text.stateLabel(r.state), text.userName(r.salesperson), r.signDate || null, ...LEDGER_MONEY.map((k) => r[k])])
  }
  return { name: text.title, title: text.title, ...(text.filters ? { filters: text.filters } : {}), columns, groups: [...groups.values()], totals: true }
}

/** `合同台帐_2026-11.xlsx`: the month filtered on, else the month of the export. */
export function ledgerFileName(title: string, month: string): string {
  return `${title}_${month}.xlsx`
}
