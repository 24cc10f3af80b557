import { defineForm } from '../schema/types'
import { firstPaymentReceived, fromCustomer, supportFromContract } from './tech-support.rules'

/**
 * 技术支持申请表 ([F]; printed, internal): the salesperson asks for installation, commissioning or
 * acceptance support (安装、调试及验收); the 主管副总 approves, then 技术部 assigns someone and follows
 * it through to the customer's acceptance.
 */
export const techSupport = defineForm({
  id: 'techSupport',
  title: { zh: '技术支持申请表', en: 'Technical support request' },
  menu: { zh: '技术支持', en: 'Technical support' },
  numbering: { prefix: 'JS' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '申请信息', en: 'Request' } },
    { key: 'service', title: { zh: '技术部跟进', en: 'Technical follow-up' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half', fill: fromCustomer },
    { key: 'salesperson', label: { zh: '申请人（业务员）', en: 'Applicant' }, type: 'user', roles: ['salesperson'], span: 'half' },
    { key: 'contract', label: { zh: '销售合同（接续服务）', en: 'Contract (follow-on service)' }, type: 'reference', to: 'contract', span: 'half',
      help: { zh: '合同的安装、调试、验收等接续服务：首期款到后才能安排（[A] 10）', en: 'Follow-on service under a contract waits for its first payment ([A] 10)' } },
    { key: 'requestDate', label: { zh: '申请日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'neededBy', label: { zh: '要求到场日期', en: 'Needed by' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 3 } },
    { key: 'kind', label: { zh: '支持类型', en: 'Kind' }, type: 'select', required: true, span: 'third', options: [
      { value: 'install', label: { zh: '安装', en: 'Installation' } },
      { value: 'commission', label: { zh: '调试', en: 'Commissioning' } },
      { value: 'acceptance', label: { zh: '验收', en: 'Acceptance' } },
      { value: 'trial', label: { zh: '现场试料', en: 'On-site trial' } },
      { value: 'complaint', label: { zh: '客诉技术支持', en: 'Complaint support' } },
    ] },
    { key: 'siteAddress', label: { zh: '现场地址', en: 'Site address' }, type: 'text', required: true, maxLength: 200, span: 'full' },
    { key: 'contact', label: { zh: '客户联系人', en: 'Contact' }, type: 'text', maxLength: 30, span: 'half' },
    { key: 'contactPhone', label: { zh: '联系电话', en: 'Phone' }, type: 'text', maxLength: 40, span: 'half' },
    { key: 'description', label: { zh: '问题 / 需求描述', en: 'Description' }, type: 'longtext', required: true, maxLength: 1000, span: 'full' },
    { key: 'technician', label: { zh: '技术部人员', en: 'Technician' }, type: 'user', roles: ['technical'], section: 'service', computed: true, span: 'half' },
    { key: 'serviceDate', label: { zh: '服务日期', en: 'Service date' }, type: 'date', section: 'service', computed: true, span: 'half' },
    { key: 'serviceResult', label: { zh: '服务结果及客户验收意见', en: 'Result and acceptance' }, type: 'longtext', section: 'service', computed: true, maxLength: 1000, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'kind', 'requestDate', 'neededBy', 'technician'], search: ['number', 'contact'] },
  computed: {},
  guards: { firstPaymentReceived },
  derive: [{ from: 'contract', states: ['approved', 'signed'], link: 'contract', map: supportFromContract }],
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      pending: { label: { zh: '待主管副总批准', en: 'Awaiting vice GM' }, editable: false, tone: 'warning' },
      approved: { label: { zh: '已批准，待派人', en: 'Approved, to assign' }, editable: false, released: true, tone: 'primary' },
      inService: { label: { zh: '技术部跟进中', en: 'In service' }, editable: false, released: true, tone: 'warning' },
      done: { label: { zh: '已完成验收', en: 'Done' }, editable: false, released: true, final: true, tone: 'success' },
      rejected: { label: { zh: '未批准', en: 'Rejected' }, editable: true, tone: 'danger' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft', 'rejected'], to: 'pending', label: { zh: '提交审批', en: 'Submit' }, roles: ['salesperson', 'csAssistant'], guards: ['firstPaymentReceived'] },
      { id: 'withdraw', sameActorAs: ['submit'], from: ['pending'], to: 'draft', label: { zh: '撤回', en: 'Withdraw' }, roles: [] },
      { id: 'approve', separateFrom: ['submit'], from: ['pending'], to: 'approved', label: { zh: '批准', en: 'Approve' }, roles: ['viceGM'], comment: 'optional' },
      { id: 'reject', separateFrom: ['submit'], from: ['pending'], to: 'rejected', label: { zh: '不批准', en: 'Reject' }, roles: ['viceGM'], comment: 'required', refusal: true },
      { id: 'assign', from: ['approved'], to: 'inService', label: { zh: '安排技术人员', en: 'Assign a technician' }, roles: ['technical'], asks: ['technician', 'serviceDate'], guards: ['firstPaymentReceived'] },
      { id: 'complete', from: ['inService'], to: 'done', label: { zh: '完成并验收', en: 'Complete' }, roles: ['technical'], assignee: 'technician', asks: ['serviceResult'] },
      { id: 'void', from: ['draft', 'rejected'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson', 'csAssistant'], comment: 'required', refusal: true },
    ],
  },
  print: {
    title: { zh: '技术支持申请表', en: 'Technical support request' },
    returnable: false,
    blocks: [
      { kind: 'party', title: { zh: '客户', en: 'Customer' }, reference: 'customer', fields: ['fullName', 'phone'] },
      { kind: 'fields', fields: ['salesperson', 'requestDate', 'neededBy', 'kind', 'siteAddress', 'contact', 'contactPhone'], columns: 2 },
      { kind: 'text', field: 'description', title: { zh: '问题 / 需求描述', en: 'Description' } },
      { kind: 'fields', title: { zh: '技术部跟进', en: 'Technical follow-up' }, fields: ['technician', 'serviceDate'], columns: 2 },
      { kind: 'text', field: 'serviceResult', title: { zh: '服务结果及客户验收意见', en: 'Result and acceptance' } },
      { kind: 'signatures', parties: [{ zh: '申请人', en: 'Applicant' }, { zh: '主管副总批准', en: 'Vice GM' }, { zh: '技术部', en: 'Technical department' }] },
    ],
  },
})
