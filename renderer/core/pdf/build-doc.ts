/**
 * Form + record → pdfmake document definition (pdf.md). One generic builder driven by
 * `form.print.blocks`. The definition is built fresh on every call because pdfmake mutates it.
 * It holds functions (header/footer need the page number), so build it where pdfmake runs.
 */
import type { Content, ContentColumns, ContentTable, CustomTableLayout, Node, NodeQueries, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces'
import { contentHash8, formatIdentity } from '../identity'
import { missingGlyphs } from './glyphs'
import { printedDoc, printedText, type PrintInput, type PrintedBlock, type PrintedDoc } from './printed'

export type { PrintInput, PrintRecord, PrintCompany } from './printed'

/** The font family every document uses; the host registers it (normal + bold TTF). */
export const PDF_FONT = 'NotoSansSC'

/** pdfmake font descriptor for NotoSansSC: CJK has no italics, so italics map to the upright faces (pdf.md). */
export function pdfFontDescriptor(normal: string, bold: string): Record<string, { normal: string; bold: string; italics: string; bolditalics: string }> {
  return { [PDF_FONT]: { normal, bold, italics: normal, bolditalics: bold } }
}

/** Filled in by the header callback while pdfmake lays the document out. */
export interface PageTally { count: number }

/** What identifies the printed document (also in the PDF metadata). */
export interface PrintIdentity {
  number: string
  version: number
  contentHash8: string
  /** `MD:<number>:V<version>:<hash8>`, the PDF Subject (see parsePdfSubject). */
  subject: string
  /** The page count, known once pdfmake has rendered the definition. */
  pages: PageTally
}

export interface BuiltPdfDoc {
  doc: TDocumentDefinitions
  identity: PrintIdentity
  /** Characters the font lacks (printed blank otherwise); empty when no coverage predicate was given. */
  missingGlyphs: string[]
}

export interface BuildOptions {
  /** Whether the font has a glyph for a code point (fontkit `hasGlyphForCodePoint`). */
  covered?: (cp: number) => boolean
}

// ---------- page geometry (points; 1 mm = 72 / 25.4 pt) ----------
const MM = 72 / 25.4
const PAGE_W = 595.28
const PAGE_H = 841.89
const SIDE = 15 * MM
const EDGE = 10 * MM
/** Distance of the QR's dark modules from the top and right page edges (pdf.md: ≥ 10 mm). */
const QR_EDGE = 11 * MM
const BOTTOM = 16 * MM
const COMPANY_BLOCK_H = 46
/** The title and 单号/版本 sit in the header, left of the QR, so every page says what it is. */
const TITLE_Y = EDGE + COMPANY_BLOCK_H + 6
const TITLE_BLOCK_H = 44
const HEADER_GAP = 8

// QR: 3 pt modules at ECC Q read back in every distorted scan tried (pdf.md); 4-module quiet zone.
const QR_MODULE_PT = 3
const QR_QUIET_MODULES = 4
const QR_LABEL_H = 14
/** Alphanumeric capacity at ECC Q for QR versions 1..10. */
const QR_CAPACITY_Q = [16, 29, 47, 67, 87, 108, 125, 157, 189, 221]

/** Smallest QR version holding `length` alphanumeric characters at ECC Q. */
export function qrVersionFor(length: number): number {
  const i = QR_CAPACITY_Q.findIndex((c) => c >= length)
  if (i < 0) throw new Error(`QR payload too long: ${length} characters`)
  return i + 1
}

/** QR geometry for a payload length: version, `fit` (= 3 pt × modules, so pdfmake's floored module is 3 pt) and the box with quiet zone. */
export function qrGeometry(length: number): { version: number; modules: number; fit: number; box: number } {
  const version = qrVersionFor(length)
  const modules = 17 + 4 * version
  const fit = QR_MODULE_PT * modules
  return { version, modules, fit, box: fit + 2 * QR_QUIET_MODULES * QR_MODULE_PT }
}

/** `MD:<number>:V<version>:<hash8>`: the document identity without a page, as written in the PDF Subject. */
export function formatPdfSubject(number: string, version: number, hash8: string): string {
  return `MD:${number}:V${version}:${hash8}`
}

/** Parses a PDF Subject written by formatPdfSubject; null for anything else. */
export function parsePdfSubject(subject: string): { number: string; version: number; hash8: string } | null {
  const m = /^MD:([A-Z0-9][A-Z0-9-]{2,23}):V(\d{1,4}):([0-9A-F]{8})$/.exec(subject.trim())
  return m ? { number: m[1]!, version: Number(m[2]), hash8: m[3]! } : null
}

const GRID: CustomTableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#777777',
  vLineColor: () => '#777777',
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
}
const LABEL_FILL = '#f0f0f0'

