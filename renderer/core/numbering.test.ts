import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { counterKey, formatNumber, MAX_SEQ, newPcCode, nextSeq, parseNumber } from './numbering'
import { formatIdentity, parseIdentity } from './identity'

describe('formatNumber / parseNumber', () => {
  it('writes prefix, yymm, PC code and a 4-digit sequence', () => {
    expect(formatNumber('BJ', '2026-11-03', 'A7', 1)).toBe('BJ2611-A7-0001')
    expect(formatNumber('PG', '2027-01-31', 'K9Z', 12345)).toBe('PG2701-K9Z-12345')
    expect(parseNumber('BJ2611-A7-0001')).toEqual({ prefix: 'BJ', yy: '26', mm: '11', pcCode: 'A7', seq: 1 })
    expect(parseNumber(' bj2611-a7-0001 ')).toEqual({ prefix: 'BJ', yy: '26', mm: '11', pcCode: 'A7', seq: 1 })
  })
  it('refuses malformed parts and foreign numbers', () => {
    expect(() => formatNumber('bj', '2026-11-03', 'A7', 1)).toThrow()
    expect(() => formatNumber('BJ', '2026/11/03', 'A7', 1)).toThrow()
    expect(() => formatNumber('BJ', '2026-11-03', 'A', 1)).toThrow()
    expect(() => formatNumber('BJ', '2026-11-03', 'a7', 1)).toThrow()
    expect(() => formatNumber('BJ', '2026-11-03', 'A7', 0)).toThrow()
    expect(() => formatNumber('BJ', '2026-11-03', 'A7', MAX_SEQ + 1)).toThrow()
    for (const s of ['', 'BJ2611-0001', 'BJ2613-A7-0001', 'BJ2611-A7-01', 'HT-2026-001']) expect(parseNumber(s), s).toBeNull()
  })
  it('every number fits the printed QR identity', () => {
    const longest = formatNumber('ABCD', '2099-12-31', 'ZZ9', MAX_SEQ)
    const qr = formatIdentity({ number: longest, version: 12, page: 1, pages: 3, hash8: '0A1B2C3D' })
    expect(parseIdentity(qr)?.number).toBe(longest)
    expect(() => formatIdentity({ number: formatNumber('BJ', '2026-11-03', 'A7', 1), version: 1, page: 1, pages: 1, hash8: '0A1B2C3D' })).not.toThrow()
  })
  it('two PCs with different codes never produce the same number', () => {
    const part = fc.record({
      prefix: fc.stringMatching(/^[A-Z]{1,4}$/), date: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      pc: fc.stringMatching(/^[A-Z0-9]{2,3}$/), seq: fc.integer({ min: 1, max: MAX_SEQ }),
    })
    fc.assert(fc.property(part, part, (a, b) => {
      fc.pre(a.pc !== b.pc)
      return formatNumber(a.prefix, a.date, a.pc, a.seq) !== formatNumber(b.prefix, b.date, b.pc, b.seq)
    }), { numRuns: 2000 })
  })
  it('parse ∘ format gives back the parts', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Z]{1,4}$/), fc.stringMatching(/^[A-Z0-9]{2,3}$/), fc.integer({ min: 1, max: MAX_SEQ }), (prefix, pc, seq) => {
      const n = parseNumber(formatNumber(prefix, '2026-03-15', pc, seq))
      return n !== null && n.prefix === prefix && n.pcCode === pc && n.seq === seq && n.yy === '26' && n.mm === '03'
    }))
  })
})

describe('sequence and PC codes', () => {
  it('nextSeq counts from 1', () => {
    expect(nextSeq(undefined)).toBe(1)
    expect(nextSeq(41)).toBe(42)
    expect(() => nextSeq(MAX_SEQ)).toThrow()
    expect(() => nextSeq(-1)).toThrow()
  })
  it('counterKey is one counter per prefix, month and PC', () => {
    expect(counterKey('BJ', '2026-11-30', 'A7')).toBe('BJ2611-A7')
    expect(counterKey('BJ', '2026-12-01', 'A7')).not.toBe(counterKey('BJ', '2026-11-30', 'A7'))
  })
  it('newPcCode never returns a code already taken, even with a stuck random source', () => {
    const taken = ['AA', 'AB']
    expect(newPcCode(taken, () => 0)).not.toMatch(/^A[AB]$/)
    expect(newPcCode([], () => 0)).toBe('AA')
    const stuck = newPcCode(['AA', 'AAA'], () => 0)
    expect(stuck).toMatch(/^[A-Z0-9]{2,3}$/)
    expect(['AA', 'AAA']).not.toContain(stuck)
    fc.assert(fc.property(fc.uniqueArray(fc.stringMatching(/^[A-Z2-9]{2,3}$/), { maxLength: 300 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (existing, r) => {
      const code = newPcCode(existing, () => r)
      return !existing.includes(code) && /^[A-Z][A-Z0-9]{1,2}$/.test(code)
    }))
  })
})
