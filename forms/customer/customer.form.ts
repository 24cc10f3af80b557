import { defineForm } from '../schema/types'
import { industries, paymentMethods, scales } from '../schema/options'
import { creditTermNeedsDays } from './customer.rules'

/** 客户: the customer master record (§5.1; second article: 企业名称, 地址, 负责人, 电话, 行业, 规模). */
export const customer = defineForm({
  id: 'customer',
  title: { zh: '客户', en: 'Customer' },
  menu: { zh: '客户', en: 'Customers' },
  numbering: { prefix: 'KH' },
  titleField: 'fullName',
  sections: [
    { key: 'basic', title: { zh: '基本信息', en: 'Basic information' } },
    { key: 'contacts', title: { zh: '联系人', en: 'Contacts' } },
    { key: 'finance', title: { zh: '财务与结算', en: 'Finance & settlement' } },
    // 新/老客户 decides R1 (§5.1): only CS, who keep the customer records, and marketing management set it.
    { key: 'status', title: { zh: '客户状态', en: 'Customer status' },
      edit: { roles: ['csAssistant', 'marketingHead', 'marketingDirector', 'generalManager'] } },
  ],
  fields: [
    { key: 'fullName', label: { zh: '客户全称', en: 'Full name' }, type: 'text', required: true, maxLength: 100, span: 'half' },
    { key: 'shortName', label: { zh: '简称', en: 'Short name' }, type: 'text', maxLength: 30, span: 'half' },
    { key: 'address', label: { zh: '地址', en: 'Address' }, type: 'text', maxLength: 200, span: 'full' },
    { key: 'phone', label: { zh: '电话', en: 'Phone' }, type: 'text', maxLength: 40, span: 'half',
      pattern: { source: '^[0-9+()\\- ]{5,40}$', message: { zh: '电话只能包含数字、空格和 + - ( )', en: 'Phone may contain digits, spaces and + - ( ) only' } } },
    { key: 'legalPerson', label: { zh: '负责人', en: 'Person in charge' }, type: 'text', maxLength: 30, span: 'half' },
    { key: 'salesperson', label: { zh: '业务员', en: 'Salesperson' }, type: 'user', roles: ['salesperson'], span: 'half',
      help: { zh: '报价单、客户评估等单据选此客户时带出', en: 'Filled into quotations and evaluations for this customer' } },
    { key: 'industry', label: { zh: '行业', en: 'Industry' }, type: 'select', options: industries, span: 'half' },
    { key: 'scale', label: { zh: '规模', en: 'Scale' }, type: 'select', options: scales, span: 'half' },
    { key: 'traded', label: { zh: '已有交易往来（老客户）', en: 'Existing trading customer' }, type: 'boolean', span: 'half', section: 'status',
      short: { zh: '新/老客户', en: 'New/existing' }, shown: { yes: { zh: '老客户', en: 'Existing' }, no: { zh: '新客户', en: 'New' } },
      help: { zh: '新客户须经《客户资料评估表》决定开发后方可申请样品或报价（§5.1）；由客服或营销部负责人确认', en: 'A new customer needs an evaluation decided “develop” before samples or quotes (§5.1); set by CS or the marketing head' } },
    { key: 'contacts', label: { zh: '联系人', en: 'Contacts' }, type: 'lines', section: 'contacts', span: 'full', columns: [
      { key: 'name', label: { zh: '姓名', en: 'Name' }, type: 'text', required: true, maxLength: 30 },
      { key: 'title', label: { zh: '职务', en: 'Title' }, type: 'text', maxLength: 30 },
      { key: 'phone', label: { zh: '电话', en: 'Phone' }, type: 'text', maxLength: 40 },
      { key: 'email', label: { zh: '邮箱', en: 'E-mail' }, type: 'text', maxLength: 80,
        pattern: { source: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', message: { zh: '邮箱格式不正确', en: 'Not a valid e-mail address' } } },
    ] },
    { key: 'taxNo', label: { zh: '税号（统一社会信用代码）', en: 'Tax number (USCC)' }, type: 'text', section: 'finance', span: 'half',
      pattern: { source: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', message: { zh: '统一社会信用代码应为18位数字或大写字母', en: 'The USCC has 18 digits or capital letters' } } },
    { key: 'bank', label: { zh: '开户银行', en: 'Bank' }, type: 'text', section: 'finance', maxLength: 60, span: 'half' },
    { key: 'bankAccount', label: { zh: '银行账号', en: 'Bank account' }, type: 'text', section: 'finance', maxLength: 40, span: 'half' },
    { key: 'paymentMethod', label: { zh: '付款方式', en: 'Payment method' }, type: 'select', section: 'finance', options: paymentMethods, required: true, default: 'cash', span: 'half' },
    { key: 'creditDays', label: { zh: '信用期（天）', en: 'Credit term (days)' }, type: 'number', section: 'finance', integer: true, min: 0, max: 365, span: 'half' },
    { key: 'creditLimit', label: { zh: '信用额度', en: 'Credit limit' }, type: 'money', section: 'finance', min: 0, span: 'half',
      help: { zh: '未收货款加新订单超过额度时，订单需营销部负责人确认（[A] 5）；不填为不设额度', en: 'An order that takes the unpaid balance over it needs the marketing head ([A] 5); empty: no limit' } },
    { key: 'openingBalance', label: { zh: '期初应收余额', en: 'Opening balance' }, type: 'money', section: 'finance', span: 'half',
      help: { zh: '启用本系统前客户欠款（负数为预收款），对账单从这里起算', en: 'What the customer owed before this system (negative: credit); statements start from it' } },
    { key: 'openingDate', label: { zh: '期初日期', en: 'Opening balance date' }, type: 'date', section: 'finance', span: 'half' },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'finance', maxLength: 500, span: 'full' },
  ],
  list: { columns: ['number', 'fullName', 'shortName', 'traded', 'phone', 'industry', 'paymentMethod'], search: ['number', 'fullName', 'shortName', 'phone'] },
  validators: [creditTermNeedsDays],
})
