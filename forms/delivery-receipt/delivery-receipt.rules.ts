import type { DerivedData, RefSource } from '../schema/types'

/** 签收单 from the delivery: the customer copy of what left, to be signed for on arrival. */
export function receiptFromDelivery(d: RefSource): DerivedData {
  return {
    values: {
      contract: d.values.contract ?? null, customer: d.values.customer ?? null, deliveryAddress: d.values.deliveryAddress ?? null,
      carrier: d.values.carrier ?? null, waybill: d.values.waybill ?? null, shipDate: d.values.shipDate ?? null,
    },
    lines: { items: (d.lines.items ?? []).map((r) => ({ productName: r.productName, spec: r.spec, batchNo: r.batchNo, quantity: r.quantity, unit: r.unit })) },
  }
}
