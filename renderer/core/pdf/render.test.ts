/**
 * Renders the fixtures with pdfmake in Node and reads the PDFs back the way a person (pdftotext,
 * pdffonts) and the scan importer (pdftoppm at 150 dpi + jsQR) would.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jsQR from 'jsqr'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import { formById } from '../../../forms/registry'
import { quotationTotals } from '../../../forms/quotation/quotation.rules'
import { parseIdentity, type PageIdentity } from '../identity'
import { formatFen, toCapital } from '../money'
import type { PrintInput } from './build-doc'
import { renderPdfNode, type NodePdf } from '../../../scripts/pdf-node'
import { checkRecord, inputFromRecord } from '../../../scripts/lib/render-args'

const dir = mkdtempSync(join(tmpdir(), 'md-pdf-'))
const DPI = 150
const MM_PX = DPI / 25.4

/** A fixture as `npm run render` prints it: approvals from its audit trail when it has one. */
function fixture(form: string, path: string, released: boolean): PrintInput {
  const r = JSON.parse(readFileSync(new URL(`../../../forms/${path}`, import.meta.url), 'utf8'))
  return inputFromRecord(formById(form), checkRecord(r, path), released)
}

async function render(name: string, input: PrintInput): Promise<NodePdf & { file: string }> {
  const pdf = await renderPdfNode(input)
  const file = join(dir, `${name}.pdf`)
  writeFileSync(file, pdf.bytes)
  return { ...pdf, file }
}

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' })
/** The text of one page with all whitespace removed (pdftotext splits rotated text into single characters). */
const pageText = (file: string, page: number): string => run('pdftotext', ['-raw', '-f', String(page), '-l', String(page), file, '-']).replace(/\s+/g, '')
const pageCount = (file: string): number => Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))![1])
const info = (file: string, key: string): string => new RegExp(`^${key}:\\s+(.*)$`, 'm').exec(run('pdfinfo', [file]))?.[1] ?? ''

/** Rasterises one page at 150 dpi and decodes the QR in its top-right quarter; null when there is none. */
async function decodeQr(file: string, page: number): Promise<{ id: PageIdentity | null; right: number; top: number } | null> {
  const prefix = join(dir, `p${page}-${Math.random().toString(36).slice(2)}`)
  execFileSync('pdftoppm', ['-r', String(DPI), '-png', '-f', String(page), '-l', String(page), '-singlefile', file, prefix])
  const img = await loadImage(readFileSync(`${prefix}.png`))
  const w = Math.floor(img.width / 2), h = Math.floor(img.height / 4)
  const canvas = createCanvas(w, h)
  const ctx = canvas.getContext('2d')
  ctx.drawImage(img, -(img.width - w), 0)
  const data = ctx.getImageData(0, 0, w, h)
  const qr = jsQR(new Uint8ClampedArray(data.data.buffer), w, h)
  if (!qr) return null
  const xs = [qr.location.topRightCorner.x, qr.location.bottomRightCorner.x]
  const ys = [qr.location.topLeftCorner.y, qr.location.topRightCorner.y]
  return { id: parseIdentity(qr.data), right: w - Math.max(...xs), top: Math.min(...ys) }
}

