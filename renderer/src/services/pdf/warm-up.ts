/**
 * Warming the PDF worker before the first print of a session (issue 9). Pure TypeScript: what the
 * throwaway document is and who gets a warm worker at sign-in; the worker and the App shell call it.
 */
import type { FormDef, LineRow } from '../../../../forms/schema/types'
import type { Role } from '../../../core/vocabulary'
import type { PrintInput } from '../../../core/pdf/build-doc'

/**
 * A throwaway print of `form` with no values and eight empty lines per line table: its labels in
 * both weights, the fields grid, the lines table, the totals, the QR, the page numbers and the
 * draft watermark go through pdfmake, fontkit (layout and subsetting) and pdfkit as a real print
 * does, so the engine's code is compiled and the fonts' tables are decoded before a clerk waits.
 * Nothing of it is kept or shown.
 */
export function warmUpInput(form: FormDef): PrintInput {
  const lines: Record<string, LineRow[]> = {}
  for (const f of form.fields) {
    if (f.type === 'lines') lines[f.key] = Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, values: {} }))
  }
  return {
    form,
    record: { number: 'WARMUP-0001', version: 1, state: form.workflow?.initial ?? 'draft', values: {}, lines },
    refs: {},
    company: { name: '预热 MarketDesk 营销业务台', address: '地址 0123456789', phone: '电话 0769-0000 0000' },
    released: false,
  }
}

/**
 * Whether someone holding `roles` prints for customers: they may take a transition out of the
 * first state of a form printed to be signed and sent back (报价单, 销售合同, 样品确认单 …), i.e. they
 * make and send such documents. Their PC warms the PDF worker at sign-in; everyone else's starts
 * it on the first tick of a list or the opening of a printable document, as before.
 */
export function printsForCustomers(roles: readonly Role[], forms: readonly FormDef[]): boolean {
  return forms.some((f) => f.print?.returnable && f.workflow && f.workflow.transitions.some((t) =>
    t.from.includes(f.workflow!.initial) && (t.roles.length === 0 || t.roles.some((r) => roles.includes(r)))))
}

/** The form a sign-in warm-up prints: the first returnable form `roles` make (see printsForCustomers). */
export function warmUpFormFor(roles: readonly Role[], forms: readonly FormDef[]): FormDef | undefined {
  return forms.find((f) => printsForCustomers(roles, [f]))
}
