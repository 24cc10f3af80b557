import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces'
import { formById } from '../../../forms/registry'
import { customer } from '../../../forms/customer/customer.form'
import { quotation } from '../../../forms/quotation/quotation.form'
import { buildPdfDoc, keepTogetherRange, parsePdfSubject, pdfFontDescriptor, qrGeometry, type PrintInput } from './build-doc'
import type { PrintApprovals } from './approvals'
import type { PrintedBlock } from './printed'
import { missingGlyphs } from './glyphs'
import { formatValue, printedDoc } from './printed'
import { parseIdentity } from '../identity'

const fixture = (path: string): PrintInput => {
  const r = JSON.parse(readFileSync(new URL(`../../../forms/${path}`, import.meta.url), 'utf8'))
  const form = formById(path.startsWith('quotation') ? 'quotation' : 'customerEvaluation')
  return { form, record: { number: r.number, version: r.version, state: r.state, values: r.values, lines: r.lines }, refs: r.refs, company: r.company, released: false }
}
const quote = (): PrintInput => fixture('quotation/fixtures/quotation.json')

/** Every string the document would print, including what the header/footer callbacks return for some pages. */
function everything(doc: TDocumentDefinitions, pages = 3): string {
  const dyn = (f: unknown, p: number): Content | undefined => (typeof f === 'function' ? f(p, pages, { width: 595.28, height: 841.89 }) : undefined)
  const parts: unknown[] = [doc]
  for (let p = 1; p <= pages; p++) parts.push(dyn(doc.header, p), dyn(doc.footer, p))
  return JSON.stringify(parts)
}

describe('formatValue', () => {
  const field = (form: typeof customer | typeof quotation, key: string) => form.fields.find((f) => f.key === key)!
  it('prints option labels, yes/no in the words of its form (老客户/新客户), money with thousands and the referenced record’s name', () => {
    expect(formatValue(field(quotation, 'paymentMethod'), 'credit')).toBe('账期')
    expect(formatValue(field(customer, 'traded'), true)).toBe('老客户')
    expect(formatValue(field(customer, 'traded'), false)).toBe('新客户')
    expect(formatValue(field(quotation, 'grandTotal'), 123456789)).toBe('1,234,567.89')
    expect(formatValue(field(quotation, 'customer'), 'cust-1', { values: { fullName: '苏州明辉光电科技有限公司' } })).toBe('苏州明辉光电科技有限公司')
    expect(formatValue(field(quotation, 'customer'), 'cust-1', undefined)).toBe('')
    expect(formatValue(field(quotation, 'contact'), null)).toBe('')
  })
})

describe('printedDoc', () => {
  it('recomputes line amounts and totals and writes the total in capitals', () => {
    const input = quote()
    input.record.values.grandTotal = 1 // a stale stored total must not reach the paper
    const p = printedDoc(input)
    const lines = p.blocks.find((b) => b.kind === 'lines')!
    const totals = p.blocks.find((b) => b.kind === 'totals')!
    if (lines.kind !== 'lines' || totals.kind !== 'totals') throw new Error('blocks missing')
    expect(lines.headers).toContain('品名')
    // 2000 kg × 24.50 = 49,000.00
    expect(lines.rows[0]).toEqual(['1', '阻燃 PC/ABS 合金', 'FR3010 黑色 UL94 V-0', '2000', 'kg', '24.50', '13%', '49,000.00'])
    // 49,000 + 69,000 + 47,400 + 14,920 + 42 (worked out by hand from the fixture)
    expect(totals.rows.at(-1)).toEqual({ label: '价税合计', value: '¥180,362.00' })
    expect(totals.capital).toBe('人民币壹拾捌万零叁佰陆拾贰元整')
  })

  it('prints blanks, not an error, when the customer reference is not resolved', () => {
    const input = { ...quote(), refs: {} }
    const party = printedDoc(input).blocks[0]!
    expect(party.kind === 'fields' && party.cells.map((c) => c.value)).toEqual(['', '', ''])
  })
})

