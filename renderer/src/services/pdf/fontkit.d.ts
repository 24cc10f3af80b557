/** The part of fontkit 2 (a pdfkit dependency) used to check glyph coverage before printing. */
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font
}
