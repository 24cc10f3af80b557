/**
 * Batch print (issue 9): several documents of one form as ONE PDF. Each document is rendered alone
 * exactly as its print preview renders it (its own request, QR, page numbering, draft watermark
 * until released), then the parts are joined page by page. The caller supplies how a document is
 * loaded, turned into a render request, rendered and joined (the app: Dexie + the PDF worker; the
 * tests: fixtures + pdfmake in Node), so this file holds only the order, progress and cancelling.
 */
import type { LoadedDoc } from '@core/ports'
import type { RenderRequest, RenderResult } from './protocol'
import type { MergedPdf } from './merge'

/** What a batch needs from its surroundings. */
export interface BatchDeps {
  load(id: string): Promise<LoadedDoc | undefined>
  /** The render request of one loaded document (the app: printRequestFor, the same as the preview's). */
  request(loaded: LoadedDoc): Promise<RenderRequest>
  render(input: RenderRequest): Promise<RenderResult>
  merge(parts: Uint8Array[], title: string): Promise<MergedPdf>
}

/** Progress after each rendered document: `done` of `total`, and the number just rendered. */
export interface BatchProgress { done: number; total: number; number?: string }

export interface BatchOptions {
  /** Title of the joined file. */
  title: string
  signal?: AbortSignal
  onProgress?(p: BatchProgress): void
}

/** One document of the batch as printed: what its print-log entry records. */
export interface BatchDoc { docId: string; number: string; version: number; released: boolean; pages: number; hash8: string; missingGlyphs: string[] }

/** The joined PDF, the documents in it (in order) and the ids that could no longer be found. */
export interface BatchResult { bytes: Uint8Array; pages: number; docs: BatchDoc[]; notFound: string[] }

/** Thrown when the clerk cancelled; nothing is returned and nothing was logged. */
export class BatchCancelled extends Error {
  constructor() {
    super('已取消 / cancelled')
    this.name = 'BatchCancelled'
  }
}

type Prepared = { id: string; loaded?: LoadedDoc; input?: RenderRequest }

/**
 * Renders `ids` in the given order, one document at a time, preparing the next one's request while
 * the current one renders. Cancelling returns at once (BatchCancelled); a document deleted since it
 * was selected is left out and named in `notFound`.
 */
export async function printBatch(ids: readonly string[], deps: BatchDeps, opts: BatchOptions): Promise<BatchResult> {
  const { signal } = opts
  const total = ids.length
  const prepare = async (id: string): Promise<Prepared> => {
    const loaded = await deps.load(id)
    return loaded ? { id, loaded, input: await deps.request(loaded) } : { id }
  }
  const parts: Uint8Array[] = []
  const docs: BatchDoc[] = []
  const notFound: string[] = []
  let next: Promise<Prepared> | undefined = total ? prepare(ids[0]!) : undefined
  try {
    for (let i = 0; i < total; i++) {
      const cur = await abortable(next!, signal)
      next = i + 1 < total ? prepare(ids[i + 1]!) : undefined
      if (cur.loaded && cur.input) {
        const out = await abortable(deps.render(cur.input), signal)
        const { doc } = cur.loaded
        parts.push(out.bytes)
        docs.push({ docId: doc.id, number: doc.number, version: doc.version, released: cur.input.released, pages: out.pages, hash8: out.hash8, missingGlyphs: out.missingGlyphs })
        opts.onProgress?.({ done: i + 1, total, number: doc.number })
      } else {
        notFound.push(cur.id)
        opts.onProgress?.({ done: i + 1, total })
      }
    }
  } finally {
    // A request still being prepared when the loop ends early must not surface as an unhandled rejection.
    next?.catch(() => undefined)
  }
  if (parts.length === 0) return { bytes: new Uint8Array(), pages: 0, docs, notFound }
  const merged = await abortable(deps.merge(parts, opts.title), signal)
  return { bytes: merged.bytes, pages: merged.pages, docs, notFound }
}

/** Resolves as `p`, or rejects with BatchCancelled as soon as `signal` aborts (the work itself finishes unseen). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p
  if (signal.aborted) { p.catch(() => undefined); return Promise.reject(new BatchCancelled()) }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => { p.catch(() => undefined); reject(new BatchCancelled()) }
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v) },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e instanceof Error ? e : new Error(String(e))) },
    )
  })
}