describe('quotation PDF (5 lines, released)', () => {
  let pdf: Awaited<ReturnType<typeof render>>
  const input = fixture('quotation', 'quotation/fixtures/quotation.json', true)
  beforeAll(async () => { pdf = await render('quotation', input) })

  it('reads back the Chinese exactly: title, customer, 大写金额 and the total', () => {
    const text = pageText(pdf.file, pageCount(pdf.file))
    const all = Array.from({ length: pageCount(pdf.file) }, (_, i) => pageText(pdf.file, i + 1)).join('')
    const total = quotationTotals({ values: input.record.values, lines: input.record.lines }).total
    expect(all).toContain('报价单')
    expect(all).toContain('佛山市顺德区美宜达电器有限公司')
    expect(all).toContain('人民币壹拾捌万零叁佰陆拾贰元整')
    expect(all).toContain(`人民币${toCapital(total)}`)
    expect(all).toContain(formatFen(total, { symbol: true }))
    expect(text).toContain('需方确认（盖章）')
  })

  it('fits one page, signature and stamp boxes included', () => {
    expect(pageCount(pdf.file)).toBe(1)
    expect(pdf.pages).toBe(1)
    expect(pageText(pdf.file, 1)).toContain('第1页/共1页')
    expect(pageText(pdf.file, 1)).toContain('供方（盖章）')
  })

  it('embeds Noto Sans SC as a subset, both weights', () => {
    const fonts = run('pdffonts', [pdf.file]).split('\n').filter((l) => l.includes('NotoSansSC'))
    expect(fonts.length).toBe(2)
    for (const l of fonts) expect(l).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/)
  })

  it('prints who made and who approved V2 on its last line, the proxy’s principal named (代)', () => {
    const text = pageText(pdf.file, 1)
    expect(text).toContain('制单：张敏2025-06-11')
    expect(text).toContain('审核/批准：李强（代王建国）2025-06-12')
    expect(text).not.toContain('王建国2025-06-06') // V1's approval is not V2's
  })

  it('has no draft watermark once released', () => {
    expect(pageText(pdf.file, 1)).not.toContain('草稿·未审批')
  })

  it('carries the identity in the metadata and in a QR ≥ 10 mm from the top-right edges', async () => {
    expect(info(pdf.file, 'Subject')).toBe(pdf.identity.subject)
    const qr = await decodeQr(pdf.file, 1)
    expect(qr?.id).toEqual({ number: 'BJ2506-A7-0012', version: 2, page: 1, pages: pdf.pages, hash8: pdf.identity.contentHash8 })
    expect(qr!.right).toBeGreaterThanOrEqual(10 * MM_PX)
    expect(qr!.top).toBeGreaterThanOrEqual(10 * MM_PX)
  })
})

describe('quotation PDF (30 lines, draft)', () => {
  let pdf: Awaited<ReturnType<typeof render>>
  beforeAll(async () => { pdf = await render('quotation-30', fixture('quotation', 'quotation/fixtures/quotation-30-lines.json', false)) })

  it('runs over two pages or more, repeating the table header and numbering each page n/N', () => {
    const n = pageCount(pdf.file)
    expect(n).toBeGreaterThanOrEqual(2)
    expect(pdf.pages).toBe(n)
    const texts = Array.from({ length: n }, (_, i) => pageText(pdf.file, i + 1))
    texts.forEach((t, i) => {
      expect(t).toContain('品名')
      expect(t).toContain(`第${i + 1}页/共${n}页`)
      expect(t).toContain('草稿·未审批')
    })
    // all 30 rows printed, the last with its own amount; the total in capitals on the last page
    expect(texts.join('')).toContain('30PC扩散料')
    expect(texts.at(-1)).toContain('人民币柒拾伍万叁仟捌佰伍拾玖元伍角玖分')
  })

  it('prints a QR on the first and the last page that reads back as that page', async () => {
    const n = pageCount(pdf.file)
    for (const page of [1, n]) {
      const qr = await decodeQr(pdf.file, page)
      expect(qr?.id).toEqual({ number: 'BJ2506-A7-0030', version: 1, page, pages: n, hash8: pdf.identity.contentHash8 })
    }
  })

  it('keeps both signature boxes together at the bottom of the last page, clear of other text', () => {
    const n = pageCount(pdf.file)
    for (let p = 1; p < n; p++) expect(pageText(pdf.file, p)).not.toContain('盖章')
    const words = [...run('pdftotext', ['-bbox', '-f', String(n), '-l', String(n), pdf.file, '-'])
      .matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</g)]
      .map((m) => ({ top: Number(m[1]), bottom: Number(m[2]), text: m[3]! }))
    const party = words.find((w) => w.text === '供方（盖章）')!
    const other = words.find((w) => w.text === '需方确认（盖章）')!
    const signLines = words.filter((w) => w.text.startsWith('签字：'))
    const footerTop = Math.min(...words.filter((w) => w.text === '第').map((w) => w.top))
    expect(other.top).toBe(party.top)
    expect(signLines).toHaveLength(2)
    // 35 mm boxes between the party names and the 签字 lines, the block ending just above the footer
    expect(signLines[0]!.top - party.bottom).toBeGreaterThan(35 * 72 / 25.4)
    expect(footerTop - signLines[0]!.bottom).toBeLessThan(20 * 72 / 25.4)
    expect(signLines[0]!.bottom).toBeLessThan(footerTop)
    // Under the boxes, above the page number: the approvals line, blank to sign by hand on a draft.
    const made = words.find((w) => w.text.startsWith('制单：'))!
    expect(made.top).toBeGreaterThan(signLines[0]!.bottom)
    expect(made.bottom).toBeLessThanOrEqual(footerTop)
    // nothing else printed in that zone (the watermark's single rotated characters aside)
    const intruders = words.filter((w) => w.bottom > party.top && w.top < footerTop - 1 && !/^(供方|需方|签字|日期|制单|审核\/批准|_+$)/.test(w.text) && !'草稿·未审批'.includes(w.text))
    expect(intruders).toEqual([])
  })
})

