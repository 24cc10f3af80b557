/**
 * Write-once segment files (sync.md "Segment"): a header, a deflate-compressed body of changes and
 * an Ed25519 signature over both. The same container (another magic) carries snapshots.
 *
 *   magic(6) | u32 headerLen | header JSON (canonical) | u32 bodyLen | body (deflate) | sig(64)
 *
 * The signed header states the body's length once inflated (`bodyLength`); a reader inflates no
 * further than that, and never past a hard cap (issue 7: a 64 KB signed segment inflated to 64 MiB).
 *
 * With an office passphrase the whole file is wrapped once more:
 *   "MDENC1" | iv(12) | AES-GCM(file)
 */
import { hlcPc } from './hlc'
import { deflateSync, Inflate } from 'fflate'
import { canonicalJson, sha256Hex } from '../identity'
import { sign, verify, type SyncKeys } from './keys'
import { paths } from './names'
import { decryptFile, isEncrypted, type VaultCipher } from './cipher'

/** One change as it travels (one outbox row, stamped). `seen` lists, per field, the writes the writer had seen (merge.ts). */
export interface Change {
  table: string
  key: string
  op: 'put' | 'delete'
  fields: Record<string, unknown>
  /** Encoded HLC (hlc.ts); unique per change because each PC's clock strictly increases. */
  hlc: string
  pc: string
  seen?: Record<string, string[]>
}

/** Segment header; `prevHash` chains each PC's segments, `bodyHash` binds the body. */
export interface SegmentHeader {
  vault: string
  pc: string
  seq: number
  /** SHA-256 of the previous segment file of this PC ('' for seq 1). */
  prevHash: string
  hlcFrom: string
  hlcTo: string
  /** Schema of the changes; an app that knows only lower schemas keeps them unapplied (fault 30). */
  schema: number
  app: string
  bodyHash: string
  count: number
  /** Length of the inflated body (canonical JSON of the changes); absent in segments of older versions. */
  bodyLength?: number
}

/** A verified segment and the SHA-256 of its file (the next segment's `prevHash`). */
export interface Segment { header: SegmentHeader; changes: Change[]; fileHash: string }

/** Why a file was refused; `truncated` and `cannotDecrypt` may heal on a later read. */
export type SegmentErrorKind =
  | 'truncated' | 'malformed' | 'badName' | 'badHash' | 'badSignature' | 'wrongVault'
  | 'chainBreak' | 'unknownPc' | 'tooNew' | 'cannotDecrypt'

/** A typed refusal; never thrown past the engine's per-file handling. */
export class SegmentError extends Error {
  constructor(readonly kind: SegmentErrorKind, detail: string, readonly header?: SegmentHeader) {
    super(`${kind}: ${detail}`)
    this.name = 'SegmentError'
  }
}

/** The schema this build writes and understands. */
export const SCHEMA = 1

/** Largest inflated segment body a reader accepts (a batch of 2,000 changes is a few MB). */
export const MAX_SEGMENT_BODY = 64 * 1024 * 1024
/** Largest inflated snapshot body: under V8's longest string (~512 MiB), which JSON.parse needs. */
export const MAX_SNAPSHOT_BODY = 500 * 1024 * 1024
/** Deflate's worst expansion: one compressed byte inflates to at most about 1,032 bytes. */
const DEFLATE_MAX_RATIO = 1032
/** Smallest step fed to the inflater: a push may overshoot the limit by at most ~8 MiB before it stops. */
const INFLATE_MIN_STEP = 8 * 1024

/**
 * Inflates `body` to exactly `declared` bytes (or, without a declaration, to at most `cap`) with
 * fflate's streaming inflater, stopping at the first byte past the limit. Each step is sized so its
 * output cannot pass what is left of the limit by more than ~8 MiB, so a bomb costs at most the
 * limit plus that, while an honest body goes in a few large steps. Null when the body inflates to
 * more (or, with a declaration, to fewer) bytes, or does not inflate at all.
 */
