// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { makeI18n } from '@app/locales'
import { localToday } from '@app/stores/session'
import FieldDate from './FieldDate.vue'

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('FieldDate', () => {
  it('a typed "11-30" is this year\'s 30 November, not 2001\'s', async () => {
    const w = mount(FieldDate, {
      props: { field: { key: 'd', label: { zh: '日期', en: 'Date' }, type: 'date' }, modelValue: null, ariaLabel: '日期' },
      global: { plugins: [ElementPlus, makeI18n('zh-CN')] },
      attachTo: document.body,
    })
    const input = w.get('input')
    await input.trigger('focus')
    await input.setValue('11-30')
    await input.trigger('keydown', { key: 'Enter', code: 'Enter' })
    await flush()
    const emitted = w.emitted('update:modelValue') ?? []
    expect(emitted.at(-1)?.[0]).toBe(`${localToday().slice(0, 4)}-11-30`)
    // A full date typed is taken as it is.
    await input.setValue('2027-01-15')
    await flush()
    expect(w.emitted('update:modelValue')!.at(-1)?.[0]).toBe('2027-01-15')
    w.unmount()
  })
})
