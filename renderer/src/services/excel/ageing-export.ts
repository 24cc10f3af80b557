/**
 * The 账龄分析 as an Excel sheet (issue 10): a report exports with its grouping, so each customer
 * (or salesperson) is a group of its open items with a 小计, then the 合计; each item's open amount
 * in its bucket's column, so every subtotal and total equals the screen's figure to the fen.
 */
import { BUCKETS, type AgeingGroup } from '@forms/contract/contract.ageing'
import type { XlsxColumn, XlsxSheet } from './workbook'

export interface AgeingExportText {
  title: string
  /** 截止日期 and the grouping, e.g. "截止日期：2026-12-01 · 按客户". */
  filters: string
  header: Record<'number' | 'customer' | 'due' | 'days' | 'total' | (typeof BUCKETS)[number], string>
  groupName: (key: string) => string
  customerName: (id: string) => string
}

export function ageingSheet(groups: readonly AgeingGroup[], text: AgeingExportText): XlsxSheet {
  const columns: XlsxColumn[] = [
    { header: text.header.number, kind: 'text' },
    { header: text.header.customer, kind: 'text' },
    { header: text.header.due, kind: 'date' },
    { header: text.header.days, kind: 'text' },
    ...BUCKETS.map((b): XlsxColumn => ({ header: text.header[b], kind: 'money' })),
    { header: text.header.total, kind: 'money' },
  ]
  return {
    name: text.title, title: text.title, filters: text.filters, columns, totals: true,
    groups: groups.map((g) => ({
      label: text.groupName(g.key),
      // Days past due as text: a count, not a quantity to add up in the 小计.
      rows: g.items.filter((i) => i.open > 0).map((i) => [
        i.number, text.customerName(i.customer), i.due || null, i.days > 0 ? String(i.days) : '', ...BUCKETS.map((b) => (i.bucket === b ? i.open : null)), i.open,
      ]),
    })),
  }
}
