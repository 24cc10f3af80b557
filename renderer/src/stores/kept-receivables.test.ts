// @vitest-environment happy-dom
/**
 * 账龄分析 right after a restart (issue 10): the office's receivables as last settled are shown
 * without waiting for the five forms' list digests, and only while they are still the office's —
 * nothing of those forms written since (here or by another PC's sync), an as-of date on or after
 * their records' last date (the next morning too), the same settling; otherwise settled afresh.
 * "Without waiting" is shown by holding the digests' gate: the page's answer comes while it is held.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { openDataLayer, DEMO_IDS, type DataLayer } from '@app/data'
import { KEPT_RECEIVABLES } from '@app/data/kept-receivables'
import { addDays } from '@core/validation'
import type { DocRecord } from '@core/model'
import type { ReceivableItem } from '@forms/contract/contract.ageing'
import { setBackend } from './backend'
import { localToday } from './session'
import { useDocumentsStore } from './documents'

const U = DEMO_IDS.users
const today = localToday()
const shipped = addDays(today, -95)
/** The latest date a counted record carries: 美达's opening balance. */
const lastRecord = addDays(today, -10)

let idb: IDBFactory
let name: string
let data: DataLayer | undefined
/** The digests' gate: held, no list digest of this session loads or builds until `release`. */
let release: () => void = () => undefined

/** The app started on the profile (a restart when one was open); `hold`: the digests wait for `release`. */
async function start(hold = false, seed = false): Promise<DataLayer> {
  data?.db.close()
  const held = hold ? new Promise<void>((r) => { release = r }) : Promise.resolve()
  data = await openDataLayer({ name, indexedDB: idb, IDBKeyRange, seed, digestGate: () => held })
  setBackend(data)
  setActivePinia(createPinia())
  return data
}

type Shown = { items: ReceivableItem[] }
/** The page opened on `asOf` (the session's first): its answer to come. */
const open = (asOf: string): Promise<Shown> => useDocumentsStore().ageing(asOf)
/**
 * What the page shows while the digests are held: answered from what was kept, it resolves; settling
 * afresh, it cannot (the test would time out), so it is awaited as it is.
 */
const fromKept = async (page: Promise<Shown>): Promise<ReceivableItem[]> => (await page).items
/** 'waiting' when the page waits for the held digests (it cannot answer while they are held). */
async function shown(page: Promise<Shown>): Promise<ReceivableItem[] | 'waiting'> {
  return Promise.race([page.then((o) => o.items), new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 400))])
}

const figures = (items: readonly ReceivableItem[]) => items.map((i) => [i.id, i.open, i.days, i.bucket])

beforeEach(async () => {
  idb = new IDBFactory()
  name = `kept-receivables-${crypto.randomUUID()}`
  const { db } = await start(false, true)
  const base = (await db.docs.get(DEMO_IDS.customers.huaxing))!
  const rec = (id: string, form: string, number: string, state: string, values: DocRecord['values']): typeof base => ({ ...base, id, form, number, state, values, searchWords: [] })
  const meida = (await db.docs.get(DEMO_IDS.customers.meida))!
  await db.docs.bulkPut([
    { ...meida, values: { ...meida.values, openingBalance: 3_000_00, openingDate: lastRecord } },
    rec('rc1', 'contract', 'HT2608-A7-0001', 'signed', { customer: DEMO_IDS.customers.huaxing, salesperson: U.liQiang, signDate: shipped, paymentMethod: 'credit', creditDays: 30, totalAmount: 50_000_00 }),
    rec('rf1', 'delivery', 'FH2608-A7-0001', 'booked', { contract: 'rc1', customer: DEMO_IDS.customers.huaxing, shipDate: shipped, totalAmount: 20_000_00 }),
    rec('rp1', 'payment', 'SK2608-A7-0001', 'confirmed', { contract: 'rc1', customer: DEMO_IDS.customers.huaxing, receivedDate: shipped, amount: 8_000_00 }),
  ])
})

afterEach(() => { release(); data?.db.close(); data = undefined })

/** After a restart: the page waits for the digests (nothing kept is used), what was kept is gone, and the figures are `before`'s. */
async function droppedAndSettledAfresh(before: readonly ReceivableItem[]): Promise<void> {
  await start(true)
  const page = open(today)
  expect(await shown(page)).toBe('waiting')
  expect(await data!.db.digests.get(KEPT_RECEIVABLES)).toBeUndefined()
  release()
  expect(figures((await page).items)).toEqual(figures(before))
}

/** The page opened on `asOf` in this session, then what it settled kept (as when the app closes). */
async function settleAndClose(asOf = today): Promise<ReceivableItem[]> {
  const { items } = await useDocumentsStore().ageing(asOf)
  await data!.documents.saveListDigests()
  return items
}

