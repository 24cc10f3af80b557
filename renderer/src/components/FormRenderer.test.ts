// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { customer } from '@forms/customer/customer.form'
import { quotation } from '@forms/quotation/quotation.form'
import { defaultValues } from '@core/validation'
import type { FormData } from '@forms/schema/types'
import { makeI18n } from '@app/locales'
import FormRenderer from './FormRenderer.vue'
import FieldReference from './fields/FieldReference.vue'
import { FORM_CONTEXT, type FormContext } from './context'

function mountForm(form: typeof customer | typeof quotation, data: FormData, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = makeI18n(locale)
  const wrapper = mount(FormRenderer, {
    props: { form, modelValue: data, submitLabel: '保存' },
    global: { plugins: [ElementPlus, i18n] },
    attachTo: document.body,
  })
  return { wrapper, i18n }
}

const field = (w: ReturnType<typeof mount>, key: string) => w.get(`[data-testid="field-${key}"]`)
const cell = (w: ReturnType<typeof mount>, row: number, col: string) => w.get(`[data-testid="line-items-${row}-${col}"]`)
const flush = () => new Promise((r) => setTimeout(r, 0))

describe('FormRenderer', () => {
  it('shows 请填写… at the empty required field on submit and emits nothing', async () => {
    const { wrapper } = mountForm(customer, defaultValues(customer))
    await wrapper.get('button[type="submit"]').trigger('click')
    await wrapper.get('form').trigger('submit')
    await flush()
    expect(field(wrapper, 'fullName').text()).toContain('请填写客户全称')
    // A field the clerk filled correctly shows nothing.
    expect(field(wrapper, 'shortName').text()).not.toContain('请填写')
    expect(wrapper.emitted('submit')).toBeUndefined()
    wrapper.unmount()
  })

  it('typing quantity and unit price updates the amount, the totals and 大写金额', async () => {
    const data = defaultValues(quotation)
    const { wrapper } = mountForm(quotation, data)
    await wrapper.get('.add-row').trigger('click')
    await wrapper.get('.add-row').trigger('click')
    await cell(wrapper, 0, 'quantity').get('input').setValue('1000')
    await cell(wrapper, 0, 'unitPrice').get('input').setValue('18.50')
    await cell(wrapper, 1, 'quantity').get('input').setValue('2.5')
    await cell(wrapper, 1, 'unitPrice').get('input').setValue('100')
    await flush()
    expect(cell(wrapper, 0, 'amount').text()).toBe('18,500.00')
    expect(cell(wrapper, 1, 'amount').text()).toBe('250.00')
    // 价税合计 = 18,750.00; at 13 % the net is 16,592.92 and the tax 2,157.08.
    expect((field(wrapper, 'grandTotal').get('input').element as HTMLInputElement).value).toBe('18,750.00')
    expect((field(wrapper, 'netTotal').get('input').element as HTMLInputElement).value).toBe('16,592.92')
    expect((field(wrapper, 'taxTotal').get('input').element as HTMLInputElement).value).toBe('2,157.08')
    expect(wrapper.get('[data-testid="field-capital"]').text()).toContain('壹万捌仟柒佰伍拾元整')
    wrapper.unmount()
  })

  it('"1,000" and full-width "１０００" in 数量 count in the totals and 大写 (they were dropped before); "1,00" is marked, not dropped', async () => {
    const { wrapper } = mountForm(quotation, defaultValues(quotation))
    for (let i = 0; i < 3; i++) await wrapper.get('.add-row').trigger('click')
    await cell(wrapper, 0, 'quantity').get('input').trigger('focus')
    await cell(wrapper, 0, 'quantity').get('input').setValue('1,000')
    await cell(wrapper, 0, 'unitPrice').get('input').setValue('１８．５０元')
    await cell(wrapper, 1, 'quantity').get('input').setValue('１０００')
    await cell(wrapper, 1, 'unitPrice').get('input').setValue('1')
    await flush()
    // What the clerk typed stays on screen while typing.
    expect((cell(wrapper, 0, 'quantity').get('input').element as HTMLInputElement).value).toBe('1,000')
    expect(cell(wrapper, 0, 'amount').text()).toBe('18,500.00')
    expect(cell(wrapper, 1, 'amount').text()).toBe('1,000.00')
    expect((field(wrapper, 'grandTotal').get('input').element as HTMLInputElement).value).toBe('19,500.00')
    expect(wrapper.get('[data-testid="field-capital"]').text()).toContain('壹万玖仟伍佰元整')
    await cell(wrapper, 2, 'productName').get('input').setValue('阻燃PC')
    await cell(wrapper, 2, 'quantity').get('input').setValue('1,00')
    await cell(wrapper, 2, 'unitPrice').get('input').setValue('1')
    await wrapper.get('form').trigger('submit')
    await flush()
    expect(cell(wrapper, 2, 'quantity').text()).toContain('数量')
    expect(wrapper.emitted('submit')).toBeUndefined()
    wrapper.unmount()
  })

  it('a failed save says how many places need fixing and puts the cursor in the first one (even far below)', async () => {
    const { wrapper } = mountForm(quotation, defaultValues(quotation))
    await wrapper.get('.add-row').trigger('click')
    await cell(wrapper, 0, 'productName').get('input').setValue('阻燃PC')
    await cell(wrapper, 0, 'quantity').get('input').setValue('abc')
    await wrapper.get('form').trigger('submit')
    await flush()
    const n = wrapper.findAll('.el-form-item.is-error, .is-error').length
    expect(n).toBeGreaterThan(0)
    expect(wrapper.get('.form-error-summary').text()).toMatch(/^有 \d+ 处需修改/)
    // The first marked place has the cursor.
    const first = wrapper.find('.el-form-item.is-error, .is-error')
    expect(first.element.contains(document.activeElement)).toBe(true)
    wrapper.unmount()
  })

  it('lines by keyboard: 添加一行 puts the cursor in the new first cell; Tab out of the last cell adds the next line; totals are not tab stops', async () => {
    const { wrapper } = mountForm(quotation, defaultValues(quotation))
    await wrapper.get('.add-row').trigger('click')
    await flush()
    // The first cell is the 产品编码 picker (typing searches the product master).
    expect(cell(wrapper, 0, 'product').element.contains(document.activeElement)).toBe(true)
    const last = cell(wrapper, 0, 'taxRate').get('input')
    await last.trigger('keydown', { key: 'Tab' })
    await flush()
    expect(wrapper.findAll('[data-testid^="line-items-"][data-testid$="-productName"]')).toHaveLength(2)
    expect(cell(wrapper, 1, 'product').element.contains(document.activeElement)).toBe(true)
    // Shift+Tab goes back as usual: no line added.
    await cell(wrapper, 1, 'taxRate').get('input').trigger('keydown', { key: 'Tab', shiftKey: true })
    await flush()
    expect(wrapper.findAll('[data-testid^="line-items-"][data-testid$="-productName"]')).toHaveLength(2)
    expect(field(wrapper, 'grandTotal').get('input').attributes('tabindex')).toBe('-1')
    wrapper.unmount()
  })

  it('Enter in the last cell adds a line too, the closed 税率 drop-down included; in its open list Enter chooses, and while an input method composes it adds nothing', async () => {
    const { wrapper } = mountForm(quotation, defaultValues(quotation))
    const rows = () => wrapper.findAll('[data-testid^="line-items-"][data-testid$="-productName"]')
    await wrapper.get('.add-row').trigger('click')
    await flush()
    const taxRate = (row: number) => cell(wrapper, row, 'taxRate').get('input')
    expect(taxRate(0).attributes('aria-expanded')).toBe('false')
    await taxRate(0).trigger('keydown', { key: 'Enter', code: 'Enter' })
    await flush()
    expect(rows()).toHaveLength(2)
    // The new line's first cell is its 产品编码 picker (a coded product fills the rest).
    expect(cell(wrapper, 1, 'product').element.contains(document.activeElement)).toBe(true)
    // ArrowDown opens the list; Enter then picks in it and adds no line.
    await taxRate(1).trigger('keydown', { key: 'ArrowDown', code: 'ArrowDown' })
    await flush()
    expect(taxRate(1).attributes('aria-expanded')).toBe('true')
    await taxRate(1).trigger('keydown', { key: 'Enter', code: 'Enter' })
    await flush()
    expect(rows()).toHaveLength(2)
    await taxRate(1).trigger('keydown', { key: 'Escape', code: 'Escape' })
    await flush()
    await taxRate(1).trigger('keydown', { key: 'Enter', code: 'Enter', isComposing: true })
    await flush()
    expect(rows()).toHaveLength(2)
    wrapper.unmount()
  })

  it('picking the customer fills 联系人, 付款方式 and 信用期 from its record, keeping what was typed', async () => {
    const record = { values: { paymentMethod: 'credit', creditDays: 45 }, lines: { contacts: [{ name: '梁美玲', title: '采购经理' }] } }
    const context: FormContext = {
      searchRefs: async () => [{ id: 'c1', label: '佛山市美达电器有限公司' }],
      refLabel: async () => '佛山市美达电器有限公司',
      refSource: async (form, id) => (form === 'customer' && id === 'c1' ? record : undefined),
      attachments: async () => [],
      openAttachment: async () => undefined,
    }
    const data = defaultValues(quotation)
    data.values.creditDays = 60
    const wrapper = mount(FormRenderer, {
      props: { form: quotation, modelValue: data, submitLabel: '保存' },
      global: { plugins: [ElementPlus, makeI18n('zh-CN')], provide: { [FORM_CONTEXT as symbol]: context } },
      attachTo: document.body,
    })
    wrapper.findComponent(FieldReference).vm.$emit('update:modelValue', 'c1')
    await flush()
    await flush()
    expect((field(wrapper, 'contact').get('input').element as HTMLInputElement).value).toBe('梁美玲')
    // 信用期 was typed (60): kept; 付款方式 was empty: filled.
    expect((field(wrapper, 'creditDays').get('input').element as HTMLInputElement).value).toBe('60')
    const emitted = wrapper.emitted('update:modelValue')!.at(-1)![0] as FormData
    expect(emitted.values).toMatchObject({ customer: 'c1', contact: '梁美玲', paymentMethod: 'credit', creditDays: 60 })
    wrapper.unmount()
  })

  it('picking a product in a line fills 品名, 规格, 单价 and 税率, keeps what was typed, and shows the customer\'s last price', async () => {
    const product = { values: { code: 'HT-PC/ABS-8130', name: '阻燃PC/ABS合金', spec: 'HT-8130 黑色 UL94 V-0', unit: 'kg', standardPrice: 2450, taxRate: '9' }, lines: {} }
    const asked: unknown[] = []
    const context: FormContext = {
      searchRefs: async () => [{ id: 'p1', label: 'HT-PC/ABS-8130 阻燃PC/ABS合金（CP2611-DM-0001）' }],
      refLabel: async (form) => (form === 'product' ? 'HT-PC/ABS-8130 阻燃PC/ABS合金（CP2611-DM-0001）' : '佛山市美达电器有限公司'),
      refSource: async (form, id) => (form === 'product' && id === 'p1' ? product : undefined),
      recall: async (q) => {
        asked.push(q)
        return Object.fromEntries(q.refs.map((r) => [r, r === 'p1' && q.by === 'c1'
          ? [{ docId: 'q0', number: 'BJ2611-A7-0003', date: '2026-11-02', state: 'sent', released: true, value: 2380 }] : []]))
      },
      attachments: async () => [],
      openAttachment: async () => undefined,
    }
    const data = defaultValues(quotation)
    data.values.customer = 'c1'
    const wrapper = mount(FormRenderer, {
      props: { form: quotation, modelValue: data, submitLabel: '保存', docId: 'q9' },
      global: { plugins: [ElementPlus, makeI18n('zh-CN')], provide: { [FORM_CONTEXT as symbol]: context } },
      attachTo: document.body,
    })
    await wrapper.get('.add-row').trigger('click')
    await wrapper.get('.add-row').trigger('click')
    // Row 1: the clerk types the customer's own spec and a quantity first, then picks the product.
    await cell(wrapper, 1, 'spec').get('input').setValue('黑色 客户色板 MD-07')
    await cell(wrapper, 1, 'quantity').get('input').setValue('1000')
    cell(wrapper, 1, 'product').findComponent(FieldReference).vm.$emit('update:modelValue', 'p1')
    await flush()
    await flush()
    const value = (row: number, col: string) => (cell(wrapper, row, col).get('input').element as HTMLInputElement).value
    expect(value(1, 'productName')).toBe('阻燃PC/ABS合金')
    expect(value(1, 'spec')).toBe('黑色 客户色板 MD-07')
    expect(value(1, 'unitPrice')).toBe('24.50')
    expect(cell(wrapper, 1, 'taxRate').text()).toContain('9%')
    expect(cell(wrapper, 1, 'amount').text()).toBe('24,500.00')
    // Row 0 stays as it was: nothing picked there, no hint.
    expect(value(0, 'productName')).toBe('')
    expect(wrapper.find('[data-testid="recall-items-0"]').exists()).toBe(false)
    // Under the line: what this customer was quoted for the product last time, this quotation left out.
    expect(wrapper.get('[data-testid="recall-items-1"]').text()).toBe('上次报价 ¥23.80（BJ2611-A7-0003，2026-11-02）')
    expect(asked.at(-1)).toMatchObject({ form: 'quotation', lines: 'items', column: 'product', by: 'c1', refs: ['p1'], exclude: 'q9' })
    const emitted = wrapper.emitted('update:modelValue')!.at(-1)![0] as FormData
    expect(emitted.lines.items?.[1]?.values).toMatchObject({ product: 'p1', productName: '阻燃PC/ABS合金', spec: '黑色 客户色板 MD-07', unit: 'kg', unitPrice: 2450, taxRate: '9', quantity: '1000' })
    expect(emitted.values.grandTotal).toBe(2_450_000)
    wrapper.unmount()
  })

  it('shows the error at the line cell that is wrong', async () => {
    const { wrapper } = mountForm(quotation, defaultValues(quotation))
    await wrapper.get('.add-row').trigger('click')
    await wrapper.get('form').trigger('submit')
    await flush()
    expect(cell(wrapper, 0, 'productName').text()).toContain('请填写品名')
    expect(cell(wrapper, 0, 'unit').text()).not.toContain('请')
    expect(wrapper.emitted('submit')).toBeUndefined()
    wrapper.unmount()
  })

  it('switching language changes the labels', async () => {
    const { wrapper, i18n } = mountForm(customer, defaultValues(customer))
    expect(field(wrapper, 'fullName').text()).toContain('客户全称')
    i18n.global.locale.value = 'en'
    await flush()
    expect(field(wrapper, 'fullName').text()).toContain('Full name')
    expect(field(wrapper, 'fullName').text()).not.toContain('客户全称')
    expect(wrapper.text()).toContain('Finance & settlement')
    wrapper.unmount()
  })

  it('is read-only when told so: no save button, no row buttons', async () => {
    const i18n = makeI18n('zh-CN')
    const wrapper = mount(FormRenderer, {
      props: { form: quotation, modelValue: defaultValues(quotation), submitLabel: '保存', readonly: true },
      global: { plugins: [ElementPlus, i18n] },
    })
    expect(wrapper.find('button[type="submit"]').exists()).toBe(false)
    expect(wrapper.find('.add-row').exists()).toBe(false)
    wrapper.unmount()
  })
})
