import { describe, expect, it } from 'vitest'
import { MAX_FILE_BYTES, sniffFile } from './sniff'

const enc = (s: string) => new TextEncoder().encode(s)
const minimalPdf = enc('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')

function pngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33 + 12)
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  new DataView(b.buffer).setUint32(16, width)
  new DataView(b.buffer).setUint32(20, height)
  b.set([8, 6, 0, 0, 0], 24)
  b.set([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], 33)
  return b
}

function jpegHeader(width: number, height: number): Uint8Array {
  // SOI, APP0 (JFIF, 16 bytes), SOF0 with the size, EOI.
  return new Uint8Array([
    0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0,
    0xff, 0xd9,
  ])
}

describe('sniffFile', () => {
  it('accepts a PDF by its bytes, whatever its name', () => {
    expect(sniffFile(minimalPdf, 'scan.jpg')).toEqual({ ok: true, kind: 'pdf' })
  })

  it('refuses a text file renamed to .pdf', () => {
    const r = sniffFile(enc('这是一个文本文件\n'), '报价单.pdf')
    expect(r).toMatchObject({ ok: false, problem: 'notPdf' })
    expect(!r.ok && r.message.zh).toContain('文件不是有效的 PDF（可能被改了扩展名')
  })

  it('refuses a PDF cut in half (not fully copied)', () => {
    const big = new Uint8Array(4000)
    big.set(minimalPdf.subarray(0, 60))
    big.set(minimalPdf, 4000 - minimalPdf.length)
    expect(sniffFile(big, 'a.pdf')).toMatchObject({ ok: true })
    expect(sniffFile(big.subarray(0, 2000), 'a.pdf')).toMatchObject({ ok: false, problem: 'truncatedPdf', message: { zh: 'PDF 文件不完整（可能未复制完），请重新扫描或重新复制' } })
  })

  it('refuses an empty file', () => {
    expect(sniffFile(new Uint8Array(0), 'a.pdf')).toMatchObject({ ok: false, problem: 'empty', message: { zh: '文件为空' } })
  })

  it('refuses a 20000×20000 PNG from its header, without decoding it', () => {
    const r = sniffFile(pngHeader(20000, 20000), 'big.png')
    expect(r).toMatchObject({ ok: false, problem: 'tooManyPixels' })
    expect(!r.ok && r.message.zh).toMatch(/^图片过大（20000×20000 像素.*请以 300 dpi 以下扫描$/)
  })

  it('reads PNG and JPEG sizes and accepts an A4 300 dpi scan', () => {
    expect(sniffFile(pngHeader(2480, 3508))).toEqual({ ok: true, kind: 'png', width: 2480, height: 3508 })
    expect(sniffFile(jpegHeader(2480, 3508))).toEqual({ ok: true, kind: 'jpeg', width: 2480, height: 3508 })
    expect(sniffFile(jpegHeader(9000, 9000))).toMatchObject({ ok: false, problem: 'tooManyPixels' })
  })

  it('refuses a file over 40 MB', () => {
    const big = new Uint8Array(MAX_FILE_BYTES + 1)
    big.set(minimalPdf)
    expect(sniffFile(big, 'huge.pdf')).toMatchObject({ ok: false, problem: 'tooLarge' })
  })

  it('names an unsupported scan format (TIFF) and says what to do', () => {
    const r = sniffFile(new Uint8Array([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'scan.tif')
    expect(r).toMatchObject({ ok: false, problem: 'unsupported', message: { zh: '不支持的文件类型（TIFF 图片），请扫描为 PDF、JPEG 或 PNG' } })
  })

  it('refuses a JPEG that stops before its end marker', () => {
    const j = jpegHeader(1000, 1000)
    expect(sniffFile(j.subarray(0, j.length - 2))).toMatchObject({ ok: false, problem: 'truncatedImage' })
  })
})