export function inflateBounded(body: Uint8Array, declared: number | undefined, cap: number): Uint8Array | null {
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0 || declared > cap)) return null
  const limit = declared ?? cap
  const chunks: Uint8Array[] = []
  let total = 0
  let over = false
  let done = false
  const inf = new Inflate((chunk, final) => {
    total += chunk.length
    if (total > limit) over = true
    else if (chunk.length) chunks.push(chunk)
    if (final) done = true
  })
  try {
    for (let i = 0; i < body.length && !over;) {
      const step = Math.max(INFLATE_MIN_STEP, Math.floor((limit - total) / DEFLATE_MAX_RATIO))
      const end = Math.min(i + step, body.length)
      inf.push(body.subarray(i, end), end === body.length)
      i = end
    }
    if (body.length === 0) inf.push(body, true)
  } catch {
    return null
  }
  if (over || !done || (declared !== undefined && total !== declared)) return null
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const out = new Uint8Array(total)
  let off = 0
  for (const c of chunks) { out.set(c, off); off += c.length }
  return out
}

const SEG_MAGIC = 'MDSEG1'
const SNAP_MAGIC = 'MDSNP1'
const SIG_LEN = 64
const enc = new TextEncoder()
const dec = new TextDecoder('utf-8', { fatal: true })

/** Encodes a signed container deterministically (same input → same bytes, fault 23). */
async function encodeContainer(magic: string, header: object, body: Uint8Array, keys: SyncKeys): Promise<Uint8Array> {
  const h = enc.encode(canonicalJson(header))
  const unsigned = new Uint8Array(6 + 4 + h.length + 4 + body.length)
  const view = new DataView(unsigned.buffer)
  unsigned.set(enc.encode(magic), 0)
  view.setUint32(6, h.length)
  unsigned.set(h, 10)
  view.setUint32(10 + h.length, body.length)
  unsigned.set(body, 14 + h.length)
  const sig = await sign(keys, unsigned)
  const out = new Uint8Array(unsigned.length + SIG_LEN)
  out.set(unsigned, 0)
  out.set(sig, unsigned.length)
  return out
}

interface RawContainer { header: unknown; body: Uint8Array; unsigned: Uint8Array; sig: Uint8Array }

function splitContainer(magic: string, bytes: Uint8Array): RawContainer {
  if (bytes.length < 14 + SIG_LEN) throw new SegmentError('truncated', `only ${bytes.length} bytes`)
  if (dec.decode(bytes.subarray(0, 6)) !== magic) throw new SegmentError('malformed', 'not one of our files')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const hl = view.getUint32(6)
  if (10 + hl + 4 > bytes.length) throw new SegmentError('truncated', 'header cut short')
  const bl = view.getUint32(10 + hl)
  const end = 14 + hl + bl
  if (end + SIG_LEN > bytes.length) throw new SegmentError('truncated', 'body cut short')
  // Doubled content or trailing junk: the lengths no longer add up.
  if (end + SIG_LEN < bytes.length) throw new SegmentError('malformed', `${bytes.length - end - SIG_LEN} unexpected trailing bytes`)
  let header: unknown
  try {
    header = JSON.parse(dec.decode(bytes.subarray(10, 10 + hl)))
  } catch {
    throw new SegmentError('malformed', 'header is not JSON')
  }
  return { header, body: bytes.subarray(14 + hl, end), unsigned: bytes.subarray(0, end), sig: bytes.subarray(end) }
}

/** Builds and signs segment `seq` of this PC. */
export async function encodeSegment(args: {
  vault: string; keys: SyncKeys; seq: number; prevHash: string; changes: Change[]; app: string; schema?: number
}): Promise<{ bytes: Uint8Array; header: SegmentHeader; fileHash: string }> {
  const { changes } = args
  if (changes.length === 0) throw new Error('empty segment')
  const plain = enc.encode(canonicalJson(changes))
  // No PC would read a larger one: refuse here rather than publish a file that blocks this PC's stream.
  if (plain.length > MAX_SEGMENT_BODY) throw new Error(`segment body of ${plain.length} bytes exceeds ${MAX_SEGMENT_BODY}; write fewer changes per segment`)
  const body = deflateSync(plain, { level: 6 })
  const hlcs = changes.map((c) => c.hlc).sort()
  const header: SegmentHeader = {
    vault: args.vault, pc: args.keys.pc, seq: args.seq, prevHash: args.prevHash,
    hlcFrom: hlcs[0] as string, hlcTo: hlcs[hlcs.length - 1] as string,
    schema: args.schema ?? SCHEMA, app: args.app, bodyHash: await sha256Hex(body), count: changes.length,
    bodyLength: plain.length,
  }
  const bytes = await encodeContainer(SEG_MAGIC, header, body, args.keys)
  return { bytes, header, fileHash: await sha256Hex(bytes) }
}

