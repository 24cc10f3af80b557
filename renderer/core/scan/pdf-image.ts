/**
 * A scanner's PDF page read as what it is: one JPEG drawn over the whole page (issue 7).
 *
 * pdf.js decodes a page's JPEG in JavaScript at full size before drawing it at the render size
 * (a 300-dpi A4 colour page: ~0.4–1 s). When a page is exactly one baseline/progressive JPEG
 * image drawn over the page, its bytes can instead go to the platform's native decoder and be
 * scaled straight to the render size (createImageBitmap in the worker, Skia in Node), giving the
 * same pixels pdf.js would draw. Anything else — text or vector drawing on the page, a mask,
 * a Decode array, CMYK, another filter, a rotated page, object streams, a damaged xref — is not
 * recognised here (null) and the page is rendered by pdf.js as before.
 *
 * A minimal reader of PDF objects (ISO 32000-1 §7.3, §7.5): the classic cross-reference table and
 * its /Prev chain, direct objects, Flate-compressed content streams. Pure: no pdf.js, no DOM.
 */
import { unzlibSync } from 'fflate'

/**
 * The JPEG of a page, the image's pixel size (from its SOF header, equal to the dictionary's) and
 * where it lies on the page: left, top, width, height in points from the visible page's top-left.
 */
export interface PageJpeg { bytes: Uint8Array; width: number; height: number; components: 1 | 3; box: [number, number, number, number] }

/** A page reference as pdf.js gives it (`PDFPageProxy.ref`). */
export interface PageRef { num: number; gen: number }

type PdfValue = number | boolean | null | string | Name | Ref | PdfValue[] | Dict
class Name { constructor(readonly name: string) {} }
class Ref { constructor(readonly num: number, readonly gen: number) {} }
type Dict = Map<string, PdfValue>
interface PdfObject { value: PdfValue; stream?: { start: number } }

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20])
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25])
const MAX_CONTENT_BYTES = 64 * 1024
const MAX_DEPTH = 32

class Lexer {
  constructor(readonly b: Uint8Array, public pos = 0) {}

  skipWs(): void {
    const b = this.b
    while (this.pos < b.length) {
      const c = b[this.pos]!
      if (WS.has(c)) this.pos++
      else if (c === 0x25) { while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++ }
      else break
    }
  }

  /** The next token: a number, a name, a keyword, a delimiter, a string's text. */
  token(): { kind: 'num' | 'name' | 'kw' | 'str' | 'delim'; text: string } | null {
    this.skipWs()
    const b = this.b
    if (this.pos >= b.length) return null
    const c = b[this.pos]!
    if (c === 0x2f) { // /Name
      let end = this.pos + 1
      while (end < b.length && !WS.has(b[end]!) && !DELIM.has(b[end]!)) end++
      const text = latin1(b, this.pos + 1, end).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      this.pos = end
      return { kind: 'name', text }
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) { this.pos += 2; return { kind: 'delim', text: '<<' } }
    if (c === 0x3e && b[this.pos + 1] === 0x3e) { this.pos += 2; return { kind: 'delim', text: '>>' } }
    if (c === 0x5b || c === 0x5d) { this.pos++; return { kind: 'delim', text: String.fromCharCode(c) } }
    if (c === 0x28) { // (literal string), nested parentheses and escapes
      let depth = 0, end = this.pos
      for (; end < b.length; end++) {
        const d = b[end]!
        if (d === 0x5c) { end++; continue }
        if (d === 0x28) depth++
        else if (d === 0x29 && --depth === 0) break
      }
      if (end >= b.length) throw new Error('unterminated string')
      const text = latin1(b, this.pos + 1, end)
      this.pos = end + 1
      return { kind: 'str', text }
    }
    if (c === 0x3c) { // <hex string>
      const end = b.indexOf(0x3e, this.pos)
      if (end < 0) throw new Error('unterminated hex string')
      const text = latin1(b, this.pos + 1, end)
      this.pos = end + 1
      return { kind: 'str', text }
    }
    if (DELIM.has(c)) throw new Error(`unexpected ${String.fromCharCode(c)}`)
    let end = this.pos
    while (end < b.length && !WS.has(b[end]!) && !DELIM.has(b[end]!)) end++
    const text = latin1(b, this.pos, end)
    this.pos = end
    return { kind: /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? 'num' : 'kw', text }
  }

