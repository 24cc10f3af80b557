/**
 * 年度销售目标计划 (§5.10.3): set by the company after the forecasts, per salesperson and quarter;
 * each quarter it is adjusted on the previous quarter's completion (季度调整): a new plan made from
 * the current one, showing that quarter's target against the contracts actually signed.
 */
import type { DerivedData, DeriveSource, DocSnapshot, FieldError, FieldValue, FormData, GatherContext, Guard, LineRow, Values } from '../schema/types'
import { LEDGER_STATES } from '../contract/contract.ledger'
import { achievement } from '../sales-forecast/sales-forecast.rules'

const QUARTERS = ['q1', 'q2', 'q3', 'q4'] as const
const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '')
const fen = (v: FieldValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** 全年目标 of a line: Q1 + Q2 + Q3 + Q4. */
export function yearTotal(row: Values): number {
  return QUARTERS.reduce((n, q) => n + fen(row[q]), 0)
}

/** The plan's total over its salespeople. */
export function planTotal(data: FormData): number {
  return (data.lines.items ?? []).reduce((n, r) => n + yearTotal(r.values), 0)
}

/** The quarter an adjustment reviews (the one before the quarter it is for); none for the year's plan. */
export function reviewedQuarter(revision: FieldValue | undefined): number | null {
  const n = Number(str(revision))
  return n >= 2 && n <= 4 ? n - 1 : null
}

/** The first and last day of quarter `q` of `year`. */
export function quarterDays(year: string, q: number): { from: string; to: string } {
  const first = (q - 1) * 3 + 1, last = q * 3
  const days = [31, 30, 30, 31][q - 1]!
  return { from: `${year}-${String(first).padStart(2, '0')}-01`, to: `${year}-${String(last).padStart(2, '0')}-${days}` }
}

/** Approved contracts' amounts (合同台帐 states) signed in quarter `q` of `year`, per salesperson. */
export function contractedInQuarter(contracts: readonly Pick<DocSnapshot, 'state' | 'values'>[], year: string, q: number): Record<string, number> {
  const { from, to } = quarterDays(year, q)
  const out: Record<string, number> = {}
  for (const c of contracts) {
    const day = str(c.values.signDate), sp = str(c.values.salesperson)
    if (!LEDGER_STATES.includes(c.state) || !sp || day < from || day > to) continue
    out[sp] = (out[sp] ?? 0) + fen(c.values.totalAmount)
  }
  return out
}

/**
 * 上季度完成情况: for an adjustment, each salesperson of the plan it adjusts with that plan's
 * target for the reviewed quarter and the contracts actually signed in it (gathered, never typed).
 */
export async function targetReview(data: FormData, ctx: GatherContext): Promise<FormData> {
  const q = reviewedQuarter(data.values.revision)
  const year = str(data.values.year)
  const before = q ? await ctx.lookup.get('salesTarget', str(data.values.basedOn)) : undefined
  if (!q || !before) return { values: {}, lines: { review: [] } }
  const key = QUARTERS[q - 1]!
  const review: LineRow[] = []
  for (const [i, row] of (before.lines.items ?? []).entries()) {
    const sp = str(row.values.salesperson)
    if (!sp) continue
    const actual = contractedInQuarter(await ctx.lookup.findBy('contract', 'salesperson', sp), year, q)[sp] ?? 0
    const target = fen(row.values[key])
    review.push({ id: `r${i}`, values: { salesperson: sp, target, actual, rate: achievement(actual, target) } })
  }
  return { values: {}, lines: { review } }
}

/** An adjustment names the plan it adjusts. */
export function adjustmentNamesPlan(data: FormData): FieldError[] {
  return reviewedQuarter(data.values.revision) && !str(data.values.basedOn)
    ? [{ field: 'basedOn', message: { zh: '季度调整请选择所依据的原计划', en: 'Pick the plan this adjusts' } }]
    : []
}

/**
 * A quarterly adjustment changes only the quarters still to come: the quarters before it keep the
 * adjusted plan's targets (§5.10.3), and it adjusts an approved plan of the same year.
 */
export const pastQuartersKept: Guard = async ({ doc, lookup }) => {
  const q = reviewedQuarter(doc.values.revision)
  if (!q) return { ok: true }
  const note = { rule: '§5.10.3', clause: '§5.10.3' }
  const before = await lookup.get('salesTarget', str(doc.values.basedOn))
  if (!before || before.state !== 'approved' || str(before.values.year) !== str(doc.values.year)) {
    return { ok: false, ...note, message: { zh: '季度调整须依据同一年度已批准的销售目标计划', en: 'An adjustment must start from an approved plan of the same year' } }
  }
  const was = new Map((before.lines.items ?? []).map((r) => [str(r.values.salesperson), r.values]))
  for (const r of doc.lines.items ?? []) {
    const old = was.get(str(r.values.salesperson))
    for (const [i, k] of QUARTERS.slice(0, q).entries()) {
      if (fen(r.values[k]) !== fen(old?.[k])) {
        return { ok: false, ...note, message: { zh: `第${'一二三四'[i]}季度已过，目标不能调整，请按原计划填写`, en: `Q${i + 1} is past: keep the plan’s target` } }
      }
    }
  }
  return { ok: true }
}

/** 季度调整: the next quarter's adjustment of an approved plan, its targets copied to be adjusted. */
export function adjustFromPlan(plan: DeriveSource): DerivedData {
  const next = Math.min(4, Number(str(plan.values.revision) || '1') + 1)
  return {
    values: { year: plan.values.year ?? null, revision: String(next), basedOn: plan.id },
    lines: { items: (plan.lines.items ?? []).map((r) => ({ salesperson: r.salesperson ?? null, q1: r.q1 ?? 0, q2: r.q2 ?? 0, q3: r.q3 ?? 0, q4: r.q4 ?? 0 })) },
  }
}

/** Only a plan with a quarter still to adjust. */
export const hasQuarterLeft = (plan: DeriveSource) => Number(str(plan.values.revision) || '1') < 4
