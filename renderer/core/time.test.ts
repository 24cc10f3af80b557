import { describe, expect, it } from 'vitest'
import { completeTypedDate } from './time'

describe('completeTypedDate (a typed partial date means this year)', () => {
  const today = '2026-11-30'
  it('completes month-day to this year, in the ways clerks type it', () => {
    for (const t of ['11-30', '11/30', '11.30', '11月30日', '１１－３０']) expect(completeTypedDate(t, today)).toBe('2026-11-30')
    expect(completeTypedDate('1-5', today)).toBe('2026-01-05')
  })
  it('reads full dates written with other separators', () => {
    for (const t of ['2026/12/01', '2026.12.1', '20261201', '2026年12月1日']) expect(completeTypedDate(t, today)).toBe('2026-12-01')
  })
  it('leaves complete ISO dates, impossible dates and other text alone', () => {
    expect(completeTypedDate('2026-11-30', today)).toBeNull()
    expect(completeTypedDate('2-30', today)).toBeNull()
    expect(completeTypedDate('13-01', today)).toBeNull()
    expect(completeTypedDate('明天', today)).toBeNull()
  })
})
