import { defineForm } from '../schema/types'
import { taxRates, units } from '../schema/options'
import { lineAmount, quotationTotals } from '../quotation/quotation.rules'
import { deliveryFromContract, deliveryFromNotice, paidBeforeShipping, receiptSigned, withinContract } from './delivery.rules'

const fromContractLine = (column: string) => ({ ref: 'contract', lines: 'items', column, match: ['product', 'productName'] })

/**
 * 发货单 / 出库单 ([A] 8, [F], §5.7): from the contract or the production notice; partial deliveries
 * within what is left on the contract; the carrier, waybill, ship and arrival dates ([F] 出车单);
 * prices are the contract's. Cash in advance ships only against recorded money (R13); finance books
 * it once the customer's signed receipt is back (R22).
 */
export const delivery = defineForm({
  id: 'delivery',
  title: { zh: '发货单', en: 'Delivery note' },
  menu: { zh: '发货单', en: 'Deliveries' },
  numbering: { prefix: 'FH' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '发货信息', en: 'Delivery' } },
    { key: 'items', title: { zh: '发货明细', en: 'Items' } },
    { key: 'transport', title: { zh: '物流', en: 'Transport' } },
  ],
  fields: [
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', required: true, span: 'half' },
    { key: 'productionNotice', label: { zh: '生产通知单', en: 'Production notice' }, type: 'reference', to: 'productionNotice', span: 'half' },
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'half' },
    { key: 'deliveryAddress', label: { zh: '送货地址', en: 'Delivery address' }, type: 'text', maxLength: 200, span: 'full' },
    { key: 'contact', label: { zh: '收货人', en: 'Consignee' }, type: 'text', maxLength: 30, span: 'third' },
    { key: 'contactPhone', label: { zh: '收货人电话', en: 'Consignee phone' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'items', label: { zh: '发货明细', en: 'Items' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 100, columns: [
      { key: 'product', label: { zh: '产品编码', en: 'Product code' }, type: 'reference', to: 'product' },
      { key: 'productName', label: { zh: '品名', en: 'Product' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格型号', en: 'Specification' }, type: 'text', maxLength: 80 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
      { key: 'batchNo', label: { zh: '批号', en: 'Batch no.' }, type: 'text', maxLength: 30 },
      { key: 'unitPrice', label: { zh: '含税单价', en: 'Unit price' }, type: 'money', computed: true, mirror: fromContractLine('unitPrice') },
      { key: 'taxRate', label: { zh: '税率', en: 'Tax rate' }, type: 'select', options: taxRates, computed: true, mirror: fromContractLine('taxRate') },
      { key: 'amount', label: { zh: '金额', en: 'Amount' }, type: 'money', computed: true },
    ] },
    { key: 'totalAmount', label: { zh: '发货金额', en: 'Amount' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'carrier', label: { zh: '物流公司', en: 'Carrier' }, type: 'text', section: 'transport', required: true, maxLength: 60, span: 'third',
      placeholder: { zh: '如 德邦物流 / 自有车辆', en: 'e.g. Deppon / own truck' } },
    { key: 'waybill', label: { zh: '运单号 / 车牌', en: 'Waybill / plate' }, type: 'text', section: 'transport', required: true, maxLength: 40, span: 'third' },
    { key: 'shipDate', label: { zh: '发货日期', en: 'Ship date' }, type: 'date', section: 'transport', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'arrivalDate', label: { zh: '到货日期', en: 'Arrival date' }, type: 'date', section: 'transport', span: 'third' },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'transport', maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'contract', 'shipDate', 'waybill', 'totalAmount'], search: ['number', 'waybill', 'carrier'] },
  computed: { totalAmount: (d) => quotationTotals(d).total },
  lineComputed: { 'items.amount': lineAmount },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '待发货', en: 'To ship' }, editable: true },
      shipped: { label: { zh: '已发货，待签收', en: 'Shipped, awaiting receipt' }, editable: false, released: true, tone: 'warning' },
      booked: { label: { zh: '已签收入账', en: 'Booked' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'ship', from: ['draft'], to: 'shipped', label: { zh: '确认发货出库', en: 'Ship' }, roles: ['csAssistant'], guards: ['withinContract', 'paidBeforeShipping'] },
      { id: 'book', from: ['shipped'], to: 'booked', label: { zh: '财务入账', en: 'Book' }, roles: ['finance'], guards: ['receiptSigned'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant'], comment: 'required', refusal: true },
    ],
  },
  guards: { withinContract, paidBeforeShipping, receiptSigned },
  derive: [
    { from: 'contract', states: ['approved', 'signed'], link: 'contract', map: deliveryFromContract },
    { from: 'productionNotice', states: ['scheduled', 'replied', 'produced'], link: 'productionNotice', map: deliveryFromNotice },
  ],
  print: {
    title: { zh: '发货单（出库单）', en: 'Delivery note' },
    returnable: false,
    blocks: [
      { kind: 'party', title: { zh: '收货单位', en: 'Consignee' }, reference: 'customer', fields: ['fullName', 'phone'] },
      { kind: 'fields', fields: ['contract', 'deliveryAddress', 'contact', 'contactPhone', 'carrier', 'waybill', 'shipDate'], columns: 2 },
      { kind: 'lines', field: 'items', columns: ['productName', 'spec', 'batchNo', 'quantity', 'unit', 'unitPrice', 'amount'] },
      { kind: 'totals', fields: ['totalAmount'], capital: 'totalAmount' },
      { kind: 'signatures', parties: [{ zh: '仓库', en: 'Warehouse' }, { zh: '承运人', en: 'Carrier' }] },
      { kind: 'approvals', rows: [
        { label: { zh: '制单', en: 'Prepared by' }, actions: ['create'] },
        { label: { zh: '发货', en: 'Shipped by' }, actions: ['ship'] },
      ] },
    ],
  },
})
