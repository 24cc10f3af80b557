import type { FieldError, FormData, RefSource, Values } from '../schema/types'

/** A customer on 账期 needs its credit term in days (§5.6.3 信用期数). */
export function creditTermNeedsDays(data: FormData): FieldError[] {
  const { paymentMethod, creditDays } = data.values
  if (paymentMethod === 'credit' && (typeof creditDays !== 'number' || creditDays <= 0)) {
    return [{ field: 'creditDays', message: { zh: '付款方式为账期时，请填写信用期天数', en: 'Enter the credit term in days for credit customers' } }]
  }
  return []
}

/** A customer's first named contact (联系人 line), which documents made for it name by default. */
export function firstContact(customer: RefSource): Values | undefined {
  return customer.lines.contacts?.find((c) => typeof c.name === 'string' && c.name.trim() !== '')
}
