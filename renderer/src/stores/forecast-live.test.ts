// @vitest-environment happy-dom
/**
 * Issue 11 through the data layer (fake-indexeddb): a 销售预估 is submitted before its month begins
 * (R18, by the 25th), so on the day of submission its 预估与实际 is zero. Its gather is live
 * (GatherDef.live): once submitted, the document as the page shows it and as it prints (preview and
 * batch print share printRequestFor) follows the contracts signed in the month; what is stored stays
 * what the last save wrote. A draft still shows what its last save gathered.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, DEMO_PASSWORD, type DataLayer } from '@app/data'
import type { LoadedDoc } from '@core/ports'
import type { FormData } from '@forms/schema/types'
import { salesForecast } from '@forms/sales-forecast/sales-forecast.form'
import { appBatchDeps, printRequestFor } from '@app/services/pdf/app-print'
import { setBackend } from './backend'
import { useSessionStore } from './session'
import { toFormData, useDocumentsStore } from './documents'

const U = DEMO_IDS.users
const meida = DEMO_IDS.customers.meida
let data: DataLayer

/** Local noon of a day, so the store's localToday() and the data layer's clock agree. */
const on = (day: string) => vi.setSystemTime(new Date(`${day}T12:00:00`))

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  on('2026-11-24')
  localStorage.clear()
  data = await openDataLayer({ name: `forecast-live-${crypto.randomUUID()}`, indexedDB: new IDBFactory(), IDBKeyRange, seed: true })
  setBackend(data)
  setActivePinia(createPinia())
  await useSessionStore().load()
  await useSessionStore().signIn(U.liQiang, DEMO_PASSWORD)
})
afterEach(() => { vi.useRealTimers() })

/** 李强's December forecast for 美达: ¥100,000.00 of flame-retardant grades. */
const december: FormData = {
  values: { salesperson: U.liQiang, month: '2026-12', market: '旺季备货' },
  lines: { items: [{ id: crypto.randomUUID(), values: { customer: meida, productGroup: 'flameRetardant', amount: 10_000_000 } }] },
}

/** 李强's contract with 美达 signed on `signDate`, 1,234 kg × ¥43.21 = ¥53,321.14, put in `state` directly (its approval is the contract's test). */
async function contractSigned(signDate: string, state: string): Promise<string> {
  const out = await data.documents.create('contract', {
    values: { customer: meida, salesperson: U.liQiang, signDate, deliveryDate: signDate, paymentMethod: 'credit', creditDays: 30 },
    lines: { items: [{ id: crypto.randomUUID(), values: { productName: '阻燃 PC/ABS 合金', spec: 'FR3010 黑色', quantity: '1234', unit: 'kg', unitPrice: 4321, taxRate: '13' } }] },
  }, { userId: U.liQiang, name: '李强' })
  await data.db.docs.update(out.doc.id, { state })
  return out.doc.id
}

const figures = (d: FormData) => ({
  contractedTotal: d.values.contractedTotal, achievementRate: d.values.achievementRate,
  actuals: (d.lines.actuals ?? []).map((r) => [r.values.customer, r.values.forecast, r.values.contracted, r.values.rate]),
})

describe('issue 11: a submitted forecast shows the month\'s actuals as they are signed', () => {
  it('submitted on the 24th with zero actuals; a contract signed on 8 December shows on the page and in print to the fen, stored values untouched', async () => {
    const docs = useDocumentsStore()
    const draft = await docs.save('salesForecast', undefined, december)
    const sent = await docs.transition(salesForecast, draft, 'submit')
    if (!sent.ok) throw new Error(sent.check.message.zh)
    expect(sent.loaded.doc.values).toMatchObject({ submittedOn: '2026-11-24', lateSubmitted: false, contractedTotal: 0, achievementRate: '0.0' })

    on('2026-12-08')
    await contractSigned('2026-12-08', 'signed')
    await contractSigned('2026-11-30', 'signed') // November's: not this forecast's month
    await contractSigned('2026-12-09', 'draft') //  not approved: not counted
    const stored = (await docs.load(sent.loaded.doc.id))!
    const trail = (await docs.timeline(stored.doc.id)).length
    const outbox = await data.db.outbox.count()

    // The document page's view.
    const shown = toFormData(salesForecast, await docs.shown(salesForecast, stored))
    expect(figures(shown)).toEqual({ contractedTotal: 5_332_114, achievementRate: '53.3', actuals: [[meida, 10_000_000, 5_332_114, '53.3']] })

    // The print preview's request, and batch print's (the same request per document).
    for (const request of [await printRequestFor(salesForecast, stored), await appBatchDeps(salesForecast).request(stored)]) {
      expect(request.record.values).toMatchObject({ contractedTotal: 5_332_114, achievementRate: '53.3', forecastTotal: 10_000_000 })
      expect(request.record.lines.actuals!.map((r) => [r.values.contracted, r.values.rate])).toEqual([[5_332_114, '53.3']])
      expect(request.record.lines.items!.map((r) => r.values.amount)).toEqual([10_000_000]) // the typed lines print as typed
      expect(request.record.version).toBe(stored.doc.version)
    }

    // Never written: the record, its version and its audit trail stay as the submission left them.
    const after = (await docs.load(stored.doc.id))!
    expect(after.doc.values).toMatchObject({ contractedTotal: 0, achievementRate: '0.0' })
    expect(after.doc.version).toBe(stored.doc.version)
    expect(after.doc.updatedAt).toBe(stored.doc.updatedAt)
    expect((await docs.timeline(stored.doc.id)).length).toBe(trail)
    expect(await data.db.outbox.count()).toBe(outbox) // nothing to sync
  })

  it('an editable draft still shows and prints what its last save gathered; its next save gathers anew', async () => {
    const docs = useDocumentsStore()
    const draft = await docs.save('salesForecast', undefined, december)
    on('2026-12-08')
    await contractSigned('2026-12-08', 'approved')
    const stored = (await docs.load(draft.doc.id))!
    expect(await docs.shown(salesForecast, stored)).toBe(stored)
    expect(figures(toFormData(salesForecast, stored))).toMatchObject({ contractedTotal: 0, achievementRate: '0.0' })
    expect((await printRequestFor(salesForecast, stored)).record.values).toMatchObject({ contractedTotal: 0, achievementRate: '0.0' })

    const saved = await docs.save('salesForecast', draft.doc.id, toFormData(salesForecast, stored))
    expect(saved.doc.values).toMatchObject({ contractedTotal: 5_332_114, achievementRate: '53.3' })
  })
})