/** Rough printed width of a label: hanzi and full-width forms 1 em, other characters 0.6 em. */
function textWidth(text: string, fontSize: number): number {
  let em = 0
  for (const ch of text) em += ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.6
  return em * fontSize
}

function heading(text: string): Content {
  return { text, bold: true, fontSize: 10.5, margin: [0, 8, 0, 3] }
}

function fieldsBlock(b: Extract<PrintedBlock, { kind: 'fields' }>): Content {
  const cols = Math.max(1, b.columns)
  const span = cols * 2
  const body: TableCell[][] = []
  // Label columns get a fixed width from their longest label: 'auto' would let pdfmake squeeze
  // them down to one hanzi per line ("付款方/式") when the values are long.
  const labelW = Array.from({ length: cols }, () => 0)
  let row: Array<{ text: string; fillColor?: string; colSpan?: number }> = []
  const flush = (): void => {
    if (row.length === 0) return
    // A short last row: its last value spans the rest, so no empty cells dangle.
    const missing = span - row.length
    if (missing > 0) {
      row[row.length - 1]!.colSpan = missing + 1
      for (let i = 0; i < missing; i++) row.push({ text: '' })
    }
    body.push(row)
    row = []
  }
  for (const c of b.cells) {
    const label = { text: c.label, fillColor: LABEL_FILL }
    const col = c.wide ? 0 : row.length / 2
    labelW[col] = Math.max(labelW[col]!, textWidth(c.label, 9.5) + 9)
    if (c.wide) {
      flush()
      row = [label, { text: c.value, colSpan: span - 1 }]
      while (row.length < span) row.push({ text: '' })
      body.push(row)
      row = []
      continue
    }
    row.push(label, { text: c.value })
    if (row.length === span) flush()
  }
  flush()
  const widths = Array.from({ length: span }, (_, i) => (i % 2 === 0 ? Math.min(labelW[i / 2]!, 120) : '*'))
  const table: ContentTable = { table: { widths, body, dontBreakRows: true }, layout: GRID }
  // A short grid moves to the next page whole, so its heading is never left alone at a page foot.
  const unbreakable = body.length <= 12
  return b.title ? { stack: [heading(b.title), table], unbreakable } : { stack: [table], unbreakable, margin: [0, 6, 0, 0] }
}

function linesBlock(b: Extract<PrintedBlock, { kind: 'lines' }>): Content {
  const header: TableCell[] = b.headers.map((h, i) => ({ text: h, bold: true, alignment: 'center', fillColor: LABEL_FILL, noWrap: !b.flex[i] && h.length <= 4 }))
  const rows: TableCell[][] = b.rows.map((r) => r.map((v, i) => ({ text: v, alignment: b.align[i] ?? 'left' })))
  if (rows.length === 0) rows.push(b.headers.map((_, i) => ({ text: i === 0 ? '（无明细）' : '', colSpan: i === 0 ? b.headers.length : 1 })))
  return {
    table: {
      // R: the header row repeats on every page so a clerk reading page 2 knows each column.
      headerRows: 1,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: b.flex.map((f, i) => (i === 0 ? 22 : f ? '*' : 'auto')),
      body: [header, ...rows],
    },
    layout: GRID,
    fontSize: 9,
    margin: [0, 8, 0, 0],
  }
}

function totalsBlock(b: Extract<PrintedBlock, { kind: 'totals' }>): Content {
  const n = Math.max(1, b.rows.length)
  const body: TableCell[][] = b.rows.map((r, i) => [
    i === 0 ? { text: b.capitalLabel, rowSpan: n, fillColor: LABEL_FILL, margin: [0, 2, 0, 0] } : { text: '' },
    i === 0 ? { text: b.capital, rowSpan: n, bold: true, fontSize: 10.5, margin: [0, 2, 0, 0] } : { text: '' },
    { text: r.label, fillColor: LABEL_FILL },
    { text: r.value, alignment: 'right', bold: i === b.rows.length - 1, noWrap: true },
  ])
  return { table: { widths: ['auto', '*', 'auto', 'auto'], body, dontBreakRows: true }, layout: GRID, unbreakable: true, margin: [0, -0.5, 0, 0] }
}

