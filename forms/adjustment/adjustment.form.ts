import { defineForm } from '../schema/types'
import { adjustmentFromComplaint, adjustmentFromReturn, settledByClaim } from './adjustment.rules'

/**
 * 账款调整单 (§5.8.3, R15): a return, a claim or replacement material changes what the customer owes;
 * finance and CS both sign it (each sees it in their inbox), and the confirmed amount comes off the
 * contract's receivable in the 合同台帐 and the statement of account.
 */
export const adjustment = defineForm({
  id: 'adjustment',
  title: { zh: '账款调整单', en: 'Account adjustment' },
  menu: { zh: '账款调整', en: 'Adjustments' },
  numbering: { prefix: 'TZ' },
  titleField: 'customer',
  sections: [{ key: 'head', title: { zh: '调整', en: 'Adjustment' } }],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', span: 'half' },
    { key: 'complaint', label: { zh: '客诉处理单', en: 'Complaint' }, type: 'reference', to: 'complaint', span: 'half' },
    { key: 'salesReturn', label: { zh: '退货单', en: 'Return' }, type: 'reference', to: 'salesReturn', span: 'half' },
    { key: 'kind', label: { zh: '调整类别', en: 'Kind' }, type: 'select', required: true, span: 'third', options: [
      { value: 'return', label: { zh: '退货冲减', en: 'Return credit' } },
      { value: 'claim', label: { zh: '索赔扣款', en: 'Claim deduction' } },
      { value: 'replacement', label: { zh: '补料 / 换货', en: 'Replacement material' } },
    ] },
    { key: 'amount', label: { zh: '调减应收金额', en: 'Amount credited' }, type: 'money', required: true, min: 1, span: 'third' },
    { key: 'adjustDate', label: { zh: '调整日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'reason', label: { zh: '说明', en: 'Reason' }, type: 'longtext', required: true, maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'contract', 'kind', 'adjustDate', 'amount'], search: ['number'] },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      review: {
        label: { zh: '财务、客服会签', en: 'Finance and CS sign' }, editable: false, tone: 'warning',
        countersign: {
          to: 'confirmed',
          members: [
            { key: 'finance', label: { zh: '财务部确认', en: 'Finance' }, roles: ['finance'] },
            { key: 'cs', label: { zh: '客服部确认', en: 'CS' }, roles: ['csAssistant'] },
          ],
        },
      },
      confirmed: { label: { zh: '已确认调整', en: 'Confirmed' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'review', label: { zh: '提交会签', en: 'Submit' }, roles: ['csAssistant', 'qa', 'finance'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant', 'finance'], comment: 'required', refusal: true },
    ],
  },
  derive: [
    { from: 'salesReturn', states: ['confirmed', 'received'], link: 'salesReturn', map: adjustmentFromReturn },
    { from: 'complaint', states: ['improving', 'closed'], link: 'complaint', map: adjustmentFromComplaint, when: settledByClaim },
  ],
  print: {
    title: { zh: '账款调整单', en: 'Account adjustment' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['customer', 'contract', 'complaint', 'salesReturn', 'kind', 'adjustDate'], columns: 2 },
      { kind: 'totals', fields: ['amount'], capital: 'amount' },
      { kind: 'text', field: 'reason', title: { zh: '说明', en: 'Reason' } },
      { kind: 'approvals', rows: [
        { label: { zh: '制单', en: 'Prepared by' }, actions: ['create', 'submit'] },
        { label: { zh: '财务部', en: 'Finance' }, actions: ['sign-review-finance'] },
        { label: { zh: '客服部', en: 'CS' }, actions: ['sign-review-cs'] },
      ] },
    ],
  },
})
