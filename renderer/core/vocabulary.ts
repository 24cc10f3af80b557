/**
 * The words every layer shares: roles, labels and stored values. A leaf module: the form model
 * (`forms/schema/types.ts`) and the record model (`core/model.ts`) both import from here and no
 * longer from each other.
 */

/** A label in both UI languages; zh-CN is the business's own term. */
export interface Label { zh: string; en: string }

/** Values as stored: text/date/select/decimal/reference/user → string, number/money → number, boolean → boolean. */
export type FieldValue = string | number | boolean | null
export type Values = Record<string, FieldValue | undefined>

/**
 * Roles of §3.0, finer where the process needs it: 产品组负责人 judges feasibility (R2), a 研发工程师
 * replies a lead time, the 主管副总 approves technical support ([F]), the 财务副总 invoices and
 * commissions (R19, R20), the 生产部负责人 is told not to produce (R9).
 */
export const ROLES = [
  'salesperson', 'marketingHead', 'marketingManager', 'marketingDirector', 'generalManager', 'viceGM',
  'csAssistant', 'engineering', 'productGroupHead', 'rdEngineer', 'technical', 'qa', 'productionHead', 'pmc',
  'finance', 'financeVP', 'admin',
] as const
export type Role = typeof ROLES[number]
