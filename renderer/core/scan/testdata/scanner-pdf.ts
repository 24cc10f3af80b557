/**
 * Test-only PDF writers, by hand (PDF 1.4 text, ISO 32000-1 §7): big scanner PDFs for the memory
 * benchmark and hostile PDFs for the bad-input tests, made at test time so no large or hostile
 * file is committed.
 *
 * - `scannerPdf`: what an office scanner's feeder writes: one full-page JPEG image per page, each
 *   page its own image object (pdf.js decodes each one; nothing is shared between pages).
 * - `pdfBomb`: a few KB that declare many huge pages (a decompression bomb for the renderer).
 */

/** Width, height and component count from a JPEG's first SOFn frame header. */
export function jpegInfo(jpeg: Uint8Array): { width: number; height: number; components: number } {
  let i = 2
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error('not a JPEG')
    const marker = jpeg[i + 1]!
    if (marker === 0xff) { i++; continue }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue }
    const len = (jpeg[i + 2]! << 8) | jpeg[i + 3]!
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (jpeg[i + 5]! << 8) | jpeg[i + 6]!, width: (jpeg[i + 7]! << 8) | jpeg[i + 8]!, components: jpeg[i + 9]! }
    }
    i += 2 + len
  }
  throw new Error('JPEG without a frame header')
}

/** Assembles numbered objects into a PDF with a correct xref table. */
class PdfWriter {
  private readonly chunks: Uint8Array[] = []
  private readonly offsets: number[] = []
  private length = 0
  private readonly enc = new TextEncoder()

  constructor() { this.raw('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n') }

  private raw(s: string | Uint8Array): void {
    const b = typeof s === 'string' ? this.enc.encode(s) : s
    this.chunks.push(b)
    this.length += b.length
  }

  /** Writes object `n` (1-based, in any order) with a dictionary and an optional stream. */
  object(n: number, dict: string, stream?: Uint8Array): void {
    this.offsets[n] = this.length
    if (stream) {
      this.raw(`${n} 0 obj\n${dict.replace(/>>\s*$/, ` /Length ${stream.length} >>`)}\nstream\n`)
      this.raw(stream)
      this.raw('\nendstream\nendobj\n')
    } else {
      this.raw(`${n} 0 obj\n${dict}\nendobj\n`)
    }
  }

  finish(root: number, info?: number): Uint8Array {
    const xref = this.length
    const count = this.offsets.length
    let table = `xref\n0 ${count}\n0000000000 65535 f \n`
    for (let n = 1; n < count; n++) table += `${String(this.offsets[n] ?? 0).padStart(10, '0')} 00000 n \n`
    this.raw(`${table}trailer\n<< /Size ${count} /Root ${root} 0 R${info ? ` /Info ${info} 0 R` : ''} >>\nstartxref\n${xref}\n%%EOF\n`)
    const out = new Uint8Array(this.length)
    let at = 0
    for (const c of this.chunks) { out.set(c, at); at += c.length }
    return out
  }
}

export interface ScannerPdfOptions {
  /** Page size in points (default A4 portrait, 595 × 842). */
  widthPt?: number
  heightPt?: number
  /** The page's content stream instead of the image drawn over the page (tests of what is not a plain scan). */
  content?: string
  /** More entries for the image dictionary (a /Decode array, a mask …). */
  imageExtra?: string
}

/**
 * A scanner PDF of `pages` pages; page i shows `jpegs[i % jpegs.length]` over the whole page, each
 * page with its own image object (as a feeder writes them), so a 500-page file of one blank-page
 * JPEG is 500 separate images to decode.
 */
export function scannerPdf(jpegs: Uint8Array[], pages: number, options: ScannerPdfOptions = {}): Uint8Array {
  const w = options.widthPt ?? 595, h = options.heightPt ?? 842
  const pdf = new PdfWriter()
  const content = new TextEncoder().encode(options.content ?? `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`)
  // 1 catalog, 2 page tree, then per page: page, content, image.
  const kids: string[] = []
  for (let p = 0; p < pages; p++) {
    const page = 3 + p * 3
    const jpeg = jpegs[p % jpegs.length]!
    const info = jpegInfo(jpeg)
    const cs = info.components === 1 ? '/DeviceGray' : info.components === 4 ? '/DeviceCMYK' : '/DeviceRGB'
    pdf.object(page, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${page + 2} 0 R >> >> /Contents ${page + 1} 0 R >>`)
    pdf.object(page + 1, '<< >>', content)
    pdf.object(page + 2, `<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /DCTDecode${options.imageExtra ? ` ${options.imageExtra}` : ''} >>`, jpeg)
    kids.push(`${page} 0 R`)
  }
  pdf.object(1, '<< /Type /Catalog /Pages 2 0 R >>')
  pdf.object(2, `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`)
  return pdf.finish(1)
}

export interface PdfBombOptions {
  pages?: number
  /** Declared page size in points; 14,400 pt (200 in, the PDF 1.7 maximum) is 30,000 px at 150 dpi. */
  sidePt?: number
}

/**
 * A few KB that declare `pages` pages of `sidePt` × `sidePt` points, all sharing one tiny content
 * stream (a grey square): rendered at 150 dpi as declared, each page would be 30,000 × 30,000 px
 * (3.6 GB of RGBA).
 */
export function pdfBomb(options: PdfBombOptions = {}): Uint8Array {
  const pages = options.pages ?? 1000, side = options.sidePt ?? 14400
  const pdf = new PdfWriter()
  pdf.object(3, '<< >>', new TextEncoder().encode(`0.5 g ${side / 4} ${side / 4} ${side / 2} ${side / 2} re f`))
  // The pages inherit MediaBox, Resources and Contents-free attributes from the tree; each page
  // object names the shared content stream.
  const kids: string[] = []
  for (let p = 0; p < pages; p++) {
    pdf.object(4 + p, '<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>')
    kids.push(`${4 + p} 0 R`)
  }
  pdf.object(1, '<< /Type /Catalog /Pages 2 0 R >>')
  pdf.object(2, `<< /Type /Pages /MediaBox [0 0 ${side} ${side}] /Resources << >> /Kids [${kids.join(' ')}] /Count ${pages} >>`)
  return pdf.finish(1)
}
