/**
 * 回款与信用分析 as an Excel sheet (issue 10): one row per customer as on screen, money as money
 * cells, 回款率 and 额度占用 as percent cells, 超额 as text; the 合计 of the money columns equals the
 * screen's to the fen (both sum the same integer fen). A limit not set is an empty cell.
 */
import type { CreditRow } from '@forms/contract/contract.ageing'
import type { XlsxColumn, XlsxSheet } from './workbook'

export interface CreditExportText {
  title: string
  /** "月份：2026-11". */
  filters: string
  header: Record<'customer' | 'shipped' | 'collected' | 'rate' | 'receivable' | 'overdue' | 'limit' | 'exposure' | 'used' | 'over', string>
  /** What 超额 reads in a row over its limit. */
  overWord: string
}

export function creditSheet(rows: ReadonlyArray<CreditRow & { customerTitle: string }>, text: CreditExportText): XlsxSheet {
  const h = text.header
  const columns: XlsxColumn[] = [
    { header: h.customer, kind: 'text' }, { header: h.shipped, kind: 'money' }, { header: h.collected, kind: 'money' },
    { header: h.rate, kind: 'percent' }, { header: h.receivable, kind: 'money' }, { header: h.overdue, kind: 'money' },
    { header: h.limit, kind: 'money' }, { header: h.exposure, kind: 'money' }, { header: h.used, kind: 'percent' }, { header: h.over, kind: 'text' },
  ]
  return {
    name: text.title, title: text.title, filters: text.filters, columns, totals: true,
    rows: rows.map((r) => [
      r.customerTitle || r.customer, r.shipped, r.collected, r.collectionRate === undefined ? null : r.collectionRate / 10_000,
      r.receivable, r.overdue, r.limit ?? null, r.exposure, r.usedPercent === undefined ? null : r.usedPercent / 100, r.over ? text.overWord : '',
    ]),
  }
}
