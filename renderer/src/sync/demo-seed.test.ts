/**
 * Every new PC seeds the demo office. Seeded identically (fixed ids, time and demo PC code), two
 * PCs that both seeded it must meet in the shared folder without a single conflict for the clerk.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { formById } from '@forms/registry'
import { DEMO_IDS, seedDemo } from '../data/seed'
import { formOffice, makePc, officeClock, sharedFolder, syncAll, type TestPc } from './test-office'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => { await cleanup?.(); cleanup = undefined })

describe('the demo office seeded on two PCs', () => {
  it('syncs without conflicts and shows the same demo numbers on both', async () => {
    const folder = await sharedFolder()
    const clock = officeClock()
    const pcs: TestPc[] = [await makePc(folder.dir, '客服1号机', 'A1', clock), await makePc(folder.dir, '客服2号机', 'B2', clock)]
    cleanup = () => folder.cleanup(pcs)
    for (const pc of pcs) expect(await seedDemo(pc.db, { forms: formById, now: clock.iso })).toBe(true)
    await formOffice(pcs)
    await syncAll(pcs)

    const [a, b] = pcs as [TestPc, TestPc]
    expect(await a.sync.conflicts()).toEqual([])
    expect(await b.sync.conflicts()).toEqual([])
    const numberOn = async (pc: TestPc) => (await pc.documents.load(DEMO_IDS.quotation))!.doc.number
    expect(await numberOn(b)).toBe(await numberOn(a))
    expect(await numberOn(a)).toMatch(/^BJ\d{4}-DM-0001$/)
    expect(await b.documents.count('customer')).toBe(2)
  })
})
