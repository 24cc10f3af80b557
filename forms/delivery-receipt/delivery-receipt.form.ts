import { defineForm } from '../schema/types'
import { units } from '../schema/options'
import { receiptFromDelivery } from './delivery-receipt.rules'

/**
 * 签收单 ([A] 8 发货单客户联, [F]): printed for the customer to sign on arrival (QR on every page);
 * the signed scan is imported, matched and attached, and only then may finance book the delivery (R22).
 */
export const deliveryReceipt = defineForm({
  id: 'deliveryReceipt',
  title: { zh: '签收单', en: 'Delivery receipt' },
  menu: { zh: '签收单', en: 'Receipts' },
  numbering: { prefix: 'QS' },
  titleField: 'customer',
  sections: [{ key: 'head', title: { zh: '签收', en: 'Receipt' } }, { key: 'items', title: { zh: '货物明细', en: 'Goods' } }],
  fields: [
    { key: 'delivery', label: { zh: '发货单', en: 'Delivery note' }, type: 'reference', to: 'delivery', required: true, span: 'half' },
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', span: 'half' },
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'deliveryAddress', label: { zh: '送货地址', en: 'Delivery address' }, type: 'text', maxLength: 200, span: 'half' },
    { key: 'carrier', label: { zh: '物流公司', en: 'Carrier' }, type: 'text', maxLength: 60, span: 'third' },
    { key: 'waybill', label: { zh: '运单号 / 车牌', en: 'Waybill / plate' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'shipDate', label: { zh: '发货日期', en: 'Ship date' }, type: 'date', span: 'third' },
    { key: 'items', label: { zh: '货物明细', en: 'Goods' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 100, columns: [
      { key: 'productName', label: { zh: '品名', en: 'Product' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格型号', en: 'Specification' }, type: 'text', maxLength: 80 },
      { key: 'batchNo', label: { zh: '批号', en: 'Batch no.' }, type: 'text', maxLength: 30 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
    ] },
  ],
  list: { columns: ['number', 'customer', 'delivery', 'shipDate'], search: ['number', 'waybill'] },
  workflow: {
    initial: 'issued',
    signedReturn: 'signedReturn',
    states: {
      issued: { label: { zh: '待客户签收', en: 'Awaiting signature' }, editable: true, released: true, tone: 'warning' },
      signed: { label: { zh: '客户已签收', en: 'Signed by the customer' }, editable: false, released: true, final: true, tone: 'success' },
    },
    transitions: [
      { id: 'signedReturn', from: ['issued'], to: 'signed', label: { zh: '客户已签收', en: 'Signed copy received' }, roles: ['csAssistant', 'salesperson', 'finance'] },
    ],
  },
  derive: [{ from: 'delivery', states: ['shipped', 'booked'], link: 'delivery', map: receiptFromDelivery }],
  print: {
    title: { zh: '签收单（客户联）', en: 'Delivery receipt (customer copy)' },
    returnable: true,
    blocks: [
      { kind: 'party', title: { zh: '收货单位', en: 'Consignee' }, reference: 'customer', fields: ['fullName', 'address', 'phone'] },
      { kind: 'fields', fields: ['delivery', 'contract', 'deliveryAddress', 'carrier', 'waybill', 'shipDate'], columns: 2 },
      { kind: 'lines', field: 'items', columns: ['productName', 'spec', 'batchNo', 'quantity', 'unit'] },
      { kind: 'signatures', parties: [{ zh: '送货人', en: 'Delivered by' }, { zh: '收货单位签收（盖章）及日期', en: 'Received by (stamp) and date' }] },
    ],
  },
})
