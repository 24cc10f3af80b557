/**
 * pdfmake in Node (0.3 server API) for the render script, the tests and the benchmark. Fonts are
 * read once from node_modules into pdfmake's virtual file system; no URL or local file is fetched
 * while a document is rendered.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import pdfmakeModule from 'pdfmake'
import type { TDocumentDefinitions } from 'pdfmake/interfaces'
import { create as openFont } from 'fontkit'
import { buildPdfDoc, pdfFontDescriptor, type PrintIdentity, type PrintInput } from '../renderer/core/pdf/build-doc'

interface PdfMakeNode {
  virtualfs: { writeFileSync(name: string, content: Uint8Array): void }
  setFonts(fonts: object): void
  setUrlAccessPolicy(cb: (url: string) => boolean): void
  setLocalAccessPolicy(cb: (path: string) => boolean): void
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> }
}
const pdfmake = pdfmakeModule as unknown as PdfMakeNode

const require = createRequire(import.meta.url)
/** The two TTF weights of Noto Sans SC in node_modules (pdf.md: TrueType subsets best). */
export const FONT_FILES = {
  normal: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
}

let covered: ((cp: number) => boolean) | undefined

/** Loads the fonts once; returns the glyph-coverage predicate of the regular weight. */
export function setupPdfmake(): (cp: number) => boolean {
  if (covered) return covered
  const normal = readFileSync(FONT_FILES.normal)
  const bold = readFileSync(FONT_FILES.bold)
  pdfmake.virtualfs.writeFileSync('NotoSansSC-Regular.ttf', normal)
  pdfmake.virtualfs.writeFileSync('NotoSansSC-Bold.ttf', bold)
  pdfmake.setFonts(pdfFontDescriptor('NotoSansSC-Regular.ttf', 'NotoSansSC-Bold.ttf'))
  // pdf.md: pdfmake fetches http(s) URLs found in a document; allow none, and no local files either.
  pdfmake.setUrlAccessPolicy(() => false)
  pdfmake.setLocalAccessPolicy(() => false)
  const font = openFont(normal)
  covered = (cp) => font.hasGlyphForCodePoint(cp)
  return covered
}

export interface NodePdf { bytes: Buffer; pages: number; identity: PrintIdentity; missingGlyphs: string[] }

/** Renders a form document to PDF bytes with the same builder the app's worker uses. */
export async function renderPdfNode(input: PrintInput): Promise<NodePdf> {
  const isCovered = setupPdfmake()
  const built = await buildPdfDoc(input, { covered: isCovered })
  const bytes = await pdfmake.createPdf(built.doc).getBuffer()
  return { bytes, pages: built.identity.pages.count, identity: built.identity, missingGlyphs: built.missingGlyphs }
}