describe('buildPdfDoc', () => {
  it('builds a fresh definition every call (pdfmake mutates what it is given)', async () => {
    const input = quote()
    const a = await buildPdfDoc(input)
    const b = await buildPdfDoc(input)
    expect(a.doc).not.toBe(b.doc)
    expect(a.doc.content).not.toBe(b.doc.content)
    ;(a.doc.content as unknown[]).length = 0
    expect(everything(b.doc)).toContain('阻燃 PC/ABS 合金')
  })

  it('contains no http(s) URL anywhere, headers and footers included', async () => {
    const input = quote()
    input.record.values.remarks = '参考 www 资料'
    const { doc } = await buildPdfDoc(input)
    expect(everything(doc)).not.toMatch(/https?:\/\//i)
    expect(doc.images ?? {}).toEqual({})
  })

  it('puts a QR with the page identity on every page of a returnable form', async () => {
    const { doc, identity } = await buildPdfDoc(quote())
    const header = doc.header as (p: number, n: number, s: unknown) => Content
    const qrOf = (p: number, n: number): string => /"qr":"([^"]+)"/.exec(JSON.stringify(header(p, n, {})))?.[1] ?? ''
    expect(parseIdentity(qrOf(1, 3))).toEqual({ number: 'BJ2506-A7-0012', version: 2, page: 1, pages: 3, hash8: identity.contentHash8 })
    expect(parseIdentity(qrOf(3, 3))?.page).toBe(3)
    expect(parsePdfSubject(doc.info!.subject!)).toEqual({ number: 'BJ2506-A7-0012', version: 2, hash8: identity.contentHash8 })
  })

  it('prints no QR on an internal form', async () => {
    const { doc } = await buildPdfDoc(fixture('customer-evaluation/fixtures/customer-evaluation.json'))
    expect(everything(doc)).not.toContain('"qr"')
  })

  it('leaves the top margin room for the QR box, so pdfmake does not drop the header', async () => {
    const { doc } = await buildPdfDoc(quote())
    const top = (doc.pageMargins as number[])[1]!
    const g = qrGeometry('MD:BJ2506-A7-0012:V2:P999/999:ABCDEF12'.length)
    expect(top).toBeGreaterThan(g.box + 14)
  })

  it('shows the draft watermark only until released (R10)', async () => {
    expect((await buildPdfDoc({ ...quote(), released: false })).doc.watermark).toMatchObject({ text: '草稿·未审批' })
    expect((await buildPdfDoc({ ...quote(), released: true })).doc.watermark).toBeUndefined()
  })

  it('changes the content hash when printed content changes, and only then', async () => {
    const a = await buildPdfDoc(quote())
    const same = await buildPdfDoc(quote())
    const edited = quote()
    edited.record.lines.items![0]!.values.quantity = '2001'
    const b = await buildPdfDoc(edited)
    expect(same.identity.contentHash8).toBe(a.identity.contentHash8)
    expect(b.identity.contentHash8).not.toBe(a.identity.contentHash8)
  })

  it('reports characters the font lacks', async () => {
    const input = quote()
    input.record.values.remarks = '请确认😀，谢谢'
    const noEmoji = (cp: number): boolean => cp < 0x1f000
    expect((await buildPdfDoc(input, { covered: noEmoji })).missingGlyphs).toEqual(['😀'])
    expect((await buildPdfDoc(quote(), { covered: noEmoji })).missingGlyphs).toEqual([])
  })
})

describe('approvals (制单 / 审核 / 批准)', () => {
  const approvals: PrintApprovals = {
    submit: { name: '张敏', day: '2025-06-11', at: '2025-06-11T02:00:00.000Z' },
    approve: { name: '李强', actingFor: '王建国', day: '2025-06-12', at: '2025-06-12T02:00:00.000Z' },
  }
  const footerOf = (doc: TDocumentDefinitions, page: number, pages: number): string =>
    JSON.stringify((doc.footer as (p: number, n: number, s: unknown) => Content)(page, pages, {}))

  it('prints the names and days, 代 the principal, on the last line of the last page only', async () => {
    const { doc } = await buildPdfDoc({ ...quote(), approvals })
    expect(footerOf(doc, 2, 2)).toContain('制单：')
    expect(footerOf(doc, 2, 2)).toContain('张敏  2025-06-11')
    expect(footerOf(doc, 2, 2)).toContain('李强（代王建国）  2025-06-12')
    expect(footerOf(doc, 1, 2)).not.toContain('制单')
    expect(JSON.stringify(doc.content)).not.toContain('制单')
  })

  it('leaves lines to sign by hand when nobody has acted', async () => {
    const f = footerOf((await buildPdfDoc(quote())).doc, 1, 1)
    expect(f).toContain('审核/批准：')
    expect(f).toMatch(/"____+"/)
  })

  it('are part of the printed content hash: a sheet with approvers differs from the draft without', async () => {
    const without = await buildPdfDoc(quote())
    const withA = await buildPdfDoc({ ...quote(), approvals })
    const again = await buildPdfDoc({ ...quote(), approvals: { ...approvals } })
    expect(withA.identity.contentHash8).not.toBe(without.identity.contentHash8)
    expect(again.identity.contentHash8).toBe(withA.identity.contentHash8)
    // The time that orders the marks is not printed, so it does not change the sheet's identity.
    const moved = await buildPdfDoc({ ...quote(), approvals: { ...approvals, submit: { ...approvals.submit!, at: '2025-06-11T03:00:00.000Z' } } })
    expect(moved.identity.contentHash8).toBe(withA.identity.contentHash8)
  })
})