function textBlock(b: Extract<PrintedBlock, { kind: 'text' }>): Content {
  const box: ContentTable = { table: { widths: ['*'], body: [[{ text: b.text === '' ? ' ' : b.text }]] }, layout: GRID }
  // Kept with its heading on one page, unless it is so long that it could not fit on any page.
  return { stack: [...(b.title ? [heading(b.title)] : []), box], unbreakable: b.text.length <= 600, ...(b.title ? {} : { margin: [0, 6, 0, 0] }) }
}

// Signature/stamp boxes: 35 mm tall (room for a round company seal of 40–42 mm diameter overlapping the text).
const SIGN_BOX_H = 35 * MM
/** Party name + box + 签字/日期 line (≈ 136 pt) with a little slack: the space claimed at the bottom. */
const SIGN_BLOCK_H = SIGN_BOX_H + 44
const SIGN_GAP = 18

type ApprovalsBlock = Extract<PrintedBlock, { kind: 'approvals' }>

function signaturesBlock(b: Extract<PrintedBlock, { kind: 'signatures' }>, id?: string): Content {
  const n = Math.max(1, b.parties.length)
  const boxW = (PAGE_W - 2 * SIDE - SIGN_GAP * (n - 1)) / n
  const columns: Content[] = b.parties.map((p) => ({
    width: boxW,
    stack: [
      { text: p, bold: true, fontSize: 10.5, margin: [0, 0, 0, 3] },
      // A drawn rectangle is exactly 35 mm; a table cell would add its padding.
      { canvas: [{ type: 'rect', x: 0, y: 0, w: boxW, h: SIGN_BOX_H, lineWidth: 0.5, lineColor: '#777777' }] },
      // One line under the box whatever the number of parties (a wrapped line would leave the
      // block's claimed height and spill onto a page of its own).
      n >= 3
        ? { text: '签字：__________  日期：____年__月__日', fontSize: 7.5, margin: [0, 5, 0, 0] }
        : { text: '签字：________________    日期：______年____月____日', fontSize: 9, margin: [0, 5, 0, 0] },
    ],
  }))
  const block: Content = { columns, columnGap: SIGN_GAP }
  // Bottom of the last page, kept together: a blank spacer as tall as the block claims the space in
  // the flow (moving to a new page when the rest of the page is too short), then the block is drawn
  // at the bottom of that page. Nothing follows it in the flow (an approvals block after it is
  // printed in that page's footer, see footerApprovals), so the area is free.
  return [
    // The spacer's position is the bottom of the claimed space: the kept group's end (KEEP_END).
    { text: ' ', fontSize: 1, margin: [0, SIGN_BLOCK_H, 0, 0], ...(id ? { id } : {}) },
    { stack: [block], absolutePosition: { x: SIDE, y: PAGE_H - BOTTOM - SIGN_BLOCK_H } },
  ]
}

/** Height of one 9 pt line of Noto Sans SC (line height 1.448 em). */
const FOOTER_LINE_H = 13.1

/** One line of boxes side by side: 制单：张三 2025-06-12, or a line to sign on by hand where nobody has acted. */
function approvalsLine(b: ApprovalsBlock, margin: [number, number, number, number]): ContentColumns {
  const columns: Content[] = b.rows.map((r) => ({
    width: '*',
    text: [{ text: `${r.label}：`, bold: true }, r.name === '' ? '____________________' : `${r.name}  ${r.date}`],
  }))
  return { columns, columnGap: SIGN_GAP, fontSize: 9, margin, unbreakable: true }
}

function blockContent(b: PrintedBlock): Content {
  switch (b.kind) {
    case 'fields': return fieldsBlock(b)
    case 'lines': return linesBlock(b)
    case 'totals': return totalsBlock(b)
    case 'text': return textBlock(b)
    case 'signatures': return signaturesBlock(b)
    case 'approvals': return approvalsLine(b, [0, 8, 0, 0])
  }
}

// ---------- keeping the totals with the signatures ----------
const KEEP_START = 'md-keep-start'
const KEEP_END = 'md-keep-end'

/**
 * The blocks that must share a page: from the last totals before the sign-off blocks (approvals,
 * signatures) through the last of them. A signature under a total it cannot be seen with signs
 * nothing in particular. Null when there is nothing to keep together.
 */
