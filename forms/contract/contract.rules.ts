import type { CompareDef, Condition, DerivedData, DeriveSource, DocSnapshot, FieldError, FormData, Guard, Label, RefSource, Values } from '../schema/types'
import { differingTerms } from '../../renderer/core/compare'
import { evaluationFiledForOrder } from '../customer-evaluation/customer-evaluation.rules'
import { sampleConfirmedForOrder } from '../sample-confirmation/sample-confirmation.rules'
import { firstContact } from '../customer/customer.rules'

/**
 * R12, §5.6.3: the trade terms agreed on the quotation (交易方式, 付款方式, 信用期数, 交货地点, 包装运输,
 * 品质要求, 交易价格), each kept on the contract from the quotation it names (mirrored, never typed).
 */
export const AGREED_TERMS: CompareDef = {
  title: { zh: '与报价单约定的交易条件对照', en: 'Trade terms against the agreed quotation' },
  ref: 'quotation',
  pairs: [
    { field: 'tradeMethod', agreed: 'agreedTradeMethod' },
    { field: 'paymentMethod', agreed: 'agreedPaymentMethod' },
    { field: 'creditDays', agreed: 'agreedCreditDays' },
    { field: 'deliveryPlace', agreed: 'agreedDeliveryPlace' },
    { field: 'packaging', agreed: 'agreedPackaging' },
    { field: 'qualityRequirement', agreed: 'agreedQuality' },
  ],
  lines: { field: 'items', name: 'productName', pairs: [{ column: 'unitPrice', agreed: 'quotedPrice' }] },
  note: {
    rule: 'R12', clause: '§5.6.3',
    message: { zh: '订单与报价时约定的条件不一致：须与客户重新协商，并由营销部负责人确认', en: 'The order differs from the agreed terms: re-agree them and have the marketing head confirm' },
  },
}

/** R12: some term of the contract differs from the agreed quotation (the marketing head then confirms). */
export const termsDiffer: Condition = (data) => differingTerms(AGREED_TERMS, data).length > 0

/** R11: a special environmental agreement (特殊环保协议) needs QA, R&D and marketing all to confirm. */
export const hasEnvAgreement: Condition = (data) => data.values.envAgreement === true

/**
 * "如客户要求签订": the customer who asks for a contract gets a 销售合同 signed by our authorised
 * signatory; otherwise the same document prints as the 订单 (order confirmation) the customer stamps.
 */
export function printedTitle(data: FormData): Label {
  return data.values.contractRequested === true ? { zh: '销售合同', en: 'Sales contract' } : { zh: '订单确认书', en: 'Order confirmation' }
}

/** "如客户要求签订": a contract the customer asked for names the company's authorised signatory. */
export function signatoryWhenRequested(data: FormData): FieldError[] {
  if (data.values.contractRequested === true && (typeof data.values.signatory !== 'string' || data.values.signatory === '')) {
    return [{ field: 'signatory', message: { zh: '客户要求签订合同时，请选择我方授权签约人', en: 'Choose the authorised signatory when the customer asks for a contract' } }]
  }
  return []
}

/** R12: terms that differ from the quotation go for approval only with the re-agreement written down. */
export const termsReagreed: Guard = ({ doc }) => {
  const diffs = differingTerms(AGREED_TERMS, doc)
  if (!diffs.length || (typeof doc.values.reagreement === 'string' && doc.values.reagreement.trim() !== '')) return { ok: true }
  return {
    ok: false, rule: 'R12', clause: '§5.6.3',
    message: {
      zh: `有 ${diffs.length} 项条件与报价单约定不一致（见“与报价单约定的交易条件对照”）：请在“重新协商说明”中写明与客户重新协商的结果，再提交营销部负责人确认`,
      en: `${diffs.length} term(s) differ from the quotation: write down the re-agreement with the customer first`,
    },
  }
}