describe('a long quotation keeps its totals with the signatures (issue 8)', () => {
  const base = fixture('quotation', 'quotation/fixtures/quotation-30-lines.json', false)
  const withLines = (n: number): PrintInput => {
    const rows = base.record.lines.items!
    const items = Array.from({ length: n }, (_, i) => ({ id: `l${i + 1}`, values: { ...rows[i % rows.length]!.values } }))
    return { ...base, record: { ...base.record, lines: { items } } }
  }
  // 40 lines put 价税合计 on page 2 and the signature boxes alone on page 3 before the group was kept together.
  it.each([30, 40, 60])('%i lines: 价税合计 and both signature parties on one page, every row printed', async (n) => {
    const pdf = await render(`quotation-${n}-lines`, withLines(n))
    const pages = pageCount(pdf.file)
    expect(pdf.pages).toBe(pages)
    const texts = Array.from({ length: pages }, (_, i) => pageText(pdf.file, i + 1))
    const onPage = (s: string) => texts.findIndex((t) => t.includes(s)) + 1
    const totals = onPage('价税合计（大写）')
    expect(totals, `价税合计 on page ${totals} of ${pages}`).toBeGreaterThan(0)
    expect(texts[totals - 1]).toMatch(/价税合计¥/)
    expect(onPage('供方（盖章）'), 'supplier box').toBe(totals)
    expect(onPage('需方确认（盖章）'), 'customer box').toBe(totals)
    expect(onPage('制单：'), 'approvals line').toBe(totals)
    expect(totals).toBe(pages) // nothing printed after the boxes
    // no row lost to the page break (pdfmake drops what does not fit an unbreakable block)
    const all = texts.join('')
    for (const i of [1, Math.ceil(n / 2), n]) expect(all).toContain(`${i}${withLines(n).record.lines.items![i - 1]!.values.productName}`.replace(/\s+/g, ''))
  })
})

describe('customer evaluation PDF (internal form)', () => {
  it('prints the facts and the decision fields without a QR', async () => {
    const pdf = await render('evaluation', fixture('customerEvaluation', 'customer-evaluation/fixtures/customer-evaluation.json', true))
    const text = pageText(pdf.file, 1)
    expect(text).toContain('客户资料评估表')
    expect(text).toContain('苏州明辉光电科技有限公司')
    expect(text).toContain('照明') // select → option label, not 'lighting'
    expect(text).not.toContain('lighting')
    expect(await decodeQr(pdf.file, 1)).toBeNull()
  })
})

describe('missing glyphs', () => {
  it('reports characters Noto Sans SC lacks before anyone prints them blank', async () => {
    const input = fixture('quotation', 'quotation/fixtures/quotation.json', true)
    input.record.values.remarks = '样品已确认👍，阻燃等级 UL94 V-0，Φ3mm，μm 级'
    input.refs.customer!.values.fullName = '佛山市顺德区美宜达电器有限公司'
    const pdf = await renderPdfNode(input)
    expect(pdf.missingGlyphs).toEqual(['👍'])
  })
})
