/**
 * Batch print in Node: three quotations rendered with pdfmake (the worker's builder) through the
 * same request assembly as the print preview (printInputFor), joined with pdf-lib, then read back
 * the way a person and the scan importer would: pdfinfo, pdftotext per page, the QR of each page.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jsQR from 'jsqr'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import type { LoadedDoc } from '@core/ports'
import type { AuditEntry } from '@core/model'
import type { Values } from '@forms/schema/types'
import { parseIdentity, type PageIdentity } from '@core/identity'
import { formById } from '@forms/registry'
import { quotation } from '@forms/quotation/quotation.form'
import { renderPdfNode } from '../../../../scripts/pdf-node'
import { printInputFor } from './print-input'
import { mergePdfs } from './merge'
import { BatchCancelled, printBatch, type BatchDeps, type BatchProgress, type BatchResult } from './batch'

const dir = mkdtempSync(join(tmpdir(), 'md-batch-'))

interface Fixture { number: string; version: number; state: string; values: Values; lines: Record<string, Array<{ id: string; values: Values }>>; refs: Record<string, { values: Values }>; company: { name: string; address: string; phone: string }; audit?: Array<Omit<AuditEntry, 'id' | 'docId'>> }
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`../../../../forms/quotation/fixtures/${name}`, import.meta.url), 'utf8')) as Fixture

/** A stored quotation as the data layer would load it, from a fixture, under another number and state. */
function stored(id: string, f: Fixture, number: string, state: string): { loaded: LoadedDoc; fixture: Fixture } {
  const at = '2026-11-27T00:00:00.000Z'
  const lines = Object.entries(f.lines).flatMap(([field, rows]) => rows.map((r, seq) => ({ id: `${id}-${r.id}`, docId: id, field, seq, values: r.values })))
  return { loaded: { doc: { id, form: 'quotation', number, state, version: f.version, values: f.values, createdAt: at, createdBy: 'u', updatedAt: at, updatedBy: 'u' }, lines }, fixture: f }
}

// A released 1-page quotation, a 2-page draft (30 lines) and another 1-page draft.
const DOCS = [
  stored('d1', fixture('quotation.json'), 'BJ2611-A7-0001', 'approved'),
  stored('d2', fixture('quotation-30-lines.json'), 'BJ2611-A7-0002', 'draft'),
  stored('d3', fixture('quotation.json'), 'BJ2611-A7-0003', 'draft'),
]

/** The data layer and the worker, in Node: fixtures for records, pdfmake for rendering, pdf-lib for joining. */
function nodeDeps(calls: string[] = []): BatchDeps {
  const byId = new Map(DOCS.map((d) => [d.loaded.doc.id, d]))
  return {
    load: async (id) => { calls.push(`load:${id}`); return byId.get(id)?.loaded },
    request: (loaded) => {
      const f = byId.get(loaded.doc.id)!.fixture
      return printInputFor(loaded, {
        form: quotation, company: f.company,
        get: async (form, id) => (form === 'customer' && id === loaded.doc.values.customer ? f.refs.customer : undefined),
        timeline: async (docId) => (f.audit ?? []).map((e, i) => ({ ...e, id: `a${i}`, docId })),
      })
    },
    render: async (input) => {
      calls.push(`render:${input.record.number}`)
      const pdf = await renderPdfNode({ ...input, form: formById(input.formId) })
      return { bytes: new Uint8Array(pdf.bytes), pages: pdf.pages, hash8: pdf.identity.contentHash8, missingGlyphs: pdf.missingGlyphs }
    },
    merge: async (parts, title) => { calls.push('merge'); return mergePdfs(parts, title) },
  }
}

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' })
const pageText = (file: string, page: number): string => run('pdftotext', ['-raw', '-f', String(page), '-l', String(page), file, '-']).replace(/\s+/g, '')
const info = (file: string): string => run('pdfinfo', [file])

/** The QR in a page's top-right quarter at 150 dpi, as the scan importer reads it; null when none. */
async function qrOf(file: string, page: number): Promise<PageIdentity | null> {
  const prefix = join(dir, `p${page}`)
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, prefix])
  const img = await loadImage(readFileSync(`${prefix}.png`))
  const w = Math.floor(img.width / 2), h = Math.floor(img.height / 4)
  const ctx = createCanvas(w, h).getContext('2d')
  ctx.drawImage(img, -(img.width - w), 0)
  const qr = jsQR(new Uint8ClampedArray(ctx.getImageData(0, 0, w, h).data.buffer), w, h)
  return qr ? parseIdentity(qr.data) : null
}

