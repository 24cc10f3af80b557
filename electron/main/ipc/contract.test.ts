import { describe, expect, expectTypeOf, it } from 'vitest'
import { Channel, requestSchemas, type ApiName, type ChannelName, type DeskApi, type Envelope, type Results } from '../../shared/ipc'
import type { Handlers } from './registry'
import { makeFixture } from './test-fixture'

// Type-only: importing the preload for real would load electron.
type Preload = typeof import('../../preload/index').desk

describe('IPC contract', () => {
  it('preload, DeskApi and handlers cover exactly the same channels', () => {
    expectTypeOf<keyof Preload>().toEqualTypeOf<ApiName>()
    expectTypeOf<Preload>().toEqualTypeOf<DeskApi>()
    expectTypeOf<keyof Handlers>().toEqualTypeOf<ChannelName>()
    expectTypeOf<keyof typeof requestSchemas>().toEqualTypeOf<ChannelName>()
    expectTypeOf<keyof Results>().toEqualTypeOf<ChannelName>()
    // A DeskApi function and its handler agree on the result.
    expectTypeOf<ReturnType<DeskApi['sharedRead']>>().toEqualTypeOf<Promise<Envelope<Uint8Array>>>()
    expectTypeOf<ReturnType<Handlers['shared:read']>>().toEqualTypeOf<Promise<Envelope<Uint8Array>>>()
    expectTypeOf<Parameters<DeskApi['pdfSave']>[0]>().toEqualTypeOf<{ suggestedName: string; bytes: Uint8Array }>()
    expectTypeOf<Parameters<DeskApi['fileSave']>[0]>().toEqualTypeOf<{ suggestedName: string; kind: 'pdf' | 'xlsx' | 'png'; bytes: Uint8Array }>()
  })

  it('the runtime handler map has one handler per channel', async () => {
    const f = await makeFixture()
    expect(Object.keys(f.h).sort()).toEqual(Object.values(Channel).sort())
    expect(Object.keys(requestSchemas).sort()).toEqual(Object.values(Channel).sort())
    for (const c of Object.values(Channel)) expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/)
    await f.cleanup()
  })
})
