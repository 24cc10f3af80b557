import { describe, expect, it } from 'vitest'
import { duplicateProbes, matches, normalizeCompanyName, possibleDuplicates, searchKeys, similarity } from './search'

describe('searchKeys / matches', () => {
  const keys = searchKeys('深圳华兴塑胶有限公司')
  it('finds a customer by characters, full pinyin or initials', () => {
    expect(keys).toContain('shenzhenhuaxingsujiaoyouxiangongsi')
    expect(keys).toContain('szhxsjyxgs')
    for (const q of ['szhx', 'SZHX', '华兴', 'huaxing', 'shenzhen huaxing', 'hxsj', '塑胶 szhx']) expect(matches(q, keys), q).toBe(true)
    for (const q of ['dghd', '宏达', 'hongda', 'szhx 电器']) expect(matches(q, keys), q).toBe(false)
  })
  it('keeps Latin letters and digits, folds full-width and case', () => {
    const k = searchKeys('ＰＣ／ＡＢＳ 阻燃 V-0')
    expect(matches('pc/abs', k)).toBe(true)
    expect(matches('zr', k)).toBe(true)
    expect(matches('v-0', k)).toBe(true)
    expect(searchKeys('  ')).toEqual([])
    expect(matches('', keys)).toBe(true)
  })
})

describe('possible duplicate customers', () => {
  const existing = [
    { id: 'c1', name: '深圳华兴塑胶有限公司' },
    { id: 'c2', name: '东莞宏达电器有限公司' },
    { id: 'c3', name: '深圳华强电子科技有限公司' },
    { id: 'c4', name: '佛山美的塑料制品厂' },
  ]
  it('flags the same company written differently', () => {
    expect(possibleDuplicates('深圳市华兴塑胶', existing).map((d) => d.id)).toEqual(['c1'])
    expect(possibleDuplicates('深圳华兴塑胶（龙岗）有限公司', existing).map((d) => d.id)).toEqual(['c1'])
    expect(possibleDuplicates('广东省深圳市华兴塑胶股份有限公司', existing).map((d) => d.id)).toEqual(['c1'])
    expect(possibleDuplicates('东莞 宏达电器有限责任公司', existing).map((d) => d.id)).toEqual(['c2'])
    expect(similarity('深圳华兴塑胶有限公司', '深圳市华兴塑胶')).toBe(1)
    expect(similarity('华兴塑胶', '深圳华兴塑胶有限公司')).toBeGreaterThanOrEqual(0.7)
  })
  it('does not flag unrelated names that share a city or a trade', () => {
    expect(possibleDuplicates('深圳华美五金制品有限公司', existing)).toEqual([])
    expect(possibleDuplicates('东莞长城包装材料有限公司', existing)).toEqual([])
    expect(similarity('深圳华兴塑胶有限公司', '深圳华强电子科技有限公司')).toBeLessThan(0.7)
    expect(similarity('', '深圳华兴')).toBe(0)
  })
  it('normalises legal forms, brackets, full-width and place suffixes', () => {
    expect(normalizeCompanyName('深圳市 华兴塑胶（龙岗）有限公司')).toBe('深圳华兴塑胶')
    expect(normalizeCompanyName('ＡＢＣ Plastics Co., Ltd.')).toBe('abcplastics')
    expect(normalizeCompanyName('深圳华兴市场策划有限公司')).toBe('深圳华兴市场策划')
  })
})

describe('duplicateProbes', () => {
  it('looks a new customer up by its name with and without the 市 of its place, its business part and its initials, never by the place alone', () => {
    const probes = duplicateProbes('深圳市华兴塑胶')
    expect(probes).toEqual(expect.arrayContaining(['深圳华兴', '深圳市华兴', '华兴塑胶', 'szhx']))
    expect(probes).not.toContain('深圳')
    expect(probes).not.toContain('深圳市')
    // Every probe finds the customer as the index stores it (searchKeys of its full and short name).
    const stored = [...searchKeys('深圳华兴塑胶制品有限公司'), ...searchKeys('华兴塑胶')]
    expect(['深圳华兴', '华兴塑胶', 'szhx'].every((p) => stored.some((k) => k.startsWith(p)))).toBe(true)
  })

  it('has nothing to look up for an empty name', () => expect(duplicateProbes('  有限公司 ')).toEqual([]))
})
