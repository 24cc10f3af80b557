/// <reference lib="webworker" />
/**
 * The PDF worker (pdf.md): a long-lived Web Worker running the pdfmake browser build. The two TTF
 * weights are fetched once into pdfmake's virtual file system (no base64 bundle, no http URL in a
 * document); each request gets a fresh definition from the same builder the tests use.
 */
import pdfMakeModule from 'pdfmake/build/pdfmake'
import { create as openFont } from 'fontkit'
import regularUrl from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url'
import boldUrl from '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf?url'
import type { TDocumentDefinitions } from 'pdfmake/interfaces'
import { formById } from '../../../../forms/registry'
import { buildPdfDoc, pdfFontDescriptor } from '../../../core/pdf/build-doc'
import type { RenderRequest, RenderResult, WorkerRequest, WorkerResponse } from './protocol'

interface PdfMakeBrowser {
  virtualfs: { writeFileSync(name: string, content: Uint8Array): void }
  setFonts(fonts: object): void
  setUrlAccessPolicy(cb: (url: string) => boolean): void
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Uint8Array> }
}
const pdfMake = pdfMakeModule as unknown as PdfMakeBrowser

let fontsReady: Promise<(cp: number) => boolean> | undefined

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`字体加载失败 / font not loaded: ${url} (${res.status})`)
  return new Uint8Array(await res.arrayBuffer())
}

/** Loads both weights once; resolves to the regular weight's glyph-coverage predicate. */
function loadFonts(): Promise<(cp: number) => boolean> {
  fontsReady ??= (async () => {
    const [regular, bold] = await Promise.all([fetchBytes(regularUrl), fetchBytes(boldUrl)])
    pdfMake.virtualfs.writeFileSync('NotoSansSC-Regular.ttf', regular)
    pdfMake.virtualfs.writeFileSync('NotoSansSC-Bold.ttf', bold)
    pdfMake.setFonts(pdfFontDescriptor('NotoSansSC-Regular.ttf', 'NotoSansSC-Bold.ttf'))
    // pdf.md: pdfmake fetches http(s) URLs that appear in a document; allow none.
    pdfMake.setUrlAccessPolicy(() => false)
    const font = openFont(regular)
    return (cp: number) => font.hasGlyphForCodePoint(cp)
  })()
  fontsReady.catch(() => { fontsReady = undefined }) // a failed load may be retried by the next request
  return fontsReady
}

async function render(input: RenderRequest): Promise<RenderResult> {
  const covered = await loadFonts()
  const built = await buildPdfDoc({
    form: formById(input.formId), record: input.record, refs: input.refs, lineRefs: input.lineRefs, company: input.company, released: input.released,
    ...(input.approvals ? { approvals: input.approvals } : {}),
    ...(input.users ? { users: input.users } : {}),
  }, { covered })
  const buf = await pdfMake.createPdf(built.doc).getBuffer()
  // A copy in a plain ArrayBuffer of its own, so it can be transferred without copying again.
  const bytes = new Uint8Array(buf.byteLength)
  bytes.set(buf)
  return { bytes, pages: built.identity.pages.count, hash8: built.identity.contentHash8, missingGlyphs: built.missingGlyphs }
}

const scope = self as unknown as DedicatedWorkerGlobalScope
scope.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data
  try {
    if (msg.kind === 'warmUp') {
      await loadFonts()
      scope.postMessage({ id: msg.id, ok: true } satisfies WorkerResponse)
      return
    }
    if (msg.kind === 'merge') {
      // pdf-lib is loaded on the first batch print only.
      const { mergePdfs } = await import('./merge')
      const merged = await mergePdfs(msg.input.parts, msg.input.title)
      scope.postMessage({ id: msg.id, ok: true, merged } satisfies WorkerResponse, [merged.bytes.buffer])
      return
    }
    const result = await render(msg.input)
    scope.postMessage({ id: msg.id, ok: true, result } satisfies WorkerResponse, [result.bytes.buffer])
  } catch (err) {
    scope.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse)
  }
}
