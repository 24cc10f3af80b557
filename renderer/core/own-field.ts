/**
 * Documents that belong to one person (a salesperson's own forecast, visit record or commission
 * slip): a `user` field with `ownUnless` (forms/schema/types.ts). Pure; the data layer refuses a save
 * and the workflow a transition that breaks it, and the field offers only oneself to the others.
 */
import type { FormDef, Label, Role, Values } from '../../forms/schema/types'

/**
 * Why `user` may not save or act on a document with these values: a `user` field with `ownUnless`
 * names somebody else while `user` holds none of those roles (a salesperson filing a colleague's
 * forecast). Null when allowed; an empty field is allowed (required-ness is validation's).
 */
export function ownFieldRefusal(form: FormDef, values: Values, user: { id: string; roles: readonly Role[] }): Label | null {
  for (const f of form.fields) {
    if (f.type !== 'user' || !f.ownUnless?.length) continue
    const v = values[f.key]
    if (typeof v !== 'string' || v === '' || v === user.id) continue
    if (f.ownUnless.some((r) => user.roles.includes(r))) continue
    return {
      zh: `您只能办理本人的${form.title.zh}：“${f.label.zh}”须是您自己。替同事办理，请交给有权代办的客服助理或主管`,
      en: `You may only handle your own ${form.title.en.toLowerCase()}: ${f.label.en} must be you. A colleague who may file it for others (CS or a manager) can do it`,
    }
  }
  return null
}

