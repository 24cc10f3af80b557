/** 拜访客户计划表 (§5.10.4): its name from the period, and the period's checks. */
import type { FieldError, FieldValue, FormData, RefSource, Values } from '../schema/types'

const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '')
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1

/** 计划名称: 周计划 2025-07-14 至 2025-07-20 (what lists and pickers show). */
export function planName(data: FormData): string | null {
  const from = text(data.values.periodStart), to = text(data.values.periodEnd)
  if (!from || !to) return null
  return `${data.values.periodKind === 'month' ? '月计划' : '周计划'} ${from} 至 ${to}`
}

/** 计划拜访次数: the planned lines. */
export function plannedCount(data: FormData): number {
  return (data.lines.visits ?? []).length
}

/**
 * The period runs forwards and fits its kind (a week plan at most 7 days, a month plan at most 31);
 * every planned date lies within it, so the plan's visits can be told done or missed.
 */
export function periodChecks(data: FormData): FieldError[] {
  const out: FieldError[] = []
  const from = text(data.values.periodStart), to = text(data.values.periodEnd)
  if (!from || !to) return out
  if (to < from) {
    out.push({ field: 'periodEnd', message: { zh: '计划结束日期不能早于开始日期', en: 'The period cannot end before it starts' } })
    return out
  }
  const max = data.values.periodKind === 'month' ? 31 : 7
  if (days(from, to) > max) {
    out.push({ field: 'periodEnd', rule: '§5.10.4', message: data.values.periodKind === 'month'
      ? { zh: '月计划的期间最长 31 天，请改正结束日期或改为多份计划', en: 'A month plan covers at most 31 days' }
      : { zh: '周计划的期间最长 7 天，请改正结束日期或选“月计划”', en: 'A week plan covers at most 7 days' } })
  }
  ;(data.lines.visits ?? []).forEach((r, row) => {
    const day = text(r.values.plannedDate)
    if (day && (day < from || day > to)) {
      out.push({ field: 'visits', row, column: 'plannedDate', message: { zh: `计划日期应在计划期间 ${from} 至 ${to} 之内`, en: `Plan the visit within ${from} – ${to}` } })
    }
  })
  return out
}

/** Picking a plan line's customer fills its 业务员 (the one who looks after the customer). */
export function salespersonOfCustomer(customer: RefSource): Values {
  return { salesperson: customer.values.salesperson ?? null }
}
