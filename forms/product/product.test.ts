import { describe, expect, it } from 'vitest'
import { defaultValues, validateForm } from '../../renderer/core/validation'
import { product } from './product.form'

const valid = () => {
  const d = defaultValues(product)
  Object.assign(d.values, { code: 'HT-PC/ABS-8130', name: '阻燃PC/ABS合金', spec: 'HT-8130 黑色 UL94 V-0', group: 'flameRetardant', standardPrice: 2380 })
  return d
}
const zh = (d: ReturnType<typeof valid>) => validateForm(product, d).map((e) => e.message.zh)

describe('product (产品档案)', () => {
  it('a new product is in kg at 13 %, not a new formula, RoHS/REACH not yet declared', () => {
    expect(defaultValues(product).values).toMatchObject({ unit: 'kg', taxRate: '13', newFormula: false, rohs: 'undeclared', reach: 'undeclared' })
    expect(zh(valid())).toEqual([])
  })
  it('needs its code, name and product group', () => {
    expect(zh(defaultValues(product))).toEqual(['请填写产品编码', '请填写品名', '请选择产品组'])
  })
  it('a code reads like HT-PC/ABS-8130: capitals, digits and - / . + only', () => {
    for (const code of ['HT-PP30G', 'HT-PA66-G30-HS', 'MB-9001.2', 'HT-PC+ABS']) {
      const d = valid(); d.values.code = code
      expect(zh(d), code).toEqual([])
    }
    for (const code of ['ht-pc/abs-8130', 'HT PC 8130', '-HT8130', '阻燃PC']) {
      const d = valid(); d.values.code = code
      expect(zh(d), code).toEqual(['产品编码只能包含大写字母、数字和 - / . +，如 HT-PC/ABS-8130'])
    }
  })
})
