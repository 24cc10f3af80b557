import { defineForm } from '../schema/types'
import { collectedDifference, differenceCount, differencesExplained, ledgerFiguresCurrent, outstandingDifference } from './reconciliation.rules'

/**
 * 月度合同台帐对账 (R24, [A] 12 每月盘点销售与财务部对合同台帐进行对帐): the month's rows of the 合同台帐
 * with finance's books beside them; each difference is listed and explained, then sales (the 业务科 that
 * keeps the ledger, [A] 4: its manager or the marketing head) and finance both sign, never the same
 * person for both sides. Made from the 合同台帐 page for a month (reconciliationLines).
 */
export const reconciliation = defineForm({
  id: 'reconciliation',
  title: { zh: '合同台帐对账单', en: 'Contract ledger reconciliation' },
  menu: { zh: '台帐对账', en: 'Reconciliations' },
  numbering: { prefix: 'HD' },
  titleField: 'month',
  sections: [
    { key: 'head', title: { zh: '对账', en: 'Reconciliation' } },
    { key: 'items', title: { zh: '台帐与财务账面', en: 'Ledger and finance books' } },
  ],
  fields: [
    { key: 'month', label: { zh: '对账月份', en: 'Month' }, type: 'text', required: true, maxLength: 7, span: 'third',
      pattern: { source: '^\\d{4}-(0[1-9]|1[0-2])$', message: { zh: '对账月份的格式为 2026-11', en: 'The month looks like 2026-11' } } },
    { key: 'reconcileDate', label: { zh: '对账日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'differenceCount', label: { zh: '差异笔数', en: 'Differences' }, type: 'number', computed: true, span: 'third' },
    { key: 'items', label: { zh: '对账明细', en: 'Lines' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 500, columns: [
      { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract', required: true },
      { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer' },
      { key: 'amount', label: { zh: '合同金额', en: 'Contract amount' }, type: 'money' },
      { key: 'delivered', label: { zh: '已发货', en: 'Shipped' }, type: 'money' },
      { key: 'collected', label: { zh: '台帐已收款', en: 'Collected (ledger)' }, type: 'money' },
      { key: 'invoiced', label: { zh: '已开票', en: 'Invoiced' }, type: 'money' },
      { key: 'outstanding', label: { zh: '台帐应收余额', en: 'Receivable (ledger)' }, type: 'money' },
      { key: 'financeCollected', label: { zh: '财务账面已收款', en: 'Collected (books)' }, type: 'money' },
      { key: 'financeOutstanding', label: { zh: '财务账面应收余额', en: 'Receivable (books)' }, type: 'money' },
      { key: 'diffCollected', label: { zh: '已收款差异', en: 'Collected difference' }, type: 'money', computed: true },
      { key: 'diffOutstanding', label: { zh: '应收余额差异', en: 'Receivable difference' }, type: 'money', computed: true },
      { key: 'explanation', label: { zh: '差异说明', en: 'Explanation' }, type: 'text', maxLength: 200 },
    ] },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'month', 'reconcileDate', 'differenceCount'], search: ['number', 'month'] },
  computed: { differenceCount },
  lineComputed: { 'items.diffCollected': collectedDifference, 'items.diffOutstanding': outstandingDifference },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '对账中', en: 'Reconciling' }, editable: true },
      review: {
        label: { zh: '销售、财务会签', en: 'Sales and finance sign' }, editable: false, tone: 'warning',
        countersign: {
          to: 'reconciled',
          members: [
            // R24: two parties; whoever signs one side may not sign the other (a user holding both roles).
            { key: 'sales', label: { zh: '销售部确认', en: 'Sales' }, roles: ['marketingManager', 'marketingHead'], separateFrom: ['sign-review-finance'] },
            { key: 'finance', label: { zh: '财务部确认', en: 'Finance' }, roles: ['finance'], separateFrom: ['sign-review-sales'] },
          ],
        },
      },
      reconciled: { label: { zh: '已对账', en: 'Reconciled' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'review', label: { zh: '提交会签', en: 'Submit' }, roles: ['finance', 'marketingManager', 'marketingHead'], guards: ['differencesExplained', 'ledgerFiguresCurrent'] },
      { id: 'return', from: ['review'], to: 'draft', label: { zh: '退回重核', en: 'Return' }, roles: ['finance', 'marketingManager', 'marketingHead'], comment: 'required', refusal: true },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['finance', 'marketingManager', 'marketingHead'], comment: 'required', refusal: true },
    ],
  },
  guards: { differencesExplained, ledgerFiguresCurrent },
  print: {
    title: { zh: '合同台帐对账单', en: 'Contract ledger reconciliation' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['month', 'reconcileDate', 'differenceCount'], columns: 3 },
      { kind: 'lines', field: 'items', columns: ['contract', 'customer', 'amount', 'delivered', 'collected', 'invoiced', 'outstanding', 'financeCollected', 'financeOutstanding', 'explanation'] },
      { kind: 'text', field: 'remarks', title: { zh: '备注', en: 'Remarks' } },
      { kind: 'approvals', rows: [
        { label: { zh: '制单', en: 'Prepared by' }, actions: ['create', 'submit'] },
        { label: { zh: '销售部', en: 'Sales' }, actions: ['sign-review-sales'] },
        { label: { zh: '财务部', en: 'Finance' }, actions: ['sign-review-finance'] },
      ] },
    ],
  },
})
