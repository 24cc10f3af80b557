import { defineForm } from '../schema/types'
import { complaintFromCustomer, complaintFromDelivery, reportAtOnce } from './complaint.rules'

const outcomes = [
  { value: 'none', label: { zh: '无需退换或赔偿', en: 'No return or claim' } },
  { value: 'return', label: { zh: '退货', en: 'Return' } },
  { value: 'claim', label: { zh: '索赔（扣款）', en: 'Claim (deduction)' } },
  { value: 'replacement', label: { zh: '补料 / 换货', en: 'Replacement material' } },
]

/**
 * 客诉处理单 (§5.8): reported to QA at once; QA records the cause (原因), the plan (处理方案) and any
 * technical support; the 内外联络记录 goes to finance and CS, who each acknowledge it; QA follows the
 * improvement up (改善跟进) and closes it. A return (退货单, R15) or a claim / replacement (账款调整单)
 * is made from it.
 */
export const complaint = defineForm({
  id: 'complaint',
  title: { zh: '客诉处理单', en: 'Customer complaint' },
  menu: { zh: '客诉处理', en: 'Complaints' },
  numbering: { prefix: 'KS' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '客诉内容', en: 'Complaint' } },
    { key: 'qa', title: { zh: '品质部处理', en: 'QA' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'delivery', label: { zh: '发货单', en: 'Delivery note' }, type: 'reference', to: 'delivery', span: 'half' },
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', span: 'half' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'half' },
    { key: 'complaintDate', label: { zh: '客诉日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'products', label: { zh: '涉及产品 / 批号', en: 'Products / batches' }, type: 'text', required: true, maxLength: 200, span: 'full' },
    { key: 'description', label: { zh: '客诉内容', en: 'What the customer reports' }, type: 'longtext', required: true, maxLength: 1000, span: 'full',
      placeholder: { zh: '如 注塑件表面有黑点，不良率约 3%', en: 'e.g. black specks on moulded parts, about 3 % rejects' } },
    { key: 'contactRecord', label: { zh: '内外联络记录', en: 'Contact record' }, type: 'longtext', maxLength: 2000, span: 'full',
      help: { zh: '与客户及内部的联络经过；抄送财务部、客服部', en: 'Copied to finance and CS' } },
    { key: 'cause', label: { zh: '原因分析', en: 'Cause' }, type: 'longtext', section: 'qa', computed: true, maxLength: 1000, span: 'full' },
    { key: 'plan', label: { zh: '处理方案', en: 'Plan' }, type: 'longtext', section: 'qa', computed: true, maxLength: 1000, span: 'full' },
    { key: 'outcome', label: { zh: '处理结果', en: 'Outcome' }, type: 'select', section: 'qa', computed: true, options: outcomes, span: 'third' },
    { key: 'claimAmount', label: { zh: '索赔 / 补料金额', en: 'Claim amount' }, type: 'money', section: 'qa', computed: true, span: 'third' },
    { key: 'techSupport', label: { zh: '技术支持', en: 'Technical support' }, type: 'longtext', section: 'qa', maxLength: 500, span: 'full' },
    { key: 'improvement', label: { zh: '改善跟进', en: 'Improvement follow-up' }, type: 'longtext', section: 'qa', computed: true, maxLength: 1000, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'complaintDate', 'products', 'outcome'], search: ['number', 'products'] },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '登记中', en: 'Being recorded' }, editable: true },
      reported: { label: { zh: '已报品质部', en: 'Reported to QA' }, editable: true, tone: 'warning' },
      circulated: {
        label: { zh: '联络记录抄送中', en: 'Copied to finance and CS' }, editable: false, tone: 'primary',
        countersign: {
          to: 'improving',
          members: [
            { key: 'finance', label: { zh: '财务部阅知', en: 'Finance has read it' }, roles: ['finance'] },
            { key: 'cs', label: { zh: '客服部阅知', en: 'CS has read it' }, roles: ['csAssistant'] },
          ],
        },
      },
      improving: { label: { zh: '改善跟进中', en: 'Improvement follow-up' }, editable: false, tone: 'info' },
      closed: { label: { zh: '已结案', en: 'Closed' }, editable: false, final: true, released: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'report', from: ['draft'], to: 'reported', label: { zh: '报品质部', en: 'Report to QA' }, roles: ['csAssistant', 'salesperson'] },
      { id: 'analyse', from: ['reported'], to: 'circulated', label: { zh: '原因分析与处理方案', en: 'Cause and plan' }, roles: ['qa'],
        asks: ['cause', 'plan', 'outcome'] },
      { id: 'setClaim', from: ['improving'], to: 'improving', label: { zh: '登记索赔 / 补料金额', en: 'Record the claim amount' }, roles: ['qa', 'finance'],
        asks: ['claimAmount'], when: 'claimOrReplacement' },
      { id: 'close', from: ['improving'], to: 'closed', label: { zh: '改善完成，结案', en: 'Close with the follow-up' }, roles: ['qa'], asks: ['improvement'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant'], comment: 'required', refusal: true },
    ],
  },
  deadlines: [reportAtOnce],
  conditions: { claimOrReplacement: (d) => d.values.outcome === 'claim' || d.values.outcome === 'replacement' },
  derive: [
    { from: 'delivery', states: ['shipped', 'booked'], link: 'delivery', map: complaintFromDelivery },
    { from: 'customer', link: 'customer', map: complaintFromCustomer },
  ],
  print: {
    title: { zh: '客诉处理单', en: 'Customer complaint' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['customer', 'contract', 'delivery', 'complaintDate', 'products'], columns: 2 },
      { kind: 'text', field: 'description', title: { zh: '客诉内容', en: 'Complaint' } },
      { kind: 'text', field: 'cause', title: { zh: '原因分析', en: 'Cause' } },
      { kind: 'text', field: 'plan', title: { zh: '处理方案', en: 'Plan' } },
      { kind: 'fields', fields: ['outcome', 'claimAmount'], columns: 2 },
      { kind: 'text', field: 'techSupport', title: { zh: '技术支持', en: 'Technical support' } },
      { kind: 'text', field: 'improvement', title: { zh: '改善跟进', en: 'Improvement' } },
      { kind: 'text', field: 'contactRecord', title: { zh: '内外联络记录（抄送财务部、客服部）', en: 'Contact record' } },
      { kind: 'approvals', rows: [
        { label: { zh: '登记', en: 'Recorded by' }, actions: ['create', 'report'] },
        { label: { zh: '品质部', en: 'QA' }, actions: ['analyse', 'close'] },
      ] },
    ],
  },
})
