/** The option lists the 客户拜访表 and the 拜访客户计划表 share (§5.10.4, §5.10.5). */
import type { SelectOption } from '../schema/types'

/** §5.10.4: the aims of visiting customers, as the seed lists them (质量 and 准备项目 included). */
export const visitPurposes: SelectOption[] = [
  { value: 'market', label: { zh: '传播市场信息', en: 'Market information' } },
  { value: 'newProduct', label: { zh: '新品宣传', en: 'New products' } },
  { value: 'service', label: { zh: '专业提供服务', en: 'Professional service' } },
  { value: 'project', label: { zh: '正进行项目服务', en: 'Ongoing project' } },
  { value: 'quality', label: { zh: '质量跟进', en: 'Quality follow-up' } },
  { value: 'prospect', label: { zh: '准备项目', en: 'Project in preparation' } },
]

/** How the customer was visited. */
export const visitWays: SelectOption[] = [
  { value: 'onsite', label: { zh: '上门拜访', en: 'On site' } },
  { value: 'phone', label: { zh: '电话拜访', en: 'By phone' } },
  { value: 'video', label: { zh: '视频会议', en: 'Video call' } },
  { value: 'fair', label: { zh: '展会', en: 'Trade fair' } },
  { value: 'atOurs', label: { zh: '客户来访', en: 'Customer came to us' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
]

/** 管理费用管理条例: the kinds of a visit's expenses. */
export const expenseKinds: SelectOption[] = [
  { value: 'transport', label: { zh: '交通费', en: 'Transport' } },
  { value: 'lodging', label: { zh: '住宿费', en: 'Lodging' } },
  { value: 'meals', label: { zh: '餐费', en: 'Meals' } },
  { value: 'hospitality', label: { zh: '招待费', en: 'Hospitality' } },
  { value: 'gifts', label: { zh: '礼品', en: 'Gifts' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
]