export function keepTogetherRange(blocks: PrintedBlock[]): { start: number; end: number } | null {
  const signing = blocks.map((b, i) => (b.kind === 'signatures' || b.kind === 'approvals' ? i : -1)).filter((i) => i >= 0)
  if (signing.length === 0) return null
  const end = signing.at(-1)!
  let start = signing[0]!
  for (let i = start - 1; i >= 0; i--) if (blocks[i]!.kind === 'totals') { start = i; break }
  return start === end && blocks[end]!.kind === 'signatures' ? null : { start, end }
}

/**
 * A zero-height text node carrying an id, so pageBreakBefore can find where the group starts or
 * ends. A marker of its own rather than an id on a block: a node inside an `unbreakable` block (the
 * totals table) reports positions relative to pdfmake's scratch context, not to the page.
 */
function marker(id: string): Content {
  return { text: ' ', id, fontSize: 0.1, margin: [0, 0, 0, -0.15] }
}

/**
 * pdfmake's pageBreakBefore (pdf.md): when the kept group starts on one page and ends on another,
 * break before its start, but only if the whole group fits on a page from the top (a group taller
 * than a page would only leave a gap). pdfmake asks once per node, so this cannot loop.
 * Not `unbreakable` on a stack: pdfmake keeps only the first page of an unbreakable block taller
 * than a page and drops the rest without a word (PageElementWriter.commitUnbreakableBlock).
 */
function keepGroupTogether(node: Node, queries: NodeQueries): boolean {
  if (node.id !== KEEP_START) return false
  const start = node.startPosition
  if (start.verticalRatio <= 0.001) return false // already at the top of a page
  if (queries.getFollowingNodesOnPage().some((n) => n.id === KEEP_END)) return false
  // Further than the next page, the group is taller than a page anyway.
  const end = queries.getNodesOnNextPage().find((n) => n.id === KEEP_END)
  if (!end) return false
  // The group fits on one page when the rest of the start page plus its part on the next page
  // (down to the end marker) is less than a page: (1 - start) + end < 1.
  return end.startPosition.verticalRatio < start.verticalRatio
}

/**
 * An approvals block right after the signatures is the form's last line (制单/审核 under the boxes,
 * as Chinese 单据 print it): drawn in the last page's footer, above the page number. The boxes claim
 * the bottom of the last page, so an extra line in the flow would not fit under them, and a
 * one-page quotation would become two.
 */
function footerApprovals(blocks: PrintedBlock[]): ApprovalsBlock | undefined {
  const i = blocks.findIndex((b) => b.kind === 'signatures')
  const next = i >= 0 ? blocks[i + 1] : undefined
  return next?.kind === 'approvals' ? next : undefined
}

/** The content of all blocks, the kept group between its markers (the footer's approvals left out). */
function bodyContent(blocks: PrintedBlock[]): Content[] {
  const inFooter = footerApprovals(blocks)
  const flow = blocks.filter((b) => b !== inFooter)
  const keep = keepTogetherRange(flow)
  const out: Content[] = []
  flow.forEach((b, i) => {
    if (keep && i === keep.start) out.push(marker(KEEP_START))
    if (b.kind === 'signatures') {
      out.push(signaturesBlock(b, keep?.end === i ? KEEP_END : undefined))
      return
    }
    out.push(blockContent(b))
    if (keep && i === keep.end) out.push(marker(KEEP_END))
  })
  return out
}

function companyHeader(p: PrintedDoc): Content {
  return {
    stack: [
      { text: p.company.name, bold: true, fontSize: 13 },
      { text: `地址：${p.company.address}`, fontSize: 8.5, color: '#333333' },
      { text: `电话：${p.company.phone}`, fontSize: 8.5, color: '#333333' },
    ],
  }
}

/**
 * Builds the pdfmake definition of a form document, its identity (content hash, filled page count)
 * and the characters the font lacks. For returnable forms every page carries the QR identity
 * top-right (pdf.md), and the top margin is computed from the QR box so pdfmake never drops it.
 */