/** What the reader knows when it checks a segment file. */
export interface DecodeContext {
  /** The relative path the file was read from. */
  rel: string
  vault: string
  /** The PC's approved public key; undefined → `unknownPc`. */
  publicKey: CryptoKey | undefined
  /** Expected `prevHash` ('' before seq 1); undefined skips the chain check (a snapshot covers it). */
  prevHash: string | undefined
  /** Highest schema this build understands. */
  schema?: number
  cipher?: VaultCipher | undefined
}

/**
 * Verifies a segment file fully (name, length, vault, signature, body hash, chain, schema) and
 * decodes it; throws `SegmentError`. Signature comes before `tooNew` so nobody can fake a block.
 */
export async function decodeSegment(fileBytes: Uint8Array, ctx: DecodeContext): Promise<Segment> {
  const bytes = await unwrap(fileBytes, ctx.cipher)
  const raw = splitContainer(SEG_MAGIC, bytes)
  const header = raw.header as SegmentHeader
  if (!isHeader(header)) throw new SegmentError('malformed', 'header fields missing')
  if (header.vault !== ctx.vault) throw new SegmentError('wrongVault', `segment of vault ${header.vault}`, header)
  if (paths.segment(header.pc, header.seq) !== ctx.rel) throw new SegmentError('badName', `header says ${header.pc}#${header.seq}`, header)
  if (!ctx.publicKey) throw new SegmentError('unknownPc', header.pc, header)
  if (!(await verify(ctx.publicKey, raw.sig, raw.unsigned))) throw new SegmentError('badSignature', ctx.rel, header)
  if ((await sha256Hex(raw.body)) !== header.bodyHash) throw new SegmentError('badHash', ctx.rel, header)
  const fileHash = await sha256Hex(bytes)
  if (ctx.prevHash !== undefined && header.prevHash !== ctx.prevHash) throw new SegmentError('chainBreak', `${ctx.rel} does not follow the segment applied before`, header)
  if (header.schema > (ctx.schema ?? SCHEMA)) throw new SegmentError('tooNew', `schema ${header.schema}`, header)
  const inflated = inflateBounded(raw.body, header.bodyLength, MAX_SEGMENT_BODY)
  if (!inflated) throw new SegmentError('malformed', header.bodyLength === undefined ? `body does not inflate within ${MAX_SEGMENT_BODY} bytes` : `body does not inflate to its stated ${header.bodyLength} bytes`, header)
  let changes: Change[]
  try {
    changes = JSON.parse(dec.decode(inflated)) as Change[]
  } catch {
    throw new SegmentError('malformed', 'body is not JSON', header)
  }
  if (!Array.isArray(changes) || changes.length !== header.count || !changes.every((c) => isChange(c, header.pc))) {
    throw new SegmentError('malformed', 'body does not match its header', header)
  }
  return { header, changes, fileHash }
}

/** Reads only the header of a segment file without verifying it (status and diagnostics). */
export function peekHeader(bytes: Uint8Array): SegmentHeader | null {
  try {
    const h = splitContainer(SEG_MAGIC, bytes).header
    return isHeader(h) ? h : null
  } catch {
    return null
  }
}

/** A signed snapshot header: which segment of every PC the snapshot includes. */
export interface SnapshotHeader {
  vault: string
  pc: string
  seq: number
  cursors: Record<string, { seq: number; hash: string }>
  schema: number
  app: string
  bodyHash: string
  count: number
  at: string
  /** Length of the inflated body; absent in snapshots of older versions. */
  bodyLength?: number
}

