/** The PDF worker's warm-up (issue 9): who gets it at sign-in, and the throwaway print it makes. */
import { describe, expect, it } from 'vitest'
import { forms } from '@forms/registry'
import { buildPdfDoc } from '@core/pdf/build-doc'
import { renderPdfNode } from '../../../../scripts/pdf-node'
import { printsForCustomers, warmUpFormFor, warmUpInput } from './warm-up'

describe('who prints for customers (their PC warms the PDF worker at sign-in)', () => {
  it('is whoever sends out documents that come back signed: 业务员, 客服助理, finance (对账单), R&D and engineering (样品确认单)', () => {
    for (const r of ['salesperson', 'csAssistant', 'finance', 'rdEngineer', 'engineering'] as const) expect(printsForCustomers([r], forms), r).toBe(true)
  })

  it('is not someone who only approves or reviews', () => {
    for (const r of ['marketingHead', 'generalManager', 'qa', 'pmc', 'admin'] as const) expect(printsForCustomers([r], forms), r).toBe(false)
    expect(printsForCustomers([], forms)).toBe(false)
  })

  it('warms with a form the person makes', () => {
    const f = warmUpFormFor(['csAssistant'], forms)
    expect(f?.print?.returnable).toBe(true)
    expect(f && printsForCustomers(['csAssistant'], [f])).toBe(true)
    expect(warmUpFormFor(['qa'], forms)).toBeUndefined()
  })
})

describe('the throwaway print', () => {
  it('builds for every printable form, blank but with its lines table, QR and draft watermark', async () => {
    for (const form of forms.filter((f) => f.print)) {
      const built = await buildPdfDoc(warmUpInput(form))
      expect(built.doc.watermark, form.id).toBeTruthy()
      expect(built.identity.number).toBe('WARMUP-0001')
    }
  })

  it('is a real PDF when rendered (pdfmake in Node)', async () => {
    const pdf = await renderPdfNode(warmUpInput(forms.find((f) => f.id === 'quotation')!))
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.pages).toBeGreaterThanOrEqual(1)
    expect(pdf.missingGlyphs).toEqual([])
  })
})