describe('账龄分析 after a restart: the receivables as last settled (issue 10)', () => {
  it('are shown without waiting for the digests, today and the next morning, equal to settling afresh', async () => {
    const before = await settleAndClose()
    expect(figures(before)).toEqual([[DEMO_IDS.customers.meida, 3_000_00, 10, 'd30'], ['rf1', 12_000_00, 65, 'd90']])

    await start(true)
    const again = await fromKept(open(today))
    expect(figures(again)).toEqual(figures(before))

    // The next morning: the same items, a day older (rf1 66 days past due).
    const tomorrow = addDays(today, 1)
    await start(true)
    const next = await fromKept(open(tomorrow))
    expect(figures(next)).toEqual([[DEMO_IDS.customers.meida, 3_000_00, 11, 'd30'], ['rf1', 12_000_00, 66, 'd90']])
    // Settled afresh from the digests in the same session: the very same figures, every field.
    release()
    expect((await useDocumentsStore().ageing(tomorrow)).items).toEqual(next)
  })

  it('a payment written since (here, or another PC\'s by sync: every document put is stamped, db.ts) is brought in at once: its customer settled again, as settling afresh', async () => {
    await settleAndClose()
    const base = (await data!.db.docs.get('rp1'))!
    await data!.db.docs.put({ ...base, id: 'rp2', number: 'SK2608-A7-0002', values: { ...base.values, amount: 5_000_00 } })
    await start(true)
    const shownFirst = await fromKept(open(today))
    expect(figures(shownFirst)).toEqual([[DEMO_IDS.customers.meida, 3_000_00, 10, 'd30'], ['rf1', 7_000_00, 65, 'd90']])
    release()
    // Once the digests are in, the office is settled from them and kept again in the background:
    // the next start has nothing to bring in.
    await vi.waitFor(async () => {
      await data!.documents.saveListDigests()
      expect((await data!.documents.keptReceivables(today))?.patched).toBe(0)
    })
    expect(figures((await useDocumentsStore().ageing(today)).items)).toEqual(figures(shownFirst))
  })

  it('settled afresh when a contract left the 台帐 since, or a record written since is dated after the as-of date', async () => {
    await settleAndClose()
    const contract = (await data!.db.docs.get('rc1'))!
    await data!.db.docs.put({ ...contract, state: 'draft' })
    await start(true)
    const page = open(today)
    expect(await shown(page)).toBe('waiting')
    release()
    // Without its contract in the 台帐, rf1 has no 30 days' credit: due on its ship date, 95 days ago.
    expect(figures((await page).items)).toEqual([[DEMO_IDS.customers.meida, 3_000_00, 10, 'd30'], ['rf1', 12_000_00, 95, 'over90']])

    await data!.db.docs.put(contract)
    await start()
    await settleAndClose()
    const pay = (await data!.db.docs.get('rp1'))!
    await data!.db.docs.put({ ...pay, id: 'rp3', number: 'SK2608-A7-0003', values: { ...pay.values, receivedDate: addDays(today, 3) } })
    await start(true)
    const early = open(today)
    expect(await shown(early)).toBe('waiting')
    release()
    expect(figures((await early).items)).toEqual([[DEMO_IDS.customers.meida, 3_000_00, 10, 'd30'], ['rf1', 12_000_00, 65, 'd90']])
  })

  it('a write to a form settling does not read (a quotation) keeps them', async () => {
    const before = await settleAndClose()
    const base = (await data!.db.docs.get(DEMO_IDS.customers.huaxing))!
    await data!.db.docs.put({ ...base, id: 'q-new', form: 'quotation', number: 'BJ2611-A7-0099', state: 'draft', values: { customer: DEMO_IDS.customers.huaxing }, searchWords: [] })
    await start(true)
    const again = await fromKept(open(today))
    expect(figures(again)).toEqual(figures(before))
  })

  it('an as-of date before the last record\'s date is settled afresh, and items settled on one are not kept', async () => {
    await settleAndClose()
    await start(true)
    const earlier = addDays(lastRecord, -1)
    const page = open(earlier)
    expect(await shown(page)).toBe('waiting')
    release()
    // 美达's opening balance is not yet owed on that date.
    expect(figures((await page).items)).toEqual([['rf1', 12_000_00, 54, 'd60']])

    // A profile whose only settling was on such a date keeps nothing.
    await data!.db.digests.delete(KEPT_RECEIVABLES)
    await start()
    await settleAndClose(earlier)
    expect(await data!.db.digests.get(KEPT_RECEIVABLES)).toBeUndefined()
  })

  it('a kept part missing when a write touches it: what is kept is dropped and the figures settled afresh', async () => {
    const before = await settleAndClose()
    const parts = await data!.db.digests.where('[form+part]').between([KEPT_RECEIVABLES[0], 1], [KEPT_RECEIVABLES[0], Infinity]).toArray()
    expect(parts.length).toBeGreaterThan(0)
    await data!.db.digests.bulkDelete(parts.map((p) => [p.form, p.part] as [string, number]))
    const base = (await data!.db.docs.get('rp1'))!
    await data!.db.docs.put({ ...base, values: { ...base.values } })
    await droppedAndSettledAfresh(before)
  })

  it('a damaged kept row is dropped and the figures settled afresh, without a message', async () => {
    const before = await settleAndClose()
    const kept = (await data!.db.digests.get(KEPT_RECEIVABLES))!
    await data!.db.digests.put({ ...kept, data: kept.data!.replace('"parts":[[', '"parts":[["x",') })
    await droppedAndSettledAfresh(before)
  })
})
