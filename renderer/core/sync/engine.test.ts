import { describe, expect, it } from 'vitest'
import { paths } from './names'
import { SimOffice, type SimPc } from './sim'

const put = (pc: SimPc, key: string, fields: Record<string, unknown>, table = 'docs') => pc.store.localWrite(table, key, 'put', fields)
const codes = async (pc: SimPc) => (await pc.engine.status()).problems.map((p) => p.code)
const segs = (office: SimOffice, pc: string) => office.folder.paths(paths.segDir(pc))

describe('sync engine basics', () => {
  it('two PCs exchange records and converge', async () => {
    const office = await SimOffice.create(2)
    const [a, b] = office.pcs as [SimPc, SimPc]
    put(a, 'q1', { number: 'BJ-A-0001', 'values.customer': '华东机械' })
    put(b, 'q2', { number: 'BJ-B-0001', 'values.customer': '南方电气' })
    await office.syncAll()
    expect(b.store.view('docs', 'q1')?.values.number).toBe('BJ-A-0001')
    expect(a.store.view('docs', 'q2')?.values['values.customer']).toBe('南方电气')
    expect(await office.converged()).toBe(true)
    const st = await a.engine.status()
    expect(st.waiting).toBe(0)
    expect(st.problems).toEqual([])
    expect(st.pcs.map((p) => p.pc).sort()).toEqual(['PC01', 'PC02'])
    expect(a.store.outboxRows().every((r) => r.exported === 1)).toBe(true)
  })

  it('a joined PC\'s changes are applied only after approval, which reaches everyone', async () => {
    const office = await SimOffice.create(3)
    const [, b, c] = office.pcs as [SimPc, SimPc, SimPc]
    put(b, 'x', { v: 1 })
    await office.syncAll()
    expect(c.store.view('docs', 'x')?.values.v).toBe(1)
  })
})
