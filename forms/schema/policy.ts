/**
 * The office's business settings the rules read: [A] 11's invoice gate (R19), the commission rates
 * (R20) and the escalation of overdue receivables (R23). The administrator sets them in 设置 →
 * 业务规则; they travel signed in the office directory (OfficeSettings.policy), so every PC's data
 * layer and import judge the same way. Absent settings are [A]'s defaults.
 */
import { z } from 'zod'

/** A commission rate in basis points (万分之, 150 = 1.5 %) of the collected amount. */
export interface CommissionRate {
  /** A salesperson's user id; absent: any salesperson. */
  salesperson?: string
  /** A product group (product.group); absent: any group. */
  productGroup?: string
  basisPoints: number
}

/** One escalation step of R23, taken when a receivable is this many days past its due date. */
export interface OverdueStep { kind: 'remind' | 'interest' | 'commissionOffset' | 'legal'; afterDays: number }

export interface BusinessPolicy {
  /**
   * R19: 'collected' ([A] 11: an invoice only once `invoiceMinPercent` % of the contract is collected)
   * or 'practice' ([F]: 现结 customers invoiced with the delivery, credit customers when due).
   */
  invoiceGate: 'collected' | 'practice'
  invoiceMinPercent: number
  /** R20: the most specific matching rate wins (salesperson and group, salesperson, group, any). */
  commissionRates: CommissionRate[]
  /** R23: the steps after the due date, in the order they apply. */
  overdueSteps: OverdueStep[]
  /** R23's interest, in basis points per month of the overdue amount (计息). */
  overdueInterestBasisPoints: number
}

export const DEFAULT_POLICY: BusinessPolicy = {
  invoiceGate: 'collected',
  invoiceMinPercent: 60,
  commissionRates: [],
  overdueSteps: [
    { kind: 'remind', afterDays: 1 },
    { kind: 'interest', afterDays: 30 },
    { kind: 'commissionOffset', afterDays: 60 },
    { kind: 'legal', afterDays: 90 },
  ],
  overdueInterestBasisPoints: 50,
}

/** Settings arrive signed by the administrator, but from another PC: each part is checked, a bad one falls back to the default. */
const bp = z.number().int().min(0).max(10_000)
const PARTS = {
  invoiceGate: z.enum(['collected', 'practice']),
  invoiceMinPercent: z.number().int().min(0).max(100),
  commissionRates: z.array(z.object({ salesperson: z.string().max(100).optional(), productGroup: z.string().max(100).optional(), basisPoints: bp })).max(1000),
  overdueSteps: z.array(z.object({ kind: z.enum(['remind', 'interest', 'commissionOffset', 'legal']), afterDays: z.number().int().min(0).max(3650) })).max(10),
  overdueInterestBasisPoints: bp,
} satisfies { [K in keyof BusinessPolicy]: z.ZodType<BusinessPolicy[K]> }

/** The policy with [A]'s defaults for whatever the administrator has not set (or set in a shape no version wrote). */
export function policyOf(partial: Partial<BusinessPolicy> | undefined): BusinessPolicy {
  const out: Record<string, unknown> = { ...DEFAULT_POLICY }
  for (const [key, schema] of Object.entries(PARTS)) {
    const parsed = (schema as z.ZodType).safeParse((partial as Record<string, unknown> | undefined)?.[key])
    if (parsed.success) out[key] = parsed.data
  }
  return out as unknown as BusinessPolicy
}

const PART_NAMES: Record<keyof BusinessPolicy, string> = {
  invoiceGate: '开票条件', invoiceMinPercent: '开票所需回款比例', commissionRates: '业务提成比例', overdueSteps: '逾期处理天数', overdueInterestBasisPoints: '逾期利率',
}

/** The parts of a policy about to be saved that no rule could read (named for the clerk), or none. */
export function policyProblems(partial: Partial<BusinessPolicy>): string[] {
  return Object.entries(partial).flatMap(([key, value]) => {
    const schema = (PARTS as Record<string, z.ZodType>)[key]
    return !schema ? [key] : schema.safeParse(value).success ? [] : [PART_NAMES[key as keyof BusinessPolicy]]
  })
}
