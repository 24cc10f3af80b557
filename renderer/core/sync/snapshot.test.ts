import { describe, expect, it } from 'vitest'
import { paths } from './names'
import { SimOffice, type SimPc } from './sim'

const put = (pc: SimPc, key: string, fields: Record<string, unknown>) => pc.store.localWrite('docs', key, 'put', fields)
const val = (pc: SimPc, key: string, field: string) => pc.store.view('docs', key)?.values[field]

describe('snapshots and compaction', () => {
  it('old segments are removed only when a snapshot covers them and every PC imported them; a new PC starts from the snapshot', async () => {
    const office = await SimOffice.create(3)
    const [a, b, c] = office.pcs as [SimPc, SimPc, SimPc]
    for (let i = 0; i < 3; i++) {
      put(a, `q${i}`, { v: i })
      await a.engine.syncOnce()
    }
    const last = office.folder.paths(paths.segDir(a.id)).at(-1) as string
    office.folder.hide(last, [c.id])
    await office.syncAll()
    expect(await a.engine.compact()).toBe(0)
    await a.engine.writeSnapshot()
    await office.syncAll()
    const before = office.folder.paths(paths.segDir(a.id))
    const removed = await a.engine.compact()
    const after = office.folder.paths(paths.segDir(a.id))
    expect(removed).toBeGreaterThan(0)
    // C has not imported A's last segment: it stays.
    expect(after).toContain(last)
    expect(after.length).toBe(before.length - removed)
    office.folder.reveal(last)
    await office.syncAll()
    await a.engine.compact()
    expect(office.folder.paths(paths.segDir(a.id))).toEqual([])
    put(a, 'late', { v: 'after compaction' })
    await office.syncAll()
    // A new PC: snapshot + remaining segments give it everything.
    const d = await office.addPc('PC04')
    await d.engine.joinVault()
    await d.engine.syncOnce()
    expect(val(d, 'q0', 'v')).toBe(0)
    expect(val(d, 'q2', 'v')).toBe(2)
    expect(val(d, 'late', 'v')).toBe('after compaction')
    expect(val(c, 'q2', 'v')).toBe(2)
    await a.engine.approve('PC04')
    await office.syncAll()
    expect(await office.converged()).toBe(true)
    void b
  })

  it('a new PC starts from a snapshot in chunks; a crash between chunks, then a rerun, ends in the same state', async () => {
    const office = await SimOffice.create(2)
    const [a] = office.pcs as [SimPc, SimPc]
    for (let i = 0; i < 7; i++) put(a, `q${i}`, { v: i, title: `报价${i}` })
    await a.engine.syncOnce()
    await a.engine.writeSnapshot()
    const d = await office.addPc('PC05', { snapshotChunk: 3 })
    let commits = 0
    const commit = d.store.commit.bind(d.store)
    d.store.commit = async (batch) => { commits++; return commit(batch) }
    // Power lost during the second chunk's commit: the first chunk stays, no cursor moved.
    d.store.crashOnCommit = 2
    await d.engine.joinVault()
    await expect(d.engine.syncOnce()).rejects.toThrow(/power loss/)
    expect(val(d, 'q0', 'v')).toBe(0)
    expect(await d.store.cursors()).toEqual({})
    office.restart(d, { snapshotChunk: 3 })
    await d.engine.syncOnce()
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => val(d, `q${i}`, 'v'))).toEqual([0, 1, 2, 3, 4, 5, 6])
    // 7 records + the founder's trust record: chunks of 3, twice (the crashed run and the rerun).
    expect(commits).toBeGreaterThanOrEqual(5)
    await a.engine.approve('PC05')
    await office.syncAll()
    expect(await office.converged()).toBe(true)
  })
})
