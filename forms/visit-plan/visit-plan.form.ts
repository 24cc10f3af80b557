import { defineForm } from '../schema/types'
import { visitPurposes } from '../visit-record/visit.options'
import { periodChecks, planName, plannedCount, salespersonOfCustomer } from './visit-plan.rules'
import { visitPlanProgress } from './visit-plan.progress'

/** Who makes and approves visit plans (§5.10.4: 公司管理层). */
const management = ['marketingHead', 'marketingManager', 'marketingDirector', 'generalManager'] as const

/**
 * 拜访客户计划表 (§5.10.4): management plans each week and each month which customers are visited,
 * by whom, when and for which aim. Once approved, each line shows live whether the 客户拜访表 is on
 * record (已拜访, linked), the day has passed without one (未拜访·已过期) or it is still to come
 * (待拜访), with the plan's completion; a visit record is made from a line.
 */
export const visitPlan = defineForm({
  id: 'visitPlan',
  title: { zh: '拜访客户计划表', en: 'Customer visit plan' },
  menu: { zh: '拜访计划', en: 'Visit plans' },
  numbering: { prefix: 'BFJ' },
  titleField: 'planName',
  sections: [
    { key: 'head', title: { zh: '计划期间', en: 'Period' } },
    { key: 'visits', title: { zh: '拜访安排', en: 'Planned visits' } },
  ],
  fields: [
    { key: 'periodKind', label: { zh: '计划类型', en: 'Kind' }, type: 'select', required: true, default: 'week', span: 'third', options: [
      { value: 'week', label: { zh: '周计划', en: 'Weekly' } },
      { value: 'month', label: { zh: '月计划', en: 'Monthly' } },
    ] },
    { key: 'periodStart', label: { zh: '开始日期', en: 'From' }, type: 'date', required: true, span: 'third' },
    { key: 'periodEnd', label: { zh: '结束日期', en: 'To' }, type: 'date', required: true, span: 'third' },
    { key: 'planName', label: { zh: '计划名称', en: 'Plan' }, type: 'text', computed: true, span: 'half' },
    { key: 'planner', label: { zh: '制定人', en: 'Planned by' }, type: 'user', roles: [...management], required: true, span: 'half' },
    { key: 'aims', label: { zh: '本期重点', en: 'Focus of the period' }, type: 'longtext', maxLength: 500, span: 'full',
      placeholder: { zh: '如 PC/ABS 阻燃新料推广；顺德家电客户年中质量回访', en: 'e.g. launch of the new flame-retardant PC/ABS' } },
    { key: 'visits', label: { zh: '拜访安排', en: 'Planned visits' }, type: 'lines', section: 'visits', span: 'full', minRows: 1, maxRows: 200, columns: [
      { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, fill: salespersonOfCustomer },
      { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], required: true },
      { key: 'plannedDate', label: { zh: '计划日期', en: 'Planned date' }, type: 'date', required: true },
      { key: 'purpose', label: { zh: '拜访目的', en: 'Purpose' }, type: 'select', options: visitPurposes, required: true },
      { key: 'notes', label: { zh: '备注', en: 'Notes' }, type: 'text', maxLength: 200 },
    ] },
    { key: 'plannedCount', label: { zh: '计划拜访次数', en: 'Visits planned' }, type: 'number', section: 'visits', computed: true, span: 'third' },
  ],
  list: { columns: ['number', 'planName', 'periodKind', 'periodStart', 'planner', 'plannedCount'], search: ['number', 'aims'], date: 'periodStart' },
  computed: { planName, plannedCount },
  validators: [periodChecks],
  workflow: {
    initial: 'draft',
    states: {
      draft: { label: { zh: '编制中', en: 'Being planned' }, editable: true },
      submitted: { label: { zh: '待审批', en: 'To approve' }, editable: false, tone: 'warning' },
      approved: { label: { zh: '已生效', en: 'In force' }, editable: false, released: true, tone: 'success' },
      closed: { label: { zh: '已结束', en: 'Closed' }, editable: false, final: true, released: true, tone: 'info' },
      voided: { label: { zh: '已作废', en: 'Void' }, editable: false, final: true, void: true, tone: 'info' },
    },
    transitions: [
      { id: 'submit', from: ['draft'], to: 'submitted', label: { zh: '提交审批', en: 'Submit' }, roles: [...management] },
      { id: 'approve', from: ['submitted'], to: 'approved', label: { zh: '审批通过', en: 'Approve' }, roles: ['marketingDirector', 'generalManager'], separateFrom: ['submit'] },
      { id: 'sendBack', from: ['submitted'], to: 'draft', label: { zh: '退回修改', en: 'Send back' }, roles: ['marketingDirector', 'generalManager'], comment: 'required', refusal: true },
      { id: 'close', from: ['approved'], to: 'closed', label: { zh: '计划结束', en: 'Close the plan' }, roles: [...management] },
      { id: 'void', from: ['draft'], to: 'voided', label: { zh: '作废', en: 'Void' }, roles: [...management], comment: 'required', refusal: true },
    ],
    reviseTo: 'submitted',
  },
  progress: { title: { zh: '拜访完成情况', en: 'Visits done and missed' }, lines: 'visits', states: ['approved', 'closed'], run: visitPlanProgress },
  print: {
    title: { zh: '拜访客户计划表', en: 'Customer visit plan' },
    returnable: false,
    blocks: [
      { kind: 'fields', fields: ['periodKind', 'periodStart', 'periodEnd', 'planner', 'plannedCount'], columns: 3 },
      { kind: 'text', field: 'aims', title: { zh: '本期重点', en: 'Focus of the period' } },
      { kind: 'lines', field: 'visits', columns: ['customer', 'salesperson', 'plannedDate', 'purpose', 'notes'] },
      { kind: 'approvals', rows: [
        { label: { zh: '制定', en: 'Planned by' }, actions: ['create', 'submit'] },
        { label: { zh: '审批', en: 'Approved by' }, actions: ['approve'] },
      ] },
    ],
  },
})
