// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { makeI18n, useT } from '@app/locales'

/** The basis line under a rule's message, as a component renders it. */
function render(note: { rule?: string; clause?: string }, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const Probe = defineComponent({ setup() { const { basis } = useT(); return () => h('div', basis(note)) } })
  return mount(Probe, { global: { plugins: [makeI18n(locale)] } }).text()
}

describe('the basis line (依据 …) under a rule\'s message', () => {
  it('names the clause and the rule id, and only the clause where the rule has no id (no empty brackets)', () => {
    expect(render({ rule: 'R14', clause: '§5.7.2' })).toBe('依据 §5.7.2（R14）')
    expect(render({ rule: '', clause: '§5.9' })).toBe('依据 §5.9')
    expect(render({ rule: '', clause: '§5.9' }, 'en')).toBe('Per §5.9')
    expect(render({ rule: '', clause: '' })).toBe('')
  })
})