export async function buildPdfDoc(input: PrintInput, options: BuildOptions = {}): Promise<BuiltPdfDoc> {
  const printed = printedDoc(input)
  const hash8 = await contentHash8(printed)
  const { number, version } = printed
  const returnable = input.form.print?.returnable === true
  const pages: PageTally = { count: 0 }
  if (returnable) {
    // Fail before layout, with a message a clerk can act on, rather than inside pdfmake's header callback.
    try { formatIdentity({ number, version, page: 1, pages: 1, hash8 }) } catch {
      throw new Error(`单号“${number}”无法写入二维码（只能含大写字母、数字和 -，3–24 位） / document number does not fit the QR identity`)
    }
  }
  const subject = formatPdfSubject(number, version, hash8)

  // The QR version is fixed for the whole document (the margin is computed before layout) from the
  // longest payload it could carry, 999 pages.
  const qr = qrGeometry(`MD:${number}:V${version}:P999/999:${hash8}`.length)
  // The quiet zone lies inside the 11 mm edge band (white paper either way), so the header starts
  // 4 modules above the QR's dark modules.
  const qrTop = QR_EDGE - QR_QUIET_MODULES * QR_MODULE_PT
  const topMargin = returnable
    ? Math.max(qrTop + qr.box + QR_LABEL_H, TITLE_Y + TITLE_BLOCK_H) + HEADER_GAP
    : TITLE_Y + TITLE_BLOCK_H + HEADER_GAP

  const header = (page: number, count: number): Content => {
    pages.count = count // the last layout pass wins (pdfmake may lay out twice)
    const company = companyHeader(printed)
    // Centred on the page: in the header block x = 0 is the page's left edge and the width is the page's.
    const title: Content = {
      absolutePosition: { x: 0, y: TITLE_Y },
      stack: [
        { text: printed.title, fontSize: 18, bold: true, alignment: 'center', characterSpacing: 4 },
        { text: `单号：${number}　　版本：V${version}`, fontSize: 9.5, alignment: 'center', margin: [0, 2, 0, 0] },
      ],
    }
    if (!returnable) return { stack: [{ columns: [company], margin: [SIDE, EDGE, SIDE, 0] }, title] }
    const payload = formatIdentity({ number, version, page, pages: count, hash8 })
    const row: Content = {
      columns: [
        { width: '*', stack: [company], margin: [0, EDGE - qrTop, 0, 0] },
        {
          width: qr.box,
          stack: [
            { qr: payload, fit: qr.fit, version: qr.version, eccLevel: 'Q', padding: QR_QUIET_MODULES, mode: 'alphanumeric' },
            { text: `${number}  V${version}`, fontSize: 8, alignment: 'center', margin: [0, 1, 0, 0] },
          ],
        },
      ],
      columnGap: 8,
      margin: [SIDE, qrTop, qrTop, 0],
    }
    return { stack: [row, title] }
  }

  const lastLine = footerApprovals(printed.blocks)
  const footer = (page: number, count: number): Content => {
    const pageLine: Content = {
      columns: [
        { text: `${printed.title} ${number}  V${version}`, fontSize: 8, color: '#555555' },
        { text: `第 ${page} 页 / 共 ${count} 页`, fontSize: 9, alignment: 'center' },
        { text: '', fontSize: 8 },
      ],
      margin: [SIDE, 6 * MM, SIDE, 0],
    }
    if (!lastLine || page !== count) return pageLine
    // The page number stays where it is on every page; the approvals line sits just above it.
    return { stack: [approvalsLine(lastLine, [SIDE, 1.5, SIDE, 0]), { ...pageLine, margin: [SIDE, 6 * MM - 1.5 - FOOTER_LINE_H, SIDE, 0] }] }
  }

  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [SIDE, topMargin, SIDE, BOTTOM],
    info: {
      title: `${printed.title} ${number} V${version}`,
      author: printed.company.name,
      subject,
      keywords: `${subject} ${input.form.id}`,
      creator: 'MarketDesk 营销业务台',
      producer: 'MarketDesk (pdfmake)',
    },
    header,
    footer,
    content: bodyContent(printed.blocks),
    pageBreakBefore: keepGroupTogether,
    defaultStyle: { font: PDF_FONT, fontSize: 9.5 },
    ...(input.released ? {} : { watermark: { text: '草稿·未审批', color: '#808080', opacity: 0.18, bold: true, fontSize: 72 } }),
  }

  const fixed = '草稿·未审批 地址：电话：单号：版本：第页共签字：日期：年月（无明细）0123456789/V_'
  return {
    doc,
    identity: { number, version, contentHash8: hash8, subject, pages },
    missingGlyphs: options.covered ? missingGlyphs(`${printedText(printed)}\n${fixed}`, options.covered) : [],
  }
}
