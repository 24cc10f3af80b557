// The clerks' PCs are in China: test with their zone, set before any Date is made.
process.env.TZ = 'Asia/Shanghai'

import { describe, expect, it } from 'vitest'
import { formatDateTime } from './format'

describe('formatDateTime', () => {
  it('shows a stored UTC time in the PC’s local zone (Asia/Shanghai, UTC+8)', () => {
    expect(formatDateTime('2026-11-27T05:05:41.123Z')).toBe('2026-11-27 13:05')
    // Late evening UTC is already the next day in Shanghai.
    expect(formatDateTime('2026-12-31T16:30:00.000Z')).toBe('2027-01-01 00:30')
    expect(formatDateTime(Date.UTC(2026, 0, 2, 1, 2))).toBe('2026-01-02 09:02')
  })

  it('agrees with a Date built in local time', () => {
    const local = new Date(2026, 10, 27, 13, 5, 59)
    expect(formatDateTime(local.toISOString())).toBe('2026-11-27 13:05')
  })

  it('shows nothing for no time and leaves unreadable text as it is', () => {
    expect(formatDateTime('')).toBe('')
    expect(formatDateTime(undefined)).toBe('')
    expect(formatDateTime('not a time')).toBe('not a time')
  })
})
