import { defineForm } from '../schema/types'
import { acceptanceHasDueDate, overpaymentNoted, paymentFromContract, paymentFromCustomer, paymentFromStatement } from './payment.rules'
import { statementConfirmed } from '../statement/statement.rules'

/**
 * 收款登记 (§5.9, [A] 5): money received against a contract (partial payments, prepayments), handed
 * to finance, who confirm it. Only confirmed money counts (R13, the 合同台帐); an over-payment is kept
 * as the customer's credit.
 */
export const payment = defineForm({
  id: 'payment',
  title: { zh: '收款登记', en: 'Payment received' },
  menu: { zh: '收款登记', en: 'Payments' },
  numbering: { prefix: 'SK' },
  titleField: 'customer',
  sections: [{ key: 'head', title: { zh: '收款信息', en: 'Payment' } }],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', span: 'half',
      help: { zh: '预收款可以先不关联合同', en: 'A prepayment may be recorded before the contract' } },
    { key: 'kind', label: { zh: '款项类别', en: 'Kind' }, type: 'select', required: true, default: 'goods', span: 'third', options: [
      { value: 'goods', label: { zh: '货款', en: 'Payment for goods' } },
      { value: 'prepay', label: { zh: '预收款', en: 'Prepayment' } },
    ] },
    { key: 'receivedDate', label: { zh: '收款日期', en: 'Received on' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'amount', label: { zh: '收款金额', en: 'Amount' }, type: 'money', required: true, min: 1, span: 'third' },
    { key: 'method', label: { zh: '收款方式', en: 'Method' }, type: 'select', required: true, default: 'wire', span: 'third', options: [
      { value: 'wire', label: { zh: '电汇', en: 'Bank transfer' } },
      { value: 'acceptance', label: { zh: '承兑汇票', en: 'Bank acceptance' } },
      { value: 'cash', label: { zh: '现金', en: 'Cash' } },
      { value: 'cheque', label: { zh: '支票', en: 'Cheque' } },
    ] },
    { key: 'billNo', label: { zh: '票号 / 流水号', en: 'Bill / reference no.' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'billDueDate', label: { zh: '承兑到期日', en: 'Bill due date' }, type: 'date', span: 'third' },
    { key: 'payer', label: { zh: '付款单位', en: 'Paid by' }, type: 'text', maxLength: 100, span: 'half' },
    { key: 'statement', label: { zh: '依据对账单', en: 'Statement' }, type: 'reference', to: 'statement', span: 'half',
      help: { zh: '客户签回的对账单（R16）', en: 'The statement the customer confirmed (R16)' } },
    { key: 'collectedBy', label: { zh: '经手业务员', en: 'Collected by' }, type: 'user', roles: ['salesperson'], span: 'third',
      help: { zh: '业务员收回的款项、票据交财务部（§5.9）', en: 'Money and bills a salesperson collected go to finance (§5.9)' } },
    { key: 'handedOn', label: { zh: '交财务日期', en: 'Handed to finance on' }, type: 'date', span: 'third' },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'contract', 'receivedDate', 'method', 'amount'], search: ['number', 'billNo', 'payer'] },
  validators: [acceptanceHasDueDate],
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '待财务确认', en: 'To confirm' }, editable: true, tone: 'warning' },
      confirmed: { label: { zh: '财务已确认', en: 'Confirmed' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'confirm', from: ['draft'], to: 'confirmed', label: { zh: '财务确认收款', en: 'Confirm receipt' }, roles: ['finance'], guards: ['statementConfirmed', 'overpaymentNoted'] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['finance', 'csAssistant'], comment: 'required', refusal: true },
    ],
  },
  guards: { statementConfirmed, overpaymentNoted },
  derive: [
    { from: 'contract', states: ['approved', 'signed', 'closed'], link: 'contract', map: paymentFromContract },
    { from: 'statement', states: ['confirmed'], link: 'statement', map: paymentFromStatement },
    { from: 'customer', link: 'customer', map: paymentFromCustomer },
  ],
})
