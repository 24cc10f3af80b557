/**
 * 客户拜访表 (§5.10.2, §5.10.5): what picking the customer fills, the visit's expense total in fen
 * (管理费用管理条例), the cross-field checks, and the record made from a plan's line.
 */
import type { DerivedData, FieldError, FieldValue, FormData, RefSource, Values } from '../schema/types'

const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '')
const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0)

/** Picking the customer fills 联系人 and 电话 (its first contact), 地址 and the 业务员 who looks after it. */
export function fromCustomer(customer: RefSource): Values {
  const first = (customer.lines.contacts ?? []).find((c) => text(c.name) !== '')
  return {
    contact: first?.name ?? null,
    contactPhone: first?.phone ?? customer.values.phone ?? null,
    address: customer.values.address ?? null,
    salesperson: customer.values.salesperson ?? null,
  }
}

/** 费用合计: the expense lines' 金额 added up in fen (never floats). */
export function expenseTotal(data: FormData): number {
  return (data.lines.expenses ?? []).reduce((n, r) => n + fen(r.values.amount), 0)
}

/** 票据张数 of all the expense lines. */
export function receiptCount(data: FormData): number {
  return (data.lines.expenses ?? []).reduce((n, r) => n + (typeof r.values.receipts === 'number' ? r.values.receipts : 0), 0)
}

/** The next visit comes after this one; a plan line number needs the plan it belongs to. */
export function visitDates(data: FormData): FieldError[] {
  const out: FieldError[] = []
  const visit = text(data.values.visitDate), next = text(data.values.nextVisitDate)
  if (visit && next && next <= visit) {
    out.push({ field: 'nextVisitDate', message: { zh: '下次拜访日期应在本次拜访日期之后，请改正', en: 'The next visit must come after this one' } })
  }
  if (data.values.planLine !== null && data.values.planLine !== undefined && !text(data.values.plan)) {
    out.push({ field: 'planLine', message: { zh: '填写了计划行号，请同时选择所属的拜访计划，或清空行号', en: 'Pick the visit plan the line belongs to, or clear the line number' } })
  }
  return out
}

/** An expense line with money but no kind, or a 招待费/礼品 without a word of what it was for. */
export function expensesExplained(data: FormData): FieldError[] {
  const out: FieldError[] = []
  ;(data.lines.expenses ?? []).forEach((r, row) => {
    const kind = text(r.values.kind)
    if ((kind === 'hospitality' || kind === 'gifts' || kind === 'other') && fen(r.values.amount) > 0 && !text(r.values.note)) {
      out.push({ field: 'expenses', row, column: 'note', rule: '§5.10.2',
        message: { zh: '招待费、礼品和其他费用请在说明里写明对象和事由（管理费用管理条例）', en: 'Say whom and what for (hospitality, gifts, other)' } })
    }
  })
  return out
}

/**
 * 生成拜访表 from a line of a 拜访客户计划表: its customer, salesperson, planned date and purpose,
 * the plan and the line's number (1-based, as the plan shows it).
 */
export function visitFromPlanLine(plan: RefSource & { row?: { index: number; values: Values } }): DerivedData {
  const r = plan.row?.values ?? {}
  return {
    values: {
      customer: r.customer ?? null, salesperson: r.salesperson ?? null, visitDate: r.plannedDate ?? null,
      purpose: r.purpose ?? null, planLine: plan.row ? plan.row.index + 1 : null,
    },
  }
}

/** 客户拜访表 from the customer's page: what picking the customer would fill. */
export function visitFromCustomer(customer: RefSource): DerivedData {
  return { values: fromCustomer(customer) }
}
