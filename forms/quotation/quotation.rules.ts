import type { DerivedData, FieldError, FieldValue, FormData, Guard, RefSource, Values } from '../schema/types'
import { lineAmountFen, splitTax } from '../../renderer/core/money'
import { customerDeveloped } from '../customer-evaluation/customer-evaluation.rules'
import { firstContact } from '../customer/customer.rules'

/** 金额 of one line: 数量 × 含税单价, rounded half-up to the fen once. */
export function lineAmount(row: Values): FieldValue {
  const { quantity, unitPrice } = row
  if (typeof quantity !== 'string' || typeof unitPrice !== 'number') return null
  try { return lineAmountFen(quantity, unitPrice) } catch { return null }
}

/**
 * Totals: 价税合计 is the sum of line amounts; each line's tax is split from its own amount
 * (不含税 = round(金额 / (1 + 税率)), 税额 = 金额 − 不含税), so 不含税 + 税额 = 价税合计 exactly.
 */
export function quotationTotals(data: FormData): { net: number; tax: number; total: number } {
  let net = 0, tax = 0, total = 0
  for (const row of data.lines.items ?? []) {
    const amount = lineAmount(row.values)
    if (typeof amount !== 'number') continue
    const rate = Number(row.values.taxRate ?? '13')
    const split = splitTax(amount, rate)
    net += split.net; tax += split.tax; total += amount
  }
  return { net, tax, total }
}

/** 有效期至 is not before 报价日期. */
export function validUntilAfterQuoteDate(data: FormData): FieldError[] {
  const { quoteDate, validUntil } = data.values
  if (typeof quoteDate === 'string' && typeof validUntil === 'string' && validUntil < quoteDate) {
    return [{ field: 'validUntil', message: { zh: '有效期不能早于报价日期', en: 'Valid-until cannot be before the quote date' } }]
  }
  return []
}

/** R1, §5.1: a new customer may be quoted only after a 客户资料评估表 decided 开发. */
export const customerMayBeQuoted: Guard = ({ doc, lookup }) => customerDeveloped(lookup, doc.values.customer, '报价')

/** Picking the customer fills 联系人 (the first contact), 付款方式, 信用期 and 业务员 from its record. */
export function fromCustomer(customer: RefSource): Values {
  const first = firstContact(customer)
  return {
    contact: first?.name ?? null, paymentMethod: customer.values.paymentMethod ?? null, creditDays: customer.values.creditDays ?? null,
    salesperson: customer.values.salesperson ?? null,
  }
}

/**
 * Picking a product in a line fills its 品名, 规格型号 (the product's 牌号/规格, with its 色号), 单位,
 * 含税单价 (the standard price) and 税率 from the product master; cells already typed stay.
 */
export function fromProduct(product: RefSource): Values {
  const v = product.values
  const text = (x: FieldValue | undefined) => (typeof x === 'string' ? x.trim() : '')
  const spec = text(v.spec), colour = text(v.colour)
  return {
    productName: v.name ?? null,
    spec: (colour && !spec.includes(colour) ? `${spec} ${colour}`.trim() : spec) || null,
    unit: v.unit ?? null,
    unitPrice: v.standardPrice ?? null,
    taxRate: v.taxRate ?? null,
  }
}

/** 新建报价单 from the customer's page: what picking the customer would fill. */
export function quotationFromCustomer(customer: RefSource): DerivedData {
  return { values: fromCustomer(customer) }
}
