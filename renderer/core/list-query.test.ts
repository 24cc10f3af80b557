import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { formById } from '../../forms/registry'
import { compileText, createListSearch, isPlainQuery, listFacets, listTerms, passesFilters, rowMatcher, sortRows, textMatches, type ListRow, type RowTexts } from './list-query'

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

describe('ListSearch: the remembered search answers exactly what the plain filter answers', () => {
  const NAMES = ['佛山市美达电器有限公司', '东莞市美宜达电器有限公司', '深圳华兴塑胶制品有限公司', '美达电子', 'ABS 电器行', '']
  const CONTACTS = ['何俊', '黄志华', '李丽', '']
  // What a clerk types: characters of the names, pinyin letters, number parts, a space between words.
  const KEYS = ['美', '达', '电', '器', '宜', '华', '兴', '何', 'm', 'e', 'i', 'd', 'a', 's', 'z', 'h', 'x', 'q', 'b', 'j', '2', '6', '1', '-', 'a7', ' ']
  const sigTexts: RowTexts = {
    compiled: compileText,
    title: (r) => NAMES[Number(r.values.customer)] ?? '',
    texts: (r) => [CONTACTS[Number(r.values.contact)]!, NAMES[Number(r.values.customer)]!].filter(Boolean),
    key: (r) => `${String(r.values.customer)}|${String(r.values.contact)}`,
  }
  interface RowSpec { number: string; seq: number; customer: number; contact: number; state: string }
  const arbRow: fc.Arbitrary<RowSpec> = fc.record({
    number: fc.constantFrom('BJ2611-A7-', 'BJ2612-B3-', 'HT2611-A7-', 'BJ2601-Q1-'),
    seq: fc.integer({ min: 1, max: 999 }),
    customer: fc.integer({ min: 0, max: NAMES.length - 1 }),
    contact: fc.integer({ min: 0, max: CONTACTS.length - 1 }),
    state: fc.constantFrom('draft', 'pending', 'approved'),
  })
  type Step =
    | { kind: 'key'; key: string } | { kind: 'home'; key: string } | { kind: 'backspace' } | { kind: 'clear' }
    | { kind: 'write'; at: number; row: RowSpec }
    | { kind: 'delete'; at: number } | { kind: 'sort' } | { kind: 'filter' }
  const arbStep: fc.Arbitrary<Step> = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'key' as const, key })) },
    // typed at the start of the box (the cursor moved home): `ida` → `eida` → `meida`
    { weight: 2, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'home' as const, key })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'backspace' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('write' as const), at: fc.nat(), row: arbRow }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'sort' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'filter' as const }) },
  )

  it('for random typing (美 → 美达 → 美达电 …), writes, sort and filter changes in between', () => {
    fc.assert(fc.property(fc.array(arbRow, { maxLength: 60 }), fc.array(arbStep, { maxLength: 40 }), (initial, steps) => {
      let n = 0
      const make = (r: RowSpec): ListRow => {
        n++
        return row(`r${n}`, `${r.number}${String(r.seq).padStart(4, '0')}`, { customer: String(r.customer), contact: String(r.contact) }, r.state, `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00Z`)
      }
      let rows = initial.map(make)
      let stamp = 0
      let text = ''
      let byNumber = false
      let states: string[] | undefined
      const orders = new Map<string, ListRow[]>()
      const search = createListSearch()
      for (const step of steps) {
        if (step.kind === 'key') text += step.key
        else if (step.kind === 'home') text = step.key + text
        else if (step.kind === 'backspace') text = text.slice(0, -1)
        else if (step.kind === 'clear') text = ''
        else if (step.kind === 'sort') byNumber = !byNumber
        else if (step.kind === 'filter') states = states ? undefined : ['draft', 'approved']
        else {
          // A write: a new or changed row (the digest's generation moves on, the orders are recomputed).
          rows = [...rows]
          if (step.kind === 'delete') rows.splice(step.at % Math.max(rows.length, 1), 1)
          else if (rows.length && step.at % 2) rows[step.at % rows.length] = { ...make(step.row), id: rows[step.at % rows.length]!.id }
          else rows.push(make(step.row))
          stamp++
          orders.clear()
        }
        const orderKey = byNumber ? 'number' : 'updatedAt'
        let ordered = orders.get(orderKey)
        if (!ordered) {
          ordered = byNumber ? [...rows].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0)) : [...rows].reverse()
          orders.set(orderKey, ordered)
        }
        const words = listTerms(text)
        const filter = states ? { key: states.join(','), test: (r: ListRow) => states!.includes(r.state) } : undefined
        const match = rowMatcher(words, sigTexts)
        const expected = ordered.filter((r) => (!filter || filter.test(r)) && match(r)).map((r) => r.id)
        expect(search.find(stamp, ordered, words, sigTexts, filter).map((r) => r.id), `${JSON.stringify(text)} ${orderKey} ${String(states)}`).toEqual(expected)
      }
    }), { numRuns: 300 })
  })

  it('typed ahead, the narrowed answers are right, and a write in between is seen', () => {
    const search = createListSearch()
    const base = [
      row('1', 'BJ2611-A7-0001', { customer: '0', contact: '0' }),
      row('2', 'BJ2611-A7-0002', { customer: '2', contact: '1' }),
      row('3', 'BJ2611-B3-0003', { customer: '3', contact: '2' }),
    ]
    const ids = (rs: ListRow[]) => rs.map((r) => r.id)
    expect(ids(search.find(1, base, ['美'], sigTexts))).toEqual(['1', '3'])
    expect(ids(search.find(1, base, ['美达'], sigTexts))).toEqual(['1', '3'])
    expect(ids(search.find(1, base, ['美达电'], sigTexts))).toEqual(['1', '3'])
    expect(ids(search.find(1, base, ['美达电器'], sigTexts))).toEqual(['1'])
    // 华兴's quotation is renamed to 美达电器 (a write): the next query must see it though it extends the last.
    const written = [base[0]!, { ...base[1]!, values: { customer: '0', contact: '1' } }, base[2]!]
    expect(ids(search.find(2, written, ['美达电器'], sigTexts))).toEqual(['1', '2'])
    // Pinyin from a syllable start: `ida` (inside meida, not at a syllable) matches nothing, and
    // `meida` typed in front of it matches: a word that merely holds the last one is not narrowed.
    expect(ids(search.find(2, written, ['ida'], sigTexts))).toEqual([])
    expect(ids(search.find(2, written, ['meida'], sigTexts))).toEqual(['1', '2', '3'])
  })
})
