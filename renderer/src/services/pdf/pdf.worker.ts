/// <reference lib="webworker" />
/**
 * The PDF worker (pdf.md): a long-lived Web Worker running the pdfmake browser build. The two TTF
 * weights are fetched once into pdfmake's virtual file system (no base64 bundle, no http URL in a
 * document); each request gets a fresh definition from the same builder the tests use.
 *
 * Issue 9: the fonts are parsed once for all documents (shared-fonts.ts), and a warm-up prints a
 * throwaway document (warm-up.ts) so the first real print meets compiled code and decoded fonts.
 */
import pdfMakeModule from 'pdfmake/build/pdfmake'
import { create as openFont } from 'fontkit'
import regularUrl from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url'
import boldUrl from '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf?url'
import type { TDocumentDefinitions } from 'pdfmake/interfaces'
import { formById, forms } from '../../../../forms/registry'
import { buildPdfDoc, pdfFontDescriptor } from '../../../core/pdf/build-doc'
import { shareFontsOf, sharedFont } from './shared-fonts'
import { warmUpInput } from './warm-up'
import type { RenderRequest, RenderResult, WarmUpRequest, WarmUpResult, WorkerRequest, WorkerResponse } from './protocol'

interface PdfMakeBrowser {
  virtualfs: { writeFileSync(name: string, content: Uint8Array): void }
  setFonts(fonts: object): void
  setUrlAccessPolicy(cb: (url: string) => boolean): void
  createPdf(doc: TDocumentDefinitions): { getStream(): Promise<unknown>; getBuffer(): Promise<Uint8Array> }
}
const pdfMake = pdfMakeModule as unknown as PdfMakeBrowser

/** The two weights as given to pdfmake's virtual file system (the same arrays it hands pdfkit), and what loading them took. */
interface Fonts { regular: Uint8Array; bold: Uint8Array; ms: number }
type Coverage = (cp: number) => boolean
interface FontkitFont { hasGlyphForCodePoint(cp: number): boolean }

let fontsReady: Promise<Fonts> | undefined
let fontsShared = false
let ownCoverage: Coverage | undefined
let warmed: Promise<WarmUpResult> | undefined

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`字体加载失败 / font not loaded: ${url} (${res.status})`)
  return new Uint8Array(await res.arrayBuffer())
}

/** Loads both weights once. */
function loadFonts(): Promise<Fonts> {
  fontsReady ??= (async () => {
    const t0 = performance.now()
    const [regular, bold] = await Promise.all([fetchBytes(regularUrl), fetchBytes(boldUrl)])
    pdfMake.virtualfs.writeFileSync('NotoSansSC-Regular.ttf', regular)
    pdfMake.virtualfs.writeFileSync('NotoSansSC-Bold.ttf', bold)
    pdfMake.setFonts(pdfFontDescriptor('NotoSansSC-Regular.ttf', 'NotoSansSC-Bold.ttf'))
    // pdf.md: pdfmake fetches http(s) URLs that appear in a document; allow none.
    pdfMake.setUrlAccessPolicy(() => false)
    return { regular, bold, ms: performance.now() - t0 }
  })()
  fontsReady.catch(() => { fontsReady = undefined }) // a failed load may be retried by the next request
  return fontsReady
}

/** The regular weight's glyph coverage: the shared parsed font once there is one, else a copy of its own. */
function coverage(fonts: Fonts): Coverage {
  const shared = sharedFont<FontkitFont>(fonts.regular)
  if (shared) return (cp) => shared.hasGlyphForCodePoint(cp)
  if (!ownCoverage) {
    const font = openFont(fonts.regular)
    ownCoverage = (cp) => font.hasGlyphForCodePoint(cp)
  }
  return ownCoverage
}

/** Lays out and writes one definition; the first document's fonts become the shared ones. */
async function pdfBytes(doc: TDocumentDefinitions, fonts: Fonts): Promise<Uint8Array> {
  const out = pdfMake.createPdf(doc)
  if (!fontsShared) fontsShared = shareFontsOf(await out.getStream(), [fonts.regular, fonts.bold])
  return out.getBuffer()
}

async function render(input: RenderRequest): Promise<RenderResult> {
  const fonts = await loadFonts()
  const built = await buildPdfDoc({
    form: formById(input.formId), record: input.record, refs: input.refs, lineRefs: input.lineRefs, company: input.company, released: input.released,
    ...(input.approvals ? { approvals: input.approvals } : {}),
    ...(input.users ? { users: input.users } : {}),
  }, { covered: coverage(fonts) })
  const buf = await pdfBytes(built.doc, fonts)
  // A copy in a plain ArrayBuffer of its own, so it can be transferred without copying again.
  const bytes = new Uint8Array(buf.byteLength)
  bytes.set(buf)
  return { bytes, pages: built.identity.pages.count, hash8: built.identity.contentHash8, missingGlyphs: built.missingGlyphs }
}

/** Loads the fonts and prints one throwaway document, once per worker; later calls get the first one's figures. */
function warmUp(req: WarmUpRequest | undefined): Promise<WarmUpResult> {
  warmed ??= (async () => {
    const fonts = await loadFonts()
    const t0 = performance.now()
    const form = (req?.formId ? forms.find((f) => f.id === req.formId && f.print) : undefined) ?? forms.find((f) => f.print)
    if (form) await pdfBytes((await buildPdfDoc(warmUpInput(form))).doc, fonts)
    return { fontsMs: fonts.ms, renderMs: performance.now() - t0, sharedFonts: fontsShared }
  })()
  warmed.catch(() => { warmed = undefined })
  return warmed
}

const scope = self as unknown as DedicatedWorkerGlobalScope
scope.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data
  try {
    if (msg.kind === 'warmUp') {
      const warmedUp = await warmUp(msg.input)
      scope.postMessage({ id: msg.id, ok: true, warmed: warmedUp } satisfies WorkerResponse)
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
