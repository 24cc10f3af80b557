/**
 * A visit plan's visits done and missed (§5.10.4, §5.10.5): each planned line against the 客户拜访表
 * on record, computed each time the plan is shown (a visit recorded after approval counts). Pure.
 */
import type { DocSnapshot, FieldValue, ProgressView, RecordLookup, RowProgress } from '../schema/types'

const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '')

/** A visit record counts unless it is void (a draft is a visit made, not yet approved). */
const counts = (visit: DocSnapshot) => visit.state !== 'voided'

/** One planned line's standing. */
export type VisitStanding = 'done' | 'missed' | 'pending'

/** A planned line with its standing and, when done, the visit record that carried it out. */
export interface PlannedVisit { row: string; standing: VisitStanding; visit?: DocSnapshot }

/**
 * Each line of `plan` matched with the `visits`: first the records naming this plan and line
 * (计划行号), then, for the lines left, a record of the same customer by the same salesperson dated
 * within the plan's period (the one nearest the planned day); a record settles one line only. A
 * line without one is 未拜访·已过期 once its planned day is before `today`, else 待拜访.
 */
export function plannedVisits(plan: DocSnapshot, visits: readonly DocSnapshot[], today: string): PlannedVisit[] {
  const rows = plan.lines.visits ?? []
  const from = text(plan.values.periodStart), to = text(plan.values.periodEnd)
  const free = visits.filter(counts).filter((v) => v.id !== plan.id)
  const taken = new Set<string>()
  const settled = new Map<string, DocSnapshot>()
  rows.forEach((r, i) => {
    const hit = free.find((v) => !taken.has(v.id) && v.values.plan === plan.id && v.values.planLine === i + 1)
    if (hit) { taken.add(hit.id); settled.set(r.id, hit) }
  })
  const distance = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b))
  for (const r of rows) {
    if (settled.has(r.id)) continue
    const customer = text(r.values.customer), salesperson = text(r.values.salesperson), planned = text(r.values.plannedDate)
    const candidates = free.filter((v) => {
      const day = text(v.values.visitDate)
      return !taken.has(v.id) && text(v.values.customer) === customer && text(v.values.salesperson) === salesperson &&
        day !== '' && (!from || day >= from) && (!to || day <= to)
    }).sort((a, b) => distance(text(a.values.visitDate), planned) - distance(text(b.values.visitDate), planned))
    const hit = candidates[0]
    if (hit) { taken.add(hit.id); settled.set(r.id, hit) }
  }
  return rows.map((r) => {
    const visit = settled.get(r.id)
    if (visit) return { row: r.id, standing: 'done', visit }
    const planned = text(r.values.plannedDate)
    return { row: r.id, standing: planned !== '' && planned < today ? 'missed' : 'pending' }
  })
}

/** The plan's summary: 计划 n，已完成 n，未完成 n（已过期），完成率 % (whole percent, rounded half up). */
export function planSummary(items: readonly PlannedVisit[]): { planned: number; done: number; missed: number; pending: number; rate: number } {
  const done = items.filter((i) => i.standing === 'done').length
  const missed = items.filter((i) => i.standing === 'missed').length
  const planned = items.length
  return { planned, done, missed, pending: planned - done - missed, rate: planned === 0 ? 0 : Math.floor((done * 200 + planned) / (planned * 2)) }
}

const WORDS: Record<VisitStanding, { zh: string; en: string; tone: RowProgress['tone'] }> = {
  done: { zh: '已拜访', en: 'Visited', tone: 'success' },
  missed: { zh: '未拜访·已过期', en: 'Missed', tone: 'danger' },
  pending: { zh: '待拜访', en: 'To visit', tone: 'info' },
}

/** The progress view of a plan from its matched lines (the words a clerk reads). */
export function planView(items: readonly PlannedVisit[]): ProgressView {
  const s = planSummary(items)
  return {
    rows: items.map((i) => ({
      row: i.row, status: { zh: WORDS[i.standing].zh, en: WORDS[i.standing].en }, tone: WORDS[i.standing].tone, open: i.standing !== 'done',
      ...(i.visit ? { doc: { form: i.visit.form, id: i.visit.id, number: i.visit.number } } : {}),
    })),
    summary: {
      zh: `计划 ${s.planned}，已完成 ${s.done}，未完成 ${s.missed + s.pending}（其中已过期 ${s.missed}），完成率 ${s.rate}%`,
      en: `Planned ${s.planned}, done ${s.done}, not done ${s.missed + s.pending} (missed ${s.missed}), ${s.rate}% done`,
    },
  }
}

/**
 * The visit records that may settle the plan's lines: those naming the plan, and those of each
 * planned customer (read through the reference index, so a big office stays quick).
 */
export async function visitsForPlan(plan: DocSnapshot, lookup: RecordLookup): Promise<DocSnapshot[]> {
  const customers = [...new Set((plan.lines.visits ?? []).map((r) => text(r.values.customer)).filter(Boolean))]
  const found = [
    ...(await lookup.findBy('visitRecord', 'plan', plan.id)),
    ...(await Promise.all(customers.map((c) => lookup.findBy('visitRecord', 'customer', c)))).flat(),
  ]
  return [...new Map(found.map((d) => [d.id, d])).values()]
}

/** The plan's live progress (ProgressDef.run): its visits as recorded now. */
export async function visitPlanProgress(plan: DocSnapshot, ctx: { lookup: RecordLookup; today: string }): Promise<ProgressView> {
  return planView(plannedVisits(plan, await visitsForPlan(plan, ctx.lookup), ctx.today))
}
