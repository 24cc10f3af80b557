import { defineForm } from '../schema/types'
import {
  colourCardAttached, fromShipment, newFormulaTrialledOnSite, specSheetsAttached,
} from './sample-confirmation.rules'

const verdicts = [
  { value: 'pass', label: { zh: '合格', en: 'Pass' } },
  { value: 'fail', label: { zh: '不合格', en: 'Fail' } },
  { value: 'pending', label: { zh: '待定', en: 'Pending' } },
]

/**
 * 样品性能确认表 (§5.4, §5.5; printed for the customer to sign, QR on every page, the signed scan
 * matched on import like the quotation) with the signed colour card (色卡签回). 物性, 加工性能, 外观 and
 * 颜色 are confirmed (§5.5.1); the customer's written result (report, result sheet, fax, e-mail) is
 * attached. R7 (new formula → on-site trial), R8 (order and production gate), R9 (hand-over to QA).
 */
export const sampleConfirmation = defineForm({
  id: 'sampleConfirmation',
  title: { zh: '样品性能确认表', en: 'Sample performance confirmation' },
  menu: { zh: '样品确认', en: 'Sample confirmations' },
  numbering: { prefix: 'YQ' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '样品信息', en: 'Sample' } },
    { key: 'items', title: { zh: '检测项目', en: 'Test items' } },
    { key: 'result', title: { zh: '确认结果', en: 'Result' } },
    { key: 'files', title: { zh: '签回资料', en: 'Signed records' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'shipment', label: { zh: '样品发运单', en: 'Sample shipment' }, type: 'reference', to: 'sampleShipment', span: 'half' },
    { key: 'application', label: { zh: '样品申请单', en: 'Sample application' }, type: 'reference', to: 'sampleApplication', span: 'half' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'half' },
    { key: 'confirmDate', label: { zh: '确认日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'newFormula', label: { zh: '全新配方', en: 'New formula' }, type: 'boolean', span: 'third' },
    { key: 'onSiteTrial', label: { zh: '现场试料', en: 'On-site trial' }, type: 'boolean', span: 'third' },
    { key: 'trialDate', label: { zh: '试料日期', en: 'Trial date' }, type: 'date', span: 'third' },
    { key: 'items', label: { zh: '检测项目', en: 'Test items' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 40, columns: [
      { key: 'productName', label: { zh: '品名 / 牌号', en: 'Product / grade' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格 / 色号', en: 'Spec / colour no.' }, type: 'text', maxLength: 60 },
      { key: 'item', label: { zh: '检测项目', en: 'Test item' }, type: 'text', maxLength: 40 },
      { key: 'method', label: { zh: '测试方法', en: 'Method' }, type: 'text', maxLength: 40 },
      { key: 'required', label: { zh: '要求值', en: 'Required' }, type: 'text', maxLength: 40 },
      { key: 'measured', label: { zh: '实测值', en: 'Measured' }, type: 'text', maxLength: 40 },
      { key: 'verdict', label: { zh: '判定', en: 'Verdict' }, type: 'select', options: verdicts },
    ] },
    { key: 'physical', label: { zh: '物性确认', en: 'Physical properties' }, type: 'select', options: verdicts, section: 'result', required: true, span: 'third' },
    { key: 'processing', label: { zh: '加工性能确认', en: 'Processing' }, type: 'select', options: verdicts, section: 'result', required: true, span: 'third' },
    { key: 'appearance', label: { zh: '外观确认', en: 'Appearance' }, type: 'select', options: verdicts, section: 'result', required: true, span: 'third' },
    { key: 'colourOk', label: { zh: '颜色确认', en: 'Colour' }, type: 'select', options: verdicts, section: 'result', required: true, span: 'third' },
    { key: 'environmentalOk', label: { zh: '环保（RoHS/REACH）', en: 'Environmental (RoHS/REACH)' }, type: 'select', options: verdicts, section: 'result', span: 'third' },
    { key: 'conclusion', label: { zh: '客户结论', en: 'Customer’s conclusion' }, type: 'longtext', section: 'result', maxLength: 500, span: 'full' },
    { key: 'specialReason', label: { zh: '特殊情况新订单原因（业务员代签）', en: 'Special-case reason (proxy signature)' }, type: 'longtext', section: 'result', computed: true, maxLength: 500, span: 'full' },
    { key: 'colourCard', label: { zh: '签回色卡（扫描件也可）', en: 'Signed colour card (scan accepted)' }, type: 'attachment', section: 'files', span: 'half', accept: ['.pdf', '.jpg', '.jpeg', '.png'] },
    { key: 'customerReport', label: { zh: '客户检验结果（报告 / 结果单 / 传真 / 邮件）', en: 'Customer’s written result' }, type: 'attachment', section: 'files', span: 'half' },
    { key: 'specSheets', label: { zh: '产品承认书 / 规格书', en: 'Approval sheet / specification' }, type: 'attachment', section: 'files', span: 'half' },
  ],
  list: { columns: ['number', 'customer', 'confirmDate', 'physical', 'colourOk'], search: ['number'] },
  computed: {},
  guards: { newFormulaTrialledOnSite, colourCardAttached, specSheetsAttached },
  derive: [{ from: 'sampleShipment', states: ['shipped', 'explained', 'fedBack'], link: 'shipment', map: fromShipment }],
  workflow: {
    initial: 'draft',
    signedReturn: 'signedReturn',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      issued: { label: { zh: '待客户签回', en: 'Awaiting customer signature' }, editable: true, released: true, tone: 'warning' },
      signed: { label: { zh: '客户已签回', en: 'Signed by customer' }, editable: true, released: true, tone: 'success' },
      specialPending: { label: { zh: '特殊情况待总监签核', en: 'Special case: awaiting director' }, editable: false, tone: 'warning' },
      specialApproved: { label: { zh: '特殊情况已签核', en: 'Special case approved' }, editable: true, released: true, tone: 'success' },
      handedOver: { label: { zh: '已移交品质部', en: 'Handed to QA' }, editable: true, released: true, tone: 'primary' },
      qaReceived: { label: { zh: '品质部已接收', en: 'Received by QA' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'issue', from: ['draft'], to: 'issued', label: { zh: '提交，打印给客户签字', en: 'Issue for the customer to sign' },
        roles: ['salesperson', 'csAssistant', 'rdEngineer', 'engineering'], guards: ['newFormulaTrialledOnSite'] },
      { id: 'signedReturn', from: ['issued'], to: 'signed', label: { zh: '客户已签回', en: 'Signed copy received' }, roles: ['salesperson', 'csAssistant'] },
      { id: 'special', from: ['issued'], to: 'specialPending', label: { zh: '特殊情况新订单：业务员代签', en: 'Special case: proxy-sign' },
        roles: ['salesperson'], asks: ['specialReason'] },
      { id: 'approveSpecial', separateFrom: ['special'], from: ['specialPending'], to: 'specialApproved', label: { zh: '总监签核（特殊情况）', en: 'Director approves the special case' },
        roles: ['marketingDirector'], comment: 'optional' },
      { id: 'rejectSpecial', separateFrom: ['special'], from: ['specialPending'], to: 'issued', label: { zh: '不同意代签', en: 'Refuse the special case' },
        roles: ['marketingDirector'], comment: 'required', refusal: true },
      { id: 'handOver', from: ['signed', 'specialApproved'], to: 'handedOver', label: { zh: '移交品质部（样品及承认书）', en: 'Hand over to QA' },
        roles: ['csAssistant'], guards: ['colourCardAttached', 'specSheetsAttached'] },
      { id: 'qaReceive', from: ['handedOver'], to: 'qaReceived', label: { zh: '品质部接收', en: 'QA receives' }, roles: ['qa'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson', 'csAssistant'], comment: 'required', refusal: true },
    ],
  },
  print: {
    title: { zh: '样品性能确认表', en: 'Sample performance confirmation' },
    returnable: true,
    blocks: [
      { kind: 'party', title: { zh: '客户', en: 'Customer' }, reference: 'customer', fields: ['fullName', 'address', 'phone'] },
      { kind: 'fields', fields: ['confirmDate', 'newFormula', 'onSiteTrial', 'trialDate'], columns: 2 },
      { kind: 'lines', field: 'items' },
      { kind: 'fields', title: { zh: '确认结果', en: 'Result' }, fields: ['physical', 'processing', 'appearance', 'colourOk', 'environmentalOk'], columns: 3 },
      { kind: 'text', field: 'conclusion', title: { zh: '客户结论', en: 'Customer’s conclusion' } },
      { kind: 'signatures', parties: [{ zh: '供方业务员', en: 'Supplier' }, { zh: '客户确认（签字 / 盖章，并签回色卡）', en: 'Customer (sign, stamp, return the colour card)' }] },
    ],
  },
})
