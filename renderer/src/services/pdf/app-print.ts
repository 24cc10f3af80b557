/**
 * Printing as the app does it, in one place for the print preview and batch print: the render
 * request of a document from the data layer (references, audit trail) and the session (letterhead,
 * user names), and the print-log entries written once a PDF was saved or sent to the printer.
 * Call from a component's handlers (the session store must be active).
 */
import type { LoadedDoc } from '@core/ports'
import type { FormDef } from '@forms/schema/types'
import { sha256Hex } from '@core/identity'
import { backend } from '@app/stores/backend'
import { localToday, useSessionStore } from '@app/stores/session'
import { policyOf } from '@forms/schema/policy'
import { printInputFor } from './print-input'
import { mergePdfParts, renderPdf } from './pdf-client'
import type { BatchDeps } from './batch'
import type { RenderRequest } from './protocol'

/** The render request of a loaded document as its print preview renders it. */
export async function printRequestFor(form: FormDef, loaded: LoadedDoc): Promise<RenderRequest> {
  const session = useSessionStore()
  const { documents } = await backend()
  return printInputFor(loaded, {
    form, get: (f, id) => documents.get(f, id), timeline: (id) => documents.timeline(id), company: session.settings.company,
    userName: (id) => session.users.find((u) => u.id === id)?.name,
    gather: { lookup: documents, today: localToday(), policy: policyOf(session.officeSettings.policy) },
  })
}

/** Batch print of documents of `form` through the data layer and the PDF worker. */
export function appBatchDeps(form: FormDef): BatchDeps {
  return {
    load: async (id) => (await backend()).documents.load(id),
    request: (loaded) => printRequestFor(form, loaded),
    render: renderPdf,
    merge: mergePdfParts,
  }
}

/** A printed document as its print-log entry records it. */
export interface Printed { docId: string; number: string; version: number; hash8: string; pages: number }

/**
 * Logs each document of a saved or printed PDF (one entry each, with the SHA-256 of the file as
 * saved, which for a batch is the joined file); nothing without a signed-in user (then false).
 */
export async function logPrinted(printed: Printed[], pdf: Uint8Array): Promise<boolean> {
  const session = useSessionStore()
  if (!session.actor) return false
  const { documents } = await backend()
  const pdfSha256 = await sha256Hex(pdf)
  const at = new Date().toISOString()
  for (const p of printed) {
    await documents.recordPrint({
      id: crypto.randomUUID(), docId: p.docId, number: p.number, version: p.version, contentHash: p.hash8,
      pages: p.pages, pdfSha256, at, by: session.actor.userId,
    }, session.actor)
  }
  return true
}
