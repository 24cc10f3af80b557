import type { DerivedData, Guard, RefSource } from '../schema/types'

/** 交期延误通知 from the production notice: its contract, customer and salesperson (the promised date is kept from it). */
export function delayFromNotice(n: RefSource): DerivedData {
  return { values: { contract: n.values.contract ?? null, customer: n.values.customer ?? null, salesperson: n.values.salesperson ?? null } }
}

/** R14, §5.7.2: the notice reports a later date than the one promised, with its reason. */
export const laterDateWithReason: Guard = ({ doc }) => {
  const { originalDate, newDate, reason } = doc.values
  if (typeof originalDate !== 'string' || originalDate === '') {
    return { ok: false, rule: 'R14', clause: '§5.7.2', message: { zh: '生产通知单还没有承诺交期：先由生产部给出交期', en: 'The production notice has no promised date yet' } }
  }
  if (typeof newDate !== 'string' || newDate <= originalDate) {
    return { ok: false, rule: 'R14', clause: '§5.7.2', message: { zh: `预计交期须晚于原承诺交期 ${originalDate}`, en: `The new date must be after ${originalDate}` } }
  }
  if (typeof reason !== 'string' || reason.trim().length < 4) {
    return { ok: false, rule: 'R14', clause: '§5.7.2', message: { zh: '请写明延误原因，客户和业务员都会看到', en: 'Write down the reason for the delay' } }
  }
  return { ok: true }
}