/** R25, §5.6.1: a customer's first order needs its evaluation completed and filed by CS. */
export const customerFiledForOrder: Guard = ({ doc, lookup }) => (typeof doc.values.customer === 'string'
  ? evaluationFiledForOrder(lookup, doc.values.customer)
  : { ok: false, rule: 'R25', clause: '§5.6.1', message: { zh: '请先选择客户', en: 'Choose the customer first' } })

/**
 * R8, §5.5.1: no order without the customer's signed colour card and performance confirmation.
 * A trading customer's (老客户) repeat order and a charged sample's own order (R4: the sample is what
 * is being ordered) do not wait on a confirmation.
 */
export async function orderSampleConfirmed(lookup: DocLookup, doc: Pick<DocSnapshot, 'values'>) {
  const customer = doc.values.customer
  if (typeof customer !== 'string') return { ok: true as const }
  if (typeof doc.values.sampleApplication === 'string' && doc.values.sampleApplication !== '') return { ok: true as const }
  if ((await lookup.get('customer', customer))?.values.traded === true) return { ok: true as const }
  return sampleConfirmedForOrder(lookup, customer)
}
type DocLookup = Parameters<Guard>[0]['lookup']

export const sampleConfirmedBeforeOrder: Guard = ({ doc, lookup }) => orderSampleConfirmed(lookup, doc)

/**
 * R4, §5.2: a charged sample (计价样品) follows the order flow: this contract names the sample
 * application it orders, which must be a charged one.
 */
export const chargedSampleOrder: Guard = async ({ doc, lookup }) => {
  const id = doc.values.sampleApplication
  if (typeof id !== 'string' || id === '') return { ok: true }
  const app = await lookup.get('sampleApplication', id)
  if (app?.values.sampleType === 'charged') return { ok: true }
  return {
    ok: false, rule: 'R4', clause: '§5.2',
    message: { zh: '只有计价样品才按订单流程下单；免费样品不需要合同，请去掉关联的样品申请单', en: 'Only a charged sample is ordered through a contract' },
  }
}

/** Picking the customer fills 联系人, 付款方式, 信用期, 交货地点 and 业务员 from its record. */
export function fromCustomer(customer: RefSource): Values {
  const v = customer.values
  return {
    contact: firstContact(customer)?.name ?? null, paymentMethod: v.paymentMethod ?? null, creditDays: v.creditDays ?? null,
    deliveryPlace: v.address ?? null, salesperson: v.salesperson ?? null,
  }
}

/** 新建销售合同 from the customer's page. */
export function contractFromCustomer(customer: RefSource): DerivedData {
  return { values: fromCustomer(customer) }
}

const TERM_KEYS = ['tradeMethod', 'paymentMethod', 'creditDays', 'deliveryPlace', 'packaging', 'qualityRequirement'] as const

/** 从报价单生成合同: the customer, the agreed terms and the quoted lines (quantities and prices as quoted). */
export function contractFromQuotation(q: RefSource): DerivedData {
  const values: Values = { customer: q.values.customer ?? null, contact: q.values.contact ?? null, salesperson: q.values.salesperson ?? null }
  for (const k of TERM_KEYS) values[k] = q.values[k] ?? null
  return {
    values,
    lines: {
      items: (q.lines.items ?? []).map((r) => ({
        product: r.product, productName: r.productName, spec: r.spec, quantity: r.quantity, unit: r.unit, unitPrice: r.unitPrice, taxRate: r.taxRate,
      })),
    },
  }
}

/** R4: only a charged sample's application is ordered through a contract. */
export const isChargedSample = (a: DeriveSource) => a.values.sampleType === 'charged'

/** 从计价样品申请生成订单 (R4): the customer, its order number and the samples. */
export function contractFromSample(a: RefSource): DerivedData {
  return {
    values: { customer: a.values.customer ?? null, salesperson: a.values.salesperson ?? null, customerOrderNo: a.values.orderNo ?? null },
    lines: { items: (a.lines.items ?? []).map((r) => ({ productName: r.productName, spec: r.spec, quantity: r.quantity, unit: r.unit })) },
  }
}
