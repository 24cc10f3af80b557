/**
 * Ports: what the domain needs from storage and the platform. Adapters (Dexie, the Electron
 * bridge, the shared folder) implement them and are injected; core code never imports them.
 */
import type { Actor, AttachmentRecord, AuditEntry, DocRecord, LineRecord, PrintLogEntry, ProxyGrant, Settings, User, VersionSnapshot } from './model'
import type { FormData, RecordLookup } from '../../forms/schema/types'
import type { TransitionInput } from './workflow'
import type { ListQuery } from './list-query'

export type { ListQuery, ListFilters, ListSort } from './list-query'

/** A document with its line rows, as the edit screen loads and saves it. */
export interface LoadedDoc { doc: DocRecord; lines: LineRecord[] }

export interface DocumentStore extends RecordLookup {
  /** Create a document: allocates its number, writes doc + lines + audit + outbox in one transaction. */
  create(form: string, data: FormData, actor: Actor): Promise<LoadedDoc>
  /** Save edited values/lines; writes the field-level audit and outbox rows in the same transaction. */
  update(id: string, data: FormData, actor: Actor): Promise<LoadedDoc>
  /** Apply a workflow transition (already checked by the workflow engine) with its comment. */
  transition(id: string, transitionId: string, to: string, sets: FormData['values'], actor: Actor, comment?: string, input?: TransitionInput): Promise<LoadedDoc>
  load(id: string): Promise<LoadedDoc | undefined>
  /**
   * One page of a form's live documents matching `query` (words found anywhere in the number, the
   * title and the searched fields, filters, sort; newest change first by default) and how many match.
   * `partial`: the full-text digest was still being built, so words matched only from their start.
   */
  list(form: string, query: ListQuery & { limit?: number; offset?: number }): Promise<{ rows: DocRecord[]; total: number; more?: boolean; partial?: boolean }>
  /** Every live document matching `query`, in the list's order (no paging): what an export writes. */
  listAll(form: string, query: ListQuery): Promise<DocRecord[]>
  timeline(docId: string): Promise<AuditEntry[]>
  snapshot(docId: string, version: number): Promise<VersionSnapshot | undefined>
  attachments(docId: string): Promise<AttachmentRecord[]>
  logPrint(entry: PrintLogEntry): Promise<void>
}

export interface DirectoryStore {
  users(): Promise<User[]>
  proxies(): Promise<ProxyGrant[]>
  settings(): Promise<Settings>
}
