import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { simulate } from './simulate'

describe('fault 32: random offices converge and lose nothing', () => {
  it('fault 32: 3–30 PCs, random create/edit/delete/resolve/attach, random export/import schedules, delayed, reordered and duplicated files, cloned PCs and restored databases → equal digests, nothing lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          pcs: fc.integer({ min: 3, max: 30 }),
          ops: fc.integer({ min: 20, max: 250 }),
          seed: fc.integer(),
          delay: fc.double({ min: 0, max: 0.8, noNaN: true }),
          duplicate: fc.double({ min: 0, max: 0.1, noNaN: true }),
          // Issue 7: machines cloned with their identity, and databases put back from older copies.
          clones: fc.integer({ min: 0, max: 2 }),
          restores: fc.integer({ min: 0, max: 2 }),
        }),
        async (o) => {
          const r = await simulate(o)
          expect(r.lost).toEqual([])
          expect(r.converged).toBe(true)
        },
      ),
      { numRuns: 12, seed: 20260105, endOnFailure: true },
    )
  }, 300_000)

  it('a fixed larger run: 8 PCs, 1500 ops, 2 clones and 2 restores', async () => {
    const r = await simulate({ pcs: 8, ops: 1500, seed: 42, clones: 2, restores: 2 })
    expect(r.lost).toEqual([])
    expect(r.converged).toBe(true)
    expect(r.conflicts).toBeGreaterThan(0)
  }, 300_000)
})
