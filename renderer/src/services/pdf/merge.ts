/**
 * Joins separately rendered PDFs into one file (batch print). Each part is rendered alone first, so
 * its pages keep what printing it alone gives them: its own QR identity, 第 n 页 / 共 N 页 and, for a
 * draft, the watermark. pdf-lib copies the pages as they are; nothing on them is re-laid out.
 * Plain TypeScript over bytes: it runs in the PDF worker and in Node tests alike.
 */
import { PDFDocument } from 'pdf-lib'

/** The joined file and its page count. */
export interface MergedPdf { bytes: Uint8Array; pages: number }

/**
 * Concatenates `parts` in order. The joined file carries a title only: the parts' Subject/Keywords
 * each name one document (MD:<number>:V<n>:<hash>), and a file that named one of them would be
 * taken for that one document when it comes back (the scan import reads born-digital metadata);
 * the pages identify themselves by their QR.
 */
export async function mergePdfs(parts: Uint8Array[], title: string): Promise<MergedPdf> {
  const out = await PDFDocument.create()
  for (const bytes of parts) {
    const src = await PDFDocument.load(bytes, { updateMetadata: false })
    const pages = await out.copyPages(src, src.getPageIndices())
    for (const p of pages) out.addPage(p)
  }
  out.setTitle(title)
  out.setCreator('MarketDesk 营销业务台')
  out.setProducer('MarketDesk (pdfmake, pdf-lib)')
  const bytes = await out.save()
  return { bytes, pages: out.getPageCount() }
}
