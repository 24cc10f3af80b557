import { describe, expect, it } from 'vitest'
import { uuidv7 } from './uuid'

describe('uuidv7', () => {
  it('is a version-7 UUID whose text sorts by creation time', () => {
    const a = uuidv7(Date.UTC(2026, 10, 27, 1, 0, 0))
    const b = uuidv7(Date.UTC(2026, 10, 27, 1, 0, 1))
    const c = uuidv7(Date.UTC(2027, 0, 1))
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect([c, a, b].sort()).toEqual([a, b, c])
  })

  it('carries the millisecond time in its first 48 bits and random bits after them', () => {
    const ms = 0x0123456789ab
    expect(uuidv7(ms, (x) => x.fill(0xff))).toBe('01234567-89ab-7fff-bfff-ffffffffffff')
    expect(uuidv7(ms)).not.toBe(uuidv7(ms))
    expect(() => uuidv7(-1)).toThrow(RangeError)
  })
})
