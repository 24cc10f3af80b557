import { describe, expect, it } from 'vitest'
import { defaultValues, validateForm } from '../../renderer/core/validation'
import { customer } from './customer.form'

const valid = () => {
  const d = defaultValues(customer)
  Object.assign(d.values, {
    fullName: '佛山美宜达电器有限公司', shortName: '美宜达', phone: '0757-2838 6612', industry: 'appliance', scale: 'medium',
    taxNo: '91440606MA5F2K3L4X', paymentMethod: 'credit', creditDays: 60,
  })
  d.lines.contacts = [{ id: 'p1', values: { name: '陈秀娟', title: '采购主管', phone: '138 2345 6789', email: 'chenxj@meiyida.example' } }]
  return d
}
const zh = (d: ReturnType<typeof valid>) => validateForm(customer, d).map((e) => e.message.zh)

describe('customer', () => {
  it('a complete customer on credit is valid', () => {
    expect(zh(valid())).toEqual([])
  })
  it('§5.6.3: a customer on 账期 needs its credit days', () => {
    const d = valid()
    d.values.creditDays = null
    expect(zh(d)).toEqual(['付款方式为账期时，请填写信用期天数'])
    d.values.paymentMethod = 'cash'
    expect(zh(d)).toEqual([])
  })
  it('new customers default to 现结 and are not traded (R1 applies until decided)', () => {
    expect(defaultValues(customer).values).toMatchObject({ paymentMethod: 'cash', traded: false })
  })
  it('rejects a malformed USCC, phone and contact e-mail', () => {
    const d = valid()
    d.values.taxNo = '91440606MA5F2K3L4'
    d.values.phone = '电话待补'
    d.lines.contacts![0]!.values.email = 'chenxj@'
    const errs = validateForm(customer, d)
    expect(errs.map((e) => [e.field, e.row, e.column, e.message.zh])).toEqual([
      ['phone', undefined, undefined, '电话只能包含数字、空格和 + - ( )'],
      ['contacts', 0, 'email', '邮箱格式不正确'],
      ['taxNo', undefined, undefined, '统一社会信用代码应为18位数字或大写字母'],
    ])
  })
  it('credit days stay within 0–365 whole days', () => {
    const d = valid()
    d.values.creditDays = 400
    expect(zh(d)).toEqual(['信用期（天）不能大于365'])
    d.values.creditDays = 30.5
    expect(zh(d)).toEqual(['信用期（天）须为整数'])
  })
})
