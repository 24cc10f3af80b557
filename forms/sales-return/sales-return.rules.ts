import type { DerivedData, DocSnapshot, Guard, RefSource } from '../schema/types'
import { fromMilli, milli } from '../../renderer/core/quantity'
import { sameGoods } from '../contract/contract.tally'

/** 退货单 from the complaint that decided a return: customer, contract, delivery and the complaint. */
export function returnFromComplaint(c: RefSource): DerivedData {
  return { values: { customer: c.values.customer ?? null, contract: c.values.contract ?? null, delivery: c.values.delivery ?? null, reason: c.values.description ?? null } }
}

/** The complaint decided a return (§5.8.2). */
export const decidedReturn = (c: RefSource) => c.values.outcome === 'return'

/** 退货单 from the delivery: the goods shipped, to take back all or part of them. */
export function returnFromDelivery(d: RefSource): DerivedData {
  return {
    values: { customer: d.values.customer ?? null, contract: d.values.contract ?? null },
    lines: { items: (d.lines.items ?? []).map((r) => ({ product: r.product, productName: r.productName, spec: r.spec, batchNo: r.batchNo, quantity: r.quantity, unit: r.unit })) },
  }
}

/** No more of a product comes back than its delivery shipped. */
export const withinDelivered: Guard = async ({ doc, lookup }) => {
  if (typeof doc.values.delivery !== 'string') return { ok: true }
  const d: DocSnapshot | undefined = await lookup.get('delivery', doc.values.delivery)
  if (!d) return { ok: true }
  const shipped = (d.lines.items ?? []).map((r) => r.values)
  for (const r of doc.lines.items ?? []) {
    const hit = sameGoods(shipped, r.values)
    const back = milli(r.values.quantity) ?? 0n, out = milli(hit?.quantity) ?? 0n
    if (!hit || back > out) {
      return {
        ok: false, rule: 'R15', clause: '§5.8.2',
        message: { zh: `${String(r.values.productName ?? '')}：发货单 ${d.number} 只发了 ${fromMilli(out)}，退货不能多于发货`, en: 'More is returned than was delivered' },
      }
    }
  }
  return { ok: true }
}
