import { defineForm } from '../schema/types'
import { complianceDeclarations, productGroups, taxRates, units } from '../schema/options'

/**
 * 产品档案: the product master (issue 8, master data). Sample, quotation and later contract lines
 * pick products from it; 全新配方 carries R7 (a new formula is trialled on site, §5.4).
 */
export const product = defineForm({
  id: 'product',
  title: { zh: '产品档案', en: 'Product' },
  menu: { zh: '产品档案', en: 'Products' },
  numbering: { prefix: 'CP' },
  // The code names the product wherever it is picked or printed (the 品名 has its own column).
  titleField: 'code',
  titleDetail: ['name'],
  sections: [
    { key: 'basic', title: { zh: '基本信息', en: 'Basic information' } },
    { key: 'price', title: { zh: '价格与税率', en: 'Price and tax' } },
    { key: 'compliance', title: { zh: '配方与环保', en: 'Formula and compliance' } },
  ],
  fields: [
    { key: 'code', label: { zh: '产品编码', en: 'Product code' }, type: 'text', required: true, maxLength: 40, span: 'half',
      placeholder: { zh: '如 HT-PC/ABS-8130', en: 'e.g. HT-PC/ABS-8130' },
      pattern: { source: '^[A-Z0-9][A-Z0-9./+-]*$', message: { zh: '产品编码只能包含大写字母、数字和 - / . +，如 HT-PC/ABS-8130', en: 'Capitals, digits and - / . + only, e.g. HT-PC/ABS-8130' } } },
    { key: 'name', label: { zh: '品名', en: 'Product name' }, type: 'text', required: true, maxLength: 60, span: 'half',
      placeholder: { zh: '如 阻燃PC/ABS合金', en: 'e.g. flame-retardant PC/ABS' } },
    { key: 'spec', label: { zh: '牌号/规格', en: 'Grade / specification' }, type: 'text', maxLength: 80, span: 'half',
      placeholder: { zh: '如 HT-8130 黑色 UL94 V-0', en: 'e.g. HT-8130 black UL94 V-0' } },
    { key: 'colour', label: { zh: '色号', en: 'Colour number' }, type: 'text', maxLength: 30, span: 'half',
      placeholder: { zh: '如 BK-001 / 本色', en: 'e.g. BK-001 / natural' } },
    { key: 'group', label: { zh: '产品组', en: 'Product group' }, type: 'select', options: productGroups, required: true, span: 'half' },
    { key: 'unit', label: { zh: '单位', en: 'Unit' }, type: 'select', options: units, required: true, default: 'kg', span: 'half' },
    { key: 'standardPrice', label: { zh: '标准单价（含税）', en: 'Standard price incl. tax' }, type: 'money', min: 0, section: 'price', span: 'half',
      help: { zh: '报价时选此产品即带出为含税单价，可再修改', en: 'Filled into a quotation line as its unit price; may be changed there' } },
    { key: 'taxRate', label: { zh: '税率', en: 'Tax rate' }, type: 'select', options: taxRates, required: true, default: '13', section: 'price', span: 'half' },
    { key: 'newFormula', label: { zh: '全新配方', en: 'New formula' }, type: 'boolean', section: 'compliance', span: 'third',
      help: { zh: '全新配方的样品须由工程人员到客户现场试料（R7，§5.4）', en: 'A sample of a new formula is trialled on site (R7, §5.4)' } },
    { key: 'rohs', label: { zh: 'RoHS 声明', en: 'RoHS declaration' }, type: 'select', options: complianceDeclarations, default: 'undeclared', section: 'compliance', span: 'third' },
    { key: 'reach', label: { zh: 'REACH 声明', en: 'REACH declaration' }, type: 'select', options: complianceDeclarations, default: 'undeclared', section: 'compliance', span: 'third' },
    { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, type: 'longtext', section: 'compliance', maxLength: 500, span: 'full',
      placeholder: { zh: '如 物性要点、适用机型、色卡编号', en: 'e.g. key properties, applications, colour card' } },
  ],
  list: { columns: ['number', 'code', 'name', 'spec', 'group', 'unit', 'standardPrice'], search: ['number', 'code', 'name', 'spec'] },
})
