import { defineForm } from '../schema/types'
import { periodRunsForward, statementEntries, statementFromCustomer, statementReplyDue } from './statement.rules'

const money = (key: string, zh: string, en: string) => ({ key, label: { zh, en }, type: 'money' as const, section: 'entries', computed: true, span: 'third' as const })

/**
 * 对账单 (§5.9, R16): printed for the customer to sign (QR on every page), the signed scan imported,
 * matched and attached. Its entries are gathered from the records for the customer and period
 * (never typed) while it is a draft, and frozen once issued: what the customer signs is what it says.
 */
export const statement = defineForm({
  id: 'statement',
  title: { zh: '对账单', en: 'Statement of account' },
  menu: { zh: '对账单', en: 'Statements' },
  numbering: { prefix: 'DZ' },
  titleField: 'customer',
  sections: [{ key: 'head', title: { zh: '对账信息', en: 'Statement' } }, { key: 'entries', title: { zh: '往来明细', en: 'Entries' } }, { key: 'reply', title: { zh: '客户确认', en: 'Customer’s reply' } }],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'half' },
    { key: 'periodFrom', label: { zh: '对账起始日期', en: 'Period from' }, type: 'date', required: true, span: 'third', default: { daysFromToday: -30 } },
    { key: 'periodTo', label: { zh: '对账截止日期', en: 'Period to' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'replyBy', label: { zh: '请于此日前回签', en: 'Reply by' }, type: 'date', span: 'third', default: { daysFromToday: 7 } },
    money('openingBalance', '期初应收余额', 'Opening balance'),
    { key: 'entries', label: { zh: '往来明细', en: 'Entries' }, type: 'lines', section: 'entries', span: 'full', computed: true, maxRows: 2000, columns: [
      { key: 'date', label: { zh: '日期', en: 'Date' }, type: 'date', computed: true },
      { key: 'kind', label: { zh: '类别', en: 'Kind' }, type: 'select', computed: true, options: [
        { value: 'delivery', label: { zh: '发货', en: 'Delivery' } },
        { value: 'return', label: { zh: '退货', en: 'Return' } },
        { value: 'claim', label: { zh: '索赔', en: 'Claim' } },
        { value: 'replacement', label: { zh: '补料', en: 'Replacement' } },
        { value: 'payment', label: { zh: '收款', en: 'Payment' } },
      ] },
      { key: 'docNumber', label: { zh: '单号', en: 'Document' }, type: 'text', computed: true },
      { key: 'summary', label: { zh: '摘要', en: 'Summary' }, type: 'text', computed: true },
      { key: 'debit', label: { zh: '应收增加', en: 'Charged' }, type: 'money', computed: true },
      { key: 'credit', label: { zh: '应收减少', en: 'Received / credited' }, type: 'money', computed: true },
      { key: 'balance', label: { zh: '余额', en: 'Balance' }, type: 'money', computed: true },
    ] },
    money('deliveredTotal', '本期发货', 'Delivered'),
    money('adjustedTotal', '本期退货及调整', 'Returns and adjustments'),
    money('collectedTotal', '本期收款', 'Collected'),
    { ...money('closingBalance', '期末应收余额', 'Closing balance'), short: { zh: '期末余额', en: 'Closing' } },
    { key: 'customerReply', label: { zh: '客户回复', en: 'Customer’s reply' }, type: 'select', section: 'reply', span: 'third', options: [
      { value: 'agreed', label: { zh: '核对无误', en: 'Agreed' } },
      { value: 'differs', label: { zh: '有差异', en: 'Differs' } },
    ] },
    { key: 'differenceNote', label: { zh: '差异说明', en: 'Differences' }, type: 'longtext', section: 'reply', maxLength: 1000, span: 'full' },
    { key: 'signedScan', label: { zh: '客户签回件', en: 'Signed copy' }, type: 'attachment', section: 'reply', span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'periodFrom', 'periodTo', 'closingBalance'], search: ['number'] },
  validators: [periodRunsForward],
  gather: { inputs: ['customer', 'periodFrom', 'periodTo'], writes: ['openingBalance', 'entries', 'deliveredTotal', 'adjustedTotal', 'collectedTotal', 'closingBalance'], run: 'statementEntries' },
  gatherers: { statementEntries },
  workflow: {
    initial: 'draft',
    signedReturn: 'signedReturn',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      issued: { label: { zh: '待客户确认', en: 'Awaiting the customer' }, editable: false, released: true, tone: 'warning' },
      confirmed: { label: { zh: '客户已确认', en: 'Confirmed by the customer' }, editable: false, released: true, final: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'issue', from: ['draft'], to: 'issued', label: { zh: '出具对账单', en: 'Issue' }, roles: ['finance', 'csAssistant'] },
      { id: 'signedReturn', from: ['issued'], to: 'confirmed', label: { zh: '客户已签回', en: 'Signed copy received' }, roles: ['finance', 'csAssistant', 'salesperson'] },
      { id: 'dispute', from: ['issued'], to: 'draft', label: { zh: '客户有异议，重新对账', en: 'Customer disputes: redo' }, roles: ['finance', 'csAssistant', 'salesperson'], comment: 'required', refusal: true },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['finance', 'csAssistant'], comment: 'required', refusal: true },
    ],
  },
  deadlines: [{ id: 'reply', states: ['issued'], due: statementReplyDue }],
  derive: [{ from: 'customer', link: 'customer', map: statementFromCustomer }],
  print: {
    title: { zh: '对账单', en: 'Statement of account' },
    returnable: true,
    blocks: [
      { kind: 'party', title: { zh: '客户', en: 'Customer' }, reference: 'customer', fields: ['fullName', 'address', 'phone'] },
      { kind: 'fields', fields: ['periodFrom', 'periodTo', 'salesperson', 'replyBy', 'openingBalance'], columns: 3 },
      { kind: 'lines', field: 'entries', columns: ['date', 'kind', 'docNumber', 'summary', 'debit', 'credit', 'balance'] },
      { kind: 'fields', fields: ['deliveredTotal', 'adjustedTotal', 'collectedTotal'], columns: 3 },
      { kind: 'totals', fields: ['closingBalance'], capital: 'closingBalance' },
      { kind: 'text', field: 'differenceNote', title: { zh: '请核对以上往来，无误请签字盖章回传；如有差异请注明', en: 'Please check the above and sign; note any difference' } },
      { kind: 'signatures', parties: [{ zh: '我司财务（盖章）', en: 'Our finance (stamp)' }, { zh: '客户确认（签字盖章）及日期', en: 'Customer’s confirmation (stamp) and date' }] },
    ],
  },
})
