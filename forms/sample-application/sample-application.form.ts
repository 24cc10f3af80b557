import { defineForm } from '../schema/types'
import { units } from '../schema/options'
import { sampleApplicationFlow } from './sample-application.workflow'
import {
  applicationFromCustomer, chargedSampleHasOrder, customerMayBeSampled, freeTenKgOrMore, fromCustomer, fromEvaluation, hasNewFormula, noSampleWithoutFeedback,
  totalKg,
} from './sample-application.rules'

/**
 * 样品申请单 (§5.2, §7.2; printed, internal): the customer's requirements (阻燃, 性能, 环保, 配色,
 * 单价, 物性检测方法, 客供样品) and the samples asked for. Its list is CS's 样品台帐 (sample register):
 * every application with its state, lead time and the engineer following it up.
 */
export const sampleApplication = defineForm({
  id: 'sampleApplication',
  title: { zh: '样品申请单', en: 'Sample application' },
  menu: { zh: '样品台帐', en: 'Sample register' },
  numbering: { prefix: 'YP' },
  titleField: 'customer',
  sections: [
    { key: 'head', title: { zh: '申请信息', en: 'Application' } },
    { key: 'needs', title: { zh: '客户要求', en: 'Customer requirements' } },
    { key: 'items', title: { zh: '样品明细', en: 'Samples' } },
    { key: 'engineering', title: { zh: '工程部回复', en: 'Engineering reply' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '客户', en: 'Customer' }, type: 'reference', to: 'customer', required: true, span: 'half', fill: fromCustomer },
    { key: 'evaluation', label: { zh: '客户资料评估表', en: 'Customer evaluation' }, type: 'reference', to: 'customerEvaluation', span: 'half' },
    { key: 'contact', label: { zh: '客户联系人', en: 'Contact' }, type: 'text', maxLength: 30, span: 'third' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'third' },
    { key: 'applyDate', label: { zh: '申请日期', en: 'Date' }, type: 'date', required: true, span: 'third', default: { daysFromToday: 0 } },
    { key: 'sampleType', label: { zh: '样品类别', en: 'Sample type' }, type: 'select', required: true, default: 'free', span: 'third', options: [
      { value: 'free', label: { zh: '免费样品', en: 'Free sample' } },
      { value: 'charged', label: { zh: '计价样品', en: 'Charged sample' } },
    ] },
    { key: 'orderNo', label: { zh: '客户订单号（计价样品）', en: 'Customer order no. (charged)' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'neededBy', label: { zh: '要求交样日期', en: 'Needed by' }, type: 'date', span: 'third', default: { daysFromToday: 14 } },
    { key: 'application', label: { zh: '用途 / 制品', en: 'Application' }, type: 'text', section: 'needs', maxLength: 120, span: 'half',
      placeholder: { zh: '如 电风扇外壳（注塑）', en: 'e.g. fan housing (injection moulded)' } },
    { key: 'flameRetardant', label: { zh: '阻燃要求', en: 'Flame retardance' }, type: 'text', section: 'needs', maxLength: 60, span: 'half',
      placeholder: { zh: '如 UL94 V-0 @1.5mm', en: 'e.g. UL94 V-0 @1.5mm' } },
    { key: 'performance', label: { zh: '性能要求', en: 'Performance' }, type: 'text', section: 'needs', maxLength: 200, span: 'full',
      placeholder: { zh: '如 拉伸强度 ≥ 45MPa，缺口冲击 ≥ 8kJ/m²，HDT ≥ 95℃', en: 'e.g. tensile ≥ 45 MPa, notched impact ≥ 8 kJ/m²' } },
    { key: 'environmental', label: { zh: '环保相关', en: 'Environmental' }, type: 'text', section: 'needs', maxLength: 60, span: 'third',
      placeholder: { zh: 'RoHS / REACH / 无卤', en: 'RoHS / REACH / halogen-free' } },
    { key: 'colour', label: { zh: '配色要求', en: 'Colour' }, type: 'text', section: 'needs', maxLength: 60, span: 'third',
      placeholder: { zh: '如 按客供色板 Pantone 7541C', en: 'e.g. per customer plaque' } },
    { key: 'targetPrice', label: { zh: '单价要求（元/kg）', en: 'Target price (CNY/kg)' }, type: 'money', min: 0, section: 'needs', span: 'third' },
    { key: 'testMethod', label: { zh: '物性检测方法', en: 'Test methods' }, type: 'text', section: 'needs', maxLength: 120, span: 'half',
      placeholder: { zh: '如 ISO 527 / ISO 180 / UL94', en: 'e.g. ISO 527 / ISO 180 / UL94' } },
    { key: 'customerSample', label: { zh: '客供样品', en: 'Customer-supplied sample' }, type: 'boolean', section: 'needs', span: 'half',
      shown: { yes: { zh: '有客供样品', en: 'Supplied' }, no: { zh: '无', en: 'None' } } },
    { key: 'items', label: { zh: '样品明细', en: 'Samples' }, type: 'lines', section: 'items', span: 'full', minRows: 1, maxRows: 30, columns: [
      { key: 'productName', label: { zh: '品名 / 牌号', en: 'Product / grade' }, type: 'text', required: true, maxLength: 60 },
      { key: 'spec', label: { zh: '规格 / 色号', en: 'Spec / colour no.' }, type: 'text', maxLength: 60 },
      { key: 'quantity', label: { zh: '数量', en: 'Quantity' }, type: 'decimal', scale: 3, min: '0.001', required: true },
      { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg' },
      { key: 'newFormula', label: { zh: '全新配方', en: 'New formula' }, type: 'boolean' },
    ] },
    { key: 'totalKg', label: { zh: '样品总重（kg）', en: 'Total weight (kg)' }, type: 'decimal', scale: 3, section: 'items', computed: true, span: 'third' },
    { key: 'newFormula', label: { zh: '含全新配方产品', en: 'Includes a new formula' }, type: 'boolean', section: 'items', computed: true, span: 'third',
      help: { zh: '全新配方的样品须现场试料（§5.4）', en: 'A new formula must be trialled on site (§5.4)' } },
    { key: 'engineer', label: { zh: '责任研发工程师', en: 'R&D engineer' }, type: 'user', roles: ['rdEngineer'], section: 'engineering', computed: true, span: 'third' },
    { key: 'leadTime', label: { zh: '样品交期', en: 'Sample lead time' }, type: 'date', section: 'engineering', computed: true, span: 'third' },
    { key: 'feasibilityReply', label: { zh: '技术可行性回复', en: 'Feasibility reply' }, type: 'longtext', section: 'engineering', computed: true, maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'customer', 'sampleType', 'totalKg', 'applyDate', 'engineer', 'leadTime'], search: ['number', 'orderNo'] },
  computed: { totalKg, newFormula: hasNewFormula },
  conditions: { freeTenKgOrMore },
  guards: { customerMayBeSampled, noSampleWithoutFeedback, chargedSampleHasOrder },
  pickChecks: [{ field: 'customer', guard: 'customerMayBeSampled', fix: 'customerEvaluation' }, { field: 'customer', guard: 'noSampleWithoutFeedback' }],
  derive: [{ from: 'customer', link: 'customer', map: applicationFromCustomer }, { from: 'customerEvaluation', states: ['develop', 'filed'], link: 'evaluation', map: fromEvaluation }],
  workflow: sampleApplicationFlow,
  print: {
    title: { zh: '样品申请单', en: 'Sample application' },
    returnable: false,
    blocks: [
      { kind: 'party', title: { zh: '客户', en: 'Customer' }, reference: 'customer', fields: ['fullName', 'address', 'phone'] },
      { kind: 'fields', fields: ['contact', 'salesperson', 'applyDate', 'sampleType', 'orderNo', 'neededBy'], columns: 3 },
      { kind: 'fields', title: { zh: '客户要求', en: 'Customer requirements' }, columns: 2,
        fields: ['application', 'flameRetardant', 'performance', 'environmental', 'colour', 'targetPrice', 'testMethod', 'customerSample'] },
      { kind: 'lines', field: 'items' },
      { kind: 'fields', fields: ['totalKg', 'newFormula'], columns: 2 },
      { kind: 'fields', title: { zh: '工程部回复', en: 'Engineering reply' }, fields: ['engineer', 'leadTime', 'feasibilityReply'], columns: 2 },
      { kind: 'signatures', parties: [{ zh: '申请人', en: 'Applicant' }, { zh: '营销部负责人', en: 'Marketing head' }, { zh: '营销总监签核', en: 'Marketing director' }] },
      // Who signed in the system (电话确认代签 included), under the boxes signed by hand.
      { kind: 'approvals', rows: [
        { label: { zh: '申请', en: 'Applied' }, actions: ['submit'] },
        { label: { zh: '营销部负责人', en: 'Marketing head' }, actions: ['sign-review-head', 'phone-review-head'] },
        { label: { zh: '营销经理', en: 'Marketing manager' }, actions: ['sign-review-manager'] },
        { label: { zh: '营销总监签核', en: 'Director' }, actions: ['sign-review-director'] },
      ] },
    ],
  },
})
