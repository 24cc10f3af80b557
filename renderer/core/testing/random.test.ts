import { describe, expect, it } from 'vitest'
import { mulberry32 } from './random'

const take = (next: () => number, n: number) => Array.from({ length: n }, next)

describe('mulberry32', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    expect(take(mulberry32(20261127), 50)).toEqual(take(mulberry32(20261127), 50))
    expect(take(mulberry32(1), 50)).not.toEqual(take(mulberry32(2), 50))
  })

  it('gives numbers in [0, 1) spread over the whole range', () => {
    const xs = take(mulberry32(7), 10_000)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(mean).toBeGreaterThan(0.45)
    expect(mean).toBeLessThan(0.55)
    expect(xs.filter((x) => x < 0.1).length).toBeGreaterThan(800)
    expect(xs.filter((x) => x >= 0.9).length).toBeGreaterThan(800)
  })
})
