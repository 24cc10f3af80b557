import { deflateSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { canonicalJson, sha256Hex } from '../identity'
import { createKdf, encryptFile, openKdf } from './cipher'
import { generateKeys, sign, type SyncKeys } from './keys'
import { paths } from './names'
import { decodeSegment, decodeSnapshot, encodeSegment, encodeSnapshot, MAX_SEGMENT_BODY, SegmentError, type Change } from './segment'

const change = (i: number, pc = 'PC01'): Change => ({ table: 'docs', key: `k${i}`, op: 'put', fields: { 'values.qty': i, note: '备注' }, hlc: `${String(1000 + i).padStart(15, '0')}.000000.${pc}`, pc })

async function fixture() {
  const keys = await generateKeys('PC01')
  const changes = Array.from({ length: 50 }, (_, i) => change(i))
  const seg = await encodeSegment({ vault: 'V1', keys, seq: 1, prevHash: '', changes, app: '0.1.0' })
  const ctx = { rel: paths.segment('PC01', 1), vault: 'V1', publicKey: keys.publicKey, prevHash: '' }
  return { keys, changes, seg, ctx }
}

/** A signed segment file with any header and body, as a hostile (or old) writer would make it. */
async function craft(keys: SyncKeys, header: object, body: Uint8Array, magic = 'MDSEG1'): Promise<Uint8Array> {
  const h = new TextEncoder().encode(canonicalJson(header))
  const unsigned = new Uint8Array(14 + h.length + body.length)
  const view = new DataView(unsigned.buffer)
  unsigned.set(new TextEncoder().encode(magic), 0)
  view.setUint32(6, h.length)
  unsigned.set(h, 10)
  view.setUint32(10 + h.length, body.length)
  unsigned.set(body, 14 + h.length)
  const sig = await sign(keys, unsigned)
  const out = new Uint8Array(unsigned.length + 64)
  out.set(unsigned)
  out.set(sig, unsigned.length)
  return out
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

  it('fork bomb segment: inflation stops at the length the signed header states, and at 64 MiB without one', async () => {
    const keys = await generateKeys('PC01')
    const ctx = { rel: paths.segment('PC01', 1), vault: 'V1', publicKey: keys.publicKey, prevHash: '' }
    const one = change(1)
    // 70 MiB of changes that deflate to well under 200 KB, signed by a trusted PC.
    const [head, tail] = canonicalJson([{ ...one, fields: { pad: '§' } }]).split('§') as [string, string]
    const pad = 70 * 1024 * 1024
    const raw = new Uint8Array(head.length + pad + tail.length).fill(0x61)
    raw.set(new TextEncoder().encode(head), 0)
    raw.set(new TextEncoder().encode(tail), head.length + pad)
    const body = deflateSync(raw, { level: 1 })
    expect(body.length).toBeLessThan(200 * 1024)
    const header = { vault: 'V1', pc: 'PC01', seq: 1, prevHash: '', hlcFrom: one.hlc, hlcTo: one.hlc, schema: 1, app: '0.1.0', bodyHash: await sha256Hex(body), count: 1 }
    // A segment of an older version (no stated length): inflated up to the hard cap only.
    const old = await decodeSegment(await craft(keys, header, body), ctx).then(() => 'ok', (e: SegmentError) => e.kind)
    expect(old).toBe('malformed')
    expect(MAX_SEGMENT_BODY).toBe(64 * 1024 * 1024)
    // A header that understates the length: inflation stops one byte past it.
    const t0 = performance.now()
    const lying = await decodeSegment(await craft(keys, { ...header, bodyLength: 1000 }, body), ctx).then(() => 'ok', (e: SegmentError) => e.kind)
    expect(lying).toBe('malformed')
    expect(performance.now() - t0).toBeLessThan(2000)
    // A header that states more than the cap is refused before inflating anything.
    const honest = await decodeSegment(await craft(keys, { ...header, bodyLength: raw.length }, body), ctx).then(() => 'ok', (e: SegmentError) => e.kind)
    expect(honest).toBe('malformed')
    // One that overstates it: the body ends early, which is as bad.
    const small = deflateSync(new TextEncoder().encode(canonicalJson([one])))
    const over = await decodeSegment(await craft(keys, { ...header, bodyHash: await sha256Hex(small), bodyLength: 5000 }, small), ctx).then(() => 'ok', (e: SegmentError) => e.kind)
    expect(over).toBe('malformed')
    // Honest segments state their length and round-trip; an old small segment without it still reads.
    const seg = await encodeSegment({ vault: 'V1', keys, seq: 1, prevHash: '', changes: [one], app: '0.1.0' })
    expect(seg.header.bodyLength).toBe(new TextEncoder().encode(canonicalJson([one])).length)
    expect((await decodeSegment(seg.bytes, ctx)).changes).toEqual([one])
    const legacy = await craft(keys, { ...header, bodyHash: await sha256Hex(small) }, small)
    expect((await decodeSegment(legacy, ctx)).changes).toEqual([one])
  })

  it('snapshots state their body length too and are inflated no further', async () => {
    const keys = await generateKeys('PC01')
    const snap = await encodeSnapshot({ vault: 'V1', keys, seq: 1, cursors: {}, records: [{ a: 1 }], app: '0.1.0', at: '2026-01-01T00:00:00.000Z' })
    const back = await decodeSnapshot(snap, { vault: 'V1', publicKey: keys.publicKey })
    expect(back.records).toEqual([{ a: 1 }])
    expect(back.header.bodyLength).toBe(new TextEncoder().encode(canonicalJson([{ a: 1 }])).length)
    const big = deflateSync(new TextEncoder().encode(canonicalJson([{ pad: 'b'.repeat(1_000_000) }])))
    const header = { ...back.header, bodyHash: await sha256Hex(big), bodyLength: 100 }
    const lying = await decodeSnapshot(await craft(keys, header, big, 'MDSNP1'), { vault: 'V1', publicKey: keys.publicKey }).then(() => 'ok', (e: SegmentError) => e.kind)
    expect(lying).toBe('malformed')
  })
})
