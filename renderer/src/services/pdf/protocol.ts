/** Messages between the PDF client and its worker: plain JSON data only (functions do not cross). */
import type { PrintCompany, PrintRecord, PrintedRef } from '../../../core/pdf/printed'
import type { PrintApprovals } from '../../../core/pdf/approvals'
import type { Values } from '../../../../forms/schema/types'

/** What the UI sends to render one document; the worker looks the form up by id. */
export interface RenderRequest {
  formId: string
  record: PrintRecord
  refs: Record<string, PrintedRef | undefined>
  /** Records picked in line reference columns, by `<lines>.<column>` and record id. */
  lineRefs: Record<string, Record<string, { values: Values; number?: string } | undefined>>
  company: PrintCompany
  released: boolean
  /** Who made and approved the current version (approvalsFromAudit), for the form's approvals block. */
  approvals?: PrintApprovals
  /** Names of the users the document's user fields name (业务员, 研发工程师), by id. */
  users?: Record<string, string>
}

/** The rendered PDF: bytes, page count, the printed content hash, characters the font lacks. */
export interface RenderResult { bytes: Uint8Array; pages: number; hash8: string; missingGlyphs: string[] }

/** Separately rendered PDFs to join into one file (batch print), with the joined file's title. */
export interface MergeRequest { parts: Uint8Array[]; title: string }

/**
 * Warm-up: load the fonts, then print a throwaway document of `formId` (or of the first printable
 * form) so the engine is compiled and the fonts decoded before the first real print.
 */
export interface WarmUpRequest { formId?: string }

/** What a warm-up cost in the worker (ms) and whether the parsed fonts are now shared across documents. */
export interface WarmUpResult { fontsMs: number; renderMs: number; sharedFonts: boolean }

export type WorkerCall = { kind: 'render'; input: RenderRequest } | { kind: 'merge'; input: MergeRequest } | { kind: 'warmUp'; input?: WarmUpRequest }
export type WorkerRequest = WorkerCall & { id: number }
export type WorkerResponse =
  | { id: number; ok: true; result?: RenderResult; merged?: { bytes: Uint8Array; pages: number }; warmed?: WarmUpResult }
  | { id: number; ok: false; error: string }