describe('keeping the totals with the signatures', () => {
  const b = (kind: PrintedBlock['kind']): PrintedBlock => ({ kind } as PrintedBlock)
  it('keeps from the last totals before the sign-off blocks through the last of them', () => {
    expect(keepTogetherRange([b('fields'), b('lines'), b('totals'), b('fields'), b('text'), b('signatures')])).toEqual({ start: 2, end: 5 })
    expect(keepTogetherRange([b('totals'), b('lines'), b('totals'), b('text'), b('approvals'), b('signatures')])).toEqual({ start: 2, end: 5 })
    expect(keepTogetherRange([b('fields'), b('text'), b('approvals'), b('signatures')])).toEqual({ start: 2, end: 3 })
    expect(keepTogetherRange([b('fields'), b('text'), b('signatures')])).toBeNull()
    expect(keepTogetherRange([b('fields'), b('lines'), b('totals')])).toBeNull()
  })

  it('marks the group for pdfmake’s pageBreakBefore, which breaks only before the group’s start', async () => {
    const { doc } = await buildPdfDoc(quote())
    expect(doc.pageBreakBefore).toBeTypeOf('function')
    const ids = JSON.stringify(doc.content).match(/"id":"md-keep-(start|end)"/g)
    expect(ids).toEqual(['"id":"md-keep-start"', '"id":"md-keep-end"'])
    const at = (page: number, verticalRatio: number) => ({ pageNumber: page, verticalRatio, pageInnerHeight: 600 })
    const node = (id: string, page: number, ratio: number) => ({ id, startPosition: at(page, ratio) }) as never
    const ask = (start: [number, number], end: [number, number]) => doc.pageBreakBefore!(node('md-keep-start', ...start), {
      getFollowingNodesOnPage: () => (end[0] === start[0] ? [node('md-keep-end', ...end)] : []),
      getNodesOnNextPage: () => (end[0] === start[0] + 1 ? [node('md-keep-end', ...end)] : []),
      getPreviousNodesOnPage: () => [],
    })
    expect(ask([1, 0.5], [1, 0.9])).toBe(false) // together already
    expect(ask([1, 0.7], [2, 0.4])).toBe(true) // split, and it fits on a page: break before the totals
    expect(ask([1, 0.3], [2, 0.5])).toBe(false) // taller than a page: a break would only leave a gap
    expect(ask([1, 0], [2, 0.5])).toBe(false) // already at the top of a page
    expect(doc.pageBreakBefore!(node('other', 1, 0.7), { getFollowingNodesOnPage: () => [], getNodesOnNextPage: () => [], getPreviousNodesOnPage: () => [] })).toBe(false)
  })
})

describe('QR geometry and glyphs', () => {
  it('chooses the version from the payload length and fits 3 pt modules', () => {
    expect(qrGeometry(47)).toMatchObject({ version: 3, modules: 29, fit: 87 })
    expect(qrGeometry(48)).toMatchObject({ version: 4, modules: 33, fit: 99 })
  })

  it('maps italics to the upright faces (CJK has none)', () => {
    expect(pdfFontDescriptor('r.ttf', 'b.ttf').NotoSansSC).toEqual({ normal: 'r.ttf', bold: 'b.ttf', italics: 'r.ttf', bolditalics: 'b.ttf' })
  })

  it('lists each missing character once, ignoring line breaks', () => {
    expect(missingGlyphs('a\nb😀c😀\t𠀀', (cp) => cp < 0x10000 && cp !== 0x62)).toEqual(['b', '😀', '𠀀'])
  })
})