  /** One value; `N G R` references are recognised. */
  value(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw new Error('nested too deep')
    const t = this.token()
    if (!t) throw new Error('unexpected end')
    if (t.kind === 'name') return new Name(t.text)
    if (t.kind === 'str') return t.text
    if (t.kind === 'num') {
      // A reference is "num gen R": look ahead without consuming otherwise.
      const save = this.pos
      const g = this.token()
      if (g?.kind === 'num' && /^\d+$/.test(t.text) && /^\d+$/.test(g.text)) {
        const r = this.token()
        if (r?.kind === 'kw' && r.text === 'R') return new Ref(Number(t.text), Number(g.text))
      }
      this.pos = save
      return Number(t.text)
    }
    if (t.text === '[') {
      const out: PdfValue[] = []
      for (;;) {
        this.skipWs()
        if (this.b[this.pos] === 0x5d) { this.pos++; return out }
        out.push(this.value(depth + 1))
      }
    }
    if (t.text === '<<') {
      const out: Dict = new Map()
      for (;;) {
        const k = this.token()
        if (!k) throw new Error('unterminated dictionary')
        if (k.text === '>>' && k.kind === 'delim') return out
        if (k.kind !== 'name') throw new Error('dictionary key is not a name')
        out.set(k.text, this.value(depth + 1))
      }
    }
    if (t.kind === 'kw') {
      if (t.text === 'true') return true
      if (t.text === 'false') return false
      if (t.text === 'null') return null
    }
    throw new Error(`unexpected ${t.text}`)
  }
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!)
  return s
}

/** The object reader over one file's bytes: classic xref tables only (else `open` gives null). */
export class PdfObjects {
  private readonly offsets = new Map<number, { offset: number; gen: number }>()

  private constructor(private readonly b: Uint8Array) {}

  /** Reads the cross-reference table(s); null when the file has none this reader understands. */
  static open(bytes: Uint8Array): PdfObjects | null {
    try {
      const pdf = new PdfObjects(bytes)
      const tail = latin1(bytes, Math.max(0, bytes.length - 1024), bytes.length)
      const m = /startxref\s+(\d+)\s*%%EOF[\s\S]*$/.exec(tail) ?? /startxref\s+(\d+)/.exec(tail)
      if (!m) return null
      let at: number | null = Number(m[1])
      const seen = new Set<number>()
      while (at !== null) {
        if (seen.has(at) || seen.size > 64) return null
        seen.add(at)
        at = pdf.readXrefTable(at)
      }
      return pdf.offsets.size ? pdf : null
    } catch {
      return null
    }
  }

  /** One xref section and its trailer; the trailer's /Prev (an older section) or null. */
  private readXrefTable(at: number): number | null {
    const lx = new Lexer(this.b, at)
    const head = lx.token()
    if (head?.text !== 'xref') throw new Error('not a classic xref table') // xref streams: not read
    for (;;) {
      const t = lx.token()
      if (!t) throw new Error('xref without trailer')
      if (t.kind === 'kw' && t.text === 'trailer') break
      const count = lx.token()
      if (t.kind !== 'num' || count?.kind !== 'num') throw new Error('bad xref subsection')
      const first = Number(t.text)
      for (let i = 0; i < Number(count.text); i++) {
        const off = lx.token(), gen = lx.token(), kind = lx.token()
        if (off?.kind !== 'num' || gen?.kind !== 'num' || !kind) throw new Error('bad xref entry')
        const num = first + i
        // Newer sections are read first: an entry already known wins.
        if (!this.offsets.has(num) && kind.text === 'n') this.offsets.set(num, { offset: Number(off.text), gen: Number(gen.text) })
        else if (!this.offsets.has(num) && kind.text === 'f') this.offsets.set(num, { offset: -1, gen: Number(gen.text) })
      }
    }
    const trailer = lx.value()
    if (!(trailer instanceof Map)) throw new Error('bad trailer')
    if (trailer.has('XRefStm')) throw new Error('hybrid xref') // objects in streams: not read
    const prev = trailer.get('Prev')
    return typeof prev === 'number' ? prev : null
  }

