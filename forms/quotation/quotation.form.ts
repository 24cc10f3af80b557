import { defineForm } from '../schema/types'
import { paymentMethods, taxRates, units } from '../schema/options'
import { quotationFlow } from './quotation.workflow'
import { quotationFromConfirmation } from '../sample-confirmation/sample-confirmation.rules'
import { customerMayBeQuoted, fromCustomer, fromProduct, quotationFromCustomer, lineAmount, quotationTotals, validUntilAfterQuoteDate } from './quotation.rules'

/** 报价单 (§5.6.1, §7.1): released only after the director's (or GM's, or a proxy's) approval (R10). */
export const quotation = defineForm({
  id: 'quotation',
  title: { zh: '报价单', en: 'Quotation' },
  menu: { zh: '报价单', en: 'Quotations' },
  numbering: { prefix: 'BJ' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '报价信息', en: 'Quotation' } },
    { key: 'items', title: { zh: '报价明细', en: 'Items' } },
    { key: 'terms', title: { zh: '交易条件', en: 'Trade terms' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half', fill: fromCustomer },
    { key: 'contact', label: { zh: '联系人', en: 'Contact' }, type: 'text', maxLength: 30, span: 'half' },
    { key: 'quoteDate', label: { zh: '报价日期', en: 'Quote date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'validUntil', label: { zh: '有效期至', en: 'Valid until' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 30 } },
    { key: 'currency', label: { zh: '币种', en: 'Currency' }, type: 'select', span: 'third', default: 'CNY',
      options: [{ value: 'CNY', label: { zh: '人民币', en: 'CNY' } }] },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'half' },
    { key: 'sampleConfirmation', label: { zh: '样品性能确认表', en: 'Sample confirmation' }, type: 'reference', to: 'sampleConfirmation', span: 'half' },
    { key: 'items', label: { zh: '报价明细', en: 'Items' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 200, columns: [
      // Optional: a product not yet coded is quoted by its 品名 alone.
      { key: 'product', label: { zh: '产品编码', en: 'Product code' }, type: 'reference', to: 'product', fill: fromProduct,
        recall: { by: 'customer', value: 'unitPrice', date: 'quoteDate', label: { zh: '上次报价', en: 'Last quoted' } } },
      { key: 'productName', label: { zh: '品名', en: 'Product' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格型号', en: 'Specification' }, type: 'text', maxLength: 80 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
      { key: 'unitPrice', label: { zh: '含税单价', en: 'Unit price incl. tax' }, type: 'money', min: 0, required: true },
      { key: 'taxRate', label: { zh: '税率', en: 'Tax rate' }, type: 'select', options: taxRates, required: true, default: '13' },
      { key: 'amount', label: { zh: '金额', en: 'Amount' }, type: 'money', computed: true },
    ] },
    { key: 'netTotal', label: { zh: '不含税金额', en: 'Net amount' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'taxTotal', label: { zh: '税额', en: 'Tax' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'grandTotal', label: { zh: '价税合计', en: 'Total incl. tax' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'tradeMethod', label: { zh: '交易方式', en: 'Trade method' }, type: 'text', section: 'terms', maxLength: 60, span: 'half',
      placeholder: { zh: '如 送货上门 / 客户自提', en: 'e.g. delivered / collected' } },
    { key: 'paymentMethod', label: { zh: '付款方式', en: 'Payment method' }, type: 'select', options: paymentMethods, section: 'terms', required: true, span: 'half' },
    { key: 'creditDays', label: { zh: '信用期（天）', en: 'Credit term (days)' }, type: 'number', integer: true, min: 0, max: 365, section: 'terms', span: 'third' },
    { key: 'deliveryPlace', label: { zh: '交货地点', en: 'Delivery place' }, type: 'text', section: 'terms', maxLength: 120, span: 'third' },
    { key: 'packaging', label: { zh: '包装运输', en: 'Packaging & transport' }, type: 'text', section: 'terms', maxLength: 120, span: 'third',
      placeholder: { zh: '如 25kg/袋，汽运', en: 'e.g. 25 kg bags, by truck' } },
    { key: 'qualityRequirement', label: { zh: '品质要求', en: 'Quality requirement' }, type: 'text', section: 'terms', maxLength: 200, span: 'full',
      placeholder: { zh: '如 按双方确认的样品及色卡，UL94 V-0，符合 RoHS', en: 'e.g. per confirmed sample and colour card' } },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'terms', maxLength: 1000, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'quoteDate', 'validUntil', 'grandTotal'], search: ['number', 'contact'] },
  computed: {
    netTotal: (d) => quotationTotals(d).net,
    taxTotal: (d) => quotationTotals(d).tax,
    grandTotal: (d) => quotationTotals(d).total,
  },
  lineComputed: { 'items.amount': lineAmount },
  validators: [validUntilAfterQuoteDate],
  workflow: quotationFlow,
  guards: { customerMayBeQuoted },
  pickChecks: [{ field: 'customer', guard: 'customerMayBeQuoted', fix: 'customerEvaluation' }],
  // 报价 from the confirmed sample (§5.5 → §5.6.1): the customer and products come with it.
  derive: [{ from: 'customer', link: 'customer', map: quotationFromCustomer }, { from: 'sampleConfirmation', states: ['signed', 'specialApproved', 'handedOver', 'qaReceived'], link: 'sampleConfirmation', map: quotationFromConfirmation }],
  print: {
    title: { zh: '报价单', en: 'Quotation' },
    returnable: true,
    blocks: [
      { kind: 'party', title: { zh: '客户', en: 'Customer' }, reference: 'customer', fields: ['fullName', 'address', 'phone'] },
      { kind: 'fields', fields: ['contact', 'quoteDate', 'validUntil', 'currency'], columns: 2 },
      // 产品编码 is ours, not the customer's: the paper keeps to 品名 and 规格 (and to one page for five lines).
      { kind: 'lines', field: 'items', columns: ['productName', 'spec', 'quantity', 'unit', 'unitPrice', 'taxRate', 'amount'] },
      { kind: 'totals', fields: ['netTotal', 'taxTotal', 'grandTotal'], capital: 'grandTotal' },
      { kind: 'fields', title: { zh: '交易条件', en: 'Trade terms' }, columns: 2,
        fields: ['tradeMethod', 'paymentMethod', 'creditDays', 'deliveryPlace', 'packaging', 'qualityRequirement'] },
      { kind: 'text', field: 'remarks', title: { zh: '备注', en: 'Remarks' } },
      { kind: 'signatures', parties: [{ zh: '供方（盖章）', en: 'Supplier (stamp)' }, { zh: '需方确认（盖章）', en: 'Customer acceptance (stamp)' }] },
      // The form's last line, under the boxes: 制单 is whoever made this version and submitted it;
      // 审核/批准 whoever 核准 it (R10, one step in this workflow, so one box rather than the same name twice).
      { kind: 'approvals', rows: [
        { label: { zh: '制单', en: 'Prepared by' }, actions: ['create', 'revise', 'submit'] },
        { label: { zh: '审核/批准', en: 'Reviewed / approved by' }, actions: ['approve'] },
      ] },
    ],
  },
})
