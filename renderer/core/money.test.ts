import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addFen, formatFen, lineAmountFen, MAX_CAPITAL_FEN, normalizeNumberText, parseYuan, splitTax, toCapital } from './money'

describe('lineAmountFen', () => {
  it('multiplies an exact decimal quantity by a price in fen, rounding once', () => {
    expect(lineAmountFen('1250.5', 2350)).toBe(2_938_675)          // 1250.5 kg × ¥23.50 = ¥29,386.75
    expect(lineAmountFen('0.001', 499)).toBe(0)                     // 0.499 fen → 0
    expect(lineAmountFen('0.001', 500)).toBe(1)                     // 0.5 fen → 1 (half-up)
    expect(lineAmountFen('3', 1)).toBe(3)
    expect(lineAmountFen('0.333', 300)).toBe(100)                   // 99.9 fen → 100
    expect(lineAmountFen('1.005', 100)).toBe(101)                   // 100.5 → 101, where 1.005*100 in floats is 100.49999…
    expect(lineAmountFen('-2.5', 101)).toBe(-253)                   // −252.5 → −253 (mirror of +)
  })
  it('rejects malformed quantities', () => {
    for (const q of ['', '1.2345', 'abc', '1,000', '1.', '.5', '1e3', ' - 1']) {
      expect(() => lineAmountFen(q, 100), q).toThrow()
    }
    expect(() => lineAmountFen('1', 1.5)).toThrow()
  })
})

describe('splitTax', () => {
  it('splits a tax-inclusive amount exactly', () => {
    expect(splitTax(11300, 13)).toEqual({ net: 10000, tax: 1300 })
    expect(splitTax(100, 13)).toEqual({ net: 88, tax: 12 })        // 100/1.13 = 88.495… → 88
    expect(splitTax(10900, 9)).toEqual({ net: 10000, tax: 900 })
    expect(splitTax(5000, 0)).toEqual({ net: 5000, tax: 0 })
    expect(splitTax(2_938_675, 13)).toEqual({ net: 2_600_597, tax: 338_078 }) // 2938675/1.13 = 2600597.345
  })
  it('rejects nonsense rates', () => {
    expect(() => splitTax(100, -1)).toThrow()
    expect(() => splitTax(100, 13.001)).toThrow()
  })
  it('net + tax = amount for any amount and rate', () => {
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom(0, 3, 6, 9, 13, 1.5), (amount, rate) => {
      const { net, tax } = splitTax(amount, rate)
      return net + tax === amount && Number.isSafeInteger(net)
    }))
  })
})

describe('formatFen / parseYuan', () => {
  it('formats with thousands separators and two decimals', () => {
    expect(formatFen(123450)).toBe('1,234.50')
    expect(formatFen(123450, { symbol: true })).toBe('¥1,234.50')
    expect(formatFen(5)).toBe('0.05')
    expect(formatFen(0)).toBe('0.00')
    expect(formatFen(-100000000)).toBe('-1,000,000.00')
    expect(() => formatFen(0.5)).toThrow()
  })
  it('parses what a clerk types', () => {
    expect(parseYuan('1,234.5')).toBe(123450)
    expect(parseYuan('1234.56')).toBe(123456)
    expect(parseYuan(' 12 ')).toBe(1200)
    expect(parseYuan('-3.07')).toBe(-307)
    expect(parseYuan('¥1,000')).toBe(100000)
    expect(parseYuan('0.1')).toBe(10)
    for (const junk of ['', '1.234', 'abc', '1,23', '12,34.5', '1.', '.5', '--1', '1e5', '1 000', '99999999999999999999']) {
      expect(parseYuan(junk), junk).toBeNull()
    }
  })
  it('parse ∘ format is the identity', () => {
    fc.assert(fc.property(fc.maxSafeInteger().filter(Number.isSafeInteger), fc.boolean(), (fen, symbol) =>
      parseYuan(formatFen(fen, { symbol })) === fen))
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), (fen) => parseYuan(formatFen(fen)) === fen))
  })
})

describe('addFen', () => {
  it('adds exactly and refuses fractions', () => {
    expect(addFen(10, 20, 30)).toBe(60)
    expect(addFen()).toBe(0)
    expect(() => addFen(0.1, 0.2)).toThrow()
    expect(() => addFen(Number.MAX_SAFE_INTEGER, 1)).toThrow()
  })
})

