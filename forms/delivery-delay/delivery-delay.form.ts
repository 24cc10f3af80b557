import { defineForm } from '../schema/types'
import { delayFromNotice, laterDateWithReason } from './delivery-delay.rules'

/**
 * 交期延误通知 (§5.7.2, R14): a promised date that will be missed is reported with its reason to the
 * customer (by CS, printed or sent) and to the salesperson, who acknowledges it.
 */
export const deliveryDelay = defineForm({
  id: 'deliveryDelay',
  title: { zh: '交期延误通知', en: 'Delivery delay notice' },
  menu: { zh: '交期延误', en: 'Delivery delays' },
  numbering: { prefix: 'YW' },
  titleField: 'customer',
  sections: [{ key: 'head', title: { zh: '延误情况', en: 'Delay' } }],
  fields: [
    { key: 'productionNotice', label: { zh: '生产通知单', en: 'Production notice' }, type: 'reference', to: 'productionNotice', required: true, span: 'half' },
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', span: 'half' },
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], required: true, span: 'half' },
    { key: 'originalDate', label: { zh: '原承诺交期', en: 'Promised date' }, type: 'date', computed: true, mirror: { ref: 'productionNotice', field: 'promisedDate' }, span: 'third' },
    { key: 'newDate', label: { zh: '预计交期', en: 'New expected date' }, type: 'date', required: true, span: 'third' },
    { key: 'reason', label: { zh: '延误原因', en: 'Reason' }, type: 'longtext', required: true, maxLength: 500, span: 'full',
      placeholder: { zh: '如 原料 PC 粒子到货延迟 5 天', en: 'e.g. raw material arrived 5 days late' } },
    { key: 'measures', label: { zh: '补救措施', en: 'Measures' }, type: 'longtext', maxLength: 500, span: 'full' },
    { key: 'notifiedVia', label: { zh: '通知客户方式', en: 'Customer told by' }, type: 'select', computed: true, span: 'third', options: [
      { value: 'phone', label: { zh: '电话', en: 'Phone' } },
      { value: 'email', label: { zh: '邮件', en: 'E-mail' } },
      { value: 'fax', label: { zh: '传真', en: 'Fax' } },
      { value: 'letter', label: { zh: '书面通知', en: 'Letter' } },
    ] },
    { key: 'customerContact', label: { zh: '客户接收人', en: 'Told to' }, type: 'text', computed: true, maxLength: 30, span: 'third' },
  ],
  list: { columns: ['number', 'customer', 'productionNotice', 'originalDate', 'newDate'], search: ['number'] },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      notified: { label: { zh: '已通知客户，待业务员确认', en: 'Customer told, salesperson to acknowledge' }, editable: false, released: true, tone: 'warning' },
      acknowledged: { label: { zh: '业务员已知悉', en: 'Acknowledged' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'notify', from: ['draft'], to: 'notified', label: { zh: '已通知客户', en: 'Customer told' }, roles: ['csAssistant'],
        asks: ['notifiedVia', 'customerContact'], guards: ['laterDateWithReason'] },
      { id: 'acknowledge', from: ['notified'], to: 'acknowledged', label: { zh: '业务员已知悉', en: 'Acknowledge' }, roles: ['salesperson'], assignee: 'salesperson' },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant'], comment: 'required', refusal: true },
    ],
  },
  guards: { laterDateWithReason },
  derive: [{ from: 'productionNotice', states: ['scheduled', 'replied'], link: 'productionNotice', map: delayFromNotice }],
  print: {
    title: { zh: '交期延误通知', en: 'Delivery delay notice' },
    returnable: false,
    blocks: [
      { kind: 'party', title: { zh: '致', en: 'To' }, reference: 'customer', fields: ['fullName', 'address', 'phone'] },
      { kind: 'fields', fields: ['contract', 'originalDate', 'newDate'], columns: 2 },
      { kind: 'text', field: 'reason', title: { zh: '延误原因', en: 'Reason' } },
      { kind: 'text', field: 'measures', title: { zh: '补救措施', en: 'Measures' } },
      { kind: 'signatures', parties: [{ zh: '供方（盖章）', en: 'Supplier (stamp)' }] },
    ],
  },
})