describe('batch print: three quotations as one PDF', () => {
  let result: BatchResult
  let file: string
  const progress: BatchProgress[] = []
  beforeAll(async () => {
    result = await printBatch(DOCS.map((d) => d.loaded.doc.id), nodeDeps(), { title: '报价单 ×3', onProgress: (p) => progress.push(p) })
    file = join(dir, 'batch.pdf')
    writeFileSync(file, result.bytes)
  })

  it('has the pages of all three, in the order chosen (1 + 2 + 1)', () => {
    expect(result.docs.map((d) => [d.number, d.pages])).toEqual([['BJ2611-A7-0001', 1], ['BJ2611-A7-0002', 2], ['BJ2611-A7-0003', 1]])
    expect(result.pages).toBe(4)
    expect(/Pages:\s+(\d+)/.exec(info(file))?.[1]).toBe('4')
  })

  it('numbers each document\'s pages as if printed alone', () => {
    const texts = [1, 2, 3, 4].map((p) => pageText(file, p))
    expect(texts[0]).toContain('第1页/共1页')
    expect(texts[0]).toContain('BJ2611-A7-0001')
    expect(texts[1]).toContain('第1页/共2页')
    expect(texts[2]).toContain('第2页/共2页')
    expect(texts[2]).toContain('BJ2611-A7-0002')
    expect(texts[3]).toContain('第1页/共1页')
    expect(texts[3]).toContain('BJ2611-A7-0003')
  })

  it('keeps each page\'s own QR identity, readable as the scan importer reads it', async () => {
    const ids = []
    for (const p of [1, 2, 3, 4]) ids.push(await qrOf(file, p))
    expect(ids.map((id) => id && `${id.number} P${id.page}/${id.pages}`)).toEqual([
      'BJ2611-A7-0001 P1/1', 'BJ2611-A7-0002 P1/2', 'BJ2611-A7-0002 P2/2', 'BJ2611-A7-0003 P1/1',
    ])
    expect(ids.map((id) => id?.hash8)).toEqual([result.docs[0]!.hash8, result.docs[1]!.hash8, result.docs[1]!.hash8, result.docs[2]!.hash8])
  })

  it('watermarks only the documents not yet approved (R10, §5.6.1)', () => {
    expect(result.docs.map((d) => d.released)).toEqual([true, false, false])
    expect(pageText(file, 1)).not.toContain('草稿·未审批')
    for (const p of [2, 3, 4]) expect(pageText(file, p)).toContain('草稿·未审批')
  })

  it('names no single document in the file\'s metadata (a returned file is identified page by page)', () => {
    const meta = info(file)
    expect(meta).toMatch(/Title:\s+报价单 ×3/)
    expect(meta).not.toMatch(/MD:BJ/)
  })

  it('reports progress after every document', () => {
    expect(progress.map((p) => `${p.done}/${p.total}`)).toEqual(['1/3', '2/3', '3/3'])
  })
})

describe('batch print: cancelling and missing documents', () => {
  it('stops when cancelled: no further document is rendered and nothing is joined', async () => {
    const calls: string[] = []
    const ctl = new AbortController()
    const out = printBatch(DOCS.map((d) => d.loaded.doc.id), nodeDeps(calls), {
      title: 't', signal: ctl.signal, onProgress: (p) => { if (p.done === 1) ctl.abort() },
    })
    await expect(out).rejects.toBeInstanceOf(BatchCancelled)
    expect(calls.filter((c) => c.startsWith('render:'))).toEqual(['render:BJ2611-A7-0001'])
    expect(calls).not.toContain('merge')
  })

  it('leaves out a document deleted since it was selected, and says which', async () => {
    const out = await printBatch(['d1', 'gone', 'd3'], nodeDeps(), { title: 't' })
    expect(out.docs.map((d) => d.number)).toEqual(['BJ2611-A7-0001', 'BJ2611-A7-0003'])
    expect(out.notFound).toEqual(['gone'])
    expect(out.pages).toBe(2)
  })
})
