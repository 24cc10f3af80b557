/**
 * Issue 7: what real office PCs do that the simulator never did. Each test is named `fork …` and
 * fails on the engine before this work. The tests on an office are in fault-suite.ts (also run over
 * the real folder stack and WebDAV); the clock's counter limit needs no folder and stays here.
 */
import { describe, expect, it } from 'vitest'
import { forkSuite } from './fault-suite'
import { decodeHlc, encodeHlc, HlcClock, MAX_COUNTER } from './hlc'
import { memoryShare } from './sim'

forkSuite({ name: '', share: async () => memoryShare() })

describe('clocks (issue 7)', () => {
  it('fork counter limit: a million events in one millisecond keep their sort order', () => {
    const clock = new HlcClock('PC01', () => 1_700_000_000_000)
    clock.resume({ wall: 1_700_000_000_000, counter: MAX_COUNTER - 2, pc: 'PC01' })
    const ids = Array.from({ length: 5 }, () => encodeHlc(clock.tick()))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(5)
    expect(ids.every((h) => decodeHlc(h) !== null)).toBe(true)
  })
})
