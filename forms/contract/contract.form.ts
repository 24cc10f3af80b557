import { defineForm } from '../schema/types'
import { contractCredit, overCreditLimit, withinCreditLimit } from './contract.credit'
import { paymentMethods, taxRates, units } from '../schema/options'
import { fromProduct, lineAmount, quotationTotals } from '../quotation/quotation.rules'
import { contractFlow } from './contract.workflow'
import {
  AGREED_TERMS, chargedSampleOrder, contractFromCustomer, contractFromQuotation, contractFromSample, customerFiledForOrder, fromCustomer,
  hasEnvAgreement, isChargedSample, printedTitle, sampleConfirmedBeforeOrder, signatoryWhenRequested, termsDiffer, termsReagreed,
} from './contract.rules'

const fromQuotation = (column: string) => ({ ref: 'quotation', field: column })

/**
 * 合同评审 / 销售合同 / 订单 (§5.6.2–5.6.3, [A] 2–3): the customer's order with the trade terms,
 * reviewed in one countersign (R11, R12), printed for the customer to sign and stamp; signed by our
 * authorised signatory only when the customer asks for a contract ("如客户要求签订").
 */
export const contract = defineForm({
  id: 'contract',
  title: { zh: '销售合同 / 订单', en: 'Sales contract / order' },
  menu: { zh: '销售合同', en: 'Contracts' },
  numbering: { prefix: 'HT' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '合同信息', en: 'Contract' } },
    { key: 'items', title: { zh: '订货明细', en: 'Items' } },
    { key: 'terms', title: { zh: '交易条件', en: 'Trade terms' } },
    { key: 'env', title: { zh: '环保协议', en: 'Environmental agreement' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half', fill: fromCustomer },
    { key: 'contact', label: { zh: '联系人', en: 'Contact' }, type: 'text', maxLength: 30, span: 'half' },
    { key: 'quotation', label: { zh: '依据报价单', en: 'Agreed quotation' }, type: 'reference', to: 'quotation', span: 'half',
      help: { zh: '交易条件与报价单约定的对照（§5.6.3）', en: 'Terms are compared with this quotation (§5.6.3)' } },
    { key: 'sampleApplication', label: { zh: '计价样品申请单', en: 'Charged sample application' }, type: 'reference', to: 'sampleApplication', span: 'half',
      help: { zh: '计价样品按订单流程处理（§5.2）', en: 'A charged sample follows the order flow (§5.2)' } },
    { key: 'customerOrderNo', label: { zh: '客户订单号', en: 'Customer order no.' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'signDate', label: { zh: '签订日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'deliveryDate', label: { zh: '交货日期', en: 'Delivery date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 15 } },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'third' },
    { key: 'contractRequested', label: { zh: '客户要求签订合同', en: 'Customer asks for a contract' }, type: 'boolean', span: 'third',
      help: { zh: '不要求时按订单处理，不另签合同', en: 'Otherwise handled as an order without a signed contract' } },
    { key: 'signatory', label: { zh: '我方授权签约人', en: 'Authorised signatory' }, type: 'user', roles: ['marketingDirector', 'generalManager'], span: 'third' },
    { key: 'items', label: { zh: '订货明细', en: 'Items' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 200, columns: [
      { key: 'product', label: { zh: '产品编码', en: 'Product code' }, type: 'reference', to: 'product', fill: fromProduct },
      { key: 'productName', label: { zh: '品名', en: 'Product' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格型号', en: 'Specification' }, type: 'text', maxLength: 80 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
      { key: 'unitPrice', label: { zh: '含税单价', en: 'Unit price incl. tax' }, type: 'money', min: 0, required: true },
      { key: 'quotedPrice', label: { zh: '报价单价', en: 'Quoted price' }, type: 'money', computed: true,
        mirror: { ref: 'quotation', lines: 'items', column: 'unitPrice', match: ['product', 'productName'] } },
      { key: 'taxRate', label: { zh: '税率', en: 'Tax rate' }, type: 'select', options: taxRates, required: true, default: '13' },
      { key: 'amount', label: { zh: '金额', en: 'Amount' }, type: 'money', computed: true },
    ] },
    { key: 'netTotal', label: { zh: '不含税金额', en: 'Net amount' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'taxTotal', label: { zh: '税额', en: 'Tax' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'totalAmount', label: { zh: '合同金额（价税合计）', en: 'Contract amount' }, short: { zh: '合同金额', en: 'Amount' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'tradeMethod', label: { zh: '交易方式', en: 'Trade method' }, type: 'text', section: 'terms', maxLength: 60, span: 'half' },
    { key: 'paymentMethod', label: { zh: '付款方式', en: 'Payment method' }, type: 'select', options: paymentMethods, section: 'terms', required: true, span: 'half' },
    { key: 'creditDays', label: { zh: '信用期（天）', en: 'Credit term (days)' }, type: 'number', integer: true, min: 0, max: 365, section: 'terms', span: 'third' },
    { key: 'deliveryPlace', label: { zh: '交货地点', en: 'Delivery place' }, type: 'text', section: 'terms', maxLength: 120, span: 'third' },
    { key: 'packaging', label: { zh: '包装运输', en: 'Packaging & transport' }, type: 'text', section: 'terms', maxLength: 120, span: 'third' },
    { key: 'creditLimit', label: { zh: '客户信用额度', en: 'Credit limit' }, type: 'money', section: 'terms', computed: true, span: 'third' },
    { key: 'creditExposure', label: { zh: '已占用额度（未收货款及未完成订单）', en: 'Owed and on order' }, type: 'money', section: 'terms', computed: true, span: 'third' },
    { key: 'qualityRequirement', label: { zh: '品质要求', en: 'Quality requirement' }, type: 'text', section: 'terms', maxLength: 200, span: 'full' },
    { key: 'reagreement', label: { zh: '重新协商说明（R12）', en: 'Re-agreement (R12)' }, type: 'longtext', section: 'terms', maxLength: 1000, span: 'full',
      help: { zh: '条件与报价单不一致时必填：与客户重新协商的结果', en: 'Required when the terms differ from the quotation' } },
    // The agreed terms, kept from the quotation on every save (shown in the comparison, never typed).
    { key: 'agreedTradeMethod', label: { zh: '约定交易方式', en: 'Agreed trade method' }, type: 'text', section: 'terms', computed: true, mirror: fromQuotation('tradeMethod') },
    { key: 'agreedPaymentMethod', label: { zh: '约定付款方式', en: 'Agreed payment method' }, type: 'select', options: paymentMethods, section: 'terms', computed: true, mirror: fromQuotation('paymentMethod') },
    { key: 'agreedCreditDays', label: { zh: '约定信用期', en: 'Agreed credit term' }, type: 'number', section: 'terms', computed: true, mirror: fromQuotation('creditDays') },
    { key: 'agreedDeliveryPlace', label: { zh: '约定交货地点', en: 'Agreed delivery place' }, type: 'text', section: 'terms', computed: true, mirror: fromQuotation('deliveryPlace') },
    { key: 'agreedPackaging', label: { zh: '约定包装运输', en: 'Agreed packaging' }, type: 'text', section: 'terms', computed: true, mirror: fromQuotation('packaging') },
    { key: 'agreedQuality', label: { zh: '约定品质要求', en: 'Agreed quality' }, type: 'text', section: 'terms', computed: true, mirror: fromQuotation('qualityRequirement') },
    { key: 'envAgreement', label: { zh: '有特殊环保协议', en: 'Special environmental agreement' }, type: 'boolean', section: 'env', span: 'third',
      help: { zh: '须品质部、研发、营销部共同确认（§5.6.2）', en: 'QA, R&D and marketing must all confirm (§5.6.2)' } },
    { key: 'envRequirement', label: { zh: '环保要求', en: 'Environmental requirement' }, type: 'text', section: 'env', maxLength: 200, span: 'full',
      placeholder: { zh: '如 无卤；RoHS 2.0；REACH SVHC 235 项', en: 'e.g. halogen-free; RoHS 2.0; REACH SVHC' } },
    { key: 'envFile', label: { zh: '环保协议文件', en: 'Agreement file' }, type: 'attachment', section: 'env', span: 'full' },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'env', maxLength: 1000, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'customerOrderNo', 'signDate', 'deliveryDate', 'totalAmount'], search: ['number', 'customerOrderNo', 'contact'] },
  computed: {
    netTotal: (d) => quotationTotals(d).net,
    taxTotal: (d) => quotationTotals(d).tax,
    totalAmount: (d) => quotationTotals(d).total,
  },
  lineComputed: { 'items.amount': lineAmount },
  validators: [signatoryWhenRequested],
  workflow: contractFlow,
  guards: { customerFiledForOrder, sampleConfirmedBeforeOrder, chargedSampleOrder, termsReagreed, withinCreditLimit },
  conditions: { termsDiffer, hasEnvAgreement, overCreditLimit },
  gather: { inputs: ['customer'], writes: ['creditLimit', 'creditExposure'], run: 'contractCredit' },
  gatherers: { contractCredit },
  compare: AGREED_TERMS,
  pickChecks: [{ field: 'customer', guard: 'customerFiledForOrder', fix: 'customerEvaluation' }],
  derive: [
    { from: 'customer', link: 'customer', map: contractFromCustomer },
    { from: 'quotation', states: ['approved', 'sent', 'signed'], link: 'quotation', map: contractFromQuotation },
    { from: 'sampleApplication', states: ['feasibility', 'making', 'scheduled'], link: 'sampleApplication', map: contractFromSample, when: isChargedSample },
  ],
  print: {
    title: { zh: '销售合同', en: 'Sales contract' },
    titleOf: printedTitle,
    returnable: true,
    blocks: [
      { kind: 'party', title: { zh: '需方', en: 'Buyer' }, reference: 'customer', fields: ['fullName', 'address', 'phone'] },
      { kind: 'fields', fields: ['customerOrderNo', 'signDate', 'deliveryDate', 'contact'], columns: 2 },
      { kind: 'lines', field: 'items', columns: ['productName', 'spec', 'quantity', 'unit', 'unitPrice', 'taxRate', 'amount'] },
      { kind: 'totals', fields: ['netTotal', 'taxTotal', 'totalAmount'], capital: 'totalAmount' },
      { kind: 'fields', title: { zh: '交易条件', en: 'Trade terms' }, columns: 2,
        fields: ['tradeMethod', 'paymentMethod', 'creditDays', 'deliveryPlace', 'packaging', 'qualityRequirement'] },
      { kind: 'fields', title: { zh: '环保协议', en: 'Environmental agreement' }, fields: ['envAgreement', 'envRequirement'], columns: 2 },
      { kind: 'text', field: 'remarks', title: { zh: '备注', en: 'Remarks' } },
      { kind: 'fields', fields: ['signatory'], columns: 2 },
      { kind: 'signatures', parties: [{ zh: '供方授权签约人（盖章）', en: 'Supplier, authorised signatory (stamp)' }, { zh: '需方（盖章）', en: 'Buyer (stamp)' }] },
      { kind: 'approvals', rows: [
        { label: { zh: '制单', en: 'Prepared by' }, actions: ['create', 'revise', 'submit'] },
        { label: { zh: '条款确认', en: 'Terms confirmed' }, actions: ['sign-review-terms'] },
        { label: { zh: '环保协议：品质部', en: 'Env.: QA' }, actions: ['sign-review-envQa'] },
        { label: { zh: '环保协议：研发', en: 'Env.: R&D' }, actions: ['sign-review-envRd'] },
        { label: { zh: '环保协议：营销部', en: 'Env.: marketing' }, actions: ['sign-review-envMarketing'] },
        { label: { zh: '批准', en: 'Approved by' }, actions: ['sign-review-director', 'sign-review-gm'] },
      ] },
    ],
  },
})
