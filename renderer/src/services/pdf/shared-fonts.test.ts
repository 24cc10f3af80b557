/**
 * Parsed fonts shared across documents (issue 9), in Node with pdfmake's own pdfkit: a document
 * printed after the fonts are shared is the same file, byte for byte, as the one printed with
 * fonts parsed for it alone (same subset, text, QR, page numbers), and later documents really
 * reuse the first parsed font instead of parsing their own.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pdfmakeModule from 'pdfmake'
import type { TDocumentDefinitions } from 'pdfmake/interfaces'
import { formById } from '@forms/registry'
import { buildPdfDoc, pdfFontDescriptor, type PrintInput } from '@core/pdf/build-doc'
import { FONT_FILES } from '../../../../scripts/pdf-node'
import { shareFontsOf, sharedFont } from './shared-fonts'

interface PdfMakeNode {
  virtualfs: { writeFileSync(name: string, content: Uint8Array): void }
  setFonts(fonts: object): void
  setUrlAccessPolicy(cb: (url: string) => boolean): void
  setLocalAccessPolicy(cb: (path: string) => boolean): void
  createPdf(doc: TDocumentDefinitions): { getStream(): Promise<unknown>; getBuffer(): Promise<Buffer> }
}
const pdfmake = pdfmakeModule as unknown as PdfMakeNode
type Families = { _fontFamilies: Record<string, { font: unknown }> }

const dir = mkdtempSync(join(tmpdir(), 'md-shared-fonts-'))
// Buffers of their own (not the ones scripts/pdf-node reads), so only this file's fonts are shared.
const regular = readFileSync(FONT_FILES.normal)
const bold = readFileSync(FONT_FILES.bold)

const fixture = JSON.parse(readFileSync(new URL('../../../../forms/quotation/fixtures/quotation.json', import.meta.url), 'utf8')) as {
  values: PrintInput['record']['values']; lines: PrintInput['record']['lines']; refs: PrintInput['refs']; company: PrintInput['company']
}
const quote = (number: string): PrintInput => ({
  form: formById('quotation'), record: { number, version: 2, state: 'draft', values: fixture.values, lines: fixture.lines },
  refs: fixture.refs, company: fixture.company, released: false,
})

/** A quotation's definition with a fixed creation date, so two renders may be compared byte for byte. */
async function definition(number: string): Promise<TDocumentDefinitions> {
  const { doc } = await buildPdfDoc(quote(number))
  doc.info = { ...doc.info, creationDate: new Date('2026-12-01T08:00:00Z') }
  return doc
}

async function print(doc: TDocumentDefinitions): Promise<{ bytes: Buffer; fonts: unknown[] }> {
  const out = pdfmake.createPdf(doc)
  const stream = (await out.getStream()) as Families
  return { bytes: await out.getBuffer(), fonts: Object.values(stream._fontFamilies).map((f) => f.font) }
}

const pdffonts = (bytes: Buffer, name: string): string => {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return execFileSync('pdffonts', [file], { encoding: 'utf8' })
}

describe('fonts parsed once for every document (issue 9)', () => {
  let alone: { bytes: Buffer; fonts: unknown[] }
  beforeAll(async () => {
    pdfmake.virtualfs.writeFileSync('Shared-Regular.ttf', regular)
    pdfmake.virtualfs.writeFileSync('Shared-Bold.ttf', bold)
    pdfmake.setFonts(pdfFontDescriptor('Shared-Regular.ttf', 'Shared-Bold.ttf'))
    pdfmake.setUrlAccessPolicy(() => false)
    pdfmake.setLocalAccessPolicy(() => false)
    // Printed before anything is shared: pdfkit parses both weights for this document alone.
    alone = await print(await definition('BJ2612-A7-0001'))
  })

  it('prints the same file, byte for byte, once the fonts are shared', async () => {
    const first = await print(await definition('BJ2612-A7-0002'))
    expect(shareFontsOf(await pdfmake.createPdf(await definition('BJ2612-A7-0003')).getStream(), [regular, bold])).toBe(true)
    const again = await print(await definition('BJ2612-A7-0001'))
    expect(again.bytes.equals(alone.bytes)).toBe(true)
    // and each file still embeds its own subset of both weights
    const fonts = pdffonts(again.bytes, 'again.pdf')
    expect(fonts).toMatch(/NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/)
    expect(fonts).toMatch(/NotoSansSC-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/)
    expect(first.bytes.length).toBeGreaterThan(20_000)
  })

  it('gives later documents the first parsed font of each weight instead of parsing their own', async () => {
    const a = await print(await definition('BJ2612-A7-0004'))
    const b = await print(await definition('BJ2612-A7-0005'))
    // (compared by identity into booleans: a failed match would print 10 MB fonts)
    expect(a.fonts.length).toBe(2)
    expect(b.fonts.every((f, i) => f === a.fonts[i])).toBe(true) // the very same objects
    expect(a.fonts.includes(sharedFont(regular))).toBe(true)
    expect(a.fonts.includes(sharedFont(bold))).toBe(true)
    // The document printed alone had fonts of its own.
    expect(alone.fonts.some((f) => a.fonts.includes(f))).toBe(false)
  })

  it('leaves fonts opened from other bytes alone', async () => {
    // The same file in another copy is not one of the shared: each document parses it again.
    pdfmake.virtualfs.writeFileSync('Other-Bold.ttf', readFileSync(FONT_FILES.bold))
    pdfmake.setFonts({ ...pdfFontDescriptor('Shared-Regular.ttf', 'Shared-Bold.ttf'), Other: { normal: 'Other-Bold.ttf', bold: 'Other-Bold.ttf' } })
    const doc = (): TDocumentDefinitions => ({ content: [{ text: '报价单 Other' }], defaultStyle: { font: 'Other' } })
    const x = await print(doc())
    const y = await print(doc())
    expect([x.fonts.length, y.fonts.length]).toEqual([1, 1])
    expect(x.fonts[0] === y.fonts[0]).toBe(false)
    expect(x.fonts[0] === sharedFont(bold)).toBe(false)
  })

  it('changes nothing and says so when given something that is not a laid-out pdfkit document', () => {
    expect(shareFontsOf(undefined, [regular])).toBe(false)
    expect(shareFontsOf({ _fontFamilies: {} }, [regular])).toBe(false)
  })
})
