import { defineForm } from '../schema/types'

/** R17, §5.10.1: 营销经理或主管, or 营销部总监或以上. */
export const MEMO_APPROVERS = ['marketingManager', 'marketingHead', 'marketingDirector', 'viceGM', 'generalManager'] as const

/**
 * 内部联络函 (§5.10.1, R17): whoever asks to change a step of the marketing process writes it down
 * (what is done now, the change, why, from when); the marketing manager or supervisor approves it,
 * or the marketing director or above directly. An approved memo is what a change of the office's
 * business rules cites (设置 → 业务规则). Printed for the office only.
 */
export const memo = defineForm({
  id: 'memo',
  title: { zh: '内部联络函', en: 'Internal memo' },
  numbering: { prefix: 'LL' },
  titleField: 'subject',
  sections: [
    { key: 'head', title: { zh: '联络函', en: 'Memo' } },
    { key: 'change', title: { zh: '变更说明', en: 'Change request' } },
  ],
  fields: [
    { key: 'subject', label: { zh: '主题', en: 'Subject' }, type: 'text', required: true, maxLength: 100, span: 'full' },
    { key: 'applicant', label: { zh: '申请人', en: 'From' }, type: 'user', required: true, span: 'third' },
    { key: 'fromDept', label: { zh: '发文部门', en: 'From department' }, type: 'text', required: true, maxLength: 30, span: 'third' },
    { key: 'toDepts', label: { zh: '收文部门', en: 'To department(s)' }, type: 'text', required: true, maxLength: 100, span: 'third',
      placeholder: { zh: '如 客服部、财务部', en: 'e.g. CS, finance' } },
    { key: 'concerns', label: { zh: '涉及流程环节', en: 'Step of the process' }, type: 'select', required: true, span: 'half', options: [
      { value: 'policy', label: { zh: '业务规则（开票条件、提成比例、逾期处理）', en: 'Business rules (invoicing, commission, overdue)' } },
      { value: 'approvals', label: { zh: '审批流程', en: 'Approval chains' } },
      { value: 'customer', label: { zh: '客户开发与评估', en: 'Customer development' } },
      { value: 'sample', label: { zh: '样品申请与确认', en: 'Samples' } },
      { value: 'quotation', label: { zh: '报价', en: 'Quotations' } },
      { value: 'contract', label: { zh: '合同评审与订单', en: 'Contracts and orders' } },
      { value: 'production', label: { zh: '生产通知与交期', en: 'Production and delivery dates' } },
      { value: 'delivery', label: { zh: '发货与签收', en: 'Delivery and receipt' } },
      { value: 'complaint', label: { zh: '客诉与退货', en: 'Complaints and returns' } },
      { value: 'collection', label: { zh: '对账、回款与开票', en: 'Statements, collections, invoices' } },
      { value: 'commission', label: { zh: '业务提成', en: 'Commission' } },
      { value: 'maintenance', label: { zh: '客户维护（拜访、预估、目标）', en: 'Customer care (visits, forecasts, targets)' } },
      { value: 'other', label: { zh: '其他', en: 'Other' } },
    ] },
    { key: 'concernsDetail', label: { zh: '涉及表单 / 环节说明', en: 'Form or stage' }, type: 'text', maxLength: 100, span: 'half',
      placeholder: { zh: '如 开票申请单：回款比例', en: 'e.g. invoice request: share collected' } },
    { key: 'effectiveDate', label: { zh: '生效日期', en: 'Effective from' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'currentPractice', label: { zh: '现行做法', en: 'Current practice' }, type: 'longtext', section: 'change', required: true, maxLength: 2000, span: 'full' },
    { key: 'change', label: { zh: '变更内容', en: 'The change' }, type: 'longtext', section: 'change', required: true, maxLength: 2000, span: 'full' },
    { key: 'reason', label: { zh: '变更原因', en: 'Reason' }, type: 'longtext', section: 'change', required: true, maxLength: 2000, span: 'full' },
  ],
  list: { columns: ['number', 'subject', 'concerns', 'fromDept', 'effectiveDate'], search: ['number', 'subject', 'toDepts', 'concernsDetail'] },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      review: { label: { zh: '待审批', en: 'Awaiting approval' }, editable: false, tone: 'warning' },
      approved: { label: { zh: '已批准', en: 'Approved' }, editable: false, released: true, tone: 'success' },
      rejected: { label: { zh: '未批准', en: 'Rejected' }, editable: true, tone: 'danger' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft', 'rejected'], to: 'review', label: { zh: '提交审批', en: 'Submit' }, roles: [] },
      { id: 'withdraw', sameActorAs: ['submit'], from: ['review'], to: 'draft', label: { zh: '撤回', en: 'Withdraw' }, roles: [] },
      // R17, §5.10.1: only the marketing manager or supervisor, or the director or above.
      { id: 'approve', from: ['review'], to: 'approved', label: { zh: '批准', en: 'Approve' }, roles: [...MEMO_APPROVERS], separateFrom: ['submit'], comment: 'optional' },
      { id: 'reject', from: ['review'], to: 'rejected', label: { zh: '不批准', en: 'Reject' }, roles: [...MEMO_APPROVERS], comment: 'required', refusal: true },
      { id: 'void', from: ['draft', 'rejected'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: [], comment: 'required', refusal: true },
    ],
  },
  print: {
    title: { zh: '内部联络函', en: 'Internal memo' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['subject', 'applicant', 'fromDept', 'toDepts', 'concerns', 'concernsDetail', 'effectiveDate'], columns: 2 },
      { kind: 'text', field: 'currentPractice', title: { zh: '现行做法', en: 'Current practice' } },
      { kind: 'text', field: 'change', title: { zh: '变更内容', en: 'The change' } },
      { kind: 'text', field: 'reason', title: { zh: '变更原因', en: 'Reason' } },
      { kind: 'approvals', rows: [
        { label: { zh: '申请', en: 'Requested by' }, actions: ['create', 'submit'] },
        { label: { zh: '审批', en: 'Approved by' }, actions: ['approve'] },
      ] },
    ],
  },
})
