import { describe, expect, it } from 'vitest'
import { compareHlc, decodeHlc, encodeHlc, HlcClock } from './hlc'

describe('hlc', () => {
  it('encoding sorts like compareHlc', () => {
    const hs = [
      { wall: 5, counter: 0, pc: 'B' }, { wall: 5, counter: 0, pc: 'A' }, { wall: 4, counter: 9, pc: 'Z' },
      { wall: 1_800_000_000_000, counter: 2, pc: 'A' }, { wall: 5, counter: 10, pc: 'A' },
    ]
    const byCompare = [...hs].sort(compareHlc).map(encodeHlc)
    const byString = hs.map(encodeHlc).sort()
    expect(byString).toEqual(byCompare)
    expect(decodeHlc(encodeHlc(hs[3]!))).toEqual(hs[3])
    expect(decodeHlc('garbage')).toBeNull()
  })

  it('ticks strictly increase even when the wall clock stands still or goes back', () => {
    let t = 1000
    const c = new HlcClock('A', () => t)
    const a = c.tick()
    const b = c.tick()
    t = 500
    const d = c.tick()
    expect(compareHlc(a, b)).toBeLessThan(0)
    expect(compareHlc(b, d)).toBeLessThan(0)
  })

  it('follows a remote clock a little ahead, and warns beyond a minute', () => {
    const t = 1_000_000
    const c = new HlcClock('A', () => t)
    expect(c.receive({ wall: t + 30_000, counter: 3, pc: 'B' }).verdict).toBe('ok')
    expect(compareHlc(c.tick(), { wall: t + 30_000, counter: 3, pc: 'B' })).toBeGreaterThan(0)
    expect(c.receive({ wall: t + 3 * 60_000, counter: 0, pc: 'B' }).verdict).toBe('skewed')
  })

  it('is not dragged forward by a clock a year ahead', () => {
    const t = 1_000_000
    const c = new HlcClock('A', () => t)
    const r = c.receive({ wall: t + 365 * 86_400_000, counter: 0, pc: 'X' })
    expect(r.verdict).toBe('ahead')
    expect(c.tick().wall).toBe(t)
  })
})
