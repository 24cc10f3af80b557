import type { DerivedData, DocSnapshot, Guard, GuardResult, RecordLookup, RefSource } from '../schema/types'

/** 样品性能确认表 from the shipment: customer, application, samples, and whether one is a new formula. */
export function fromShipment(s: RefSource): DerivedData {
  return {
    values: {
      customer: s.values.customer ?? null, application: s.values.application ?? null, salesperson: s.values.salesperson ?? null,
      newFormula: s.values.newFormula ?? false, onSiteTrial: s.values.onSiteTrial ?? false, trialDate: s.values.trialDate ?? null,
    },
    lines: { items: (s.lines.items ?? []).map((r) => ({ productName: r.productName, spec: r.spec })) },
  }
}

/** R7, §5.4: a sample of a new product (全新配方) must be trialled on site. */
export const newFormulaTrialledOnSite: Guard = ({ doc }) => {
  if (doc.values.newFormula !== true || doc.values.onSiteTrial === true) return { ok: true }
  return {
    ok: false, rule: 'R7', clause: '§5.4',
    message: { zh: '全新配方的样品必须现场试料：请与客户约定现场试料，由工程部客服工程师现场确认后再提交', en: 'A new formula must be trialled on site first' },
  }
}

/** States in which the customer's confirmation counts for R8 (signed back, or the approved special case). */
export const CONFIRMED_STATES = ['signed', 'handedOver', 'qaReceived']
/** The R8 special case approved by the director: a new order may go ahead on the salesperson's proxy signature. */
export const SPECIAL_APPROVED = 'specialApproved'

/** The signed colour card: its scan (客户扫描电子版也可) attached, or the customer's own confirmation report instead. */
function hasColourCard(c: DocSnapshot): boolean {
  return (typeof c.values.colourCard === 'number' && c.values.colourCard > 0) || (typeof c.values.customerReport === 'number' && c.values.customerReport > 0)
}

/**
 * R8, §5.5.1: no order is entered and no production scheduled without the signed colour card and the
 * signed performance confirmation (a scanned colour card and the customer's own internal confirmation
 * report are accepted). Exception: a new order marked as a special case, with its reason, on the
 * salesperson's proxy signature approved by the marketing director (or proxy). For the order and
 * production stages' guards.
 */
export async function sampleConfirmedForOrder(lookup: RecordLookup, customerId: string): Promise<GuardResult> {
  const confirmations = await lookup.findBy('sampleConfirmation', 'customer', customerId)
  if (confirmations.some((c) => CONFIRMED_STATES.includes(c.state) && hasColourCard(c))) return { ok: true }
  if (confirmations.some((c) => c.state === SPECIAL_APPROVED)) return { ok: true }
  const signedNoCard = confirmations.some((c) => CONFIRMED_STATES.includes(c.state))
  return {
    ok: false, rule: 'R8', clause: '§5.5.1',
    message: signedNoCard
      ? { zh: '《样品性能确认表》已签回，但还没有签回的色卡（扫描件也可）或客户的确认报告：请先上传', en: 'The confirmation is signed but the colour card (or the customer’s report) is missing' }
      : { zh: '没有客户签回的色卡和《样品性能确认表》，不能下单或安排生产；特殊情况新订单须业务员代签并经营销总监签核', en: 'No signed colour card and performance confirmation: no order or production (a special case needs the director’s approval)' },
  }
}

/**
 * R9, §5.5.2: CS hands the signed sample, 产品承认书/规格书 and the confirmation to the QA head; until
 * QA has received them, QA tells the production head not to produce a new customer's or a new
 * order's product. For the production stage's guard.
 */
export async function qaHasSampleRecords(lookup: RecordLookup, customerId: string): Promise<GuardResult> {
  const confirmations = await lookup.findBy('sampleConfirmation', 'customer', customerId)
  if (confirmations.some((c) => c.state === 'qaReceived')) return { ok: true }
  return {
    ok: false, rule: 'R9', clause: '§5.5.2',
    message: { zh: '品质部尚未收到客户签回的样品及承认书/规格书：通知生产部暂不生产。请客服助理先移交品质部', en: 'QA has not received the signed sample and specifications: production must not start' },
  }
}

/** R9: the hand-over to QA carries the 产品承认书 / 规格书. */
export const specSheetsAttached: Guard = ({ doc }) => {
  if (typeof doc.values.specSheets === 'number' && doc.values.specSheets > 0) return { ok: true }
  return {
    ok: false, rule: 'R9', clause: '§5.5.2',
    message: { zh: '请先上传客户签回的产品承认书 / 规格书，再移交品质部', en: 'Attach the signed approval sheet / specification first' },
  }
}

/** R8: the signed colour card (or the customer's report) must be attached before the confirmation is handed on. */
export const colourCardAttached: Guard = ({ doc }) => (hasColourCard(doc)
  ? { ok: true }
  : { ok: false, rule: 'R8', clause: '§5.5.1', message: { zh: '请先上传客户签回的色卡（扫描件也可）或客户的样品确认报告', en: 'Attach the signed colour card (a scan will do) or the customer’s report first' } })

/** 报价单 from the confirmed sample: the customer and the confirmed products (prices are quoted fresh). */
export function quotationFromConfirmation(c: RefSource): DerivedData {
  return {
    values: { customer: c.values.customer ?? null, salesperson: c.values.salesperson ?? null },
    lines: { items: (c.lines.items ?? []).filter((r) => r.verdict !== 'fail').map((r) => ({ productName: r.productName, spec: r.spec })) },
  }
}
