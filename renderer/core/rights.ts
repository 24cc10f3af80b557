/**
 * Per-section edit rights (ERPNext's per-role field permissions, declared per section): who may
 * change which fields in which state. Pure; the data layer refuses a save that breaks them and the
 * edit screen shows those fields read-only.
 */
import type { FormDef, Label, Role, SectionDef } from '../../forms/schema/types'
import { isEditable } from './workflow'

/** The section a field is shown in (its `section`, else the form's first). */
export function sectionOf(form: FormDef, key: string): SectionDef | undefined {
  const f = form.fields.find((x) => x.key === key)
  const name = f?.section ?? form.sections[0]?.key
  return form.sections.find((s) => s.key === name)
}

/** May a holder of `roles` change field `key` of a document in `state`? */
export function mayEditField(form: FormDef, key: string, state: string, roles: readonly Role[]): boolean {
  const edit = sectionOf(form, key)?.edit
  if (!edit) return isEditable(form, state)
  if (!edit.roles.some((r) => roles.includes(r))) return false
  return edit.states ? edit.states.includes(state) : isEditable(form, state)
}

/** Fields that may be edited at all in `state` by someone (the state is editable, or a section opens it). */
export function stateOpensFields(form: FormDef, state: string): boolean {
  return isEditable(form, state) || form.sections.some((s) => s.edit?.states?.includes(state))
}

/** Why a save changing `keys` is refused for these roles in this state, or null when it is allowed. */
export function editRefusal(form: FormDef, state: string, roles: readonly Role[], keys: Iterable<string>): Label | null {
  const barred: string[] = []
  for (const key of new Set(keys)) {
    if (mayEditField(form, key, state, roles)) continue
    const f = form.fields.find((x) => x.key === key)
    barred.push(f ? f.label.zh : key)
  }
  if (barred.length === 0) return null
  return {
    zh: `您无权在当前状态修改：${barred.join('、')}。请交由有权限的同事修改`,
    en: `You may not change ${barred.length} field(s) in this state; ask a colleague who may`,
  }
}