  /** The object `num gen`, checked against its header; null when absent or free. */
  private object(num: number, gen: number): PdfObject | null {
    const e = this.offsets.get(num)
    if (!e || e.offset < 0 || e.gen !== gen) return null
    const lx = new Lexer(this.b, e.offset)
    const n = lx.token(), g = lx.token(), o = lx.token()
    if (n?.text !== String(num) || g?.text !== String(gen) || o?.text !== 'obj') throw new Error(`object ${num} is not at its xref offset`)
    const value = lx.value()
    const save = lx.pos
    const s = lx.token()
    if (s?.kind === 'kw' && s.text === 'stream') {
      let start = lx.pos
      if (this.b[start] === 0x0d) start++
      if (this.b[start] === 0x0a) start++
      return { value, stream: { start } }
    }
    lx.pos = save
    return { value }
  }

  private resolve(v: PdfValue | undefined, depth = 0): PdfValue | undefined {
    if (v instanceof Ref) {
      if (depth > MAX_DEPTH) throw new Error('reference loop')
      return this.resolve(this.object(v.num, v.gen)?.value ?? undefined, depth + 1)
    }
    return v
  }

  private dict(v: PdfValue | undefined): Dict | null {
    const d = this.resolve(v)
    return d instanceof Map ? d : null
  }

  /** A stream object's dictionary and raw (still encoded) bytes. */
  private stream(ref: PdfValue | undefined): { dict: Dict; raw: Uint8Array } | null {
    if (!(ref instanceof Ref)) return null
    const obj = this.object(ref.num, ref.gen)
    if (!obj?.stream || !(obj.value instanceof Map)) return null
    const length = this.resolve(obj.value.get('Length'))
    if (typeof length !== 'number' || length < 0 || obj.stream.start + length > this.b.length) return null
    return { dict: obj.value, raw: this.b.subarray(obj.stream.start, obj.stream.start + length) }
  }

  /** A page's attribute, inherited through /Parent (Resources, MediaBox …). */
  private inherited(page: Dict, key: string): PdfValue | undefined {
    let node: Dict | null = page
    for (let i = 0; node && i < MAX_DEPTH; i++) {
      if (node.has(key)) return node.get(key)
      node = this.dict(node.get('Parent'))
    }
    return undefined
  }

