import { defineForm } from '../schema/types'
import {
  clawbackTotal, commissionChecked, commissionLines, commissionTotal, lineCommission, linesNameContracts, netTotal, settlement,
} from './commission.rules'

/**
 * 业务员个人提成单 (R20, [A] 9, 12): after the money is collected, 销售业务科 (CS) or the salesperson
 * makes the month's slip: picking the salesperson and the month gathers its lines from the confirmed
 * payments, returns and claims and the earlier slips (`commissionLines`); finance checks it, the
 * finance VP checks it, the GM signs it, finance pays it out. Printed for the office only.
 */
export const commission = defineForm({
  id: 'commission',
  title: { zh: '业务提成单', en: 'Commission slip' },
  menu: { zh: '业务提成', en: 'Commissions' },
  numbering: { prefix: 'TC' },
  titleField: 'salesperson',
  sections: [
    { key: 'head', title: { zh: '提成信息', en: 'Slip' } },
    { key: 'items', title: { zh: '提成明细', en: 'Lines' } },
  ],
  fields: [
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], required: true, span: 'third',
      // A salesperson prepares only their own slip; 销售业务科 (CS), finance, the finance VP and the GM handle anyone's.
      ownUnless: ['csAssistant', 'finance', 'financeVP', 'generalManager', 'marketingManager', 'marketingHead'] },
    { key: 'period', label: { zh: '业绩月份', en: 'Month' }, type: 'text', required: true, maxLength: 7, span: 'third',
      placeholder: { zh: '如 2026-11', en: 'e.g. 2026-11' },
      pattern: { source: '^\\d{4}-(0[1-9]|1[0-2])$', message: { zh: '业绩月份请按“年-月”填写，如 2026-11', en: 'Enter the month as YYYY-MM, e.g. 2026-11' } },
      help: { zh: '提成明细按该业务员本月财务已确认的回款和已确认的退货/索赔生成', en: 'The lines come from the month’s confirmed payments, returns and claims' } },
    { key: 'settlement', label: { zh: '结算方向', en: 'Settlement' }, type: 'select', computed: true, span: 'third', options: [
      { value: 'due', label: { zh: '应发业务员', en: 'Due to the salesperson' } },
      { value: 'owed', label: { zh: '业务员应退回', en: 'Owed back by the salesperson' } },
    ] },
    { key: 'items', label: { zh: '提成明细', en: 'Lines' }, type: 'lines', section: 'items', span: 'full', maxRows: 500, computed: true, columns: [
      { key: 'kind', label: { zh: '类别', en: 'Kind' }, type: 'select', required: true, default: 'commission', options: [
        { value: 'commission', label: { zh: '提成', en: 'Commission' } },
        { value: 'clawback', label: { zh: '追回', en: 'Clawback' } },
      ] },
      { key: 'contract', label: { zh: '销售合同', en: 'Contract' }, type: 'reference', to: 'contract' },
      { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer' },
      { key: 'collected', label: { zh: '本期回款', en: 'Collected this month' }, type: 'money', min: 0 },
      { key: 'adjustment', label: { zh: '追回依据（账款调整单）', en: 'Adjustment taken back' }, type: 'reference', to: 'adjustment' },
      { key: 'adjusted', label: { zh: '退货/索赔金额', en: 'Returned / claimed' }, type: 'money', min: 0 },
      { key: 'paidBefore', label: { zh: '可追回提成', en: 'Paid, still to take back' }, type: 'money', min: 0 },
      { key: 'rate', label: { zh: '提成比例(%)', en: 'Rate (%)' }, type: 'decimal', scale: 4, min: '0', max: '100', required: true },
      { key: 'commission', label: { zh: '提成金额', en: 'Commission' }, type: 'money', computed: true },
    ] },
    { key: 'commissionTotal', label: { zh: '本期提成合计', en: 'Commission this month' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'clawbackTotal', label: { zh: '追回合计', en: 'Taken back' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'overdueOpen', label: { zh: '月末逾期应收', en: 'Overdue at month end' }, type: 'money', section: 'items', computed: true, span: 'third',
      help: { zh: '该业务员逾期达到“抵扣提成”天数的应收（设置 → 业务规则 → 逾期处理）', en: 'The salesperson’s receivables overdue past the commission-offset step (business rules)' } },
    { key: 'withheld', label: { zh: '逾期暂扣', en: 'Held for overdue' }, type: 'money', section: 'items', computed: true, span: 'third',
      help: { zh: '逾期货款抵扣提成（R23）：暂扣至货款收回', en: 'R23: held until the overdue money is collected' } },
    { key: 'released', label: { zh: '暂扣返还', en: 'Hold handed back' }, type: 'money', section: 'items', computed: true, span: 'third',
      help: { zh: '以前暂扣的提成，逾期货款收回后返还', en: 'Commission held before, handed back once the money is in' } },
    { key: 'netTotal', label: { zh: '实发提成', en: 'Net commission' }, type: 'money', section: 'items', computed: true, span: 'third',
      help: { zh: '为负数时业务员应退回', en: 'Negative: the salesperson owes it back' } },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'items', maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'salesperson', 'period', 'commissionTotal', 'clawbackTotal', 'netTotal'], search: ['number', 'period'] },
  computed: { commissionTotal, clawbackTotal, netTotal, settlement },
  lineComputed: { 'items.commission': lineCommission },
  validators: [linesNameContracts],
  guards: { commissionChecked },
  // 生成提成单: the lines come from the records, never typed (R20: only collected money, only under a contract).
  // R23: 逾期暂扣 / 暂扣返还 are gathered with them, from the month-end receivables and the earlier signed slips.
  gather: { inputs: ['salesperson', 'period'], writes: ['items', 'overdueOpen', 'withheld', 'released'], run: 'commissionLines' },
  gatherers: { commissionLines },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      financeCheck: { label: { zh: '待财务审核', en: 'Finance to check' }, editable: false, tone: 'warning' },
      vpCheck: { label: { zh: '待财务副总审核', en: 'Finance VP to check' }, editable: false, tone: 'warning' },
      gmApproval: { label: { zh: '待总经理签批', en: 'GM to approve' }, editable: false, tone: 'warning' },
      approved: { label: { zh: '已签批，待兑现', en: 'Approved, to pay out' }, editable: false, released: true, tone: 'success' },
      paid: { label: { zh: '已兑现', en: 'Paid out' }, editable: false, released: true, final: true, tone: 'info' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'financeCheck', label: { zh: '提交财务审核', en: 'Submit to finance' }, roles: ['csAssistant', 'salesperson'], guards: ['commissionChecked'] },
      { id: 'financeCheck', from: ['financeCheck'], to: 'vpCheck', label: { zh: '财务审核通过', en: 'Finance checked' }, roles: ['finance'], separateFrom: ['submit'], guards: ['commissionChecked'] },
      { id: 'vpCheck', from: ['vpCheck'], to: 'gmApproval', label: { zh: '财务副总审核通过', en: 'Finance VP checked' }, roles: ['financeVP'], separateFrom: ['submit'], guards: ['commissionChecked'] },
      { id: 'gmApprove', from: ['gmApproval'], to: 'approved', label: { zh: '总经理签批', en: 'GM approves' }, roles: ['generalManager'], separateFrom: ['submit'], guards: ['commissionChecked'] },
      { id: 'pay', from: ['approved'], to: 'paid', label: { zh: '已兑现', en: 'Paid out' }, roles: ['finance'] },
      { id: 'sendBack', from: ['financeCheck', 'vpCheck', 'gmApproval'], to: 'draft', label: { zh: '退回修改', en: 'Send back' }, roles: ['finance', 'financeVP', 'generalManager'], comment: 'required', refusal: true },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['csAssistant', 'salesperson', 'finance'], comment: 'required', refusal: true },
    ],
  },
  print: {
    title: { zh: '业务提成单', en: 'Commission slip' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['salesperson', 'period', 'settlement'], columns: 3 },
      { kind: 'lines', field: 'items', columns: ['kind', 'contract', 'customer', 'collected', 'adjustment', 'adjusted', 'rate', 'commission'] },
      { kind: 'totals', fields: ['commissionTotal', 'clawbackTotal', 'withheld', 'released', 'netTotal'], capital: 'netTotal' },
      { kind: 'text', field: 'remarks', title: { zh: '备注', en: 'Remarks' } },
      { kind: 'approvals', rows: [
        { label: { zh: '制单', en: 'Prepared by' }, actions: ['create', 'submit'] },
        { label: { zh: '财务审核', en: 'Finance' }, actions: ['financeCheck'] },
        { label: { zh: '财务副总', en: 'Finance VP' }, actions: ['vpCheck'] },
        { label: { zh: '总经理', en: 'General manager' }, actions: ['gmApprove'] },
      ] },
    ],
  },
})
