/** Every form of the product. Adding a form is one import and one entry here. */
import type { FormDef } from './schema/types'
import { customer } from './customer/customer.form'
import { customerEvaluation } from './customer-evaluation/customer-evaluation.form'
import { product } from './product/product.form'
import { quotation } from './quotation/quotation.form'
import { sampleApplication } from './sample-application/sample-application.form'
import { sampleShipment } from './sample-shipment/sample-shipment.form'
import { sampleConfirmation } from './sample-confirmation/sample-confirmation.form'
import { techSupport } from './tech-support/tech-support.form'
import { contract } from './contract/contract.form'
import { productionNotice } from './production-notice/production-notice.form'
import { deliveryDelay } from './delivery-delay/delivery-delay.form'
import { delivery } from './delivery/delivery.form'
import { deliveryReceipt } from './delivery-receipt/delivery-receipt.form'
import { payment } from './payment/payment.form'
import { complaint } from './complaint/complaint.form'
import { salesReturn } from './sales-return/sales-return.form'
import { adjustment } from './adjustment/adjustment.form'
import { statement } from './statement/statement.form'
import { invoiceRequest } from './invoice-request/invoice-request.form'
import { commission } from './commission/commission.form'
import { reconciliation } from './reconciliation/reconciliation.form'
import { visitPlan } from './visit-plan/visit-plan.form'
import { visitRecord } from './visit-record/visit-record.form'
import { salesForecast } from './sales-forecast/sales-forecast.form'
import { salesTarget } from './sales-target/sales-target.form'
import { memo } from './memo/memo.form'

/** In the process's order (the side menu and the 单据链 follow it). */
export const forms: readonly FormDef[] = [
  customer, product, customerEvaluation, sampleApplication, sampleShipment, sampleConfirmation, quotation, contract,
  productionNotice, deliveryDelay, delivery, deliveryReceipt, payment, complaint, salesReturn, adjustment, statement, invoiceRequest, commission, reconciliation, techSupport,
  visitPlan, visitRecord,
  salesForecast, salesTarget, memo,
]

const byId = new Map(forms.map((f) => [f.id, f]))

/** The form definition with this id; throws for an unknown id. */
export function formById(id: string): FormDef {
  const f = byId.get(id)
  if (!f) throw new Error(`unknown form: ${id}`)
  return f
}
