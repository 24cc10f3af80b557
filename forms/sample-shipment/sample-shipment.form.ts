import { defineForm } from '../schema/types'
import { units } from '../schema/options'
import { chargedSampleOrdered, confirmationDue, explanationDue, fromApplication, thirtyDaysWithoutFeedback } from './sample-shipment.rules'

/**
 * 样品发运 (§5.3, §5.4): CS ships the sample through the contracted carrier (运输公司, 运单号, 发运日期)
 * and agrees the on-site trial date with the customer. Dispatch starts the R5 (2 weeks) and R6
 * (30 days) clocks; feedback or a written explanation stops them.
 */
export const sampleShipment = defineForm({
  id: 'sampleShipment',
  title: { zh: '样品发运单', en: 'Sample shipment' },
  menu: { zh: '样品发运', en: 'Sample shipments' },
  numbering: { prefix: 'YF' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '发运信息', en: 'Shipment' } },
    { key: 'items', title: { zh: '样品明细', en: 'Samples' } },
    { key: 'trial', title: { zh: '试样跟进', en: 'Trial follow-up' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'application', label: { zh: '样品申请单', en: 'Sample application' }, type: 'reference', to: 'sampleApplication', required: true, span: 'half' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'third' },
    { key: 'carrier', label: { zh: '运输公司', en: 'Carrier' }, type: 'text', required: true, maxLength: 60, span: 'third',
      placeholder: { zh: '如 顺丰速运 / 德邦物流', en: 'e.g. SF Express' } },
    { key: 'waybill', label: { zh: '运单号', en: 'Waybill no.' }, type: 'text', required: true, maxLength: 40, span: 'third' },
    { key: 'dispatchDate', label: { zh: '发运日期', en: 'Dispatch date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'newFormula', label: { zh: '含全新配方产品', en: 'Includes a new formula' }, type: 'boolean', span: 'third',
      help: { zh: '全新配方须现场试料（§5.4）', en: 'A new formula must be trialled on site (§5.4)' } },
    { key: 'items', label: { zh: '样品明细', en: 'Samples' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 30, columns: [
      { key: 'productName', label: { zh: '品名 / 牌号', en: 'Product / grade' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格 / 色号', en: 'Spec / colour no.' }, type: 'text', maxLength: 60 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
    ] },
    { key: 'onSiteTrial', label: { zh: '工程部现场试料', en: 'On-site trial by engineering' }, type: 'boolean', section: 'trial', span: 'third',
      help: { zh: '由工程部工程师现场试料时，不受“发出 2 周内交确认表”限制（§5.4）', en: 'An on-site trial is not bound by the 2-week rule (§5.4)' } },
    { key: 'trialDate', label: { zh: '约定现场试料日期', en: 'Agreed trial date' }, type: 'date', section: 'trial', span: 'third' },
    { key: 'feedbackDate', label: { zh: '客户反馈日期', en: 'Feedback date' }, type: 'date', section: 'trial', computed: true, span: 'third' },
    { key: 'feedbackType', label: { zh: '反馈形式', en: 'Feedback form' }, type: 'select', section: 'trial', computed: true, span: 'third', options: [
      { value: 'report', label: { zh: '客户检验报告', en: 'Test report' } },
      { value: 'resultSheet', label: { zh: '客户签署的结果单', en: 'Signed result sheet' } },
      { value: 'fax', label: { zh: '传真', en: 'Fax' } },
      { value: 'email', label: { zh: '电子邮件', en: 'E-mail' } },
      { value: 'onSite', label: { zh: '现场试料记录', en: 'On-site trial record' } },
    ] },
    { key: 'explanation', label: { zh: '未反馈书面说明（R6）', en: 'Written explanation (no feedback)' }, type: 'longtext', section: 'trial', computed: true, maxLength: 1000, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'carrier', 'waybill', 'dispatchDate', 'trialDate'], search: ['number', 'waybill', 'carrier'] },
  computed: {},
  guards: { thirtyDaysWithoutFeedback, chargedSampleOrdered },
  deadlines: [confirmationDue, explanationDue],
  derive: [{ from: 'sampleApplication', states: ['scheduled'], link: 'application', map: fromApplication }],
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '待发运', en: 'To ship' }, editable: true },
      shipped: { label: { zh: '已发运，待反馈', en: 'Shipped, awaiting feedback' }, editable: true, tone: 'warning' },
      explained: { label: { zh: '已提交书面说明', en: 'Explanation filed' }, editable: true, tone: 'info' },
      fedBack: { label: { zh: '客户已反馈', en: 'Feedback received' }, editable: false, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'dispatch', from: ['draft'], to: 'shipped', label: { zh: '确认发运', en: 'Dispatched' }, roles: ['csAssistant'], guards: ['chargedSampleOrdered'] },
      { id: 'feedback', from: ['shipped', 'explained'], to: 'fedBack', label: { zh: '登记客户反馈', en: 'Record feedback' },
        roles: ['salesperson', 'csAssistant', 'rdEngineer'], asks: ['feedbackDate', 'feedbackType'] },
      { id: 'explain', from: ['shipped'], to: 'explained', label: { zh: '提交书面说明', en: 'File the written explanation' },
        roles: ['salesperson'], asks: ['explanation'], guards: ['thirtyDaysWithoutFeedback'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant'], comment: 'required', refusal: true },
    ],
  },
})
