import { defineForm } from '../schema/types'
import { industries, paymentMethods, scales } from '../schema/options'
import { customerEvaluationFlow } from './customer-evaluation.workflow'
import { fromCustomer } from './customer-evaluation.rules'

/**
 * 客户资料评估表 (§5.1, §5.6.1, §7.3): the salesperson fills in the prospect's facts; the marketing
 * head decides 开发 / 不开发 (R1). Before the order the salesperson completes the rest (§5.6.1).
 */
export const customerEvaluation = defineForm({
  id: 'customerEvaluation',
  title: { zh: '客户资料评估表', en: 'Customer evaluation' },
  menu: { zh: '客户评估', en: 'Customer evaluations' },
  numbering: { prefix: 'PG' },
  titleField: 'customer',
  sections: [
    { key: 'company', title: { zh: '企业基本情况', en: 'Company facts' } },
    { key: 'business', title: { zh: '经营与需求', en: 'Business and needs' } },
    { key: 'assessment', title: { zh: '评估意见', en: 'Assessment' } },
  ],
  fields: [
    { key: 'customer', label: { zh: '企业名称', en: 'Company' }, type: 'reference', to: 'customer', required: true, span: 'half', fill: fromCustomer },
    { key: 'evaluationDate', label: { zh: '评估日期', en: 'Date' }, type: 'date', required: true, span: 'half', default: { daysFromToday: 0 } },
    { key: 'address', label: { zh: '地址', en: 'Address' }, type: 'text', maxLength: 200, span: 'full' },
    { key: 'legalPerson', label: { zh: '负责人', en: 'Person in charge' }, type: 'text', maxLength: 30, span: 'third' },
    { key: 'phone', label: { zh: '电话', en: 'Phone' }, type: 'text', maxLength: 40, span: 'third' },
    { key: 'founded', label: { zh: '成立时间', en: 'Founded' }, type: 'date', span: 'third' },
    { key: 'industry', label: { zh: '行业', en: 'Industry' }, type: 'select', options: industries, required: true, span: 'third' },
    { key: 'scale', label: { zh: '规模', en: 'Scale' }, type: 'select', options: scales, required: true, span: 'third' },
    { key: 'shopUrl', label: { zh: '网店地址', en: 'Online shop' }, type: 'text', maxLength: 200, span: 'third' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'third' },
    { key: 'mainProducts', label: { zh: '主营产品', en: 'Main products' }, type: 'text', section: 'business', maxLength: 200, span: 'full' },
    { key: 'annualRevenue', label: { zh: '年营业额（万元）', en: 'Annual revenue (10k CNY)' }, type: 'decimal', scale: 2, min: '0', section: 'business', span: 'third' },
    { key: 'mainClients', label: { zh: '主要客户', en: 'Main clients' }, type: 'text', section: 'business', maxLength: 200, span: 'full' },
    { key: 'demandProduct', label: { zh: '需求产品（材料/牌号）', en: 'Products needed' }, type: 'text', section: 'business', required: true, maxLength: 200, span: 'half' },
    { key: 'monthlyVolumeKg', label: { zh: '预计月用量（kg）', en: 'Expected monthly volume (kg)' }, type: 'decimal', scale: 1, min: '0', section: 'business', span: 'half' },
    { key: 'flameRetardant', label: { zh: '阻燃要求', en: 'Flame retardance' }, type: 'text', section: 'business', maxLength: 60, span: 'third',
      placeholder: { zh: '如 UL94 V-0', en: 'e.g. UL94 V-0' } },
    { key: 'environmental', label: { zh: '环保要求', en: 'Environmental' }, type: 'text', section: 'business', maxLength: 60, span: 'third',
      placeholder: { zh: '如 RoHS / REACH', en: 'e.g. RoHS / REACH' } },
    { key: 'targetPrice', label: { zh: '目标单价（元/kg）', en: 'Target price (CNY/kg)' }, type: 'money', min: 0, section: 'business', span: 'third' },
    { key: 'currentSupplier', label: { zh: '现有供应商 / 竞争对手', en: 'Current supplier / competitors' }, type: 'text', section: 'business', maxLength: 200, span: 'full' },
    { key: 'paymentMethod', label: { zh: '拟付款方式', en: 'Proposed payment method' }, type: 'select', options: paymentMethods, section: 'business', span: 'half' },
    { key: 'creditStanding', label: { zh: '资信状况', en: 'Credit standing' }, type: 'select', section: 'business', span: 'half', options: [
      { value: 'good', label: { zh: '良好', en: 'Good' } },
      { value: 'fair', label: { zh: '一般', en: 'Fair' } },
      { value: 'poor', label: { zh: '较差', en: 'Poor' } },
      { value: 'unknown', label: { zh: '未知', en: 'Unknown' } },
    ] },
    { key: 'salesOpinion', label: { zh: '业务员评估意见', en: 'Salesperson’s assessment' }, type: 'longtext', section: 'assessment', required: true, maxLength: 1000, span: 'full' },
    { key: 'decision', label: { zh: '营销部负责人决定', en: 'Marketing head’s decision' }, type: 'select', section: 'assessment', computed: true, span: 'half', options: [
      { value: 'develop', label: { zh: '开发', en: 'Develop' } },
      { value: 'notDevelop', label: { zh: '不开发', en: 'Do not develop' } },
    ] },
  ],
  list: { columns: ['number', 'customer', 'industry', 'demandProduct', 'decision'], search: ['number', 'demandProduct'] },
  computed: {},
  workflow: customerEvaluationFlow,
  print: {
    title: { zh: '客户资料评估表', en: 'Customer evaluation' },
    returnable: false,
    blocks: [
      { kind: 'fields', title: { zh: '企业基本情况', en: 'Company facts' }, columns: 2,
        fields: ['customer', 'evaluationDate', 'address', 'legalPerson', 'phone', 'founded', 'industry', 'scale', 'shopUrl'] },
      { kind: 'fields', title: { zh: '经营与需求', en: 'Business and needs' }, columns: 2,
        fields: ['mainProducts', 'annualRevenue', 'mainClients', 'demandProduct', 'monthlyVolumeKg', 'flameRetardant', 'environmental', 'targetPrice', 'currentSupplier', 'paymentMethod', 'creditStanding'] },
      { kind: 'text', field: 'salesOpinion', title: { zh: '业务员评估意见', en: 'Salesperson’s assessment' } },
      { kind: 'fields', fields: ['decision'], columns: 1 },
      { kind: 'signatures', parties: [{ zh: '业务员', en: 'Salesperson' }, { zh: '营销部负责人', en: 'Marketing head' }] },
    ],
  },
})
