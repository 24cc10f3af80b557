/** Option lists shared by several forms (one definition, referenced by each form that needs it). */
import type { SelectOption } from './types'

export const paymentMethods: SelectOption[] = [
  { value: 'cash', label: { zh: '现结', en: 'Cash on delivery' } },
  { value: 'credit', label: { zh: '账期', en: 'On credit' } },
  { value: 'prepay', label: { zh: '款到发货', en: 'Payment before shipment' } },
]

export const industries: SelectOption[] = [
  { value: 'appliance', label: { zh: '家电', en: 'Home appliances' } },
  { value: 'electrical', label: { zh: '电子电气', en: 'Electronics & electrical' } },
  { value: 'automotive', label: { zh: '汽车零部件', en: 'Automotive parts' } },
  { value: 'lighting', label: { zh: '照明', en: 'Lighting' } },
  { value: 'packaging', label: { zh: '包装', en: 'Packaging' } },
  { value: 'medical', label: { zh: '医疗器械', en: 'Medical devices' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
]

export const scales: SelectOption[] = [
  { value: 'micro', label: { zh: '20人以下', en: 'Under 20 staff' } },
  { value: 'small', label: { zh: '20–99人', en: '20–99 staff' } },
  { value: 'medium', label: { zh: '100–499人', en: '100–499 staff' } },
  { value: 'large', label: { zh: '500人以上', en: '500+ staff' } },
]

export const taxRates: SelectOption[] = [
  { value: '13', label: { zh: '13%', en: '13%' } },
  { value: '9', label: { zh: '9%', en: '9%' } },
  { value: '6', label: { zh: '6%', en: '6%' } },
  { value: '3', label: { zh: '3%', en: '3%' } },
  { value: '0', label: { zh: '0%', en: '0%' } },
]

export const units: SelectOption[] = [
  { value: 'kg', label: { zh: 'kg', en: 'kg' } },
  { value: 't', label: { zh: '吨', en: 't' } },
  { value: 'pcs', label: { zh: 'PCS', en: 'PCS' } },
  { value: 'bag', label: { zh: '包', en: 'bag' } },
]

/** A product's declaration against an environmental regulation (RoHS, REACH). */
export const complianceDeclarations: SelectOption[] = [
  { value: 'compliant', label: { zh: '符合', en: 'Compliant' } },
  { value: 'nonCompliant', label: { zh: '不符合', en: 'Not compliant' } },
  { value: 'undeclared', label: { zh: '未声明', en: 'Not declared' } },
]

/** 产品组: the compound families the product-group heads answer for (feasibility, R2). */
export const productGroups: SelectOption[] = [
  { value: 'flameRetardant', label: { zh: '阻燃料', en: 'Flame-retardant' } },
  { value: 'reinforced', label: { zh: '增强料', en: 'Reinforced' } },
  { value: 'toughened', label: { zh: '增韧料', en: 'Toughened' } },
  { value: 'alloy', label: { zh: '合金料', en: 'Alloy' } },
  { value: 'masterbatch', label: { zh: '色母', en: 'Masterbatch' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
]
