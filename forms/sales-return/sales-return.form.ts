import { defineForm } from '../schema/types'
import { taxRates, units } from '../schema/options'
import { lineAmount, quotationTotals } from '../quotation/quotation.rules'
import { decidedReturn, returnFromComplaint, returnFromDelivery, withinDelivered } from './sales-return.rules'

const fromContractLine = (column: string) => ({ ref: 'contract', lines: 'items', column, match: ['product', 'productName'] })

/**
 * 退货单 (§5.8.2–5.8.3): a return needs the QA head's confirmation (R15) before the goods are taken
 * back; its value (at the contract's prices) becomes an account adjustment finance and CS both see.
 */
export const salesReturn = defineForm({
  id: 'salesReturn',
  title: { zh: '退货单', en: 'Sales return' },
  menu: { zh: '退货单', en: 'Returns' },
  numbering: { prefix: 'TH' },
  titleField: 'customer',
  sections: [{ key: 'head', title: { zh: '退货信息', en: 'Return' } }, { key: 'items', title: { zh: '退货明细', en: 'Items' } }],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'complaint', label: { zh: '客诉处理单', en: 'Complaint' }, type: 'reference', to: 'complaint', span: 'half' },
    { key: 'delivery', label: { zh: '原发货单', en: 'Delivery note' }, type: 'reference', to: 'delivery', required: true, span: 'half' },
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', required: true, span: 'half' },
    { key: 'returnDate', label: { zh: '退货日期', en: 'Return date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'reason', label: { zh: '退货原因', en: 'Reason' }, type: 'longtext', required: true, maxLength: 500, span: 'full' },
    { key: 'items', label: { zh: '退货明细', en: 'Items' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 100, columns: [
      { key: 'product', label: { zh: '产品编码', en: 'Product code' }, type: 'reference', to: 'product' },
      { key: 'productName', label: { zh: '品名', en: 'Product' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格型号', en: 'Specification' }, type: 'text', maxLength: 80 },
      { key: 'batchNo', label: { zh: '批号', en: 'Batch no.' }, type: 'text', maxLength: 30 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
      { key: 'unitPrice', label: { zh: '含税单价', en: 'Unit price' }, type: 'money', computed: true, mirror: fromContractLine('unitPrice') },
      { key: 'taxRate', label: { zh: '税率', en: 'Tax rate' }, type: 'select', options: taxRates, computed: true, mirror: fromContractLine('taxRate') },
      { key: 'amount', label: { zh: '金额', en: 'Amount' }, type: 'money', computed: true },
    ] },
    { key: 'totalAmount', label: { zh: '退货金额', en: 'Amount' }, type: 'money', section: 'items', computed: true, span: 'third' },
  ],
  list: { columns: ['number', 'customer', 'delivery', 'returnDate', 'totalAmount'], search: ['number'] },
  computed: { totalAmount: (d) => quotationTotals(d).total },
  lineComputed: { 'items.amount': lineAmount },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      pending: { label: { zh: '待品质部确认', en: 'Awaiting QA' }, editable: false, tone: 'warning' },
      confirmed: { label: { zh: '品质部已确认，待收货', en: 'Confirmed by QA' }, editable: false, released: true, tone: 'primary' },
      received: { label: { zh: '已收回入库', en: 'Goods received' }, editable: false, released: true, final: true, tone: 'success' },
      refused: { label: { zh: '品质部不同意退货', en: 'Refused by QA' }, editable: false, final: true, tone: 'danger' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'pending', label: { zh: '提交品质部确认', en: 'Submit to QA' }, roles: ['csAssistant', 'salesperson'], guards: ['withinDelivered'] },
      { id: 'confirm', from: ['pending'], to: 'confirmed', label: { zh: '品质部确认退货', en: 'QA confirms the return' }, roles: ['qa'], separateFrom: ['submit'], comment: 'optional' },
      { id: 'refuse', from: ['pending'], to: 'refused', label: { zh: '不同意退货', en: 'Refuse' }, roles: ['qa'], comment: 'required', refusal: true },
      { id: 'receive', from: ['confirmed'], to: 'received', label: { zh: '退货已收回入库', en: 'Goods received' }, roles: ['csAssistant', 'pmc'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant'], comment: 'required', refusal: true },
    ],
  },
  guards: { withinDelivered },
  derive: [
    { from: 'complaint', states: ['circulated', 'improving', 'closed'], link: 'complaint', map: returnFromComplaint, when: decidedReturn },
    { from: 'delivery', states: ['shipped', 'booked'], link: 'delivery', map: returnFromDelivery },
  ],
  print: {
    title: { zh: '退货单', en: 'Sales return' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['customer', 'contract', 'delivery', 'complaint', 'returnDate'], columns: 2 },
      { kind: 'text', field: 'reason', title: { zh: '退货原因', en: 'Reason' } },
      { kind: 'lines', field: 'items', columns: ['productName', 'spec', 'batchNo', 'quantity', 'unit', 'unitPrice', 'amount'] },
      { kind: 'totals', fields: ['totalAmount'], capital: 'totalAmount' },
      { kind: 'approvals', rows: [
        { label: { zh: '申请', en: 'Requested by' }, actions: ['create', 'submit'] },
        { label: { zh: '品质部负责人确认', en: 'QA head' }, actions: ['confirm'] },
        { label: { zh: '收货', en: 'Received by' }, actions: ['receive'] },
      ] },
    ],
  },
})
