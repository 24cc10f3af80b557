/**
 * What the generic form needs from outside for reference and attachment fields, injected so the
 * FormRenderer stays independent of the stores (and testable without a database).
 */
import type { InjectionKey } from 'vue'
import type { AttachmentRecord, Role } from '@core/model'
import type { FormData, FormDef, RefSource } from '@forms/schema/types'
import type { RecallEntry, RecallQuery } from '@core/recall'

export interface RefOption { id: string; label: string }

export interface FormContext {
  /** Records of `form` matching `text` (name, number, pinyin initials). */
  searchRefs(form: string, text: string): Promise<RefOption[]>
  /** The display label of one referenced record. */
  refLabel(form: string, id: string): Promise<string | undefined>
  /** One referenced record's values and line rows, for a reference field's `fill` (undefined: gone). */
  refSource?(form: string, id: string): Promise<RefSource | undefined>
  attachments(docId: string): Promise<AttachmentRecord[]>
  openAttachment(att: AttachmentRecord): Promise<void>
  /**
   * What a reference column recalls for the records picked in the lines (a customer's last prices
   * per product): per id, newest first; an id never found maps to an empty list.
   */
  recall?(q: RecallQuery): Promise<Record<string, RecallEntry[]>>
  /** Active users of the office directory holding one of `roles` (all active users without). */
  users?(roles?: Role[]): Array<{ id: string; name: string }>
  /** The signed-in user and the roles they hold now (a person field with `ownUnless` offers them only themselves). */
  me?(): { id: string; name: string; roles: Role[] } | undefined
  /** The data with its gathered part (GatherDef) computed from the records stored now. */
  gather?(form: FormDef, data: FormData, self?: string): Promise<FormData>
  /** Attaches a file to a saved document's attachment field; returns the field's new count, or 'duplicate'. */
  addAttachment?(docId: string, field: string, file: { name: string; mime: string; bytes: Uint8Array }): Promise<number | 'duplicate'>
}

export const FORM_CONTEXT: InjectionKey<FormContext> = Symbol('FormContext')
export const DOC_ID: InjectionKey<() => string | undefined> = Symbol('DocId')
