import { defineForm } from '../schema/types'
import { expenseKinds, visitPurposes, visitWays } from './visit.options'
import { expenseTotal, expensesExplained, fromCustomer, receiptCount, visitDates, visitFromCustomer, visitFromPlanLine } from './visit-record.rules'

/**
 * 客户拜访表 (§5.10.2, §5.10.5): every visit to a customer is written down and kept. The salesperson
 * (or CS for them) records who was visited, how and why, what was discussed, the customer's
 * feedback and the follow-up, with the visit's expenses by the 管理费用管理条例; the marketing
 * manager approves the expenses, and the record is filed (已归档). It may carry out a line of a
 * 拜访客户计划表, which then shows it as 已拜访.
 */
export const visitRecord = defineForm({
  id: 'visitRecord',
  title: { zh: '客户拜访表', en: 'Customer visit record' },
  menu: { zh: '客户拜访', en: 'Customer visits' },
  numbering: { prefix: 'BF' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '拜访信息', en: 'Visit' } },
    { key: 'content', title: { zh: '拜访内容', en: 'What was discussed' } },
    { key: 'expenses', title: { zh: '拜访费用', en: 'Expenses' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half', fill: fromCustomer },
    { key: 'salesperson', label: { zh: '拜访人（业务员）', en: 'Visited by' }, short: { zh: '拜访人', en: 'Visited by' }, type: 'user', roles: ['salesperson'], required: true, span: 'half',
      // A salesperson records their own visits; CS and management may record anyone's.
      ownUnless: ['csAssistant', 'marketingManager', 'marketingHead', 'marketingDirector', 'viceGM', 'generalManager'] },
    { key: 'contact', label: { zh: '客户接待人', en: 'Customer contact' }, type: 'text', maxLength: 30, span: 'third' },
    { key: 'contactPhone', label: { zh: '联系电话', en: 'Phone' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'companions', label: { zh: '同行人员', en: 'Accompanied by' }, type: 'text', maxLength: 100, span: 'third',
      placeholder: { zh: '如 技术部 钱浩', en: 'e.g. Qian Hao, technical' } },
    { key: 'address', label: { zh: '拜访地点', en: 'Where' }, type: 'text', maxLength: 200, span: 'full' },
    { key: 'visitDate', label: { zh: '拜访日期', en: 'Visit date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'visitWay', label: { zh: '拜访方式', en: 'How' }, type: 'select', options: visitWays, required: true, default: 'onsite', span: 'third' },
    { key: 'purpose', label: { zh: '拜访目的', en: 'Purpose' }, type: 'select', options: visitPurposes, required: true, span: 'third',
      help: { zh: '§5.10.4 所列的拜访目标', en: 'The aims of §5.10.4' } },
    { key: 'plan', label: { zh: '所属拜访计划', en: 'Visit plan' }, type: 'reference', to: 'visitPlan', span: 'half',
      help: { zh: '按计划拜访时选择，计划表上该行即显示为已拜访', en: 'The plan line then shows as visited' } },
    { key: 'planLine', label: { zh: '计划行号', en: 'Plan line' }, type: 'number', integer: true, min: 1, max: 500, span: 'third' },
    { key: 'discussed', label: { zh: '洽谈内容', en: 'What was discussed' }, type: 'longtext', section: 'content', required: true, maxLength: 2000, span: 'full',
      placeholder: { zh: '如 介绍 PC/ABS 阻燃新料，客户计划用于新款电饭煲面板', en: 'e.g. presented the new flame-retardant PC/ABS' } },
    { key: 'feedback', label: { zh: '客户反馈与需求', en: 'Feedback and needs' }, type: 'longtext', section: 'content', maxLength: 2000, span: 'full' },
    { key: 'followUp', label: { zh: '跟进事项', en: 'Follow-up' }, type: 'longtext', section: 'content', maxLength: 1000, span: 'full' },
    { key: 'nextVisitDate', label: { zh: '下次拜访日期', en: 'Next visit' }, type: 'date', section: 'content', span: 'third' },
    { key: 'expenses', label: { zh: '费用明细', en: 'Expenses' }, type: 'lines', section: 'expenses', span: 'full', maxRows: 30, columns: [
      { key: 'kind', label: { zh: '类别', en: 'Kind' }, type: 'select', options: expenseKinds, required: true, default: 'transport' },
      { key: 'amount', label: { zh: '金额', en: 'Amount' }, type: 'money', min: 0, required: true },
      { key: 'receipts', label: { zh: '票据张数', en: 'Receipts' }, type: 'number', integer: true, min: 0, max: 99 },
      { key: 'note', label: { zh: '说明', en: 'Note' }, type: 'text', maxLength: 100 },
    ] },
    { key: 'receiptCount', label: { zh: '票据合计（张）', en: 'Receipts in all' }, type: 'number', section: 'expenses', computed: true, span: 'third' },
    { key: 'expenseTotal', label: { zh: '费用合计', en: 'Expenses in all' }, type: 'money', section: 'expenses', computed: true, span: 'third' },
  ],
  list: { columns: ['number', 'customer', 'visitDate', 'salesperson', 'visitWay', 'purpose', 'expenseTotal'], search: ['number', 'contact', 'discussed', 'feedback', 'followUp', 'companions'] },
  computed: { expenseTotal, receiptCount },
  validators: [visitDates, expensesExplained],
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '填写中', en: 'Being written' }, editable: true },
      submitted: { label: { zh: '待营销经理审核费用', en: 'Expenses to approve' }, editable: false, tone: 'warning' },
      archived: { label: { zh: '已归档', en: 'Filed' }, editable: false, final: true, released: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'submitted', label: { zh: '提交审核', en: 'Submit' }, roles: ['salesperson', 'csAssistant'] },
      { id: 'approve', from: ['submitted'], to: 'archived', label: { zh: '费用审核通过，归档', en: 'Approve the expenses and file' }, roles: ['marketingManager'],
        separateFrom: ['submit'], comment: 'optional' },
      { id: 'sendBack', from: ['submitted'], to: 'draft', label: { zh: '退回修改', en: 'Send back' }, roles: ['marketingManager'], comment: 'required', refusal: true },
      { id: 'withdraw', from: ['submitted'], to: 'draft', label: { zh: '撤回', en: 'Withdraw' }, roles: ['salesperson', 'csAssistant'], sameActorAs: ['submit'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson', 'csAssistant'], comment: 'required', refusal: true },
    ],
  },
  derive: [
    { from: 'visitPlan', states: ['approved'], link: 'plan', line: 'visits', map: visitFromPlanLine },
    { from: 'customer', link: 'customer', map: visitFromCustomer },
  ],
  print: {
    title: { zh: '客户拜访表', en: 'Customer visit record' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['customer', 'contact', 'contactPhone', 'address', 'salesperson', 'companions', 'visitDate', 'visitWay', 'purpose', 'plan', 'planLine'], columns: 2 },
      { kind: 'text', field: 'discussed', title: { zh: '洽谈内容', en: 'What was discussed' } },
      { kind: 'text', field: 'feedback', title: { zh: '客户反馈与需求', en: 'Feedback and needs' } },
      { kind: 'text', field: 'followUp', title: { zh: '跟进事项', en: 'Follow-up' } },
      { kind: 'fields', fields: ['nextVisitDate'], columns: 2 },
      { kind: 'lines', field: 'expenses', columns: ['kind', 'amount', 'receipts', 'note'] },
      { kind: 'totals', fields: ['receiptCount', 'expenseTotal'], capital: 'expenseTotal' },
      { kind: 'approvals', rows: [
        { label: { zh: '拜访人', en: 'Visited by' }, actions: ['create', 'submit'] },
        { label: { zh: '营销经理审核', en: 'Marketing manager' }, actions: ['approve'] },
      ] },
    ],
  },
})
