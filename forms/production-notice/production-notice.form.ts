import { defineForm } from '../schema/types'
import { units } from '../schema/options'
import { delayReported, noticeFromContract, promisedDateDue, qaHoldsSampleRecords, sampleConfirmedForProduction } from './production-notice.rules'

/**
 * 生产通知单 (§5.7.1, [A] 6): CS issues it from the contract (R8, R9 gate it); production / PMC gives
 * the date; CS replies it to the customer (交期回复). A date that will be missed is reported first
 * (交期延误通知, R14) and only then moved.
 */
export const productionNotice = defineForm({
  id: 'productionNotice',
  title: { zh: '生产通知单', en: 'Production notice' },
  menu: { zh: '生产通知', en: 'Production notices' },
  numbering: { prefix: 'SC' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '通知信息', en: 'Notice' } },
    { key: 'items', title: { zh: '生产明细', en: 'Items' } },
    { key: 'schedule', title: { zh: '交期', en: 'Delivery date' } },
  ],
  fields: [
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', required: true, span: 'half' },
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'customerOrderNo', label: { zh: '客户订单号', en: 'Customer order no.' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'noticeDate', label: { zh: '通知日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'requiredDate', label: { zh: '客户要求交期', en: 'Required date' }, type: 'date', required: true, span: 'third' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'third' },
    { key: 'items', label: { zh: '生产明细', en: 'Items' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 100, columns: [
      { key: 'productName', label: { zh: '品名', en: 'Product' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格 / 色号', en: 'Spec / colour' }, type: 'text', maxLength: 80 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
      { key: 'remark', label: { zh: '备注', en: 'Remark' }, type: 'text', maxLength: 80 },
    ] },
    { key: 'packaging', label: { zh: '包装要求', en: 'Packaging' }, type: 'text', section: 'items', maxLength: 120, span: 'half' },
    { key: 'qualityRequirement', label: { zh: '品质要求', en: 'Quality' }, type: 'text', section: 'items', maxLength: 200, span: 'half' },
    { key: 'envRequirement', label: { zh: '环保要求', en: 'Environmental requirement' }, type: 'text', section: 'items', maxLength: 200, span: 'full' },
    { key: 'promisedDate', label: { zh: '生产承诺交期', en: 'Promised date' }, type: 'date', section: 'schedule', computed: true, span: 'third' },
    { key: 'pmcNote', label: { zh: '生产安排说明', en: 'Scheduling note' }, type: 'text', section: 'schedule', computed: true, maxLength: 200, span: 'full' },
    { key: 'replyDate', label: { zh: '交期回复客户日期', en: 'Replied to customer on' }, type: 'date', section: 'schedule', computed: true, span: 'third' },
    { key: 'replyNote', label: { zh: '回复方式 / 客户意见', en: 'Reply note' }, type: 'text', section: 'schedule', computed: true, maxLength: 200, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'contract', 'requiredDate', 'promisedDate'], search: ['number', 'customerOrderNo'] },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      issued: { label: { zh: '已下达，待排产', en: 'Issued, to schedule' }, editable: false, released: true, tone: 'warning' },
      scheduled: { label: { zh: '已排产，待回复客户', en: 'Scheduled, reply the customer' }, editable: false, released: true, tone: 'primary' },
      replied: { label: { zh: '已回复交期', en: 'Date replied' }, editable: false, released: true, tone: 'info' },
      produced: { label: { zh: '已完工', en: 'Produced' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'issue', from: ['draft'], to: 'issued', label: { zh: '下达生产', en: 'Issue to production' }, roles: ['csAssistant'],
        guards: ['sampleConfirmedForProduction', 'qaHoldsSampleRecords'] },
      { id: 'schedule', from: ['issued'], to: 'scheduled', label: { zh: '排产并给出交期', en: 'Schedule and give the date' },
        roles: ['pmc', 'productionHead'], asks: ['promisedDate', 'pmcNote'] },
      { id: 'reply', from: ['scheduled'], to: 'replied', label: { zh: '已回复客户交期', en: 'Date replied to the customer' },
        roles: ['csAssistant'], asks: ['replyDate', 'replyNote'] },
      { id: 'reschedule', from: ['scheduled', 'replied'], to: 'scheduled', label: { zh: '改期', en: 'Reschedule' },
        roles: ['pmc', 'productionHead'], asks: ['promisedDate', 'pmcNote'], guards: ['delayReported'] },
      { id: 'produced', from: ['scheduled', 'replied'], to: 'produced', label: { zh: '生产完工', en: 'Produced' }, roles: ['pmc', 'productionHead'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant'], comment: 'required', refusal: true },
    ],
  },
  guards: { sampleConfirmedForProduction, qaHoldsSampleRecords, delayReported },
  deadlines: [promisedDateDue],
  derive: [{ from: 'contract', states: ['approved', 'signed'], link: 'contract', map: noticeFromContract }],
  print: {
    title: { zh: '生产通知单', en: 'Production notice' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['customer', 'contract', 'customerOrderNo', 'noticeDate', 'requiredDate', 'promisedDate'], columns: 2 },
      { kind: 'lines', field: 'items', columns: ['productName', 'spec', 'quantity', 'unit', 'remark'] },
      { kind: 'fields', fields: ['packaging', 'qualityRequirement', 'envRequirement'], columns: 1 },
      { kind: 'approvals', rows: [
        { label: { zh: '编制', en: 'Drawn up by' }, actions: ['create', 'issue'] },
        { label: { zh: '排产', en: 'Scheduled by' }, actions: ['schedule', 'reschedule'] },
      ] },
    ],
  },
})
