import { describe, expect, it } from 'vitest'
import { createKdf, encryptFile, openKdf } from './cipher'
import { generateKeys } from './keys'
import { paths } from './names'
import { decodeSegment, encodeSegment, SegmentError, type Change } from './segment'

const change = (i: number, pc = 'PC01'): Change => ({ table: 'docs', key: `k${i}`, op: 'put', fields: { 'values.qty': i, note: '备注' }, hlc: `${String(1000 + i).padStart(15, '0')}.000000.${pc}`, pc })

async function fixture() {
  const keys = await generateKeys('PC01')
  const changes = Array.from({ length: 50 }, (_, i) => change(i))
  const seg = await encodeSegment({ vault: 'V1', keys, seq: 1, prevHash: '', changes, app: '0.1.0' })
  const ctx = { rel: paths.segment('PC01', 1), vault: 'V1', publicKey: keys.publicKey, prevHash: '' }
  return { keys, changes, seg, ctx }
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (e) {
    if (e instanceof SegmentError) return e.kind
    throw e
  }
}

describe('segment', () => {
  it('round-trips changes, signed, with a chain hash; the same input gives the same bytes', async () => {
    const { keys, changes, seg, ctx } = await fixture()
    const back = await decodeSegment(seg.bytes, ctx)
    expect(back.changes).toEqual(changes)
    expect(back.header).toMatchObject({ vault: 'V1', pc: 'PC01', seq: 1, count: 50, prevHash: '' })
    expect(back.fileHash).toBe(seg.fileHash)
    const again = await encodeSegment({ vault: 'V1', keys, seq: 1, prevHash: '', changes, app: '0.1.0' })
    expect(again.bytes).toEqual(seg.bytes)
  })

  it('refuses damaged, foreign, misnamed, unchained, unsigned and too new files with a typed reason', async () => {
    const { keys, seg, ctx, changes } = await fixture()
    expect(await kindOf(decodeSegment(seg.bytes.slice(0, seg.bytes.length - 10), ctx))).toBe('truncated')
    expect(await kindOf(decodeSegment(new Uint8Array(), ctx))).toBe('truncated')
    const doubled = new Uint8Array(seg.bytes.length * 2)
    doubled.set(seg.bytes)
    doubled.set(seg.bytes, seg.bytes.length)
    expect(await kindOf(decodeSegment(doubled, ctx))).toBe('malformed')
    const flipped = seg.bytes.slice()
    flipped[flipped.length - 100] = (flipped[flipped.length - 100] as number) ^ 0xff
    expect(await kindOf(decodeSegment(flipped, ctx))).toBe('badSignature')
    expect(await kindOf(decodeSegment(seg.bytes, { ...ctx, vault: 'OTHER' }))).toBe('wrongVault')
    expect(await kindOf(decodeSegment(seg.bytes, { ...ctx, rel: paths.segment('PC01', 2) }))).toBe('badName')
    expect(await kindOf(decodeSegment(seg.bytes, { ...ctx, publicKey: undefined }))).toBe('unknownPc')
    const stranger = await generateKeys('PC01')
    expect(await kindOf(decodeSegment(seg.bytes, { ...ctx, publicKey: stranger.publicKey }))).toBe('badSignature')
    expect(await kindOf(decodeSegment(seg.bytes, { ...ctx, prevHash: 'abc' }))).toBe('chainBreak')
    const newer = await encodeSegment({ vault: 'V1', keys, seq: 1, prevHash: '', changes, app: '0.2.0', schema: 2 })
    expect(await kindOf(decodeSegment(newer.bytes, ctx))).toBe('tooNew')
  })

  it('encrypted files open only with the right passphrase', async () => {
    const { seg, ctx } = await fixture()
    const { kdf, cipher } = await createKdf('办公室口令', 1000)
    const file = await encryptFile(cipher, seg.bytes)
    expect(await kindOf(decodeSegment(file, ctx))).toBe('cannotDecrypt')
    expect(await openKdf(kdf, 'wrong')).toBeNull()
    const right = await openKdf(kdf, '办公室口令')
    expect((await decodeSegment(file, { ...ctx, cipher: right! })).header.seq).toBe(1)
  })
})
