import { defineForm } from '../schema/types'
import { adjustFromPlan, adjustmentNamesPlan, hasQuarterLeft, pastQuartersKept, planTotal, targetReview, yearTotal } from './sales-target.rules'

const quarter = (n: 1 | 2 | 3 | 4, zh: string) =>
  ({ key: `q${n}`, label: { zh: `${zh}季度目标`, en: `Q${n} target` }, type: 'money' as const, min: 0, required: true })

/**
 * 年度销售目标计划 (§5.10.3): after the forecasts the company sets the year's targets per
 * salesperson and quarter; each quarter a 季度调整 (made from the current plan) reviews the quarter
 * just past, target against the contracts signed, and adjusts the quarters still to come. Approved
 * by the general manager or the marketing director.
 */
export const salesTarget = defineForm({
  id: 'salesTarget',
  title: { zh: '年度销售目标计划', en: 'Annual sales target plan' },
  menu: { zh: '销售目标', en: 'Sales targets' },
  numbering: { prefix: 'MB' },
  titleField: 'year',
  sections: [
    { key: 'head', title: { zh: '计划信息', en: 'Plan' } },
    { key: 'items', title: { zh: '目标明细', en: 'Targets' } },
    { key: 'review', title: { zh: '上季度完成情况', en: 'Last quarter' } },
  ],
  fields: [
    { key: 'year', label: { zh: '年度', en: 'Year' }, type: 'text', required: true, maxLength: 4, span: 'third',
      pattern: { source: '^\\d{4}$', message: { zh: '年度请填写四位年份，如 2026', en: 'Enter the year, e.g. 2026' } } },
    { key: 'revision', label: { zh: '计划类型', en: 'Plan' }, type: 'select', required: true, default: '1', span: 'third', options: [
      { value: '1', label: { zh: '年度计划', en: 'Year plan' } },
      { value: '2', label: { zh: '第二季度调整', en: 'Q2 adjustment' } },
      { value: '3', label: { zh: '第三季度调整', en: 'Q3 adjustment' } },
      { value: '4', label: { zh: '第四季度调整', en: 'Q4 adjustment' } },
    ] },
    { key: 'basedOn', label: { zh: '调整依据（原计划）', en: 'Adjusts plan' }, type: 'reference', to: 'salesTarget', span: 'third',
      help: { zh: '季度调整时，已过季度的目标按原计划不变', en: 'Past quarters keep this plan’s targets' } },
    { key: 'items', label: { zh: '目标明细', en: 'Targets' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 100, columns: [
      { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], required: true },
      quarter(1, '一'), quarter(2, '二'), quarter(3, '三'), quarter(4, '四'),
      { key: 'yearTotal', label: { zh: '全年目标', en: 'Year' }, type: 'money', computed: true },
    ] },
    { key: 'planTotal', label: { zh: '全年目标合计', en: 'Plan total' }, type: 'money', section: 'items', computed: true, span: 'third' },
    { key: 'review', label: { zh: '上季度目标与实际', en: 'Last quarter: target and actual' }, type: 'lines', section: 'review', span: 'full', computed: true, columns: [
      { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user' },
      { key: 'target', label: { zh: '上季度目标', en: 'Target' }, type: 'money' },
      { key: 'actual', label: { zh: '实际合同', en: 'Contracted' }, type: 'money' },
      { key: 'rate', label: { zh: '完成率(%)', en: 'Achieved (%)' }, type: 'decimal', scale: 1 },
    ] },
    { key: 'basis', label: { zh: '调整说明', en: 'Reasons' }, type: 'longtext', section: 'review', maxLength: 1000, span: 'full',
      placeholder: { zh: '如 上季度完成情况、市场变化、新客户进展', en: 'Completion, market, new customers' } },
  ],
  list: { columns: ['number', 'year', 'revision', 'planTotal'], search: ['number', 'year'] },
  computed: { planTotal },
  lineComputed: { 'items.yearTotal': yearTotal },
  validators: [adjustmentNamesPlan],
  guards: { pastQuartersKept },
  gather: { inputs: ['year', 'revision', 'basedOn'], writes: ['review'], run: 'targetReview' },
  gatherers: { targetReview },
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '草稿', en: 'Draft' }, editable: true },
      review: { label: { zh: '待总经理审批', en: 'With the general manager' }, editable: false, tone: 'warning' },
      approved: { label: { zh: '已批准', en: 'Approved' }, editable: false, released: true, tone: 'success' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'review', label: { zh: '提交审批', en: 'Submit' },
        roles: ['marketingHead', 'marketingManager', 'marketingDirector', 'csAssistant'], guards: ['pastQuartersKept'] },
      { id: 'approve', from: ['review'], to: 'approved', label: { zh: '批准', en: 'Approve' }, roles: ['generalManager', 'marketingDirector'],
        separateFrom: ['submit'], guards: ['pastQuartersKept'] },
      { id: 'reject', from: ['review'], to: 'draft', label: { zh: '退回', en: 'Return' }, roles: ['generalManager', 'marketingDirector'],
        comment: 'required', refusal: true },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: ['marketingHead', 'marketingManager', 'marketingDirector', 'csAssistant'],
        comment: 'required', refusal: true },
    ],
  },
  derive: [{ from: 'salesTarget', states: ['approved'], link: 'basedOn', map: adjustFromPlan, when: hasQuarterLeft,
    label: { zh: '季度调整', en: 'Quarterly adjustment' } }],
})
