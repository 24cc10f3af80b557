/**
 * One parsed font per file for every document a long-lived pdfmake renders (issue 9).
 *
 * pdfmake gives each document a fresh pdfkit document, and pdfkit opens every font it meets with
 * `fontkit.create(bytes)`: a new fontkit font per document and weight. fontkit decodes tables
 * lazily and caches them, the glyphs, the cmap lookups and the OpenType layout engine on that font
 * object, so every document decoded the 10 MB Noto Sans SC again: `loca` (30,898 glyph offsets),
 * GSUB, the layout engine, every glyph's metrics and outline box. A CPU profile of 50 quotations in
 * one process put about half the time there (docs/performance.md, "Batch print (issue 9)").
 *
 * pdfkit offers no way to hand it a parsed font, so this hooks the one place it keeps it: its
 * `EmbeddedFont` constructor assigns `this.font = fontkitFont`. An accessor on EmbeddedFont's
 * prototype receives that assignment and keeps, instead of the document's freshly opened copy, the
 * first font opened from the same bytes (the bytes pdfmake's virtual file system hands out each
 * time). Only the parsed font is shared; each document keeps its own EmbeddedFont, subset,
 * widths, ToUnicode map and layout cache, so every PDF embeds its own subset exactly as before.
 * fontkit fonts are read-only apart from their caches, and pdfmake renders one document at a time
 * in one thread. Plain TypeScript: it runs in the PDF worker and in Node tests alike.
 */

/** The parts of a fontkit font this needs: where its bytes came from. */
interface FontkitFont { stream?: { buffer?: unknown } }
/** The parts of a pdfkit document this needs: the fonts it has opened, by name. */
interface PdfkitDoc { _fontFamilies?: Record<string, { font?: FontkitFont } | undefined> }

const OWN = Symbol('md.fontkitFont')
type Embedded = { [OWN]?: FontkitFont }

/** The font files whose parsed fonts are shared, and the first font parsed from each. */
const files = new Set<unknown>()
const parsed = new Map<unknown, FontkitFont>()
const hooked = new WeakSet<object>()

/** The shared font opened from `bytes`, if one was: keeps the first, hands it out ever after. */
function sharedFor(font: FontkitFont): FontkitFont {
  const bytes = font?.stream?.buffer
  if (!files.has(bytes)) return font
  const first = parsed.get(bytes)
  if (first) return first
  parsed.set(bytes, font)
  return font
}

/**
 * Shares the fonts opened from `fontFiles` (the very byte arrays given to pdfmake's virtual file
 * system) across all later documents, starting with the ones `doc` opened: `doc` is a pdfkit
 * document pdfmake has laid out (`createPdf(…).getStream()`). Returns whether the fonts are now
 * shared; false, and nothing changed, when pdfkit does not look as expected: every document then
 * keeps parsing its own copy, as pdfkit does by itself.
 */
export function shareFontsOf(doc: unknown, fontFiles: readonly Uint8Array[]): boolean {
  const families = (doc as PdfkitDoc | null)?._fontFamilies
  if (!families) return false
  for (const f of fontFiles) files.add(f)
  let proto: object | undefined
  for (const embedded of Object.values(families)) {
    const font = embedded?.font
    if (!embedded || !font || !files.has(font.stream?.buffer)) continue
    sharedFor(font)
    proto ??= Object.getPrototypeOf(embedded) as object
  }
  if (!proto) return false
  if (hooked.has(proto)) return true
  // pdfkit changed if something already defines `font` there: leave it alone.
  if (Object.getOwnPropertyDescriptor(proto, 'font')) return false
  Object.defineProperty(proto, 'font', {
    configurable: true,
    get(this: Embedded) { return this[OWN] },
    set(this: Embedded, font: FontkitFont) { this[OWN] = sharedFor(font) },
  })
  hooked.add(proto)
  return true
}

/** The shared parsed font of `bytes` (a fontkit font), once a document has opened it. */
export function sharedFont<T>(bytes: Uint8Array): T | undefined {
  return parsed.get(bytes) as T | undefined
}
