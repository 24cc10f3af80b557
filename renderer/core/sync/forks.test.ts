/**
 * Issue 7: what real office PCs do that the simulator never did. Each test is named `fork …` and
 * fails on the engine before this work.
 */
import { describe, expect, it } from 'vitest'
import { decodeHlc, encodeHlc, HlcClock, MAX_COUNTER } from './hlc'
import { paths } from './names'
import { SimOffice, type SimPc } from './sim'

const put = (pc: SimPc, key: string, fields: Record<string, unknown>) => pc.store.localWrite('docs', key, 'put', fields)
const val = (pc: SimPc, key: string, field: string) => pc.store.view('docs', key)?.values[field]
const codes = async (pc: SimPc) => (await pc.engine.status()).problems.map((p) => p.code)

async function office3() {
  const office = await SimOffice.create(3)
  const [a, b, c] = office.pcs as [SimPc, SimPc, SimPc]
  return { office, a, b, c }
}

describe('copies of a PC (issue 7)', () => {
  it('fork clone: two machines with one identity both edit; every PC ends with every value, the copy takes a new identity and everyone is told', async () => {
    const { office, a, b, c } = await office3()
    put(a, 'q1', { price: 100 })
    await office.syncAll()
    const twin = office.clonePc(b)
    put(b, 'q1', { note: '原机' })
    put(twin, 'q2', { note: '副本' })
    put(twin, 'q1', { delivery: '顺德' })
    await b.engine.syncOnce()
    await twin.engine.syncOnce()
    // The copy saw its number taken by the original's file: it goes on under a new identity.
    expect(twin.id).not.toBe(b.id)
    expect(await codes(twin)).toContain('identityRenewed')
    await office.syncAll()
    // The others see a new PC waiting; it is approved like any new PC, then everything arrives.
    for (const pc of [a, c]) expect(await codes(pc)).toContain('pendingApproval')
    expect(await office.approveWaiting()).toBe(1)
    await office.syncAll(3)
    for (const pc of office.pcs) {
      expect(val(pc, 'q1', 'price')).toBe(100)
      expect(val(pc, 'q1', 'note')).toBe('原机')
      expect(val(pc, 'q1', 'delivery')).toBe('顺德')
      expect(val(pc, 'q2', 'note')).toBe('副本')
    }
    expect(await office.converged()).toBe(true)
  })

  it('fork conflicted copy: a cloud client keeps the copy\'s file beside the original (both spellings); readers keep both versions and raise a fork alarm', async () => {
    for (const spelling of [(n: string) => `${n} (conflicted copy 2026-11-30).seg`, (n: string) => `${n}-PC02 (Someone's conflicted copy 2026-11-30).seg`]) {
      const { office, a, b, c } = await office3()
      // The copy writes into its own synced folder before it sees the original's file (no renewal yet).
      const twin = office.clonePc(b, { renewIdentity: undefined })
      put(b, 'q1', { note: '原机' })
      put(twin, 'q2', { note: '副本' })
      await b.engine.syncOnce()
      // The copy's segment under the same number arrives renamed by the cloud client.
      const seq = (await b.store.cursors())[b.id]!.seq
      await twin.engine.importOnce() // stamps its change as the same number, not yet published
      const mine = (await twin.store.ownSegments()).find((s) => s.seq === seq && !s.published)!
      const base = paths.segment(b.id, seq).replace(/\.seg$/, '')
      office.folder.put(`${paths.segDir(b.id)}/${spelling(base.slice(base.lastIndexOf('/') + 1))}`, mine.bytes)
      await a.engine.syncOnce()
      await c.engine.syncOnce()
      for (const pc of [a, c]) {
        expect(val(pc, 'q1', 'note')).toBe('原机')
        expect(val(pc, 'q2', 'note')).toBe('副本')
        expect(await codes(pc)).toContain('fork')
      }
    }
  })

  it('fork second version at the real name: two readers applied different files under one number; each learns it from the other\'s status', async () => {
    const { office, a, b, c } = await office3()
    const twin = office.clonePc(b, { renewIdentity: undefined })
    put(b, 'q1', { note: '原机' })
    put(twin, 'q2', { note: '副本' })
    await b.engine.exportOnce()
    const seq = (await b.store.cursors())[b.id]!.seq
    const rel = paths.segment(b.id, seq)
    const original = office.folder.get(rel)!
    await twin.engine.importOnce()
    const theirs = (await twin.store.ownSegments()).find((s) => s.seq === seq && !s.published)!.bytes
    await a.engine.syncOnce()
    // The cloud client shows c the other version under the same name.
    office.folder.put(rel, theirs)
    await c.engine.syncOnce()
    office.folder.put(rel, original)
    await a.engine.syncOnce()
    await c.engine.syncOnce()
    await a.engine.syncOnce()
    expect(await codes(a)).toContain('fork')
    expect(await codes(c)).toContain('fork')
  })

  it('fork restored profile: a backup put back after the PC went on working takes a new identity and keeps what it had not sent', async () => {
    const { office, a, b } = await office3()
    put(b, 'q1', { note: 'v1' })
    await office.syncAll()
    const saved = b.store.clone()
    put(b, 'q1', { note: 'v2' })
    put(b, 'q3', { note: '备份之后' })
    await office.syncAll()
    // The disk fails; yesterday's backup is restored on the same PC, and a clerk types on it.
    const oldId = b.id
    office.restorePc(b, saved)
    put(b, 'q4', { note: '恢复之后' })
    await b.engine.syncOnce()
    expect(b.id).not.toBe(oldId)
    expect(await office.approveWaiting()).toBe(1)
    await office.syncAll(3)
    for (const pc of office.pcs) {
      expect(val(pc, 'q1', 'note')).toBe('v2')
      expect(val(pc, 'q3', 'note')).toBe('备份之后')
      expect(val(pc, 'q4', 'note')).toBe('恢复之后')
    }
    expect(val(a, 'q4', 'note')).toBe('恢复之后')
    expect(await office.converged()).toBe(true)
  })

  it('fork restored profile after compaction: the old files are gone; the restored PC catches up from the snapshot', async () => {
    const { office, a, b } = await office3()
    put(b, 'q1', { note: 'v1' })
    await office.syncAll()
    const saved = b.store.clone()
    for (let i = 0; i < 3; i++) { put(b, `q${10 + i}`, { note: `后${i}` }); put(a, `q${20 + i}`, { note: `A${i}` }); await office.syncAll() }
    await a.engine.writeSnapshot()
    await office.syncAll()
    for (const pc of office.pcs) await pc.engine.compact()
    office.restorePc(b, saved)
    put(b, 'q4', { note: '恢复之后' })
    await office.syncAll()
    await office.approveWaiting()
    await office.syncAll(3)
    for (const pc of office.pcs) {
      for (let i = 0; i < 3; i++) { expect(val(pc, `q${10 + i}`, 'note')).toBe(`后${i}`); expect(val(pc, `q${20 + i}`, 'note')).toBe(`A${i}`) }
      expect(val(pc, 'q4', 'note')).toBe('恢复之后')
    }
    expect(await office.converged()).toBe(true)
  })
})

