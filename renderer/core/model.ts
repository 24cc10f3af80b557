/**
 * Records as stored on every PC. Keys are UUIDs; line items, attachments and audit entries are
 * records of their own so that the sync merge works per record and per field (see sync.md).
 */
import type { Role, Values } from './vocabulary'

export type { Role } from './vocabulary'

export interface User { id: string; name: string; dept: string; roles: Role[]; active: boolean }

/** A registered 职务代理人: `proxyId` may act for `principalId` in `role` from..to (inclusive ISO dates). */
export interface ProxyGrant { id: string; principalId: string; proxyId: string; role: Role; from: string; to: string; deleted?: boolean }

/** Who did something: the user, and whom they acted for when they used a proxy grant. */
export interface Actor { userId: string; name: string; actingFor?: { userId: string; name: string; role: Role } }

export interface DocRecord {
  id: string
  form: string
  number: string
  state: string
  version: number
  values: Values
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
  deleted?: boolean
}

export interface LineRecord {
  id: string
  docId: string
  field: string
  /** Sort key within the document's lines field. */
  seq: number
  values: Values
  deleted?: boolean
}

export interface AttachmentRecord {
  id: string
  docId: string
  /** SHA-256 hex of the bytes as received; the blob is stored once under this hash. */
  hash: string
  name: string
  mime: string
  size: number
  kind: 'signedScan' | 'file'
  /** The form's attachment field it belongs to (none: attached to the whole document, as signed scans). */
  field?: string
  /** For signed scans: the version the scan was printed from. */
  version?: number
  importedAt: string
  importedBy: string
  deleted?: boolean
}

export interface BlobRecord { hash: string; bytes: Uint8Array; size: number }

export interface FieldChange { field: string; from: unknown; to: unknown }

export interface AuditEntry {
  id: string
  docId: string
  at: string
  actor: Actor
  /** create | update | transition:<id> | print | import | revise | delete */
  action: string
  comment?: string
  changes: FieldChange[]
  /** The document's form, for entries about a document (the signature then covers it). */
  form?: string
  /** The signer's local date when it was made: a proxy grant's window is in office days. */
  day?: string
  /** The signing profile's device id and this entry's number in that device's chain (1, 2, …). */
  dev?: string
  n?: number
  /** Chain hash of the device's previous audit entry ('' for its first): a removed entry breaks the chain. */
  prev?: string
  /** Directory entries the signer's PC held (highest number per device): the rights it was judged by. */
  view?: Record<string, number>
  /** The actor's Ed25519 signature over the rest (core/trust/sign.ts). */
  sig?: string
}

/** A frozen copy of a document as it was at a version (printed, approved). */
export interface VersionSnapshot { id: string; docId: string; version: number; values: Values; lines: Record<string, Array<{ id: string; values: Values }>>; at: string }

/** One change to send to the other PCs (written in the same transaction as the business write). */
export interface OutboxRow {
  seq?: number
  table: string
  key: string
  op: 'put' | 'delete'
  /** Changed fields with their new values (the whole record for a create). */
  fields: Record<string, unknown>
  at: string
  exported: 0 | 1
}

export interface PrintLogEntry { id: string; docId: string; number: string; version: number; contentHash: string; pages: number; pdfSha256: string; at: string; by: string }

export interface Settings {
  company: { name: string; address: string; phone: string }
  pcCode: string
  /** UI language of this PC (local, not synced); zh-CN when unset. */
  language?: 'zh-CN' | 'en'
}
