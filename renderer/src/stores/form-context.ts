/**
 * Provides the generic form's FormContext (reference search, reference labels, attachments) from
 * the documents store: the one place a page wires it, so every page that shows a form gets the same.
 */
import { provide } from 'vue'
import { FORM_CONTEXT, type FormContext } from '@app/components/context'
import { openBytes } from '@app/services/platform'
import { formById } from '@forms/registry'
import { refSourceOf, useDocumentsStore } from './documents'
import { useSessionStore } from './session'

/** Call in a page's setup before it renders a FormRenderer or a field component. */
export function provideFormContext(): FormContext {
  const docs = useDocumentsStore()
  const session = useSessionStore()
  const context: FormContext = {
    searchRefs: (form, text) => docs.searchRefs(form, text),
    refLabel: (form, id) => docs.refLabel(form, id),
    refSource: async (form, id) => {
      const loaded = await docs.load(id)
      if (!loaded || loaded.doc.form !== form || loaded.doc.deleted) return undefined
      return refSourceOf(formById(form), loaded)
    },
    recall: (q) => docs.recall(q),
    attachments: (id) => docs.attachments(id),
    users: (roles) => session.users.filter((u) => u.active && (!roles?.length || u.roles.some((r) => roles.includes(r)))).map((u) => ({ id: u.id, name: u.name })),
    me: () => (session.user ? { id: session.user.id, name: session.user.name, roles: session.roles.map((h) => h.role) } : undefined),
    gather: (form, data, self) => docs.gather(form, data, self),
    addAttachment: (docId, field, file) => docs.attachToField(docId, field, file),
    openAttachment: async (a) => { const b = await docs.readBlob(a.hash); if (b) openBytes(b, a.mime) },
  }
  provide(FORM_CONTEXT, context)
  return context
}