describe('clocks (issue 7)', () => {
  it('fork clock back + restart: the HLC resumes above the last value it issued, so no change id repeats', async () => {
    const { office, a } = await office3()
    put(a, 'q1', { n: 1 })
    await a.engine.syncOnce()
    const before = (a.store.record('docs', 'q1')!.fields.n!).map((w) => w.h)
    a.offsetMs = -86_400_000 // someone sets the clock back a day, then the app restarts
    office.restart(a)
    put(a, 'q1', { n: 2 })
    await a.engine.syncOnce()
    const ws = a.store.record('docs', 'q1')!.fields.n!
    const newest = ws.find((w) => w.v === 2)!
    expect(before.every((h) => newest.h > h)).toBe(true)
    expect(val(a, 'q1', 'n')).toBe(2)
    await office.syncAll()
    for (const pc of office.pcs) expect(val(pc, 'q1', 'n')).toBe(2)
  })

  it('fork counter limit: a million events in one millisecond keep their sort order', () => {
    const clock = new HlcClock('PC01', () => 1_700_000_000_000)
    clock.resume({ wall: 1_700_000_000_000, counter: MAX_COUNTER - 2, pc: 'PC01' })
    const ids = Array.from({ length: 5 }, () => encodeHlc(clock.tick()))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(5)
    expect(ids.every((h) => decodeHlc(h) !== null)).toBe(true)
  })

  it('fork same identity, same millisecond: two copies never issue the same change id', async () => {
    const { office, b } = await office3()
    const twin = office.clonePc(b)
    put(b, 'q9', { x: 1 })
    put(twin, 'q9', { x: 2 })
    await b.engine.importOnce()
    await twin.engine.importOnce()
    const hb = b.store.record('docs', 'q9')!.fields.x![0]!.h
    const ht = twin.store.record('docs', 'q9')!.fields.x![0]!.h
    expect(hb).not.toBe(ht)
  })
})

describe('replayed files (issue 7)', () => {
  it('fork replay: an old file of a PC copied to its next number raises an alarm that clears once the PC publishes the real file', async () => {
    const { office, a, b } = await office3()
    put(b, 'q1', { note: '一' })
    await office.syncAll()
    const mine = (await b.store.cursors())[b.id]!.seq
    // Someone copies b's first file to b's next number (a replay).
    office.folder.put(paths.segment(b.id, mine + 1), office.folder.get(paths.segment(b.id, 1))!)
    for (let i = 0; i < 2; i++) {
      office.advance(20 * 60_000)
      await a.engine.importOnce()
      await b.engine.importOnce()
    }
    for (const pc of [a, b]) expect((await pc.engine.status()).problems.some((p) => p.pc === b.id && p.code === 'quarantined')).toBe(true)
    // b goes on: its real next file replaces the replay, and the alarm on a clears.
    put(b, 'q1', { note: '二' })
    await b.engine.syncOnce()
    expect(b.id).toBe(b.keys.pc)
    await office.syncAll()
    expect(val(a, 'q1', 'note')).toBe('二')
    for (const pc of [a, b]) expect((await pc.engine.status()).problems.filter((p) => p.pc === b.id && p.code !== 'clockSkew')).toEqual([])
  })
})
