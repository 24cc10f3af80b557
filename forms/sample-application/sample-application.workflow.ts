import type { WorkflowDef } from '../schema/types'

const approvers = ['marketingHead', 'marketingManager', 'marketingDirector', 'generalManager'] as const

/**
 * 样品申请 (§5.2, §3.0, R1–R4): submitted by the salesperson or CS; the marketing head approves (or
 * CS records the head's 电话确认代签), the director signs (§3.0 签核), and a free sample of 10 kg or
 * more also needs the marketing manager or above (R3): one countersign whose members follow the
 * document. Then the product-group head judges feasibility (R2): feasible → an R&D engineer is
 * assigned and replies the lead time; not feasible → the reply is recorded and the flow ends.
 */
export const sampleApplicationFlow: WorkflowDef = {
  initial: 'draft',
  states: {
    draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
    review: {
      label: { zh: '审批中（会签）', en: 'In approval (countersign)' }, editable: false, tone: 'warning',
      countersign: {
        to: 'feasibility',
        members: [
          { key: 'head', label: { zh: '营销部负责人审核', en: 'Marketing head' }, roles: ['marketingHead'], phone: ['csAssistant'] },
          { key: 'manager', label: { zh: '营销经理核准（免费样品 10kg 以上）', en: 'Marketing manager (free sample ≥ 10 kg)' },
            roles: ['marketingManager', 'marketingDirector', 'generalManager'], when: 'freeTenKgOrMore' },
          { key: 'director', label: { zh: '营销总监签核', en: 'Marketing director' }, roles: ['marketingDirector'] },
        ],
      },
    },
    feasibility: { label: { zh: '技术可行性评估', en: 'Feasibility review' }, editable: false, tone: 'warning' },
    making: { label: { zh: '制样中（待回复交期）', en: 'Sample being made' }, editable: false, tone: 'primary' },
    scheduled: { label: { zh: '已回复交期', en: 'Lead time replied' }, editable: false, released: true, tone: 'success' },
    infeasible: { label: { zh: '技术不可行', en: 'Not feasible' }, editable: false, final: true, tone: 'danger' },
    rejected: { label: { zh: '已驳回', en: 'Rejected' }, editable: true, tone: 'danger' },
    voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
  },
  transitions: [
    { id: 'submit', from: ['draft', 'rejected'], to: 'review', label: { zh: '提交审批', en: 'Submit for approval' },
      roles: ['salesperson', 'csAssistant'], guards: ['customerMayBeSampled', 'noSampleWithoutFeedback', 'chargedSampleHasOrder'] },
    { id: 'withdraw', sameActorAs: ['submit'], untilSigned: true, from: ['review'], to: 'draft', label: { zh: '撤回', en: 'Withdraw' }, roles: [] },
    { id: 'reject', separateFrom: ['submit'], from: ['review'], to: 'rejected', label: { zh: '驳回', en: 'Reject' },
      roles: [...approvers], comment: 'required', refusal: true },
    { id: 'feasible', from: ['feasibility'], to: 'making', label: { zh: '可行，指派研发工程师', en: 'Feasible: assign an engineer' },
      roles: ['productGroupHead'], asks: ['engineer'], comment: 'optional' },
    { id: 'infeasible', from: ['feasibility'], to: 'infeasible', label: { zh: '技术不可行', en: 'Not feasible' },
      roles: ['productGroupHead', 'rdEngineer'], asks: ['feasibilityReply'], refusal: true },
    { id: 'replyLeadTime', from: ['making'], to: 'scheduled', label: { zh: '回复交期', en: 'Reply the lead time' },
      roles: ['rdEngineer'], assignee: 'engineer', asks: ['leadTime'] },
    { id: 'void', from: ['draft', 'rejected'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson', 'csAssistant'], comment: 'required', refusal: true },
  ],
}
