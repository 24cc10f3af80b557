import { describe, expect, it } from 'vitest'
import { formById } from '../../forms/registry'
import { compileText, isPlainQuery, listFacets, listTerms, passesFilters, rowMatcher, sortRows, textMatches, type ListRow, type RowTexts } from './list-query'

describe('textMatches: a word anywhere in a name, its initials or its pinyin', () => {
  const meiyida = compileText('东莞市美宜达电器有限公司')
  it('finds characters anywhere, not only at the start', () => {
    for (const w of ['美宜达', '电器', '宜达电', '东莞']) expect(textMatches(meiyida, w), w).toBe(true)
    expect(textMatches(meiyida, '美达'), 'a shorthand skipping one character').toBe(true)
    expect(textMatches(meiyida, '美电'), 'two characters apart: no').toBe(false)
    expect(textMatches(meiyida, '达美'), 'out of order: no').toBe(false)
  })
  it('finds initials anywhere and full pinyin from a syllable start', () => {
    for (const w of ['dgs', 'myd', 'dq', 'meiyida', 'dianqi', 'dongguan']) expect(textMatches(meiyida, w), w).toBe(true)
    for (const w of ['eiyida', 'ngguan', 'xyz']) expect(textMatches(meiyida, w), w).toBe(false)
  })
  it('folds full-width and case; ASCII texts match as text only', () => {
    const n = compileText('BJ2611-A7-0001')
    expect(textMatches(n, 'a7-00')).toBe(true)
    expect(textMatches(compileText('ＰＣ／ＡＢＳ'), 'pc/abs')).toBe(true)
  })
  it('splits the query into words', () => {
    expect(listTerms('  美达　 BJ26 ')).toEqual(['美达', 'bj26'])
  })
})

const quotation = formById('quotation')
const row = (id: string, number: string, values: ListRow['values'], state = 'draft', updatedAt = '2026-11-01T00:00:00Z'): ListRow =>
  ({ id, number, state, createdAt: updatedAt, updatedAt, values })
const names: Record<string, string> = { c1: '佛山市美达电器有限公司', c2: '深圳华兴塑胶制品有限公司', c3: '东莞市美宜达电器有限公司' }
const texts: RowTexts = {
  compiled: compileText,
  title: (r) => names[r.values.customer as string] ?? '',
  texts: (r) => [r.values.contact as string, names[r.values.customer as string]!].filter(Boolean),
}
const rows = [
  row('1', 'BJ2611-A7-0001', { customer: 'c1', contact: '何俊', quoteDate: '2026-11-03', grandTotal: 500, salesperson: 'u1' }, 'approved', '2026-11-05T00:00:00Z'),
  row('2', 'BJ2611-A7-0002', { customer: 'c2', contact: '黄志华', quoteDate: '2026-11-10', grandTotal: 90000, salesperson: 'u2' }, 'draft', '2026-11-11T00:00:00Z'),
  row('3', 'BJ2611-B3-0001', { customer: 'c3', contact: '李丽', quoteDate: '2026-10-20', grandTotal: 1200, salesperson: 'u1' }, 'pending', '2026-11-12T00:00:00Z'),
  row('4', 'BJ2612-A7-0003', { customer: 'c1', quoteDate: '2026-12-01', salesperson: 'u2' }, 'draft', '2026-12-01T00:00:00Z'),
]

describe('listFacets: filters and sort keys from the form definition', () => {
  it('quotation: the first date column, the customer picker, 业务员, its states', () => {
    const f = listFacets(quotation)
    expect(f.date).toBe('quoteDate')
    expect(f.dateIsField).toBe(true)
    expect(f.ref).toEqual({ key: 'customer', to: 'customer' })
    expect(f.user).toBe('salesperson')
    expect(f.states).toContain('approved')
    for (const k of ['number', 'customer', 'quoteDate', 'validUntil', 'grandTotal', 'state']) expect(f.sortable.has(k), k).toBe(true)
  })
  it('customer: no date column (creation time), no reference title, no workflow states', () => {
    const f = listFacets(formById('customer'))
    expect(f.date).toBe('createdAt')
    expect(f.dateIsField).toBe(false)
    expect(f.ref).toBeUndefined()
    expect(f.states).toEqual([])
    expect(f.sortable.has('state')).toBe(false)
    expect(f.sortable.has('fullName')).toBe(true)
  })
  it('list.date names the date explicitly', () => {
    const def = { ...quotation, list: { ...quotation.list, date: 'validUntil' } }
    expect(listFacets(def).date).toBe('validUntil')
  })
  it('a plain query is the default list', () => {
    expect(isPlainQuery({})).toBe(true)
    expect(isPlainQuery({ text: ' ', sort: { key: 'updatedAt', dir: 'desc' }, filters: { states: [] } })).toBe(true)
    expect(isPlainQuery({ sort: { key: 'number', dir: 'asc' } })).toBe(false)
    expect(isPlainQuery({ filters: { ref: 'c1' } })).toBe(false)
  })
})

describe('matching, filtering and sorting rows', () => {
  const facets = listFacets(quotation)
  const ids = (rs: ListRow[]) => rs.map((r) => r.id)
  it('every word must match, each in the number, the contact or the customer name', () => {
    const m = (q: string) => ids(rows.filter(rowMatcher(listTerms(q), texts)))
    expect(m('美达')).toEqual(['1', '3', '4'])
    expect(m('美宜达')).toEqual(['3'])
    expect(m('电器')).toEqual(['1', '3', '4'])
    expect(m('电器 b3')).toEqual(['3'])
    expect(m('szhx')).toEqual(['2'])
    expect(m('meiyida')).toEqual(['3'])
    expect(m('2612')).toEqual(['4'])
    expect(m('何俊 美达')).toEqual(['1'])
    expect(m('美达 华兴')).toEqual([])
    expect(m('美达 b3')).toEqual(['3'])
  })
  it('filters by states, date range, customer and user together', () => {
    const p = (f: Parameters<typeof passesFilters>[1]) => ids(rows.filter((r) => passesFilters(facets, f, r)))
    expect(p({ states: ['draft', 'pending'] })).toEqual(['2', '3', '4'])
    expect(p({ from: '2026-11-01', to: '2026-11-30' })).toEqual(['1', '2'])
    expect(p({ ref: 'c1' })).toEqual(['1', '4'])
    expect(p({ user: 'u1', states: ['pending'] })).toEqual(['3'])
    expect(p({ ref: 'c1', states: ['draft'], from: '2026-12-01', to: '2026-12-01' })).toEqual(['4'])
  })
  it('sorts money by value with empty last, dates, numbers, the state in workflow order and titles by pinyin', () => {
    const s = (key: string, dir: 'asc' | 'desc') => ids(sortRows(quotation, facets, { key, dir }, texts, rows))
    expect(s('grandTotal', 'asc')).toEqual(['1', '3', '2', '4'])
    expect(s('grandTotal', 'desc')).toEqual(['2', '3', '1', '4'])
    expect(s('quoteDate', 'asc')).toEqual(['3', '1', '2', '4'])
    expect(s('number', 'desc')).toEqual(['4', '3', '2', '1'])
    // dongguan < foshan < shenzhen; the two 美达 rows by newest change
    expect(s('customer', 'asc')).toEqual(['3', '4', '1', '2'])
    const states = Object.keys(quotation.workflow!.states)
    const byState = sortRows(quotation, facets, { key: 'state', dir: 'asc' }, texts, rows).map((r) => states.indexOf(r.state))
    expect(byState).toEqual([...byState].sort((a, b) => a - b))
  })
})
