import { defineForm } from '../schema/types'
import { productGroups, units } from '../schema/options'
import { FORECAST_DUTY, forecastActuals, forecastOnTime, forecastTotal, linesNameGoods, markSubmission, productGroupOf } from './sales-forecast.rules'

const MONTH = { source: '^\\d{4}-(0[1-9]|1[0-2])$', message: { zh: '预估月份请按“年-月”填写，如 2026-12', en: 'Enter the month as YYYY-MM, e.g. 2026-12' } }
const figure = (key: string, zh: string, en: string) =>
  ({ key, label: { zh, en }, type: 'money' as const, section: 'actuals', computed: true, span: 'third' as const })

/**
 * 销售预估 (§5.10.3, R18): each month, before the 25th, the salesperson (or CS for them) forecasts
 * next month per customer and product (or product group), with the customer's needs and the market;
 * the marketing manager or head reviews it. The 预估与实际 section compares it with the contracts
 * signed and the goods shipped in the month, as the records stand (gathered, never typed; live once
 * submitted, since it is submitted before its month begins).
 */
export const salesForecast = defineForm({
  id: 'salesForecast',
  title: { zh: '销售预估', en: 'Sales forecast' },
  numbering: { prefix: 'YG' },
  titleField: 'salesperson',
  sections: [
    { key: 'head', title: { zh: '预估信息', en: 'Forecast' } },
    { key: 'items', title: { zh: '预估明细', en: 'Lines' } },
    { key: 'actuals', title: { zh: '预估与实际', en: 'Forecast against actual' } },
  ],
  fields: [
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], required: true, span: 'third',
      // A salesperson files their own forecast (R18); CS and management may file or act on anyone's.
      ownUnless: ['csAssistant', 'marketingManager', 'marketingHead', 'marketingDirector', 'viceGM', 'generalManager'] },
    { key: 'month', label: { zh: '预估月份', en: 'Month' }, type: 'text', required: true, maxLength: 7, span: 'third', pattern: MONTH,
      default: { monthsFromToday: 1 }, placeholder: { zh: '如 2026-12', en: 'e.g. 2026-12' },
      help: { zh: '每月25日前提交下月预估（§5.10.3）', en: 'Due by the 25th for next month (§5.10.3)' } },
    { key: 'submittedOn', label: { zh: '提交日期', en: 'Submitted on' }, type: 'date', computed: true, span: 'third' },
    { key: 'lateSubmitted', label: { zh: '逾期提交', en: 'Submitted late' }, type: 'boolean', computed: true, span: 'third',
      shown: { yes: { zh: '逾期提交', en: 'Late' }, no: { zh: '按时', en: 'On time' } } },
    { key: 'market', label: { zh: '市场形势', en: 'Market' }, type: 'longtext', maxLength: 1000, span: 'full',
      placeholder: { zh: '如 家电行业旺季备货、原材料价格走势、竞争对手动态', en: 'Season, raw material prices, competitors' } },
    { key: 'items', label: { zh: '预估明细', en: 'Lines' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 200, columns: [
      { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true },
      { key: 'product', label: { zh: '产品编码', en: 'Product code' }, type: 'reference', to: 'product', fill: productGroupOf },
      { key: 'productGroup', label: { zh: '产品组', en: 'Product group' }, type: 'select', options: productGroups },
      { key: 'quantity', label: { zh: '预估数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0' },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, default: 'kg' },
      { key: 'amount', label: { zh: '预估金额', en: 'Amount' }, type: 'money', min: 0, required: true },
      { key: 'needs', label: { zh: '客户需求说明', en: 'Customer’s needs' }, type: 'text', maxLength: 200 },
    ] },
    { key: 'forecastTotal', label: { zh: '预估金额合计', en: 'Forecast total' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'actuals', label: { zh: '预估与实际', en: 'Forecast against actual' }, type: 'lines', section: 'actuals', span: 'full', computed: true, columns: [
      { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer' },
      { key: 'product', label: { zh: '产品编码', en: 'Product code' }, type: 'reference', to: 'product' },
      { key: 'productGroup', label: { zh: '产品组', en: 'Product group' }, type: 'select', options: productGroups },
      { key: 'forecast', label: { zh: '预估', en: 'Forecast' }, type: 'money' },
      { key: 'contracted', label: { zh: '实际合同', en: 'Contracted' }, type: 'money' },
      { key: 'shipped', label: { zh: '实际发货', en: 'Shipped' }, type: 'money' },
      { key: 'rate', label: { zh: '达成率(%)', en: 'Achieved (%)' }, type: 'decimal', scale: 1 },
    ] },
    figure('contractedTotal', '实际合同合计', 'Contracted in the month'),
    figure('shippedTotal', '实际发货合计', 'Shipped in the month'),
    { key: 'achievementRate', label: { zh: '达成率(%)', en: 'Achieved (%)' }, type: 'decimal', scale: 1, section: 'actuals', computed: true, span: 'third',
      help: { zh: '实际合同 ÷ 预估；合同按签订日期、发货按发货日期计入当月', en: 'Contracted ÷ forecast; contracts by signing date, deliveries by ship date' } },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'actuals', maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'salesperson', 'month', 'forecastTotal', 'submittedOn', 'lateSubmitted'], search: ['number', 'month', 'market'] },
  computed: { forecastTotal },
  validators: [linesNameGoods],
  guards: { forecastOnTime },
  effects: { markSubmission: { writes: ['submittedOn', 'lateSubmitted'], run: markSubmission } },
  duties: [FORECAST_DUTY],
  gather: { inputs: ['month', 'salesperson'], lines: ['items'], writes: ['actuals', 'contractedTotal', 'shippedTotal', 'achievementRate'], run: 'forecastActuals', live: true },
  gatherers: { forecastActuals },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      submitted: { label: { zh: '待营销经理审核', en: 'With the marketing manager' }, editable: false, tone: 'warning' },
      reviewed: { label: { zh: '已审核', en: 'Reviewed' }, editable: false, released: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'submitted', label: { zh: '提交预估', en: 'Submit' }, roles: ['salesperson', 'csAssistant'],
        guards: ['forecastOnTime'], effect: 'markSubmission' },
      { id: 'review', from: ['submitted'], to: 'reviewed', label: { zh: '审核通过', en: 'Reviewed' }, roles: ['marketingManager', 'marketingHead'],
        separateFrom: ['submit'], comment: 'optional' },
      { id: 'sendBack', from: ['submitted'], to: 'draft', label: { zh: '退回修改', en: 'Send back' }, roles: ['marketingManager', 'marketingHead'],
        comment: 'required', refusal: true },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['salesperson', 'csAssistant'], comment: 'required', refusal: true },
    ],
  },
  print: {
    title: { zh: '销售预估表', en: 'Sales forecast' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['salesperson', 'month', 'submittedOn', 'lateSubmitted'], columns: 2 },
      { kind: 'text', field: 'market', title: { zh: '市场形势', en: 'Market' } },
      { kind: 'lines', field: 'items', columns: ['customer', 'product', 'productGroup', 'quantity', 'unit', 'amount', 'needs'] },
      { kind: 'fields', fields: ['forecastTotal'], columns: 2 },
      { kind: 'lines', field: 'actuals', columns: ['customer', 'product', 'productGroup', 'forecast', 'contracted', 'shipped', 'rate'] },
      { kind: 'fields', fields: ['contractedTotal', 'shippedTotal', 'achievementRate'], columns: 3 },
      { kind: 'approvals', rows: [
        { label: { zh: '预估人', en: 'Prepared by' }, actions: ['create', 'submit'] },
        { label: { zh: '审核', en: 'Reviewed by' }, actions: ['review'] },
      ] },
    ],
  },
})
