import type { WorkflowDef } from '../schema/types'

/**
 * R10, §5.6.1: a quotation is released (printed without the draft watermark, marked as sent)
 * only after approval by the marketing director or general manager, or their proxy. Editing a
 * released quotation makes a new version that needs approval again.
 */
export const quotationFlow: WorkflowDef = {
  initial: 'draft',
  reviseTo: 'draft',
  signedReturn: 'signedReturn',
  states: {
    draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
    pending: { label: { zh: '待审批', en: 'Awaiting approval' }, editable: false, tone: 'warning' },
    rejected: { label: { zh: '已驳回', en: 'Rejected' }, editable: true, tone: 'danger' },
    approved: { label: { zh: '已核准', en: 'Approved' }, editable: true, released: true, tone: 'success' },
    sent: { label: { zh: '已报出', en: 'Sent to customer' }, editable: true, released: true, tone: 'info' },
    signed: { label: { zh: '客户已签回', en: 'Signed by customer' }, editable: true, released: true, tone: 'success' },
  },
  transitions: [
    { id: 'submit', from: ['draft', 'rejected'], to: 'pending', label: { zh: '提交审批', en: 'Submit for approval' },
      roles: ['salesperson', 'csAssistant'], guards: ['customerMayBeQuoted'] },
    { id: 'approve', separateFrom: ['submit'], from: ['pending'], to: 'approved', label: { zh: '核准', en: 'Approve' },
      roles: ['marketingDirector', 'generalManager'], comment: 'optional' },
    { id: 'reject', separateFrom: ['submit'], from: ['pending'], to: 'rejected', label: { zh: '驳回', en: 'Reject' },
      roles: ['marketingDirector', 'generalManager'], comment: 'required', refusal: true },
    { id: 'markSent', from: ['approved'], to: 'sent', label: { zh: '标记已报出', en: 'Mark as sent' },
      roles: ['salesperson', 'csAssistant'] },
    { id: 'signedReturn', from: ['approved', 'sent'], to: 'signed', label: { zh: '客户已签回', en: 'Signed copy received' },
      roles: ['salesperson', 'csAssistant'] },
  ],
}
