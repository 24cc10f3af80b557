import type { WorkflowDef } from '../schema/types'

/**
 * R1, §5.1: the marketing head decides whether to develop the customer; 不开发 ends the flow.
 * R25, §5.6.1: after 开发 the salesperson completes the rest, and CS files it before the first order.
 */
export const customerEvaluationFlow: WorkflowDef = {
  initial: 'draft',
  states: {
    draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
    submitted: { label: { zh: '待营销部负责人评估', en: 'Awaiting marketing head' }, editable: false, tone: 'warning' },
    develop: { label: { zh: '开发', en: 'Develop' }, editable: false, released: true, tone: 'success' },
    filed: { label: { zh: '已完善存档', en: 'Completed and filed' }, editable: false, released: true, final: true, tone: 'primary' },
    notDevelop: { label: { zh: '不开发', en: 'Do not develop' }, editable: false, final: true, tone: 'danger' },
    voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
  },
  transitions: [
    { id: 'submit', from: ['draft'], to: 'submitted', label: { zh: '提交评估', en: 'Submit' }, roles: ['salesperson', 'csAssistant'] },
    { id: 'develop', separateFrom: ['submit'], from: ['submitted'], to: 'develop', label: { zh: '决定开发', en: 'Develop' }, roles: ['marketingHead'], comment: 'optional', sets: { decision: 'develop' } },
    { id: 'notDevelop', separateFrom: ['submit'], from: ['submitted'], to: 'notDevelop', label: { zh: '不开发', en: 'Do not develop' }, roles: ['marketingHead'], comment: 'required', sets: { decision: 'notDevelop' }, refusal: true },
    { id: 'return', separateFrom: ['submit'], from: ['submitted'], to: 'draft', label: { zh: '退回补充', en: 'Return for more' }, roles: ['marketingHead'], comment: 'required', refusal: true },
    { id: 'withdraw', sameActorAs: ['submit'], from: ['submitted'], to: 'draft', label: { zh: '撤回', en: 'Withdraw' }, roles: [] },
    { id: 'file', from: ['develop'], to: 'filed', label: { zh: '资料完善，存档', en: 'File (completed)' }, roles: ['csAssistant'], guards: ['completedBeforeFiling'] },
    { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson', 'csAssistant'], comment: 'required', refusal: true },
  ],
}
