/**
 * Glyph coverage: the font prints a character it lacks as a blank, with no warning (pdf.md), so
 * the text is checked before printing. Reading the font is the caller's job (fontkit in the
 * worker or the Node script); the core only receives a predicate.
 */

/** Characters that take no glyph of their own (line breaks, tabs, joiners, variation selectors). */
function isLayoutOnly(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x200b || cp === 0x200c || cp === 0x200d
    || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff
}

/** The distinct characters of `text` the font does not cover, in order of first appearance. */
export function missingGlyphs(text: string, covered: (cp: number) => boolean): string[] {
  const missing: string[] = []
  const seen = new Set<number>()
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if (seen.has(cp) || isLayoutOnly(cp)) continue
    seen.add(cp)
    if (!covered(cp)) missing.push(ch)
  }
  return missing
}
