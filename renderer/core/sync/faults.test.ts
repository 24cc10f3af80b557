/**
 * The faults of sync.md, each injected into a simulated office on the in-memory folder; names say
 * `fault N`. The tests themselves are in fault-suite.ts, which also runs them over the real folder
 * stack and WebDAV (renderer/src/sync/transport-faults.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { faultSuite } from './fault-suite'
import { materialize } from './merge'
import { memoryShare } from './sim'
import { MemorySyncStore } from './store'

faultSuite({ name: '', share: async () => memoryShare() })

describe('store contract', () => {
  it('a commit refused because a business write slipped in changes nothing', async () => {
    const s = new MemorySyncStore()
    s.localWrite('docs', 'a', 'put', { v: 1 })
    await expect(s.commit({ records: [{ table: 'docs', key: 'x', fields: { v: [{ v: 1, h: 'h' }] } }], guardOutbox: true })).rejects.toThrow(/outbox changed/)
    expect(s.record('docs', 'x')).toBeUndefined()
    expect(materialize({ table: 'docs', key: 'x', fields: {} }).alive).toBe(false)
  })
})