  /** The decoded content of a page (its streams joined), or null for filters other than Flate. */
  private content(page: Dict): Uint8Array | null {
    const c = page.get('Contents')
    const refs = c instanceof Ref ? [c] : Array.isArray(c) ? c : this.resolve(c) instanceof Array ? (this.resolve(c) as PdfValue[]) : []
    const parts: Uint8Array[] = []
    let size = 0
    for (const ref of refs) {
      const s = this.stream(ref)
      if (!s) return null
      const filter = this.resolve(s.dict.get('Filter'))
      const f = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter]
      let data = s.raw
      if (f.length === 1 && f[0] instanceof Name && f[0].name === 'FlateDecode' && !s.dict.has('DecodeParms')) {
        if (s.raw.length > MAX_CONTENT_BYTES / 16) return null // and so at most ~4 MB inflated
        data = unzlibSync(s.raw)
      } else if (f.length) return null
      size += data.length + 1
      if (size > MAX_CONTENT_BYTES) return null // a scan's page says a few dozen bytes
      parts.push(data, new Uint8Array([0x0a]))
    }
    const out = new Uint8Array(size)
    let at = 0
    for (const p of parts) { out.set(p, at); at += p.length }
    return out
  }

  /**
   * A graphics state that changes nothing about how an image is drawn (pdfkit/pdfmake set one
   * with full opacity before every page): only line and colour settings, opacity 1, normal blend.
   */
  private plainState(gs: Dict | null): boolean {
    if (!gs) return false
    for (const [key, raw] of gs) {
      const v = this.resolve(raw)
      if (['Type', 'LW', 'LC', 'LJ', 'ML', 'D', 'RI', 'FL', 'SA', 'OP', 'op', 'OPM', 'SM', 'HT', 'UCR', 'UCR2', 'BG', 'BG2', 'TR', 'TR2'].includes(key)) continue
      if ((key === 'CA' || key === 'ca') && v === 1) continue
      if (key === 'BM' && v instanceof Name && (v.name === 'Normal' || v.name === 'Compatible')) continue
      if (key === 'SMask' && v instanceof Name && v.name === 'None') continue
      if (key === 'AIS' && v === false) continue
      return false
    }
    return true
  }

  /**
   * The page's JPEG when the page is nothing but one JPEG drawn (upright, unmasked) over `view`
   * (the page's crop box in user space, as pdf.js gives it); null otherwise, never throws.
   */
  pageJpeg(ref: PageRef | null | undefined, view: number[]): PageJpeg | null {
    if (!ref) return null
    try {
      const page = this.object(ref.num, ref.gen)?.value
      if (!(page instanceof Map) || !(page.get('Type') instanceof Name) || (page.get('Type') as Name).name !== 'Page') return null
      const content = this.content(page)
      if (!content) return null
      const draw = singleImageDraw(content)
      if (!draw) return null
      const resources = this.dict(this.inherited(page, 'Resources'))
      const states = this.dict(resources?.get('ExtGState'))
      for (const gs of draw.states) if (!this.plainState(this.dict(states?.get(gs)))) return null
      // The image's unit square must land on the visible page (within 1 %): nothing else shows.
      const [x0, y0, x1, y1] = view as [number, number, number, number]
      const [a, b, c, d, e, f] = draw.ctm as [number, number, number, number, number, number]
      const tol = 0.01 * Math.max(x1 - x0, y1 - y0)
      if (Math.abs(b) > 1e-6 || Math.abs(c) > 1e-6 || a <= 0 || d <= 0) return null
      if (Math.abs(e - x0) > tol || Math.abs(f - y0) > tol || Math.abs(e + a - x1) > tol || Math.abs(f + d - y1) > tol) return null
      const xobjects = this.dict(resources?.get('XObject'))
      const imageRef = xobjects?.get(draw.name)
      const img = this.stream(imageRef)
      if (!img) return null
      const found = jpegOf(img.dict, img.raw, (v) => this.resolve(v))
      return found && { ...found, box: [e - x0, y1 - (f + d), a, d] }
    } catch {
      return null
    }
  }
}

/**
 * The one image a content stream draws and the matrix it is drawn with, when the stream does
 * nothing else (only q, Q, cm, gs and one Do; the caller checks the graphics states named); null
 * otherwise.
 */
export function singleImageDraw(content: Uint8Array): { name: string; ctm: number[]; states: string[] } | null {
  const lx = new Lexer(content)
  let ctm = [1, 0, 0, 1, 0, 0]
  const stack: number[][] = []
  const operands: Array<{ kind: string; text: string }> = []
  let drawn: { name: string; ctm: number[]; states: string[] } | null = null
  const states: string[] = []
  for (let t = lx.token(); t; t = lx.token()) {
    if (t.kind === 'num' || t.kind === 'name') { operands.push(t); if (operands.length > 6) return null; continue }
    if (t.kind !== 'kw') return null
    if (t.text === 'q' && !operands.length) { if (stack.length > MAX_DEPTH) return null; stack.push(ctm) }
    else if (t.text === 'Q' && !operands.length) { const top = stack.pop(); if (!top) return null; ctm = top }
    else if (t.text === 'cm' && operands.length === 6 && operands.every((o) => o.kind === 'num')) ctm = multiply(operands.map((o) => Number(o.text)), ctm)
    else if (t.text === 'gs' && operands.length === 1 && operands[0]!.kind === 'name' && !drawn) states.push(operands[0]!.text)
    else if (t.text === 'Do' && operands.length === 1 && operands[0]!.kind === 'name' && !drawn) drawn = { name: operands[0]!.text, ctm, states }
    else return null
    operands.length = 0
  }
  return operands.length ? null : drawn
}

