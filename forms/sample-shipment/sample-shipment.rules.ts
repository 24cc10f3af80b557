import type { DeadlineDef, DerivedData, Guard, RefSource } from '../schema/types'
import { addDays } from '../../renderer/core/validation'

/** 样品发运 from the application once its lead time is replied: customer, samples and the link. */
export function fromApplication(a: RefSource): DerivedData {
  return {
    values: { customer: a.values.customer ?? null, salesperson: a.values.salesperson ?? null, newFormula: a.values.newFormula ?? false },
    lines: { items: (a.lines.items ?? []).map((r) => ({ productName: r.productName, spec: r.spec, quantity: r.quantity, unit: r.unit })) },
  }
}

/**
 * R5, §5.4: the performance confirmation, with the customer's written result, is due within 2 weeks
 * of dispatch, unless engineering ran the trial on site.
 */
export const confirmationDue: DeadlineDef = {
  id: 'R5', states: ['shipped'],
  due: (doc) => (typeof doc.values.dispatchDate === 'string' && doc.values.onSiteTrial !== true
    ? {
      date: addDays(doc.values.dispatchDate, 14), rule: 'R5', clause: '§5.4', roles: ['salesperson', 'csAssistant'],
      message: { zh: '样品发出 2 周内须交《样品性能确认表》及客户书面检验结果', en: 'Performance confirmation due 2 weeks after dispatch' },
    }
    : null),
}

/**
 * R6, §5.4: 30 days after dispatch with no feedback the salesperson must file a written explanation;
 * until then the customer's next sample application is blocked (sample-application.rules.ts).
 */
export const explanationDue: DeadlineDef = {
  id: 'R6', states: ['shipped'],
  due: (doc) => (typeof doc.values.dispatchDate === 'string'
    ? {
      date: addDays(doc.values.dispatchDate, 30), rule: 'R6', clause: '§5.4', roles: ['salesperson'],
      message: { zh: '发出 30 天仍无反馈：业务员须提交书面说明，否则暂停该客户的样品申请', en: 'No feedback 30 days after dispatch: file a written explanation' },
    }
    : null),
}

/** R6: the written explanation is for a sample without feedback 30 days after dispatch. */
export const thirtyDaysWithoutFeedback: Guard = ({ doc, today }) => {
  const d = doc.values.dispatchDate
  if (typeof d === 'string' && addDays(d, 30) <= today) return { ok: true }
  return {
    ok: false, rule: 'R6', clause: '§5.4',
    message: { zh: `书面说明用于发出 30 天仍无反馈的样品；本样品 ${String(d ?? '')} 发出，还未满 30 天`, en: 'The written explanation is for a sample without feedback 30 days after dispatch' },
  }
}

/**
 * R4, §5.2 (the order side): a charged sample follows the order flow, so it is dispatched only once
 * its order (a 销售合同 naming the application) has been approved.
 */
export const chargedSampleOrdered: Guard = async ({ doc, lookup }) => {
  if (typeof doc.values.application !== 'string') return { ok: true }
  const app = await lookup.get('sampleApplication', doc.values.application)
  if (app?.values.sampleType !== 'charged') return { ok: true }
  const orders = await lookup.findBy('contract', 'sampleApplication', app.id)
  if (orders.some((o) => ['approved', 'signed', 'closed'].includes(o.state))) return { ok: true }
  return {
    ok: false, rule: 'R4', clause: '§5.2',
    message: { zh: '计价样品按订单流程处理：请先从样品申请单生成销售订单并经批准，再发运', en: 'A charged sample ships only once its order is approved' },
  }
}
