import { describe, expect, it } from 'vitest'
import { groupLines, toSnapshot } from './records'

const line = (id: string, field: string, seq: number, productName: string) => ({ id, docId: 'd', field, seq, values: { productName } })

describe('groupLines', () => {
  it('groups rows per lines field in their stored order, whatever order they were read in', () => {
    const g = groupLines([line('c', 'items', 2, '丙'), line('x', 'samples', 0, '样'), line('a', 'items', 0, '甲'), line('b', 'items', 1, '乙')])
    expect(g.items!.map((r) => r.values.productName)).toEqual(['甲', '乙', '丙'])
    expect(g.samples!.map((r) => r.id)).toEqual(['x'])
  })
  it('gives copies: editing a grouped row leaves the stored record as it was', () => {
    const stored = line('a', 'items', 0, '甲')
    groupLines([stored]).items![0]!.values.productName = '改'
    expect(stored.values.productName).toBe('甲')
  })
})

describe('toSnapshot', () => {
  it('carries the document fields and its grouped lines', () => {
    const doc = { id: 'd', form: 'quotation', number: 'BJ2611-A7-0001', state: 'draft', version: 2, values: { contact: '王' }, createdAt: '', createdBy: '', updatedAt: '', updatedBy: '' }
    const s = toSnapshot({ doc, lines: [line('b', 'items', 1, '乙'), line('a', 'items', 0, '甲')] })
    expect(s).toMatchObject({ id: 'd', number: 'BJ2611-A7-0001', version: 2, values: { contact: '王' } })
    expect(s.lines.items!.map((r) => r.id)).toEqual(['a', 'b'])
  })
})
