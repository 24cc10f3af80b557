import type { DerivedData, DocSnapshot, Guard, GuardContext, RefSource } from '../schema/types'
import { formatFen } from '../../renderer/core/money'
import { fromMilli, milli } from '../../renderer/core/quantity'
import { CONFIRMED_PAYMENT, type LineTally, SHIPPED_STATES, sameGoods, shippedByLine, sumOf } from '../contract/contract.tally'

const goods = (r: RefSource['lines'][string][number]) => ({ product: r.product, productName: r.productName, spec: r.spec, quantity: r.quantity, unit: r.unit })

/** 发货单 from the contract: customer, address, packaging and the ordered lines (prices stay the contract's). */
export function deliveryFromContract(c: RefSource): DerivedData {
  return {
    values: { customer: c.values.customer ?? null, salesperson: c.values.salesperson ?? null, deliveryAddress: c.values.deliveryPlace ?? null, contact: c.values.contact ?? null },
    lines: { items: (c.lines.items ?? []).map(goods) },
  }
}

/** 发货单 from the production notice: its contract, customer and the produced lines. */
export function deliveryFromNotice(n: RefSource): DerivedData {
  return {
    values: { contract: n.values.contract ?? null, customer: n.values.customer ?? null, salesperson: n.values.salesperson ?? null },
    lines: { items: (n.lines.items ?? []).map(goods) },
  }
}

async function contractAndDeliveries({ doc, lookup }: GuardContext): Promise<{ contract?: DocSnapshot; deliveries: DocSnapshot[] }> {
  if (typeof doc.values.contract !== 'string') return { deliveries: [] }
  const contract = await lookup.get('contract', doc.values.contract)
  return { contract, deliveries: contract ? await lookup.findBy('delivery', 'contract', contract.id) : [] }
}

const money = (fen: number) => `¥${formatFen(fen)}`

/**
 * Partial deliveries are allowed, but never more of a product than is left on the contract (what
 * it orders less what other deliveries shipped), nor goods the contract does not order.
 */
export const withinContract: Guard = async (ctx) => {
  const { contract, deliveries } = await contractAndDeliveries(ctx)
  if (!contract) return { ok: false, rule: '', clause: '§5.7', message: { zh: '请先选择这批货所属的销售合同', en: 'Choose the contract first' } }
  const returns = await ctx.lookup.findBy('salesReturn', 'contract', contract.id)
  const tallies = shippedByLine(contract.lines.items ?? [], deliveries, ctx.doc.id, returns)
  const want = new Map<LineTally, bigint>()
  for (const r of ctx.doc.lines.items ?? []) {
    const hit = sameGoods(tallies.map((t) => t.row), r.values)
    const t = hit && tallies.find((x) => x.row === hit)
    if (!t) {
      return { ok: false, rule: '', clause: '§5.7', message: { zh: `合同 ${contract.number} 没有订“${String(r.values.productName ?? '')}”：发货明细只能是合同上的产品`, en: 'The contract does not order this product' } }
    }
    want.set(t, (want.get(t) ?? 0n) + (milli(r.values.quantity) ?? 0n))
  }
  for (const [t, qty] of want) {
    const rest = t.ordered - t.shipped
    if (qty > rest) {
      const unit = String(t.row.unit ?? '')
      return {
        ok: false, rule: '', clause: '§5.7',
        message: {
          zh: `${String(t.row.productName ?? '')}：合同 ${fromMilli(t.ordered)} ${unit}，已发 ${fromMilli(t.shipped)} ${unit}，本次最多 ${fromMilli(rest < 0n ? 0n : rest)} ${unit}，本单填了 ${fromMilli(qty)} ${unit}。请改小数量，或先办合同变更`,
          en: `${String(t.row.productName ?? '')}: ordered ${fromMilli(t.ordered)}, shipped ${fromMilli(t.shipped)}, at most ${fromMilli(rest < 0n ? 0n : rest)} left; this note has ${fromMilli(qty)}`,
        },
      }
    }
  }
  return { ok: true }
}

/**
 * R13, §5.7.1: a cash-in-advance customer (款到发货) is shipped only against money already recorded:
 * confirmed payments on the contract cover everything shipped so far and this delivery. A 现结
 * customer ships on the agreed condition (payment on delivery): a reminder, confirmed by the clerk.
 */
export const paidBeforeShipping: Guard = async (ctx) => {
  const { contract, deliveries } = await contractAndDeliveries(ctx)
  if (!contract) return { ok: true }
  if (contract.values.paymentMethod === 'cash') {
    return { ok: true, warning: { rule: 'R13', clause: '§5.7.1', message: { zh: '现结客户：须按约定条件发货，送货时当场收取货款', en: 'A cash customer: ship on the agreed condition and collect on delivery' } } }
  }
  if (contract.values.paymentMethod !== 'prepay') return { ok: true }
  const paid = sumOf(await ctx.lookup.findBy('payment', 'contract', contract.id), 'amount', CONFIRMED_PAYMENT)
  const shipped = sumOf(deliveries.filter((d) => d.id !== ctx.doc.id), 'totalAmount', SHIPPED_STATES)
  const thisOne = typeof ctx.doc.values.totalAmount === 'number' ? ctx.doc.values.totalAmount : 0
  if (paid >= shipped + thisOne) return { ok: true }
  return {
    ok: false, rule: 'R13', clause: '§5.7.1',
    message: {
      zh: `款到发货客户：本次发货 ${money(thisOne)}，已发货 ${money(shipped)}，财务已确认收款 ${money(paid)}，还差 ${money(shipped + thisOne - paid)}。请先登记收款并由财务确认，再发货`,
      en: `Cash in advance: this delivery ${money(thisOne)}, shipped ${money(shipped)}, paid ${money(paid)}; record the payment first`,
    },
  }
}

/** R22, [A] 8: finance books a delivery only once the customer's signed receipt has come back. */
export const receiptSigned: Guard = async ({ doc, lookup }) => {
  const receipts = await lookup.findBy('deliveryReceipt', 'delivery', doc.id)
  if (receipts.some((r) => r.state === 'signed')) return { ok: true }
  return {
    ok: false, rule: 'R22', clause: '[A] 8',
    message: receipts.length
      ? { zh: '签收单客户联还没有签回：导入客户签字的签收单扫描件后才能入账', en: 'The signed receipt has not come back yet: import its scan first' }
      : { zh: '还没有签收单：请先生成签收单打印给客户签收，签回后导入扫描件，才能入账', en: 'No delivery receipt yet: print one for the customer to sign' },
  }
}