/** m × n for PDF matrices [a b c d e f] (m applied first). */
function multiply(m: number[], n: number[]): number[] {
  const [a, b, c, d, e, f] = m as [number, number, number, number, number, number]
  const [A, B, C, D, E, F] = n as [number, number, number, number, number, number]
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
}

/**
 * The image's JPEG when it is drawn as the JPEG decodes (8-bit grey or RGB, no Decode array,
 * mask or colour-transform override; what pdf.js itself hands to a native decoder), else null.
 */
function jpegOf(dict: Dict, raw: Uint8Array, resolve: (v: PdfValue | undefined) => PdfValue | undefined): Omit<PageJpeg, 'box'> | null {
  const name = (v: PdfValue | undefined) => { const r = resolve(v); return r instanceof Name ? r.name : null }
  if (name(dict.get('Subtype')) !== 'Image') return null
  const filter = resolve(dict.get('Filter'))
  const filters = Array.isArray(filter) ? filter.map((f) => resolve(f)) : [filter]
  if (filters.length !== 1 || !(filters[0] instanceof Name) || (filters[0].name !== 'DCTDecode' && filters[0].name !== 'DCT')) return null
  for (const key of ['Decode', 'SMask', 'Mask', 'SMaskInData', 'DecodeParms']) if (dict.has(key) && resolve(dict.get(key)) !== null && resolve(dict.get(key)) !== 0) return null
  if (resolve(dict.get('ImageMask')) === true) return null
  if (resolve(dict.get('BitsPerComponent')) !== 8) return null
  const cs = resolve(dict.get('ColorSpace'))
  const csName = cs instanceof Name ? cs.name : Array.isArray(cs) && resolve(cs[0]) instanceof Name ? (resolve(cs[0]) as Name).name : null
  if (csName !== 'DeviceGray' && csName !== 'DeviceRGB' && csName !== 'ICCBased' && csName !== 'CalRGB' && csName !== 'CalGray') return null
  const info = jpegFrame(raw)
  if (!info || (info.components !== 1 && info.components !== 3)) return null
  if (info.width !== resolve(dict.get('Width')) || info.height !== resolve(dict.get('Height'))) return null
  // pdf.js ignores a JPEG's EXIF orientation (a PDF places the image itself): blank the EXIF
  // block in a copy, as pdf.js does before handing a JPEG to a native decoder.
  const bytes = info.exif ? raw.slice() : raw
  if (info.exif) bytes.fill(0, info.exif[0], info.exif[1])
  return { bytes, width: info.width, height: info.height, components: info.components }
}

/** Size, component count and EXIF block of a JPEG, from its markers; null when it is no JPEG. */
export function jpegFrame(jpeg: Uint8Array): { width: number; height: number; components: number; exif?: [number, number] } | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null
  let i = 2
  let exif: [number, number] | undefined
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) return null
    const marker = jpeg[i + 1]!
    if (marker === 0xff) { i++; continue }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue }
    const len = (jpeg[i + 2]! << 8) | jpeg[i + 3]!
    if (marker === 0xe1 && latin1(jpeg, i + 4, i + 10) === 'Exif\0\0') exif = [i + 10, i + 2 + len]
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      return { height: (jpeg[i + 5]! << 8) | jpeg[i + 6]!, width: (jpeg[i + 7]! << 8) | jpeg[i + 8]!, components: jpeg[i + 9]!, ...(exif ? { exif } : {}) }
    }
    if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return null // lossless/arithmetic: pdf.js decodes those
    i += 2 + len
  }
  return null
}
