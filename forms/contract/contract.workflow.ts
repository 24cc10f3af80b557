import type { WorkflowDef } from '../schema/types'

const approvers = ['marketingDirector', 'generalManager'] as const

/**
 * 合同评审 (§5.6.2–5.6.3, R11, R12, R25, R8, R4): one countersign whose members follow the contract:
 * the director or above always (R11); the marketing head when the terms differ from the agreed
 * quotation (R12); QA, R&D and marketing when there is a special environmental agreement (R11); the
 * GM and finance only above amounts an administrator sets ([A]'s chain is a preset of them).
 * Approved, it is printed for the customer (and signed by the authorised signatory when the
 * customer asks for a contract); the signed copy comes back as a scan.
 */
export const contractFlow: WorkflowDef = {
  initial: 'draft',
  reviseTo: 'draft',
  signedReturn: 'signedReturn',
  states: {
    draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
    review: {
      label: { zh: '合同评审（会签）', en: 'Contract review (countersign)' }, editable: false, tone: 'warning',
      countersign: {
        to: 'approved',
        members: [
          { key: 'terms', label: { zh: '营销部负责人确认条款变更（R12）', en: 'Marketing head confirms changed terms (R12)' },
            roles: ['marketingHead'], when: 'termsDiffer', separateFrom: ['submit'] },
          { key: 'credit', label: { zh: '营销部负责人确认超出信用额度（[A] 5）', en: 'Marketing head confirms the order over the credit limit ([A] 5)' },
            roles: ['marketingHead'], when: 'overCreditLimit', separateFrom: ['submit'] },
          { key: 'envQa', label: { zh: '品质部确认环保协议', en: 'QA confirms the environmental agreement' }, roles: ['qa'], when: 'hasEnvAgreement' },
          { key: 'envRd', label: { zh: '研发确认环保协议', en: 'R&D confirms the environmental agreement' },
            roles: ['rdEngineer', 'productGroupHead'], when: 'hasEnvAgreement' },
          { key: 'envMarketing', label: { zh: '营销部确认环保协议', en: 'Marketing confirms the environmental agreement' },
            roles: ['marketingHead', 'marketingManager'], when: 'hasEnvAgreement' },
          { key: 'director', label: { zh: '营销总监或以上批准（R11）', en: 'Director or above approves (R11)' },
            roles: [...approvers], separateFrom: ['submit'] },
          { key: 'gm', label: { zh: '总经理签批（超过设定金额）', en: 'General manager (above the set amount)' },
            roles: ['generalManager'], above: 'totalAmount', separateFrom: ['submit'] },
          { key: 'finance', label: { zh: '财务部会签', en: 'Finance countersigns' }, roles: ['finance'], above: 'totalAmount' },
        ],
      },
    },
    rejected: { label: { zh: '已驳回', en: 'Rejected' }, editable: true, tone: 'danger' },
    approved: { label: { zh: '已批准，待客户签回', en: 'Approved, awaiting the customer' }, editable: true, released: true, tone: 'success' },
    signed: { label: { zh: '客户已签回', en: 'Signed by the customer' }, editable: true, released: true, tone: 'success' },
    closed: { label: { zh: '已结案', en: 'Closed' }, editable: false, released: true, final: true, tone: 'info' },
    voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
  },
  transitions: [
    { id: 'submit', from: ['draft', 'rejected'], to: 'review', label: { zh: '提交合同评审', en: 'Submit for review' },
      roles: ['salesperson', 'csAssistant'], guards: ['customerFiledForOrder', 'sampleConfirmedBeforeOrder', 'chargedSampleOrder', 'termsReagreed', 'withinCreditLimit'] },
    { id: 'withdraw', sameActorAs: ['submit'], untilSigned: true, from: ['review'], to: 'draft', label: { zh: '撤回', en: 'Withdraw' }, roles: [] },
    { id: 'reject', separateFrom: ['submit'], from: ['review'], to: 'rejected', label: { zh: '驳回', en: 'Reject' },
      roles: ['marketingHead', 'qa', 'rdEngineer', 'productGroupHead', 'marketingManager', ...approvers, 'finance'], comment: 'required', refusal: true },
    { id: 'signedReturn', from: ['approved'], to: 'signed', label: { zh: '客户已签回', en: 'Signed copy received' }, roles: ['salesperson', 'csAssistant'] },
    { id: 'close', from: ['approved', 'signed'], to: 'closed', label: { zh: '结案', en: 'Close' }, roles: ['csAssistant'], comment: 'optional' },
    { id: 'void', from: ['draft', 'rejected'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson', 'csAssistant'], comment: 'required', refusal: true },
  ],
}
