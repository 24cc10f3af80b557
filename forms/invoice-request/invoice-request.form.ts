import { defineForm } from '../schema/types'
import { invoiceBuyer, invoiceContext, invoiceFromContract, invoiceGate } from './invoice-request.rules'

const shown = (key: string, zh: string, en: string, type: 'money' | 'number' = 'money') =>
  ({ key, label: { zh, en }, type, section: 'figures', computed: true, span: 'third' as const })

/**
 * 开票申请 ([A] 11, R19): asked for by CS or the salesperson, checked against what the contract has
 * collected (or, under [F]'s practice, shipped or fallen due), approved by the finance VP, and issued
 * by finance with the invoice's number and date. Issued amounts are the 合同台帐's 已开票.
 */
export const invoiceRequest = defineForm({
  id: 'invoiceRequest',
  title: { zh: '开票申请单', en: 'Invoice request' },
  menu: { zh: '开票申请', en: 'Invoice requests' },
  numbering: { prefix: 'KP' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '开票信息', en: 'Invoice' } },
    { key: 'figures', title: { zh: '合同回款情况', en: 'Contract collections' } },
    { key: 'buyer', title: { zh: '购买方信息', en: 'Buyer' } },
  ],
  fields: [
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', required: true, span: 'half' },
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half', fill: invoiceBuyer },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'third' },
    { key: 'invoiceType', label: { zh: '发票类型', en: 'Invoice type' }, type: 'select', required: true, default: 'special', span: 'third', options: [
      { value: 'special', label: { zh: '增值税专用发票', en: 'VAT special invoice' } },
      { value: 'normal', label: { zh: '增值税普通发票', en: 'VAT ordinary invoice' } },
    ] },
    { key: 'amount', label: { zh: '开票金额（价税合计）', en: 'Amount incl. tax' }, short: { zh: '开票金额', en: 'Amount' }, type: 'money', required: true, min: 1, span: 'third' },
    shown('contractAmount', '合同金额', 'Contract amount'),
    shown('collectedAmount', '已收款', 'Collected'),
    shown('collectedPercent', '回款比例（%）', 'Collected (%)', 'number'),
    shown('shippedAmount', '已发货', 'Shipped'),
    shown('invoicedBefore', '已申请 / 已开票', 'Invoiced before'),
    { key: 'buyerName', label: { zh: '购买方名称', en: 'Buyer' }, type: 'text', section: 'buyer', required: true, maxLength: 100, span: 'half' },
    { key: 'taxNo', label: { zh: '纳税人识别号', en: 'Tax number' }, type: 'text', section: 'buyer', maxLength: 20, span: 'half' },
    { key: 'buyerAddress', label: { zh: '地址、电话', en: 'Address, phone' }, type: 'text', section: 'buyer', maxLength: 200, span: 'half' },
    { key: 'bank', label: { zh: '开户银行', en: 'Bank' }, type: 'text', section: 'buyer', maxLength: 60, span: 'half' },
    { key: 'bankAccount', label: { zh: '银行账号', en: 'Bank account' }, type: 'text', section: 'buyer', maxLength: 40, span: 'half' },
    { key: 'invoiceNo', label: { zh: '发票号码', en: 'Invoice no.' }, type: 'text', section: 'buyer', maxLength: 30, span: 'third', computed: true },
    { key: 'invoiceDate', label: { zh: '开票日期', en: 'Invoiced on' }, type: 'date', section: 'buyer', span: 'third', computed: true },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'buyer', maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'contract', 'invoiceType', 'amount', 'invoiceDate'], search: ['number', 'invoiceNo'] },
  gather: { inputs: ['contract'], writes: ['contractAmount', 'collectedAmount', 'collectedPercent', 'shippedAmount', 'invoicedBefore'], run: 'invoiceContext' },
  gatherers: { invoiceContext },
  guards: { invoiceGate },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      review: { label: { zh: '待财务副总审批', en: 'With the finance VP' }, editable: false, tone: 'warning' },
      approved: { label: { zh: '已批准，待开票', en: 'Approved, to invoice' }, editable: false, released: true, tone: 'warning' },
      issued: { label: { zh: '已开票', en: 'Invoiced' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'review', label: { zh: '提交审批', en: 'Submit' }, roles: ['csAssistant', 'salesperson', 'finance'], guards: ['invoiceGate'] },
      { id: 'approve', from: ['review'], to: 'approved', label: { zh: '财务副总批准', en: 'Approve' }, roles: ['financeVP'], guards: ['invoiceGate'] },
      { id: 'reject', from: ['review'], to: 'draft', label: { zh: '退回', en: 'Return' }, roles: ['financeVP'], comment: 'required', refusal: true },
      { id: 'issue', from: ['approved'], to: 'issued', label: { zh: '登记开票', en: 'Record the invoice' }, roles: ['finance'], asks: ['invoiceNo', 'invoiceDate'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant', 'salesperson', 'finance'], comment: 'required', refusal: true },
    ],
  },
  derive: [{ from: 'contract', states: ['approved', 'signed', 'closed'], link: 'contract', map: invoiceFromContract }],
})