/** Encodes a snapshot of `records` (any JSON) with the per-PC cursors it includes. */
export async function encodeSnapshot(args: {
  vault: string; keys: SyncKeys; seq: number; cursors: SnapshotHeader['cursors']; records: unknown[]; app: string; at: string
}): Promise<Uint8Array> {
  const plain = enc.encode(canonicalJson(args.records))
  if (plain.length > MAX_SNAPSHOT_BODY) throw new Error(`snapshot body of ${plain.length} bytes exceeds ${MAX_SNAPSHOT_BODY}`)
  const body = deflateSync(plain, { level: 6 })
  const header: SnapshotHeader = {
    vault: args.vault, pc: args.keys.pc, seq: args.seq, cursors: args.cursors, schema: SCHEMA, app: args.app,
    bodyHash: await sha256Hex(body), count: args.records.length, at: args.at, bodyLength: plain.length,
  }
  return encodeContainer(SNAP_MAGIC, header, body, args.keys)
}

/** Verifies and decodes a snapshot signed by `publicKey`. */
export async function decodeSnapshot(fileBytes: Uint8Array, ctx: { vault: string; publicKey: CryptoKey | undefined; cipher?: VaultCipher | undefined }): Promise<{ header: SnapshotHeader; records: unknown[] }> {
  const bytes = await unwrap(fileBytes, ctx.cipher)
  const raw = splitContainer(SNAP_MAGIC, bytes)
  const header = raw.header as SnapshotHeader
  if (typeof header?.vault !== 'string' || typeof header.pc !== 'string') throw new SegmentError('malformed', 'snapshot header')
  if (header.vault !== ctx.vault) throw new SegmentError('wrongVault', header.vault)
  if (!ctx.publicKey) throw new SegmentError('unknownPc', header.pc)
  if (!(await verify(ctx.publicKey, raw.sig, raw.unsigned))) throw new SegmentError('badSignature', 'snapshot')
  if ((await sha256Hex(raw.body)) !== header.bodyHash) throw new SegmentError('badHash', 'snapshot')
  if (header.schema > SCHEMA) throw new SegmentError('tooNew', `schema ${header.schema}`)
  const inflated = inflateBounded(raw.body, header.bodyLength, MAX_SNAPSHOT_BODY)
  if (!inflated) throw new SegmentError('malformed', 'snapshot body does not inflate to its stated length')
  let records: unknown[]
  try {
    records = JSON.parse(dec.decode(inflated)) as unknown[]
  } catch {
    throw new SegmentError('malformed', 'snapshot body is not JSON')
  }
  if (!Array.isArray(records) || records.length !== header.count) throw new SegmentError('malformed', 'snapshot body')
  return { header, records }
}

async function unwrap(bytes: Uint8Array, cipher: VaultCipher | undefined): Promise<Uint8Array> {
  if (!isEncrypted(bytes)) {
    if (cipher) throw new SegmentError('malformed', 'plain file in an encrypted vault')
    return bytes
  }
  if (!cipher) throw new SegmentError('cannotDecrypt', 'no passphrase entered')
  // The passphrase was checked against vault.json when it was entered, so a failing file is damaged.
  const plain = await decryptFile(cipher, bytes)
  if (!plain) throw new SegmentError(bytes.length < 18 + 16 + 14 ? 'truncated' : 'badHash', 'encrypted file does not authenticate')
  return plain
}

function isHeader(h: unknown): h is SegmentHeader {
  const x = h as SegmentHeader
  return !!x && typeof x.vault === 'string' && typeof x.pc === 'string' && Number.isInteger(x.seq) && x.seq >= 1 &&
    typeof x.prevHash === 'string' && typeof x.bodyHash === 'string' && Number.isInteger(x.schema) && Number.isInteger(x.count) &&
    typeof x.hlcFrom === 'string' && typeof x.hlcTo === 'string' &&
    (x.bodyLength === undefined || (Number.isSafeInteger(x.bodyLength) && x.bodyLength >= 0))
}

function isChange(c: unknown, pc: string): c is Change {
  const x = c as Change
  return !!x && typeof x.table === 'string' && typeof x.key === 'string' && (x.op === 'put' || x.op === 'delete') &&
    typeof x.fields === 'object' && x.fields !== null && typeof x.hlc === 'string' && x.pc === pc && hlcPc(x.hlc) === pc
}
