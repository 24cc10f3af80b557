import { describe, expect, it } from 'vitest'
import { PdfObjects, singleImageDraw } from './pdf-image'
import { jpegBytes } from './testdata/pages'
import { scannerPdf } from './testdata/scanner-pdf'

/** A 100 × 140 grey "scan" as a JPEG. */
function smallJpeg(): Uint8Array {
  const width = 100, height = 140, data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < data.length; i += 4) { data[i] = data[i + 1] = data[i + 2] = (i / 4) % 256; data[i + 3] = 255 }
  return jpegBytes({ data, width, height }, 80)
}
const jpeg = smallJpeg()
// scannerPdf: object 3 is page 1 (then its content 4 and image 5).
const page1 = { num: 3, gen: 0 }
const a4 = [0, 0, 595, 842]
const read = (pdf: Uint8Array, view = a4) => PdfObjects.open(pdf)?.pageJpeg(page1, view) ?? null

describe('a scanner page read as its JPEG', () => {
  it('finds the JPEG of a page that is one image over the whole page, byte for byte', () => {
    const found = read(scannerPdf([jpeg], 2))
    expect(found).toMatchObject({ width: 100, height: 140 })
    expect(Buffer.from(found!.bytes).equals(Buffer.from(jpeg))).toBe(true)
    // Page 2 (object 6) has its own image.
    expect(PdfObjects.open(scannerPdf([jpeg], 2))!.pageJpeg({ num: 6, gen: 0 }, a4)).not.toBeNull()
  })

  it('follows the image drawn through pdfkit/pdfmake\'s flipped matrix and a graphics state of full opacity', () => {
    expect(singleImageDraw(new TextEncoder().encode('1 0 0 -1 0 841.89 cm\n/Gs1 gs\nq\n595 0 0 -842 0 842 cm\n/I1 Do\nQ\n'))).toEqual({
      name: 'I1', ctm: [595, 0, 0, 842, 0, -0.11000000000001364], states: ['Gs1'],
    })
  })

  it('leaves every other page to pdf.js: text or drawing besides the image, an image not covering the page, masks, Decode arrays, CMYK-like colour', () => {
    expect(read(scannerPdf([jpeg], 1, { content: 'q 595 0 0 842 0 0 cm /Im0 Do Q BT /F1 12 Tf (x) Tj ET' }))).toBeNull()
    expect(read(scannerPdf([jpeg], 1, { content: 'q 300 0 0 842 0 0 cm /Im0 Do Q' }))).toBeNull()
    expect(read(scannerPdf([jpeg], 1, { content: 'q 0 842 -595 0 595 0 cm /Im0 Do Q' }))).toBeNull()
    expect(read(scannerPdf([jpeg], 1, { content: 'q 595 0 0 842 0 0 cm /Im0 Do Q q 595 0 0 842 0 0 cm /Im0 Do Q' }))).toBeNull()
    expect(read(scannerPdf([jpeg], 1, { content: '0 0 1 rg 0 0 10 10 re f q 595 0 0 842 0 0 cm /Im0 Do Q' }))).toBeNull()
    expect(read(scannerPdf([jpeg], 1, { imageExtra: '/Decode [1 0]' }))).toBeNull()
    expect(read(scannerPdf([jpeg], 1, { imageExtra: '/SMask 4 0 R' }))).toBeNull()
    // A crop box smaller than the image: part of it is not shown.
    expect(read(scannerPdf([jpeg], 1), [0, 0, 500, 700])).toBeNull()
  })

  it('gives null, never throws, for damaged or unfamiliar files', () => {
    const pdf = scannerPdf([jpeg], 1)
    expect(PdfObjects.open(pdf.subarray(0, pdf.length - 200))).toBeNull()
    expect(PdfObjects.open(new TextEncoder().encode('%PDF-1.4\nstartxref\n999999\n%%EOF'))).toBeNull()
    expect(PdfObjects.open(new Uint8Array(0))).toBeNull()
    // An xref offset that points elsewhere: the object header does not match.
    const text = Buffer.from(pdf).toString('latin1').replace(/\n(\d{10}) 00000 n \n/, (_, off: string) => `\n${String(Number(off) + 7).padStart(10, '0')} 00000 n \n`)
    const shifted = new Uint8Array(Buffer.from(text, 'latin1'))
    expect(() => PdfObjects.open(shifted)?.pageJpeg(page1, a4)).not.toThrow()
  })
})