describe('toCapital', () => {
  // Derived by hand from the People's Bank rules with the convention stated on toCapital.
  const table: Array<[number, string]> = [
    [0, '零元整'],
    [1, '壹分'],
    [5, '伍分'],                                            // 0.05
    [10, '壹角整'],                                          // 0.10
    [50, '伍角整'],                                          // 0.50
    [55, '伍角伍分'],
    [100, '壹元整'],
    [105, '壹元零伍分'],                                      // 1.05
    [1000, '壹拾元整'],                                       // 10.00
    [1050, '壹拾元零伍角整'],                                  // 10.50
    [6000, '陆拾元整'],
    [10010, '壹佰元零壹角整'],                                  // 100.10
    [100000, '壹仟元整'],                                     // 1000.00
    [100101, '壹仟零壹元零壹分'],                                // 1001.01
    [101010, '壹仟零壹拾元零壹角整'],                              // 1010.10
    [123456, '壹仟贰佰叁拾肆元伍角陆分'],
    [304000, '叁仟零肆拾元整'],                                  // 3040.00
    [1100000, '壹万壹仟元整'],                                    // 1 1000.00
    [1000050, '壹万元零伍角整'],                                  // 1 0000.50
    [1050000, '壹万零伍佰元整'],                                  // 1 0500.00
    [10001000, '壹拾万零壹拾元整'],                                // 10 0010.00
    [12000007, '壹拾贰万元零柒分'],                                // 12 0000.07
    [2000001000, '贰仟万零壹拾元整'],                              // 2000 0010.00
    [10000000000, '壹亿元整'],                                  // 1 0000 0000.00
    [10000000100, '壹亿零壹元整'],                               // 1 0000 0001.00
    [10001000000, '壹亿零壹万元整'],                              // 1 0001 0000.00
    [30040000506, '叁亿零肆拾万零伍元零陆分'],                       // 3 0040 0005.06
    [12345678912, '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分'],       // 1 2345 6789.12
    [100000000000, '壹拾亿元整'],                                // 10 0000 0000.00
    [100001000000, '壹拾亿零壹万元整'],                            // 10 0001 0000.00
    [99999999999999, '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'], // the maximum
    [-105, '负壹元零伍分'],
    [-50, '负伍角整'],
    [-10001000000, '负壹亿零壹万元整'],
  ]
  it.each(table)('%i fen → %s', (fen, expected) => {
    expect(toCapital(fen)).toBe(expected)
  })
  it('throws beyond the largest supported amount and on fractional fen', () => {
    expect(MAX_CAPITAL_FEN).toBe(99999999999999)
    expect(() => toCapital(100000000000000)).toThrow()          // 1 万亿 元
    expect(() => toCapital(-100000000000000)).toThrow()
    expect(() => toCapital(1.5)).toThrow()
  })
  it('is never empty, never writes 零零, never ends in 零 and never puts 整 after 分', () => {
    fc.assert(fc.property(fc.integer({ min: -MAX_CAPITAL_FEN, max: MAX_CAPITAL_FEN }), (fen) => {
      const s = toCapital(fen)
      return s.length > 0 && !s.includes('零零') && (fen === 0 || !/零[元万亿角分整]/.test(s)) && !s.endsWith('分整')
        && (fen % 10 === 0) === s.endsWith('整')
    }))
  })
})

describe('typed numbers (Entry as fast as Excel)', () => {
  it('accepts thousands separators, full-width digits and a trailing 元; flags anything else instead of dropping it', () => {
    expect(normalizeNumberText('1,000')).toBe('1000')
    expect(normalizeNumberText('１０００')).toBe('1000')
    expect(normalizeNumberText('１，０００．５')).toBe('1000.5')
    expect(normalizeNumberText(' 2.50元 ')).toBe('2.50')
    expect(normalizeNumberText('-12')).toBe('-12')
    expect(normalizeNumberText('10,00')).toBeNull()
    expect(normalizeNumberText('1.000.5')).toBeNull()
    expect(normalizeNumberText('十')).toBeNull()
    expect(normalizeNumberText('')).toBeNull()
    expect(parseYuan('１，２３４．５０元')).toBe(123450)
    expect(parseYuan('￥12.30')).toBe(1230)
    expect(parseYuan('12.30元')).toBe(1230)
  })
})
