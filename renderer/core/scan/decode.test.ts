import { beforeAll, describe, expect, it } from 'vitest'
import { parseIdentity, type PageIdentity } from '../identity'
import { decodePage, decodeSheet, type RgbaImage } from './decode'
import { matchScan } from './match'
import { contrast, grey, jpeg, noise, quotePdf, rasterise, redSeal, rotate, twoUp } from './testdata/pages'

const identity: PageIdentity = { number: 'BJ2611-A7-0001', version: 2, page: 1, pages: 1, hash8: '1A2B3C4D' }
const pages: Record<number, { withQr: RgbaImage; noQr: RgbaImage; foreign: RgbaImage }> = {}

beforeAll(async () => {
  const pdf = await quotePdf([{ identity }, {}, { qrText: 'https://example.com/invoice?id=42' }])
  for (const dpi of [150, 300]) {
    const [withQr, noQr, foreign] = await rasterise(pdf, dpi)
    pages[dpi] = { withQr: withQr!, noQr: noQr!, foreign: foreign! }
  }
}, 120_000)

const readId = (img: RgbaImage) => {
  const found = decodePage(img)
  return found ? parseIdentity(found.text) : null
}

describe.each([150, 300])('a printed page scanned at %i dpi', (dpi) => {
  const distortions: Array<[string, (p: RgbaImage) => RgbaImage | Promise<RgbaImage>]> = [
    ['clean', (p) => p],
    ['rotated 3°', (p) => rotate(p, 3)],
    ['rotated -3°', (p) => rotate(p, -3)],
    ['fed upside down (180°)', (p) => rotate(p, 180)],
    ['with sensor noise', (p) => noise(p, 30, dpi)],
    ['saved as JPEG quality 30', (p) => jpeg(p, 30)],
    ['washed out (low contrast)', (p) => contrast(p, 100, 210)],
    ['in grey', (p) => grey(p)],
    ['rotated 2°, noisy, JPEG 30', async (p) => jpeg(noise(rotate(p, 2), 20, 7), 30)],
  ]
  it.each(distortions)('%s decodes to the exact identity', async (_name, distort) => {
    expect(readId(await distort(pages[dpi]!.withQr))).toEqual(identity)
  })

  it('a page without a QR gives no identity (→ noQr)', () => {
    expect(decodePage(pages[dpi]!.noQr)).toBeNull()
    expect(matchScan({ identity: null, qrText: null, fileHash: 'f', knownFileHashes: new Set(), filePage: 2 }))
      .toMatchObject({ kind: 'unknown', reason: 'noQr', message: { zh: '第 2 页未找到二维码' } })
  })

  it("another system's QR is read but not taken for ours (→ foreignQr)", () => {
    const found = decodePage(pages[dpi]!.foreign)
    expect(found?.text).toBe('https://example.com/invoice?id=42')
    expect(parseIdentity(found!.text)).toBeNull()
    expect(matchScan({ identity: null, qrText: found!.text, fileHash: 'f', knownFileHashes: new Set(), filePage: 3 }))
      .toMatchObject({ kind: 'unknown', reason: 'foreignQr', message: { zh: '第 3 页的二维码不是本系统的单据' } })
  })
})

describe('a colour scan with the red company seal stamped over the QR', () => {
  it('is recovered from the red channel', () => {
    const page = pages[150]!.withQr
    // The QR is 87 pt square, 40 pt from the top and right edges; stamp on its centre.
    const k = 150 / 72
    const sealed = redSeal(page, page.width - (40 + 43) * k, (40 + 43) * k, 55 * k)
    const found = decodePage(sealed)
    expect(found && parseIdentity(found.text)).toEqual(identity)
    // Grey decoding fails under the seal; it is the red channel that reads it.
    expect(found?.via).toMatch(/red/)
  })
})

describe('two pages copied 2-up onto one landscape sheet', () => {
  const page = (n: number): PageIdentity => ({ ...identity, page: n, pages: 2 })
  let sheets: Record<number, RgbaImage> = {}
  beforeAll(async () => {
    const pdf = await quotePdf([{ identity: page(1) }, { identity: page(2) }])
    sheets = {}
    for (const dpi of [150, 300]) {
      const [p1, p2] = await rasterise(pdf, dpi)
      sheets[dpi] = twoUp(p1!, p2!)
    }
  }, 120_000)
  const ids = (img: RgbaImage) => decodeSheet(img).map((c) => parseIdentity(c.text))

  it.each([150, 300])('at %i dpi both pages are found, the left one first', (dpi) => {
    expect(ids(sheets[dpi]!)).toEqual([page(1), page(2)])
  })

  it('a copy fed upside down and a noisy JPEG of it still give both pages', async () => {
    expect(ids(rotate(sheets[150]!, 180))).toEqual(expect.arrayContaining([page(1), page(2)]))
    expect(ids(await jpeg(noise(rotate(sheets[300]!, 2), 15, 5), 40))).toEqual([page(1), page(2)])
  })

  it('a single page still gives exactly its one code', () => {
    expect(ids(pages[150]!.withQr)).toEqual([identity])
    expect(decodeSheet(pages[300]!.noQr)).toEqual([])
  })
})

describe('bounded work', () => {
  it('a blank page ends with null instead of searching forever', () => {
    const blank: RgbaImage = { data: new Uint8ClampedArray(1240 * 1754 * 4).fill(255), width: 1240, height: 1754 }
    expect(decodePage(blank, { budgetMs: 200 })).toBeNull()
  })
})
